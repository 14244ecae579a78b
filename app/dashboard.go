package app

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// dashboardTab is 首页, the first tab: the counts of the user's scope as
// tiles and charts. Every count opens the list it counts, filtered.
type dashboardTab struct {
	ui      *UI
	content fyne.CanvasObject

	customers, items, loans, overdue, due, backup *statTile

	byYear                        *columnChart
	byClass, itemStatus           *barList
	byGrade, custStatus, byRegion *barList
	updated                       *widget.Label
	message                       *widget.Label
	dash                          data.Dashboard
	gen                           int // bumped per reload; a late result of an older one is dropped
	loads                         int // results shown, for tests
}

func newDashboardTab(u *UI) *dashboardTab {
	t := &dashboardTab{ui: u, updated: widget.NewLabel(""), message: newMessage()}
	m := func() *mainScreen { return u.main }
	t.customers = newStatTile("客户", func() { m().customers.showFiltered("", "", "") })
	t.items = newStatTile("档案", func() { m().archive.showFiltered(0, 0, "") })
	t.loans = newStatTile("借出中", func() { m().loans.showState(data.LoansCurrent) })
	t.overdue = newStatTile("逾期未还", func() { m().loans.showState(data.LoansOverdue) })
	t.due = newStatTile("待鉴定", func() { m().appraisal.showAll() })
	var openBackup func()
	if u.user.IsAdmin() {
		openBackup = func() { m().showTab(m().backup.content) }
	}
	t.backup = newStatTile("上次备份", openBackup)

	t.byYear = newColumnChart("年度", "件数", func(i int) {
		if y, err := strconv.Atoi(t.dash.ItemsByYear[i].Key); err == nil {
			m().archive.showFiltered(0, y, "")
		}
	})
	t.byClass = newBarList(func(i int) { m().archive.showFiltered(t.dash.ItemsByClass[i].ID, 0, "") })
	t.itemStatus = newBarList(func(i int) { m().archive.showFiltered(0, 0, t.dash.ItemsByStatus[i].Key) })
	t.byGrade = newBarList(func(i int) {
		if k := t.dash.CustomersByGrade[i].Key; k != "" {
			m().customers.showFiltered(k, "", "")
		}
	})
	t.custStatus = newBarList(func(i int) { m().customers.showFiltered("", t.dash.CustomersByStatus[i].Key, "") })
	t.byRegion = newBarList(func(i int) {
		if k := t.dash.CustomersByRegion[i].Key; k != "" {
			m().customers.showFiltered("", "", k)
		}
	})
	for _, b := range []*barList{t.byGrade, t.custStatus, t.byRegion} {
		b.color = customerColor
	}

	t.backup.value.TextSize = theme.TextHeadingSize() // a date, not a count: keep the tile narrow
	tl := &tileLayout{}
	tiles := container.New(tl, t.customers, t.items, t.loans, t.overdue, t.due, t.backup)
	tl.box = tiles
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), t.reload)
	hint := widget.NewLabel("点击数字或条形打开相应清单。快捷键：Ctrl+N 新建，Ctrl+S 保存，Ctrl+P 打印，Ctrl+Tab 下一页")
	hint.Truncation = fyne.TextTruncateEllipsis // never widens the window
	head := container.NewBorder(nil, nil, nil, container.NewHBox(t.message, t.updated, refresh), hint)

	left := container.NewBorder(nil,
		container.NewGridWithColumns(2, section("档案按门类（件）", t.byClass), section("档案状态（件）", t.itemStatus)),
		nil, nil, section("档案按年度（件）", t.byYear))
	right := container.NewBorder(
		container.NewGridWithColumns(2, section("客户按等级", t.byGrade), section("客户状态", t.custStatus)),
		nil, nil, nil, container.NewVBox(section("客户按地区", t.byRegion)))
	body := container.NewGridWithColumns(2, left, right)
	t.content = container.NewBorder(container.NewVBox(head, tiles), nil, nil, nil, container.NewVScroll(body))
	t.reload()
	return t
}

