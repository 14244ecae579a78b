package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// contactList edits a card's contacts in memory; they are saved with the
// card, in one transaction.
type contactList struct {
	f                         *customerForm
	items                     []data.Contact
	sel                       int
	table                     *widget.Table
	add, edit, remove, makePr *widget.Button
	content                   fyne.CanvasObject
	dlg                       *formDialog
}

var contactColumns = []column{
	{"姓名", 90}, {"职位", 100}, {"手机", 120}, {"电话", 130}, {"邮箱", 170}, {"生日", 100}, {"主要联系人", 80}, {"备注", 120},
}

func newContactList(f *customerForm) *contactList {
	l := &contactList{f: f, sel: -1}
	l.table = newTable(contactColumns, func() int { return len(l.items) }, l.cell)
	l.table.OnSelected = func(id widget.TableCellID) { l.sel = id.Row; l.updateButtons() }
	l.add = widget.NewButton("新增联系人", func() { l.showForm(-1) })
	l.edit = widget.NewButton("编辑", func() { l.showForm(l.sel) })
	l.remove = widget.NewButton("删除", l.onRemove)
	l.makePr = widget.NewButton("设为主要联系人", l.onMakePrimary)
	note := widget.NewLabel("联系人随档案卡一起保存。一个客户只有一个主要联系人。")
	l.content = container.NewBorder(container.NewHBox(l.add, l.edit, l.remove, l.makePr), note, nil, nil, l.table)
	l.updateButtons()
	return l
}

func (l *contactList) cell(row, col int) string {
	if row >= len(l.items) {
		return ""
	}
	c := l.items[row]
	switch col {
	case 0:
		return c.Name
	case 1:
		return c.Title
	case 2:
		return c.Mobile
	case 3:
		return c.Phone
	case 4:
		return c.Email
	case 5:
		return c.Birthday
	case 6:
		if c.Primary {
			return "是"
		}
	case 7:
		return c.Remark
	}
	return ""
}

func (l *contactList) set(items []data.Contact) {
	l.items = append([]data.Contact(nil), items...)
	l.sel = -1
	l.table.Refresh()
	l.updateButtons()
}

func (l *contactList) updateButtons() {
	ok := l.sel >= 0 && l.sel < len(l.items) && !l.f.readOnly
	for _, b := range []*widget.Button{l.edit, l.remove, l.makePr} {
		setEnabled(b, ok)
	}
	setEnabled(l.add, !l.f.readOnly)
}

func (l *contactList) setReadOnly() { l.updateButtons() }

func (l *contactList) primaryIndex() int {
	for i, c := range l.items {
		if c.Primary {
			return i
		}
	}
	return -1
}

// showForm edits contact i, or adds one when i < 0.
func (l *contactList) showForm(i int) {
	var c data.Contact
	if i >= 0 {
		c = l.items[i]
	} else {
		c.Primary = len(l.items) == 0
	}
	name, title, mobile, phone, email, bday, remark := newEntry(), newEntry(), newEntry(), newEntry(), newEntry(), newEntry(), newEntry()
	for e, v := range map[*entry]string{name: c.Name, title: c.Title, mobile: c.Mobile, phone: c.Phone, email: c.Email,
		bday: c.Birthday, remark: c.Remark} {
		e.SetText(v)
	}
	primary := widget.NewCheck("主要联系人", nil)
	primary.SetChecked(c.Primary)
	items := []*widget.FormItem{
		widget.NewFormItem("姓名", name), widget.NewFormItem("职位", title),
		{Text: "手机", Widget: mobile, HintText: "11 位手机号"}, {Text: "电话", Widget: phone, HintText: "带区号，如 010-62345678"},
		widget.NewFormItem("邮箱", email), {Text: "生日", Widget: bday, HintText: "如 1980-05-03"},
		widget.NewFormItem("备注", remark), widget.NewFormItem("", primary),
	}
	title2 := "新增联系人"
	if i >= 0 {
		title2 = "编辑联系人"
	}
	l.dlg = newFormDialog(l.f.ui.win, title2, "确定", items, func() error {
		n := data.Contact{ID: c.ID, Name: name.Text, Title: title.Text, Mobile: mobile.Text, Phone: phone.Text,
			Email: email.Text, Birthday: bday.Text, Remark: remark.Text, Primary: primary.Checked}
		if err := n.Validate(); err != nil {
			return err
		}
		if p := l.primaryIndex(); n.Primary && p >= 0 && p != i {
			return data.Errorf(data.EINVALID, "已有主要联系人“%s”：一个客户只能有一个主要联系人。请先选中“%s”取消，或用“设为主要联系人”更换。",
				l.items[p].Name, l.items[p].Name)
		}
		if i >= 0 {
			l.items[i] = n
		} else {
			l.items = append(l.items, n)
		}
		l.table.Refresh()
		l.updateButtons()
		return nil
	})
	l.dlg.Show(l.f.ui.win)
}

