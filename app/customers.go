package app

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// customersTab is the 客户档案 list: search as you type, filters, sorting,
// and a virtualised table that fetches pages as they scroll into view.
type customersTab struct {
	ui      *UI
	content fyne.CanvasObject
	search  *entry
	table   *widget.Table
	count   *widget.Label

	category, dept, salesman, grade, status, region, industry, sort *widget.Select
	categoryCodes, deptCodes                                        map[string]string
	salesmanIDs                                                     map[string]int64

	add, open, freeze, unfreeze, closeBtn, reopen, remove *widget.Button

	filter data.CustomerFilter
	total  int
	pages  map[int][]data.CustomerRow
	sel    int // selected row, -1 for none
	gen    int // bumps on every reload; stale debounced searches are dropped
	timer  *time.Timer

	form *customerForm // the open card, for tests
	dlg  *formDialog   // the open reason dialog, for tests
}

const customerPageSize = 100

var customerColumns = []column{
	{"客户编码", 90}, {"客户名称", 230}, {"状态", 50}, {"类型", 50}, {"分类", 80}, {"所属部门", 90}, {"业务员", 65},
	{"等级", 45}, {"地区", 50}, {"行业", 100}, {"主要联系人", 145}, {"电话", 120}, {"最近沟通", 95}, {"助记码", 110},
}

var sortOptions = map[string]struct {
	sort string
	desc bool
}{
	"按编码": {data.SortByCode, false}, "按编码倒序": {data.SortByCode, true},
	"按名称拼音": {data.SortByMnemonic, false}, "按名称拼音倒序": {data.SortByMnemonic, true},
	"最近修改在前": {data.SortByUpdated, false},
}

var sortNames = []string{"按编码", "按编码倒序", "按名称拼音", "按名称拼音倒序", "最近修改在前"}

// sortColumns: which sort a header click chooses (ascending, descending).
var sortColumns = map[int][2]string{
	0: {"按编码", "按编码倒序"}, 1: {"按名称拼音", "按名称拼音倒序"}, 13: {"按名称拼音", "按名称拼音倒序"},
}

func newCustomersTab(u *UI) *customersTab {
	t := &customersTab{ui: u, sel: -1, pages: map[int][]data.CustomerRow{}}
	t.search = newEntry()
	t.search.SetPlaceHolder("搜索：客户名称、编码、助记码（如 bjhd）、电话、信用代码")
	t.search.OnChanged = t.onSearchChanged
	t.search.OnSubmitted = func(string) { t.reload() }
	t.table = newTable(customerColumns, func() int { return t.total }, t.cell)
	t.table.OnSelected = func(id widget.TableCellID) { t.sel = id.Row; t.updateButtons() }
	// Headers of sortable columns are buttons: a click sorts, a second
	// click reverses.
	t.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance, b.Alignment = widget.LowImportance, widget.ButtonAlignLeading
		return b
	}
	t.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col < 0 || id.Col >= len(customerColumns) {
			return
		}
		b := o.(*widget.Button)
		b.SetText(t.headerText(id.Col))
		col := id.Col
		b.OnTapped = func() { t.onHeaderTapped(col) }
	}
	t.count = widget.NewLabel("")

	t.add = widget.NewButton("新建客户", t.showCreate)
	t.add.Importance = widget.HighImportance
	t.open = widget.NewButton("打开档案卡", t.showSelected)
	t.freeze = widget.NewButton("冻结", func() { t.onStatus(data.ActionFreeze) })
	t.unfreeze = widget.NewButton("解冻", func() { t.onStatus(data.ActionUnfreeze) })
	t.closeBtn = widget.NewButton("注销", func() { t.onStatus(data.ActionClose) })
	t.reopen = widget.NewButton("恢复", func() { t.onStatus(data.ActionReopen) })
	t.remove = widget.NewButton("删除", t.onDelete)

	t.buildFilters()
	clear := widget.NewButton("清除筛选", t.clearFilters)
	labeled := func(label string, s *widget.Select) fyne.CanvasObject {
		return container.NewBorder(nil, nil, widget.NewLabel(label), nil, s)
	}
	filters := container.NewGridWithColumns(5, labeled("分类", t.category), labeled("部门", t.dept),
		labeled("业务员", t.salesman), labeled("等级", t.grade), labeled("状态", t.status),
		labeled("地区", t.region), labeled("行业", t.industry), labeled("排序", t.sort), clear)
	buttons := container.NewHBox(t.add, t.open, t.freeze, t.unfreeze, t.closeBtn)
	if u.user.IsAdmin() { // only admins bring back a closed customer
		buttons.Add(t.reopen)
	}
	buttons.Add(t.remove)
	buttons.Add(container.NewHBox(t.excelButtons()))
	actions := container.NewBorder(nil, nil, nil, buttons, t.search)
	top := container.NewVBox(actions, filters)
	t.content = container.NewBorder(top, t.count, nil, nil, t.table)
	t.reload()
	return t
}

