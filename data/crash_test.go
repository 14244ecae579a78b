//go:build !windows

package data_test

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"dangan/data"
)

// The crash harness (issue 10): a child process (this test binary again)
// runs one operation — an Excel import, boxing, the approval of a
// destruction register, a restore — and is killed with SIGKILL at a random
// moment: no deferred cleanup runs, as in a power cut of the program. The
// parent then opens the data directory (recovery), runs the program's check
// (integrity and foreign keys) and compares a logical dump of every table
// and every attachment file with the data before the operation and after a
// run that was not killed: it must be one or the other, whole.
//
// `make test` kills 10 times; the long form is
//
//	DANGAN_CRASH_KILLS=100 go test -tags '…' -run TestCrashHarness -v ./data/
//
// (or -crash.kills=100). One kill in ten comes at a random moment from the
// start of the child process (most land before the operation begins); the
// others at a random moment from the beginning of the operation to half as
// long again as the longer of two runs that are not killed took, so they
// land during it, before or after its commit, or after it returned.
var crashKills = flag.Int("crash.kills", 0, "kills of the crash harness (default: DANGAN_CRASH_KILLS, else 10)")

// Sizes of the operations: rows of the Excel import, items put in one box,
// items on the destruction register and how many of them have an
// attachment file. The short form (10 kills, in make test) uses a third.
var crashImportRows, crashBoxItems, crashDueItems, crashAttached = 3000, 2000, 1000, 150

func crashSizes(kills int) {
	if kills <= 10 {
		crashImportRows, crashBoxItems, crashDueItems, crashAttached = 1000, 700, 300, 50
	}
	// The child learns them from the parent.
	os.Setenv("DANGAN_CRASH_SIZES", fmt.Sprint(crashImportRows, crashBoxItems, crashDueItems, crashAttached))
}

var crashOps = []string{"import", "box", "destroy", "restore"}

// crashClock is the fixed clock of the fixture and the children, so that a
// run that is not killed always writes the same rows.
func crashClock() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) }

