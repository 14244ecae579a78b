package app

import (
	"context"
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// categoriesTab shows the two-level archive categories (门类 → 类别);
// admins add, rename, disable and delete them, everyone reads.
type categoriesTab struct {
	ui      *UI
	content fyne.CanvasObject
	tree    *widget.Tree
	info    *widget.Label

	addClass, addSub, edit, toggle, remove *widget.Button

	cats     map[string]data.Category
	children map[string][]string
	selected string
	dlg      *formDialog // the open form, for tests
}

func newCategoriesTab(u *UI) *categoriesTab {
	t := &categoriesTab{ui: u, info: widget.NewLabel("")}
	t.info.Wrapping = fyne.TextWrapWord
	t.tree = widget.NewTree(
		func(id widget.TreeNodeID) []widget.TreeNodeID { return t.children[id] },
		func(id widget.TreeNodeID) bool { return id == "" || len(t.children[id]) > 0 },
		func(bool) fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(categoryText(t.cats[id]))
		})
	t.tree.OnSelected = func(id widget.TreeNodeID) { t.selected = id; t.update() }
	t.addClass = widget.NewButton("新增门类", func() { t.showAdd(0) })
	t.addSub = widget.NewButton("新增类别", t.onAddSub)
	t.edit = widget.NewButton("修改", t.showEdit)
	t.toggle = widget.NewButton("停用", t.onToggle)
	t.remove = widget.NewButton("删除", t.onDelete)
	t.reload()
	var top fyne.CanvasObject = widget.NewLabel("档案门类与类别（只读：由管理员维护）")
	if u.user.IsAdmin() {
		top = container.NewHBox(t.addClass, t.addSub, t.edit, t.toggle, t.remove)
	}
	t.content = container.NewBorder(top, t.info, nil, nil, t.tree)
	return t
}

// categoryText is a tree row: “KH 客户档案” or “02 合同协议　D30 定期30年”.
func categoryText(c data.Category) string {
	s := c.Code + "  " + c.Name
	if !c.IsClass() {
		s += "    " + c.Retention + " " + data.RetentionLabel(c.Retention)
	}
	if !c.Active {
		s += "（已停用）"
	}
	return s
}

func (t *categoriesTab) reload() {
	cats, err := t.ui.store.FindCategories(context.Background())
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.cats = map[string]data.Category{}
	t.children = map[string][]string{}
	for _, c := range cats {
		id := strconv.FormatInt(c.ID, 10)
		t.cats[id] = c
		parent := ""
		if !c.IsClass() {
			parent = strconv.FormatInt(c.ParentID, 10)
		}
		t.children[parent] = append(t.children[parent], id)
	}
	if _, ok := t.cats[t.selected]; !ok {
		t.selected = ""
	}
	t.tree.Refresh()
	t.tree.OpenAllBranches()
	t.update()
}

func (t *categoriesTab) update() {
	c, ok := t.cats[t.selected]
	for _, b := range []*widget.Button{t.addSub, t.edit, t.toggle, t.remove} {
		setEnabled(b, ok)
	}
	if !ok {
		t.info.SetText("门类用字母代码（如 KH），类别用数字代码（如 01）并设默认保管期限：Y 永久、D30 定期30年、D10 定期10年。已有档案的类别只能改名或停用，不能删除。")
		return
	}
	if c.Active {
		t.toggle.SetText("停用")
	} else {
		t.toggle.SetText("启用")
	}
	if c.IsClass() {
		t.info.SetText(fmt.Sprintf("门类 %s %s，下有 %d 个类别。", c.Code, c.Name, len(t.children[t.selected])))
		return
	}
	t.info.SetText(fmt.Sprintf("类别 %s %s（门类 %s %s），默认保管期限 %s %s。", c.FullCode(), c.Name,
		c.ClassCode, c.ClassName, c.Retention, data.RetentionLabel(c.Retention)))
}

