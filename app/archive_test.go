package app

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// archiveUI sets up an admin session with a 销售部 (机构代码 XS) and the
// clock fixed in 2026, and opens the 档案管理 tab.
func archiveUI(t *testing.T) *UI {
	t.Helper()
	u := newTestUI(t, t.TempDir())
	u.store.SetClock(func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) })
	doSetup(t, u)
	ctx := context.Background()
	d, err := u.store.CreateDepartment(ctx, u.user, "01", "销售部")
	if err != nil {
		t.Fatal(err)
	}
	if err := u.store.SetOrgCode(ctx, u.user, d.ID, "XS"); err != nil {
		t.Fatal(err)
	}
	selectTab(t, u, "档案管理")
	return u
}

// nodeOf returns the archive tree node of a category code such as KH-02.
func nodeOf(t *testing.T, at *archiveTab, code string) string {
	t.Helper()
	for id, c := range at.cats {
		if c.FullCode() == code {
			return id
		}
	}
	t.Fatalf("no tree node for %s", code)
	return ""
}

func formEntry(fd *formDialog, label string) *entry {
	for _, it := range fd.form.Items {
		if it.Text == label {
			return it.Widget.(*entry)
		}
	}
	panic("no form item " + label)
}

func TestRegisterItemAppearsWithCode(t *testing.T) {
	u := archiveUI(t)
	at := u.main.archive
	wantShown(t, u.win, "全部档案", "KH 客户档案", "02 合同协议", "共 0 件")

	// Pick a category: its items (none yet) are listed.
	at.tree.Select(nodeOf(t, at, "KH-02"))
	test.Tap(at.add)
	if at.dlg == nil {
		t.Fatal("register form not open")
	}
	wantShown(t, u.win, "登记档案", "保存时自动生成")
	f := at.dlg.form.Items
	if got := f[1].Widget.(*widget.Select).Selected; got != "KH-02 合同协议" {
		t.Fatalf("category preselected %q", got)
	}
	if got := at.form.year.Text; got != "2026" {
		t.Fatalf("year default %q", got)
	}
	if got := at.form.retention.Text; got != "D30" {
		t.Fatalf("retention default %q", got)
	}

	// Bad input keeps the form open with a specific message.
	typeInto(at.form.title, "年度购销合同")
	typeInto(at.form.pages, "十二")
	test.Tap(at.dlg.submit)
	wantShown(t, u.win, "页数“十二”不正确：应为正整数")
	typeInto(at.form.pages, "12")
	typeInto(at.form.date, "2026-02-30")
	test.Tap(at.dlg.submit)
	wantShown(t, u.win, "日期“2026-02-30”不是真实的日期")
	typeInto(at.form.date, "20260428")
	typeInto(at.form.year, "1800")
	test.Tap(at.dlg.submit)
	wantShown(t, u.win, "年度“1800”不正确")
	if n, _ := u.store.CountItems(context.Background(), u.user, data.ItemFilter{}); n != 0 {
		t.Fatal("refused input wrote an item")
	}
	typeInto(at.form.year, "2026")
	test.Tap(at.dlg.submit)
	if at.dlg.message.Text != "" {
		t.Fatalf("register: %s", at.dlg.message.Text)
	}
	wantShown(t, u.win, "Z109-KH·2026-D30-XS-0001", "年度购销合同", "KH-02 合同协议", "共 1 件")

	// Nine more: the list sorts 0009 before 0010.
	for i := 2; i <= 10; i++ {
		test.Tap(at.add)
		typeInto(at.form.title, "合同 "+strconv.Itoa(i))
		typeInto(at.form.pages, "1")
		test.Tap(at.dlg.submit)
		if at.dlg.message.Text != "" {
			t.Fatalf("register %d: %s", i, at.dlg.message.Text)
		}
	}
	if it, _ := at.item(8); it.Code != "Z109-KH·2026-D30-XS-0009" {
		t.Fatalf("row 8: %s", it.Code)
	}
	if it, _ := at.item(9); it.Code != "Z109-KH·2026-D30-XS-0010" {
		t.Fatalf("row 9: %s", it.Code)
	}
	// Another category lists nothing; the 门类 lists all of them.
	at.tree.Select(nodeOf(t, at, "KH-04"))
	if at.total != 0 {
		t.Fatalf("KH-04 lists %d", at.total)
	}
	at.tree.Select(nodeOf(t, at, "KH"))
	if at.total != 10 {
		t.Fatalf("KH lists %d", at.total)
	}
	// A filter with a bad year says so.
	typeInto(at.year, "20266")
	at.reload()
	wantShown(t, u.win, "年度“20266”不正确")
	at.year.SetText("")
	at.reload()

	// Tick two items and box them.
	at.onCellSelected(widget.TableCellID{Row: 0, Col: 0})
	at.onCellSelected(widget.TableCellID{Row: 1, Col: 0})
	wantShown(t, u.win, "已勾选 2 件")
	test.Tap(at.box)
	wantShown(t, u.win, "装盒", "Z109-KH·2026-D30-XS", "0001、0002", "新建档案盒")
	typeInto(formEntry(at.dlg, "立卷日期"), "2026-13-01")
	test.Tap(at.dlg.submit)
	wantShown(t, u.win, "立卷日期“2026-13-01”不是真实的日期")
	typeInto(formEntry(at.dlg, "立卷日期"), "2026-05-01")
	test.Tap(at.dlg.submit)
	if at.dlg.message.Text != "" {
		t.Fatalf("box: %s", at.dlg.message.Text)
	}
	wantShown(t, u.win, "已装入 Z109-KH·2026-D30-XS 第0001盒（件号 0001–0002）")
	if it, _ := at.item(0); !it.Boxed() || it.BoxNo != 1 {
		t.Fatalf("row 0 not boxed: %+v", it)
	}

	// The boxed item's form keeps the group read-only.
	at.onCellSelected(widget.TableCellID{Row: 0, Col: 1})
	test.Tap(at.edit)
	wantShown(t, u.win, "Z109-KH·2026-D30-XS-0001（已固定）")
	if !at.form.year.Disabled() {
		t.Fatal("year editable on a boxed item")
	}
	at.dlg.dlg.Hide()
}

