package app

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"dangan/data"
)

// The test driver runs fyne.Do on the calling goroutine: counting in the
// background would draw while a test drives the window.
func init() { dashboardInBackground = false }

// dashboardUI is an admin session (clock 2026-05-01) with known data:
// customers A 华北 正常, A 华东 冻结, B 华北 正常; items KH-02 2026 ×3 (one
// lent on an overdue loan), KH-04 2010 (due for appraisal), KJ-01 2024.
func dashboardUI(t *testing.T) *UI {
	t.Helper()
	u := archiveUI(t)
	ctx := context.Background()
	cat, err := u.store.CreateCustomerCategory(ctx, u.user, "01", "重点客户")
	if err != nil {
		t.Fatal(err)
	}
	depts, _ := u.store.FindDepartments(ctx)
	for i, c := range []struct{ name, grade, region string }{
		{"北京海淀科技有限公司", "A", "华北"}, {"上海浦东贸易有限公司", "A", "华东"}, {"天津滨海物流有限公司", "B", "华北"},
	} {
		got, err := u.store.CreateCustomer(ctx, u.user, data.Customer{Name: c.name, CategoryID: cat.ID,
			DeptID: depts[0].ID, Grade: c.grade, Region: c.region})
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if err := u.store.FreezeCustomer(ctx, u.user, got.ID, "欠款"); err != nil {
				t.Fatal(err)
			}
		}
	}
	items := loanItems(t, u, 3)
	for _, it := range []struct {
		cat  string
		year int
	}{{"KH-04", 2010}, {"KJ-01", 2024}} {
		c, _ := u.store.CategoryByCode(ctx, it.cat)
		if _, err := u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: c.ID, Year: it.year,
			Retention: c.Retention, DeptID: depts[0].ID, Title: "旧文件", Pages: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := u.store.Lend(ctx, u.user, data.LoanInput{Borrower: "李律师", Purpose: "诉讼", LentOn: "2026-04-01",
		DueOn: "2026-04-10", ItemIDs: []int64{items[0].ID}}); err != nil {
		t.Fatal(err)
	}
	return u
}

// showDashboard opens 首页 and waits for its counts.
func showDashboard(t *testing.T, u *UI) *dashboardTab {
	t.Helper()
	dt := u.main.dashboard
	n := dt.loads
	u.main.showTab(dt.content) // reloads when shown already
	waitFor(t, "dashboard counts", func() bool { return dt.loads > n })
	return dt
}

// tapBar taps row i of a bar list.
func tapBar(b *barList, i int) {
	test.TapAt(b, fyne.NewPos(b.Size().Width/2, float32(i)*barRowHeight+barRowHeight/2))
}

func TestDashboardIsFirstAndShowsCounts(t *testing.T) {
	u := dashboardUI(t)
	if got := u.main.tabTitles()[0]; got != "首页" {
		t.Fatalf("first tab %q", got)
	}
	dt := showDashboard(t, u)
	for tile, want := range map[*statTile][2]string{
		dt.customers: {"3", "其中正常 2 个"},
		dt.items:     {"5", "其中借出 1 件"},
		dt.loans:     {"1", "份借阅单未还"},
		dt.overdue:   {"1", "份借阅单已过应还日期"},
		dt.due:       {"1", "件档案保管期限已满"},
		dt.backup:    {"从未备份", "请尽快备份数据"},
	} {
		if tile.value.Text != want[0] || tile.note.Text != want[1] {
			t.Errorf("%s: %q %q, want %q %q", tile.title.Text, tile.value.Text, tile.note.Text, want[0], want[1])
		}
	}
	wantShown(t, u.win, "档案按年度（件）", "年度", "件数", "2010", "2024", "2026", "档案按门类（件）", "KH 客户档案",
		"KJ 会计档案", "客户按等级", "客户状态", "客户按地区", "华北", "华东", "冻结", "逾期未还", "上次备份")
	if dt.overdue.value.Color != theme.Color(theme.ColorNameError) || dt.backup.note.Color != theme.Color(theme.ColorNameError) {
		t.Error("the overdue count and the missing backup are not shown in red")
	}

	// A backup today clears the warning; eight days later it is back, in red.
	if _, err := u.store.Backup(context.Background(), u.user, t.TempDir(), data.BackupOptions{}); err != nil {
		t.Fatal(err)
	}
	dt = showDashboard(t, u)
	if dt.backup.value.Text != "2026-05-01" || dt.backup.note.Text != time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC).Local().Format("15:04")+"，今天" ||
		dt.backup.note.Color == theme.Color(theme.ColorNameError) {
		t.Errorf("after a backup: %q %q", dt.backup.value.Text, dt.backup.note.Text)
	}
	u.store.SetClock(func() time.Time { return time.Date(2026, 5, 9, 10, 0, 0, 0, time.UTC) })
	n := dt.loads
	dt.reload()
	waitFor(t, "reload", func() bool { return dt.loads > n })
	if dt.backup.note.Text != "8 天前，请尽快备份" || dt.backup.note.Color != theme.Color(theme.ColorNameError) {
		t.Errorf("eight days on: %q", dt.backup.note.Text)
	}
}

