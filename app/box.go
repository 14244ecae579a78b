package app

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

const newBoxOption = "新建档案盒"

// boxFields are the widgets of a box's spine, location and 备考表.
type boxFields struct {
	thickness                                     *widget.Select
	room, cabinet, shelf, filer, checker, filedOn *entry
	note                                          *entry
}

func newBoxFields(b *data.Box) *boxFields {
	f := &boxFields{thickness: widget.NewSelect([]string{"20", "30", "40", "50"}, nil), room: newEntry(),
		cabinet: newEntry(), shelf: newEntry(), filer: newEntry(), checker: newEntry(), filedOn: newEntry(), note: newEntry()}
	f.note.MultiLine = true
	f.note.SetMinRowsVisible(2)
	f.room.SetPlaceHolder("库房")
	f.cabinet.SetPlaceHolder("柜")
	f.shelf.SetPlaceHolder("层")
	f.filedOn.SetPlaceHolder("如 2026-05-01")
	f.thickness.SetSelected("30")
	if b != nil {
		f.fill(b)
	}
	return f
}

func (f *boxFields) items() []*widget.FormItem {
	return []*widget.FormItem{
		{Text: "盒脊厚度（毫米）", Widget: f.thickness, HintText: "DA/T 22：20、30、40、50"},
		widget.NewFormItem("存放位置", container.NewGridWithColumns(3, f.room, f.cabinet, f.shelf)),
		widget.NewFormItem("立卷人", f.filer),
		widget.NewFormItem("检查人", f.checker),
		widget.NewFormItem("立卷日期", f.filedOn),
		widget.NewFormItem("情况说明", f.note),
	}
}

func (f *boxFields) input() data.BoxInput {
	th, _ := strconv.Atoi(f.thickness.Selected)
	return data.BoxInput{Thickness: th, Room: f.room.Text, Cabinet: f.cabinet.Text, Shelf: f.shelf.Text,
		Filer: f.filer.Text, Checker: f.checker.Text, FiledOn: f.filedOn.Text, Note: f.note.Text}
}

func (f *boxFields) setEnabled(on bool) {
	for _, w := range []fyne.Disableable{f.thickness, f.room, f.cabinet, f.shelf, f.filer, f.checker, f.filedOn, f.note} {
		setEnabled(w, on)
	}
}

// showBoxDialog puts the ticked (or selected) items into a new box or an
// existing box of their group.
func (t *archiveTab) showBoxDialog() {
	ids := t.chosenIDs()
	if len(ids) == 0 {
		return
	}
	ctx := context.Background()
	var items []*data.Item
	for _, id := range ids {
		it, err := t.ui.store.ItemByID(ctx, t.ui.user, id)
		if err != nil {
			showError(t.ui.win, err)
			return
		}
		items = append(items, it)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Serial < items[j].Serial })
	g := items[0].Group
	boxes, err := t.ui.store.FindBoxes(ctx, t.ui.user, data.BoxFilter{Group: &g})
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	options := []string{newBoxOption}
	boxIDs := map[string]int64{}
	byLabel := map[string]data.Box{}
	for _, b := range boxes {
		label := fmt.Sprintf("第%s盒（%s，%d 件）", b.NoText(), b.Range(t.width), b.Count)
		options = append(options, label)
		boxIDs[label], byLabel[label] = b.ID, b
	}
	bf := newBoxFields(nil)
	target := widget.NewSelect(options, func(sel string) {
		if b, ok := byLabel[sel]; ok {
			bf.fill(&b)
			bf.setEnabled(false)
		} else {
			bf.setEnabled(true)
		}
	})
	target.SetSelected(newBoxOption)
	var serials []string
	for _, it := range items {
		serials = append(serials, it.SerialText(t.width))
	}
	list := widget.NewLabel(strings.Join(serials, "、"))
	list.Wrapping = fyne.TextWrapWord
	formItems := append([]*widget.FormItem{
		widget.NewFormItem("组", widget.NewLabel(g.String())),
		widget.NewFormItem(fmt.Sprintf("件号（%d 件）", len(items)), list),
		{Text: "放入", Widget: target, HintText: "同组的已有档案盒，或新建一个"},
	}, bf.items()...)
	t.dlg = newFormDialog(t.ui.win, "装盒", "装盒", formItems, func() error {
		b, err := t.ui.store.BoxItems(ctx, t.ui.user, boxIDs[target.Selected], ids, bf.input())
		if err != nil {
			return err
		}
		t.marked = map[int64]bool{}
		t.refreshKeep()
		t.countLbl.SetText(fmt.Sprintf("共 %d 件    已装入 %s（件号 %s）", t.total, b.Label(), b.Range(t.width)))
		return nil
	})
	t.dlg.Show(t.ui.win)
}

