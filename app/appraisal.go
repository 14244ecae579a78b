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

// appraisalTab is 档案鉴定: the items whose retention has run out, grouped
// by category and year; each is kept (new retention, reason) or proposed
// for destruction.
type appraisalTab struct {
	ui      *UI
	content fyne.CanvasObject
	groups  []data.AppraisalGroup
	glist   *widget.List
	table   *widget.Table
	summary *widget.Label
	keep    *widget.Button
	destroy *widget.Button
	all     *widget.Button

	filter data.DueFilter
	total  int
	pages  map[int][]data.DueItem
	marked map[int64]bool
	sel    int

	dlg *formDialog // open keep or propose dialog, for tests
}

const duePage = 100

var dueColumns = []column{{"选", 40}, {"档号", 215}, {"类别", 185}, {"年度", 60}, {"保管期限", 90},
	{"届满年度", 80}, {"题名", 300}, {"状态", 70}}

func newAppraisalTab(u *UI) *appraisalTab {
	t := &appraisalTab{ui: u, sel: -1, pages: map[int][]data.DueItem{}, marked: map[int64]bool{},
		summary: widget.NewLabel("")}
	t.summary.Wrapping = fyne.TextWrapWord
	t.glist = widget.NewList(func() int { return len(t.groups) + 1 },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(t.groupText(id)) })
	t.glist.OnSelected = t.onGroup
	t.table = newTable(dueColumns, func() int { return t.total }, t.cell)
	t.table.OnSelected = t.onCellSelected
	t.keep = widget.NewButton("继续保存…", t.showKeep)
	t.destroy = widget.NewButton("提出销毁…", t.showPropose)
	t.destroy.Importance = widget.DangerImportance
	t.all = widget.NewButton("勾选本页全部", t.markAll)
	clear := widget.NewButton("清除勾选", func() { t.marked = map[int64]bool{}; t.table.Refresh(); t.updateButtons() })
	right := container.NewBorder(container.NewVBox(t.summary, container.NewHBox(t.keep, t.destroy, t.all, clear)),
		nil, nil, nil, t.table)
	split := container.NewHSplit(t.glist, right)
	split.Offset = 0.25
	t.content = split
	return t
}

func (t *appraisalTab) groupText(i int) string {
	if i == 0 {
		n := 0
		for _, g := range t.groups {
			n += g.Count
		}
		return fmt.Sprintf("全部到期档案（%d 件）", n)
	}
	g := t.groups[i-1]
	return fmt.Sprintf("%s  %d 年度  %d 件", g.Category, g.Year, g.Count)
}

// reload refreshes the groups and the list of the chosen group.
func (t *appraisalTab) reload() {
	groups, err := t.ui.store.AppraisalGroups(context.Background(), t.ui.user)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.groups = groups
	t.glist.Refresh()
	t.loadItems()
}

// showAll opens the list of every item due (from the 首页).
func (t *appraisalTab) showAll() {
	t.filter = data.DueFilter{}
	t.glist.UnselectAll()
	t.ui.main.showTab(t.content) // its onShow reloads
}

func (t *appraisalTab) onGroup(id widget.ListItemID) {
	t.filter = data.DueFilter{}
	if id > 0 && id <= len(t.groups) {
		g := t.groups[id-1]
		t.filter = data.DueFilter{CategoryID: g.CategoryID, Year: g.Year}
	}
	t.loadItems()
}

func (t *appraisalTab) loadItems() {
	ctx := context.Background()
	n, err := t.ui.store.CountDue(ctx, t.ui.user, t.filter)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.total, t.pages, t.sel = n, map[int][]data.DueItem{}, -1
	year := t.ui.store.Now().Local().Year()
	t.summary.SetText(fmt.Sprintf("保管期限已满（年度 + 保管年限 < %d）、需要鉴定的档案：%d 件。永久档案不列入。"+
		"勾选档案后选择“继续保存”（重新确定保管期限）或“提出销毁”（编入销毁清册，由管理员审批）。", year, n))
	t.table.UnselectAll()
	t.table.Refresh()
	t.table.ScrollToTop()
	t.updateButtons()
}

