package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// itemPageSize is how many items one query fetches for the list.
const itemPageSize = 200

// allNode is the tree node that lists every category's items.
const allNode = "all"

// archiveTab is 档案管理: the category tree on the left; on the right the
// filters, the actions and the items of the chosen category, fetched a
// page at a time as the virtualised table scrolls.
type archiveTab struct {
	ui      *UI
	content fyne.CanvasObject
	tree    *widget.Tree
	table   *widget.Table

	year, customer, text        *entry
	retention, status, secrecy  *widget.Select
	countLbl, message, selLabel *widget.Label

	add, edit, remove, box, unbox, boxes, attach, renumber, clearMarks *widget.Button

	cats     map[string]data.Category
	children map[string][]string
	node     string // selected tree node

	filter data.ItemFilter
	total  int
	pages  map[int][]data.Item
	sel    int            // selected row, -1 for none
	marked map[int64]bool // items ticked in the 选 column
	width  int            // 件号 digits

	gen    int    // bumped by every search, so a late result of an older one is dropped
	bgDone func() // called after background work (search, attachments) is shown, for tests

	dlg       *formDialog // the open form, for tests
	attachDlg *attachView // the open attachments dialog, for tests
	form      *itemForm   // the open item form, for tests

	print, stickers *widget.Button
	printDlg        *catalogueDialog // the open print dialogs, for tests
	boxesDlg        *boxesView
	stickerDlg      *stickerDialog
}

var itemColumns = []column{
	{"选", 36}, {"档号", 215}, {"题名", 230}, {"类别", 140}, {"年度", 50}, {"期限", 46}, {"盒号", 56},
	{"状态", 56}, {"页数", 46}, {"密级", 46}, {"日期", 86}, {"责任者", 110}, {"关联客户", 190}, {"附件", 90},
}

const anyOption = "全部"

func newArchiveTab(u *UI) *archiveTab {
	t := &archiveTab{ui: u, year: newEntry(), customer: newEntry(), text: newEntry(), countLbl: widget.NewLabel(""),
		message: newMessage(), selLabel: widget.NewLabel(""), sel: -1, marked: map[int64]bool{}, node: allNode}
	t.tree = widget.NewTree(
		func(id widget.TreeNodeID) []widget.TreeNodeID { return t.children[id] },
		func(id widget.TreeNodeID) bool { return id == "" || len(t.children[id]) > 0 },
		func(bool) fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) { o.(*widget.Label).SetText(t.nodeText(id)) })
	t.tree.OnSelected = t.onNodeSelected

	t.retention = widget.NewSelect(append([]string{anyOption}, data.Retentions()...), nil)
	statuses := []string{anyOption}
	for _, s := range data.ItemStatuses() {
		statuses = append(statuses, data.StatusLabel(s))
	}
	t.status = widget.NewSelect(statuses, nil)
	t.secrecy = widget.NewSelect(append([]string{anyOption}, data.SecrecyLevels...), nil)
	for _, s := range []*widget.Select{t.retention, t.status, t.secrecy} {
		s.SetSelected(anyOption)
		s.OnChanged = func(string) { t.reload() }
	}
	t.year.SetPlaceHolder("年度")
	t.customer.SetPlaceHolder("客户编码或名称")
	t.text.SetPlaceHolder("题名、档号、文号、责任者")
	search := widget.NewButton("查询", t.reload)
	search.Importance = widget.HighImportance
	for _, e := range []*entry{t.year, t.customer, t.text} {
		e.OnSubmitted = func(string) { t.reload() }
	}

	t.add = widget.NewButton("登记档案", t.showCreate)
	t.add.Importance = widget.HighImportance
	t.edit = widget.NewButton("查看/编辑", t.showEdit)
	t.remove = widget.NewButton("删除", t.onDelete)
	t.box = widget.NewButton("装盒", t.showBoxDialog)
	t.unbox = widget.NewButton("移出盒", t.onUnbox)
	t.boxes = widget.NewButton("档案盒", t.showBoxes)
	t.attach = widget.NewButton("附件", t.showAttachments)
	t.renumber = widget.NewButton("重新编号", t.onRenumber)
	t.print = widget.NewButton("打印目录", t.showCatalogueDialog)
	t.stickers = widget.NewButton("打印归档章", t.showStickerDialog)
	t.clearMarks = widget.NewButton("清除勾选", func() { t.marked = map[int64]bool{}; t.table.Refresh(); t.updateButtons() })

	t.table = newTable(itemColumns, func() int { return t.total }, t.cell)
	t.table.OnSelected = t.onCellSelected

	filters := container.NewHBox(widget.NewLabel("年度"), sized(t.year, 80), widget.NewLabel("期限"), t.retention,
		widget.NewLabel("状态"), t.status, widget.NewLabel("密级"), t.secrecy)
	search2 := container.NewHBox(sized(t.customer, 160), sized(t.text, 220), search)
	actions := container.NewHBox(t.add, t.edit, t.attach, t.box, t.unbox, t.boxes, t.renumber, t.remove, t.clearMarks,
		t.print, t.stickers)
	actions.Add(container.NewHBox(t.excelButtons()))
	t.message.Wrapping = fyne.TextWrapOff // one line beside the count
	bottom := container.NewHBox(t.countLbl, t.selLabel, t.message)
	right := container.NewBorder(container.NewVBox(filters, search2, actions), bottom, nil, nil, t.table)
	split := container.NewHSplit(t.tree, right)
	split.Offset = 0.22
	t.content = split
	u.win.SetOnDropped(t.onDropped)
	t.reloadCategories()
	t.tree.Select(allNode)
	t.reload()
	return t
}

