package app

import (
	"context"
	"fmt"
	"log"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// searchDebounce is how long typing must pause before a search runs.
const searchDebounce = 200 * time.Millisecond

// searchLimit is the number of hits shown per group.
const searchLimit = 10

func init() {
	// Ctrl+F reaches the window even when an entry has the focus.
	windowKeys[fyne.KeyF] = true
}

// searchBar is the global search at the top of the main window: one box
// over customers, items and boxes (Ctrl+F). Typing shows grouped results
// in a panel over the tabs; ↑/↓ choose, Enter opens, Esc closes. A scanned
// box barcode or 档号 followed by Enter opens that box or item at once.
type searchBar struct {
	ui      *UI
	entry   *searchEntry
	content fyne.CanvasObject // the bar
	panel   *fyne.Container   // the results, stacked over the tabs
	header  *widget.Label
	list    *widget.List

	rows   []searchRow
	cursor int // highlighted row, -1 for none
	moving bool

	mu     sync.Mutex
	timer  *time.Timer
	gen    int // bumped by every search: a late answer of an older one is dropped
	result data.SearchResult
	done   func() // called after a background search is shown, for tests
}

// searchRow is one line of the results: a group heading or a hit.
type searchRow struct {
	heading string
	hit     data.SearchHit
}

// searchEntry is the search box: it passes ↑, ↓ and Esc to the bar.
type searchEntry struct {
	entry
	bar *searchBar
}

func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown:
		e.bar.move(1)
	case fyne.KeyUp:
		e.bar.move(-1)
	case fyne.KeyEscape:
		e.bar.close()
		e.SetText("") // the next query starts afresh
	default:
		e.entry.TypedKey(k)
	}
}

// TypedShortcut passes the window's shortcuts (Ctrl+F, Ctrl+P, Ctrl+1…9)
// to the canvas: the embedded entry would look for the canvas of itself,
// not of the search box.
func (e *searchEntry) TypedShortcut(s fyne.Shortcut) {
	if cs, ok := s.(*desktop.CustomShortcut); ok && windowKeys[cs.KeyName] && cs.Modifier == fyne.KeyModifierShortcutDefault {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e).(fyne.Shortcutable); ok {
			c.TypedShortcut(s)
			return
		}
	}
	e.entry.TypedShortcut(s)
}

func newSearchBar(u *UI) *searchBar {
	b := &searchBar{ui: u, cursor: -1, header: widget.NewLabel("")}
	b.entry = &searchEntry{bar: b}
	b.entry.ExtendBaseWidget(b.entry)
	b.entry.SetPlaceHolder("搜索客户、档号、题名、联系人、电话…（Ctrl+F；扫码枪扫盒脊条码或档号后回车直接打开）")
	b.entry.OnChanged = b.onChanged
	b.entry.OnSubmitted = func(string) { b.onSubmit() }
	b.list = widget.NewList(func() int { return len(b.rows) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewLabel(""), widget.NewLabel(""))
		},
		b.updateRow)
	b.list.OnSelected = b.onSelected
	b.header.TextStyle.Bold = true
	closeBtn := widget.NewButtonWithIcon("", theme.CancelIcon(), b.close)
	closeBtn.Importance = widget.LowImportance
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	b.panel = container.NewStack(bg, container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, closeBtn, b.header),
			widget.NewLabel("↑↓ 选择，回车打开，Esc 关闭")), nil, nil, nil, b.list))
	b.panel.Hide()
	icon := widget.NewIcon(theme.SearchIcon())
	b.content = container.NewBorder(nil, nil, icon, nil, b.entry)
	u.win.Canvas().AddShortcut(&desktopShortcut{key: fyne.KeyF}, func(fyne.Shortcut) { b.focus() })
	// After an upgrade the indexes fill in the background from start-up.
	if err := u.store.PrepareSearch(context.Background()); err != nil {
		log.Printf("search: %v", err)
	}
	return b
}

// focus puts the cursor in the search box with its text selected.
func (b *searchBar) focus() {
	b.ui.win.Canvas().Focus(b.entry)
	b.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

func (b *searchBar) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	c := o.(*fyne.Container)
	main, side := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
	if id >= len(b.rows) {
		return
	}
	r := b.rows[id]
	if r.heading != "" {
		main.TextStyle.Bold = true
		main.SetText(r.heading)
		side.SetText("")
		return
	}
	main.TextStyle.Bold = false
	main.SetText("    " + r.hit.Code + "    " + r.hit.Title)
	side.SetText("匹配：" + r.hit.Field)
}

// onChanged starts the search after a pause in typing.
func (b *searchBar) onChanged(string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil {
		b.timer.Stop()
	}
	b.gen++
	gen := b.gen
	b.timer = time.AfterFunc(searchDebounce, func() { b.runAsync(gen) })
}

// runAsync runs search number gen off the UI goroutine.
func (b *searchBar) runAsync(gen int) {
	q := b.text()
	r, err := b.ui.store.Search(context.Background(), b.ui.user, q, searchLimit)
	fyne.Do(func() {
		b.mu.Lock()
		current := gen == b.gen
		b.mu.Unlock()
		if current {
			b.show(r, err)
		}
		if b.done != nil {
			b.done()
		}
	})
}

func (b *searchBar) text() string {
	var s string
	fyne.DoAndWait(func() { s = b.entry.Text })
	return s
}

// cancel drops the pending and running searches.
func (b *searchBar) cancel() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil {
		b.timer.Stop()
	}
	b.gen++
}

