package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// lendDialog is the 借出 form: the borrower, dates, and the items, added by
// typing or scanning a 档号 and pressing Enter, or picked from the register.
type lendDialog struct {
	t        *loansTab
	fd       *formDialog
	borrower *widget.Select
	userIDs  map[string]int64
	name     *entry
	unit     *entry
	phone    *entry
	purpose  *entry
	lentOn   *entry
	dueOn    *entry
	code     *entry
	codeMsg  *widget.Label
	list     *widget.List
	empty    *widget.Label
	items    []data.Item
}

func (t *loansTab) showLend() {
	d := &lendDialog{t: t, name: newEntry(), unit: newEntry(), phone: newEntry(), purpose: newEntry(),
		lentOn: newEntry(), dueOn: newEntry(), code: newEntry(), codeMsg: newMessage()}
	ctx := context.Background()
	days := t.ui.store.LoanDays(ctx)
	var opts []string
	opts, d.userIDs = t.userChoices()
	d.borrower = widget.NewSelect(opts, func(s string) {
		for _, e := range []*entry{d.name, d.unit, d.phone} {
			setEnabled(e, s == outsider)
		}
	})
	d.borrower.SetSelected(outsider)
	today := t.ui.store.Today()
	d.lentOn.SetText(today)
	d.dueOn.SetText(addDays(today, days))
	d.lentOn.OnChanged = func(s string) {
		if _, err := data.ParseDate("借出日期", s); err == nil {
			d.dueOn.SetText(addDays(s, days))
		}
	}
	d.code.SetPlaceHolder("输入或扫描档号、盒脊条码后按回车")
	d.list = widget.NewList(func() int { return len(d.items) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, nil, widget.NewButton("移除", nil), widget.NewLabel(""))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			it := d.items[id]
			c.Objects[0].(*widget.Label).SetText(it.Code + "  " + it.Title)
			c.Objects[1].(*widget.Button).OnTapped = func() { d.remove(id) }
		})
	d.empty = widget.NewLabel("尚未添加档案")
	d.empty.Importance = widget.LowImportance
	box := canvas.NewRectangle(nil)
	box.SetMinSize(fyne.NewSize(560, 150))
	pick := widget.NewButton("从档案中选择…", d.showPick)
	d.fd = newFormDialog(t.ui.win, "借出档案", "借出", []*widget.FormItem{
		widget.NewFormItem("借阅人", d.borrower),
		widget.NewFormItem("姓名", d.name),
		widget.NewFormItem("单位", d.unit),
		widget.NewFormItem("电话", d.phone),
		widget.NewFormItem("用途", d.purpose),
		widget.NewFormItem("借出日期", d.lentOn),
		{Text: "应还日期", Widget: d.dueOn, HintText: fmt.Sprintf("默认借出后 %d 天", days)},
		widget.NewFormItem("档号", container.NewBorder(nil, d.codeMsg, nil, pick, d.code)),
		widget.NewFormItem("借出档案", container.NewStack(box, d.empty, d.list)),
	}, d.submit)
	// Enter in the 档号 field adds the item instead of submitting.
	d.code.OnSubmitted = func(string) { d.addCode() }
	t.lendDlg = d
	d.fd.Show(t.ui.win)
	t.ui.win.Canvas().Focus(d.code)
}

// addCode adds the item whose 档号 is in the code field, or the lendable
// items of the box whose barcode it is.
func (d *lendDialog) addCode() {
	setMsg(d.codeMsg, "")
	d.codeMsg.Importance = widget.DangerImportance
	items, note, err := d.t.ui.scanLendable(d.code.Text)
	if err != nil {
		showErr(d.codeMsg, err)
		// The next scan replaces the bad code instead of adding to it.
		d.code.TypedShortcut(&fyne.ShortcutSelectAll{})
		return
	}
	for _, it := range items {
		d.add(it)
	}
	if note != "" {
		d.codeMsg.Importance = widget.MediumImportance
		setMsg(d.codeMsg, note)
	}
	d.code.SetText("")
}

func (d *lendDialog) add(it data.Item) {
	for _, x := range d.items {
		if x.ID == it.ID {
			setMsg(d.codeMsg, "档案 "+it.Code+" 已在借出清单中")
			return
		}
	}
	d.items = append(d.items, it)
	d.empty.Hide()
	d.list.Refresh()
}

func (d *lendDialog) remove(i int) {
	if i < len(d.items) {
		d.items = append(d.items[:i], d.items[i+1:]...)
		if len(d.items) == 0 {
			d.empty.Show()
		}
		d.list.Refresh()
	}
}

func (d *lendDialog) submit() error {
	in := data.LoanInput{BorrowerUserID: d.userIDs[d.borrower.Selected], Borrower: d.name.Text, Unit: d.unit.Text,
		Phone: d.phone.Text, Purpose: d.purpose.Text, LentOn: d.lentOn.Text, DueOn: d.dueOn.Text}
	for _, it := range d.items {
		in.ItemIDs = append(in.ItemIDs, it.ID)
	}
	l, err := d.t.ui.store.Lend(context.Background(), d.t.ui.user, in)
	if err != nil {
		return err
	}
	d.t.lendDlg = nil
	d.t.reload()
	d.t.summary.SetText(fmt.Sprintf("已借出 %d 件，借阅单 %s，应还日期 %s。", l.ItemCount, l.No, l.DueOn))
	return nil
}

// showPick lists items in the register (在库) matching a text, to add by a
// tap.
func (d *lendDialog) showPick() {
	q := newEntry()
	q.SetPlaceHolder("题名、档号、文号或责任者")
	var found []data.Item
	msg := newMessage()
	added := widget.NewLabel("点一下即加入借出清单（只列在库档案）")
	list := widget.NewList(func() int { return len(found) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(found[id].Code + "  " + found[id].Title)
		})
	search := func() {
		var err error
		found, err = d.t.ui.store.FindItems(context.Background(), d.t.ui.user,
			data.ItemFilter{Text: q.Text, Status: data.StatusIn, Limit: 100})
		if err != nil {
			showErr(msg, err)
		}
		list.UnselectAll()
		list.Refresh()
	}
	q.OnSubmitted = func(string) { search() }
	list.OnSelected = func(id widget.ListItemID) {
		defer list.UnselectAll()
		if id >= len(found) {
			return
		}
		it, err := d.t.ui.store.LendableItem(context.Background(), d.t.ui.user, found[id].Code)
		if err != nil {
			showErr(msg, err)
			return
		}
		d.add(*it)
		setMsg(msg, "")
		added.SetText(fmt.Sprintf("已加入 %s，借出清单共 %d 件", it.Code, len(d.items)))
	}
	size := canvas.NewRectangle(nil)
	size.SetMinSize(fyne.NewSize(600, 360))
	top := container.NewVBox(container.NewBorder(nil, nil, nil, widget.NewButton("查找", search), q),
		added, msg)
	dlg := dialog.NewCustom("从档案中选择", "完成", container.NewStack(size, container.NewBorder(top, nil, nil, nil, list)), d.t.ui.win)
	dlg.Show()
	search()
}