func newFilterSelect(options []string, changed func()) *widget.Select {
	s := widget.NewSelect(append([]string{allOption}, options...), nil)
	s.SetSelected(allOption)
	s.OnChanged = func(string) { changed() }
	return s
}

func (t *customersTab) buildFilters() {
	ctx := context.Background()
	store := t.ui.store
	t.categoryCodes, t.deptCodes, t.salesmanIDs = map[string]string{}, map[string]string{}, map[string]int64{}
	var cats, depts, users []string
	if list, err := store.FindCustomerCategories(ctx); err == nil {
		for _, c := range list {
			label := c.Code + " " + c.Name
			cats = append(cats, label)
			t.categoryCodes[label] = c.Code
		}
	}
	if list, err := store.FindDepartments(ctx); err == nil {
		for _, d := range list {
			label := d.Code + " " + d.Name
			depts = append(depts, label)
			t.deptCodes[label] = d.Code
		}
	}
	if list, err := store.FindUsers(ctx); err == nil {
		for _, u := range list {
			users = append(users, u.DisplayName)
			t.salesmanIDs[u.DisplayName] = u.ID
		}
	}
	dict := func(kind string) []string {
		names, _ := store.DictNames(ctx, kind)
		return names
	}
	t.category = newFilterSelect(cats, t.reload)
	t.dept = newFilterSelect(depts, t.reload)
	t.salesman = newFilterSelect(users, t.reload)
	t.grade = newFilterSelect(dict(data.DictGrade), t.reload)
	t.status = newFilterSelect([]string{"正常", "冻结", "注销"}, t.reload)
	t.region = newFilterSelect(dict(data.DictRegion), t.reload)
	t.industry = newFilterSelect(dict(data.DictIndustry), t.reload)
	t.sort = widget.NewSelect(sortNames, func(string) { t.reload() })
	t.sort.SetSelected("按编码")
}

// onShow brings the filter choices (categories, departments, users,
// dictionaries may have changed meanwhile) and the loaded rows up to date.
func (t *customersTab) onShow() {
	old := []*widget.Select{t.category, t.dept, t.salesman, t.grade, t.status, t.region, t.industry, t.sort}
	var chosen []string
	for _, s := range old {
		chosen = append(chosen, s.Selected)
	}
	t.buildFilters()
	for i, s := range []*widget.Select{t.category, t.dept, t.salesman, t.grade, t.status, t.region, t.industry, t.sort} {
		old[i].Options = s.Options
		if containsOption(s.Options, chosen[i]) {
			old[i].Selected = chosen[i]
		} else {
			old[i].Selected = s.Options[0]
		}
		old[i].Refresh()
	}
	t.category, t.dept, t.salesman, t.grade, t.status, t.region, t.industry, t.sort =
		old[0], old[1], old[2], old[3], old[4], old[5], old[6], old[7]
	t.reload()
}

func (t *customersTab) headerText(col int) string {
	title := customerColumns[col].title
	if s, ok := sortColumns[col]; ok && t.sort != nil {
		switch t.sort.Selected {
		case s[0]:
			return title + " ↑"
		case s[1]:
			return title + " ↓"
		}
	}
	return title
}

func (t *customersTab) onHeaderTapped(col int) {
	s, ok := sortColumns[col]
	if !ok {
		return
	}
	if t.sort.Selected == s[0] {
		t.sort.SetSelected(s[1])
	} else {
		t.sort.SetSelected(s[0])
	}
}

func (t *customersTab) clearFilters() {
	for _, s := range []*widget.Select{t.category, t.dept, t.salesman, t.grade, t.status, t.region, t.industry} {
		s.OnChanged, s.Selected = nil, allOption
		s.Refresh()
		s.OnChanged = func(string) { t.reload() }
	}
	t.search.SetText("")
	t.reload()
}

