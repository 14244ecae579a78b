package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// usersTab lists the users; admins create, edit, disable and reset them.
type usersTab struct {
	ui      *UI
	content fyne.CanvasObject
	table   *widget.Table
	users   []data.User
	sel     int // selected row, -1 for none

	edit, toggle, reset *widget.Button
	dlg                 *formDialog // the open form, for tests
}

var userColumns = []column{
	{"用户名", 140}, {"显示名", 140}, {"所属部门", 200}, {"角色", 90}, {"状态", 150}, {"下次登录须改密码", 150},
}

func newUsersTab(u *UI) *usersTab {
	t := &usersTab{ui: u, sel: -1}
	t.table = newTable(userColumns, func() int { return len(t.users) }, t.cell)
	t.table.OnSelected = func(id widget.TableCellID) { t.sel = id.Row; t.updateButtons() }
	add := widget.NewButton("新建用户", t.showCreate)
	add.Importance = widget.HighImportance
	t.edit = widget.NewButton("编辑", t.showEdit)
	t.toggle = widget.NewButton("停用", t.onToggle)
	t.reset = widget.NewButton("重置密码", t.onReset)
	t.reload()
	t.content = container.NewBorder(container.NewHBox(add, t.edit, t.toggle, t.reset, t.exportButton()), nil, nil, nil, t.table)
	return t
}

func (t *usersTab) cell(row, col int) string {
	if row >= len(t.users) {
		return ""
	}
	u := t.users[row]
	switch col {
	case 0:
		return u.Username
	case 1:
		return u.DisplayName
	case 2:
		return deptText(u.DeptCode, u.DeptName)
	case 3:
		return u.Role.Label()
	case 4:
		switch {
		case !u.Active:
			return "已停用"
		case u.Locked(t.ui.store.Now()):
			return "锁定至 " + u.LockedUntil.Local().Format("15:04")
		}
		return "正常"
	case 5:
		if u.MustChangePassword {
			return "是"
		}
	}
	return ""
}

func deptText(code, name string) string {
	if code == "" {
		return ""
	}
	return code + " " + name
}

func (t *usersTab) reload() {
	users, err := t.ui.store.FindUsers(context.Background())
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.users = users
	if t.sel >= len(users) {
		t.sel = -1
	}
	t.table.Refresh()
	t.updateButtons()
}

func (t *usersTab) selectedUser() (data.User, bool) {
	if t.sel < 0 || t.sel >= len(t.users) {
		return data.User{}, false
	}
	return t.users[t.sel], true
}

func (t *usersTab) updateButtons() {
	u, ok := t.selectedUser()
	for _, b := range []*widget.Button{t.edit, t.toggle, t.reset} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if ok && !u.Active {
		t.toggle.SetText("启用")
	} else {
		t.toggle.SetText("停用")
	}
}

// userFields are the widgets of the user form.
type userFields struct {
	username, display, pw, confirm *entry
	dept, role                     *widget.Select
	scopeAll, mustChange           *widget.Check
	deptIDs                        map[string]int64
}

const noDept = "（无）"

func (t *usersTab) newFields() (*userFields, error) {
	depts, err := t.ui.store.FindDepartments(context.Background())
	if err != nil {
		return nil, err
	}
	f := &userFields{
		username: newEntry(), display: newEntry(),
		pw: newPasswordEntry(), confirm: newPasswordEntry(),
		role:       widget.NewSelect([]string{data.RoleOperator.Label(), data.RoleAdmin.Label()}, nil),
		scopeAll:   widget.NewCheck("可查看和编辑全部部门的客户", nil),
		mustChange: widget.NewCheck("首次登录时须修改密码", nil),
		deptIDs:    map[string]int64{noDept: 0},
	}
	options := []string{noDept}
	for _, d := range depts {
		label := d.Code + " " + d.Name
		options = append(options, label)
		f.deptIDs[label] = d.ID
	}
	f.dept = widget.NewSelect(options, nil)
	f.dept.SetSelected(noDept)
	f.role.SetSelected(data.RoleOperator.Label())
	f.mustChange.SetChecked(true)
	f.pw.SetPlaceHolder("至少 8 位，含字母和数字")
	return f, nil
}

func (f *userFields) selectedRole() data.Role {
	r, _ := data.RoleByLabel(f.role.Selected)
	return r
}

