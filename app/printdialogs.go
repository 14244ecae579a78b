package app

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/app/cli"
	"dangan/data"
	"dangan/reports"
)

// The print dialogs: 归档文件目录 from the 档案管理 tab, spines, covers and
// 备考表 from the boxes dialog, 归档章 stickers for the chosen items. Each
// shows the page count before writing, then asks for the file (savePDF's
// dialog) and writes it with progress and 取消 (runPDF). The selection
// becomes reports' types through app/cli's builders, shared with
// `dangan print`.

const (
	rowsStandard = "14 行（标准）"
	rowsWide     = "11 行（宽版）"
	rowsOther    = "其他"
	orientLand   = "横向（推荐）"
	orientPort   = "纵向"
)

// printCurrentTab opens the print dialog of the tab shown (Ctrl+P): the
// catalogue on 档案管理, the selected customer's card on 客户档案;
// elsewhere there is none.
func (u *UI) printCurrentTab() {
	m := u.main
	if m == nil || m.tabs.Selected() == nil {
		return
	}
	switch shownTab := m.tabs.Selected().Content; {
	case m.archive != nil && shownTab == m.archive.content:
		m.archive.showCatalogueDialog()
	case m.customers != nil && shownTab == m.customers.content:
		if r, ok := m.customers.selectedRow(); ok {
			u.printCard(r.ID, r.Code)
		}
	}
}

// catalogueDialog chooses what a 归档文件目录 prints and how.
type catalogueDialog struct {
	ui                   *UI
	t                    *archiveTab
	category, retention  *widget.Select
	org                  *widget.Select
	year, customer, rowN *entry
	rows                 *widget.Select
	orient               *widget.RadioGroup
	cover                *widget.Check
	info                 *widget.Label
	dlg                  *formDialog

	cats map[string]data.Category
	orgs map[string]string // option → 机构 code
	gen  int               // bumped per preview, so a late count is dropped
}

// showCatalogueDialog opens the catalogue print dialog with the tab's
// current filters and the fonds settings' layout.
func (t *archiveTab) showCatalogueDialog() {
	d, err := newCatalogueDialog(t)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.printDlg = d
	d.dlg.Show(t.ui.win)
	d.preview()
}