// showFiltered opens the list of the customers of one grade, status and
// region (empty: any), the other filters cleared (from the 首页).
func (t *customersTab) showFiltered(grade, status, region string) {
	for _, s := range []*widget.Select{t.category, t.dept, t.salesman, t.grade, t.status, t.region, t.industry} {
		s.Selected = allOption
	}
	for s, v := range map[*widget.Select]string{t.grade: grade, t.status: data.CustomerStatusLabel(status), t.region: region} {
		if v != "" {
			s.Selected = v
		}
	}
	changed := t.search.OnChanged
	t.search.OnChanged = nil
	t.search.SetText("")
	t.search.OnChanged = changed
	t.ui.main.showTab(t.content) // its onShow refreshes the choices and reloads
}

func selected(s *widget.Select) string {
	if s.Selected == allOption {
		return ""
	}
	return s.Selected
}

// readFilter builds the data filter from the widgets.
func (t *customersTab) readFilter() data.CustomerFilter {
	so := sortOptions[t.sort.Selected]
	return data.CustomerFilter{
		Search: t.search.Text, CategoryCode: t.categoryCodes[selected(t.category)], DeptCode: t.deptCodes[selected(t.dept)],
		SalesmanID: t.salesmanIDs[selected(t.salesman)], Grade: selected(t.grade),
		Status: data.CustomerStatusByLabel(selected(t.status)), Region: selected(t.region), Industry: selected(t.industry),
		Sort: so.sort, Desc: so.desc, Limit: customerPageSize,
	}
}

// onSearchChanged reloads shortly after the user stops typing.
func (t *customersTab) onSearchChanged(string) {
	t.gen++
	gen := t.gen
	if t.timer != nil {
		t.timer.Stop()
	}
	t.timer = time.AfterFunc(250*time.Millisecond, func() {
		fyne.Do(func() {
			if gen == t.gen {
				t.reload()
			}
		})
	})
}

// reload runs the query for the first page and resets the table. The
// queries take milliseconds (BenchmarkCustomerSearch), so they run here.
func (t *customersTab) reload() {
	if t.sort == nil {
		return
	}
	t.gen++
	t.filter = t.readFilter()
	t.pages = map[int][]data.CustomerRow{}
	rows, total, err := t.ui.store.FindCustomers(context.Background(), t.ui.user, t.filter)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.setTotal(total)
	t.pages[0] = rows
	t.sel = -1
	t.table.UnselectAll()
	t.table.Refresh()
	t.table.ScrollToTop()
	t.updateButtons()
}

// setTotal sizes the list; a search with very many matches lists the
// first SearchCountLimit and asks for more characters.
func (t *customersTab) setTotal(total int) {
	t.total = total
	t.count.SetText(fmt.Sprintf("共 %d 个客户", total))
	if total > data.SearchCountLimit {
		t.total = data.SearchCountLimit
		t.count.SetText(fmt.Sprintf("超过 %d 个客户符合，只列出前 %d 个。请多输入几个字缩小范围。",
			data.SearchCountLimit, data.SearchCountLimit))
	}
}

// row returns list row i, fetching its page when not yet loaded.
func (t *customersTab) row(i int) (data.CustomerRow, bool) {
	if i < 0 || i >= t.total {
		return data.CustomerRow{}, false
	}
	p := i / customerPageSize
	page, ok := t.pages[p]
	if !ok {
		f := t.filter
		f.Offset = p * customerPageSize
		rows, _, err := t.ui.store.FindCustomers(context.Background(), t.ui.user, f)
		if err != nil {
			return data.CustomerRow{}, false
		}
		if len(t.pages) > 50 { // keep memory bounded when scrolling far
			t.pages = map[int][]data.CustomerRow{}
		}
		t.pages[p] = rows
		page = rows
	}
	if j := i - p*customerPageSize; j < len(page) {
		return page[j], true
	}
	return data.CustomerRow{}, false
}

func (t *customersTab) cell(row, col int) string {
	r, ok := t.row(row)
	if !ok {
		return ""
	}
	cells := [...]string{r.Code, r.Name, data.CustomerStatusLabel(r.Status), data.KindLabel(r.Kind), r.CategoryName, r.DeptName,
		r.SalesmanName, r.Grade, r.Region, r.Industry, r.PrimaryContact, r.Phone, r.LastCommOn, r.Mnemonic}
	if col < 0 || col >= len(cells) {
		return ""
	}
	return cells[col]
}

