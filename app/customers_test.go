package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// custFormEntry returns the entry of item i of a form dialog.
func custFormEntry(t *testing.T, fd *formDialog, i int) *entry {
	t.Helper()
	e, ok := fd.form.Items[i].Widget.(*entry)
	if !ok {
		t.Fatalf("form item %d (%s) is not an entry", i, fd.form.Items[i].Text)
	}
	return e
}

// TestCustomerCardFlow: create a card with two contacts → find it by its
// pinyin initials → freeze it → editing is refused.
func TestCustomerCardFlow(t *testing.T) {
	ctx := context.Background()
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	if got := strings.Join(u.main.tabTitles(), " "); !strings.Contains(got, "客户档案 档案管理 客户提醒") || !strings.Contains(got, "基础资料") {
		t.Fatalf("tabs: %s", got)
	}
	if _, err := u.store.CreateCustomerCategory(ctx, u.user, "01", "重点客户"); err != nil {
		t.Fatal(err)
	}
	ct := u.main.customers
	selectTab(t, u, "客户档案")

	test.Tap(ct.add)
	f := ct.form
	if f == nil {
		t.Fatal("no card form")
	}
	wantShown(t, u.win, "新建客户档案", "客户名称", "客户分类", "保存时自动生成")
	typeInto(f.name, "重庆长安汽车配件厂")
	if f.mnemonic.Text != "cqcaqcpjc" {
		t.Fatalf("mnemonic follows the name: %q", f.mnemonic.Text)
	}

	// A bad mobile number on the 个人 group is named and marked.
	f.kind.SetSelected(kindInd)
	typeInto(f.fields["mobile"].(*entry), "12345")
	test.Tap(f.save)
	if !strings.Contains(f.message.Text, "手机“12345”不是有效的手机号") {
		t.Fatalf("message: %q", f.message.Text)
	}
	if f.tabs.Selected() != f.ind {
		t.Fatalf("the tab with the bad field is not shown: %s", f.tabs.Selected().Text)
	}
	f.fields["mobile"].(*entry).SetText("")
	f.kind.SetSelected(kindEnt)

	// Two contacts; a second 主要联系人 is refused with a message.
	addContact := func(name, mobile string, primary bool) string {
		test.Tap(f.contacts.add)
		d := f.contacts.dlg
		typeInto(custFormEntry(t, d, 0), name)
		typeInto(custFormEntry(t, d, 2), mobile)
		d.form.Items[7].Widget.(*widget.Check).SetChecked(primary)
		test.Tap(d.submit)
		return d.message.Text
	}
	if msg := addContact("张伟", "13800138000", true); msg != "" {
		t.Fatal(msg)
	}
	if msg := addContact("李娜", "13900139000", true); !strings.Contains(msg, "已有主要联系人“张伟”") {
		t.Fatalf("second primary: %q", msg)
	}
	f.contacts.dlg.form.Items[7].Widget.(*widget.Check).SetChecked(false)
	test.Tap(f.contacts.dlg.submit)
	if len(f.contacts.items) != 2 {
		t.Fatalf("contacts: %+v", f.contacts.items)
	}
	test.Tap(f.save)
	if f.message.Text != "" {
		t.Fatalf("save: %s", f.message.Text)
	}
	c, err := u.store.CustomerByCode(ctx, u.user, "010001")
	if err != nil || c.Name != "重庆长安汽车配件厂" || len(c.Contacts) != 2 || !c.Contacts[0].Primary {
		t.Fatalf("saved card: %+v %v", c, err)
	}

	// Find it by pinyin initials (重 read chóng).
	typeInto(ct.search, "cq")
	ct.timer.Stop() // the debounced search would run on another goroutine here
	ct.reload()
	if ct.total != 1 || ct.cell(0, 1) != "重庆长安汽车配件厂" || ct.cell(0, 10) != "张伟 13800138000" {
		t.Fatalf("search cq: %d rows, %q", ct.total, ct.cell(0, 1))
	}
	wantShown(t, u.win, "共 1 个客户", "010001", "重庆长安汽车配件厂", "客户编码 ↑")
	ct.onHeaderTapped(0)
	if ct.sort.Selected != "按编码倒序" || ct.filter.Sort != data.SortByCode || !ct.filter.Desc {
		t.Fatalf("header click: %s %+v", ct.sort.Selected, ct.filter)
	}
	ct.onHeaderTapped(1)
	if ct.filter.Sort != data.SortByMnemonic || ct.filter.Desc || ct.total != 1 {
		t.Fatalf("sort by name: %+v", ct.filter)
	}

	// Freeze it, with a reason.
	ct.table.Select(widget.TableCellID{Row: 0, Col: 1})
	test.Tap(ct.freeze)
	test.Tap(ct.dlg.submit)
	if !strings.Contains(ct.dlg.message.Text, "请填写冻结原因") {
		t.Fatalf("freeze without reason: %q", ct.dlg.message.Text)
	}
	typeInto(custFormEntry(t, ct.dlg, 1), "合同纠纷未决")
	test.Tap(ct.dlg.submit)
	if ct.cell(0, 2) != "冻结" {
		t.Fatalf("status after freeze: %s", ct.cell(0, 2))
	}

	// The card opens read-only, and the store refuses edits.
	test.Tap(ct.open)
	f = ct.form
	if !f.readOnly || !f.save.Disabled() || !f.name.Disabled() || !f.contacts.add.Disabled() {
		t.Fatal("frozen card is editable")
	}
	wantShown(t, u.win, "该客户已冻结（原因：合同纠纷未决）")
	c.Remark = "试图修改"
	_, err = u.store.UpdateCustomer(ctx, u.user, *c)
	if data.ErrorCode(err) != data.ECONFLICT || !strings.Contains(data.ErrorMessage(err), "请先解冻再修改") {
		t.Fatalf("edit of frozen card: %v", err)
	}
}