func TestCrashHarness(t *testing.T) {
	if op := os.Getenv("DANGAN_CRASH_OP"); op != "" {
		fmt.Sscan(os.Getenv("DANGAN_CRASH_SIZES"), &crashImportRows, &crashBoxItems, &crashDueItems, &crashAttached)
		crashChild(t, op)
		return
	}
	if testing.Short() {
		t.Skip("spawns processes")
	}
	kills := *crashKills
	if kills == 0 {
		kills, _ = strconv.Atoi(os.Getenv("DANGAN_CRASH_KILLS"))
	}
	if kills <= 0 {
		kills = 10
	}
	crashSizes(kills)
	root := t.TempDir()
	tmpl, backup := buildCrashTemplate(t, filepath.Join(root, "template"))
	oldDump := dumpDir(t, tmpl)
	seed := time.Now().UnixNano()
	rnd := rand.New(rand.NewSource(seed))
	t.Logf("seed %d, %d kills", seed, kills)

	type opStats struct {
		runs                  int
		before, during, after int           // when the kill came: before the operation began, during it, after it returned
		duringNew             int           // of the kills during it, those that came after its commit
		old, new              int           // whole old or whole new data found
		startup, full         time.Duration // not killed: process start to begin, begin to done
		newDump               string
	}
	stats := map[string]*opStats{}
	// Two runs that are not killed give the "new" state (the same twice:
	// the fixed clock makes the operations deterministic) and the time to
	// aim at (the longer of the two).
	for _, op := range crashOps {
		st := &opStats{}
		for i := 0; i < 2; i++ {
			dir := filepath.Join(root, fmt.Sprintf("%s-full-%d", op, i))
			copyTree(t, tmpl, dir)
			r := runCrashChild(t, op, dir, backup, -1, false)
			if r.killed || !r.done {
				t.Fatalf("%s: the run that was not killed did not finish:\n%s", op, r.output)
			}
			st.startup, st.full = max(st.startup, r.beginAt), max(st.full, r.doneAt-r.beginAt)
			dump := crashState(t, op, dir)
			if dump == oldDump {
				t.Fatalf("%s changed nothing", op)
			}
			if i == 1 && dump != st.newDump {
				t.Fatalf("%s: two runs gave different data\n%s", op, firstDiff(oldDump, st.newDump, dump))
			}
			st.newDump = dump
			os.RemoveAll(dir)
		}
		stats[op] = st
	}
	for k := 0; k < kills; k++ {
		op := crashOps[k%len(crashOps)]
		st := stats[op]
		dir := filepath.Join(root, fmt.Sprintf("%s-%d", op, k))
		copyTree(t, tmpl, dir)
		// One kill in ten from the start of the process (most land before
		// the operation begins), the others from its beginning to half as
		// long again as it took (a loaded machine slows runs down).
		early := rnd.Intn(10) == 0
		delay := time.Duration(rnd.Int63n(int64(st.full) * 3 / 2))
		if early {
			delay = time.Duration(rnd.Int63n(int64(st.startup + st.full/4)))
		}
		r := runCrashChild(t, op, dir, backup, delay, !early)
		st.runs++
		switch {
		case !r.begun:
			st.before++
		case !r.done:
			st.during++
		default:
			st.after++
		}
		got := crashState(t, op, dir)
		switch {
		case got == oldDump && !r.done:
			st.old++
		case got == st.newDump && r.begun:
			st.new++
			if !r.done {
				st.duringNew++
			}
		default:
			what := "neither the data before nor after it"
			if got == oldDump {
				what = "the data before it, though it had finished"
			} else if got == st.newDump {
				what = "the data after it, though it had not begun"
			}
			t.Errorf("%s killed after %v (begun %v, done %v): the data is %s\n%s", op, delay, r.begun, r.done, what,
				firstDiff(oldDump, st.newDump, got))
		}
		os.RemoveAll(dir)
	}
	summary := fmt.Sprintf("crash harness: %d kills (seed %d)\n", kills, seed)
	total := 0
	for _, op := range crashOps {
		st := stats[op]
		total += st.old + st.new
		summary += fmt.Sprintf("  %-8s %3d kills: %3d before it began, %3d during it before its commit, "+
			"%3d during it after its commit, %3d after it returned; found whole old %3d, whole new %3d "+
			"(a run takes %v)\n", op, st.runs, st.before, st.during-st.duringNew, st.duringNew, st.after,
			st.old, st.new, st.full.Round(time.Millisecond))
	}
	summary += fmt.Sprintf("  %d/%d kills left the data whole, checked and either wholly old or wholly new\n", total, kills)
	t.Log(summary)
	if kills > 10 {
		fmt.Print(summary)
	}
}

// crashState opens the data directory as the program does (finishing an
// interrupted restore), runs the program's check and returns a logical dump
// of it. Scratch files a restore leaves must be gone too.
func crashState(t *testing.T, op, dir string) string {
	t.Helper()
	s, err := data.Open(dir)
	if err != nil {
		t.Fatalf("%s: open after kill: %v", op, err)
	}
	s.Close()
	if problems, err := data.Check(ctx, dir); err != nil || len(problems) > 0 {
		t.Fatalf("%s: check after kill: %v %v", op, problems, err)
	}
	// Scratch folders (.dangan-tmp-…) of a backup or a restore's prepare
	// may stay: Open removes them once a day old, as they may belong to a
	// backup running in another process. Anything else is a leftover.
	var left []string
	for _, l := range strings.Fields(leftovers(t, dir)) {
		if !strings.HasPrefix(l, ".dangan-tmp-") {
			left = append(left, l)
		}
	}
	if len(left) > 0 {
		t.Errorf("%s: left behind: %s", op, strings.Join(left, " "))
	}
	return dumpDir(t, dir)
}

// firstDiff shows where got first differs from both old and new.
func firstDiff(old, new, got string) string {
	o, n, g := strings.Split(old, "\n"), strings.Split(new, "\n"), strings.Split(got, "\n")
	line := func(xs []string, i int) string {
		if i < len(xs) {
			return xs[i]
		}
		return "(end)"
	}
	for i := 0; i < len(g) || i < len(o) || i < len(n); i++ {
		if line(g, i) != line(o, i) && line(g, i) != line(n, i) {
			return fmt.Sprintf("line %d:\n  old: %.200s\n  new: %.200s\n  got: %.200s", i+1, line(o, i), line(n, i), line(g, i))
		}
	}
	return "(differs line by line from one and the other)"
}

