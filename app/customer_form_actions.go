package app

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// The card form's actions: reading the widgets back, saving, showing a
// field's error, closing, and the history tab.

// onClose asks before dropping unsaved edits.
func (f *customerForm) onClose() {
	if f.readOnly || reflect.DeepEqual(f.collect(), f.loaded) {
		f.dlg.Hide()
		return
	}
	confirm(f.ui.win, "放弃修改", "档案卡有未保存的修改，确定关闭并放弃这些修改吗？", f.dlg.Hide)
}

// collect reads the widgets into a card.
func (f *customerForm) collect() data.Customer {
	var c data.Customer
	if f.card != nil {
		c.ID = f.card.ID
	}
	c.Name, c.Mnemonic, c.CreditCode = f.name.Text, f.mnemonic.Text, f.creditCode.Text
	c.Kind = data.CustomerEnterprise
	if f.kind.Selected == kindInd {
		c.Kind = data.CustomerIndividual
	}
	c.CategoryID, c.DeptID, c.SalesmanID = f.categoryIDs[f.category.Selected], f.deptIDs[f.dept.Selected], f.salesmanIDs[f.salesman.Selected]
	for col, w := range f.fields {
		p := c.Field(col)
		if p == nil {
			continue
		}
		switch w := w.(type) {
		case *entry:
			*p = w.Text
		case *widget.Select:
			if w.Selected != notSet {
				*p = w.Selected
			}
		}
	}
	c.Contacts = append([]data.Contact(nil), f.contacts.items...)
	c.BankAccounts = append([]data.BankAccount(nil), f.banks.items...)
	return c
}

func (f *customerForm) onSave() {
	f.message.SetText("")
	for _, w := range f.fields {
		if e, ok := w.(*entry); ok {
			e.SetValidationError(nil)
		}
	}
	c := f.collect()
	var saved *data.Customer
	var err error
	if f.card == nil {
		saved, err = f.ui.store.CreateCustomer(context.Background(), f.ui.user, c)
	} else {
		saved, err = f.ui.store.UpdateCustomer(context.Background(), f.ui.user, c)
	}
	if err != nil {
		f.showFieldErr(err)
		return
	}
	f.dlg.Hide()
	if f.onSaved != nil {
		f.onSaved(saved)
	}
}

// showFieldErr shows the message under the form and beside the field it
// is about, on that field's tab.
func (f *customerForm) showFieldErr(err error) {
	showErr(f.message, err)
	col := data.ErrorField(err)
	if tab, ok := f.fieldTab[col]; ok {
		f.tabs.Select(tab)
	}
	if e, ok := f.fields[col].(*entry); ok {
		e.SetValidationError(errors.New(data.ErrorMessage(err)))
		f.ui.win.Canvas().Focus(e)
	}
}

// historyView shows the rename and status history of a stored card.
func (f *customerForm) historyView() fyne.CanvasObject {
	renames, changes, err := f.ui.store.CustomerHistory(context.Background(), f.ui.user, f.card.ID)
	if err != nil {
		return widget.NewLabel(data.ErrorMessage(err))
	}
	var b strings.Builder
	b.WriteString("更名记录：\n")
	if len(renames) == 0 {
		b.WriteString("    （没有更名）\n")
	}
	for _, r := range renames {
		fmt.Fprintf(&b, "    %s  %s → %s（%s）\n", formatTime(r.At), r.OldName, r.NewName, r.UserName)
	}
	b.WriteString("\n冻结、解冻与注销：\n")
	if len(changes) == 0 {
		b.WriteString("    （没有记录）\n")
	}
	for _, c := range changes {
		fmt.Fprintf(&b, "    %s  %s → %s  原因：%s（%s）\n", formatTime(c.At), data.CustomerStatusLabel(c.OldStatus),
			data.CustomerStatusLabel(c.NewStatus), c.Reason, c.UserName)
	}
	l := widget.NewLabel(b.String())
	l.Wrapping = fyne.TextWrapWord
	return container.NewVScroll(l)
}