func (l *contactList) onRemove() {
	if l.sel < 0 || l.sel >= len(l.items) {
		return
	}
	l.items = append(l.items[:l.sel], l.items[l.sel+1:]...)
	l.sel = -1
	l.table.UnselectAll()
	l.table.Refresh()
	l.updateButtons()
}

func (l *contactList) onMakePrimary() {
	if l.sel < 0 || l.sel >= len(l.items) {
		return
	}
	for i := range l.items {
		l.items[i].Primary = i == l.sel
	}
	l.table.Refresh()
}

// bankList edits a card's bank accounts in memory, saved with the card.
type bankList struct {
	f                         *customerForm
	items                     []data.BankAccount
	sel                       int
	table                     *widget.Table
	add, edit, remove, makePr *widget.Button
	content                   fyne.CanvasObject
	dlg                       *formDialog
}

var bankColumns = []column{{"开户银行", 260}, {"户名", 240}, {"账号", 240}, {"主账户", 80}}

func newBankList(f *customerForm) *bankList {
	l := &bankList{f: f, sel: -1}
	l.table = newTable(bankColumns, func() int { return len(l.items) }, func(row, col int) string {
		if row >= len(l.items) {
			return ""
		}
		b := l.items[row]
		switch col {
		case 0:
			return b.Bank
		case 1:
			return b.AccountName
		case 2:
			return b.AccountNo
		case 3:
			if b.Primary {
				return "是"
			}
		}
		return ""
	})
	l.table.OnSelected = func(id widget.TableCellID) { l.sel = id.Row; l.updateButtons() }
	l.add = widget.NewButton("新增账户", func() { l.showForm(-1) })
	l.edit = widget.NewButton("编辑", func() { l.showForm(l.sel) })
	l.remove = widget.NewButton("删除", func() {
		if l.sel >= 0 && l.sel < len(l.items) {
			l.items = append(l.items[:l.sel], l.items[l.sel+1:]...)
			l.sel = -1
			l.table.UnselectAll()
			l.table.Refresh()
			l.updateButtons()
		}
	})
	l.makePr = widget.NewButton("设为主账户", func() {
		for i := range l.items {
			l.items[i].Primary = i == l.sel
		}
		l.table.Refresh()
	})
	note := widget.NewLabel("银行账户随档案卡一起保存。一个客户只有一个主账户。")
	l.content = container.NewBorder(container.NewHBox(l.add, l.edit, l.remove, l.makePr), note, nil, nil, l.table)
	l.updateButtons()
	return l
}

func (l *bankList) set(items []data.BankAccount) {
	l.items = append([]data.BankAccount(nil), items...)
	l.table.Refresh()
	l.updateButtons()
}

func (l *bankList) updateButtons() {
	ok := l.sel >= 0 && l.sel < len(l.items) && !l.f.readOnly
	for _, b := range []*widget.Button{l.edit, l.remove, l.makePr} {
		setEnabled(b, ok)
	}
	setEnabled(l.add, !l.f.readOnly)
}

func (l *bankList) setReadOnly() { l.updateButtons() }

func (l *bankList) showForm(i int) {
	var b data.BankAccount
	if i >= 0 {
		b = l.items[i]
	} else {
		b.Primary = len(l.items) == 0
	}
	bank, name, no := newEntry(), newEntry(), newEntry()
	bank.SetText(b.Bank)
	name.SetText(b.AccountName)
	no.SetText(b.AccountNo)
	primary := widget.NewCheck("主账户", nil)
	primary.SetChecked(b.Primary)
	items := []*widget.FormItem{
		{Text: "开户银行", Widget: bank, HintText: "如 中国工商银行青岛市南支行"}, widget.NewFormItem("户名", name),
		widget.NewFormItem("账号", no), widget.NewFormItem("", primary),
	}
	l.dlg = newFormDialog(l.f.ui.win, "银行账户", "确定", items, func() error {
		n := data.BankAccount{ID: b.ID, Bank: bank.Text, AccountName: name.Text, AccountNo: no.Text, Primary: primary.Checked}
		if err := n.Validate(); err != nil {
			return err
		}
		for j, o := range l.items {
			if j != i && o.Primary && n.Primary {
				return data.Errorf(data.EINVALID, "已有主账户“%s %s”：一个客户只能有一个主账户。请用“设为主账户”更换。", o.Bank, o.AccountNo)
			}
		}
		if i >= 0 {
			l.items[i] = n
		} else {
			l.items = append(l.items, n)
		}
		l.table.Refresh()
		l.updateButtons()
		return nil
	})
	l.dlg.Show(l.f.ui.win)
}

// commList shows a stored card's communication records, newest first, and
// adds new ones straight to the store.
type commList struct {
	f       *customerForm
	items   []data.Communication
	sel     int
	table   *widget.Table
	detail  *widget.Label
	add     *widget.Button
	remove  *widget.Button
	content fyne.CanvasObject
	dlg     *formDialog
}

