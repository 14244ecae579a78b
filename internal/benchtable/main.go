// Command benchtable runs every benchmark in the module once (-benchtime
// 1x), each in its own process, and prints one markdown table: the time of
// the run, the median, p95 and ratio to the floor each benchmark reports
// about itself, its other metrics, and the peak resident memory of its
// process (getrusage maxrss of the child: the fixture is included). It is
// what `make bench` runs; nothing lists the benchmarks, they are found with
// -test.list in every package's test binary.
//
//	go run -tags '…' ./internal/benchtable [-o bench.md] [-doc docs/PERFORMANCE.md] [-bench regexp] [pkg …]
//
// Before the benchmarks it builds (or reuses) the default synthetic office
// (data.SyntheticOffice), so that the benchmarks that copy it do not each
// pay for the build. With -doc it replaces the part of that file between
// the markers <!-- bench:begin --> and <!-- bench:end --> with the table.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"dangan/data"
)

type result struct {
	pkg, name string
	nsPerOp   float64
	metrics   map[string]float64
	units     []string // in the order printed
	peakKB    int64
	wall      time.Duration
	failed    string
}

func main() {
	out := flag.String("o", "bench.md", "write the table to this file as well")
	doc := flag.String("doc", "", "replace the table between the bench markers in this file")
	pattern := flag.String("bench", ".", "run only benchmarks matching this regexp")
	tags := flag.String("tags", "sqlite_fts5 migrated_fynedo", "build tags")
	timeout := flag.Duration("timeout", 30*time.Minute, "time limit of one benchmark")
	noSynth := flag.Bool("no-synth", false, "do not build the synthetic office first")
	flag.Parse()
	if err := run(*out, *doc, *pattern, *tags, *timeout, !*noSynth, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

func run(out, doc, pattern, tags string, timeout time.Duration, synth bool, pkgs []string) error {
	start := time.Now()
	re, err := regexp.Compile(pattern)
	if err != nil {
		return err
	}
	machine := describeMachine()
	var notes []string
	if synth {
		t0 := time.Now()
		dir, err := data.SyntheticOffice(context.Background(), data.SyntheticSize{})
		if err != nil {
			return fmt.Errorf("synthetic office: %w", err)
		}
		notes = append(notes, fmt.Sprintf("Synthetic office (100,000 customers, 1,000,000 items, 20,000 boxes, 10 years): "+
			"%s, ready in %.0f s (0 when cached).", dir, time.Since(t0).Seconds()))
	}
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	list, err := exec.Command("go", append([]string{"list", "-tags", tags, "-f", "{{.ImportPath}}\t{{.Dir}}\t{{len .TestGoFiles}}\t{{len .XTestGoFiles}}"}, pkgs...)...).Output()
	if err != nil {
		return fmt.Errorf("go list: %w", err)
	}
	bin, err := os.MkdirTemp("", "benchtable-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(bin)
	var results []result
	for _, line := range strings.Split(strings.TrimSpace(string(list)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 || (f[2] == "0" && f[3] == "0") {
			continue
		}
		pkg, dir := f[0], f[1]
		exe := filepath.Join(bin, strings.ReplaceAll(pkg, "/", "_")+".test")
		build := exec.Command("go", "test", "-c", "-tags", tags, "-o", exe, pkg)
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			results = append(results, result{pkg: pkg, name: "(build)", failed: "test binary does not build"})
			continue
		}
		names, err := listBenchmarks(exe, dir)
		if err != nil {
			return fmt.Errorf("%s: %w", pkg, err)
		}
		for _, name := range names {
			if !re.MatchString(name) {
				continue
			}
			fmt.Fprintf(os.Stderr, "%s %s … ", pkg, name)
			rs := runOne(exe, dir, pkg, name, timeout)
			for _, r := range rs {
				if r.failed != "" {
					fmt.Fprintf(os.Stderr, "FAILED (%s)\n", r.failed)
				} else {
					fmt.Fprintf(os.Stderr, "%.1f s, peak %d MB\n", r.wall.Seconds(), r.peakKB/1024)
				}
			}
			results = append(results, rs...)
		}
	}
	pairFloors(results)
	notes = append(notes, fmt.Sprintf("%d benchmark results; whole run %.1f minutes.", len(results), time.Since(start).Minutes()))
	table := render(results, machine, notes)
	fmt.Print(table)
	if out != "" {
		if err := os.WriteFile(out, []byte(table), 0o644); err != nil {
			return err
		}
	}
	if doc != "" {
		if err := replaceSection(doc, table); err != nil {
			return err
		}
	}
	for _, r := range results {
		if r.failed != "" {
			return fmt.Errorf("%s %s failed: %s", r.pkg, r.name, r.failed)
		}
	}
	return nil
}

func listBenchmarks(exe, dir string) ([]string, error) {
	cmd := exec.Command(exe, "-test.list", "^Benchmark")
	cmd.Dir = dir
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("list benchmarks: %w", err)
	}
	var names []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			names = append(names, strings.TrimSpace(l))
		}
	}
	return names, nil
}

