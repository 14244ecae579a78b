package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// deptTab shows the department tree; admins add, rename and delete.
type deptTab struct {
	ui       *UI
	content  fyne.CanvasObject
	tree     *widget.Tree
	info     *widget.Label
	add      *widget.Button
	addChild *widget.Button
	rename   *widget.Button
	remove   *widget.Button

	byCode   map[string]data.Department
	children map[string][]string // parent code ("" for the top) → child codes
	selected string
	rule     data.CodingRule
	dlg      *formDialog // the open add or rename dialog, for tests
}

func newDeptTab(u *UI) *deptTab {
	t := &deptTab{ui: u, info: widget.NewLabel("")}
	t.info.Wrapping = fyne.TextWrapWord
	t.tree = widget.NewTree(
		func(id widget.TreeNodeID) []widget.TreeNodeID { return t.children[id] },
		func(id widget.TreeNodeID) bool { return id == "" || len(t.children[id]) > 0 },
		func(bool) fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			d := t.byCode[id]
			o.(*widget.Label).SetText(d.Code + "  " + d.Name)
		})
	t.tree.OnSelected = t.onSelected
	t.add = widget.NewButton("新增一级部门", func() { t.showAdd("") })
	t.addChild = widget.NewButton("新增下级部门", func() { t.showAdd(t.selected) })
	t.rename = widget.NewButton("改名", t.showRename)
	t.remove = widget.NewButton("删除", t.onDelete)
	t.reload()

	imp, exp := t.excelButtons()
	var top fyne.CanvasObject = container.NewHBox(widget.NewLabel("部门列表（只读）"), exp)
	if u.user.IsAdmin() {
		top = container.NewHBox(t.add, t.addChild, t.rename, t.remove, imp, exp)
	}
	t.updateButtons()
	t.content = container.NewBorder(top, t.info, nil, nil, t.tree)
	return t
}

// reload reads the departments again and refreshes the tree.
func (t *deptTab) reload() {
	ctx := context.Background()
	depts, err := t.ui.store.FindDepartments(ctx)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	f, _ := t.ui.store.Fonds(ctx)
	t.rule = f.Rule()
	t.byCode = map[string]data.Department{}
	t.children = map[string][]string{}
	for _, d := range depts {
		t.byCode[d.Code] = d
		parent := t.rule.ParentCode(d.Code)
		t.children[parent] = append(t.children[parent], d.Code)
	}
	if _, ok := t.byCode[t.selected]; !ok {
		t.selected = ""
	}
	t.tree.Refresh()
	t.tree.OpenAllBranches()
	t.showInfo()
}

func (t *deptTab) onSelected(id widget.TreeNodeID) {
	t.selected = id
	t.updateButtons()
	t.showInfo()
}

func (t *deptTab) showInfo() {
	d, ok := t.byCode[t.selected]
	if !ok {
		t.info.SetText(fmt.Sprintf("共 %d 个部门。编码规则 %s：下级编码在上级编码后续位，编码保存后不能修改，名称可以修改。",
			len(t.byCode), t.rule))
		return
	}
	parent := "（无，一级部门）"
	if p, ok := t.byCode[t.rule.ParentCode(d.Code)]; ok {
		parent = p.Code + " " + p.Name
	}
	t.info.SetText(fmt.Sprintf("编码：%s    名称：%s    级次：%d    上级：%s    下级部门：%d 个",
		d.Code, d.Name, t.rule.Level(d.Code), parent, len(t.children[d.Code])))
}

func (t *deptTab) updateButtons() {
	_, ok := t.byCode[t.selected]
	for _, b := range []*widget.Button{t.addChild, t.rename, t.remove} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if ok && t.rule.Level(t.selected) >= len(t.rule) {
		t.addChild.Disable()
	}
}

// showAdd opens the form for a new department under parent ("" = top).
func (t *deptTab) showAdd(parent string) {
	code := newEntry()
	name := newEntry()
	if next, err := t.ui.store.NextDepartmentCode(context.Background(), parent); err == nil {
		code.SetText(next)
	}
	name.SetPlaceHolder("如：销售部")
	parentText := "（无，一级部门）"
	if p, ok := t.byCode[parent]; ok {
		parentText = p.Code + " " + p.Name
	}
	items := []*widget.FormItem{
		widget.NewFormItem("上级部门", widget.NewLabel(parentText)),
		{Text: "部门编码", Widget: code, HintText: fmt.Sprintf("按编码规则 %s，保存后不能修改", t.rule)},
		widget.NewFormItem("部门名称", name),
	}
	t.dlg = newFormDialog(t.ui.win, "新增部门", "保存", items, func() error {
		d, err := t.ui.store.CreateDepartment(context.Background(), t.ui.user, code.Text, name.Text)
		if err != nil {
			return err
		}
		t.selected = d.Code
		t.reload()
		t.tree.Select(d.Code)
		return nil
	})
	t.dlg.Show(t.ui.win)
	t.ui.win.Canvas().Focus(name)
}

func (t *deptTab) showRename() {
	d, ok := t.byCode[t.selected]
	if !ok {
		return
	}
	name := newEntry()
	name.SetText(d.Name)
	items := []*widget.FormItem{
		widget.NewFormItem("部门编码", widget.NewLabel(d.Code)),
		widget.NewFormItem("新名称", name),
	}
	t.dlg = newFormDialog(t.ui.win, "部门改名", "保存", items, func() error {
		if err := t.ui.store.RenameDepartment(context.Background(), t.ui.user, d.ID, name.Text); err != nil {
			return err
		}
		t.reload()
		return nil
	})
	t.dlg.Show(t.ui.win)
}

func (t *deptTab) onDelete() {
	d, ok := t.byCode[t.selected]
	if !ok {
		return
	}
	confirm(t.ui.win, "删除部门", fmt.Sprintf("确定删除部门“%s %s”吗？删除后不能恢复（操作会记入日志）。", d.Code, d.Name), func() {
		if err := t.ui.store.DeleteDepartment(context.Background(), t.ui.user, d.ID); err != nil {
			showError(t.ui.win, err)
			return
		}
		t.reload()
		t.updateButtons()
	})
}
