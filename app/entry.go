package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// entry is a widget.Entry that reports the Esc key, so that a dialog can
// close on it (Fyne's Entry ignores Esc).
type entry struct {
	widget.Entry
	onEscape func()
}

func newEntry() *entry {
	e := &entry{}
	e.ExtendBaseWidget(e)
	return e
}

// newPasswordEntry returns a masked entry with a button that shows the
// text while pressed on.
func newPasswordEntry() *entry {
	e := newEntry()
	e.Password = true
	var reveal *widget.Button
	reveal = widget.NewButtonWithIcon("", theme.VisibilityOffIcon(), func() {
		e.Password = !e.Password
		if e.Password {
			reveal.SetIcon(theme.VisibilityOffIcon())
		} else {
			reveal.SetIcon(theme.VisibilityIcon())
		}
		e.Refresh()
	})
	reveal.Importance = widget.LowImportance
	e.ActionItem = reveal
	return e
}

// TypedKey handles Esc and passes every other key to the Entry.
func (e *entry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

// windowKeys are the Ctrl shortcuts of the window (print, tabs) that an
// entry has no use for: a focused Entry would swallow them.
var windowKeys = map[fyne.KeyName]bool{fyne.KeyP: true, fyne.Key1: true, fyne.Key2: true, fyne.Key3: true,
	fyne.Key4: true, fyne.Key5: true, fyne.Key6: true, fyne.Key7: true, fyne.Key8: true, fyne.Key9: true}

// TypedShortcut passes the window's shortcuts on to the canvas and every
// other shortcut to the Entry.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && (windowKeys[cs.KeyName] && cs.Modifier == fyne.KeyModifierShortcutDefault ||
		isWindowShortcut(cs)) {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e).(fyne.Shortcutable); ok {
			c.TypedShortcut(s)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}
