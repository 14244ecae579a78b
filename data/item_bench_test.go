package data_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"dangan/data"
)

// Benchmarks of the archive register (issue 3):
//
//	go test -tags 'sqlite_fts5 migrated_fynedo' -run '^$' -bench . ./data/
//
// The 1,000,000-item fixture is a copy of the synthetic office
// (data.SyntheticOffice: 1,000,000 items of 10 years in 20,000 boxes, 8
// departments), built once per machine and schema, copied once per test
// process and removed at the end. Every benchmark times its query many
// times within one b.N iteration and reports the median and p95 next to
// the median of its floor: the bare SQL that returns the same rows from the
// same indexes, without joins, scope checks or Go-side work (x-floor).

const bigItems = 1_000_000

var big struct {
	once  sync.Once
	dir   string
	s     *data.Store
	admin *data.User
	kh02  int64
	raw   *sql.DB // read-only connection for the floors
	err   error
}

// closeItemBench removes the shared 1,000,000-item fixture.
func closeItemBench() {
	if big.raw != nil {
		big.raw.Close()
	}
	if big.s != nil {
		big.s.Close()
	}
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
}

// bigStore returns the shared store with 1,000,000 items and its admin and
// the id of 类别 KH-02.
func bigStore(b *testing.B) (*data.Store, *data.User, int64) {
	b.Helper()
	big.once.Do(func() { big.err = buildBig() })
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.s, big.admin, big.kh02
}

func buildBig() error {
	start := time.Now()
	dir, err := os.MkdirTemp("", "dangan-bench-")
	if err != nil {
		return err
	}
	big.dir = dir
	d, err := data.CopySyntheticOffice(ctx, data.SyntheticSize{}, filepath.Join(dir, "d"))
	if err != nil {
		return err
	}
	if big.s, err = data.Open(d); err != nil {
		return err
	}
	if big.admin, err = big.s.Authenticate(ctx, data.SyntheticUser, data.SyntheticPassword); err != nil {
		return err
	}
	cats, err := big.s.FindCategories(ctx)
	if err != nil {
		return err
	}
	for _, c := range cats {
		if c.FullCode() == "KH-02" {
			big.kh02 = c.ID
		}
	}
	if big.raw, err = sql.Open("sqlite3", "file:"+data.DBPath(d)+"?mode=ro"); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench fixture: synthetic office of %d items copied in %s\n", bigItems,
		time.Since(start).Round(time.Millisecond))
	return nil
}

// benchRuns is how many times a query is timed within one b.N iteration
// (make bench runs -benchtime 1x).
const benchRuns = 25

// timed runs fn max(b.N, benchRuns) times (fewer when slow, see
// benchDone) and reports its median and p95.
func timed(b *testing.B, fn func() error) {
	b.Helper()
	reportLatencyMs(b, timeQuery(b, fn))
}

// timedFloor runs fn and its floor alternately, as often as timed, and
// reports fn's median and p95, the floor's median and their ratio.
func timedFloor(b *testing.B, fn, floor func() error) {
	b.Helper()
	var ours, base []time.Duration
	start := time.Now()
	b.ResetTimer()
	for i := 0; !benchDone(b, i, start); i++ {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := floor(); err != nil {
			b.Fatalf("floor: %v", err)
		}
		ours, base = append(ours, t1.Sub(t0)), append(base, time.Since(t1))
	}
	b.StopTimer()
	reportLatencyMs(b, ours)
	sortDurations(base)
	med, fmed := ours[len(ours)/2], base[len(base)/2]
	b.ReportMetric(float64(fmed.Microseconds())/1000, "floor-ms")
	b.ReportMetric(float64(med)/float64(max(fmed, time.Microsecond)), "x-floor")
}

// benchDone says whether a timing loop that has done i runs since start
// may stop: after b.N runs and benchRuns runs, or after 5 seconds and at
// least 5 runs (a slow query), and never before one.
func benchDone(b *testing.B, i int, start time.Time) bool {
	if i < max(b.N, 1) {
		return false
	}
	return i >= benchRuns || (i >= 5 && time.Since(start) > 5*time.Second)
}

func reportLatencyMs(b *testing.B, ds []time.Duration) {
	sortDurations(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), "ms-median")
	b.ReportMetric(ms(ds[len(ds)*95/100]), "ms-p95")
}

func sortDurations(ds []time.Duration) { sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] }) }

// floorRows runs a bare query on the read-only connection and checks the
// number of rows it returns (want < 0: any).
func floorRows(want int, q string, args ...any) func() error {
	return func() error {
		rows, err := big.raw.Query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id int64
			var code, title string
			if err := rows.Scan(&id, &code, &title); err != nil {
				return err
			}
			n++
		}
		if want >= 0 && n != want {
			return fmt.Errorf("floor returned %d rows, want %d", n, want)
		}
		return rows.Err()
	}
}

