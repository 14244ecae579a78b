package reports

import (
	"io"
)

// CustomerCard is one 客户档案卡 to print. Sections hold the card's field
// groups in order (基本, 企业 or 个人, 资信, 银行账户 …) as label/value pairs,
// so the caller decides which fields a customer type shows; Contacts and
// Notes (recent communication, newest first) are tables.
type CustomerCard struct {
	Code, Name string
	Status     string // 正常/冻结/注销; printed beside the name unless 正常
	Sections   []CardSection
	Contacts   []CardContact
	Notes      []CardNote
	PrintedBy  string
	PrintedOn  string // date text, e.g. 2026-05-01
}

// CardSection is a titled group of fields.
type CardSection struct {
	Title  string
	Fields []Field
}

// CardContact is one 联系人.
type CardContact struct {
	Name, Position, Mobile, Phone, Email, Birthday, Note string
	Primary                                              bool
}

// CardNote is one 沟通纪要.
type CardNote struct {
	Date, Way, OurStaff, TheirStaff, Subject, Detail, NextDate string
}

// WriteCustomerCard writes the card as an A4 portrait form.
func WriteCustomerCard(w io.Writer, fonts *Fonts, c CustomerCard) (res Result, err error) {
	defer recoverTo(&err)
	f := newForm(fonts, "客户档案卡")
	head := "客户编码：" + c.Code + "    客户名称：" + c.Name
	if c.Status != "" && c.Status != "正常" {
		head += "    （" + c.Status + "）"
	}
	f.line(formMargin, f.y, formWidth, 7, head, 11, 7, left)
	f.y += 9
	for _, s := range c.Sections {
		f.heading(s.Title)
		f.grid(s.Fields)
		f.y += 2
	}
	if len(c.Contacts) > 0 {
		f.heading("联系人")
		rows := make([][]string, len(c.Contacts))
		for i, p := range c.Contacts {
			name := p.Name
			if p.Primary {
				name += "（主）"
			}
			rows[i] = []string{name, p.Position, p.Mobile, p.Phone, p.Email, p.Birthday, p.Note}
		}
		f.table([]tcol{{"姓名", 24, center}, {"职位", 22, center}, {"手机", 26, center}, {"电话", 28, center},
			{"邮箱", 0, left}, {"生日", 20, center}, {"备注", 22, left}}, rows, 8)
		f.y += 3
	}
	if len(c.Notes) > 0 {
		f.heading("沟通纪要")
		rows := make([][]string, len(c.Notes))
		for i, n := range c.Notes {
			people := n.OurStaff
			if n.TheirStaff != "" {
				people += " / " + n.TheirStaff
			}
			rows[i] = []string{n.Date, n.Way, people, n.Subject, n.Detail, n.NextDate}
		}
		f.table([]tcol{{"日期", 20, center}, {"方式", 14, center}, {"人员（我方/客户方）", 28, center},
			{"主题", 30, left}, {"纪要", 0, left}, {"下次跟进", 20, center}}, rows, 12)
	}
	if c.PrintedOn != "" || c.PrintedBy != "" {
		f.need(10)
		f.line(formMargin, f.y+2, formWidth, 7, "打印人："+c.PrintedBy+"    打印日期："+c.PrintedOn, 9, 6, right)
	}
	f.footers()
	return f.finish(w)
}
