package app

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
	"dangan/reports"
)

// destructionTab is 销毁清册: the registers (drafts first), their items,
// an admin's approval or rejection, and the PDF.
type destructionTab struct {
	ui      *UI
	content fyne.CanvasObject
	regs    []data.DestructionRegister
	list    *widget.Table
	items   *widget.Table
	cur     *data.DestructionRegister
	detail  *widget.Label
	approve *widget.Button
	reject  *widget.Button
	print   *widget.Button
}

var registerColumns = []column{{"清册编号", 110}, {"状态", 70}, {"件数", 50}, {"提出人", 90}, {"提出日期", 95},
	{"审批人", 90}, {"审批日期", 95}, {"销毁方式", 90}, {"销毁原因", 300}}

var registerItemColumns = []column{{"序号", 50}, {"档号", 230}, {"题名", 320}, {"年度", 60}, {"保管期限", 90},
	{"页数", 50}, {"删除附件", 70}}

func newDestructionTab(u *UI) *destructionTab {
	t := &destructionTab{ui: u, detail: widget.NewLabel("选择一份清册查看其中的档案。")}
	t.detail.Wrapping = fyne.TextWrapWord
	t.list = newTable(registerColumns, func() int { return len(t.regs) }, func(row, col int) string {
		if row >= len(t.regs) {
			return ""
		}
		r := t.regs[row]
		return [...]string{r.No, data.DestructionStatusLabel(r.Status), strconv.Itoa(r.ItemCount), r.Proposer,
			day(r.ProposedAt), r.Approver, day(r.DecidedAt), r.Method, r.Reason}[col]
	})
	t.list.OnSelected = func(id widget.TableCellID) { t.open(id.Row) }
	t.items = newTable(registerItemColumns, func() int {
		if t.cur == nil {
			return 0
		}
		return len(t.cur.Items)
	}, func(row, col int) string {
		if t.cur == nil || row >= len(t.cur.Items) {
			return ""
		}
		it := t.cur.Items[row]
		return [...]string{strconv.Itoa(row + 1), it.Code, it.Title, strconv.Itoa(it.Year),
			data.RetentionLabel(it.Retention), strconv.Itoa(it.Pages), strconv.Itoa(it.Attachments)}[col]
	})
	t.approve = widget.NewButton("批准销毁…", t.onApprove)
	t.approve.Importance = widget.DangerImportance
	t.reject = widget.NewButton("驳回…", t.showReject)
	t.print = widget.NewButton("打印销毁清册", t.onPrint)
	note := widget.NewLabel("")
	if !u.user.IsAdmin() {
		note.SetText("只有管理员可以审批销毁清册。")
	}
	top := container.NewHBox(widget.NewButton("刷新", t.reload), t.approve, t.reject, t.print, note)
	split := container.NewVSplit(t.list, container.NewBorder(t.detail, nil, nil, nil, t.items))
	split.Offset = 0.4
	t.content = container.NewBorder(top, nil, nil, nil, split)
	t.updateButtons()
	return t
}

// day shows the calendar day of a stored time.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02")
}

func (t *destructionTab) reload() {
	regs, err := t.ui.store.FindDestructions(context.Background(), t.ui.user, "")
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.regs = regs
	if t.cur != nil {
		t.cur, _ = t.ui.store.DestructionByID(context.Background(), t.ui.user, t.cur.ID)
	}
	t.list.Refresh()
	t.showCurrent()
}

// open shows the register in row with its items.
func (t *destructionTab) open(row int) {
	if row < 0 || row >= len(t.regs) {
		return
	}
	r, err := t.ui.store.DestructionByID(context.Background(), t.ui.user, t.regs[row].ID)
	if err != nil {
		showError(t.ui.win, err)
		return
	}
	t.cur = r
	t.showCurrent()
}

func (t *destructionTab) showCurrent() {
	if r := t.cur; r != nil {
		text := fmt.Sprintf("销毁清册 %s（%s）：%d 件，销毁方式 %s；原因：%s。提出人 %s，%s。", r.No,
			data.DestructionStatusLabel(r.Status), len(r.Items), r.Method, r.Reason, r.Proposer, day(r.ProposedAt))
		switch r.Status {
		case data.DestructionApproved:
			text += fmt.Sprintf("批准人 %s，%s。档案已标记为已销毁，附件已删除；本清册永久保存。", r.Approver, day(r.DecidedAt))
		case data.DestructionRejected:
			text += fmt.Sprintf("已由 %s 于 %s 驳回：%s。", r.Approver, day(r.DecidedAt), r.RejectNote)
		}
		t.detail.SetText(text)
	}
	t.items.Refresh()
	t.updateButtons()
}

func (t *destructionTab) updateButtons() {
	draft := t.cur != nil && t.cur.Status == data.DestructionDraft && t.ui.user.IsAdmin()
	setEnabled(t.approve, draft)
	setEnabled(t.reject, draft)
	setEnabled(t.print, t.cur != nil)
}

// onApprove asks, naming the register, then approves it.
func (t *destructionTab) onApprove() {
	r := t.cur
	if r == nil {
		return
	}
	confirm(t.ui.win, "批准销毁", fmt.Sprintf("批准销毁清册 %s？其中 %d 件档案将标记为“已销毁”，其电子附件将从磁盘删除，不能撤销。",
		r.No, len(r.Items)), func() {
		if err := t.ui.store.ApproveDestruction(context.Background(), t.ui.user, r.ID); err != nil {
			showError(t.ui.win, err)
		}
		t.reload()
	})
}

func (t *destructionTab) showReject() {
	r := t.cur
	if r == nil {
		return
	}
	note := newEntry()
	fd := newFormDialog(t.ui.win, "驳回销毁清册 "+r.No, "驳回", []*widget.FormItem{
		widget.NewFormItem("驳回理由", note),
		widget.NewFormItem("", widget.NewLabel("驳回后清册中的档案恢复为“在库”。")),
	}, func() error {
		if err := t.ui.store.RejectDestruction(context.Background(), t.ui.user, r.ID, note.Text); err != nil {
			return err
		}
		t.reload()
		return nil
	})
	fd.Show(t.ui.win)
}

// onPrint saves the register as the 销毁清册 PDF.
func (t *destructionTab) onPrint() {
	r := t.cur
	if r == nil {
		return
	}
	fonds, _ := t.ui.store.Fonds(context.Background())
	list := destructionList(r, fonds.Name)
	t.ui.savePDF("销毁清册-"+r.No+".pdf", "", func(w io.Writer, fonts *reports.Fonts) (reports.Result, error) {
		return reports.WriteDestructionList(w, fonts, list)
	})
}

// destructionList maps a register onto the report's input.
func destructionList(r *data.DestructionRegister, fondsName string) reports.DestructionList {
	l := reports.DestructionList{No: r.No, FondsName: fondsName, Status: data.DestructionStatusLabel(r.Status),
		Reason: r.Reason, Method: r.Method, Proposer: r.Proposer, ProposedOn: day(r.ProposedAt)}
	if r.Status == data.DestructionApproved {
		l.Approver, l.ApprovedOn = r.Approver, day(r.DecidedAt)
	}
	for _, it := range r.Items {
		note := ""
		if it.Attachments > 0 {
			note = fmt.Sprintf("附件 %d 个", it.Attachments)
		}
		l.Items = append(l.Items, reports.DestructionItem{Code: it.Code, Title: it.Title, Year: strconv.Itoa(it.Year),
			Retention: it.Retention, Pages: strconv.Itoa(it.Pages), Note: note})
	}
	return l
}
