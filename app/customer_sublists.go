package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// subList is the table of one kind of a card's records (contacts, bank
// accounts, communications) with a row of buttons above it: add, and the
// buttons that act on the selected row. Each kind gives its columns, cells
// and actions.
type subList[T any] struct {
	f        *customerForm
	items    []T
	sel      int
	table    *widget.Table
	add      *widget.Button
	rowBtns  []*widget.Button // act on the selected row
	content  fyne.CanvasObject
	dlg      *formDialog
	ready    func() bool // whether records can change now, besides the card being editable; nil: yes
	onSelect func(T)
}

func newSubList[T any](f *customerForm, cols []column, cells func(T) []string) *subList[T] {
	l := &subList[T]{f: f, sel: -1}
	l.table = newTable(cols, func() int { return len(l.items) }, func(row, col int) string {
		if row >= len(l.items) {
			return ""
		}
		return cells(l.items[row])[col]
	})
	l.table.OnSelected = func(id widget.TableCellID) {
		l.sel = id.Row
		if v, ok := l.selected(); ok && l.onSelect != nil {
			l.onSelect(*v)
		}
		l.updateButtons()
	}
	return l
}

// layout puts add, the row buttons and extra above the table, bottom below.
func (l *subList[T]) layout(bottom fyne.CanvasObject, extra ...fyne.CanvasObject) {
	top := container.NewHBox(l.add)
	for _, b := range l.rowBtns {
		top.Add(b)
	}
	for _, o := range extra {
		top.Add(o)
	}
	l.content = container.NewBorder(top, bottom, nil, nil, l.table)
	l.updateButtons()
}

// selected returns the selected record, if a row is selected.
func (l *subList[T]) selected() (*T, bool) {
	if l.sel < 0 || l.sel >= len(l.items) {
		return nil, false
	}
	return &l.items[l.sel], true
}

func (l *subList[T]) editable() bool { return !l.f.readOnly && (l.ready == nil || l.ready()) }

func (l *subList[T]) updateButtons() {
	_, ok := l.selected()
	setEnabled(l.add, l.editable())
	for _, b := range l.rowBtns {
		setEnabled(b, ok && l.editable())
	}
}

func (l *subList[T]) setReadOnly() { l.updateButtons() }

// set shows a copy of items, no row selected.
func (l *subList[T]) set(items []T) {
	l.items, l.sel = append([]T(nil), items...), -1
	l.refresh()
}

func (l *subList[T]) refresh() {
	l.table.Refresh()
	l.updateButtons()
}

func yesIf(b bool) string {
	if b {
		return "是"
	}
	return ""
}

// cardList edits records held in memory and saved with the card, in one
// transaction; at most one of them is the primary one.
type cardList[T any] struct {
	*subList[T]
	kind cardKind[T]
}

// cardKind is what a contact list and a bank-account list differ in.
type cardKind[T any] struct {
	noun     string // 联系人
	primary  string // 主要联系人
	note     string // shown below the table
	cols     []column
	cells    func(T) []string
	flag     func(*T) *bool // the record's primary flag
	name     func(T) string // names the primary record when a second is refused
	validate func(*T) error
	// fields returns the form items for v (without the primary check) and
	// a function that reads them back into a record.
	fields func(v T) ([]*widget.FormItem, func() T)
}

type (
	contactList = cardList[data.Contact]
	bankList    = cardList[data.BankAccount]
)

func newCardList[T any](f *customerForm, k cardKind[T]) *cardList[T] {
	l := &cardList[T]{subList: newSubList(f, k.cols, k.cells), kind: k}
	l.add = widget.NewButton("新增"+k.noun, func() { l.showForm(-1) })
	l.rowBtns = []*widget.Button{
		widget.NewButton("编辑", func() { l.showForm(l.sel) }),
		widget.NewButton("删除", l.onRemove),
		widget.NewButton("设为"+k.primary, l.onMakePrimary),
	}
	l.layout(widget.NewLabel(k.note))
	return l
}

var contactColumns = []column{
	{"姓名", 90}, {"职位", 100}, {"手机", 120}, {"电话", 130}, {"邮箱", 170}, {"生日", 100}, {"主要联系人", 80}, {"备注", 120},
}

func newContactList(f *customerForm) *contactList {
	return newCardList(f, cardKind[data.Contact]{
		noun: "联系人", primary: "主要联系人", note: "联系人随档案卡一起保存。一个客户只有一个主要联系人。",
		cols: contactColumns,
		cells: func(c data.Contact) []string {
			return []string{c.Name, c.Title, c.Mobile, c.Phone, c.Email, c.Birthday, yesIf(c.Primary), c.Remark}
		},
		flag:     func(c *data.Contact) *bool { return &c.Primary },
		name:     func(c data.Contact) string { return c.Name },
		validate: (*data.Contact).Validate,
		fields: func(c data.Contact) ([]*widget.FormItem, func() data.Contact) {
			name, title, mobile, phone := filledEntry(c.Name), filledEntry(c.Title), filledEntry(c.Mobile), filledEntry(c.Phone)
			email, bday, remark := filledEntry(c.Email), filledEntry(c.Birthday), filledEntry(c.Remark)
			items := []*widget.FormItem{
				widget.NewFormItem("姓名", name), widget.NewFormItem("职位", title),
				{Text: "手机", Widget: mobile, HintText: "11 位手机号"}, {Text: "电话", Widget: phone, HintText: "带区号，如 010-62345678"},
				widget.NewFormItem("邮箱", email), {Text: "生日", Widget: bday, HintText: "如 1980-05-03"},
				widget.NewFormItem("备注", remark),
			}
			return items, func() data.Contact {
				return data.Contact{ID: c.ID, Name: name.Text, Title: title.Text, Mobile: mobile.Text, Phone: phone.Text,
					Email: email.Text, Birthday: bday.Text, Remark: remark.Text}
			}
		},
	})
}

