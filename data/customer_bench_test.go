package data_test

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"dangan/data"
)

// The benchmark fixture: the synthetic office's 100,000 customers with 2–3
// contacts and a few communication records each (the same copy as the
// archive benchmarks', see bigStore). Every benchmark times its query many
// times within one b.N iteration and reports the median and p95 next to
// the median of its floor (x-floor): the bare SQL for the same page and
// total, from the same indexes, without scope checks, joins for display or
// Go-side work.
const benchCustomers = 100_000

var (
	benchOnce  sync.Once
	benchStore *data.Store
	benchAdmin *data.User
	benchOper  *data.User // op01: an operator of 销售一部 (about a third of the customers)
	benchErr   error
)

// closeCustomerBench: the fixture is bigStore's, removed by closeItemBench.
func closeCustomerBench() {}

var (
	benchPlaces   = []string{"北京", "上海", "重庆", "厦门", "长沙", "广州", "深圳", "天津", "青岛", "杭州", "成都", "武汉", "西安", "南京", "苏州", "郑州", "济南", "合肥", "沈阳", "大连"}
	benchSyllable = []rune("海华宏达兴盛鑫源恒泰博远通利天安东方金诚新联中信汇嘉德瑞祥荣昌丰润和美佳乐永康")
	benchSuffix   = []string{"科技有限公司", "贸易有限公司", "机械制造厂", "商业银行支行", "建设工程有限公司", "物流有限公司", "食品有限公司", "电子有限公司", "医药连锁", "酒店管理有限公司"}
)

// benchName returns a company name in the style of the synthetic office's.
func benchName(i int) string {
	n := len(benchSyllable)
	a, b := benchSyllable[i%n], benchSyllable[(i/n)%n]
	rest := i / (n * n)
	place := benchPlaces[rest%len(benchPlaces)]
	suffix := benchSuffix[(rest/len(benchPlaces))%len(benchSuffix)]
	tag := ""
	if extra := rest / (len(benchPlaces) * len(benchSuffix)); extra > 0 {
		tag = fmt.Sprint(extra) // keeps names unique past the combinations
	}
	return place + string(a) + string(b) + tag + suffix
}

// benchFixture returns the store with 100,000 customers, its admin and an
// operator limited to one department.
func benchFixture(b *testing.B) (*data.Store, *data.User, *data.User) {
	b.Helper()
	s, admin, _ := bigStore(b)
	benchOnce.Do(func() {
		benchStore, benchAdmin = s, admin
		benchOper, benchErr = s.Authenticate(ctx, "op01", data.SyntheticPassword)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore, benchAdmin, benchOper
}

// reportLatency records median and p95 of the timings in milliseconds.
func reportLatency(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), "median-ms")
	b.ReportMetric(ms(ds[(len(ds)*95)/100]), "p95-ms")
}

// timeQuery runs fn max(b.N, benchRuns) times (fewer when slow, see
// benchDone) and returns the timings.
func timeQuery(b *testing.B, fn func() error) []time.Duration {
	var ds []time.Duration
	start := time.Now()
	b.ResetTimer()
	for i := 0; !benchDone(b, i, start); i++ {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	return ds
}

// customerFloor is a bare page query plus the bare count of the same rows.
func customerFloor(page, count string, args ...any) func() error {
	return func() error {
		rows, err := big.raw.Query(page, args...)
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var id int64
			var code, name string
			if err := rows.Scan(&id, &code, &name); err != nil {
				rows.Close()
				return err
			}
			n++
		}
		rows.Close()
		if n == 0 {
			return fmt.Errorf("floor page is empty")
		}
		var total int
		return big.raw.QueryRow(count, args...).Scan(&total)
	}
}

// BenchmarkCustomerFloor is the bare indexed query of the first page by
// code, on its own.
func BenchmarkCustomerFloor(b *testing.B) {
	s, _, _ := benchFixture(b)
	db, err := openRaw(data.DBPath(s.Dir()))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ds := timeQuery(b, func() error {
		rows, err := db.Query(`SELECT id, code, name FROM customers ORDER BY code LIMIT 100`)
		if err != nil {
			return err
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id int64
			var code, name string
			if err := rows.Scan(&id, &code, &name); err != nil {
				return err
			}
			n++
		}
		if n != 100 {
			return fmt.Errorf("floor got %d rows", n)
		}
		return rows.Err()
	})
	reportLatency(b, ds)
}

func benchFind(b *testing.B, u func() *data.User, f data.CustomerFilter, wantMin int, floor func() error) {
	s, _, _ := benchFixture(b)
	actor := u()
	timedFloor(b, func() error {
		rows, total, err := s.FindCustomers(ctx, actor, f)
		if err == nil && (total < wantMin || len(rows) == 0) {
			err = fmt.Errorf("%+v: %d rows of %d", f, len(rows), total)
		}
		return err
	}, floor)
}

// BenchmarkCustomerFirstPage is the list as it opens: the first 100 rows by
// code, with the total.
func BenchmarkCustomerFirstPage(b *testing.B) {
	benchFind(b, func() *data.User { return benchAdmin }, data.CustomerFilter{}, benchCustomers,
		customerFloor(`SELECT id, code, name FROM customers ORDER BY code LIMIT 100`, `SELECT count(*) FROM customers`))
}