func TestAttachmentsDialog(t *testing.T) {
	u := archiveUI(t)
	at := u.main.archive
	kh02, _ := u.store.CategoryByCode(context.Background(), "KH-02")
	orgs, _ := u.store.FindOrgCodes(context.Background())
	if _, err := u.store.CreateItem(context.Background(), u.user, data.ItemInput{CategoryID: kh02.ID, Year: 2026,
		Retention: "D30", DeptID: orgs[0].DeptID, Title: "营业执照", Pages: 1}); err != nil {
		t.Fatal(err)
	}
	at.reload()
	at.onCellSelected(widget.TableCellID{Row: 0, Col: 1})
	test.Tap(at.attach)
	v := at.attachDlg
	if v == nil {
		t.Fatal("attachments dialog not open")
	}
	p := filepath.Join(t.TempDir(), "营业执照.pdf")
	os.WriteFile(p, []byte("%PDF-1.4"), 0o600)
	v.add(filepath.Join(t.TempDir(), "gone.pdf"))
	wantShown(t, u.win, "找不到附件文件")
	v.add(p)
	wantShown(t, u.win, "营业执照.pdf", "共 1 个附件，8 字节")
	// The same content again, in the background as the file dialog does: a
	// second row, still one stored file.
	added := make(chan struct{})
	at.bgDone = func() { close(added) }
	v.addInBackground([]string{p})
	<-added
	at.bgDone = nil
	wantShown(t, u.win, "共 2 个附件，16 字节")
	v.sel = 1
	v.onRemove()
	confirmYes(t, u)
	wantShown(t, u.win, "共 1 个附件，8 字节")
	v.dlg.Hide()
	if got := at.cell(0, 13); got != "1 个 8 字节" { // the 附件 column, scrolled off to the right
		t.Fatalf("attachment column %q", got)
	}
	// Files dropped on the window go to the selected item.
	q := filepath.Join(t.TempDir(), "合同扫描件.png")
	os.WriteFile(q, []byte("png-bytes"), 0o600)
	done := make(chan struct{})
	at.bgDone = func() { close(done) }
	at.onDropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(q)})
	<-done
	wantShown(t, u.win, "已为 Z109-KH·2026-D30-XS-0001 添加 1 个附件")
	if got := at.cell(0, 13); got != "2 个 17 字节" {
		t.Fatalf("after drop %q", got)
	}
}