// customerColor tells the customer charts from the (theme-coloured) item
// charts; a teal readable on the light and the dark theme.
var customerColor = color.NRGBA{R: 0x26, G: 0xa6, B: 0x9a, A: 0xff}

// section is a chart under its bold title.
func section(title string, chart fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, chart)
}

// dashboardInBackground runs the counts off the UI goroutine. Tests turn
// it off: the test driver runs fyne.Do on the calling goroutine, so the
// result would be drawn while the test drives the window.
var dashboardInBackground = true

// reload counts afresh (0.1–0.2 s at a million items,
// BenchmarkDashboard1M), in the background, and shows the result.
func (t *dashboardTab) reload() {
	t.gen++
	gen, store, user := t.gen, t.ui.store, t.ui.user
	count := func() {
		d, err := store.Dashboard(context.Background(), user)
		fyne.Do(func() { t.apply(gen, d, err) })
	}
	if dashboardInBackground {
		go count()
	} else {
		count()
	}
}

// apply shows the result of reload number gen, unless a newer one started.
func (t *dashboardTab) apply(gen int, d data.Dashboard, err error) {
	if gen != t.gen {
		return
	}
	if err != nil {
		showErr(t.message, err)
	} else {
		setMsg(t.message, "")
		t.show(d)
	}
	t.loads++
}

// show fills the tiles and charts with d.
func (t *dashboardTab) show(d data.Dashboard) {
	t.dash = d
	now := t.ui.store.Now()
	t.customers.set(strconv.Itoa(d.Customers), countNote(d.CustomersByStatus[0]), nil)
	t.items.set(strconv.Itoa(d.Items), fmt.Sprintf("其中借出 %d 件", d.ItemsByStatus[1].N), nil)
	t.loans.set(strconv.Itoa(d.OpenLoans), "份借阅单未还", nil)
	var alert color.Color
	if d.OverdueLoans > 0 {
		alert = theme.Color(theme.ColorNameError)
	}
	t.overdue.set(strconv.Itoa(d.OverdueLoans), "份借阅单已过应还日期", alert)
	var warn color.Color
	if d.DueAppraisal > 0 {
		warn = theme.Color(theme.ColorNameWarning)
	}
	t.due.set(strconv.Itoa(d.DueAppraisal), "件档案保管期限已满", warn)
	t.backup.set(backupText(d, now))
	t.byYear.set(bars(d.ItemsByYear))
	t.byClass.set(bars(d.ItemsByClass))
	t.itemStatus.set(bars(d.ItemsByStatus))
	t.byGrade.set(bars(d.CustomersByGrade))
	t.custStatus.set(bars(d.CustomersByStatus))
	t.byRegion.set(bars(d.CustomersByRegion))
	t.updated.SetText("更新于 " + now.Local().Format("15:04:05"))
}

func countNote(c data.Count) string { return fmt.Sprintf("其中%s %d 个", c.Label, c.N) }

// backupText is the backup tile: the date, how long ago, and a warning in
// red when there is none or it is older than data.BackupWarnAfter.
func backupText(d data.Dashboard, now time.Time) (string, string, color.Color) {
	if d.LastBackup.IsZero() {
		return "从未备份", "请尽快备份数据", theme.Color(theme.ColorNameError)
	}
	days := int(d.BackupAge(now) / (24 * time.Hour))
	ago := "今天"
	if days > 0 {
		ago = fmt.Sprintf("%d 天前", days)
	}
	note := d.LastBackup.Local().Format("15:04") + "，" + ago
	if d.BackupStale(now) {
		return d.LastBackup.Local().Format("2006-01-02"), ago + "，请尽快备份",
			theme.Color(theme.ColorNameError)
	}
	return d.LastBackup.Local().Format("2006-01-02"), note, nil
}

func bars(cs []data.Count) []chartBar {
	out := make([]chartBar, len(cs))
	for i, c := range cs {
		out[i] = chartBar{label: c.Label, value: c.N}
	}
	return out
}

