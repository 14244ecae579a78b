package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"dangan/data"
)

// press sends a window shortcut as the desktop driver does when no widget
// (or one that passes it on) has the focus.
func sendShortcut(u *UI, s fyne.Shortcut) {
	u.win.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

// typeKey sends a key to the canvas as when no widget has the focus.
func typeKey(t *testing.T, u *UI, k fyne.KeyName) {
	t.Helper()
	c := u.win.Canvas()
	c.Unfocus()
	h := c.(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey()
	if h == nil {
		t.Fatalf("no key handler for %s", k)
	}
	h(&fyne.KeyEvent{Name: k})
}

func overlays(u *UI) int { return len(u.win.Canvas().Overlays().List()) }

func TestCtrlNAndCtrlSOnTheCustomerCard(t *testing.T) {
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	ctx := context.Background()
	if _, err := u.store.CreateCustomerCategory(ctx, u.user, "01", "重点客户"); err != nil {
		t.Fatal(err)
	}
	selectTab(t, u, "客户档案")
	ct := u.main.customers

	// Ctrl+N opens the new card with the name focused.
	sendShortcut(u, ctrl(fyne.KeyN, 0))
	f := ct.form
	if f == nil || overlays(u) != 1 {
		t.Fatal("Ctrl+N did not open the new customer card")
	}
	wantShown(t, u.win, "新建客户档案")
	if u.win.Canvas().Focused() != f.name {
		t.Fatal("the name does not have the focus")
	}
	// Ctrl+N again while the card is open does not open a second one.
	sendShortcut(u, ctrl(fyne.KeyN, 0))
	if ct.form != f || overlays(u) != 1 {
		t.Fatal("a second card opened over the first")
	}

	// Ctrl+S typed in the focused name saves the card and closes it.
	test.Type(f.name, "重庆长安汽车配件厂")
	f.name.TypedShortcut(ctrl(fyne.KeyS, 0))
	if overlays(u) != 0 {
		t.Fatalf("the card is still open: %q", f.message.Text)
	}
	if _, n, _ := u.store.FindCustomers(ctx, u.user, data.CustomerFilter{Search: "重庆长安"}); n != 1 {
		t.Fatalf("saved customers: %d", n)
	}
	wantShown(t, u.win, "已保存：010001 重庆长安汽车配件厂")

	// Esc in an untouched new card closes it; Enter in a one-line field saves.
	sendShortcut(u, ctrl(fyne.KeyN, 0))
	f = ct.form
	f.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if overlays(u) != 0 {
		t.Fatal("Esc did not close the untouched card")
	}
	sendShortcut(u, ctrl(fyne.KeyN, 0))
	f = ct.form
	test.Type(f.name, "成都天府软件有限公司")
	f.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if overlays(u) != 0 {
		t.Fatalf("Enter did not save: %q", f.message.Text)
	}
	// Esc with unsaved edits asks first (the card's own rule).
	sendShortcut(u, ctrl(fyne.KeyN, 0))
	f = ct.form
	test.Type(f.name, "未保存的客户")
	f.name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	wantShown(t, u.win, "放弃修改")
	// Enter and Ctrl+S under that question do not save the card beneath.
	typeKey(t, u, fyne.KeyReturn)
	sendShortcut(u, ctrl(fyne.KeyS, 0))
	if _, n, _ := u.store.FindCustomers(ctx, u.user, data.CustomerFilter{}); n != 2 || overlays(u) != 2 {
		t.Fatalf("customers: %d, dialogs open: %d", n, overlays(u))
	}
}

func TestFormDialogKeys(t *testing.T) {
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	ctx := context.Background()
	selectTab(t, u, "部门")
	dt := u.main.depts

	// Ctrl+N on 部门 opens 新增部门; Ctrl+S with no field focused submits it.
	sendShortcut(u, ctrl(fyne.KeyN, 0))
	if dt.dlg == nil || overlays(u) != 1 {
		t.Fatal("Ctrl+N did not open the department form")
	}
	typeInto(dt.dlg.form.Items[1].Widget.(*entry), "01")
	typeInto(dt.dlg.form.Items[2].Widget.(*entry), "销售部")
	u.win.Canvas().Unfocus()
	sendShortcut(u, ctrl(fyne.KeyS, 0))
	if overlays(u) != 0 {
		t.Fatalf("Ctrl+S did not save: %q", dt.dlg.message.Text)
	}

	// A refused submit keeps the dialog open with the message; Esc with no
	// field focused then closes it without saving.
	sendShortcut(u, ctrl(fyne.KeyN, 0))
	typeInto(dt.dlg.form.Items[1].Widget.(*entry), "01")
	typeInto(dt.dlg.form.Items[2].Widget.(*entry), "重复")
	typeKey(t, u, fyne.KeyReturn)
	if overlays(u) != 1 || dt.dlg.message.Text == "" {
		t.Fatal("a duplicate code closed the dialog without a message")
	}
	typeKey(t, u, fyne.KeyEscape)
	if overlays(u) != 0 {
		t.Fatal("Esc did not close the dialog")
	}

	// Enter with no field focused submits.
	sendShortcut(u, ctrl(fyne.KeyN, 0))
	typeInto(dt.dlg.form.Items[1].Widget.(*entry), "02")
	typeInto(dt.dlg.form.Items[2].Widget.(*entry), "服务部")
	typeKey(t, u, fyne.KeyReturn)
	if overlays(u) != 0 {
		t.Fatalf("Enter did not save: %q", dt.dlg.message.Text)
	}
	depts, _ := u.store.FindDepartments(ctx)
	if len(depts) != 2 {
		t.Fatalf("departments: %d", len(depts))
	}
	// With every dialog closed, keys typed on the canvas do nothing.
	if h := u.win.Canvas().(interface{ OnTypedKey() func(*fyne.KeyEvent) }).OnTypedKey(); h != nil {
		t.Fatal("a key handler is left behind")
	}
}

func TestCtrlTabSwitchesTabs(t *testing.T) {
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	tabs := u.main.tabs
	n := len(tabs.Items)
	if tabs.SelectedIndex() != 0 {
		t.Fatalf("tab %d open after setup", tabs.SelectedIndex())
	}
	for _, c := range []struct {
		s    fyne.Shortcut
		want int
	}{
		{ctrl(fyne.KeyTab, 0), 1}, {ctrl(fyne.KeyPageDown, 0), 2}, {ctrl(fyne.KeyPageUp, 0), 1},
		{ctrl(fyne.KeyTab, fyne.KeyModifierShift), 0}, {ctrl(fyne.KeyTab, fyne.KeyModifierShift), n - 1},
		{ctrl(fyne.KeyTab, 0), 0},
	} {
		sendShortcut(u, c.s)
		if got := tabs.SelectedIndex(); got != c.want {
			t.Fatalf("%s: tab %d, want %d", c.s.ShortcutName(), got, c.want)
		}
	}
	// From a focused entry too (the customers' search box passes it on).
	selectTab(t, u, "客户档案")
	u.win.Canvas().Focus(u.main.customers.search)
	u.main.customers.search.TypedShortcut(ctrl(fyne.KeyTab, 0))
	if got := tabs.Selected().Text; got != "档案管理" {
		t.Fatalf("Ctrl+Tab in the search box: %s", got)
	}
	// Not while a dialog is open.
	u.showPasswordDialog()
	sendShortcut(u, ctrl(fyne.KeyTab, 0))
	if got := tabs.Selected().Text; got != "档案管理" {
		t.Fatalf("Ctrl+Tab under a dialog switched to %s", got)
	}
}