var commColumns = []column{
	{"日期", 100}, {"方式", 90}, {"主题", 220}, {"我方人员", 100}, {"客户方人员", 100}, {"满意度", 80}, {"下次跟进", 100}, {"记录人", 80},
}

func newCommList(f *customerForm) *commList {
	l := &commList{f: f, sel: -1, detail: widget.NewLabel("")}
	l.detail.Wrapping = fyne.TextWrapWord
	l.table = newTable(commColumns, func() int { return len(l.items) }, func(row, col int) string {
		if row >= len(l.items) {
			return ""
		}
		m := l.items[row]
		return [...]string{m.Date, m.Method, m.Subject, m.OurPeople, m.TheirPeople, m.Satisfaction, m.NextFollowUp, m.CreatedBy}[col]
	})
	l.table.OnSelected = func(id widget.TableCellID) {
		l.sel = id.Row
		if l.sel < len(l.items) {
			l.detail.SetText("详细纪要：" + l.items[l.sel].Detail)
		}
		l.updateButtons()
	}
	l.add = widget.NewButton("新增沟通纪要", l.showAdd)
	l.remove = widget.NewButton("删除", l.onRemove)
	note := widget.NewLabel("")
	if f.card == nil {
		note.SetText("请先保存档案卡，再记录沟通纪要。")
	}
	l.content = container.NewBorder(container.NewHBox(l.add, l.remove, note), l.detail, nil, nil, l.table)
	l.updateButtons()
	return l
}

func (l *commList) reload() {
	if l.f.card == nil {
		return
	}
	items, err := l.f.ui.store.FindCommunications(context.Background(), l.f.ui.user, l.f.card.ID)
	if err != nil {
		showError(l.f.ui.win, err)
		return
	}
	l.items, l.sel = items, -1
	l.table.Refresh()
	l.updateButtons()
}

func (l *commList) updateButtons() {
	editable := l.f.card != nil && !l.f.readOnly
	setEnabled(l.add, editable)
	setEnabled(l.remove, editable && l.sel >= 0 && l.sel < len(l.items))
}

func (l *commList) setReadOnly() { l.updateButtons() }

func (l *commList) showAdd() {
	ctx := context.Background()
	methods, _ := l.f.ui.store.DictNames(ctx, data.DictCommMethod)
	sats, _ := l.f.ui.store.DictNames(ctx, data.DictSatisfaction)
	date, ours, theirs, subject, next := newEntry(), newEntry(), newEntry(), newEntry(), newEntry()
	detail := newEntry()
	detail.MultiLine, detail.Wrapping = true, fyne.TextWrapWord
	detail.SetMinRowsVisible(4)
	date.SetText(l.f.ui.store.Now().Local().Format("2006-01-02"))
	ours.SetText(l.f.ui.user.DisplayName)
	method := widget.NewSelect(append([]string{notSet}, methods...), nil)
	method.SetSelected(notSet)
	sat := widget.NewSelect(append([]string{notSet}, sats...), nil)
	sat.SetSelected(notSet)
	items := []*widget.FormItem{
		widget.NewFormItem("日期", date), widget.NewFormItem("沟通方式", method),
		widget.NewFormItem("我方人员", ours), widget.NewFormItem("客户方人员", theirs),
		widget.NewFormItem("主题", subject), widget.NewFormItem("详细纪要", detail),
		widget.NewFormItem("满意度", sat), {Text: "下次跟进日期", Widget: next, HintText: "到期时出现在“客户提醒”中"},
	}
	l.dlg = newFormDialog(l.f.ui.win, "新增沟通纪要", "保存", items, func() error {
		m := data.Communication{CustomerID: l.f.card.ID, Date: date.Text, OurPeople: ours.Text, TheirPeople: theirs.Text,
			Subject: subject.Text, Detail: detail.Text, NextFollowUp: next.Text}
		if method.Selected != notSet {
			m.Method = method.Selected
		}
		if sat.Selected != notSet {
			m.Satisfaction = sat.Selected
		}
		if _, err := l.f.ui.store.AddCommunication(context.Background(), l.f.ui.user, m); err != nil {
			return err
		}
		l.reload()
		return nil
	})
	l.dlg.Show(l.f.ui.win)
}

func (l *commList) onRemove() {
	if l.sel < 0 || l.sel >= len(l.items) {
		return
	}
	m := l.items[l.sel]
	confirm(l.f.ui.win, "删除沟通纪要", fmt.Sprintf("确定删除 %s 的沟通纪要“%s”吗？", m.Date, m.Subject), func() {
		if err := l.f.ui.store.DeleteCommunication(context.Background(), l.f.ui.user, m.ID); err != nil {
			showError(l.f.ui.win, err)
			return
		}
		l.reload()
	})
}
