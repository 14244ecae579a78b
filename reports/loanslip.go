package reports

import (
	"io"
)

// LoanSlip is a 借阅单: one loan of one or more items.
type LoanSlip struct {
	No        string // 借阅单号
	FondsName string
	Borrower  string // 借阅人 (a user or an outside person)
	Unit      string // 单位
	Phone     string
	Purpose   string // 用途
	LentOn    string // 借出日期
	DueOn     string // 应还日期
	Handler   string // 经办人
	Renewals  int    // times renewed
	Items     []LoanItem
}

// LoanItem is one item lent.
type LoanItem struct {
	Code, Title, Pages, ReturnedOn, Note string
}

// WriteLoanSlip writes the slip as an A4 portrait form with signature lines.
func WriteLoanSlip(w io.Writer, fonts *Fonts, s LoanSlip) (res Result, err error) {
	defer recoverTo(&err)
	if len(s.Items) == 0 {
		return Result{}, ErrNothingToPrint
	}
	f := newForm(fonts, "档案借阅单")
	f.line(formMargin, f.y, formWidth/2, 7, s.FondsName, 10, 7, left)
	f.line(formMargin+formWidth/2, f.y, formWidth/2, 7, "单号："+s.No, 10, 7, right)
	f.y += 9
	fields := []Field{
		{Label: "借阅人", Value: s.Borrower}, {Label: "单位", Value: s.Unit},
		{Label: "电话", Value: s.Phone}, {Label: "经办人", Value: s.Handler},
		{Label: "借出日期", Value: s.LentOn}, {Label: "应还日期", Value: s.DueOn},
		{Label: "用途", Value: s.Purpose, Wide: true},
	}
	if s.Renewals > 0 {
		fields = append(fields, Field{Label: "续借", Value: itoa(s.Renewals) + " 次", Wide: true})
	}
	f.grid(fields)
	f.y += 5
	rows := make([][]string, len(s.Items))
	for i, it := range s.Items {
		rows[i] = []string{itoa(i + 1), it.Code, it.Title, it.Pages, it.ReturnedOn, it.Note}
	}
	f.table([]tcol{{"序号", 12, center}, {"档号", 48, center}, {"题名", 0, left}, {"页数", 12, center},
		{"归还日期", 22, center}, {"备注", 20, left}}, rows, 10)
	f.y += 8
	f.signatures(Field{Label: "借阅人签字"}, Field{Label: "经办人签字"}, Field{Label: "归还日期"}, Field{Label: "接收人签字"})
	f.line(formMargin, f.y+2, formWidth, 6, "借阅档案须妥善保管，不得转借、拆散、涂改、污损，按期归还。", 9, 6, left)
	f.footers()
	return f.finish(w)
}
