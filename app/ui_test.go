package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"dangan/data"
)

// newTestUI builds the window over a fresh data directory in the headless
// test driver.
func newTestUI(t *testing.T, dir string) *UI {
	t.Helper()
	a := test.NewTempApp(t)
	u := New(a, dir)
	u.win.Resize(fyne.NewSize(1100, 720))
	t.Cleanup(u.Close)
	return u
}

// shown returns every text drawn in the window, overlays (dialogs) included.
func shown(w fyne.Window) string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch v := o.(type) {
		case *canvas.Text:
			out = append(out, v.Text)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(w.Canvas().Content())
	for _, o := range w.Canvas().Overlays().List() {
		walk(o)
	}
	return strings.Join(out, "\n")
}

func wantShown(t *testing.T, w fyne.Window, texts ...string) {
	t.Helper()
	got := shown(w)
	flat := strings.Join(strings.Fields(got), "") // wrapped labels break lines anywhere
	for _, s := range texts {
		if !strings.Contains(got, s) && !strings.Contains(flat, strings.Join(strings.Fields(s), "")) {
			t.Fatalf("window does not show %q; it shows:\n%s", s, got)
		}
	}
}

func typeInto(e interface {
	fyne.Focusable
	SetText(string)
}, s string) {
	e.SetText("")
	test.Type(e, s)
}

func doSetup(t *testing.T, u *UI) {
	t.Helper()
	s := u.setup
	if s == nil {
		t.Fatal("setup form not shown on first run")
	}
	typeInto(s.fondsName, "华东机械有限公司")
	typeInto(s.fondsCode, "Z109")
	typeInto(s.username, "admin")
	typeInto(s.password, "Archive2026")
	typeInto(s.confirm, "Archive2026")
	test.Tap(s.submit)
	if u.main == nil {
		t.Fatalf("setup did not reach the main window: %q", s.message.Text)
	}
}

func login(t *testing.T, u *UI, name, pw string) {
	t.Helper()
	if u.login == nil {
		t.Fatal("login form not shown")
	}
	typeInto(u.login.username, name)
	typeInto(u.login.password, pw)
	test.Tap(u.login.submit)
}

func TestSetupThenLoginShowsTabsPerRole(t *testing.T) {
	dir := t.TempDir()
	u := newTestUI(t, dir)
	wantShown(t, u.win, "档案通 · 首次设置", "全宗名称", "全宗号", "管理员用户名", "确认密码")

	// A mismatched confirmation is caught before anything is written.
	typeInto(u.setup.fondsName, "华东机械有限公司")
	typeInto(u.setup.fondsCode, "Z109")
	typeInto(u.setup.password, "Archive2026")
	typeInto(u.setup.confirm, "Archive2027")
	test.Tap(u.setup.submit)
	wantShown(t, u.win, "两次输入的密码不一致")
	// A weak password gets the policy's message.
	typeInto(u.setup.password, "abcdefgh")
	typeInto(u.setup.confirm, "abcdefgh")
	test.Tap(u.setup.submit)
	wantShown(t, u.win, "密码太弱：须同时包含字母和数字")

	doSetup(t, u)
	if got := strings.Join(u.main.tabTitles(), " "); got != "首页 客户档案 档案管理 客户提醒 借阅管理 档案鉴定 销毁清册 档案类别 部门 基础资料 用户 系统设置 操作日志 备份与恢复" {
		t.Fatalf("admin tabs: %s", got)
	}
	wantShown(t, u.win, "当前用户：系统管理员（admin，管理员）", "退出登录", "Z109 华东机械有限公司")

	// Add a department through its dialog.
	selectTab(t, u, "部门")
	dt := u.main.depts
	test.Tap(dt.add)
	if dt.dlg == nil {
		t.Fatal("no add dialog")
	}
	wantShown(t, u.win, "新增部门", "部门编码")
	typeInto(dt.dlg.form.Items[2].Widget.(*entry), "销售部")
	test.Tap(dt.dlg.submit)
	if dt.dlg.message.Text != "" {
		t.Fatalf("add department: %s", dt.dlg.message.Text)
	}
	wantShown(t, u.win, "01  销售部")

	// Esc closes a form dialog without saving.
	test.Tap(dt.add)
	if len(u.win.Canvas().Overlays().List()) != 1 {
		t.Fatal("add dialog not open")
	}
	name := dt.dlg.form.Items[2].Widget.(*entry)
	typeInto(name, "不保存的部门")
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(u.win.Canvas().Overlays().List()) != 0 {
		t.Fatal("Esc did not close the dialog")
	}
	if depts, _ := u.store.FindDepartments(context.Background()); len(depts) != 1 {
		t.Fatalf("%d departments after Esc, want 1", len(depts))
	}

	// Create an operator through the users tab.
	ut := u.main.users
	test.Tap(ut.edit) // disabled without a selection: nothing opens
	if ut.dlg != nil {
		t.Fatal("edit opened without a selection")
	}
	selectTab(t, u, "用户")
	createUser(t, u, "zhangsan", "张三", "01 销售部", "Zhang2026")
	wantShown(t, u.win, "zhangsan", "张三", "操作员")

	// Log out, log in as the operator: the forced password change comes
	// first, then only the tabs an operator may see.
	test.Tap(u.main.logout)
	login(t, u, "zhangsan", "Zhang2026")
	if u.change == nil {
		t.Fatal("must-change-password user went straight to the main window")
	}
	typeInto(u.change.form.old, "Zhang2026")
	typeInto(u.change.form.pw, "Zhang2027x")
	typeInto(u.change.form.confirm, "Zhang2027x")
	test.Tap(u.change.submit)
	if u.main == nil {
		t.Fatalf("after password change: %s", u.change.message.Text)
	}
	if got := strings.Join(u.main.tabTitles(), " "); got != "首页 客户档案 档案管理 客户提醒 借阅管理 档案鉴定 销毁清册 档案类别 部门" {
		t.Fatalf("operator tabs: %s", got)
	}
	selectTab(t, u, "部门")
	wantShown(t, u.win, "部门列表（只读）", "张三（zhangsan，操作员）")
}