func newCatalogueDialog(t *archiveTab) (*catalogueDialog, error) {
	u := t.ui
	ctx := context.Background()
	set, err := u.store.ArchiveSettings(ctx)
	if err != nil {
		return nil, err
	}
	orgCodes, err := u.store.FindOrgCodes(ctx)
	if err != nil {
		return nil, err
	}
	d := &catalogueDialog{ui: u, t: t, year: newEntry(), customer: newEntry(), rowN: newEntry(),
		info: widget.NewLabel(""), cats: map[string]data.Category{}, orgs: map[string]string{anyOption: ""}}
	catOpts := []string{anyOption}
	for _, id := range t.children[""] {
		for _, cid := range append([]string{id}, t.children[id]...) {
			if c, ok := t.cats[cid]; ok {
				label := c.FullCode() + " " + c.Name
				catOpts = append(catOpts, label)
				d.cats[label] = c
			}
		}
	}
	d.category = widget.NewSelect(catOpts, nil)
	d.retention = widget.NewSelect(append([]string{anyOption}, data.Retentions()...), nil)
	orgOpts := []string{anyOption}
	seen := map[string]bool{}
	for _, o := range orgCodes {
		if code := o.Effective(); !seen[code] {
			seen[code] = true
			label := code + " " + o.DeptName
			orgOpts = append(orgOpts, label)
			d.orgs[label] = code
		}
	}
	d.org = widget.NewSelect(orgOpts, nil)
	d.rows = widget.NewSelect([]string{rowsStandard, rowsWide, rowsOther}, nil)
	d.orient = widget.NewRadioGroup([]string{orientLand, orientPort}, nil)
	d.orient.Horizontal = true
	d.cover = widget.NewCheck("每卷前加目录封面", nil)
	d.info.Wrapping = fyne.TextWrapWord

	// Defaults: the tab's filters, then the fonds settings' layout.
	d.category.SetSelected(anyOption)
	if c, ok := t.selectedCategory(); ok {
		d.category.SetSelected(c.FullCode() + " " + c.Name)
	}
	d.year.SetText(strings.TrimSpace(t.year.Text))
	d.retention.SetSelected(anyOption)
	if r := t.retention.Selected; r != "" {
		d.retention.SetSelected(r)
	}
	d.org.SetSelected(anyOption)
	d.customer.SetText(strings.TrimSpace(t.customer.Text))
	switch set.CatalogueRows {
	case reports.RowsStandard:
		d.rows.SetSelected(rowsStandard)
	case reports.RowsWide:
		d.rows.SetSelected(rowsWide)
	default:
		d.rows.SetSelected(rowsOther)
		d.rowN.SetText(strconv.Itoa(set.CatalogueRows))
	}
	d.orient.SetSelected(orientLand)
	if set.Orientation == data.Portrait {
		d.orient.SetSelected(orientPort)
	}
	d.year.SetPlaceHolder("如 2026；空为全部")
	d.customer.SetPlaceHolder("客户编码；空为全部")
	d.rowN.SetPlaceHolder("每页行数")

	for _, s := range []*widget.Select{d.category, d.retention, d.org, d.rows} {
		s.OnChanged = func(string) { d.preview() }
	}
	for _, e := range []*entry{d.year, d.customer, d.rowN} {
		e.OnChanged = func(string) { d.preview() }
	}
	d.orient.OnChanged = func(string) { d.preview() }
	d.cover.OnChanged = func(bool) { d.preview() }

	items := []*widget.FormItem{
		{Text: "门类/类别", Widget: d.category},
		{Text: "年度", Widget: d.year},
		{Text: "保管期限", Widget: d.retention},
		{Text: "机构（问题）", Widget: d.org},
		{Text: "客户", Widget: d.customer, HintText: "只打印该客户的档案"},
		{Text: "方向", Widget: d.orient, HintText: "A4 纸"},
		{Text: "每页行数", Widget: container.NewGridWithColumns(2, d.rows, d.rowN)},
		{Text: "封面", Widget: d.cover, HintText: "按年度、保管期限分卷"},
		{Text: "字体", Widget: u.fontRow()},
		{Text: "", Widget: d.info},
	}
	d.dlg = newFormDialog(u.win, "打印归档文件目录", "生成 PDF…", items, d.onSubmit)
	return d, nil
}

// read returns the selection and the layout chosen.
func (d *catalogueDialog) read() (data.ItemFilter, string, reports.CatalogueOptions, error) {
	var f data.ItemFilter
	var opt reports.CatalogueOptions
	if c, ok := d.cats[d.category.Selected]; ok {
		if c.IsClass() {
			f.ClassID = c.ID
		} else {
			f.CategoryID = c.ID
		}
	}
	if y := strings.TrimSpace(d.year.Text); y != "" {
		v, err := data.ParseYear(y)
		if err != nil {
			return f, "", opt, err
		}
		f.Year = v
	}
	if r := d.retention.Selected; r != anyOption && r != "" {
		f.Retention = r
	}
	if c := strings.TrimSpace(d.customer.Text); c != "" {
		id, _, err := d.ui.store.CustomerChoice(context.Background(), d.ui.user, c)
		if err != nil {
			return f, "", opt, err
		}
		f.CustomerID = id
	}
	opt.Portrait = d.orient.Selected == orientPort
	opt.Cover = d.cover.Checked
	switch d.rows.Selected {
	case rowsWide:
		opt.Rows = reports.RowsWide
	case rowsOther:
		n, err := strconv.Atoi(strings.TrimSpace(data.NormalizeWidth(d.rowN.Text)))
		if err != nil || n < 1 || n > 40 {
			return f, "", opt, data.Errorf(data.EINVALID, "每页行数应为 1 到 40 之间的整数（标准 14 行，宽版 11 行）")
		}
		opt.Rows = n
	default:
		opt.Rows = reports.RowsStandard
	}
	return f, d.orgs[d.org.Selected], opt, nil
}

