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
	onShow map[*container.TabItem]func() // refresh a panel when its tab is opened

	dashboard  *dashboardTab
	customers  *customersTab
	archive    *archiveTab
	reminders  *remindersTab
	loans      *loansTab
	appraisal  *appraisalTab
	destroy    *destructionTab
	categories *categoriesTab
	depts      *deptTab
	dicts      *dictTab
	users      *usersTab
	settings   *settingsTab
	audit      *auditTab
	backup     *backupTab
	search     *searchBar
}

// addTab appends a panel; onShow, if not nil, runs each time it is opened
// so that it shows what changed elsewhere.
func (m *mainScreen) addTab(items []*container.TabItem, title string, content fyne.CanvasObject, onShow func()) []*container.TabItem {
	item := container.NewTabItem(title, content)
	if onShow != nil {
		m.onShow[item] = onShow
	}
	return append(items, item)
}

func (u *UI) showMain() {
	m := &mainScreen{onShow: map[*container.TabItem]func(){}}
	u.main = m // panels refresh each other through u.main
	var items []*container.TabItem

	m.dashboard = newDashboardTab(u)
	items = m.addTab(items, "首页", m.dashboard.content, m.dashboard.reload)
	m.customers = newCustomersTab(u)
	items = m.addTab(items, "客户档案", m.customers.content, m.customers.onShow)
	m.archive = newArchiveTab(u)
	items = m.addTab(items, "档案管理", m.archive.content, m.archive.reloadCategories)
	m.reminders = newRemindersTab(u, m.customers.openCard)
	items = m.addTab(items, "客户提醒", m.reminders.content, m.reminders.reload)
	m.loans, m.appraisal, m.destroy = newLoansTab(u), newAppraisalTab(u), newDestructionTab(u)
	items = m.addTab(items, "借阅管理", m.loans.content, m.loans.reload)
	items = m.addTab(items, "档案鉴定", m.appraisal.content, m.appraisal.reload)
	items = m.addTab(items, "销毁清册", m.destroy.content, m.destroy.reload)
	m.categories = newCategoriesTab(u)
	items = m.addTab(items, "档案类别", m.categories.content, m.categories.reload)
	m.depts = newDeptTab(u)
	items = m.addTab(items, "部门", m.depts.content, m.depts.reload)
	if u.user.IsAdmin() {
		m.dicts = newDictTab(u)
		items = m.addTab(items, "基础资料", m.dicts.content, nil)
		m.users = newUsersTab(u)
		items = m.addTab(items, "用户", m.users.content, m.users.reload)
		m.settings = newSettingsTab(u)
		items = m.addTab(items, "系统设置", m.settings.content, m.settings.reload)
		m.audit = newAuditTab(u)
		items = m.addTab(items, "操作日志", m.audit.content, m.audit.reload)
		m.backup = newBackupTab(u)
		items = m.addTab(items, "备份与恢复", m.backup.content, m.backup.reload)
	}
	m.tabs = container.NewAppTabs(items...)
	m.tabs.OnSelected = func(t *container.TabItem) {
		if f := m.onShow[t]; f != nil {
			f()
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
	m.search = newSearchBar(u)
	u.setContent(container.NewBorder(m.search.content, container.NewVBox(widget.NewSeparator(), bar), nil, nil,
		container.NewStack(m.tabs, m.search.panel)))
	u.addShortcuts()
	u.addKeyboard()
}

// tabTitles returns the titles of the tabs shown, for tests.
func (m *mainScreen) tabTitles() []string {
	var out []string
	for _, it := range m.tabs.Items {
		out = append(out, it.Text)
	}
	return out
}

// addShortcuts binds Ctrl+1…9 to the tabs and Ctrl+P to the print dialog
// of the tab shown.
func (u *UI) addShortcuts() {
	u.win.Canvas().AddShortcut(&desktopShortcut{key: fyne.KeyP}, func(fyne.Shortcut) { u.printCurrentTab() })
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
