package app

import (
	"log"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// centered places content in a column of the given width in the middle of
// the window.
func centered(width float32, content fyne.CanvasObject) fyne.CanvasObject {
	spacer := canvas.NewRectangle(nil)
	spacer.SetMinSize(fyne.NewSize(width, 0))
	return container.NewCenter(container.NewStack(spacer, content))
}

// newMessage returns a hidden label for error messages beside a form.
func newMessage() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setMsg shows text in a message label, or hides the label when text is
// empty so that it takes no room.
func setMsg(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// showErr puts the user's message for err in label and logs internal
// errors in full.
func showErr(label *widget.Label, err error) {
	if data.ErrorCode(err) == data.EINTERNAL {
		log.Printf("error: %v", err)
	}
	setMsg(label, data.ErrorMessage(err))
}

// formatTime shows a stored time in local time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

// formDialog is a modal form that stays open, input intact, while the
// submit function reports an error beside the fields.
type formDialog struct {
	dlg     *dialog.CustomDialog
	form    *widget.Form
	message *widget.Label
	submit  *widget.Button
	cancel  *widget.Button
	keys    *dialogKeys // Enter, Esc and Ctrl+S while it is open
}

// newFormDialog builds a form dialog; onSubmit returns nil to close it.
func newFormDialog(win fyne.Window, title, submitText string, items []*widget.FormItem, onSubmit func() error) *formDialog {
	fd := &formDialog{form: widget.NewForm(items...), message: newMessage()}
	fd.submit = widget.NewButton(submitText, func() {
		setMsg(fd.message, "")
		if err := onSubmit(); err != nil {
			showErr(fd.message, err)
			return
		}
		fd.dlg.Hide()
	})
	fd.submit.Importance = widget.HighImportance
	fd.cancel = widget.NewButton("取消", func() { fd.dlg.Hide() })
	buttons := container.NewHBox(layout.NewSpacer(), fd.cancel, fd.submit)
	spacer := canvas.NewRectangle(nil)
	spacer.SetMinSize(fyne.NewSize(420, 0))
	content := container.NewVBox(spacer, fd.form, fd.message, buttons)
	fd.dlg = dialog.NewCustomWithoutButtons(title, content, win)
	for _, it := range items {
		if e, ok := it.Widget.(*entry); ok {
			e.OnSubmitted = func(string) { fd.submit.OnTapped() }
			e.onEscape = fd.dlg.Hide
		}
	}
	// Enter and Esc also work when no entry has the focus; Ctrl+S submits.
	fd.keys = &dialogKeys{submit: func() { press(fd.submit) }, cancel: fd.dlg.Hide}
	fd.dlg.SetOnClosed(func() { popDialogKeys(win.Canvas(), fd.keys) })
	return fd
}

// Show opens the dialog and focuses its first entry.
func (fd *formDialog) Show(win fyne.Window) {
	fd.dlg.Show()
	pushDialogKeys(win.Canvas(), fd.keys)
	for _, it := range fd.form.Items {
		if e, ok := it.Widget.(*entry); ok && !e.Disabled() {
			win.Canvas().Focus(e)
			break
		}
	}
}

// confirm asks before a destructive action.
func confirm(win fyne.Window, title, msg string, yes func()) dialog.Dialog {
	d := dialog.NewConfirm(title, msg, func(ok bool) {
		if ok {
			yes()
		}
	}, win)
	d.SetConfirmText("确定")
	d.SetDismissText("取消")
	d.Show()
	return d
}

// showError reports a failed action in a dialog.
func showError(win fyne.Window, err error) {
	if data.ErrorCode(err) == data.EINTERNAL {
		log.Printf("error: %v", err)
	}
	d := dialog.NewInformation("操作未完成", data.ErrorMessage(err), win)
	d.SetDismissText("知道了")
	d.Show()
}

// desktopShortcut is Ctrl (Cmd on macOS) plus a key.
type desktopShortcut struct{ key fyne.KeyName }

func (s *desktopShortcut) Key() fyne.KeyName { return s.key }

func (s *desktopShortcut) Mod() fyne.KeyModifier { return fyne.KeyModifierShortcutDefault }

// ShortcutName matches the name the desktop driver gives a key press with
// modifiers (desktop.CustomShortcut): canvas shortcuts are looked up by it.
func (s *desktopShortcut) ShortcutName() string {
	return (&desktop.CustomShortcut{KeyName: s.key, Modifier: s.Mod()}).ShortcutName()
}

// column describes one column of a table.
type column struct {
	title string
	width float32
}

// minTableHeight is the height a table needs before it reports its rows:
// the header plus a row.
const minTableHeight = 90

// newTable builds a read-only table with a header row. It reports no rows
// until it has a size, so that Fyne does not lay out every row at once
// (../shared/NOTES.md: the Table trap at 100k rows).
func newTable(cols []column, rows func() int, cell func(row, col int) string) *widget.Table {
	var t *widget.Table
	t = widget.NewTableWithHeaders(
		func() (int, int) {
			// Until the rows area below the header has a height, Fyne
			// treats every row as visible and makes one separator per row
			// (kept for good): during the first layout a table can be
			// shorter than its header, so wait for a usable height.
			if t == nil || t.Size().Height < minTableHeight {
				return 0, len(cols)
			}
			return rows(), len(cols)
		},
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(cell(id.Row, id.Col))
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(cols) {
			o.(*widget.Label).SetText(cols[id.Col].title)
		}
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}