func createUser(t *testing.T, u *UI, name, display, dept, pw string) {
	t.Helper()
	ut := u.main.users
	ut.dlg = nil
	ut.showCreate()
	f := ut.dlg.form.Items
	typeInto(f[0].Widget.(*widgetEntry), name)
	typeInto(f[1].Widget.(*widgetEntry), display)
	f[2].Widget.(*widgetSelect).SetSelected(dept)
	typeInto(f[5].Widget.(*widgetEntry), pw)
	typeInto(f[6].Widget.(*widgetEntry), pw)
	test.Tap(ut.dlg.submit)
	if ut.dlg.message.Text != "" {
		t.Fatalf("create user: %s", ut.dlg.message.Text)
	}
}

func TestWrongPasswordMessage(t *testing.T) {
	dir := t.TempDir()
	u := newTestUI(t, dir)
	doSetup(t, u)
	test.Tap(u.main.logout)

	login(t, u, "admin", "not-it-1")
	wantShown(t, u.win, "用户名或密码错误（再错 4 次账户将锁定 15 分钟）")
	if u.main != nil {
		t.Fatal("wrong password opened the main window")
	}
	if u.login.password.Text != "" {
		t.Fatal("the wrong password was left in the field")
	}
	for i := 0; i < 4; i++ {
		login(t, u, "admin", "not-it-1")
	}
	wantShown(t, u.win, "已锁定 15 分钟，请于")
	login(t, u, "admin", "Archive2026")
	wantShown(t, u.win, "已锁定")
	if u.main != nil {
		t.Fatal("locked account logged in")
	}
}

func TestSecondWindowOnSameDirIsRefused(t *testing.T) {
	dir := t.TempDir()
	first := newTestUI(t, dir)
	doSetup(t, first)
	second := newTestUI(t, dir)
	if second.store != nil || second.login != nil {
		t.Fatal("second window opened the database")
	}
	wantShown(t, second.win, "档案通无法打开", "另一个档案通窗口正在使用这个数据目录")
}

func TestNewerDatabaseIsRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	db := rawExec(t, dir, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'x', '')`)
	_ = db
	s.Close()
	u := newTestUI(t, dir)
	wantShown(t, u.win, "更新版本的档案通", "数据未作任何改动")
}

func TestAuditTabShowsChanges(t *testing.T) {
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	if _, err := u.store.CreateDepartment(context.Background(), u.user, "01", "销售部"); err != nil {
		t.Fatal(err)
	}
	selectTab(t, u, "操作日志")
	wantShown(t, u.win, "新建部门 01 销售部", "第 1 / 1 页，共 2 条")

	at := u.main.audit
	at.table.Select(widgetCell(0, 0))
	wantShown(t, u.win, "新建部门 01 销售部", "变更：编码：（空） → 01；名称：（空） → 销售部")
	typeInto(at.from, "2026-02-30")
	test.Tap(at.next) // disabled: one page only
	at.reload()
	wantShown(t, u.win, "起始日期“2026-02-30”不是真实的日期")
	at.from.SetText("")
	at.entity.SetSelected("用户")
	at.reload()
	if at.total != 0 {
		t.Fatalf("user entries: %d, want 0 (setup is a settings entry)", at.total)
	}
}
