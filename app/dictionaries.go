package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// dictTab is the admin's 基础资料 tab: the customer categories and the
// dictionaries behind the card's drop-downs.
type dictTab struct {
	ui      *UI
	content fyne.CanvasObject
	kinds   *widget.List
	table   *widget.Table
	info    *widget.Label
	kind    int // index into kindList: 0 = customer categories
	sel     int

	entries []data.DictEntry
	cats    []data.CustomerCategory
	rule    data.CodingRule

	add, addChild, rename, toggle, remove *widget.Button
	dlg                                   *formDialog
}

const categoriesKind = "客户分类"

func kindList() []string {
	out := []string{categoriesKind}
	for _, k := range data.DictKinds {
		out = append(out, k.Label)
	}
	return out
}

func newDictTab(u *UI) *dictTab {
	t := &dictTab{ui: u, sel: -1, info: widget.NewLabel("")}
	t.info.Wrapping = fyne.TextWrapWord
	kinds := kindList()
	t.kinds = widget.NewList(func() int { return len(kinds) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(kinds[i]) })
	t.kinds.OnSelected = func(i widget.ListItemID) { t.kind = i; t.sel = -1; t.reload() }
	t.table = newTable([]column{{"名称", 320}, {"状态", 100}}, t.rows, t.cell)
	t.table.OnSelected = func(id widget.TableCellID) { t.sel = id.Row; t.updateButtons() }
	t.add = widget.NewButton("新增", func() { t.showAdd(false) })
	t.addChild = widget.NewButton("新增下级分类", func() { t.showAdd(true) })
	t.rename = widget.NewButton("改名", t.showRename)
	t.toggle = widget.NewButton("停用", t.onToggle)
	t.remove = widget.NewButton("删除", t.onDelete)
	right := container.NewBorder(container.NewHBox(t.add, t.addChild, t.rename, t.toggle, t.remove), t.info, nil, nil, t.table)
	split := container.NewHSplit(t.kinds, right)
	split.Offset = 0.18
	t.content = split
	t.kinds.Select(0)
	return t
}

func (t *dictTab) isCategories() bool { return t.kind == 0 }

func (t *dictTab) dictKind() data.DictKind { return data.DictKinds[t.kind-1] }

func (t *dictTab) rows() int {
	if t.isCategories() {
		return len(t.cats)
	}
	return len(t.entries)
}

func (t *dictTab) cell(row, col int) string {
	if t.isCategories() {
		if row >= len(t.cats) {
			return ""
		}
		c := t.cats[row]
		if col == 0 {
			return strings.Repeat("    ", max(t.rule.Level(c.Code)-1, 0)) + c.Code + "  " + c.Name
		}
		return ""
	}
	if row >= len(t.entries) {
		return ""
	}
	e := t.entries[row]
	if col == 0 {
		return e.Name
	}
	if e.Active {
		return "启用"
	}
	return "已停用"
}

func (t *dictTab) reload() {
	ctx := context.Background()
	var err error
	if t.isCategories() {
		t.cats, err = t.ui.store.FindCustomerCategories(ctx)
		f, _ := t.ui.store.Fonds(ctx)
		t.rule = f.Rule()
		t.info.SetText(fmt.Sprintf("客户分类按编码规则 %s 分级，下级编码在上级编码后续位。客户编码 = 分类编码 + 4 位流水号（如分类 01 → 客户 010001），保存时自动生成，之后不变。有客户或下级分类的分类不能删除。", t.rule))
	} else {
		t.entries, err = t.ui.store.FindDictionary(ctx, t.dictKind().Code, true)
		t.info.SetText(fmt.Sprintf("“%s”是客户档案卡的下拉选项，导入时按名称匹配。改名会同步到已使用它的记录；正在使用的项目不能删除，只能停用（停用后不再出现在新的选择中）。", t.dictKind().Label))
	}
	if err != nil {
		showError(t.ui.win, err)
	}
	if t.sel >= t.rows() {
		t.sel = -1
	}
	t.table.UnselectAll()
	t.table.Refresh()
	t.updateButtons()
}