// previewDelay lets a burst of changes (typing a year) settle before the
// selection is counted.
const previewDelay = 250 * time.Millisecond

// preview counts items, volumes and pages in the background. Only the
// latest preview writes the label, from fyne.Do.
func (d *catalogueDialog) preview() {
	d.gen++
	gen := d.gen
	f, org, opt, err := d.read()
	store, user := d.ui.store, d.ui.user
	show := func(text string) {
		fyne.Do(func() {
			if gen == d.gen {
				d.info.SetText(text)
			}
		})
	}
	go func() {
		time.Sleep(previewDelay)
		if err != nil {
			show(data.ErrorMessage(err))
			return
		}
		show("正在统计…")
		job, err := cli.BuildCatalogue(context.Background(), store, user, f, org)
		if err != nil {
			show(data.ErrorMessage(err))
			return
		}
		show(fmt.Sprintf("共 %d 件，%d 卷，将打印 %d 页。\n打印后这些档案的档号即固定。",
			len(job.ItemIDs), len(job.Volumes), reports.CataloguePages(job.Volumes, opt)))
	}()
}

func (d *catalogueDialog) onSubmit() error {
	if _, _, _, err := d.read(); err != nil {
		return err
	}
	name := "归档文件目录"
	if y := strings.TrimSpace(d.year.Text); y != "" {
		name += "-" + y
	}
	d.dlg.dlg.Hide() // first: hiding an overlay also drops the file dialog above it
	d.ui.askPDFPath(name+".pdf", d.writeTo)
	return nil
}

// writeTo builds the catalogue, checks its glyphs, writes path with
// progress, then fixes the printed items' 档号 (DESIGN 2.6).
func (d *catalogueDialog) writeTo(path string) {
	f, org, opt, err := d.read()
	if err != nil {
		showError(d.ui.win, err)
		return
	}
	fonts, err := d.ui.fonts()
	if err != nil {
		showError(d.ui.win, cli.PrintError(err))
		return
	}
	store, user := d.ui.store, d.ui.user
	var ids []int64
	d.ui.runPDF(path, "", func(w io.Writer, progress func(int, int) bool) (reports.Result, error) {
		job, err := cli.BuildCatalogue(context.Background(), store, user, f, org)
		if err != nil {
			return reports.Result{}, err
		}
		if err := fonts.Check(job.Texts()...); err != nil {
			return reports.Result{}, cli.PrintError(err)
		}
		ids = job.ItemIDs
		opt.Progress = progress
		res, err := reports.WriteCatalogue(w, fonts, job.Volumes, opt)
		return res, cli.PrintError(err)
	}, func(reports.Result) error {
		if err := store.FixItemCodes(context.Background(), user, ids); err != nil {
			return err
		}
		fyne.Do(d.t.refreshKeep)
		return nil
	})
}

// Box prints: what and which boxes.
const (
	boxSpines = "盒脊"
	boxCovers = "盒封面"
	boxNotes  = "备考表"

	scopeSelected = "选中的盒"
	scopeGroup    = "选中盒所在组的全部盒"
	scopeRange    = "盒号范围"
	scopeAll      = "列表中的全部盒"

	paperA3 = "A3（全高，按实际大小）"
	paperA4 = "A4（缩短）"
)

// boxPrintDialog prints spines, covers or 备考表 of boxes in the boxes
// dialog's list.
type boxPrintDialog struct {
	v                *boxesView
	kind, scope      *widget.RadioGroup
	paper            *widget.RadioGroup
	from, to         *entry
	showOrg, showCat *widget.Check
	info, note       *widget.Label
	dlg              *formDialog
}

