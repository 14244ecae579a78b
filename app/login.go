package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// loginScreen asks for user name and password.
type loginScreen struct {
	ui       *UI
	username *entry
	password *entry
	message  *widget.Label
	submit   *widget.Button
}

func (u *UI) showLogin() {
	s := &loginScreen{
		ui:       u,
		username: newEntry(),
		password: newPasswordEntry(),
		message:  newMessage(),
	}
	s.submit = widget.NewButton("登录", s.onSubmit)
	s.submit.Importance = widget.HighImportance
	s.username.OnSubmitted = func(string) { u.win.Canvas().Focus(s.password) }
	s.password.OnSubmitted = func(string) { s.onSubmit() }
	fonds := ""
	if f, err := u.store.Fonds(context.Background()); err == nil {
		fonds = f.Code + " " + f.Name
	}
	form := widget.NewForm(
		widget.NewFormItem("用户名", s.username),
		widget.NewFormItem("密码", s.password),
	)
	u.login = s
	u.setContent(centered(420, container.NewVBox(
		widget.NewLabelWithStyle("档案通 · 客户档案管理", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		widget.NewLabelWithStyle(fonds, fyne.TextAlignCenter, fyne.TextStyle{}),
		u.fontWarning, form, s.message, s.submit)))
	u.win.Canvas().Focus(s.username)
}

func (s *loginScreen) onSubmit() {
	setMsg(s.message, "")
	user, err := s.ui.store.Authenticate(context.Background(), s.username.Text, s.password.Text)
	if err != nil {
		showErr(s.message, err)
		s.password.SetText("")
		s.ui.win.Canvas().Focus(s.password)
		return
	}
	s.ui.loggedIn(user)
}