// BenchmarkCustomerFirstPageOperator is the same for an operator limited to
// one department (a fifth of the customers).
func BenchmarkCustomerFirstPageOperator(b *testing.B) {
	benchFind(b, func() *data.User { return benchOper }, data.CustomerFilter{}, 10_000,
		customerFloor(`SELECT id, code, name FROM customers WHERE +dept_id = ? ORDER BY code LIMIT 100`,
			`SELECT count(*) FROM customers WHERE dept_id = ?`, benchOperDept(b)))
}

// benchOperDept is the department of the fixture's operator.
func benchOperDept(b *testing.B) int64 {
	_, _, oper := benchFixture(b)
	return oper.DeptID
}

// BenchmarkCustomerFirstPageByPinyin sorts by 助记码.
func BenchmarkCustomerFirstPageByPinyin(b *testing.B) {
	benchFind(b, func() *data.User { return benchAdmin }, data.CustomerFilter{Sort: data.SortByMnemonic}, benchCustomers,
		customerFloor(`SELECT id, code, name FROM customers ORDER BY mnemonic, code LIMIT 100`, `SELECT count(*) FROM customers`))
}

// BenchmarkCustomerFilter combines the drop-down filters.
func BenchmarkCustomerFilter(b *testing.B) {
	benchFind(b, func() *data.User { return benchAdmin },
		data.CustomerFilter{CategoryCode: "02", Grade: "A", Region: "华东"}, 100,
		customerFloor(`SELECT id, code, name FROM customers WHERE category_id IN (SELECT id FROM customer_categories
			WHERE code >= '02' AND code < '03') AND grade = 'A' AND region = '华东' ORDER BY code LIMIT 100`,
			`SELECT count(*) FROM customers WHERE category_id IN (SELECT id FROM customer_categories
			WHERE code >= '02' AND code < '03') AND grade = 'A' AND region = '华东'`))
}

// BenchmarkCustomerLastPage jumps to the end of the unfiltered list.
func BenchmarkCustomerLastPage(b *testing.B) {
	benchFind(b, func() *data.User { return benchAdmin },
		data.CustomerFilter{Offset: benchCustomers - 100}, benchCustomers,
		customerFloor(`SELECT id, code, name FROM customers ORDER BY code LIMIT 100 OFFSET `+fmt.Sprint(benchCustomers-100),
			`SELECT count(*) FROM customers`))
}

// BenchmarkCustomerSearch types queries one character at a time, as in the
// search box, and reports the median and p95 of each keystroke's query.
func BenchmarkCustomerSearch(b *testing.B) {
	s, admin, _ := benchFixture(b)
	benchTyping(b, s, admin)
}

// BenchmarkCustomerSearchOperator is the same for an operator of one
// department: every count checks the department of each match.
func BenchmarkCustomerSearchOperator(b *testing.B) {
	s, _, oper := benchFixture(b)
	benchTyping(b, s, oper)
}

func benchTyping(b *testing.B, s *data.Store, actor *data.User) {
	typed := []string{"北京海淀", "bjhd", "cqhd", "yh", "银行支行", "010", "重庆", "xm", "0200", "13"}
	var ours, base []time.Duration
	start := time.Now()
	b.ResetTimer()
	// Every keystroke of every query is one run, timed beside its floor.
	for i := 0; !benchDone(b, i, start) || i == 0; i++ {
		for _, q := range typed {
			r := []rune(q)
			for n := 1; n <= len(r); n++ {
				t0 := time.Now()
				if _, _, err := s.FindCustomers(ctx, actor, data.CustomerFilter{Search: string(r[:n])}); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := searchFloor(strings.ToLower(string(r[:n]))); err != nil {
					b.Fatal(err)
				}
				ours, base = append(ours, t1.Sub(t0)), append(base, time.Since(t1))
			}
		}
		if i+1 >= max(b.N, 1) && time.Since(start) > 2*time.Second {
			break
		}
	}
	b.StopTimer()
	reportLatency(b, ours)
	sortDurations(base)
	b.ReportMetric(float64(base[len(base)/2].Microseconds())/1000, "floor-ms")
	b.ReportMetric(float64(ours[len(ours)/2])/float64(max(base[len(base)/2], time.Microsecond)), "x-floor")
}

// searchFloor is the bare search of q: the trigram index for 3 characters
// or more, a scan of the narrow search_short index below that; a page of
// 100 by code and a count of at most 1,001 matches.
func searchFloor(q string) error {
	var page, count string
	arg := q
	if utf8.RuneCountInString(q) >= 3 {
		arg = `"` + q + `"`
		page = `SELECT id, code, name FROM customers WHERE id IN (SELECT rowid FROM customer_search
			WHERE customer_search MATCH ?) ORDER BY code LIMIT 100`
		count = `SELECT count(*) FROM (SELECT rowid FROM customer_search WHERE customer_search MATCH ? LIMIT 1001)`
	} else {
		page = `SELECT id, code, name FROM customers WHERE instr(search_short, ?) > 0 ORDER BY code LIMIT 100`
		count = `SELECT count(*) FROM (SELECT 1 FROM customers WHERE instr(search_short, ?) > 0 LIMIT 1001)`
	}
	rows, err := big.raw.Query(page, arg)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	var n int
	return big.raw.QueryRow(count, arg).Scan(&n)
}

// openRaw opens a second connection to a database file, around the API.
func openRaw(path string) (*sql.DB, error) {
	return sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000&_fk=1")
}
