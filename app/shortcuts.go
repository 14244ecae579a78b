package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Keyboard of the main window (issue 9):
//
//	Ctrl+N            new record in the tab shown (新建客户, 登记档案, 借出…)
//	Ctrl+S            save: the submit button of the form dialog on top
//	Ctrl+P            print what the tab shows (printdialogs.go)
//	Ctrl+1 … Ctrl+9   the first nine tabs
//	Ctrl+Tab, Ctrl+PageDown        next tab
//	Ctrl+Shift+Tab, Ctrl+PageUp    previous tab
//	Enter / Esc       submit / cancel the form dialog on top
//
// Ctrl+F belongs to the global search.

// ctrl is Ctrl (Cmd on macOS) plus key, with extra modifiers.
func ctrl(key fyne.KeyName, extra fyne.KeyModifier) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault | extra}
}

// windowShortcuts are the shortcuts of addKeyboard, by name, that an entry
// passes on to the window instead of keeping (entry.TypedShortcut; the
// older ones are in windowKeys, entry.go).
var windowShortcuts = map[string]bool{}

func init() {
	for _, k := range []fyne.KeyName{fyne.KeyN, fyne.KeyS, fyne.KeyTab, fyne.KeyPageUp, fyne.KeyPageDown} {
		windowShortcuts[ctrl(k, 0).ShortcutName()] = true
	}
	windowShortcuts[ctrl(fyne.KeyTab, fyne.KeyModifierShift).ShortcutName()] = true
}

// isWindowShortcut reports a shortcut of the window.
func isWindowShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	return ok && windowShortcuts[cs.ShortcutName()]
}

// addKeyboard binds the window's shortcuts other than Ctrl+P and
// Ctrl+1…9 (addShortcuts, mainwindow.go).
func (u *UI) addKeyboard() {
	c := u.win.Canvas()
	c.AddShortcut(ctrl(fyne.KeyN, 0), func(fyne.Shortcut) { u.newRecord() })
	c.AddShortcut(ctrl(fyne.KeyS, 0), func(fyne.Shortcut) { submitTopDialog(c) })
	c.AddShortcut(ctrl(fyne.KeyTab, 0), func(fyne.Shortcut) { u.stepTab(1) })
	c.AddShortcut(ctrl(fyne.KeyPageDown, 0), func(fyne.Shortcut) { u.stepTab(1) })
	c.AddShortcut(ctrl(fyne.KeyTab, fyne.KeyModifierShift), func(fyne.Shortcut) { u.stepTab(-1) })
	c.AddShortcut(ctrl(fyne.KeyPageUp, 0), func(fyne.Shortcut) { u.stepTab(-1) })
}

// dialogOpen reports a dialog over the window: tab keys and Ctrl+N wait
// until it is closed.
func (u *UI) dialogOpen() bool { return u.win.Canvas().Overlays().Top() != nil }

// stepTab selects the next (+1) or previous (-1) tab, wrapping around.
func (u *UI) stepTab(step int) {
	m := u.main
	if m == nil || u.dialogOpen() || len(m.tabs.Items) == 0 {
		return
	}
	n := len(m.tabs.Items)
	m.tabs.SelectIndex(((m.tabs.SelectedIndex()+step)%n + n) % n)
}

// newRecord runs the "new" action of the tab shown, as its button would.
func (u *UI) newRecord() {
	m := u.main
	if m == nil || u.dialogOpen() || m.tabs.Selected() == nil {
		return
	}
	admin := u.user.IsAdmin()
	switch shown := m.tabs.Selected().Content; {
	case m.customers != nil && shown == m.customers.content:
		press(m.customers.add)
	case m.archive != nil && shown == m.archive.content:
		press(m.archive.add)
	case m.loans != nil && shown == m.loans.content:
		press(m.loans.lend)
	case admin && m.categories != nil && shown == m.categories.content:
		press(m.categories.addClass)
	case admin && m.depts != nil && shown == m.depts.content:
		press(m.depts.add)
	case m.dicts != nil && shown == m.dicts.content:
		press(m.dicts.add)
	case m.users != nil && shown == m.users.content:
		m.users.showCreate()
	}
}

// press taps b when it is shown and enabled.
func press(b *widget.Button) {
	if b != nil && b.Visible() && !b.Disabled() && b.OnTapped != nil {
		b.OnTapped()
	}
}

// dialogKeys is what Enter, Esc and Ctrl+S do in an open form dialog.
type dialogKeys struct {
	submit func() // Enter (when no field has the focus) and Ctrl+S
	cancel func() // Esc (when no field has the focus)
	depth  int    // overlays open with the dialog on top
}

// openDialogs are the form dialogs open over each window, innermost last.
var openDialogs = map[fyne.Canvas][]*dialogKeys{}

// pushDialogKeys makes k the keys of the dialog just shown on canvas c
// until popDialogKeys. Keys typed while no field has the focus reach it.
func pushDialogKeys(c fyne.Canvas, k *dialogKeys) {
	k.depth = len(c.Overlays().List())
	openDialogs[c] = append(openDialogs[c], k)
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		top := topDialogKeys(c)
		if top == nil {
			return
		}
		switch ev.Name {
		case fyne.KeyEscape:
			top.cancel()
		case fyne.KeyReturn, fyne.KeyEnter:
			top.submit()
		}
	})
}

// popDialogKeys forgets k (its dialog has closed).
func popDialogKeys(c fyne.Canvas, k *dialogKeys) {
	stack := openDialogs[c]
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i] == k {
			stack = append(stack[:i], stack[i+1:]...)
			break
		}
	}
	if len(stack) == 0 {
		delete(openDialogs, c)
		c.SetOnTypedKey(nil)
		return
	}
	openDialogs[c] = stack
}

// topDialogKeys returns the keys of the form dialog on top, or nil when
// there is none or another dialog (a confirmation, a message) covers it.
func topDialogKeys(c fyne.Canvas) *dialogKeys {
	stack := openDialogs[c]
	if len(stack) == 0 {
		return nil
	}
	top := stack[len(stack)-1]
	if len(c.Overlays().List()) != top.depth {
		return nil
	}
	return top
}

// submitTopDialog submits the form dialog on top (Ctrl+S).
func submitTopDialog(c fyne.Canvas) {
	if top := topDialogKeys(c); top != nil {
		top.submit()
	}
}

// bindDialogKeys gives a dialog that is not a formDialog (the customer
// card) the same keys: Enter in a one-line entry, Enter with no focus and
// Ctrl+S press submit; Esc presses cancel.
func bindDialogKeys(win fyne.Window, dlg interface{ SetOnClosed(func()) }, submit, cancel *widget.Button, entries ...*entry) {
	k := &dialogKeys{submit: func() { press(submit) }, cancel: func() { press(cancel) }}
	for _, e := range entries {
		if e == nil {
			continue
		}
		if !e.MultiLine && e.OnSubmitted == nil {
			e.OnSubmitted = func(string) { k.submit() }
		}
		if e.onEscape == nil {
			e.onEscape = k.cancel
		}
	}
	c := win.Canvas()
	pushDialogKeys(c, k)
	dlg.SetOnClosed(func() { popDialogKeys(c, k) })
}

// bindCardKeys gives the customer card the keys of a form dialog.
func bindCardKeys(win fyne.Window, f *customerForm) {
	entries := []*entry{f.name, f.mnemonic, f.creditCode}
	for _, w := range f.fields {
		if e, ok := w.(*entry); ok {
			entries = append(entries, e)
		}
	}
	bindDialogKeys(win, f.dlg, f.save, f.close, entries...)
}
