package data_test

import (
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"dangan/data"
)

// The benchmark fixture: 100,000 customers with 3 contacts each, built once
// per run with one transaction and prepared statements.
const benchCustomers = 100_000

var (
	benchOnce  sync.Once
	benchStore *data.Store
	benchAdmin *data.User
	benchOper  *data.User
	benchDir   string
	benchErr   error
)

// closeCustomerBench removes the shared 100,000-customer fixture.
func closeCustomerBench() {
	if benchStore != nil {
		benchStore.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
}

var (
	benchPlaces   = []string{"北京", "上海", "重庆", "厦门", "长沙", "广州", "深圳", "天津", "青岛", "杭州", "成都", "武汉", "西安", "南京", "苏州", "郑州", "济南", "合肥", "沈阳", "大连"}
	benchSyllable = []rune("海华宏达兴盛鑫源恒泰博远通利天安东方金诚新联中信汇嘉德瑞祥荣昌丰润和美佳乐永康")
	benchSuffix   = []string{"科技有限公司", "贸易有限公司", "机械制造厂", "商业银行支行", "建设工程有限公司", "物流有限公司", "食品有限公司", "电子有限公司", "医药连锁", "酒店管理有限公司"}
)

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

func benchFixture(b *testing.B) (*data.Store, *data.User, *data.User) {
	b.Helper()
	benchOnce.Do(func() { benchErr = buildBenchFixture() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore, benchAdmin, benchOper
}

func buildBenchFixture() error {
	start := time.Now()
	dir, err := os.MkdirTemp("", "dangan-bench-")
	if err != nil {
		return err
	}
	benchDir = dir
	s, err := data.Open(filepath.Join(dir, "d"))
	if err != nil {
		return err
	}
	benchStore = s
	admin, err := s.Initialize(ctx, data.SetupInput{FondsCode: "Z109", FondsName: "华东机械有限公司", Username: "admin", Password: adminPassword})
	if err != nil {
		return err
	}
	benchAdmin = admin
	var deptIDs, catIDs []int64
	var catCodes []string
	for i := 1; i <= 5; i++ {
		d, err := s.CreateDepartment(ctx, admin, fmt.Sprintf("%02d", i), fmt.Sprintf("销售%d部", i))
		if err != nil {
			return err
		}
		deptIDs = append(deptIDs, d.ID)
		c, err := s.CreateCustomerCategory(ctx, admin, fmt.Sprintf("%02d", i), fmt.Sprintf("分类%d", i))
		if err != nil {
			return err
		}
		catIDs, catCodes = append(catIDs, c.ID), append(catCodes, c.Code)
	}
	benchOper, err = s.CreateUser(ctx, admin, data.UserInput{Username: "oper", DisplayName: "操作员", DeptID: deptIDs[1],
		Role: data.RoleOperator, Password: "Oper2026x"})
	if err != nil {
		return err
	}
	db, err := openRaw(data.DBPath(s.Dir()))
	if err != nil {
		return err
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	insC, err := tx.Prepare(`INSERT INTO customers (id, code, name, name_key, kind, category_id, dept_id, mnemonic,
		grade, region, industry, phone, created_on, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'enterprise', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	insP, err := tx.Prepare(`INSERT INTO customer_contacts (customer_id, seq, name, mobile, birthday, is_primary)
		VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	rnd := rand.New(rand.NewSource(1))
	grades := []string{"A", "B", "C"}
	regions := []string{"华北", "华东", "华南", "华中", "西南", "西北", "东北"}
	industries := []string{"制造业", "批发和零售业", "建筑业", "信息技术服务业", "金融业"}
	serial := make([]int, len(catIDs))
	now := "2026-05-01T09:00:00Z"
	for i := 0; i < benchCustomers; i++ {
		k := rnd.Intn(len(catIDs))
		serial[k]++
		name := benchName(i)
		code := fmt.Sprintf("%s%04d", catCodes[k], serial[k]%10000)
		if serial[k] >= 10000 {
			code = fmt.Sprintf("%s%02d%04d", catCodes[k], serial[k]/10000, serial[k]%10000)
		}
		id := int64(i + 1)
		if _, err := insC.Exec(id, code, name, data.NameKey(name), catIDs[k], deptIDs[rnd.Intn(len(deptIDs))],
			data.Mnemonic(name), grades[rnd.Intn(3)],
			regions[rnd.Intn(len(regions))], industries[rnd.Intn(len(industries))],
			fmt.Sprintf("0%d-%08d", 10+rnd.Intn(90), rnd.Intn(1e8)), "2025-06-01", now, now); err != nil {
			return fmt.Errorf("customer %d %s: %w", i, name, err)
		}
		for j := 0; j < 3; j++ {
			bday := fmt.Sprintf("19%02d-%02d-%02d", 60+rnd.Intn(40), 1+rnd.Intn(12), 1+rnd.Intn(28))
			if _, err := insP.Exec(id, j, fmt.Sprintf("联系人%d", j+1), fmt.Sprintf("13%09d", rnd.Intn(1e9)), bday, j == 0); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	loaded := time.Since(start)
	if err := s.RebuildCustomerSearch(ctx); err != nil {
		return err
	}
	if _, err := db.Exec(`ANALYZE`); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "bench fixture: %d customers, %d contacts: load %v, search index %v\n",
		benchCustomers, 3*benchCustomers, loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond))
	return nil
}

// reportLatency records median and p95 of the timings in milliseconds.
func reportLatency(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), "median-ms")
	b.ReportMetric(ms(ds[(len(ds)*95)/100]), "p95-ms")
}

func timeQuery(b *testing.B, fn func() error) []time.Duration {
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(t0))
	}
	return ds
}

// BenchmarkCustomerFloor is the bare indexed query of the same first page:
// the floor the list is compared with.
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

func benchFind(b *testing.B, u func() *data.User, f data.CustomerFilter, wantMin int) {
	s, _, _ := benchFixture(b)
	actor := u()
	ds := timeQuery(b, func() error {
		rows, total, err := s.FindCustomers(ctx, actor, f)
		if err == nil && (total < wantMin || len(rows) == 0) {
			err = fmt.Errorf("%+v: %d rows of %d", f, len(rows), total)
		}
		return err
	})
	reportLatency(b, ds)
}

// BenchmarkCustomerFirstPage is the list as it opens: the first 100 rows by
// code, with the total.
func BenchmarkCustomerFirstPage(b *testing.B) {
	benchFind(b, func() *data.User { return benchAdmin }, data.CustomerFilter{}, benchCustomers)
}

// BenchmarkCustomerFirstPageOperator is the same for an operator limited to
// one department (a fifth of the customers).
func BenchmarkCustomerFirstPageOperator(b *testing.B) {
	benchFind(b, func() *data.User { return benchOper }, data.CustomerFilter{}, 10_000)
}

// BenchmarkCustomerFirstPageByPinyin sorts by 助记码.
func BenchmarkCustomerFirstPageByPinyin(b *testing.B) {
	benchFind(b, func() *data.User { return benchAdmin }, data.CustomerFilter{Sort: data.SortByMnemonic}, benchCustomers)
}

// BenchmarkCustomerFilter combines the drop-down filters.
func BenchmarkCustomerFilter(b *testing.B) {
	benchFind(b, func() *data.User { return benchAdmin },
		data.CustomerFilter{CategoryCode: "02", Grade: "A", Region: "华东"}, 100)
}

// BenchmarkCustomerLastPage jumps to the end of the unfiltered list.
func BenchmarkCustomerLastPage(b *testing.B) {
	benchFind(b, func() *data.User { return benchAdmin },
		data.CustomerFilter{Offset: benchCustomers - 100}, benchCustomers)
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
	admin := actor
	typed := []string{"北京海淀", "bjhd", "cqhd", "yh", "银行支行", "010", "重庆", "xm", "0200", "13"}
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range typed {
			r := []rune(q)
			for n := 1; n <= len(r); n++ {
				t0 := time.Now()
				if _, _, err := s.FindCustomers(ctx, admin, data.CustomerFilter{Search: string(r[:n])}); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
			}
		}
	}
	reportLatency(b, ds)
}

// openRaw opens a second connection to a database file, around the API.
func openRaw(path string) (*sql.DB, error) {
	return sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000&_fk=1")
}