// show lists a result in the panel, or hides the panel for an empty query.
func (b *searchBar) show(r data.SearchResult, err error) {
	b.result = r
	b.rows, b.cursor = nil, -1
	b.list.UnselectAll()
	if err != nil {
		if data.ErrorCode(err) == data.EINTERNAL {
			log.Printf("search: %v", err)
		}
		b.header.SetText("搜索出错：" + data.ErrorMessage(err))
		b.panel.Show()
		b.list.Refresh()
		return
	}
	if r.Query == "" {
		b.close()
		return
	}
	head := fmt.Sprintf("“%s”的搜索结果", r.Query)
	if r.Total() == 0 {
		head = fmt.Sprintf("没有找到与“%s”匹配的客户、档案或档案盒", r.Query)
	}
	for _, g := range r.Groups {
		heading := fmt.Sprintf("%s（%d）", g.Label, len(g.Hits))
		if g.More {
			heading = fmt.Sprintf("%s（前 %d 项，输入更多字可缩小范围）", g.Label, len(g.Hits))
		}
		b.rows = append(b.rows, searchRow{heading: heading})
		for _, h := range g.Hits {
			b.rows = append(b.rows, searchRow{hit: h})
		}
	}
	if r.Partial {
		head += "（搜索索引正在更新，结果可能不全）"
	}
	b.header.SetText(head)
	b.panel.Show()
	b.list.Refresh()
	b.list.ScrollToTop()
}

// move highlights the next (+1) or previous (-1) hit, skipping headings.
func (b *searchBar) move(step int) {
	if !b.panel.Visible() || len(b.rows) == 0 {
		return
	}
	i := b.cursor
	for {
		i += step
		if i < 0 || i >= len(b.rows) {
			return
		}
		if b.rows[i].heading == "" {
			break
		}
	}
	b.cursor = i
	b.moving = true
	b.list.Select(i)
	b.moving = false
	b.ui.win.Canvas().Focus(b.entry)
}

// onSelected opens a hit tapped in the list.
func (b *searchBar) onSelected(id widget.ListItemID) {
	if b.moving || id >= len(b.rows) {
		return
	}
	if b.rows[id].heading != "" {
		b.list.Unselect(id)
		return
	}
	b.open(b.rows[id].hit)
}

// onSubmit (Enter) opens what a scanner typed, the highlighted hit, or the
// best hit.
func (b *searchBar) onSubmit() {
	b.cancel()
	q := b.entry.Text
	if b.cursor >= 0 && b.cursor < len(b.rows) && b.panel.Visible() {
		b.open(b.rows[b.cursor].hit)
		return
	}
	// A scanner types faster than the debounce: look the code up now.
	h, err := b.ui.store.ResolveScan(context.Background(), b.ui.user, q)
	if err != nil {
		b.show(data.SearchResult{}, err)
		return
	}
	if h != nil {
		b.open(*h)
		return
	}
	r, err := b.ui.store.Search(context.Background(), b.ui.user, q, searchLimit)
	b.show(r, err)
	for _, row := range b.rows {
		if row.heading == "" {
			b.open(row.hit)
			return
		}
	}
}

// close hides the results.
func (b *searchBar) close() {
	b.cancel()
	b.rows, b.cursor = nil, -1
	b.panel.Hide()
	b.list.Refresh()
}

// open shows the record of a hit: a customer's card, an item's form, or
// a box's items in 档案管理.
func (b *searchBar) open(h data.SearchHit) {
	b.entry.SetText("")
	b.close()
	m := b.ui.main
	switch h.Kind {
	case data.KindCustomer:
		m.customers.openCard(h.ID)
	case data.KindItem:
		b.openItem(h.ID)
	case data.KindBox:
		b.openBox(h.ID)
	}
}

// showArchiveTab brings 档案管理 to the front.
func (b *searchBar) showArchiveTab() *archiveTab {
	m := b.ui.main
	for _, it := range m.tabs.Items {
		if it.Content == m.archive.content {
			m.tabs.Select(it)
		}
	}
	return m.archive
}

// openItem lists the one item in 档案管理 and opens its form.
func (b *searchBar) openItem(id int64) {
	it, err := b.ui.store.ItemByID(context.Background(), b.ui.user, id)
	if err != nil {
		showError(b.ui.win, err)
		return
	}
	t := b.showArchiveTab()
	t.gen++
	t.filter = data.ItemFilter{Text: it.Code}
	t.total, t.pages, t.sel = 1, map[int][]data.Item{0: {*it}}, 0
	t.countLbl.SetText(fmt.Sprintf("搜索结果：%s（点“查询”回到全部）", it.Code))
	t.table.Refresh()
	t.table.Select(widget.TableCellID{Row: 0, Col: 1})
	t.updateButtons()
	t.showEdit()
}

// openBox lists the box's items in 档案管理.
func (b *searchBar) openBox(id int64) {
	ctx := context.Background()
	box, err := b.ui.store.BoxByID(ctx, id)
	if err != nil {
		showError(b.ui.win, err)
		return
	}
	t := b.showArchiveTab()
	t.gen++
	t.filter = data.ItemFilter{BoxID: box.ID}
	n, err := b.ui.store.CountItems(ctx, b.ui.user, t.filter)
	if err != nil {
		showError(b.ui.win, err)
		return
	}
	t.total, t.pages, t.sel = n, map[int][]data.Item{}, -1
	loc := ""
	if l := box.Location(); l != "" {
		loc = "，存放位置 " + l
	}
	t.countLbl.SetText(fmt.Sprintf("%s：共 %d 件%s（点“查询”回到全部）", box.Label(), n, loc))
	t.table.UnselectAll()
	t.table.Refresh()
	t.updateButtons()
}
