package data_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangan/data"
)

// dashFixture is a small office with known counts, made through the public
// API. Departments: 01 销售部 with 0101 华北组, and 02 服务部; operator wang
// in 01 (scope 01 + 0101), zhao in 02. Today is 2026-05-01.
//
//	customers: c1 A 华北 0101 正常; c2 A 华东 01 冻结; c3 B 华北 02 正常;
//	           c4 (no grade, no region) 02 注销; c5 C 华东 0101 正常
//	items:     i1 KH-02 2026 D30 01 在库; i2 KH-02 2026 D30 01 借出 (L1, due 05-15)
//	           i3 KH-04 2010 D10 0101 due; i4 KH-04 2015 D10 02 due
//	           i5 KJ-01 2024 D30 02; i6 KH-04 2016 D10 02 借出 (L2, due 04-10: overdue)
//	           i7 KH-04 2012 D10 0101, kept to D30 by an appraisal: not due
type dashFixture struct {
	*fixture
	items map[string]*data.Item
}

func newDashFixture(t *testing.T) *dashFixture {
	t.Helper()
	f := &dashFixture{fixture: newFixture(t), items: map[string]*data.Item{}}
	s, admin := f.s, f.admin
	type cust struct {
		name, grade, region string
		dept                int64
		status              string
	}
	for _, c := range []cust{
		{"北京海淀科技有限公司", "A", "华北", f.north.ID, data.CustomerNormal},
		{"上海浦东贸易有限公司", "A", "华东", f.sales.ID, data.CustomerFrozen},
		{"天津滨海物流有限公司", "B", "华北", f.svc.ID, data.CustomerNormal},
		{"个体户张三", "", "", f.svc.ID, data.CustomerClosed},
		{"杭州西湖电子有限公司", "C", "华东", f.north.ID, data.CustomerNormal},
	} {
		in := f.card(c.name)
		in.Grade, in.Region, in.DeptID = c.grade, c.region, c.dept
		got := mustCustomer(t, s, admin, in)
		switch c.status {
		case data.CustomerFrozen:
			if err := s.FreezeCustomer(ctx, admin, got.ID, "欠款未结清"); err != nil {
				t.Fatal(err)
			}
		case data.CustomerClosed:
			if err := s.CloseCustomer(ctx, admin, got.ID, "已停业"); err != nil {
				t.Fatal(err)
			}
		}
	}
	cat := func(code string) *data.Category {
		c, err := s.CategoryByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	type item struct {
		name, cat string
		year      int
		dept      int64
	}
	for _, it := range []item{
		{"i1", "KH-02", 2026, f.sales.ID}, {"i2", "KH-02", 2026, f.sales.ID},
		{"i3", "KH-04", 2010, f.north.ID}, {"i4", "KH-04", 2015, f.svc.ID},
		{"i5", "KJ-01", 2024, f.svc.ID}, {"i6", "KH-04", 2016, f.svc.ID},
		{"i7", "KH-04", 2012, f.north.ID},
	} {
		c := cat(it.cat)
		got, err := s.CreateItem(ctx, admin, data.ItemInput{CategoryID: c.ID, Year: it.year, Retention: c.Retention,
			DeptID: it.dept, Title: "文件" + it.name, Pages: 2, Date: fmt.Sprintf("%d0301", it.year)})
		if err != nil {
			t.Fatalf("item %s: %v", it.name, err)
		}
		f.items[it.name] = got
	}
	if _, err := s.Lend(ctx, admin, data.LoanInput{Borrower: "王审计", Purpose: "审计", DueOn: "2026-05-15",
		ItemIDs: []int64{f.items["i2"].ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lend(ctx, admin, data.LoanInput{Borrower: "李律师", Purpose: "诉讼", LentOn: "2026-04-01",
		DueOn: "2026-04-10", ItemIDs: []int64{f.items["i6"].ID}}); err != nil {
		t.Fatal(err)
	}
	if err := s.KeepItems(ctx, admin, []int64{f.items["i7"].ID}, "D30", "仍有未结诉讼"); err != nil {
		t.Fatal(err)
	}
	return f
}

func mustDashboard(t *testing.T, s *data.Store, u *data.User) data.Dashboard {
	t.Helper()
	d, err := s.Dashboard(ctx, u)
	if err != nil {
		t.Fatalf("dashboard: %v", err)
	}
	return d
}

// counts renders a breakdown as "label=n label=n" for comparison.
func counts(cs []data.Count) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s=%d", c.Label, c.N))
	}
	return strings.Join(parts, " ")
}

func TestDashboardCountsForAdmin(t *testing.T) {
	f := newDashFixture(t)
	d := mustDashboard(t, f.s, f.admin)
	for _, c := range []struct{ what, got, want string }{
		{"customers", fmt.Sprint(d.Customers), "5"},
		{"by grade", counts(d.CustomersByGrade), "A=2 B=1 C=1 未定级=1"},
		{"by status", counts(d.CustomersByStatus), "正常=3 冻结=1 注销=1"},
		{"by region", counts(d.CustomersByRegion), "华东=2 华北=2 未填=1"},
		{"items", fmt.Sprint(d.Items), "7"},
		{"by class", counts(d.ItemsByClass), "KH 客户档案=6 KJ 会计档案=1"},
		{"by year", counts(d.ItemsByYear), "2010=1 2012=1 2015=1 2016=1 2024=1 2026=2"},
		{"by item status", counts(d.ItemsByStatus), "在库=5 借出=2 待销毁=0 已销毁=0"},
		{"open loans", fmt.Sprint(d.OpenLoans), "2"},
		{"overdue loans", fmt.Sprint(d.OverdueLoans), "1"},
		{"due for appraisal", fmt.Sprint(d.DueAppraisal), "2"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	// Keys are what the list filters take.
	if k := d.CustomersByStatus[1].Key; k != data.CustomerFrozen {
		t.Errorf("status key %q", k)
	}
	if c := d.ItemsByClass[0]; c.Key != "KH" || c.ID == 0 {
		t.Errorf("class count %+v", c)
	}
	// Each figure matches the list it opens.
	if n, _ := f.s.CountDue(ctx, f.admin, data.DueFilter{}); n != d.DueAppraisal {
		t.Errorf("due %d, appraisal list %d", d.DueAppraisal, n)
	}
	if n, _ := f.s.CountItems(ctx, f.admin, data.ItemFilter{ClassID: d.ItemsByClass[0].ID}); n != d.ItemsByClass[0].N {
		t.Errorf("KH %d, item list %d", d.ItemsByClass[0].N, n)
	}
	if n, _ := f.s.CountItems(ctx, f.admin, data.ItemFilter{Year: 2026}); n != 2 {
		t.Errorf("2026 item list %d", n)
	}
	if _, n, _ := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Grade: "A"}); n != 2 {
		t.Errorf("grade A list %d", n)
	}
}

func TestDashboardFollowsOperatorScope(t *testing.T) {
	f := newDashFixture(t)
	for _, c := range []struct {
		user *data.User
		want []string
	}{
		{f.seller, []string{"3", "A=2 C=1", "正常=2 冻结=1 注销=0", "华东=2 华北=1",
			"4", "KH 客户档案=4", "2010=1 2012=1 2026=2", "在库=3 借出=1 待销毁=0 已销毁=0", "1", "0", "1"}},
		{f.other, []string{"2", "B=1 未定级=1", "正常=1 冻结=0 注销=1", "华北=1 未填=1",
			"3", "KH 客户档案=2 KJ 会计档案=1", "2015=1 2016=1 2024=1", "在库=2 借出=1 待销毁=0 已销毁=0", "1", "1", "1"}},
	} {
		d := mustDashboard(t, f.s, c.user)
		got := []string{fmt.Sprint(d.Customers), counts(d.CustomersByGrade), counts(d.CustomersByStatus),
			counts(d.CustomersByRegion), fmt.Sprint(d.Items), counts(d.ItemsByClass), counts(d.ItemsByYear),
			counts(d.ItemsByStatus), fmt.Sprint(d.OpenLoans), fmt.Sprint(d.OverdueLoans), fmt.Sprint(d.DueAppraisal)}
		if strings.Join(got, " | ") != strings.Join(c.want, " | ") {
			t.Errorf("%s:\n got %s\nwant %s", c.user.Username, strings.Join(got, " | "), strings.Join(c.want, " | "))
		}
	}
}

func TestDashboardLastBackup(t *testing.T) {
	f := newDashFixture(t)
	now := f.s.Now()
	d := mustDashboard(t, f.s, f.admin)
	if !d.LastBackup.IsZero() || !d.BackupStale(now) {
		t.Fatalf("no backup yet: last %v stale %v", d.LastBackup, d.BackupStale(now))
	}
	if _, err := f.s.Backup(ctx, f.admin, t.TempDir(), data.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	d = mustDashboard(t, f.s, f.seller) // operators see it too
	if !d.LastBackup.Equal(now) {
		t.Fatalf("last backup %v, want %v", d.LastBackup, now)
	}
	for _, c := range []struct {
		later time.Duration
		stale bool
	}{{0, false}, {7 * 24 * time.Hour, false}, {7*24*time.Hour + time.Minute, true}} {
		if got := d.BackupStale(now.Add(c.later)); got != c.stale || d.BackupAge(now.Add(c.later)) != c.later {
			t.Errorf("after %v: stale %v age %v", c.later, got, d.BackupAge(now.Add(c.later)))
		}
	}
}

// TestDashboardMatchesTheLists checks every figure of a small synthetic
// office (eight departments, loans, an appraisal backlog) against the list
// it opens, for the admin and for an operator.
func TestDashboardMatchesTheLists(t *testing.T) {
	dir := t.TempDir() + "/d"
	if err := data.BuildSyntheticOffice(ctx, dir, data.SyntheticSize{Customers: 300, Items: 3000, Boxes: 60, Years: 12}); err != nil {
		t.Fatal(err)
	}
	s, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range []string{data.SyntheticUser, "op01"} {
		u, err := s.Authenticate(ctx, name, data.SyntheticPassword)
		if err != nil {
			t.Fatal(err)
		}
		d := mustDashboard(t, s, u)
		if d.Items == 0 || d.Customers == 0 || d.DueAppraisal == 0 || (name == data.SyntheticUser && d.OpenLoans == 0) {
			t.Fatalf("%s: an empty figure: %+v", name, d)
		}
		want := func(what string, got, list int, err error) {
			t.Helper()
			if err != nil || got != list {
				t.Errorf("%s %s: dashboard %d, list %d (%v)", name, what, got, list, err)
			}
		}
		items := func(f data.ItemFilter) (int, error) { return s.CountItems(ctx, u, f) }
		customers := func(f data.CustomerFilter) (int, error) {
			f.Limit = 1
			_, n, err := s.FindCustomers(ctx, u, f)
			return n, err
		}
		n, err := items(data.ItemFilter{})
		want("items", d.Items, n, err)
		for _, c := range d.ItemsByClass {
			n, err := items(data.ItemFilter{ClassID: c.ID})
			want(c.Label, c.N, n, err)
		}
		for _, c := range d.ItemsByYear {
			y, _ := strconv.Atoi(c.Key)
			n, err := items(data.ItemFilter{Year: y})
			want(c.Label, c.N, n, err)
		}
		for _, c := range d.ItemsByStatus {
			n, err := items(data.ItemFilter{Status: c.Key})
			want(c.Label, c.N, n, err)
		}
		n, err = s.CountDue(ctx, u, data.DueFilter{})
		want("due", d.DueAppraisal, n, err)
		n, err = customers(data.CustomerFilter{})
		want("customers", d.Customers, n, err)
		for _, c := range d.CustomersByGrade {
			n, err := customers(data.CustomerFilter{Grade: c.Key})
			if c.Key != "" {
				want(c.Label, c.N, n, err)
			}
		}
		for _, c := range d.CustomersByStatus {
			n, err := customers(data.CustomerFilter{Status: c.Key})
			want(c.Label, c.N, n, err)
		}
		for _, c := range d.CustomersByRegion {
			n, err := customers(data.CustomerFilter{Region: c.Key})
			if c.Key != "" {
				want(c.Label, c.N, n, err)
			}
		}
		_, n, err = s.FindLoans(ctx, u, data.LoanFilter{State: data.LoansCurrent})
		want("open loans", d.OpenLoans, n, err)
		_, n, err = s.FindLoans(ctx, u, data.LoanFilter{State: data.LoansOverdue})
		want("overdue loans", d.OverdueLoans, n, err)
	}
}
