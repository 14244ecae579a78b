package data_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"dangan/data"
)

var smallSynth = data.SyntheticSize{Customers: 1500, Items: 15000, Boxes: 300, Years: 10}

// TestSyntheticOffice builds a small synthetic office and checks that it
// passes the program's check, holds what was asked for, and that every
// counter continues where the load left it when the API adds records.
func TestSyntheticOffice(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	if err := data.BuildSyntheticOffice(ctx, dir, smallSynth); err != nil {
		t.Fatal(err)
	}
	if problems, err := data.Check(ctx, dir); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	if err := data.BuildSyntheticOffice(ctx, dir, smallSynth); data.ErrorCode(err) != data.ECONFLICT {
		t.Fatalf("building over an existing office: %v", err)
	}
	s, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admin, err := s.Authenticate(ctx, data.SyntheticUser, data.SyntheticPassword)
	if err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, s)
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}

	// What was asked for, and a realistic spread.
	_, total, err := s.FindCustomers(ctx, admin, data.CustomerFilter{Limit: 1})
	if err != nil || total != smallSynth.Customers {
		t.Fatalf("customers: %d, %v", total, err)
	}
	if n, err := s.CountItems(ctx, admin, data.ItemFilter{}); err != nil || n != smallSynth.Items {
		t.Fatalf("items: %d, %v", n, err)
	}
	checks := []struct {
		what   string
		q      string
		lo, hi int
	}{
		{"departments with org codes", `SELECT count(*) FROM departments WHERE archive_code != ''`, 8, 8},
		{"users", `SELECT count(*) FROM users`, 20, 20},
		{"contacts", `SELECT count(*) FROM customer_contacts`, 2 * 1500, 3 * 1500},
		{"customers without 2–3 contacts", `SELECT count(*) FROM (SELECT customer_id, count(*) n FROM customer_contacts
			GROUP BY customer_id) WHERE n NOT BETWEEN 2 AND 3`, 0, 0},
		{"communication records", `SELECT count(*) FROM customer_comms`, 1500, 3 * 1500},
		{"frozen customers", `SELECT count(*) FROM customers WHERE status = 'frozen'`, 10, 150},
		{"grades", `SELECT count(DISTINCT grade) FROM customers`, 3, 3},
		{"regions", `SELECT count(DISTINCT region) FROM customers`, 7, 8},
		{"years", `SELECT count(DISTINCT year) FROM archive_items`, 10, 10},
		{"KH 类别 in use", `SELECT count(DISTINCT category_id) FROM archive_items WHERE class_code = 'KH'`, 6, 6},
		{"boxes", `SELECT count(*) FROM archive_boxes`, 300, 400},
		{"boxed items", `SELECT count(*) FROM archive_items WHERE box_id IS NOT NULL`, 15000 * 3 / 4, 15000 * 9 / 10},
		{"boxed items without fixed 档号", `SELECT count(*) FROM archive_items WHERE box_id IS NOT NULL AND NOT code_fixed`, 0, 0},
		{"boxes of mixed groups", `SELECT count(*) FROM archive_items i JOIN archive_boxes b ON b.id = i.box_id
			WHERE b.year != i.year OR b.org_code != i.org_code OR b.retention != i.retention OR b.class_code != i.class_code`, 0, 0},
		{"items of customers", `SELECT count(*) FROM archive_items WHERE customer_id IS NOT NULL`, 15000 / 2, 15000},
		{"open loans", `SELECT count(*) FROM loans WHERE returned_on = ''`, 1, 10},
		{"items out", `SELECT count(*) FROM archive_items WHERE status = 'lent'`, 1, 40},
		{"approved registers", `SELECT count(*) FROM destruction_registers WHERE status = 'approved'`, 1, 1},
		{"destroyed items", `SELECT count(*) FROM archive_items WHERE status = 'destroyed'`, 1, 100},
		{"draft registers", `SELECT count(*) FROM destruction_registers WHERE status = 'draft'`, 1, 1},
		{"search index rows", `SELECT count(*) FROM customer_search`, 1500, 1500},
	}
	for _, c := range checks {
		if n := count(c.q); n < c.lo || n > c.hi {
			t.Errorf("%s: %d, want %d–%d", c.what, n, c.lo, c.hi)
		}
	}
	if n, err := s.CountDue(ctx, admin, data.DueFilter{}); err != nil || n == 0 {
		t.Errorf("items due for appraisal: %d, %v", n, err)
	}
	overdue := count(`SELECT count(*) FROM loans WHERE returned_on = '' AND due_on < ?`, s.Today())
	if overdue == 0 {
		t.Errorf("no overdue loan")
	}
	// Search finds loaded customers and items.
	var name string
	if err := db.QueryRow(`SELECT name FROM customers WHERE id = 100`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	rows, _, err := s.FindCustomers(ctx, admin, data.CustomerFilter{Search: string([]rune(name)[:4])})
	if err != nil || len(rows) == 0 || rows[0].Name != name {
		t.Errorf("search %s: %d rows, %v", name, len(rows), err)
	}
	if n, err := s.CountItems(ctx, admin, data.ItemFilter{Text: "购销合同"}); err != nil || n == 0 {
		t.Errorf("item text search: %d, %v", n, err)
	}

	// Counters continue: a new customer gets the next serial of its category.
	var catID int64
	var catCode string
	if err := db.QueryRow(`SELECT id, code FROM customer_categories WHERE code = '0101'`).Scan(&catID, &catCode); err != nil {
		t.Fatal(err)
	}
	last := count(`SELECT max(CAST(substr(code, 5) AS INTEGER)) FROM customers WHERE category_id = ?`, catID)
	depts, err := s.FindDepartments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.CreateCustomer(ctx, admin, data.Customer{Name: "测试新客户有限公司", CategoryID: catID, DeptID: depts[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%s%04d", catCode, last+1); c.Code != want {
		t.Errorf("new customer code %s, want %s", c.Code, want)
	}
	// A new item gets the next 件号 of its group; boxing it opens the next box.
	first, _ := data.SyntheticYears(smallSynth)
	var kh02 int64
	if err := db.QueryRow(`SELECT c.id FROM archive_categories c JOIN archive_categories p ON p.id = c.parent_id
		WHERE p.code = 'KH' AND c.code = '02'`).Scan(&kh02); err != nil {
		t.Fatal(err)
	}
	var xs int64
	if err := db.QueryRow(`SELECT id FROM departments WHERE archive_code = 'XS'`).Scan(&xs); err != nil {
		t.Fatal(err)
	}
	year := first + 3
	maxSerial := count(`SELECT max(serial) FROM archive_items WHERE class_code = 'KH' AND year = ? AND retention = 'D30'
		AND org_code = 'XS'`, year)
	it, err := s.CreateItem(ctx, admin, data.ItemInput{CategoryID: kh02, Year: year, Retention: "D30", DeptID: xs,
		Title: "新登记的合同", Pages: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Z109-KH·%d-D30-XS-%04d", year, maxSerial+1); it.Code != want {
		t.Errorf("new item code %s, want %s", it.Code, want)
	}
	maxBox := count(`SELECT max(box_no) FROM archive_boxes WHERE class_code = 'KH' AND year = ? AND retention = 'D30'
		AND org_code = 'XS'`, year)
	box, err := s.BoxItems(ctx, admin, 0, []int64{it.ID}, data.BoxInput{Thickness: 30})
	if err != nil {
		t.Fatal(err)
	}
	if box.No != maxBox+1 {
		t.Errorf("new box no %d, want %d", box.No, maxBox+1)
	}
	// A new loan and a new register get the next numbers.
	loans := count(`SELECT count(*) FROM loans WHERE no LIKE ?`, fmt.Sprintf("JY%d-%%", s.Now().Year()))
	l, err := s.Lend(ctx, admin, data.LoanInput{Borrower: "测试借阅人", Purpose: "查阅", ItemIDs: []int64{it.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("JY%d-%04d", s.Now().Year(), loans+1); l.No != want {
		t.Errorf("new loan %s, want %s", l.No, want)
	}
	due, err := s.FindDue(ctx, admin, data.DueFilter{Limit: 1})
	if err != nil || len(due) == 0 {
		t.Fatalf("due: %v %v", due, err)
	}
	reg, err := s.ProposeDestruction(ctx, admin, data.DestructionInput{ItemIDs: []int64{due[0].ID}, Reason: "期满", Method: "粉碎"})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("XH%d-0004", s.Now().Year()); reg.No != want {
		t.Errorf("new register %s, want %s", reg.No, want)
	}
	s.Close()
	if problems, err := data.Check(ctx, dir); err != nil || len(problems) > 0 {
		t.Fatalf("check after changes: %v %v", problems, err)
	}
}

// TestSyntheticOfficeCache asks for the same office from several goroutines
// at once: one builds it, all get the same directory, and a copy is
// independent of it.
func TestSyntheticOfficeCache(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	t.Setenv("DANGAN_SYNTH_QUIET", "1")
	size := data.SyntheticSize{Customers: 200, Items: 2000, Boxes: 40, Years: 5}
	dirs := make([]string, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range dirs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			dirs[i], errs[i] = data.SyntheticOffice(ctx, size)
		}(i)
	}
	wg.Wait()
	for i := range dirs {
		if errs[i] != nil || dirs[i] != dirs[0] {
			t.Fatalf("call %d: %q, %v (first %q)", i, dirs[i], errs[i], dirs[0])
		}
	}
	entries, _ := os.ReadDir(os.TempDir())
	offices := 0
	for _, e := range entries {
		if e.IsDir() {
			offices++
		}
	}
	if offices != 1 {
		t.Errorf("%d directories left in the temp dir, want the one office", offices)
	}
	st, err := os.Stat(data.DBPath(dirs[0]))
	if err != nil {
		t.Fatal(err)
	}
	dst, err := data.CopySyntheticOffice(ctx, size, filepath.Join(t.TempDir(), "copy"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := data.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := s.Authenticate(ctx, data.SyntheticUser, data.SyntheticPassword)
	if err != nil {
		t.Fatal(err)
	}
	cats, _ := s.FindCustomerCategories(ctx)
	if _, err := s.CreateCustomer(ctx, admin, data.Customer{Name: "只在副本中的客户", CategoryID: cats[len(cats)-1].ID}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	again, err := os.Stat(data.DBPath(dirs[0]))
	if err != nil || !again.ModTime().Equal(st.ModTime()) || again.Size() != st.Size() {
		t.Errorf("the cached office changed when its copy did")
	}
	if _, err := data.CopySyntheticOffice(ctx, size, dst); data.ErrorCode(err) != data.ECONFLICT {
		t.Errorf("copy over an existing office: %v", err)
	}
}
