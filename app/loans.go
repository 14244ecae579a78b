package app

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
	"dangan/reports"
)

// loansTab is 借阅管理: counts on top, the loans with filters, and the
// lend, return, renew and 借阅单 actions.
type loansTab struct {
	ui      *UI
	content fyne.CanvasObject
	counts  [4]*widget.Label
	state   *widget.Select
	query   *entry
	table   *widget.Table
	summary *widget.Label
	lend    *widget.Button
	ret     *widget.Button
	renew   *widget.Button
	print   *widget.Button
	days    *widget.Button
	export  *widget.Button

	filter data.LoanFilter
	total  int
	pages  map[int][]data.Loan // loaded pages of loanPage rows
	sel    int

	lendDlg *lendDialog // open lend dialog, for tests
	retDlg  *formDialog
	retChk  []*widget.Check
	retScan *entry // scan field of the return dialog
}

const loanPage = 100

var loanColumns = []column{{"借阅单号", 110}, {"借阅人", 90}, {"单位", 150}, {"件数", 70}, {"借出日期", 95},
	{"应还日期", 95}, {"状态", 150}, {"续借", 50}, {"用途", 120}, {"档号", 300}}

var loanStates = []struct {
	label string
	state data.LoanState
}{{"当前借出", data.LoansCurrent}, {"逾期未还", data.LoansOverdue}, {"已归还", data.LoansPast}, {"全部借阅", data.LoansAll}}

func newLoansTab(u *UI) *loansTab {
	t := &loansTab{ui: u, sel: -1, pages: map[int][]data.Loan{}, summary: widget.NewLabel("")}
	var cards []fyne.CanvasObject
	for i, title := range []string{"借出中（件）", "逾期未还（件）", "待鉴定（件）", "待审批销毁清册（份）"} {
		t.counts[i] = widget.NewLabelWithStyle("0", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		t.counts[i].SizeName = "headingText"
		cards = append(cards, widget.NewCard("", "", container.NewVBox(t.counts[i],
			widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{}))))
	}
	t.counts[1].Importance = widget.DangerImportance

	var labels []string
	for _, s := range loanStates {
		labels = append(labels, s.label)
	}
	t.state = widget.NewSelect(labels, func(string) { t.reload() })
	t.query = newEntry()
	t.query.SetPlaceHolder("单号、借阅人、单位或档号")
	t.query.OnSubmitted = func(string) { t.reload() }
	search := widget.NewButton("查询", t.reload)

	t.table = newTable(loanColumns, func() int { return t.total }, t.cell)
	t.table.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		l.Importance = widget.MediumImportance
		if lo, ok := t.loan(id.Row); ok && lo.OverdueDays > 0 {
			l.Importance = widget.DangerImportance
		}
		l.SetText(t.cell(id.Row, id.Col))
	}
	t.table.OnSelected = func(id widget.TableCellID) { t.sel = id.Row; t.updateButtons() }

	t.lend = widget.NewButton("借出…", t.showLend)
	t.lend.Importance = widget.HighImportance
	t.ret = widget.NewButton("归还…", t.showReturn)
	t.renew = widget.NewButton("续借…", t.showRenew)
	t.print = widget.NewButton("打印借阅单", t.onPrint)
	t.days = widget.NewButton("", t.showDays)
	t.export = t.exportButton()
	if !u.user.IsAdmin() {
		t.days.Disable()
	}
	top := container.NewVBox(
		container.NewGridWithColumns(4, cards...),
		container.NewHBox(t.lend, t.ret, t.renew, t.print, widget.NewSeparator(), t.days, t.export),
		container.NewBorder(nil, nil, t.state, search, t.query),
		t.summary)
	t.content = container.NewBorder(top, nil, nil, nil, t.table)
	t.state.SetSelected(loanStates[0].label)
	return t
}

// loan returns the loan shown in row, loading its page when needed.
func (t *loansTab) loan(row int) (data.Loan, bool) {
	if row < 0 || row >= t.total {
		return data.Loan{}, false
	}
	p := row / loanPage
	page, ok := t.pages[p]
	if !ok {
		f := t.filter
		f.Limit, f.Offset = loanPage, p*loanPage
		var err error
		if page, _, err = t.ui.store.FindLoans(context.Background(), t.ui.user, f); err != nil {
			return data.Loan{}, false
		}
		t.pages[p] = page
	}
	if i := row % loanPage; i < len(page) {
		return page[i], true
	}
	return data.Loan{}, false
}