func (t *archiveTab) nodeText(id string) string {
	if id == allNode {
		return "全部档案"
	}
	c, ok := t.cats[id]
	if !ok {
		return ""
	}
	s := c.Code + " " + c.Name
	if !c.Active {
		s += "（停用）"
	}
	return s
}

// reloadCategories rebuilds the tree from the categories.
func (t *archiveTab) reloadCategories() {
	cats, err := t.ui.store.FindCategories(context.Background())
	if err != nil {
		showErr(t.message, err)
		return
	}
	t.cats = map[string]data.Category{}
	t.children = map[string][]string{"": {allNode}}
	for _, c := range cats {
		id := strconv.FormatInt(c.ID, 10)
		t.cats[id] = c
		parent := ""
		if !c.IsClass() {
			parent = strconv.FormatInt(c.ParentID, 10)
		}
		t.children[parent] = append(t.children[parent], id)
	}
	if _, ok := t.cats[t.node]; !ok && t.node != allNode {
		t.node = allNode
	}
	t.tree.Refresh()
	t.tree.OpenAllBranches()
}

// categoriesChanged refreshes what shows categories after an edit in the
// 档案类别 tab.
func (u *UI) categoriesChanged() {
	if u.main != nil && u.main.archive != nil {
		u.main.archive.reloadCategories()
	}
}

func (t *archiveTab) onNodeSelected(id widget.TreeNodeID) {
	t.node = id
	t.reload()
}

// selectedCategory returns the chosen tree node's category, if any.
func (t *archiveTab) selectedCategory() (data.Category, bool) {
	c, ok := t.cats[t.node]
	return c, ok
}

// readFilter builds the filter from the tree and the filter widgets.
func (t *archiveTab) readFilter() (data.ItemFilter, error) {
	var f data.ItemFilter
	if c, ok := t.selectedCategory(); ok {
		if c.IsClass() {
			f.ClassID = c.ID
		} else {
			f.CategoryID = c.ID
		}
	}
	if y := strings.TrimSpace(t.year.Text); y != "" {
		v, err := data.ParseYear(y)
		if err != nil {
			return f, err
		}
		f.Year = v
	}
	if r := t.retention.Selected; r != anyOption && r != "" {
		f.Retention = r
	}
	if s := t.status.Selected; s != anyOption && s != "" {
		f.Status, _ = data.ParseItemStatus(s)
	}
	if s := t.secrecy.Selected; s != anyOption && s != "" {
		f.Secrecy = s
	}
	f.Customer = strings.TrimSpace(t.customer.Text)
	f.Text = strings.TrimSpace(t.text.Text)
	return f, nil
}

// onCellSelected selects a row; a tap in the 选 column also ticks it.
func (t *archiveTab) onCellSelected(id widget.TableCellID) {
	t.sel = id.Row
	if id.Col == 0 {
		if it, ok := t.item(id.Row); ok {
			if t.marked[it.ID] {
				delete(t.marked, it.ID)
			} else {
				t.marked[it.ID] = true
			}
			t.table.RefreshItem(id)
		}
	}
	t.updateButtons()
}