type crashRun struct {
	begun, done, killed bool
	beginAt, doneAt     time.Duration // from the start of the process
	output              string
}

// runCrashChild runs op in a child process and kills it delay after its
// start, or after the operation began when fromBegin (never, when delay < 0).
func runCrashChild(t *testing.T, op, dir, backup string, delay time.Duration, fromBegin bool) crashRun {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHarness$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DANGAN_CRASH_OP="+op, "DANGAN_CRASH_DIR="+dir, "DANGAN_CRASH_BACKUP="+backup)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var r crashRun
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var kill <-chan time.Time
	if delay >= 0 && !fromBegin {
		kill = time.After(delay)
	}
	var b strings.Builder
	for open := true; open; {
		select {
		case l, ok := <-lines:
			if !ok {
				open = false
				break
			}
			fmt.Fprintln(&b, l)
			switch l {
			case "crash-op-begin":
				r.begun, r.beginAt = true, time.Since(start)
				if delay >= 0 && fromBegin {
					kill = time.After(delay)
				}
			case "crash-op-done":
				r.done, r.doneAt = true, time.Since(start)
			}
		case <-kill:
			cmd.Process.Signal(syscall.SIGKILL)
			kill = nil
		}
	}
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL {
		r.killed = true
	} else if err != nil {
		t.Fatalf("%s child failed: %v\n%s", op, err, b.String())
	}
	r.output = b.String()
	return r
}

// crashChild is the child side: one operation, with markers around it.
func crashChild(t *testing.T, op string) {
	dir := os.Getenv("DANGAN_CRASH_DIR")
	s, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetClock(crashClock)
	admin, err := s.UserByID(ctx, 1) // not Authenticate: a login writes
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, s)
	ids := func(q string) []int64 {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			out = append(out, id)
		}
		return out
	}
	// Everything the operation needs is read before it begins.
	var run func() error
	switch op {
	case "import":
		in := crashImportInput("KH-02", 2025, "导入档案第 %d 件", crashImportRows)
		run = func() error {
			res, err := s.Import(ctx, admin, in)
			if err == nil && res.Created != crashImportRows {
				err = fmt.Errorf("imported %d rows: %+v", res.Created, res.Errors)
			}
			return err
		}
	case "box":
		items := ids(`SELECT id FROM archive_items WHERE title LIKE '待装盒档案%' ORDER BY id`)
		run = func() error {
			_, err := s.BoxItems(ctx, admin, 0, items, data.BoxInput{Thickness: 30, Room: "1", Cabinet: "01", Shelf: "1"})
			return err
		}
	case "destroy":
		reg := ids(`SELECT id FROM destruction_registers WHERE status = 'draft'`)
		run = func() error { return s.ApproveDestruction(ctx, admin, reg[0]) }
	case "restore":
		run = func() error {
			p, err := s.PrepareRestore(ctx, admin, os.Getenv("DANGAN_CRASH_BACKUP"), "", nil)
			if err == nil {
				_, err = p.Commit(ctx)
			}
			return err
		}
	default:
		t.Fatalf("unknown operation %s", op)
	}
	fmt.Println("crash-op-begin")
	if err := run(); err != nil {
		t.Fatalf("%s: %v", op, err)
	}
	fmt.Println("crash-op-done")
}

// crashImportInput is a sheet of n items of one 类别 and year for
// data.Import.
func crashImportInput(cat string, year int, title string, n int) data.ImportInput {
	in := data.ImportInput{Kind: "items", FileName: "崩溃测试.xlsx", FirstRow: 2,
		Header: []string{"类别编码", "年度", "所属部门编码", "题名", "页数", "文号"}}
	for i := 1; i <= n; i++ {
		in.Rows = append(in.Rows, []string{cat, strconv.Itoa(year), "01", fmt.Sprintf(title, i), strconv.Itoa(1 + i%30),
			fmt.Sprintf("华机〔%d〕%d号", year, i)})
	}
	return in
}