func (t *categoriesTab) onAddSub() {
	c, ok := t.cats[t.selected]
	if !ok {
		return
	}
	parent := c.ID
	if !c.IsClass() {
		parent = c.ParentID
	}
	t.showAdd(parent)
}

// showAdd opens the form for a new 门类 (parent 0) or 类别.
func (t *categoriesTab) showAdd(parent int64) {
	code, name := newEntry(), newEntry()
	ret := widget.NewSelectEntry(data.Retentions())
	ret.SetText("D30")
	title := "新增门类"
	items := []*widget.FormItem{
		{Text: "门类代码", Widget: code, HintText: "1 到 4 个英文字母，如 KH；保存后不能修改"},
		widget.NewFormItem("门类名称", name),
	}
	if parent != 0 {
		p := t.cats[strconv.FormatInt(parent, 10)]
		title = "新增类别"
		items = []*widget.FormItem{
			widget.NewFormItem("所属门类", widget.NewLabel(p.Code+" "+p.Name)),
			{Text: "类别代码", Widget: code, HintText: "如 01；保存后不能修改"},
			widget.NewFormItem("类别名称", name),
			{Text: "默认保管期限", Widget: ret, HintText: "Y 永久、D30、D10 或 Dn（n 年）"},
		}
	}
	t.dlg = newFormDialog(t.ui.win, title, "保存", items, func() error {
		c, err := t.ui.store.CreateCategory(context.Background(), t.ui.user, data.CategoryInput{
			ParentID: parent, Code: code.Text, Name: name.Text, Retention: ret.Text})
		if err != nil {
			return err
		}
		t.selected = strconv.FormatInt(c.ID, 10)
		t.reload()
		t.tree.Select(t.selected)
		t.ui.categoriesChanged()
		return nil
	})
	t.dlg.Show(t.ui.win)
}

func (t *categoriesTab) showEdit() {
	c, ok := t.cats[t.selected]
	if !ok {
		return
	}
	name := newEntry()
	name.SetText(c.Name)
	ret := widget.NewSelectEntry(data.Retentions())
	ret.SetText(c.Retention)
	items := []*widget.FormItem{
		widget.NewFormItem("代码", widget.NewLabel(c.FullCode())),
		widget.NewFormItem("名称", name),
	}
	if !c.IsClass() {
		items = append(items, &widget.FormItem{Text: "默认保管期限", Widget: ret, HintText: "只影响以后登记的档案"})
	}
	t.dlg = newFormDialog(t.ui.win, "修改档案类别", "保存", items, func() error {
		if err := t.ui.store.UpdateCategory(context.Background(), t.ui.user, c.ID, name.Text, ret.Text); err != nil {
			return err
		}
		t.reload()
		t.ui.categoriesChanged()
		return nil
	})
	t.dlg.Show(t.ui.win)
}

func (t *categoriesTab) onToggle() {
	c, ok := t.cats[t.selected]
	if !ok {
		return
	}
	verb, msg := "停用", fmt.Sprintf("确定停用“%s”吗？已有档案不受影响，但不能再登记新档案。", c.Label())
	if !c.Active {
		verb, msg = "启用", fmt.Sprintf("确定启用“%s”吗？", c.Label())
	}
	confirm(t.ui.win, verb+"档案类别", msg, func() {
		if err := t.ui.store.SetCategoryActive(context.Background(), t.ui.user, c.ID, !c.Active); err != nil {
			showError(t.ui.win, err)
		}
		t.reload()
		t.ui.categoriesChanged()
	})
}

func (t *categoriesTab) onDelete() {
	c, ok := t.cats[t.selected]
	if !ok {
		return
	}
	confirm(t.ui.win, "删除档案类别", fmt.Sprintf("确定删除“%s”吗？（操作会记入日志）", c.Label()), func() {
		if err := t.ui.store.DeleteCategory(context.Background(), t.ui.user, c.ID); err != nil {
			showError(t.ui.win, err)
			return
		}
		t.reload()
		t.ui.categoriesChanged()
	})
}