// runOne runs one benchmark (and its sub-benchmarks) in a process of its own.
func runOne(exe, dir, pkg, name string, timeout time.Duration) []result {
	ctx, cancel := context.WithTimeout(context.Background(), timeout+time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, "-test.run", "^$", "-test.bench", "^"+regexp.QuoteMeta(name)+"$",
		"-test.benchtime", "1x", "-test.timeout", timeout.String())
	cmd.Dir = dir
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stdout
	t0 := time.Now()
	err := cmd.Run()
	wall := time.Since(t0)
	var peak int64
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = int64(ru.Maxrss) // kilobytes on Linux
		}
	}
	var rs []result
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if r, ok := parseLine(sc.Text()); ok {
			r.pkg, r.peakKB, r.wall = pkg, peak, wall
			rs = append(rs, r)
		}
	}
	if err != nil || len(rs) == 0 {
		msg := "no result"
		if err != nil {
			msg = err.Error()
		}
		tail := strings.TrimSpace(stdout.String())
		tail = tail[max(0, len(tail)-600):]
		fmt.Fprintf(os.Stderr, "\n%s\n", tail)
		rs = append(rs, result{pkg: pkg, name: name, failed: msg, peakKB: peak, wall: wall})
	}
	return rs
}

// parseLine reads a benchmark result line:
// BenchmarkX-2   1   123456 ns/op   1.5 ms-median   …
func parseLine(line string) (result, bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return result{}, false
	}
	if _, err := strconv.Atoi(f[1]); err != nil {
		return result{}, false
	}
	r := result{name: trimProcs(f[0]), metrics: map[string]float64{}}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			continue
		}
		unit := f[i+1]
		if unit == "ns/op" {
			r.nsPerOp = v
			continue
		}
		r.metrics[unit] = v
		r.units = append(r.units, unit)
	}
	return r, true
}

// trimProcs drops the -GOMAXPROCS suffix of a benchmark name.
func trimProcs(n string) string {
	if i := strings.LastIndex(n, "-"); i > 0 {
		if _, err := strconv.Atoi(n[i+1:]); err == nil {
			return n[:i]
		}
	}
	return n
}

// pairFloors gives a benchmark that reports no ratio of its own the ratio
// of its time to its floor's, when the package has a benchmark of the same
// name with Floor inserted (Catalogue10k, Catalogue10kFloor), run in the
// same make bench.
func pairFloors(rs []result) {
	byName := map[string]*result{}
	for i := range rs {
		byName[rs[i].pkg+" "+rs[i].name] = &rs[i]
	}
	for i := range rs {
		r := &rs[i]
		if r.failed != "" || r.nsPerOp == 0 || strings.Contains(r.name, "Floor") {
			continue
		}
		has := false
		for _, u := range r.units {
			has = has || isRatio(u)
		}
		if has {
			continue
		}
		for _, fn := range floorNames(r.name) {
			if f := byName[r.pkg+" "+fn]; f != nil && f.failed == "" && f.nsPerOp > 0 {
				u := "x-" + strings.TrimPrefix(fn, "Benchmark")
				r.metrics[u] = r.nsPerOp / f.nsPerOp
				r.units = append(r.units, u)
				break
			}
		}
	}
}