func (t *dictTab) updateButtons() {
	ok := t.sel >= 0 && t.sel < t.rows()
	setEnabled(t.rename, ok)
	setEnabled(t.remove, ok)
	setEnabled(t.toggle, ok && !t.isCategories())
	setEnabled(t.addChild, ok && t.isCategories() && t.rule.Level(t.cats[t.sel].Code) < len(t.rule))
	if t.isCategories() {
		t.add.SetText("新增一级分类")
		t.addChild.Show()
		t.toggle.Hide()
	} else {
		t.add.SetText("新增")
		t.addChild.Hide()
		t.toggle.Show()
		if ok && !t.entries[t.sel].Active {
			t.toggle.SetText("启用")
		} else {
			t.toggle.SetText("停用")
		}
	}
}

func (t *dictTab) showAdd(child bool) {
	ctx := context.Background()
	name := newEntry()
	if t.isCategories() {
		parent := ""
		if child && t.sel >= 0 {
			parent = t.cats[t.sel].Code
		}
		code := newEntry()
		if next, err := t.ui.store.NextCustomerCategoryCode(ctx, parent); err == nil {
			code.SetText(next)
		}
		name.SetPlaceHolder("如：重点客户")
		items := []*widget.FormItem{
			{Text: "分类编码", Widget: code, HintText: fmt.Sprintf("按编码规则 %s，保存后不能修改", t.rule)},
			widget.NewFormItem("分类名称", name),
		}
		t.dlg = newFormDialog(t.ui.win, "新增客户分类", "保存", items, func() error {
			if _, err := t.ui.store.CreateCustomerCategory(ctx, t.ui.user, code.Text, name.Text); err != nil {
				return err
			}
			t.reload()
			return nil
		})
	} else {
		k := t.dictKind()
		items := []*widget.FormItem{widget.NewFormItem(k.Label, name)}
		t.dlg = newFormDialog(t.ui.win, "新增"+k.Label, "保存", items, func() error {
			if _, err := t.ui.store.CreateDictEntry(ctx, t.ui.user, k.Code, name.Text); err != nil {
				return err
			}
			t.reload()
			return nil
		})
	}
	t.dlg.Show(t.ui.win)
	t.ui.win.Canvas().Focus(name)
}

func (t *dictTab) showRename() {
	if t.sel < 0 || t.sel >= t.rows() {
		return
	}
	ctx := context.Background()
	name := newEntry()
	var save func() error
	if t.isCategories() {
		c := t.cats[t.sel]
		name.SetText(c.Name)
		save = func() error { return t.ui.store.RenameCustomerCategory(ctx, t.ui.user, c.ID, name.Text) }
	} else {
		e := t.entries[t.sel]
		name.SetText(e.Name)
		save = func() error { return t.ui.store.RenameDictEntry(ctx, t.ui.user, e.ID, name.Text) }
	}
	t.dlg = newFormDialog(t.ui.win, "改名", "保存", []*widget.FormItem{widget.NewFormItem("新名称", name)}, func() error {
		if err := save(); err != nil {
			return err
		}
		t.reload()
		return nil
	})
	t.dlg.Show(t.ui.win)
}

func (t *dictTab) onToggle() {
	if t.isCategories() || t.sel < 0 || t.sel >= len(t.entries) {
		return
	}
	e := t.entries[t.sel]
	if err := t.ui.store.SetDictEntryActive(context.Background(), t.ui.user, e.ID, !e.Active); err != nil {
		showError(t.ui.win, err)
	}
	t.reload()
}

func (t *dictTab) onDelete() {
	if t.sel < 0 || t.sel >= t.rows() {
		return
	}
	ctx := context.Background()
	var what string
	var del func() error
	if t.isCategories() {
		c := t.cats[t.sel]
		what = "客户分类“" + c.Code + " " + c.Name + "”"
		del = func() error { return t.ui.store.DeleteCustomerCategory(ctx, t.ui.user, c.ID) }
	} else {
		e := t.entries[t.sel]
		what = t.dictKind().Label + "“" + e.Name + "”"
		del = func() error { return t.ui.store.DeleteDictEntry(ctx, t.ui.user, e.ID) }
	}
	confirm(t.ui.win, "删除", "确定删除"+what+"吗？", func() {
		if err := del(); err != nil {
			showError(t.ui.win, err)
			return
		}
		t.reload()
	})
}
