package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// mainScreen is the window after login: one tab per panel the user may
// use, and a status bar with the user and a logout action.
type mainScreen struct {
	tabs   *container.AppTabs
	status *widget.Label
	logout *widget.Button

	depts     *deptTab
	users     *usersTab
	audit     *auditTab
	auditItem *container.TabItem
}

func (u *UI) showMain() {
	m := &mainScreen{}
	m.depts = newDeptTab(u)
	items := []*container.TabItem{container.NewTabItem("部门", m.depts.content)}
	if u.user.IsAdmin() {
		m.users = newUsersTab(u)
		m.audit = newAuditTab(u)
		m.auditItem = container.NewTabItem("操作日志", m.audit.content)
		items = append(items, container.NewTabItem("用户", m.users.content), m.auditItem)
	}
	m.tabs = container.NewAppTabs(items...)
	m.tabs.OnSelected = func(t *container.TabItem) {
		if t == m.auditItem {
			m.audit.reload() // show what happened since the tab was last open
		}
	}
	fonds := ""
	if f, err := u.store.Fonds(context.Background()); err == nil {
		fonds = "全宗：" + f.Code + " " + f.Name
	}
	m.status = widget.NewLabel(fmt.Sprintf("当前用户：%s（%s，%s）    %s",
		u.user.DisplayName, u.user.Username, u.user.Role.Label(), fonds))
	m.logout = widget.NewButton("退出登录", u.logout)
	changePw := widget.NewButton("修改密码", func() { u.showPasswordDialog() })
	bar := container.NewHBox(m.status, layout.NewSpacer(), changePw, m.logout)
	u.rememberTab(m.tabs)
	u.main = m
	u.setContent(container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), bar), nil, nil, m.tabs))
	u.addShortcuts()
}

// tabTitles returns the titles of the tabs shown, for tests.
func (m *mainScreen) tabTitles() []string {
	var out []string
	for _, it := range m.tabs.Items {
		out = append(out, it.Text)
	}
	return out
}

// addShortcuts binds Ctrl+1…9 to the tabs.
func (u *UI) addShortcuts() {
	for i := 1; i <= 9; i++ {
		idx := i - 1
		key := fyne.KeyName(fmt.Sprint(i))
		u.win.Canvas().AddShortcut(&desktopShortcut{key: key}, func(fyne.Shortcut) {
			if u.main != nil && idx < len(u.main.tabs.Items) {
				u.main.tabs.SelectIndex(idx)
			}
		})
	}
}