func (t *archiveTab) selectedItem() (data.Item, bool) { return t.item(t.sel) }

// chosenIDs are the ticked items, or the selected one when none is ticked.
func (t *archiveTab) chosenIDs() []int64 {
	var ids []int64
	for id := range t.marked {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		if it, ok := t.selectedItem(); ok {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

func (t *archiveTab) updateButtons() {
	it, ok := t.selectedItem()
	for _, b := range []*widget.Button{t.edit, t.attach, t.renumber} {
		setEnabled(b, ok)
	}
	setEnabled(t.remove, ok && !it.Boxed() && !it.CodeFixed)
	chosen := len(t.marked) > 0 || ok
	setEnabled(t.box, chosen)
	setEnabled(t.unbox, chosen)
	setEnabled(t.stickers, chosen)
	setEnabled(t.clearMarks, len(t.marked) > 0)
	switch {
	case len(t.marked) > 0:
		t.selLabel.SetText(fmt.Sprintf("    已勾选 %d 件", len(t.marked)))
	case ok:
		t.selLabel.SetText("    选中：" + it.Code)
	default:
		t.selLabel.SetText("")
	}
}

// onDropped adds files dropped on the window as attachments of the
// selected item, while the 档案管理 tab is shown.
func (t *archiveTab) onDropped(_ fyne.Position, uris []fyne.URI) {
	m := t.ui.main
	if m == nil || m.archive != t || m.tabs.Selected() == nil || m.tabs.Selected().Content != t.content {
		return
	}
	it, ok := t.selectedItem()
	if !ok {
		t.message.SetText("请先选中一件档案，再把文件拖进来作为它的附件")
		return
	}
	t.countLbl.SetText(fmt.Sprintf("共 %d 件    正在为 %s 添加附件…", t.total, it.Code))
	store, user := t.ui.store, t.ui.user
	go func() { // hashing and copying a large scan takes a while
		added := 0
		var err error
		for _, u := range uris {
			if _, err = store.AddAttachment(context.Background(), user, it.ID, u.Path()); err != nil {
				break
			}
			added++
		}
		fyne.Do(func() {
			t.refreshKeep()
			if err != nil {
				showErr(t.message, err)
			}
			t.countLbl.SetText(fmt.Sprintf("共 %d 件    已为 %s 添加 %d 个附件", t.total, it.Code, added))
			if t.bgDone != nil {
				t.bgDone()
			}
		})
	}()
}

func (t *archiveTab) onDelete() {
	it, ok := t.selectedItem()
	if !ok {
		return
	}
	confirm(t.ui.win, "删除档案", fmt.Sprintf("确定删除档案“%s %s”吗？删除后留下的件号空缺可用“重新编号”补齐（操作会记入日志）。", it.Code, it.Title), func() {
		if err := t.ui.store.DeleteItem(context.Background(), t.ui.user, it.ID); err != nil {
			showError(t.ui.win, err)
			return
		}
		delete(t.marked, it.ID)
		t.reload()
	})
}

func (t *archiveTab) onUnbox() {
	ids := t.chosenIDs()
	if len(ids) == 0 {
		return
	}
	confirm(t.ui.win, "移出盒", fmt.Sprintf("确定把所选 %d 件档案移出档案盒吗？档号保持不变（操作会记入日志）。", len(ids)), func() {
		if err := t.ui.store.UnboxItems(context.Background(), t.ui.user, ids); err != nil {
			showError(t.ui.win, err)
			return
		}
		t.marked = map[int64]bool{}
		t.refreshKeep()
	})
}

func (t *archiveTab) onRenumber() {
	it, ok := t.selectedItem()
	if !ok {
		return
	}
	confirm(t.ui.win, "重新编号", fmt.Sprintf("对 %s 组中未装盒、未打印的档案重新编号，补齐件号空缺吗？已装盒或已打印的档案件号不变，每个改动都记入日志。", it.Group), func() {
		n, err := t.ui.store.Renumber(context.Background(), t.ui.user, it.Group)
		if err != nil {
			showError(t.ui.win, err)
			return
		}
		t.refreshKeep()
		t.countLbl.SetText(fmt.Sprintf("共 %d 件    重新编号完成：%d 件档案的档号已更新", t.total, n))
	})
}