func TestCategoriesTab(t *testing.T) {
	u := archiveUI(t)
	ct := u.main.categories
	selectTab(t, u, "档案类别")
	wantShown(t, u.win, "KH  客户档案", "02  合同协议    D30 定期30年", "GL  管理类")
	test.Tap(ct.addClass)
	typeInto(ct.dlg.form.Items[0].Widget.(*entry), "H1")
	typeInto(ct.dlg.form.Items[1].Widget.(*entry), "合同")
	test.Tap(ct.dlg.submit)
	wantShown(t, u.win, "门类代码“H1”不正确")
	typeInto(ct.dlg.form.Items[0].Widget.(*entry), "HT")
	test.Tap(ct.dlg.submit)
	if ct.dlg.message.Text != "" {
		t.Fatal(ct.dlg.message.Text)
	}
	wantShown(t, u.win, "HT  合同")
	// The archive tab's tree follows.
	if _, ok := u.main.archive.cats[ct.selected]; !ok {
		t.Fatal("archive tree not refreshed")
	}
	// A category in use cannot be deleted: the message says so.
	kh02, _ := u.store.CategoryByCode(context.Background(), "KH-02")
	orgs, _ := u.store.FindOrgCodes(context.Background())
	u.store.CreateItem(context.Background(), u.user, data.ItemInput{CategoryID: kh02.ID, Year: 2026, Retention: "D30",
		DeptID: orgs[0].DeptID, Title: "合同", Pages: 1})
	ct.tree.Select(strconv.FormatInt(kh02.ID, 10))
	test.Tap(ct.remove)
	confirmYes(t, u)
	wantShown(t, u.win, "档案类别“KH-02 合同协议”正在使用，不能删除", "可以改名或停用它")
}

// confirmYes taps 确定 in the open confirmation dialog.
func confirmYes(t *testing.T, u *UI) {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Button:
			if v.Text == "确定" {
				found = v
			}
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
	for _, o := range u.win.Canvas().Overlays().List() {
		walk(o)
	}
	if found == nil {
		t.Fatal("no confirmation with 确定 open")
	}
	test.Tap(found)
}

func TestOperatorArchiveScope(t *testing.T) {
	u := archiveUI(t)
	ctx := context.Background()
	orgs, _ := u.store.FindOrgCodes(ctx)
	fin, err := u.store.CreateDepartment(ctx, u.user, "02", "财务部")
	if err != nil {
		t.Fatal(err)
	}
	kh02, _ := u.store.CategoryByCode(ctx, "KH-02")
	u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: kh02.ID, Year: 2026, Retention: "D30", DeptID: fin.ID, Title: "财务部的合同", Pages: 1})
	if _, err := u.store.CreateUser(ctx, u.user, data.UserInput{Username: "li", DisplayName: "李明", DeptID: orgs[0].DeptID,
		Role: data.RoleOperator, Password: "Oper12345"}); err != nil {
		t.Fatal(err)
	}
	test.Tap(u.main.logout)
	login(t, u, "li", "Oper12345")
	if u.main == nil {
		t.Fatal("operator not logged in")
	}
	if got := strings.Join(u.main.tabTitles(), " "); got != "首页 客户档案 档案管理 客户提醒 借阅管理 档案鉴定 销毁清册 档案类别 部门" {
		t.Fatalf("operator tabs: %s", got)
	}
	selectTab(t, u, "档案管理")
	at := u.main.archive
	if at.total != 0 {
		t.Fatalf("operator sees %d items of another department", at.total)
	}
	test.Tap(at.add)
	if got := at.form.dept.Options; len(got) != 1 || got[0] != "01 销售部（机构代码 XS）" {
		t.Fatalf("operator department choices %v", got)
	}
	if at.form.category.Selected != "" {
		t.Fatalf("category preselected with 全部档案: %q", at.form.category.Selected)
	}
	test.Tap(at.dlg.submit)
	wantShown(t, u.win, "请选择档案类别")
	at.form.category.SetSelected("KH-04 沟通与拜访记录")
	if at.form.retention.Text != "D10" {
		t.Fatalf("retention did not follow the category: %s", at.form.retention.Text)
	}
	typeInto(at.form.title, "拜访记录")
	typeInto(at.form.pages, "2")
	test.Tap(at.dlg.submit)
	if at.dlg.message.Text != "" {
		t.Fatal(at.dlg.message.Text)
	}
	wantShown(t, u.win, "Z109-KH·2026-D10-XS-0001", "共 1 件")
	selectTab(t, u, "档案类别")
	wantShown(t, u.win, "档案门类与类别（只读：由管理员维护）")
}

