package cli

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangan/data"
)

// benchRows is the size of the Excel benchmarks (DANGAN_BENCH_ROWS to
// change it).
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("DANGAN_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

const benchCategories = 12

var benchCustomerHeader = []string{"*客户名称", "*客户分类编码", "所属部门编码", "客户类型", "助记码", "简称", "地址", "邮编",
	"电话", "邮箱", "成立日期", "注册资本（万元）", "人员数量", "法定代表人", "备注"}

func benchCustomerRow(i int) []any {
	return []any{fmt.Sprintf("测试客户%06d有限公司", i), fmt.Sprintf("%02d", i%benchCategories+1), "0101", "企业", fmt.Sprintf("cs%06d", i),
		fmt.Sprintf("测试%06d", i), fmt.Sprintf("福州市鼓楼区五四路%d号", i%999+1), "350001",
		fmt.Sprintf("0591-8%07d", i), fmt.Sprintf("c%d@example.com", i), "2020-03-01", "1200.5",
		strconv.Itoa(i%500 + 1), "张伟", "批量导入测试"}
}

var benchItemHeader = []string{"*类别编码", "*年度", "保管期限", "*所属部门编码", "*题名", "责任者", "文号", "日期", "*页数", "密级", "载体", "备注"}

func benchItemRow(i int) []any {
	return []any{"KH-02", strconv.Itoa(2000 + i%26), "D30", "0101", fmt.Sprintf("第%06d号购销合同", i), "华东机械有限公司",
		fmt.Sprintf("华机〔2026〕%d号", i), "2026-04-28", strconv.Itoa(i%40 + 1), "内部", "纸质", "批量导入测试"}
}

// writeBenchXLSX writes n rows with the StreamWriter, not timed.
func writeBenchXLSX(b *testing.B, path string, header []string, row func(int) []any, n int) {
	f := excelize.NewFile()
	defer f.Close()
	sw, _ := f.NewStreamWriter("Sheet1")
	h := make([]any, len(header))
	for i, v := range header {
		h[i] = v
	}
	sw.SetRow("A1", h)
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row(i)); err != nil {
			b.Fatal(err)
		}
	}
	sw.Flush()
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

// benchFixture is excelFixture for benchmarks.
func benchFixture(b *testing.B) (string, *data.Store, *data.User) {
	dir := b.TempDir()
	s, err := data.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := b.Context()
	admin, err := s.Initialize(ctx, data.SetupInput{FondsCode: "Z109", FondsName: "华东机械有限公司", Username: "admin", Password: "Archive2026"})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range [][2]string{{"01", "销售部"}, {"0101", "华北组"}} {
		if _, err := s.CreateDepartment(ctx, admin, d[0], d[1]); err != nil {
			b.Fatal(err)
		}
	}
	// A category holds at most 9,999 customer codes: spread the rows.
	for i := 1; i <= benchCategories; i++ {
		if _, err := s.CreateCustomerCategory(ctx, admin, fmt.Sprintf("%02d", i), fmt.Sprintf("分类%02d", i)); err != nil {
			b.Fatal(err)
		}
	}
	return dir, s, admin
}

// floorRead is a bare excelize Rows() pass over the file.
func floorRead(b *testing.B, path string) [][]string {
	f, err := excelize.OpenFile(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		cols, _ := rows.Columns()
		out = append(out, cols)
	}
	rows.Close()
	return out[1:]
}