func (t *appraisalTab) item(row int) (data.DueItem, bool) {
	if row < 0 || row >= t.total {
		return data.DueItem{}, false
	}
	p := row / duePage
	page, ok := t.pages[p]
	if !ok {
		f := t.filter
		f.Limit, f.Offset = duePage, p*duePage
		var err error
		if page, err = t.ui.store.FindDue(context.Background(), t.ui.user, f); err != nil {
			return data.DueItem{}, false
		}
		t.pages[p] = page
	}
	if i := row % duePage; i < len(page) {
		return page[i], true
	}
	return data.DueItem{}, false
}

func (t *appraisalTab) cell(row, col int) string {
	it, ok := t.item(row)
	if !ok {
		return ""
	}
	mark := ""
	if t.marked[it.ID] {
		mark = "√"
	}
	return [...]string{mark, it.Code, it.Category, strconv.Itoa(it.Group.Year), data.RetentionLabel(it.Retention),
		strconv.Itoa(it.ExpiredYear), it.Title, data.StatusLabel(it.Status)}[col]
}

// onCellSelected selects a row; a tap in the 选 column ticks it.
func (t *appraisalTab) onCellSelected(id widget.TableCellID) {
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

func (t *appraisalTab) markAll() {
	for row := 0; row < t.total && row < duePage; row++ {
		if it, ok := t.item(row); ok {
			t.marked[it.ID] = true
		}
	}
	t.table.Refresh()
	t.updateButtons()
}

// chosenIDs are the ticked items, or the selected one when none is ticked.
func (t *appraisalTab) chosenIDs() []int64 {
	var ids []int64
	for id := range t.marked {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		if it, ok := t.item(t.sel); ok {
			ids = append(ids, it.ID)
		}
	}
	return ids
}

func (t *appraisalTab) updateButtons() {
	on := len(t.chosenIDs()) > 0
	setEnabled(t.keep, on)
	setEnabled(t.destroy, on)
}

// showKeep keeps the chosen items with a new retention and a reason.
func (t *appraisalTab) showKeep() {
	ids := t.chosenIDs()
	ret := widget.NewSelectEntry([]string{"D30", "Y"})
	ret.SetText("D30")
	reason := newEntry()
	t.dlg = newFormDialog(t.ui.win, fmt.Sprintf("继续保存 %d 件档案", len(ids)), "确定", []*widget.FormItem{
		{Text: "新的保管期限", Widget: ret, HintText: "Y 永久，D30 为 30 年，Dn 为 n 年（从年度起算）"},
		widget.NewFormItem("鉴定意见", reason),
	}, func() error {
		if err := t.ui.store.KeepItems(context.Background(), t.ui.user, ids, ret.Text, reason.Text); err != nil {
			return err
		}
		t.marked = map[int64]bool{}
		t.reload()
		return nil
	})
	t.dlg.Show(t.ui.win)
}

// showPropose puts the chosen items on a new 销毁清册 draft.
func (t *appraisalTab) showPropose() {
	ids := t.chosenIDs()
	reason := newEntry()
	reason.SetText("保管期限已满，经鉴定已无保存价值")
	method := widget.NewSelectEntry(data.DestructionMethods)
	method.SetText(data.DestructionMethods[0])
	t.dlg = newFormDialog(t.ui.win, fmt.Sprintf("提出销毁 %d 件档案", len(ids)), "编入销毁清册", []*widget.FormItem{
		widget.NewFormItem("销毁原因", reason),
		widget.NewFormItem("销毁方式", method),
		widget.NewFormItem("", widget.NewLabel("编入后档案状态为“待销毁”，管理员批准后才销毁。")),
	}, func() error {
		r, err := t.ui.store.ProposeDestruction(context.Background(), t.ui.user,
			data.DestructionInput{ItemIDs: ids, Reason: reason.Text, Method: method.Text})
		if err != nil {
			return err
		}
		t.marked = map[int64]bool{}
		t.reload()
		t.summary.SetText(fmt.Sprintf("已编入销毁清册 %s（%d 件），等待管理员在“销毁清册”页审批。", r.No, len(r.Items)))
		return nil
	})
	t.dlg.Show(t.ui.win)
}