// fill shows b's values in the widgets.
func (f *boxFields) fill(b *data.Box) {
	f.thickness.SetSelected(strconv.Itoa(b.Thickness))
	f.room.SetText(b.Room)
	f.cabinet.SetText(b.Cabinet)
	f.shelf.SetText(b.Shelf)
	f.filer.SetText(b.Filer)
	f.checker.SetText(b.Checker)
	f.filedOn.SetText(b.FiledOn)
	f.note.SetText(b.Note)
}

// boxesView lists the boxes of the chosen 门类 and 年度 with their derived
// 起止件号; the 备考表 can be edited, empty boxes deleted, and a box's
// items shown in the list.
type boxesView struct {
	t     *archiveTab
	boxes []data.Box
	table *widget.Table
	sel   int
	dlg   dialog.Dialog

	printDlg *boxPrintDialog // the open print dialog, for tests
}

var boxColumns = []column{{"档案盒", 250}, {"起止件号", 110}, {"件数", 50}, {"厚度", 70}, {"存放位置", 150}, {"立卷人", 80}, {"立卷日期", 90}}

func (t *archiveTab) showBoxes() {
	v := &boxesView{t: t, sel: -1}
	t.boxesDlg = v
	v.table = newTable(boxColumns, func() int { return len(v.boxes) }, v.cell)
	v.table.OnSelected = func(id widget.TableCellID) { v.sel = id.Row }
	if err := v.reload(); err != nil {
		showError(t.ui.win, err)
		return
	}
	edit := widget.NewButton("编辑备考表", v.showEdit)
	show := widget.NewButton("显示盒内档案", v.showItems)
	del := widget.NewButton("删除空盒", v.onDelete)
	spines := widget.NewButton("打印盒脊", func() { v.showPrint(boxSpines) })
	covers := widget.NewButton("打印盒封面/备考表", func() { v.showPrint(boxCovers) })
	content := container.NewBorder(container.NewHBox(edit, show, del, spines, covers, v.exportButton()), nil, nil, nil, v.table)
	v.dlg = dialog.NewCustom("档案盒", "关闭", content, t.ui.win)
	v.dlg.Resize(fyne.NewSize(900, 520))
	v.dlg.Show()
}

func (v *boxesView) reload() error {
	f := data.BoxFilter{Year: v.t.filter.Year}
	if c, ok := v.t.selectedCategory(); ok {
		f.Class = c.ClassCode
	}
	boxes, err := v.t.ui.store.FindBoxes(context.Background(), v.t.ui.user, f)
	if err != nil {
		return err
	}
	v.boxes = boxes
	v.table.Refresh()
	return nil
}

func (v *boxesView) cell(row, col int) string {
	if row >= len(v.boxes) {
		return ""
	}
	b := v.boxes[row]
	return [...]string{b.Label(), b.Range(v.t.width), strconv.Itoa(b.Count), strconv.Itoa(b.Thickness) + "mm",
		b.Location(), b.Filer, b.FiledOn}[col]
}

func (v *boxesView) selected() (data.Box, bool) {
	if v.sel < 0 || v.sel >= len(v.boxes) {
		return data.Box{}, false
	}
	return v.boxes[v.sel], true
}

func (v *boxesView) showEdit() {
	b, ok := v.selected()
	if !ok {
		return
	}
	bf := newBoxFields(&b)
	items := append([]*widget.FormItem{widget.NewFormItem("档案盒", widget.NewLabel(b.Label()))}, bf.items()...)
	v.t.dlg = newFormDialog(v.t.ui.win, "编辑档案盒", "保存", items, func() error {
		if err := v.t.ui.store.UpdateBox(context.Background(), v.t.ui.user, b.ID, bf.input()); err != nil {
			return err
		}
		v.t.refreshKeep()
		return v.reload()
	})
	v.t.dlg.Show(v.t.ui.win)
}

func (v *boxesView) showItems() {
	b, ok := v.selected()
	if !ok {
		return
	}
	v.dlg.Hide()
	t := v.t
	t.text.SetText("")
	t.gen++
	t.filter = data.ItemFilter{BoxID: b.ID}
	n, err := t.ui.store.CountItems(context.Background(), t.ui.user, t.filter)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.total, t.pages, t.sel = n, map[int][]data.Item{}, -1
	t.countLbl.SetText(fmt.Sprintf("%s：共 %d 件（点“查询”回到全部）", b.Label(), n))
	t.table.Refresh()
	t.updateButtons()
}

func (v *boxesView) onDelete() {
	b, ok := v.selected()
	if !ok {
		return
	}
	confirm(v.t.ui.win, "删除档案盒", fmt.Sprintf("确定删除空盒“%s”吗？", b.Label()), func() {
		if err := v.t.ui.store.DeleteBox(context.Background(), v.t.ui.user, b.ID); err != nil {
			showError(v.t.ui.win, err)
			return
		}
		v.sel = -1
		v.reload()
	})
}