func (t *loansTab) cell(row, col int) string {
	l, ok := t.loan(row)
	if !ok {
		return ""
	}
	status := "借出中"
	switch {
	case !l.Open():
		status = "已归还 " + l.ReturnedOn
	case l.OverdueDays > 0:
		status = fmt.Sprintf("逾期 %d 天", l.OverdueDays)
	}
	count := strconv.Itoa(l.ItemCount)
	if l.Open() && l.OutCount != l.ItemCount {
		count = fmt.Sprintf("%d/%d 未还", l.OutCount, l.ItemCount)
	}
	renew := ""
	if l.Renewals > 0 {
		renew = strconv.Itoa(l.Renewals)
	}
	return [...]string{l.No, l.Borrower, l.Unit, count, l.LentOn, l.DueOn, status, renew, l.Purpose, l.Codes}[col]
}

// showState opens the list of the loans in state (from the 首页).
func (t *loansTab) showState(state data.LoanState) {
	for _, s := range loanStates {
		if s.state == state {
			t.state.Selected = s.label
			t.state.Refresh()
		}
	}
	t.query.SetText("")
	t.ui.main.showTab(t.content) // its onShow reloads
}

// reload refreshes the counts and the list with the current filters.
func (t *loansTab) reload() {
	if t.table == nil {
		return
	}
	ctx := context.Background()
	if st, err := t.ui.store.LoanStats(ctx, t.ui.user); err == nil {
		for i, n := range []int{st.OnLoan, st.Overdue, st.DueAppraisal, st.Awaiting} {
			t.counts[i].SetText(strconv.Itoa(n))
		}
	}
	t.days.SetText(fmt.Sprintf("默认借阅期限：%d 天", t.ui.store.LoanDays(ctx)))
	t.filter = data.LoanFilter{Query: t.query.Text}
	for _, s := range loanStates {
		if s.label == t.state.Selected {
			t.filter.State = s.state
		}
	}
	f := t.filter
	f.Limit = loanPage
	page, total, err := t.ui.store.FindLoans(ctx, t.ui.user, f)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.pages, t.total, t.sel = map[int][]data.Loan{0: page}, total, -1
	t.summary.SetText(fmt.Sprintf("共 %d 份借阅单（今天 %s）", total, t.ui.store.Today()))
	t.table.UnselectAll()
	t.table.Refresh()
	t.table.ScrollToTop()
	t.updateButtons()
}

func (t *loansTab) updateButtons() {
	l, ok := t.loan(t.sel)
	setEnabled(t.ret, ok && l.Open())
	setEnabled(t.renew, ok && l.Open())
	setEnabled(t.print, ok)
}

// selected returns the selected loan with its items.
func (t *loansTab) selected() (*data.Loan, bool) {
	l, ok := t.loan(t.sel)
	if !ok {
		return nil, false
	}
	full, err := t.ui.store.LoanByID(context.Background(), t.ui.user, l.ID)
	if err != nil {
		showError(t.ui.win, err)
		return nil, false
	}
	return full, true
}

// showReturn asks which of the items still out come back; all are ticked.
func (t *loansTab) showReturn() {
	l, ok := t.selected()
	if !ok {
		return
	}
	t.retChk = nil
	var items []*widget.FormItem
	ids := map[*widget.Check]int64{}
	byItem := map[int64]*widget.Check{}
	for _, it := range l.Items {
		if it.ReturnedOn != "" {
			continue
		}
		c := widget.NewCheck(it.Code+"  "+it.Title, nil)
		c.SetChecked(true)
		ids[c], byItem[it.ItemID] = it.ItemID, c
		t.retChk = append(t.retChk, c)
		items = append(items, widget.NewFormItem("", c))
	}
	scan, scanMsg, onScan := t.returnScan(byItem)
	t.retScan = scan
	items = append([]*widget.FormItem{widget.NewFormItem("借阅人", widget.NewLabel(l.Borrower+"  应还 "+l.DueOn)),
		widget.NewFormItem("扫码归还", scan), widget.NewFormItem("", scanMsg)}, items...)
	t.retDlg = newFormDialog(t.ui.win, "归还 "+l.No, "归还所选", items, func() error {
		var chosen []int64
		for _, c := range t.retChk {
			if c.Checked {
				chosen = append(chosen, ids[c])
			}
		}
		if len(chosen) == 0 {
			return data.Errorf(data.EINVALID, "请勾选要归还的档案")
		}
		if err := t.ui.store.ReturnLoan(context.Background(), t.ui.user, l.ID, chosen); err != nil {
			return err
		}
		t.reload()
		return nil
	})
	scan.OnSubmitted = onScan // Enter adds to the return list instead of submitting
	t.retDlg.Show(t.ui.win)
}

