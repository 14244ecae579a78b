package data_test

import (
	"database/sql"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"dangan/data"
)

// Benchmarks of the archive register (issue 3):
//
//	go test -tags 'sqlite_fts5 migrated_fynedo' -run '^$' -bench . ./data/
//
// The 1,000,000-item fixture is built once per run with one transaction and
// a prepared statement, not through CreateItem, and removed at the end.

const bigItems = 1_000_000

var big struct {
	once  sync.Once
	dir   string
	s     *data.Store
	admin *data.User
	kh02  int64
	err   error
}

// closeItemBench removes the shared 1,000,000-item fixture.
func closeItemBench() {
	if big.s != nil {
		big.s.Close()
	}
	if big.dir != "" {
		os.RemoveAll(big.dir)
	}
}

// bigStore returns the shared store with 1,000,000 items: six KH 类别,
// years 2000–2026, three departments, 件号 counted per group.
func bigStore(b *testing.B) (*data.Store, *data.User, int64) {
	b.Helper()
	big.once.Do(func() { big.err = buildBig() })
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.s, big.admin, big.kh02
}

func buildBig() error {
	dir, err := os.MkdirTemp("", "dangan-bench-")
	if err != nil {
		return err
	}
	big.dir = dir
	s, err := data.Open(dir)
	if err != nil {
		return err
	}
	big.s = s
	admin, err := s.Initialize(ctx, data.SetupInput{FondsCode: "Z109", FondsName: "华东机械有限公司", Username: "admin", Password: adminPassword})
	if err != nil {
		return err
	}
	big.admin = admin
	var depts []int64
	orgs := []string{"XS", "CW", "BG"}
	for i, org := range orgs {
		d, err := s.CreateDepartment(ctx, admin, fmt.Sprintf("%02d", i+1), "部门"+org)
		if err != nil {
			return err
		}
		if err := s.SetOrgCode(ctx, admin, d.ID, org); err != nil {
			return err
		}
		depts = append(depts, d.ID)
	}
	cats, err := s.FindCategories(ctx)
	if err != nil {
		return err
	}
	var kh []data.Category
	for _, c := range cats {
		if c.ClassCode == "KH" && !c.IsClass() {
			kh = append(kh, c)
		}
		if c.FullCode() == "KH-02" {
			big.kh02 = c.ID
		}
	}
	db, err := sql.Open("sqlite3", "file:"+data.DBPath(dir)+"?_busy_timeout=10000&_fk=1")
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	// Indexes are dropped for the load and rebuilt after: building a sorted
	// index once is far faster than updating nine of them per row.
	var names, indexes []string
	// The search index's triggers go too: one FTS 'rebuild' at the end is
	// about 3× faster than the triggers row by row (NOTES).
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE tbl_name = 'archive_items'
		AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return err
		}
		names, indexes = append(names, name), append(indexes, q)
	}
	rows.Close()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	for i, name := range names {
		kind := "INDEX"
		if strings.HasPrefix(indexes[i], "CREATE TRIGGER") {
			kind = "TRIGGER"
		}
		if _, err := tx.Exec(`DROP ` + kind + ` ` + name); err != nil {
			tx.Rollback()
			return err
		}
	}
	st, err := tx.Prepare(`INSERT INTO archive_items (category_id, class_id, fonds, class_code, year, retention,
		org_code, serial, code, sort_key, dept_id, title, author, doc_no, doc_date, pages, secrecy, created_at, updated_at)
		VALUES (?, ?, 'Z109', 'KH', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	cp, _ := data.ParseCodePattern(data.DefaultCodePattern)
	serials := map[data.CodeGroup]int{}
	now := "2026-05-01T09:00:00Z"
	for i := 0; i < bigItems; i++ {
		c := kh[i%len(kh)]
		dept := (i / 7) % len(orgs)
		g := data.CodeGroup{Fonds: "Z109", Class: "KH", Year: 2000 + (i/11)%27, Retention: c.Retention, Org: orgs[dept]}
		serials[g]++
		n := serials[g]
		secrecy := "公开"
		if i%10 == 0 {
			secrecy = "内部"
		}
		if _, err := st.Exec(c.ID, c.ParentID, g.Year, g.Retention, g.Org, n, cp.Format(g, n, 4), cp.SortKey(g, n),
			depts[dept], fmt.Sprintf("客户往来文件第 %d 号", i), "销售部", fmt.Sprintf("华机〔%d〕%d号", g.Year, n),
			fmt.Sprintf("%d0315", g.Year), 1+i%40, secrecy, now, now); err != nil {
			tx.Rollback()
			return err
		}
	}
	st.Close()
	for _, q := range indexes {
		if _, err := tx.Exec(q); err != nil {
			tx.Rollback()
			return err
		}
	}
	if _, err := tx.Exec(`INSERT INTO archive_items_fts (archive_items_fts) VALUES ('rebuild')`); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := db.Exec(`ANALYZE`); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench fixture: %d items in %s\n", bigItems, time.Since(start).Round(time.Millisecond))
	return nil
}

// timed runs fn b.N times and reports the median and p95 latency.
func timed(b *testing.B, fn func() error) {
	b.Helper()
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t0))
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(durs[len(durs)*95/100].Microseconds())/1000, "ms-p95")
}

var benchFilter = func(kh02 int64) data.ItemFilter {
	return data.ItemFilter{CategoryID: kh02, Year: 2020, Limit: 100}
}

// BenchmarkItemsFirstPage1M: the filtered first page the archive tab asks
// for (类别 + 年度, 100 rows, joined for display), at 1,000,000 items.
func BenchmarkItemsFirstPage1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timed(b, func() error {
		items, err := s.FindItems(ctx, admin, benchFilter(kh02))
		if err == nil && len(items) != 100 {
			err = fmt.Errorf("page has %d items", len(items))
		}
		return err
	})
}

// BenchmarkItemsFirstPageSecrecy1M adds a filter without its own index
// (密级), walked along the 类别+年度 index.
func BenchmarkItemsFirstPageSecrecy1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	f := benchFilter(kh02)
	f.Secrecy = "内部"
	timed(b, func() error {
		_, err := s.FindItems(ctx, admin, f)
		return err
	})
}

// BenchmarkItemsUnfilteredPage1M: the first page of everything.
func BenchmarkItemsUnfilteredPage1M(b *testing.B) {
	s, admin, _ := bigStore(b)
	timed(b, func() error {
		_, err := s.FindItems(ctx, admin, data.ItemFilter{Limit: 100})
		return err
	})
}

// BenchmarkItemsDeepPageOffset1M: a page half-way down the unfiltered
// list by OFFSET (what a scrollbar jump costs).
func BenchmarkItemsDeepPageOffset1M(b *testing.B) {
	s, admin, _ := bigStore(b)
	timed(b, func() error {
		_, err := s.FindItems(ctx, admin, data.ItemFilter{Offset: bigItems / 2, Limit: 200})
		return err
	})
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
	timed(b, func() error {
		page, err := s.FindItems(ctx, admin, data.ItemFilter{After: after, Limit: 200})
		if err == nil && len(page) != 200 {
			err = fmt.Errorf("page has %d items", len(page))
		}
		return err
	})
}

// BenchmarkItemsTextPage1M and BenchmarkItemsTextCount1M: a text search
// (trigram index) within one 类别: first page and count.
func BenchmarkItemsTextPage1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timed(b, func() error {
		_, err := s.FindItems(ctx, admin, data.ItemFilter{CategoryID: kh02, Text: "第 12345 号", Limit: 100})
		return err
	})
}

func BenchmarkItemsTextCount1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timed(b, func() error {
		_, err := s.CountItems(ctx, admin, data.ItemFilter{CategoryID: kh02, Text: "第 12345 号"})
		return err
	})
}

// BenchmarkItemsShortTextCount1M: a two-character search has no index
// (trigrams need three): a LIKE scan of the 类别.
func BenchmarkItemsShortTextCount1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timed(b, func() error {
		_, err := s.CountItems(ctx, admin, data.ItemFilter{CategoryID: kh02, Text: "45"})
		return err
	})
}

// BenchmarkItemsCount1M: the filtered count shown beside the list.
func BenchmarkItemsCount1M(b *testing.B) {
	s, admin, kh02 := bigStore(b)
	timed(b, func() error {
		n, err := s.CountItems(ctx, admin, benchFilter(kh02))
		if err == nil && n == 0 {
			err = fmt.Errorf("count 0")
		}
		return err
	})
}

// BenchmarkItemsCountAll1M: the unfiltered count shown when the tab opens.
func BenchmarkItemsCountAll1M(b *testing.B) {
	s, admin, _ := bigStore(b)
	timed(b, func() error {
		_, err := s.CountItems(ctx, admin, data.ItemFilter{})
		return err
	})
}

// BenchmarkItemsFirstPageFloor1M is the floor: a bare indexed SELECT of the
// same page (same filter, same order, no joins, no scope check).
func BenchmarkItemsFirstPageFloor1M(b *testing.B) {
	s, _, kh02 := bigStore(b)
	db, err := sql.Open("sqlite3", "file:"+data.DBPath(s.Dir())+"?mode=ro")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	timed(b, func() error {
		rows, err := db.Query(`SELECT id, code, title FROM archive_items WHERE category_id = ? AND year = ?
			ORDER BY sort_key, id LIMIT 100`, kh02, 2020)
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
		if n != 100 {
			return fmt.Errorf("floor page has %d rows", n)
		}
		return rows.Err()
	})
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
		b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "items/s")
	}
}