func (v *boxesView) showPrint(kind string) {
	u := v.t.ui
	d := &boxPrintDialog{v: v, from: newEntry(), to: newEntry(), info: widget.NewLabel(""), note: widget.NewLabel(reports.PrintScaleNote)}
	d.kind = widget.NewRadioGroup([]string{boxSpines, boxCovers, boxNotes}, func(string) { d.update() })
	d.kind.Horizontal = true
	d.scope = widget.NewRadioGroup([]string{scopeSelected, scopeGroup, scopeRange, scopeAll}, func(string) { d.update() })
	d.paper = widget.NewRadioGroup([]string{paperA3, paperA4}, func(string) { d.update() })
	d.paper.Horizontal = true
	d.showOrg = widget.NewCheck("机构（问题）", nil)
	d.showCat = widget.NewCheck("门类", nil)
	d.note.Wrapping = fyne.TextWrapWord
	d.note.Importance = widget.WarningImportance
	d.info.Wrapping = fyne.TextWrapWord
	d.from.SetPlaceHolder("起，如 0001")
	d.to.SetPlaceHolder("止，如 0010")
	d.from.OnChanged = func(string) { d.update() }
	d.to.OnChanged = func(string) { d.update() }
	paper := paperA3
	if set, err := u.store.ArchiveSettings(context.Background()); err == nil && set.LabelPaper == data.PaperA4 {
		paper = paperA4
	}
	d.paper.SetSelected(paper)
	if _, ok := v.selected(); ok {
		d.scope.SetSelected(scopeSelected)
	} else {
		d.scope.SetSelected(scopeAll)
	}
	d.kind.SetSelected(kind)
	items := []*widget.FormItem{
		{Text: "打印", Widget: d.kind},
		{Text: "范围", Widget: d.scope},
		{Text: "盒号", Widget: container.NewGridWithColumns(2, d.from, d.to), HintText: "选“盒号范围”时填写"},
		{Text: "纸张", Widget: d.paper, HintText: "盒脊、盒封面；备考表用 A4"},
		{Text: "盒脊另印", Widget: container.NewHBox(d.showOrg, d.showCat)},
		{Text: "字体", Widget: u.fontRow()},
		{Text: "", Widget: d.info},
		{Text: "", Widget: d.note},
	}
	d.dlg = newFormDialog(u.win, "打印盒脊、盒封面、备考表", "生成 PDF…", items, d.onSubmit)
	v.printDlg = d
	d.dlg.Show(u.win)
	d.update()
}

// boxes returns the boxes of the chosen scope, in the list's order.
func (d *boxPrintDialog) boxes() ([]data.Box, error) {
	v := d.v
	sel, ok := v.selected()
	switch d.scope.Selected {
	case scopeSelected, scopeGroup:
		if !ok {
			return nil, data.Errorf(data.EINVALID, "请先在列表中选中一个档案盒")
		}
		if d.scope.Selected == scopeSelected {
			return []data.Box{sel}, nil
		}
		var out []data.Box
		for _, b := range v.boxes {
			if b.Group == sel.Group {
				out = append(out, b)
			}
		}
		return out, nil
	case scopeRange:
		from, to := strings.TrimSpace(d.from.Text), strings.TrimSpace(d.to.Text)
		if to == "" {
			to = from
		}
		r, err := cli.ParseBoxRange(from + "-" + to)
		if err != nil {
			return nil, err
		}
		var out []data.Box
		for _, b := range v.boxes {
			if r.Contains(b.No) {
				out = append(out, b)
			}
		}
		return out, nil
	}
	return append([]data.Box(nil), v.boxes...), nil
}

func (d *boxPrintDialog) options() (reports.Paper, reports.SpineOptions) {
	paper := reports.A3
	if d.paper.Selected == paperA4 {
		paper = reports.A4
	}
	return paper, reports.SpineOptions{Paper: paper, Org: d.showOrg.Checked, Category: d.showCat.Checked}
}

// update shows how many boxes and pages the choice prints.
func (d *boxPrintDialog) update() {
	if d.info == nil || d.kind.Selected == "" || d.scope.Selected == "" {
		return
	}
	boxes, err := d.boxes()
	if err != nil {
		d.info.SetText(data.ErrorMessage(err))
		return
	}
	if len(boxes) == 0 {
		d.info.SetText("所选范围内没有档案盒。")
		return
	}
	paper, opt := d.options()
	pages := len(boxes) // a cover or a 备考表 a page
	if d.kind.Selected == boxSpines {
		rb, err := cli.PrintBoxes(context.Background(), d.v.t.ui.store, boxes)
		if err == nil {
			pages, err = reports.SpinePages(rb, opt)
		}
		if err != nil {
			d.info.SetText(data.ErrorMessage(cli.PrintError(err)))
			return
		}
	}
	if d.kind.Selected == boxNotes {
		paper = reports.A4
	}
	d.info.SetText(fmt.Sprintf("%d 个盒，将打印 %d 页 %s。", len(boxes), pages, paper))
}