// floorCount runs a bare count on the read-only connection.
func floorCount(q string, args ...any) func() error {
	return func() error {
		var n int
		return big.raw.QueryRow(q, args...).Scan(&n)
	}
}

const floorCols = `SELECT id, code, title FROM archive_items `

// The year the item benchmarks filter on: in the middle of the office's.
func benchYear() int {
	first, last := data.SyntheticYears(data.SyntheticSize{})
	return (first + last) / 2
}

var benchFilter = func(kh02 int64) data.ItemFilter {
	return data.ItemFilter{CategoryID: kh02, Year: benchYear(), Limit: 100}
}

// benchText is found by the trigram index in the titles of the items of a
// few dozen customers (…海华科技有限公司).
const benchText = "海华科技"

// BenchmarkItemsFirstPage1M: the filtered first page the archive tab asks
// for (类别 + 年度, 100 rows, joined for display), at 1,000,000 items.
func BenchmarkItemsFirstPage1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timedFloor(b, func() error {
		items, err := s.FindItems(ctx, admin, benchFilter(kh02))
		if err == nil && len(items) != 100 {
			err = fmt.Errorf("page has %d items", len(items))
		}
		return err
	}, floorRows(100, floorCols+`WHERE category_id = ? AND year = ? ORDER BY sort_key, id LIMIT 100`, kh02, benchYear()))
}

// BenchmarkItemsFirstPageSecrecy1M adds a filter without its own index
// (密级), walked along the 类别+年度 index.
func BenchmarkItemsFirstPageSecrecy1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	f := benchFilter(kh02)
	f.Secrecy = "内部"
	timedFloor(b, func() error {
		_, err := s.FindItems(ctx, admin, f)
		return err
	}, floorRows(-1, floorCols+`WHERE category_id = ? AND year = ? AND secrecy = '内部' ORDER BY sort_key, id LIMIT 100`,
		kh02, benchYear()))
}

// BenchmarkItemsUnfilteredPage1M: the first page of everything.
func BenchmarkItemsUnfilteredPage1M(b *testing.B) {
	s, admin, _ := bigStore(b)
	timedFloor(b, func() error {
		_, err := s.FindItems(ctx, admin, data.ItemFilter{Limit: 100})
		return err
	}, floorRows(100, floorCols+`ORDER BY sort_key, id LIMIT 100`))
}

// BenchmarkItemsDeepPageOffset1M: a page half-way down the unfiltered
// list by OFFSET (what a scrollbar jump costs).
func BenchmarkItemsDeepPageOffset1M(b *testing.B) {
	s, admin, _ := bigStore(b)
	timedFloor(b, func() error {
		_, err := s.FindItems(ctx, admin, data.ItemFilter{Offset: bigItems / 2, Limit: 200})
		return err
	}, floorRows(200, floorCols+`ORDER BY sort_key, id LIMIT 200 OFFSET ?`, bigItems/2))
}

// BenchmarkItemsDeepPageKeyset1M: the same depth continued from the
// previous page's last item (what scrolling down costs).
func BenchmarkItemsDeepPageKeyset1M(b *testing.B) {
	s, admin, _ := bigStore(b)
	prev, err := s.FindItems(ctx, admin, data.ItemFilter{Offset: bigItems/2 - 200, Limit: 200})
	if err != nil {
		b.Fatal(err)
	}
	after := &prev[len(prev)-1]
	var key string
	if err := big.raw.QueryRow(`SELECT sort_key FROM archive_items WHERE id = ?`, after.ID).Scan(&key); err != nil {
		b.Fatal(err)
	}
	timedFloor(b, func() error {
		page, err := s.FindItems(ctx, admin, data.ItemFilter{After: after, Limit: 200})
		if err == nil && len(page) != 200 {
			err = fmt.Errorf("page has %d items", len(page))
		}
		return err
	}, floorRows(200, floorCols+`WHERE sort_key > ? ORDER BY sort_key, id LIMIT 200`, key))
}

// BenchmarkItemsTextPage1M and BenchmarkItemsTextCount1M: a text search
// (trigram index) within one 类别: first page and count.
func BenchmarkItemsTextPage1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timedFloor(b, func() error {
		items, err := s.FindItems(ctx, admin, data.ItemFilter{CategoryID: kh02, Text: benchText, Limit: 100})
		if err == nil && len(items) == 0 {
			err = fmt.Errorf("nothing found")
		}
		return err
	}, floorRows(-1, floorCols+`WHERE category_id = ? AND id IN (SELECT rowid FROM archive_items_fts
		WHERE archive_items_fts MATCH ?) ORDER BY sort_key, id LIMIT 100`, kh02, `"`+benchText+`"`))
}