// showTab opens the tab whose content is c; when it is open already, its
// refresh runs as if it had been opened.
func (m *mainScreen) showTab(c fyne.CanvasObject) {
	for _, it := range m.tabs.Items {
		if it.Content != c {
			continue
		}
		if m.tabs.Selected() == it {
			if f := m.onShow[it]; f != nil {
				f()
			}
			return
		}
		m.tabs.Select(it)
		return
	}
}

// statTile is a count on the 首页: a title, a large number and a note; a
// tap opens the list it counts.
type statTile struct {
	widget.BaseWidget
	bg          *canvas.Rectangle
	title       *canvas.Text
	value, note *canvas.Text
	onTap       func()
}

func newStatTile(title string, onTap func()) *statTile {
	t := &statTile{onTap: onTap, bg: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		title: chartText(title, theme.TextSize()), value: chartText("…", theme.TextHeadingSize()*1.4),
		note: chartText("", theme.TextSize()-1)}
	t.bg.CornerRadius = theme.InputRadiusSize()
	t.value.TextStyle.Bold = true
	t.note.Color = theme.Color(theme.ColorNamePlaceHolder)
	t.ExtendBaseWidget(t)
	return t
}

// set shows the number and note; alert, when not nil, colours both.
func (t *statTile) set(value, note string, alert color.Color) {
	t.value.Text, t.note.Text = value, note
	t.value.Color, t.note.Color = theme.Color(theme.ColorNameForeground), theme.Color(theme.ColorNamePlaceHolder)
	if alert != nil {
		t.value.Color, t.note.Color = alert, alert
	}
	t.value.Refresh()
	t.note.Refresh()
}

func (t *statTile) Tapped(*fyne.PointEvent) {
	if t.onTap != nil {
		t.onTap()
	}
}

func (t *statTile) Cursor() desktop.Cursor {
	if t.onTap == nil {
		return desktop.DefaultCursor
	}
	return desktop.PointerCursor
}

func (t *statTile) CreateRenderer() fyne.WidgetRenderer {
	inner := container.NewVBox(t.title, t.value, t.note, layout.NewSpacer())
	return widget.NewSimpleRenderer(container.NewStack(t.bg, container.NewPadded(inner)))
}

// tileLayout puts the tiles in one row when the window is wide enough and
// in as many equal rows as needed when it is not.
type tileLayout struct{ box *fyne.Container }

// columns is how many tiles fit beside each other in width.
func (l *tileLayout) columns(objects []fyne.CanvasObject, width float32) int {
	cell := l.cell(objects)
	n := int((width + theme.Padding()) / (cell.Width + theme.Padding()))
	return max(1, min(n, len(objects)))
}

func (l *tileLayout) cell(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		s = s.Max(o.MinSize())
	}
	return s
}

// width is the width the tiles will get: a parent asks for the minimum
// size before it resizes the box, so the window's width is used (the tab
// spans it, less the padding).
func (l *tileLayout) width() float32 {
	if l.box != nil {
		if c := fyne.CurrentApp().Driver().CanvasForObject(l.box); c != nil && c.Size().Width > 0 {
			return c.Size().Width - 2*theme.Padding()
		}
	}
	return 1 << 20
}

func (l *tileLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	if len(objects) == 0 {
		return fyne.Size{}
	}
	cell := l.cell(objects)
	cols := l.columns(objects, l.width())
	rows := (len(objects) + cols - 1) / cols
	return fyne.NewSize(cell.Width, float32(rows)*cell.Height+float32(rows-1)*theme.Padding())
}

func (l *tileLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	if len(objects) == 0 {
		return
	}
	pad := theme.Padding()
	cols := l.columns(objects, size.Width)
	h := l.cell(objects).Height
	w := (size.Width - float32(cols-1)*pad) / float32(cols)
	for i, o := range objects {
		r, c := i/cols, i%cols
		o.Move(fyne.NewPos(float32(c)*(w+pad), float32(r)*(h+pad)))
		o.Resize(fyne.NewSize(w, h))
	}
}
