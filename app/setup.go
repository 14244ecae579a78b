package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// setupScreen is the first-run form: the fonds and the first admin. No
// default password ships with the program.
type setupScreen struct {
	ui        *UI
	fondsName *entry
	fondsCode *entry
	username  *entry
	password  *entry
	confirm   *entry
	message   *widget.Label
	submit    *widget.Button
}

func (u *UI) showSetup() {
	s := &setupScreen{
		ui:        u,
		fondsName: newEntry(),
		fondsCode: newEntry(),
		username:  newEntry(),
		password:  newPasswordEntry(),
		confirm:   newPasswordEntry(),
		message:   newMessage(),
	}
	s.fondsName.SetPlaceHolder("单位全称，如：华东机械有限公司")
	s.fondsCode.SetPlaceHolder("如 Z109，字母或数字")
	s.username.SetText("admin")
	s.password.SetPlaceHolder("至少 8 位，含字母和数字")
	s.submit = widget.NewButton("完成设置并登录", s.onSubmit)
	s.submit.Importance = widget.HighImportance
	for _, e := range []*entry{s.fondsName, s.fondsCode, s.username, s.password, s.confirm} {
		e.OnSubmitted = func(string) { s.onSubmit() }
	}
	form := widget.NewForm(
		widget.NewFormItem("全宗名称", s.fondsName),
		widget.NewFormItem("全宗号", s.fondsCode),
		widget.NewFormItem("管理员用户名", s.username),
		widget.NewFormItem("密码", s.password),
		widget.NewFormItem("确认密码", s.confirm),
	)
	intro := widget.NewLabel("欢迎使用档案通。首次使用请填写本单位的全宗信息，并设置管理员账户。" +
		"管理员可以管理部门、用户和系统设置。请牢记密码：程序没有默认密码。")
	intro.Wrapping = fyne.TextWrapWord
	u.setup = s
	u.setContent(centered(560, container.NewVBox(
		widget.NewLabelWithStyle("档案通 · 首次设置", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		u.fontWarning, intro, form, s.message, s.submit)))
	u.win.Canvas().Focus(s.fondsName)
}

func (s *setupScreen) onSubmit() {
	setMsg(s.message, "")
	if s.password.Text != s.confirm.Text {
		setMsg(s.message, "两次输入的密码不一致，请重新输入")
		s.ui.win.Canvas().Focus(s.confirm)
		return
	}
	admin, err := s.ui.store.Initialize(context.Background(), data.SetupInput{
		FondsCode: s.fondsCode.Text,
		FondsName: s.fondsName.Text,
		Username:  s.username.Text,
		Password:  s.password.Text,
	})
	if err != nil {
		showErr(s.message, err)
		return
	}
	s.ui.loggedIn(admin)
}