func BenchmarkItemsTextCount1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timedFloor(b, func() error {
		_, err := s.CountItems(ctx, admin, data.ItemFilter{CategoryID: kh02, Text: benchText})
		return err
	}, floorCount(`SELECT count(*) FROM archive_items WHERE category_id = ? AND id IN (SELECT rowid FROM archive_items_fts
		WHERE archive_items_fts MATCH ?)`, kh02, `"`+benchText+`"`))
}

// BenchmarkItemsShortTextCount1M: a two-character search has no index
// (trigrams need three): a LIKE scan of the 类别.
func BenchmarkItemsShortTextCount1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timedFloor(b, func() error {
		_, err := s.CountItems(ctx, admin, data.ItemFilter{CategoryID: kh02, Text: "45"})
		return err
	}, floorCount(`SELECT count(*) FROM archive_items WHERE category_id = ? AND (title LIKE '%45%'
		OR code LIKE '%45%' OR doc_no LIKE '%45%' OR author LIKE '%45%')`, kh02))
}

// BenchmarkItemsCount1M: the filtered count shown beside the list.
func BenchmarkItemsCount1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timedFloor(b, func() error {
		n, err := s.CountItems(ctx, admin, benchFilter(kh02))
		if err == nil && n == 0 {
			err = fmt.Errorf("count 0")
		}
		return err
	}, floorCount(`SELECT count(*) FROM archive_items WHERE category_id = ? AND year = ?`, kh02, benchYear()))
}

// BenchmarkItemsCountAll1M: the unfiltered count shown when the tab opens.
func BenchmarkItemsCountAll1M(b *testing.B) {
	s, admin, _ := bigStore(b)
	timedFloor(b, func() error {
		_, err := s.CountItems(ctx, admin, data.ItemFilter{})
		return err
	}, floorCount(`SELECT count(*) FROM archive_items`))
}

// BenchmarkRegister100k registers 100,000 items through CreateItem (each its
// own transaction, with the audit row), spread over 40 years so that no
// group runs out of 4-digit 件号.
func BenchmarkRegister100k(b *testing.B) {
	const n = 100_000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := mustArchive(b)
		in := f.input("")
		b.StartTimer()
		t0 := time.Now()
		for j := 0; j < n; j++ {
			in.Title = fmt.Sprintf("购销合同第 %d 号", j)
			in.Year = 1990 + j%40
			if _, err := f.s.CreateItem(ctx, f.admin, in); err != nil {
				b.Fatal(err)
			}
		}
		ours := float64(n) / time.Since(t0).Seconds()
		b.StopTimer()
		floor, err := registerFloor(f.s, f.kh02, f.sales.ID, 10_000)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(ours, "items/s")
		b.ReportMetric(floor, "floor-items/s")
		b.ReportMetric(floor/ours, "x-floor")
	}
}

// registerFloor is the floor of registering: n transactions that each
// insert one item row (its search index row by trigger) and one audit row
// with prepared statements on a connection of the same settings, no checks.
// It returns items per second.
func registerFloor(s *data.Store, cat *data.Category, dept int64, n int) (float64, error) {
	db, err := sql.Open("sqlite3", "file:"+data.DBPath(s.Dir())+
		"?_busy_timeout=10000&_fk=1&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate")
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	item, err := db.Prepare(`INSERT INTO archive_items (category_id, class_id, fonds, class_code, year, retention,
		org_code, serial, code, sort_key, dept_id, title, pages, doc_date, created_at, updated_at)
		VALUES (?, ?, 'Z109', 'KH', ?, ?, 'FLOOR', ?, ?, ?, ?, ?, 3, '20260428', ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer item.Close()
	audit, err := db.Prepare(`INSERT INTO audit_log (at, user_id, user_name, entity, entity_id, action, summary, changes)
		VALUES (?, 1, 'admin', 'archive_item', ?, 'create', ?, '')`)
	if err != nil {
		return 0, err
	}
	defer audit.Close()
	t0 := time.Now()
	for j := 0; j < n; j++ {
		now := time.Now().UTC().Format(time.RFC3339)
		code := fmt.Sprintf("Z109-KH·%d-%s-FLOOR-%04d", 1990+j%40, cat.Retention, j/40+1)
		tx, err := db.Begin()
		if err != nil {
			return 0, err
		}
		if _, err := tx.Stmt(item).Exec(cat.ID, cat.ParentID, 1990+j%40, cat.Retention, j/40+1, code, code, dept,
			fmt.Sprintf("购销合同第 %d 号", j), now, now); err != nil {
			tx.Rollback()
			return 0, err
		}
		if _, err := tx.Stmt(audit).Exec(now, code, "登记档案 "+code); err != nil {
			tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(t0).Seconds(), nil
}
