package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// remindersTab lists what needs attention today (客户提醒): contact
// birthdays this week, follow-ups due, and customers gone quiet.
type remindersTab struct {
	ui      *UI
	content fyne.CanvasObject
	table   *widget.Table
	summary *widget.Label
	open    *widget.Button
	all     []data.Reminder
	items   []data.Reminder // shown: all, or one kind
	kind    *widget.Select
	sel     int
	onOpen  func(customerID int64)
}

var reminderColumns = []column{{"提醒", 90}, {"客户编码", 100}, {"客户名称", 260}, {"日期", 100}, {"说明", 420}}

var reminderLabels = map[string]string{
	data.ReminderBirthday: "联系人生日", data.ReminderFollowUp: "待跟进", data.ReminderQuiet: "久未沟通",
}

func newRemindersTab(u *UI, onOpen func(int64)) *remindersTab {
	t := &remindersTab{ui: u, sel: -1, onOpen: onOpen, summary: widget.NewLabel("")}
	t.summary.Wrapping = fyne.TextWrapWord
	t.table = newTable(reminderColumns, func() int { return len(t.items) }, func(row, col int) string {
		if row >= len(t.items) {
			return ""
		}
		r := t.items[row]
		return [...]string{reminderLabels[r.Kind], r.Code, r.Name, r.Date, r.Detail}[col]
	})
	t.table.OnSelected = func(id widget.TableCellID) { t.sel = id.Row; setEnabled(t.open, true) }
	refresh := widget.NewButton("刷新", t.reload)
	t.kind = widget.NewSelect([]string{"全部提醒", reminderLabels[data.ReminderBirthday], reminderLabels[data.ReminderFollowUp],
		reminderLabels[data.ReminderQuiet]}, func(string) { t.applyKind() })
	t.kind.SetSelected("全部提醒")
	t.open = widget.NewButton("打开档案卡", func() {
		if t.sel >= 0 && t.sel < len(t.items) && t.onOpen != nil {
			t.onOpen(t.items[t.sel].CustomerID)
		}
	})
	t.content = container.NewBorder(container.NewVBox(container.NewHBox(refresh, t.kind, t.open), t.summary), nil, nil, nil, t.table)
	t.reload()
	return t
}

func (t *remindersTab) reload() {
	items, err := t.ui.store.Reminders(context.Background(), t.ui.user)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.all = items
	n := map[string]int{}
	for _, r := range items {
		n[r.Kind]++
	}
	today := t.ui.store.Now().Local().Format("2006年1月2日")
	t.summary.SetText(fmt.Sprintf("%s：%d 位联系人 %d 天内过生日，%d 个客户到了跟进日期，%d 个客户超过 %d 天没有沟通（准流失客户）。",
		today, n[data.ReminderBirthday], data.BirthdayDays, n[data.ReminderFollowUp], n[data.ReminderQuiet], data.QuietDays))
	t.applyKind()
}

// applyKind shows the reminders of the chosen kind.
func (t *remindersTab) applyKind() {
	if t.table == nil || t.open == nil {
		return
	}
	t.items, t.sel = nil, -1
	for _, r := range t.all {
		if t.kind.Selected == "全部提醒" || reminderLabels[r.Kind] == t.kind.Selected {
			t.items = append(t.items, r)
		}
	}
	t.table.UnselectAll()
	t.table.Refresh()
	setEnabled(t.open, false)
}
