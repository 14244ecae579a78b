package reports

import (
	"io"
)

// DestructionList is a 销毁清册: the items destroyed in one approval, kept
// permanently.
type DestructionList struct {
	No         string // 清册编号
	FondsName  string
	Status     string // 草稿/待审批/已批准/已驳回; printed when not 已批准
	Reason     string // 销毁原因 (鉴定意见)
	Method     string // 销毁方式
	Proposer   string
	ProposedOn string
	Approver   string
	ApprovedOn string
	Items      []DestructionItem
}

// DestructionItem is one item on the list.
type DestructionItem struct {
	Code, Title, Year, Retention, Pages, Note string
}

// WriteDestructionList writes the register as A4 portrait pages: a header
// with reason, method and who proposed and approved, the item table, and
// lines for the supervisors' signatures.
func WriteDestructionList(w io.Writer, fonts *Fonts, l DestructionList) (res Result, err error) {
	defer recoverTo(&err)
	if len(l.Items) == 0 {
		return Result{}, ErrNothingToPrint
	}
	f := newForm(fonts, "档案销毁清册")
	f.line(formMargin, f.y, formWidth/2, 7, "全宗名称："+l.FondsName, 10, 7, left)
	no := "清册编号：" + l.No
	if l.Status != "" && l.Status != "已批准" {
		no += "（" + l.Status + "）"
	}
	f.line(formMargin+formWidth/2, f.y, formWidth/2, 7, no, 10, 7, right)
	f.y += 9
	f.grid([]Field{
		{Label: "提出人", Value: l.Proposer}, {Label: "提出日期", Value: l.ProposedOn},
		{Label: "批准人", Value: l.Approver}, {Label: "批准日期", Value: l.ApprovedOn},
		{Label: "销毁方式", Value: l.Method}, {Label: "件数", Value: itoa(len(l.Items)) + " 件"},
		{Label: "销毁原因", Value: l.Reason, Wide: true},
	})
	f.y += 5
	rows := make([][]string, len(l.Items))
	for i, it := range l.Items {
		rows[i] = []string{itoa(i + 1), it.Code, it.Title, it.Year, RetentionLabel(it.Retention), it.Pages, it.Note}
	}
	f.table([]tcol{{"序号", 11, center}, {"档号", 46, center}, {"题名", 0, left}, {"年度", 13, center},
		{"保管期限", 18, center}, {"页数", 11, center}, {"备注", 18, left}}, rows, 9)
	f.y += 8
	f.signatures(Field{Label: "监销人"}, Field{Label: "监销人"}, Field{Label: "销毁日期"}, Field{Label: "销毁地点"})
	f.footers()
	return f.finish(w)
}