func TestSettingsTab(t *testing.T) {
	u := archiveUI(t)
	st := u.main.settings
	selectTab(t, u, "系统设置")
	wantShown(t, u.win, "全宗与档号", "Z109-KH·2026-D30-XS-0001", "部门机构代码", "XS")
	typeInto(st.pattern, "{全宗号}-{门类代码}-{年度}")
	wantShown(t, u.win, "档号格式缺少“{保管期限}”")
	test.Tap(st.save)
	wantShown(t, u.win, "档号格式缺少")
	typeInto(st.pattern, "{全宗号}-{门类代码}-{年度}-{保管期限}-{机构代码}-{件号}")
	st.width.SetSelected("5")
	wantShown(t, u.win, "Z109-KH-2026-D30-XS-00001")
	test.Tap(st.save)
	wantShown(t, u.win, "设置已保存。")
	a, _ := u.store.ArchiveSettings(context.Background())
	if a.SerialWidth != 5 || a.CodePattern != "{全宗号}-{门类代码}-{年度}-{保管期限}-{机构代码}-{件号}" {
		t.Fatalf("saved %+v", a)
	}
	// 机构代码 of a department through its dialog.
	st.orgTable.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(st.setOrg)
	typeInto(st.dlg.form.Items[1].Widget.(*entry), "销售")
	test.Tap(st.dlg.submit)
	wantShown(t, u.win, "机构代码“销售”不正确")
	typeInto(st.dlg.form.Items[1].Widget.(*entry), "xsb")
	test.Tap(st.dlg.submit)
	if st.dlg.message.Text != "" {
		t.Fatal(st.dlg.message.Text)
	}
	wantShown(t, u.win, "XSB")
}

func TestItemListPagesMatch(t *testing.T) {
	u := archiveUI(t)
	ctx := context.Background()
	kh02, _ := u.store.CategoryByCode(ctx, "KH-02")
	orgs, _ := u.store.FindOrgCodes(ctx)
	for i := 0; i < itemPageSize*2+5; i++ {
		if _, err := u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: kh02.ID, Year: 2026, Retention: "D30",
			DeptID: orgs[0].DeptID, Title: "合同", Pages: 1}); err != nil {
			t.Fatal(err)
		}
	}
	at := u.main.archive
	at.reload()
	// Row by row (keyset pages after the first), every 件号 in order.
	for row := 0; row < at.total; row++ {
		it, ok := at.item(row)
		if !ok || it.Serial != row+1 {
			t.Fatalf("row %d: %v %d", row, ok, it.Serial)
		}
	}
	// A jump far down (offset page) agrees too.
	at.pages = map[int][]data.Item{}
	if it, _ := at.item(itemPageSize*2 + 3); it.Serial != itemPageSize*2+4 {
		t.Fatalf("jump: %d", it.Serial)
	}
}

func TestShortTextSearchRunsInBackground(t *testing.T) {
	u := archiveUI(t)
	ctx := context.Background()
	kh02, _ := u.store.CategoryByCode(ctx, "KH-02")
	orgs, _ := u.store.FindOrgCodes(ctx)
	for _, title := range []string{"购销合同", "拜访记录", "补充合同"} {
		u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: kh02.ID, Year: 2026, Retention: "D30",
			DeptID: orgs[0].DeptID, Title: title, Pages: 1})
	}
	at := u.main.archive
	done := make(chan struct{})
	at.bgDone = func() { close(done) }
	at.text.SetText("合同")
	at.reload()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("background search did not finish")
	}
	if at.countLbl.Text != "共 2 件" {
		t.Fatalf("short search: %q", at.countLbl.Text)
	}
	if it, _ := at.item(1); it.Title != "补充合同" {
		t.Fatalf("row 1 %q", it.Title)
	}
	at.text.SetText("购销合")
	at.reload() // three characters: the index answers at once
	if at.countLbl.Text != "共 1 件" {
		t.Fatalf("trigram search: %q", at.countLbl.Text)
	}
}
