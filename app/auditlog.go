package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

const auditPageSize = 100

// auditTab shows the audit log to admins, newest first, with filters by
// user, entity and date range, a page at a time.
type auditTab struct {
	ui      *UI
	content fyne.CanvasObject
	table   *widget.Table
	user    *widget.Select
	entity  *widget.Select
	from    *entry
	to      *entry
	message *widget.Label
	detail  *widget.Label // the whole of the selected entry
	pageLbl *widget.Label
	prev    *widget.Button
	next    *widget.Button

	entries []data.AuditEntry
	total   int
	offset  int
}

var auditColumns = []column{
	{"时间", 160}, {"用户", 100}, {"对象", 80}, {"编号", 220}, {"操作", 90}, {"说明", 300}, {"变更内容", 420},
}

const allOption = "全部"

func newAuditTab(u *UI) *auditTab {
	t := &auditTab{ui: u, from: newEntry(), to: newEntry(), message: newMessage(),
		pageLbl: widget.NewLabel("")}
	t.user = widget.NewSelect([]string{allOption}, nil)
	t.user.SetSelected(allOption)
	entities := []string{allOption}
	for _, e := range data.AuditEntities() {
		entities = append(entities, data.EntityLabel(e))
	}
	t.entity = widget.NewSelect(entities, nil)
	t.entity.SetSelected(allOption)
	t.from.SetPlaceHolder("起始日期 2026-01-01")
	t.to.SetPlaceHolder("截止日期")
	search := widget.NewButton("查询", func() { t.offset = 0; t.reload() })
	search.Importance = widget.HighImportance
	t.from.OnSubmitted = func(string) { search.OnTapped() }
	t.to.OnSubmitted = func(string) { search.OnTapped() }
	t.prev = widget.NewButton("上一页", func() { t.offset -= auditPageSize; t.reload() })
	t.next = widget.NewButton("下一页", func() { t.offset += auditPageSize; t.reload() })
	t.table = newTable(auditColumns, func() int { return len(t.entries) }, t.cell)
	t.detail = widget.NewLabel("选中一行可在此查看完整的变更内容。")
	t.detail.Wrapping = fyne.TextWrapWord
	t.table.OnSelected = t.onSelected

	filters := container.NewHBox(widget.NewLabel("用户"), t.user, widget.NewLabel("对象"), t.entity,
		widget.NewLabel("日期"), sized(t.from, 150), widget.NewLabel("至"), sized(t.to, 150), search, t.exportButton())
	pager := container.NewVBox(t.detail, container.NewHBox(t.prev, t.pageLbl, t.next))
	t.content = container.NewBorder(container.NewVBox(filters, t.message), pager, nil, nil, t.table)
	t.reload()
	return t
}

// sized gives an entry a fixed minimum width inside an HBox.
func sized(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o)
}

func (t *auditTab) cell(row, col int) string {
	if row >= len(t.entries) {
		return ""
	}
	e := t.entries[row]
	switch col {
	case 0:
		return formatTime(e.At)
	case 1:
		return e.UserName
	case 2:
		return data.EntityLabel(e.Entity)
	case 3:
		return e.EntityID
	case 4:
		return data.ActionLabel(e.Action)
	case 5:
		return e.Summary
	case 6:
		return e.ChangesText()
	}
	return ""
}

// onSelected shows the whole selected entry below the table.
func (t *auditTab) onSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(t.entries) {
		return
	}
	e := t.entries[id.Row]
	text := fmt.Sprintf("%s  %s  %s %s  %s：%s", formatTime(e.At), e.UserName,
		data.EntityLabel(e.Entity), e.EntityID, data.ActionLabel(e.Action), e.Summary)
	if c := e.ChangesText(); c != "" {
		text += "\n变更：" + c
	}
	t.detail.SetText(text)
}

// filter reads the filter widgets.
func (t *auditTab) filter() (data.AuditFilter, error) {
	f := data.AuditFilter{Offset: t.offset, Limit: auditPageSize}
	if t.user.Selected != allOption {
		f.UserName = t.user.Selected
	}
	for _, e := range data.AuditEntities() {
		if data.EntityLabel(e) == t.entity.Selected {
			f.Entity = e
		}
	}
	for _, d := range []struct {
		entry *entry
		field string
		dst   *time.Time
	}{{t.from, "起始日期", &f.From}, {t.to, "截止日期", &f.To}} {
		if strings.TrimSpace(d.entry.Text) == "" {
			continue
		}
		v, err := data.ParseDate(d.field, d.entry.Text)
		if err != nil {
			return f, err
		}
		*d.dst = v
	}
	return f, nil
}

// reload fetches the current page with the current filters.
func (t *auditTab) reload() {
	ctx := context.Background()
	setMsg(t.message, "")
	if users, err := t.ui.store.FindUsers(ctx); err == nil {
		opts := []string{allOption}
		for _, u := range users {
			opts = append(opts, u.Username)
		}
		t.user.Options = opts
	}
	f, err := t.filter()
	if err != nil {
		showErr(t.message, err)
		return
	}
	if t.offset < 0 {
		t.offset, f.Offset = 0, 0
	}
	entries, total, err := t.ui.store.FindAudit(ctx, t.ui.user, f)
	if err != nil {
		showErr(t.message, err)
		return
	}
	t.entries, t.total = entries, total
	pages := (total + auditPageSize - 1) / auditPageSize
	if pages == 0 {
		pages = 1
	}
	t.pageLbl.SetText(fmt.Sprintf("第 %d / %d 页，共 %d 条", t.offset/auditPageSize+1, pages, total))
	setEnabled(t.prev, t.offset > 0)
	setEnabled(t.next, t.offset+auditPageSize < total)
	t.table.Refresh()
}

func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}
