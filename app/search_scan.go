package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// Barcode scans on the loans tab: a scanner types a box's spine barcode or
// a 档号 and Enter. A box stands for the items in it.

// scannedItems returns the items a scanned text names: the box's items, or
// the one item of a 档号.
func (u *UI) scannedItems(text string) (*data.SearchHit, []data.Item, error) {
	ctx := context.Background()
	h, err := u.store.ResolveScan(ctx, u.user, text)
	if err != nil {
		return nil, nil, err
	}
	if h == nil {
		return nil, nil, data.Errorf(data.ENOTFOUND, "没有找到档号或盒号“%s”", strings.TrimSpace(text))
	}
	if h.Kind == data.KindItem {
		it, err := u.store.ItemByID(ctx, u.user, h.ID)
		if err != nil {
			return nil, nil, err
		}
		return h, []data.Item{*it}, nil
	}
	items, err := u.store.FindItems(ctx, u.user, data.ItemFilter{BoxID: h.ID, Limit: 10000})
	if err != nil {
		return nil, nil, err
	}
	if len(items) == 0 {
		return nil, nil, data.Errorf(data.EINVALID, "%s 是空盒", h.Title)
	}
	return h, items, nil
}

// scanLendable returns the lendable items a scan names. A 档号 that is not
// lendable gets LendableItem's reason; for a box, the items that cannot be
// lent are left out and counted in the note.
func (u *UI) scanLendable(text string) ([]data.Item, string, error) {
	h, items, err := u.scannedItems(text)
	if err != nil || h.Kind == data.KindItem {
		code := text
		if h != nil {
			code = h.Code
		}
		it, err := u.store.LendableItem(context.Background(), u.user, code)
		if err != nil {
			return nil, "", err
		}
		return []data.Item{*it}, "", nil
	}
	var out []data.Item
	for _, it := range items {
		if got, err := u.store.LendableItem(context.Background(), u.user, it.Code); err == nil {
			out = append(out, *got)
		}
	}
	if len(out) == 0 {
		return nil, "", data.Errorf(data.EINVALID, "%s 中的档案都不能借出（已借出、待销毁或已销毁）", h.Title)
	}
	note := fmt.Sprintf("已加入 %s 的 %d 件档案", h.Title, len(out))
	if skipped := len(items) - len(out); skipped > 0 {
		note += fmt.Sprintf("（另有 %d 件不能借出）", skipped)
	}
	return out, note, nil
}

// returnScan makes the scan entry of the return dialog and its Enter
// handler (to set after the form dialog is made, which binds Enter to
// submit): the first scan unticks every item, then each scan ticks the
// items it names (a box: those of the loan in it).
func (t *loansTab) returnScan(checks map[int64]*widget.Check) (*entry, *widget.Label, func(string)) {
	e, msg := newEntry(), newMessage()
	e.SetPlaceHolder("扫描档号或盒脊条码后回车：只归还扫描到的档案")
	first := true
	return e, msg, func(text string) {
		setMsg(msg, "")
		_, items, err := t.ui.scannedItems(text)
		if err != nil {
			showErr(msg, err)
			e.SetText("")
			return
		}
		var hit []*widget.Check
		for _, it := range items {
			if c := checks[it.ID]; c != nil {
				hit = append(hit, c)
			}
		}
		if len(hit) == 0 {
			setMsg(msg, fmt.Sprintf("“%s”不在这张借阅单的未还档案中", strings.TrimSpace(text)))
			e.SetText("")
			return
		}
		if first {
			for _, c := range checks {
				c.SetChecked(false)
			}
			first = false
		}
		for _, c := range hit {
			c.SetChecked(true)
		}
		e.SetText("")
	}
}