// showRenew asks for the new due date, suggesting the loan period again.
func (t *loansTab) showRenew() {
	l, ok := t.selected()
	if !ok {
		return
	}
	due := newEntry()
	due.SetText(addDays(l.DueOn, t.ui.store.LoanDays(context.Background())))
	fd := newFormDialog(t.ui.win, "续借 "+l.No, "续借", []*widget.FormItem{
		widget.NewFormItem("借阅人", widget.NewLabel(l.Borrower)),
		widget.NewFormItem("原应还日期", widget.NewLabel(fmt.Sprintf("%s（已续借 %d 次）", l.DueOn, l.Renewals))),
		widget.NewFormItem("新的应还日期", due),
	}, func() error {
		if err := t.ui.store.RenewLoan(context.Background(), t.ui.user, l.ID, due.Text); err != nil {
			return err
		}
		t.reload()
		return nil
	})
	fd.Show(t.ui.win)
}

// addDays adds n days to a YYYY-MM-DD date.
func addDays(date string, n int) string {
	d, err := data.ParseDate("日期", date)
	if err != nil {
		return date
	}
	return d.AddDate(0, 0, n).Format("2006-01-02")
}

// showDays changes the default loan period (admins).
func (t *loansTab) showDays() {
	days := newEntry()
	days.SetText(strconv.Itoa(t.ui.store.LoanDays(context.Background())))
	fd := newFormDialog(t.ui.win, "默认借阅期限", "保存", []*widget.FormItem{
		{Text: "借阅天数", Widget: days, HintText: "借出时应还日期默认为借出日期加上这个天数"},
	}, func() error {
		if err := t.ui.store.SetLoanDays(context.Background(), t.ui.user, days.Text); err != nil {
			return err
		}
		t.reload()
		return nil
	})
	fd.Show(t.ui.win)
}

// onPrint saves the selected loan's 借阅单 as a PDF.
func (t *loansTab) onPrint() {
	l, ok := t.selected()
	if !ok {
		return
	}
	fonds, _ := t.ui.store.Fonds(context.Background())
	slip := loanSlip(l, fonds.Name)
	t.ui.savePDF("借阅单-"+l.No+".pdf", "", func(w io.Writer, fonts *reports.Fonts) (reports.Result, error) {
		return reports.WriteLoanSlip(w, fonts, slip)
	})
}

// loanSlip maps a loan onto the report's input.
func loanSlip(l *data.Loan, fondsName string) reports.LoanSlip {
	s := reports.LoanSlip{No: l.No, FondsName: fondsName, Borrower: l.Borrower, Unit: l.Unit, Phone: l.Phone,
		Purpose: l.Purpose, LentOn: l.LentOn, DueOn: l.DueOn, Handler: l.Handler, Renewals: l.Renewals}
	for _, it := range l.Items {
		note := ""
		if it.ReceivedBy != "" {
			note = "接收：" + it.ReceivedBy
		}
		s.Items = append(s.Items, reports.LoanItem{Code: it.Code, Title: it.Title, Pages: strconv.Itoa(it.Pages),
			ReturnedOn: it.ReturnedOn, Note: note})
	}
	return s
}

// userChoices lists the users for the borrower chooser, with their ids.
func (t *loansTab) userChoices() ([]string, map[string]int64) {
	users, err := t.ui.store.FindUsers(context.Background())
	ids := map[string]int64{}
	opts := []string{outsider}
	if err != nil {
		return opts, ids
	}
	for _, u := range users {
		if !u.Active {
			continue
		}
		label := strings.TrimSpace(u.DisplayName + "（" + u.Username + "）")
		if u.DeptName != "" {
			label += " " + u.DeptName
		}
		opts = append(opts, label)
		ids[label] = u.ID
	}
	return opts, ids
}

const outsider = "外部人员（填写姓名、单位）"