func TestRemindersAndDictionaryTabs(t *testing.T) {
	ctx := context.Background()
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	dt := u.main.dicts
	// Categories: add one through the dialog.
	test.Tap(dt.add)
	typeInto(custFormEntry(t, dt.dlg, 1), "重点客户")
	test.Tap(dt.dlg.submit)
	if dt.dlg.message.Text != "" || len(dt.cats) != 1 || dt.cats[0].Code != "01" {
		t.Fatalf("add category: %q %+v", dt.dlg.message.Text, dt.cats)
	}
	// Dictionaries: region list, add an entry.
	dt.kinds.Select(1)
	if dt.rows() != 8 || dt.cell(0, 0) != "华北" {
		t.Fatalf("regions: %d %q", dt.rows(), dt.cell(0, 0))
	}
	test.Tap(dt.add)
	typeInto(custFormEntry(t, dt.dlg, 0), "华北")
	test.Tap(dt.dlg.submit)
	if !strings.Contains(dt.dlg.message.Text, "地区中已有“华北”") {
		t.Fatalf("duplicate region: %q", dt.dlg.message.Text)
	}

	cust, err := u.store.CreateCustomer(ctx, u.user, data.Customer{Name: "青岛啤酒经销商", CategoryID: dt.cats[0].ID,
		CreatedOn: "2025-01-01", Contacts: []data.Contact{{Name: "王芳", Birthday: "1990-05-03"}}})
	if err != nil {
		t.Fatal(err)
	}
	u.store.SetClock(func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC) })
	selectTab(t, u, "客户提醒")
	rt := u.main.reminders
	if len(rt.items) != 2 {
		t.Fatalf("reminders: %+v", rt.items)
	}
	wantShown(t, u.win, "联系人生日", "久未沟通", "青岛啤酒经销商")
	rt.table.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(rt.open)
	if f := u.main.customers.form; f == nil || f.card.ID != cust.ID {
		t.Fatal("reminder did not open the card")
	}
}

func TestCardCloseAsksBeforeDroppingEdits(t *testing.T) {
	ctx := context.Background()
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	cat, err := u.store.CreateCustomerCategory(ctx, u.user, "01", "重点客户")
	if err != nil {
		t.Fatal(err)
	}
	c, err := u.store.CreateCustomer(ctx, u.user, data.Customer{Name: "上海浦东贸易公司", CategoryID: cat.ID})
	if err != nil {
		t.Fatal(err)
	}
	ct := u.main.customers
	ct.openCard(c.ID)
	f := ct.form
	test.Tap(f.close) // nothing changed: closes at once
	if len(u.win.Canvas().Overlays().List()) != 0 {
		t.Fatal("unchanged card did not close")
	}
	ct.openCard(c.ID)
	f = ct.form
	typeInto(f.name, "上海浦东国际贸易公司")
	test.Tap(f.close)
	wantShown(t, u.win, "档案卡有未保存的修改")
}