// floorInsert runs bare prepared inserts of rows in one transaction.
func floorInsert(b *testing.B, dir, query string, args func([]string, int) []any, rows [][]string) {
	db, err := sql.Open("sqlite3", "file:"+data.DBPath(dir)+"?_fk=1&_journal_mode=WAL&_busy_timeout=5000")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	st, err := tx.Prepare(query)
	if err != nil {
		b.Fatal(err)
	}
	for i, r := range rows {
		if _, err := st.Exec(args(r, i)...); err != nil {
			b.Fatal(err)
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS lowers the process's resident set as far as it goes and
// resets its high-water mark (VmHWM) to it, so peakRSS then measures what
// follows. It reports false where /proc cannot do that.
func resetPeakRSS() bool {
	runtime.GC()
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// peakRSS is the high-water mark of the resident set in MB (VmHWM).
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.Atoi(f[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// heapPeak samples the Go heap in use until stop is closed and returns
// the largest sample in MB.
func heapPeak(stop <-chan struct{}) <-chan float64 {
	out := make(chan float64, 1)
	go func() {
		var peak uint64
		var m runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-stop:
				out <- float64(peak) / (1 << 20)
				return
			case <-t.C:
			}
		}
	}()
	return out
}

// benchReps is how many floor/ours pairs a benchmark runs back to back
// (DANGAN_BENCH_REPS, default 1); the ratios reported are the medians of
// the pairs, so that a burst of load from other processes on these shared
// cores skews one pair, not the figure.
func benchReps() int {
	if n, err := strconv.Atoi(os.Getenv("DANGAN_BENCH_REPS")); err == nil && n > 0 {
		return n
	}
	return 1
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func benchImport(b *testing.B, kind string, n int, header []string, row func(int) []any, floorSQL string,
	floorArgs func([]string, int) []any, prepare func(b *testing.B, s *data.Store, admin *data.User)) {
	path := filepath.Join(b.TempDir(), kind+".xlsx")
	writeBenchXLSX(b, path, header, row, n)
	for b.Loop() {
		var floors, ourss, ratios, cpuRatios, heaps, rsss []float64
		for rep := 0; rep < benchReps(); rep++ {
			fdir, fs, fadmin := benchFixture(b)
			if prepare != nil {
				prepare(b, fs, fadmin)
			}
			t0, c0 := time.Now(), cpuTime()
			rows := floorRead(b, path)
			floorInsert(b, fdir, floorSQL, floorArgs, rows)
			floor, floorCPU := time.Since(t0), cpuTime()-c0
			rows = nil

			_, s, admin := benchFixture(b)
			if prepare != nil {
				prepare(b, s, admin)
			}
			rss := resetPeakRSS()
			stop := make(chan struct{})
			heap := heapPeak(stop)
			t1, c1 := time.Now(), cpuTime()
			out, err := ImportFile(b.Context(), s, admin, kind, path, false, nil)
			if err != nil {
				b.Fatal(err)
			}
			if out.Failed() || out.Created != n {
				b.Fatalf("import: %s %+v", out.Summary(), out.Errors[:min(3, len(out.Errors))])
			}
			ours, oursCPU := time.Since(t1), cpuTime()-c1
			close(stop)
			floors, ourss = append(floors, floor.Seconds()), append(ourss, ours.Seconds())
			ratios = append(ratios, ours.Seconds()/floor.Seconds())
			cpuRatios = append(cpuRatios, oursCPU.Seconds()/floorCPU.Seconds())
			heaps = append(heaps, <-heap)
			if rss {
				rsss = append(rsss, peakRSS())
			}
		}
		b.ReportMetric(median(floors), "floor-s")
		b.ReportMetric(median(ourss), "import-s")
		b.ReportMetric(median(ratios), "x-floor")
		b.ReportMetric(median(cpuRatios), "cpu-x-floor")
		b.ReportMetric(float64(n)/median(ourss), "rows/s")
		b.ReportMetric(slices.Max(heaps), "heap-MB")
		if len(rsss) > 0 {
			b.ReportMetric(slices.Max(rsss), "peak-RSS-MB")
		}
	}
}

// BenchmarkImportCustomers imports 100,000 customers (15 columns) and
// compares with the floor: excelize Rows() over the same file plus bare
// prepared inserts in one transaction.
func BenchmarkImportCustomers(b *testing.B) {
	benchImport(b, data.ImportCustomers, benchRows(), benchCustomerHeader, benchCustomerRow,
		`INSERT INTO customers (code, name, name_key, kind, status, category_id, dept_id, mnemonic, short_name, address,
			postcode, phone, email, founded_on, reg_capital, employees, legal_rep, remark, created_by, created_at, updated_at)
			VALUES (?, ?, ?, 'enterprise', 'normal', 1, 2, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'admin', '', '')`,
		func(r []string, i int) []any {
			return []any{fmt.Sprintf("01%06d", i+1), r[0], r[0], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14]}
		}, nil)
}

// BenchmarkImportItems imports 100,000 archive items against the same kind
// of floor.
func BenchmarkImportItems(b *testing.B) { benchImportItems(b, benchRows()) }

// BenchmarkImportItems1M imports 1,000,000 archive items (DANGAN_BENCH_1M
// to change the count, 0 to skip) and reports the peak memory of the
// import: the resident set's high-water mark (peak-RSS-MB, SQLite's memory
// included) and the Go heap in use (heap-MB).
func BenchmarkImportItems1M(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("DANGAN_BENCH_1M")); err == nil {
		n = v
	}
	if n <= 0 {
		b.Skip("DANGAN_BENCH_1M=0")
	}
	benchImportItems(b, n)
}

func benchImportItems(b *testing.B, n int) {
	benchImport(b, data.ImportItems, n, benchItemHeader, benchItemRow,
		`INSERT INTO archive_items (category_id, class_id, fonds, class_code, year, retention, org_code, serial, code,
			sort_key, dept_id, title, author, doc_no, doc_date, pages, secrecy, carrier, remarks, created_by, created_at, updated_at)
			VALUES (?, ?, 'Z109', 'KH', ?, 'D30', '0101', ?, ?, ?, 2, ?, ?, ?, '20260428', ?, '内部', '纸质', ?, 1, '', '')`,
		func(r []string, i int) []any {
			code := fmt.Sprintf("Z109-KH·%s-D30-0101-%06d", r[1], i+1)
			return []any{kh02ID, khID, r[1], i + 1, code, code, r[4], r[5], r[6], r[8], r[11]}
		}, func(b *testing.B, s *data.Store, admin *data.User) {
			c, err := s.CategoryByCode(b.Context(), "KH-02")
			if err != nil {
				b.Fatal(err)
			}
			kh02ID, khID = c.ID, c.ParentID
			// 26 groups (years) of up to 38,462 items: six-digit 件号.
			f, err := s.Fonds(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			a, err := s.ArchiveSettings(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			a.SerialWidth = 6
			if err := s.UpdateSettings(b.Context(), admin, f, a); err != nil {
				b.Fatal(err)
			}
		})
}

var kh02ID, khID int64

// BenchmarkExportCustomers exports 100,000 customers and compares with a
// bare StreamWriter writing the same rows already in memory.
func BenchmarkExportCustomers(b *testing.B) {
	n := benchRows()
	dir, s, admin := benchFixture(b)
	db, err := sql.Open("sqlite3", "file:"+data.DBPath(dir)+"?_fk=1&_journal_mode=WAL&_busy_timeout=5000")
	if err != nil {
		b.Fatal(err)
	}
	tx, _ := db.Begin()
	st, err := tx.Prepare(`INSERT INTO customers (code, name, name_key, kind, status, category_id, dept_id, mnemonic,
		short_name, address, postcode, phone, email, founded_on, reg_capital, employees, legal_rep, remark, created_by,
		created_at, updated_at) VALUES (?, ?, ?, 'enterprise', 'normal', 1, 2, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'admin', '', '')`)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		r := benchCustomerRow(i)
		if _, err := st.Exec(fmt.Sprintf("01%06d", i+1), r[0], r[0], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14]); err != nil {
			b.Fatal(err)
		}
	}
	tx.Commit()
	db.Close()
	cols := data.CustomerExportColumns()
	out := b.TempDir()
	// The floor writes the very cells the export writes, already in memory
	// (read beforehand, not timed), as plain strings.
	var all [][]any
	if err := s.ExportCustomers(b.Context(), admin, data.CustomerFilter{}, func(r []string) error {
		row := make([]any, len(r))
		for i, v := range r {
			if v != "" {
				row[i] = v
			}
		}
		all = append(all, row)
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var floors, ourss, ratios, cpuRatios []float64
		for rep := 0; rep < benchReps(); rep++ {
			t0, c0 := time.Now(), cpuTime()
			f := excelize.NewFile()
			sw, _ := f.NewStreamWriter("Sheet1")
			for i, row := range all {
				cell, _ := excelize.CoordinatesToCellName(1, i+2)
				sw.SetRow(cell, row)
			}
			sw.Flush()
			if err := f.SaveAs(filepath.Join(out, "floor.xlsx")); err != nil {
				b.Fatal(err)
			}
			f.Close()
			floor, floorCPU := time.Since(t0), cpuTime()-c0

			t1, c1 := time.Now(), cpuTime()
			got, err := ExportFile(filepath.Join(out, "c.xlsx"), "客户", cols, func(add func([]string) error) error {
				return s.ExportCustomers(b.Context(), admin, data.CustomerFilter{}, add)
			})
			if err != nil || got != n {
				b.Fatalf("export %d: %v", got, err)
			}
			ours, oursCPU := time.Since(t1), cpuTime()-c1
			floors, ourss = append(floors, floor.Seconds()), append(ourss, ours.Seconds())
			ratios = append(ratios, ours.Seconds()/floor.Seconds())
			cpuRatios = append(cpuRatios, oursCPU.Seconds()/floorCPU.Seconds())
		}
		b.ReportMetric(median(floors), "floor-s")
		b.ReportMetric(median(ourss), "export-s")
		b.ReportMetric(median(ratios), "x-floor")
		b.ReportMetric(median(cpuRatios), "cpu-x-floor")
	}
}
