package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// newCardFormUI sets up a program with one customer category and opens the
// form of a new card on the customers tab.
func newCardFormUI(t *testing.T) (*UI, *customersTab, *data.CustomerCategory) {
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	k, err := u.store.CreateCustomerCategory(context.Background(), u.user, "01", "重点客户")
	if err != nil {
		t.Fatal(err)
	}
	selectTab(t, u, "客户档案")
	test.Tap(u.main.customers.add)
	return u, u.main.customers, k
}

// TestCardBankAccounts: the bank-account sub-list adds (the first is the
// 主账户), refuses a second 主账户, edits, moves the 主账户, removes, and the
// card saves what it shows.
func TestCardBankAccounts(t *testing.T) {
	ctx := context.Background()
	u, ct, _ := newCardFormUI(t)
	f := ct.form
	typeInto(f.name, "青岛海信商贸有限公司")
	b := f.banks
	if b.add.Text != "新增银行账户" || !b.rowBtns[0].Disabled() || b.rowBtns[2].Text != "设为主账户" {
		t.Fatalf("buttons: %q, edit enabled %v, %q", b.add.Text, !b.rowBtns[0].Disabled(), b.rowBtns[2].Text)
	}
	addBank := func(bank, no string, primary bool) string {
		t.Helper()
		test.Tap(b.add)
		if primaryCheck(b.dlg).Checked != (len(b.items) == 0) {
			t.Fatal("only the first account starts as 主账户")
		}
		return submitSubForm(t, b.dlg, primary, bank, "海信商贸", no)
	}
	if msg := addBank("中国工商银行青岛分行", "622200001111", true); msg != "" {
		t.Fatal(msg)
	}
	if msg := addBank("中国银行青岛分行", "12", false); !strings.Contains(msg, "银行账号“12”不对") {
		t.Fatalf("short account number: %q", msg)
	}
	if msg := addBank("中国银行青岛分行", "601300002222", true); !strings.Contains(msg, "已有主账户“中国工商银行青岛分行 622200001111”") {
		t.Fatalf("second primary: %q", msg)
	}
	primaryCheck(b.dlg).SetChecked(false)
	test.Tap(b.dlg.submit)
	if len(b.items) != 2 || !b.items[0].Primary || b.items[1].Primary {
		t.Fatalf("accounts: %+v", b.items)
	}

	// Select the second: edit it, make it the 主账户, then remove the first.
	b.table.OnSelected(widgetCell(1, 0))
	if b.rowBtns[0].Disabled() {
		t.Fatal("edit disabled with a row selected")
	}
	test.Tap(b.rowBtns[0])
	if b.dlg.dlg == nil || custFormEntry(t, b.dlg, 2).Text != "601300002222" {
		t.Fatal("edit form does not show the account")
	}
	typeInto(custFormEntry(t, b.dlg, 1), "海信商贸（青岛）")
	test.Tap(b.dlg.submit)
	if len(b.items) != 2 || b.items[1].AccountName != "海信商贸（青岛）" {
		t.Fatalf("after edit: %+v", b.items)
	}
	test.Tap(b.rowBtns[2])
	if b.items[0].Primary || !b.items[1].Primary {
		t.Fatalf("after 设为主账户: %+v", b.items)
	}
	b.table.OnSelected(widgetCell(0, 0))
	test.Tap(b.rowBtns[1])
	if len(b.items) != 1 || b.items[0].AccountNo != "601300002222" || !b.rowBtns[1].Disabled() {
		t.Fatalf("after remove: %+v", b.items)
	}

	test.Tap(f.save)
	if f.message.Text != "" {
		t.Fatalf("save: %s", f.message.Text)
	}
	c, err := u.store.CustomerByCode(ctx, u.user, "010001")
	if err != nil || len(c.BankAccounts) != 1 || c.BankAccounts[0].AccountName != "海信商贸（青岛）" || !c.BankAccounts[0].Primary {
		t.Fatalf("saved card: %+v %v", c, err)
	}
}

// primaryCheck is the last item of a contact or bank-account form.
func primaryCheck(d *formDialog) *widget.Check {
	return d.form.Items[len(d.form.Items)-1].Widget.(*widget.Check)
}

// submitSubForm types vals into the first entries of form d, sets its
// primary check and submits it; it returns the message the form shows.
func submitSubForm(t *testing.T, d *formDialog, primary bool, vals ...string) string {
	t.Helper()
	for i, v := range vals {
		typeInto(custFormEntry(t, d, i), v)
	}
	primaryCheck(d).SetChecked(primary)
	test.Tap(d.submit)
	return d.message.Text
}

// TestCardCommunications: the communication sub-list waits for a saved
// card, then adds records to the store, shows the detail of the selected
// one, and deletes after a confirmation; a frozen card's list is read-only.
func TestCardCommunications(t *testing.T) {
	ctx := context.Background()
	u, ct, k := newCardFormUI(t)
	if m := ct.form.comms; !m.add.Disabled() {
		t.Fatal("communications can be added before the card is saved")
	}
	ct.form.dlg.Hide()

	c, err := u.store.CreateCustomer(ctx, u.user, data.Customer{Kind: data.CustomerEnterprise, Name: "烟台张裕贸易公司", CategoryID: k.ID})
	if err != nil {
		t.Fatal(err)
	}
	ct.openCard(c.ID)
	m := ct.form.comms
	if m.add.Disabled() || !m.rowBtns[0].Disabled() {
		t.Fatal("add should be enabled and delete disabled")
	}
	test.Tap(m.add)
	d := m.dlg
	test.Tap(d.submit)
	if !strings.Contains(d.message.Text, "沟通主题不能为空") {
		t.Fatalf("empty subject: %q", d.message.Text)
	}
	typeInto(d.form.Items[4].Widget.(*entry), "三季度订货")
	typeInto(d.form.Items[5].Widget.(*entry), "对方确认追加 200 箱")
	test.Tap(d.submit)
	if d.message.Text != "" || len(m.items) != 1 || m.items[0].Subject != "三季度订货" {
		t.Fatalf("after add: %q %+v", d.message.Text, m.items)
	}
	stored, err := u.store.FindCommunications(ctx, u.user, c.ID)
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored: %+v %v", stored, err)
	}

	m.table.OnSelected(widgetCell(0, 2))
	if m.detail.Text != "详细纪要：对方确认追加 200 箱" || m.rowBtns[0].Disabled() {
		t.Fatalf("detail %q, delete enabled %v", m.detail.Text, !m.rowBtns[0].Disabled())
	}
	test.Tap(m.rowBtns[0])
	confirmYes(t, u)
	if len(m.items) != 0 {
		t.Fatalf("after delete: %+v", m.items)
	}
	if stored, _ := u.store.FindCommunications(ctx, u.user, c.ID); len(stored) != 0 {
		t.Fatalf("still stored: %+v", stored)
	}
	ct.form.dlg.Hide()

	if err := u.store.FreezeCustomer(ctx, u.user, c.ID, "资料待核实"); err != nil {
		t.Fatal(err)
	}
	ct.openCard(c.ID)
	if m := ct.form.comms; !m.add.Disabled() {
		t.Fatal("a frozen card takes new communications")
	}
	if b := ct.form.banks; !b.add.Disabled() {
		t.Fatal("a frozen card takes new bank accounts")
	}
}