func (d *boxPrintDialog) onSubmit() error {
	if _, err := d.boxes(); err != nil {
		return err
	}
	d.dlg.dlg.Hide() // first: hiding an overlay also drops the file dialog above it
	d.v.t.ui.askPDFPath(d.kind.Selected+".pdf", d.writeTo)
	return nil
}

// writeTo writes the chosen document of the chosen boxes to path.
func (d *boxPrintDialog) writeTo(path string) {
	u := d.v.t.ui
	boxes, err := d.boxes()
	if err != nil {
		showError(u.win, err)
		return
	}
	fonts, err := u.fonts()
	if err != nil {
		showError(u.win, cli.PrintError(err))
		return
	}
	rb, err := cli.PrintBoxes(context.Background(), u.store, boxes)
	if err == nil {
		err = fonts.Check(cli.BoxTexts(rb)...)
	}
	if err != nil {
		showError(u.win, cli.PrintError(err))
		return
	}
	kind := d.kind.Selected
	paper, opt := d.options()
	note := ""
	if kind != boxNotes {
		note = reports.PrintScaleNote
	}
	u.runPDF(path, note, func(w io.Writer, progress func(int, int) bool) (reports.Result, error) {
		var res reports.Result
		var err error
		switch kind {
		case boxSpines:
			opt.Progress = progress
			res, err = reports.WriteSpines(w, fonts, rb, opt)
		case boxCovers:
			res, err = reports.WriteBoxCovers(w, fonts, rb, paper)
		default:
			res, err = reports.WriteBoxNotes(w, fonts, rb)
		}
		return res, cli.PrintError(err)
	}, nil)
}

// stickerDialog prints 归档章 stickers for the chosen items.
type stickerDialog struct {
	t       *archiveTab
	ids     []int64
	start   *entry
	outline *widget.Check
	info    *widget.Label
	dlg     *formDialog
}

// showStickerDialog prints stickers of the ticked (or selected) items.
func (t *archiveTab) showStickerDialog() {
	ids := t.chosenIDs()
	if len(ids) == 0 {
		t.message.SetText("请先勾选或选中要打印归档章的档案")
		t.message.Show()
		return
	}
	d := &stickerDialog{t: t, ids: ids, start: newEntry(), info: widget.NewLabel(""),
		outline: widget.NewCheck("画出标签边框（用普通 A4 纸试印时）", nil)}
	d.start.SetText("1")
	d.start.OnChanged = func(string) { d.update() }
	note := widget.NewLabel(reports.PrintScaleNote)
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.WarningImportance
	items := []*widget.FormItem{
		{Text: "档案", Widget: widget.NewLabel(fmt.Sprintf("%d 件", len(ids)))},
		{Text: "从第几张标签开始", Widget: d.start, HintText: "标签纸已用过一部分时，跳过已用的（每张 A4 4 列 × 16 行）"},
		{Text: "", Widget: d.outline},
		{Text: "字体", Widget: t.ui.fontRow()},
		{Text: "", Widget: d.info},
		{Text: "", Widget: note},
	}
	d.dlg = newFormDialog(t.ui.win, "打印归档章", "生成 PDF…", items, d.onSubmit)
	t.stickerDlg = d
	d.dlg.Show(t.ui.win)
	d.update()
}

func (d *stickerDialog) options() (reports.StickerOptions, error) {
	n, err := strconv.Atoi(strings.TrimSpace(data.NormalizeWidth(d.start.Text)))
	per := reports.DefaultLabelSheet.Cols * reports.DefaultLabelSheet.Rows
	if err != nil || n < 1 || n > per {
		return reports.StickerOptions{}, data.Errorf(data.EINVALID, "起始位置应为 1 到 %d 之间的整数", per)
	}
	return reports.StickerOptions{Start: n - 1, Outline: d.outline.Checked}, nil
}