func (t *usersTab) showCreate() {
	f, err := t.newFields()
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	items := []*widget.FormItem{
		{Text: "用户名", Widget: f.username, HintText: "登录用，创建后不能修改"},
		widget.NewFormItem("显示名", f.display),
		widget.NewFormItem("所属部门", f.dept),
		widget.NewFormItem("角色", f.role),
		widget.NewFormItem("", f.scopeAll),
		widget.NewFormItem("初始密码", f.pw),
		widget.NewFormItem("确认密码", f.confirm),
		widget.NewFormItem("", f.mustChange),
	}
	t.dlg = newFormDialog(t.ui.win, "新建用户", "创建", items, func() error {
		if f.pw.Text != f.confirm.Text {
			return data.Errorf(data.EINVALID, "两次输入的密码不一致，请重新输入")
		}
		_, err := t.ui.store.CreateUser(context.Background(), t.ui.user, data.UserInput{
			Username: f.username.Text, DisplayName: f.display.Text, DeptID: f.deptIDs[f.dept.Selected],
			Role: f.selectedRole(), ScopeAll: f.scopeAll.Checked, Password: f.pw.Text, MustChangePassword: f.mustChange.Checked,
		})
		if err != nil {
			return err
		}
		t.reload()
		return nil
	})
	t.dlg.Show(t.ui.win)
}

func (t *usersTab) showEdit() {
	u, ok := t.selectedUser()
	if !ok {
		return
	}
	f, err := t.newFields()
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	f.display.SetText(u.DisplayName)
	f.role.SetSelected(u.Role.Label())
	f.scopeAll.SetChecked(u.ScopeAll)
	if label := deptText(u.DeptCode, u.DeptName); label != "" {
		f.dept.SetSelected(label)
	}
	items := []*widget.FormItem{
		widget.NewFormItem("用户名", widget.NewLabel(u.Username)),
		widget.NewFormItem("显示名", f.display),
		widget.NewFormItem("所属部门", f.dept),
		widget.NewFormItem("角色", f.role),
		widget.NewFormItem("", f.scopeAll),
	}
	t.dlg = newFormDialog(t.ui.win, "编辑用户", "保存", items, func() error {
		updated, err := t.ui.store.UpdateUser(context.Background(), t.ui.user, u.ID, data.UserUpdate{
			DisplayName: f.display.Text, DeptID: f.deptIDs[f.dept.Selected], Role: f.selectedRole(), ScopeAll: f.scopeAll.Checked,
		})
		if err != nil {
			return err
		}
		if updated.ID == t.ui.user.ID {
			t.ui.user = updated
		}
		t.reload()
		return nil
	})
	t.dlg.Show(t.ui.win)
}

func (t *usersTab) onToggle() {
	u, ok := t.selectedUser()
	if !ok {
		return
	}
	verb := "停用"
	msg := fmt.Sprintf("确定停用用户“%s（%s）”吗？停用后该用户不能登录，记录仍然保留，可以随时再启用。", u.Username, u.DisplayName)
	if !u.Active {
		verb = "启用"
		msg = fmt.Sprintf("确定启用用户“%s（%s）”吗？", u.Username, u.DisplayName)
	}
	confirm(t.ui.win, verb+"用户", msg, func() {
		if err := t.ui.store.SetUserActive(context.Background(), t.ui.user, u.ID, !u.Active); err != nil {
			showError(t.ui.win, err)
		}
		t.reload()
	})
}

// onReset sets a random temporary password and shows it once.
func (t *usersTab) onReset() {
	u, ok := t.selectedUser()
	if !ok {
		return
	}
	confirm(t.ui.win, "重置密码", fmt.Sprintf("确定为用户“%s（%s）”重置密码吗？程序会生成一个临时密码，该用户下次登录时须修改。", u.Username, u.DisplayName), func() {
		temp := data.GeneratePassword()
		if err := t.ui.store.ResetPassword(context.Background(), t.ui.user, u.ID, temp); err != nil {
			showError(t.ui.win, err)
			return
		}
		t.reload()
		pw := newEntry()
		pw.SetText(temp)
		note := widget.NewLabel(fmt.Sprintf("用户“%s”的临时密码如下。请当面或电话告知本人；此密码只显示这一次。", u.Username))
		note.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustom("密码已重置", "关闭", container.NewVBox(note, pw), t.ui.win)
		d.Resize(fyne.NewSize(420, 200))
		d.Show()
	})
}