// floorNames are the names a benchmark's floor may have: Floor appended,
// or inserted before a trailing size such as 1M or 10k.
func floorNames(name string) []string {
	out := []string{name + "Floor"}
	i := len(name)
	for i > 0 && strings.ContainsRune("0123456789kKM", rune(name[i-1])) {
		i--
	}
	if i < len(name) {
		out = append(out, name[:i]+"Floor"+name[i:])
	}
	return out
}

// The columns a benchmark's own metrics go to, by unit name: benchmarks of
// different issues name them differently (ms-median, median-ms; x-floor,
// x-sqlite-backup).
func isMedian(u string) bool { return strings.Contains(u, "median") && !strings.Contains(u, "floor") }
func isP95(u string) bool    { return strings.Contains(u, "p95") }
func isRatio(u string) bool  { return strings.HasPrefix(u, "x-") || strings.HasPrefix(u, "ratio") }

func render(rs []result, machine string, notes []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Machine: %s\n\n", machine)
	for _, n := range notes {
		fmt.Fprintf(&b, "%s\n", n)
	}
	b.WriteString("\n| benchmark | time | median | p95 | ratio to floor | other metrics | peak MB |\n")
	b.WriteString("|---|---:|---:|---:|---:|---|---:|\n")
	for _, r := range rs {
		name := strings.TrimPrefix(r.pkg, "dangan/") + " " + strings.TrimPrefix(r.name, "Benchmark")
		if r.failed != "" {
			fmt.Fprintf(&b, "| %s | FAILED: %s | | | | | %d |\n", name, r.failed, r.peakKB/1024)
			continue
		}
		var median, p95, ratio []string
		var other []string
		for _, u := range r.units {
			v := fmtNum(r.metrics[u])
			switch {
			case isMedian(u):
				median = append(median, v+" "+unitLabel(u))
			case isP95(u):
				p95 = append(p95, v+" "+unitLabel(u))
			case isRatio(u):
				ratio = append(ratio, v+"× "+strings.TrimPrefix(strings.TrimPrefix(u, "x-"), "ratio"))
			default:
				other = append(other, v+" "+u)
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %d |\n", name, fmtDur(r.nsPerOp), strings.Join(median, ", "),
			strings.Join(p95, ", "), strings.TrimSpace(strings.Join(ratio, ", ")), strings.Join(other, ", "), r.peakKB/1024)
	}
	b.WriteString("\n")
	return b.String()
}

// unitLabel shortens a unit such as ms-median or median-ms to ms.
func unitLabel(u string) string {
	for _, s := range []string{"-median", "median-", "-p95", "p95-"} {
		u = strings.Replace(u, s, "", 1)
	}
	return u
}

func fmtNum(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
}

func fmtDur(ns float64) string {
	d := time.Duration(ns)
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.0f µs", float64(d)/1e3)
	}
}

func describeMachine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				if _, v, ok := strings.Cut(l, ":"); ok {
					cpu = strings.TrimSpace(v)
				}
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "MemTotal:"), "%d", &kb)
		mem = fmt.Sprintf("%.0f GB RAM", float64(kb)/1024/1024)
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		if len(f) >= 3 {
			load = "load average " + strings.Join(f[:3], " ") + " at the start"
		}
	}
	gov := runtime.Version()
	if b, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		gov = strings.TrimSpace(string(b))
	}
	return fmt.Sprintf("%d cores (nproc), %s, %s, %s, %s, %s", runtime.NumCPU(), cpu, mem, load, gov,
		time.Now().UTC().Format("2006-01-02 15:04 UTC"))
}

const beginMark, endMark = "<!-- bench:begin -->", "<!-- bench:end -->"

func replaceSection(path, table string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	s := string(b)
	i, j := strings.Index(s, beginMark), strings.Index(s, endMark)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s … %s section", path, beginMark, endMark)
	}
	s = s[:i+len(beginMark)] + "\n" + table + s[j:]
	return os.WriteFile(path, []byte(s), 0o644)
}
