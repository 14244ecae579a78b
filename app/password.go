package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// passwordForm changes the logged-in user's own password.
type passwordForm struct {
	ui      *UI
	old     *entry
	pw      *entry
	confirm *entry
}

func newPasswordForm(u *UI) *passwordForm {
	f := &passwordForm{ui: u, old: newPasswordEntry(), pw: newPasswordEntry(), confirm: newPasswordEntry()}
	f.pw.SetPlaceHolder("至少 8 位，含字母和数字")
	return f
}

func (f *passwordForm) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem("原密码", f.old),
		widget.NewFormItem("新密码", f.pw),
		widget.NewFormItem("确认新密码", f.confirm),
	}
}

// save checks the confirmation and changes the password.
func (f *passwordForm) save() error {
	if f.pw.Text != f.confirm.Text {
		return data.Errorf(data.EINVALID, "两次输入的新密码不一致，请重新输入")
	}
	user, err := f.ui.store.ChangePassword(context.Background(), f.ui.user, f.old.Text, f.pw.Text)
	if err != nil {
		return err
	}
	f.ui.user = user
	return nil
}

// passwordScreen is shown after login when an admin reset the password:
// the user must choose a new one before going on.
type passwordScreen struct {
	form    *passwordForm
	message *widget.Label
	submit  *widget.Button
}

func (u *UI) showForcedPasswordChange() {
	s := &passwordScreen{form: newPasswordForm(u), message: newMessage()}
	s.submit = widget.NewButton("修改密码并进入", func() {
		setMsg(s.message, "")
		if err := s.form.save(); err != nil {
			showErr(s.message, err)
			return
		}
		u.change = nil
		u.showMain()
	})
	s.submit.Importance = widget.HighImportance
	for _, e := range []*entry{s.form.old, s.form.pw, s.form.confirm} {
		e.OnSubmitted = func(string) { s.submit.OnTapped() }
	}
	note := widget.NewLabel("管理员重置了您的密码。请先设置一个只有您知道的新密码。")
	note.Wrapping = fyne.TextWrapWord
	u.change = s
	u.setContent(centered(460, container.NewVBox(
		widget.NewLabelWithStyle("修改密码", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		note, widget.NewForm(s.form.items()...), s.message,
		container.NewGridWithColumns(2, widget.NewButton("退出登录", u.logout), s.submit))))
	u.win.Canvas().Focus(s.form.old)
}

// showPasswordDialog lets the logged-in user change the password any time.
func (u *UI) showPasswordDialog() *formDialog {
	f := newPasswordForm(u)
	fd := newFormDialog(u.win, "修改密码", "保存", f.items(), f.save)
	fd.Show(u.win)
	return fd
}