func (t *customersTab) selectedRow() (data.CustomerRow, bool) { return t.row(t.sel) }

func (t *customersTab) updateButtons() {
	r, ok := t.selectedRow()
	setEnabled(t.open, ok)
	setEnabled(t.remove, ok)
	setEnabled(t.freeze, ok && r.Status == data.CustomerNormal)
	setEnabled(t.unfreeze, ok && r.Status == data.CustomerFrozen)
	setEnabled(t.closeBtn, ok && r.Status != data.CustomerClosed)
	setEnabled(t.reopen, ok && r.Status == data.CustomerClosed)
}

func (t *customersTab) showCreate() {
	f, err := showCustomerForm(t.ui, nil, func(c *data.Customer) {
		t.reload()
		t.count.SetText(fmt.Sprintf("共 %d 个客户。已保存：%s %s", t.total, c.Code, c.Name))
	})
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.form = f
	bindCardKeys(t.ui.win, f)
}

func (t *customersTab) showSelected() {
	r, ok := t.selectedRow()
	if !ok {
		return
	}
	t.openCard(r.ID)
}

// openCard shows the card of customer id.
func (t *customersTab) openCard(id int64) {
	c, err := t.ui.store.Customer(context.Background(), t.ui.user, id)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	f, err := showCustomerForm(t.ui, c, func(*data.Customer) { t.refreshPages() })
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.form = f
	bindCardKeys(t.ui.win, f)
}

// refreshPages re-reads the loaded rows, keeping the scroll position.
func (t *customersTab) refreshPages() {
	t.pages = map[int][]data.CustomerRow{}
	if _, total, err := t.ui.store.FindCustomers(context.Background(), t.ui.user, t.filter); err == nil {
		t.setTotal(total)
	}
	t.table.Refresh()
	t.updateButtons()
}

// onStatus asks for the reason and freezes, unfreezes or closes the
// selected customer.
func (t *customersTab) onStatus(action string) {
	r, ok := t.selectedRow()
	if !ok {
		return
	}
	verb := data.ActionLabel(action)
	reason := newEntry()
	reason.SetPlaceHolder("必填，记入档案卡")
	note := map[string]string{
		data.ActionFreeze:   "冻结后档案卡只能查看，不能修改，也不能新增档案和借阅，直到解冻。",
		data.ActionUnfreeze: "解冻后档案卡可以再修改。",
		data.ActionClose:    "注销后客户和档案仍然保留，只能查看。",
		data.ActionReopen:   "恢复后客户回到正常状态，可以再修改。",
	}[action]
	info := widget.NewLabel(fmt.Sprintf("客户：%s %s\n%s", r.Code, r.Name, note))
	info.Wrapping = fyne.TextWrapWord
	items := []*widget.FormItem{widget.NewFormItem("", info), widget.NewFormItem(verb+"原因", reason)}
	t.dlg = newFormDialog(t.ui.win, verb+"客户", verb, items, func() error {
		ctx := context.Background()
		var err error
		switch action {
		case data.ActionFreeze:
			err = t.ui.store.FreezeCustomer(ctx, t.ui.user, r.ID, reason.Text)
		case data.ActionUnfreeze:
			err = t.ui.store.UnfreezeCustomer(ctx, t.ui.user, r.ID, reason.Text)
		case data.ActionClose:
			err = t.ui.store.CloseCustomer(ctx, t.ui.user, r.ID, reason.Text)
		case data.ActionReopen:
			err = t.ui.store.ReopenCustomer(ctx, t.ui.user, r.ID, reason.Text)
		}
		if err != nil {
			return err
		}
		t.refreshPages()
		return nil
	})
	t.dlg.Show(t.ui.win)
}

func (t *customersTab) onDelete() {
	r, ok := t.selectedRow()
	if !ok {
		return
	}
	confirm(t.ui.win, "删除客户", fmt.Sprintf("确定删除客户“%s %s”吗？联系人、沟通纪要和银行账户会一起删除，不能恢复（操作会记入日志）。有档案的客户不能删除，只能注销。",
		r.Code, r.Name), func() {
		if err := t.ui.store.DeleteCustomer(context.Background(), t.ui.user, r.ID); err != nil {
			showError(t.ui.win, err)
			return
		}
		t.reload()
	})
}