func (d *stickerDialog) update() {
	opt, err := d.options()
	if err != nil {
		d.info.SetText(data.ErrorMessage(err))
		return
	}
	d.info.SetText(fmt.Sprintf("将打印 %d 张归档章，用 %d 张标签纸。", len(d.ids), reports.StickerPages(len(d.ids), opt)))
}

func (d *stickerDialog) onSubmit() error {
	if _, err := d.options(); err != nil {
		return err
	}
	d.dlg.dlg.Hide() // first: hiding an overlay also drops the file dialog above it
	d.t.ui.askPDFPath("归档章.pdf", d.writeTo)
	return nil
}

// items loads the chosen items in 档号 order.
func (d *stickerDialog) items() ([]data.Item, error) {
	u := d.t.ui
	var out []data.Item
	for _, id := range d.ids {
		it, err := u.store.ItemByID(context.Background(), u.user, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SortKey < out[j].SortKey })
	return out, nil
}

func (d *stickerDialog) writeTo(path string) {
	u := d.t.ui
	opt, err := d.options()
	var items []data.Item
	if err == nil {
		items, err = d.items()
	}
	var st []reports.Sticker
	if err == nil {
		st, err = cli.PrintStickers(context.Background(), u.store, items)
	}
	var fonts *reports.Fonts
	if err == nil {
		fonts, err = u.fonts()
	}
	if err == nil {
		err = fonts.Check(cli.StickerTexts(st)...)
	}
	if err != nil {
		showError(u.win, cli.PrintError(err))
		return
	}
	u.runPDF(path, reports.PrintScaleNote, func(w io.Writer, _ func(int, int) bool) (reports.Result, error) {
		res, err := reports.WriteStickers(w, fonts, st, opt)
		return res, cli.PrintError(err)
	}, nil)
}

// onPrint prints the stored card with its contacts and recent
// communication.
func (f *customerForm) onPrint() {
	if f.card != nil {
		f.ui.printCard(f.card.ID, f.card.Code)
	}
}

// printCard asks for a file and prints customer id's card into it.
func (u *UI) printCard(id int64, code string) {
	u.askPDFPath("客户档案卡-"+code+".pdf", func(path string) { u.printCardTo(id, path) })
}

// printCardTo writes customer id's card to path.
func (u *UI) printCardTo(id int64, path string) {
	ctx := context.Background()
	c, err := u.store.Customer(ctx, u.user, id)
	var card reports.CustomerCard
	if err == nil {
		card, err = cli.PrintCard(ctx, u.store, u.user, c, u.store.Now().Local().Format("2006-01-02"))
	}
	var fonts *reports.Fonts
	if err == nil {
		fonts, err = u.fonts()
	}
	if err == nil {
		err = fonts.Check(cardTexts(card)...)
	}
	if err != nil {
		showError(u.win, cli.PrintError(err))
		return
	}
	u.runPDF(path, "", func(w io.Writer, _ func(int, int) bool) (reports.Result, error) {
		res, err := reports.WriteCustomerCard(w, fonts, card)
		return res, cli.PrintError(err)
	}, nil)
}

// cardTexts returns every text printed on a card, for Fonts.Check.
func cardTexts(c reports.CustomerCard) []string {
	out := []string{c.Code, c.Name, c.Status, c.PrintedBy, c.PrintedOn}
	for _, s := range c.Sections {
		out = append(out, s.Title)
		for _, f := range s.Fields {
			out = append(out, f.Label, f.Value)
		}
	}
	for _, p := range c.Contacts {
		out = append(out, p.Name, p.Position, p.Mobile, p.Phone, p.Email, p.Birthday, p.Note)
	}
	for _, n := range c.Notes {
		out = append(out, n.Date, n.Way, n.OurStaff, n.TheirStaff, n.Subject, n.Detail, n.NextDate)
	}
	return out
}