var bankColumns = []column{{"开户银行", 260}, {"户名", 240}, {"账号", 240}, {"主账户", 80}}

func newBankList(f *customerForm) *bankList {
	return newCardList(f, cardKind[data.BankAccount]{
		noun: "银行账户", primary: "主账户", note: "银行账户随档案卡一起保存。一个客户只有一个主账户。",
		cols: bankColumns,
		cells: func(b data.BankAccount) []string {
			return []string{b.Bank, b.AccountName, b.AccountNo, yesIf(b.Primary)}
		},
		flag:     func(b *data.BankAccount) *bool { return &b.Primary },
		name:     func(b data.BankAccount) string { return b.Bank + " " + b.AccountNo },
		validate: (*data.BankAccount).Validate,
		fields: func(b data.BankAccount) ([]*widget.FormItem, func() data.BankAccount) {
			bank, name, no := filledEntry(b.Bank), filledEntry(b.AccountName), filledEntry(b.AccountNo)
			items := []*widget.FormItem{
				{Text: "开户银行", Widget: bank, HintText: "如 中国工商银行青岛市南支行"}, widget.NewFormItem("户名", name),
				widget.NewFormItem("账号", no),
			}
			return items, func() data.BankAccount {
				return data.BankAccount{ID: b.ID, Bank: bank.Text, AccountName: name.Text, AccountNo: no.Text}
			}
		},
	})
}

func filledEntry(text string) *entry {
	e := newEntry()
	e.SetText(text)
	return e
}

// showForm edits record i, or adds one when i < 0 (the first one added is
// the primary one).
func (l *cardList[T]) showForm(i int) {
	var v T
	title := "新增" + l.kind.noun
	if i >= 0 {
		v, title = l.items[i], "编辑"+l.kind.noun
	} else {
		*l.kind.flag(&v) = len(l.items) == 0
	}
	items, read := l.kind.fields(v)
	primary := widget.NewCheck(l.kind.primary, nil)
	primary.SetChecked(*l.kind.flag(&v))
	items = append(items, widget.NewFormItem("", primary))
	l.dlg = newFormDialog(l.f.ui.win, title, "确定", items, func() error {
		n := read()
		*l.kind.flag(&n) = primary.Checked
		if err := l.kind.validate(&n); err != nil {
			return err
		}
		for j := range l.items {
			if o := &l.items[j]; j != i && primary.Checked && *l.kind.flag(o) {
				return data.Errorf(data.EINVALID, "已有%s“%s”：一个客户只能有一个%s。请用“设为%s”更换。",
					l.kind.primary, l.kind.name(*o), l.kind.primary, l.kind.primary)
			}
		}
		if i >= 0 {
			l.items[i] = n
		} else {
			l.items = append(l.items, n)
		}
		l.refresh()
		return nil
	})
	l.dlg.Show(l.f.ui.win)
}

func (l *cardList[T]) onRemove() {
	if _, ok := l.selected(); !ok {
		return
	}
	l.items = append(l.items[:l.sel], l.items[l.sel+1:]...)
	l.sel = -1
	l.table.UnselectAll()
	l.refresh()
}

func (l *cardList[T]) onMakePrimary() {
	if _, ok := l.selected(); !ok {
		return
	}
	for i := range l.items {
		*l.kind.flag(&l.items[i]) = i == l.sel
	}
	l.table.Refresh()
}

// commList shows a stored card's communication records, newest first, and
// adds new ones straight to the store.
type commList struct {
	*subList[data.Communication]
	detail *widget.Label
}

var commColumns = []column{
	{"日期", 100}, {"方式", 90}, {"主题", 220}, {"我方人员", 100}, {"客户方人员", 100}, {"满意度", 80}, {"下次跟进", 100}, {"记录人", 80},
}

func newCommList(f *customerForm) *commList {
	l := &commList{detail: widget.NewLabel("")}
	l.subList = newSubList(f, commColumns, func(m data.Communication) []string {
		return []string{m.Date, m.Method, m.Subject, m.OurPeople, m.TheirPeople, m.Satisfaction, m.NextFollowUp, m.CreatedBy}
	})
	l.detail.Wrapping = fyne.TextWrapWord
	l.onSelect = func(m data.Communication) { l.detail.SetText("详细纪要：" + m.Detail) }
	l.ready = func() bool { return l.f.card != nil }
	l.add = widget.NewButton("新增沟通纪要", l.showAdd)
	l.rowBtns = []*widget.Button{widget.NewButton("删除", l.onRemove)}
	note := widget.NewLabel("")
	if f.card == nil {
		note.SetText("请先保存档案卡，再记录沟通纪要。")
	}
	l.layout(l.detail, note)
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
	l.set(items)
}

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
	m, ok := l.selected()
	if !ok {
		return
	}
	id := m.ID
	confirm(l.f.ui.win, "删除沟通纪要", fmt.Sprintf("确定删除 %s 的沟通纪要“%s”吗？", m.Date, m.Subject), func() {
		if err := l.f.ui.store.DeleteCommunication(context.Background(), l.f.ui.user, id); err != nil {
			showError(l.f.ui.win, err)
			return
		}
		l.reload()
	})
}