// buildCrashTemplate makes the data directory every kill starts from, and
// a backup of an earlier state of it for the restore: items due for
// appraisal (some with attachments) on a draft destruction register; then,
// after the backup, items waiting to be boxed.
func buildCrashTemplate(t *testing.T, dir string) (string, string) {
	t.Helper()
	s, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.SetClock(crashClock)
	admin, err := s.Initialize(ctx, data.SetupInput{FondsCode: "Z109", FondsName: "华东机械有限公司",
		Username: "admin", Password: adminPassword})
	if err != nil {
		t.Fatal(err)
	}
	d := mustDept(t, s, admin, "01", "销售部")
	if err := s.SetOrgCode(ctx, admin, d.ID, "XS"); err != nil {
		t.Fatal(err)
	}
	mustImport := func(in data.ImportInput) {
		t.Helper()
		res, err := s.Import(ctx, admin, in)
		if err != nil || res.Failed() {
			t.Fatalf("import: %v %+v", err, res)
		}
	}
	mustImport(crashImportInput("KH-04", 2010, "到期档案第 %d 件", crashDueItems))
	db := rawDB(t, s)
	rows, err := db.Query(`SELECT id FROM archive_items ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var due []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		due = append(due, id)
	}
	rows.Close()
	files := t.TempDir()
	for i, id := range due[:crashAttached] {
		p := filepath.Join(files, fmt.Sprintf("扫描件%d.pdf", i))
		if err := os.WriteFile(p, []byte(fmt.Sprintf("%%PDF-1.4 scan of item %d\n", id)), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddAttachment(ctx, admin, id, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ProposeDestruction(ctx, admin, data.DestructionInput{ItemIDs: due, Reason: "保管期限已满",
		Method: "粉碎"}); err != nil {
		t.Fatal(err)
	}
	res, err := s.Backup(ctx, admin, filepath.Join(filepath.Dir(dir), "backups"), data.BackupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	mustImport(crashImportInput("KH-01", 2026, "待装盒档案第 %d 件", crashBoxItems))
	return dir, res.Path
}

// copyTree copies a data directory (database and attachments).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o700)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestApprovedDestructionFilesGoOnOpen: when the program dies after an
// approval committed but before the attachment files were deleted, the
// next Open deletes them (the list written in the approval's transaction).
func TestApprovedDestructionFilesGoOnOpen(t *testing.T) {
	s, admin := mustSetup(t)
	d := mustDept(t, s, admin, "01", "销售部")
	if err := s.SetOrgCode(ctx, admin, d.ID, "XS"); err != nil {
		t.Fatal(err)
	}
	res, err := s.Import(ctx, admin, crashImportInput("KH-04", 2010, "到期档案第 %d 件", 3))
	if err != nil || res.Failed() {
		t.Fatalf("import: %v %+v", err, res)
	}
	p := filepath.Join(t.TempDir(), "扫描件.pdf")
	os.WriteFile(p, []byte("%PDF-1.4 scan"), 0o600)
	a, err := s.AddAttachment(ctx, admin, 1, p)
	if err != nil {
		t.Fatal(err)
	}
	blob := s.AttachmentPath(*a)
	reg, err := s.ProposeDestruction(ctx, admin, data.DestructionInput{ItemIDs: []int64{1, 2}, Reason: "期满", Method: "粉碎"})
	if err != nil {
		t.Fatal(err)
	}
	// The approval as the crash leaves it: rows committed, file still there.
	if err := s.ApproveDestruction(ctx, admin, reg.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(blob); !os.IsNotExist(err) {
		t.Fatalf("file of a destroyed item still there after approval: %v", err)
	}
	os.MkdirAll(filepath.Dir(blob), 0o700)
	os.WriteFile(blob, []byte("%PDF-1.4 scan"), 0o600)
	db := rawDB(t, s)
	if _, err := db.Exec(`INSERT INTO settings (key, value) VALUES ('attachments_to_remove', ?)`, a.SHA256); err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	s.Close()
	s2, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := os.Stat(blob); !os.IsNotExist(err) {
		t.Errorf("Open left the file of a destroyed item: %v", err)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM settings WHERE key = 'attachments_to_remove'`).Scan(&n)
	if n != 0 {
		t.Errorf("the list of files to remove is still there")
	}
}