func TestDashboardCountsOpenFilteredLists(t *testing.T) {
	u := dashboardUI(t)
	dt := showDashboard(t, u)
	m := u.main
	selected := func() string { return m.tabs.Selected().Text }

	// 客户按等级: A → the customers of grade A.
	tapBar(dt.byGrade, 0)
	if selected() != "客户档案" || m.customers.grade.Selected != "A" || m.customers.total != 2 {
		t.Fatalf("grade A: tab %s, grade %q, %d rows", selected(), m.customers.grade.Selected, m.customers.total)
	}
	wantShown(t, u.win, "共 2 个客户", "北京海淀科技有限公司", "上海浦东贸易有限公司")

	// 客户状态: 冻结 → the frozen one, the grade filter cleared.
	showDashboard(t, u)
	tapBar(dt.custStatus, 1)
	if m.customers.status.Selected != "冻结" || m.customers.grade.Selected != allOption || m.customers.total != 1 {
		t.Fatalf("frozen: status %q grade %q, %d rows", m.customers.status.Selected, m.customers.grade.Selected, m.customers.total)
	}
	wantShown(t, u.win, "上海浦东贸易有限公司")

	// 档案按年度: the 2010 column → the items of 2010.
	showDashboard(t, u)
	g := dt.byYear.geometry(dt.byYear.Size())
	test.TapAt(dt.byYear, fyne.NewPos(g.left+g.slot/2, g.bottom-2)) // the first column: 2010
	if selected() != "档案管理" || m.archive.year.Text != "2010" || m.archive.total != 1 {
		t.Fatalf("year 2010: tab %s, year %q, %d rows", selected(), m.archive.year.Text, m.archive.total)
	}
	wantShown(t, u.win, "共 1 件", "Z109-KH·2010-D10-XS-0001")

	// 档案按门类: KJ → its items, the year filter cleared.
	showDashboard(t, u)
	tapBar(dt.byClass, 1)
	if c, ok := m.archive.selectedCategory(); !ok || c.Code != "KJ" || m.archive.year.Text != "" || m.archive.total != 1 {
		t.Fatalf("KJ: node %q year %q, %d rows", m.archive.node, m.archive.year.Text, m.archive.total)
	}

	// 逾期未还 → the overdue loans.
	showDashboard(t, u)
	test.Tap(dt.overdue)
	if selected() != "借阅管理" || m.loans.state.Selected != "逾期未还" || m.loans.total != 1 {
		t.Fatalf("overdue: tab %s, state %q, %d loans", selected(), m.loans.state.Selected, m.loans.total)
	}

	// 待鉴定 → every item due.
	showDashboard(t, u)
	test.Tap(dt.due)
	if selected() != "档案鉴定" || m.appraisal.total != 1 {
		t.Fatalf("due: tab %s, %d items", selected(), m.appraisal.total)
	}
	wantShown(t, u.win, "全部到期档案（1 件）")

	// 上次备份 → the backup tab (admins).
	showDashboard(t, u)
	test.Tap(dt.backup)
	if selected() != "备份与恢复" {
		t.Fatalf("backup tile opened %s", selected())
	}
}

// An operator of another department sees only that department's counts,
// and the backup tile (a tab operators do not have) opens nothing.
func TestDashboardOperatorScope(t *testing.T) {
	u := dashboardUI(t)
	ctx := context.Background()
	fin, err := u.store.CreateDepartment(ctx, u.user, "02", "财务部")
	if err != nil {
		t.Fatal(err)
	}
	kj, _ := u.store.CategoryByCode(ctx, "KJ-02")
	if _, err := u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: kj.ID, Year: 2025, Retention: "D30",
		DeptID: fin.ID, Title: "2025年总账", Pages: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := u.store.CreateUser(ctx, u.user, data.UserInput{Username: "qian", DisplayName: "钱会计", DeptID: fin.ID,
		Role: data.RoleOperator, Password: "Oper12345"}); err != nil {
		t.Fatal(err)
	}
	test.Tap(u.main.logout)
	login(t, u, "qian", "Oper12345")
	if u.main == nil {
		t.Fatal("operator not logged in")
	}
	dt := showDashboard(t, u)
	if dt.customers.value.Text != "0" || dt.items.value.Text != "1" || dt.overdue.value.Text != "0" || dt.due.value.Text != "0" {
		t.Fatalf("operator counts: %s customers, %s items, %s overdue, %s due", dt.customers.value.Text,
			dt.items.value.Text, dt.overdue.value.Text, dt.due.value.Text)
	}
	wantShown(t, u.win, "KJ 会计档案", "2025")
	test.Tap(dt.backup)
	if got := u.main.tabs.Selected().Text; got != "首页" {
		t.Fatalf("backup tile opened %s for an operator", got)
	}
}
