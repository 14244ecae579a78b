package app

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// loanItems registers n items of KH-02 in 2026 and two old D10 items.
func loanItems(t *testing.T, u *UI, n int) []*data.Item {
	t.Helper()
	ctx := context.Background()
	cat, _ := u.store.CategoryByCode(ctx, "KH-02")
	depts, _ := u.store.FindDepartments(ctx)
	var out []*data.Item
	for i := 0; i < n; i++ {
		it, err := u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: cat.ID, Year: 2026, Retention: "D30",
			DeptID: depts[0].ID, Title: "购销合同", Pages: 3})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, it)
	}
	return out
}

func pressEnter(e *entry) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

func TestLendAndReturnInWindow(t *testing.T) {
	u := archiveUI(t)
	items := loanItems(t, u, 2)
	selectTab(t, u, "借阅管理")
	lt := u.main.loans
	wantShown(t, u.win, "借出中（件）", "逾期未还（件）", "待鉴定（件）", "待审批销毁清册（份）", "默认借阅期限：14 天")

	test.Tap(lt.lend)
	d := lt.lendDlg
	if d == nil {
		t.Fatal("lend dialog not open")
	}
	if d.lentOn.Text != "2026-05-01" || d.dueOn.Text != "2026-05-15" {
		t.Fatalf("dates %s %s", d.lentOn.Text, d.dueOn.Text)
	}
	// A scanned code plus Enter adds the item; unknown and duplicate codes say so.
	typeInto(d.code, "Z109-KH·2026-D30-XS-0099")
	pressEnter(d.code)
	wantShown(t, u.win, "档号“Z109-KH·2026-D30-XS-0099”不存在")
	// The bad code is selected, so the next scan replaces it.
	for _, it := range items {
		test.Type(d.code, it.Code)
		pressEnter(d.code)
	}
	typeInto(d.code, items[0].Code)
	pressEnter(d.code)
	wantShown(t, u.win, "已在借出清单中", items[1].Code+"  购销合同")
	if len(d.items) != 2 {
		t.Fatalf("%d items in the list", len(d.items))
	}
	// Bad input keeps the dialog open and writes nothing.
	typeInto(d.name, "王审计")
	typeInto(d.purpose, "年度审计")
	typeInto(d.dueOn, "2026-04-01")
	test.Tap(d.fd.submit)
	wantShown(t, u.win, "应还日期 2026-04-01 早于借出日期 2026-05-01")
	typeInto(d.dueOn, "2026-05-10")
	typeInto(d.unit, "立信会计师事务所")
	test.Tap(d.fd.submit)
	if d.fd.message.Text != "" {
		t.Fatalf("lend: %s", d.fd.message.Text)
	}
	wantShown(t, u.win, "已借出 2 件，借阅单 JY2026-0001", "王审计", "立信会计师事务所", "借出中")
	if it, _ := u.store.ItemByID(context.Background(), u.user, items[0].ID); it.Status != data.StatusLent {
		t.Fatalf("status %s", it.Status)
	}
	if lt.counts[0].Text != "2" {
		t.Fatalf("on loan count %s", lt.counts[0].Text)
	}

	// Three days past due it is listed as overdue, highlighted.
	u.store.SetClock(func() time.Time { return time.Date(2026, 5, 13, 9, 0, 0, 0, time.Local) })
	lt.state.SetSelected("逾期未还")
	wantShown(t, u.win, "逾期 3 天")
	if lt.counts[1].Text != "2" || lt.total != 1 {
		t.Fatalf("overdue count %s, %d listed", lt.counts[1].Text, lt.total)
	}

	// Return one item, then the other.
	lt.table.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(lt.ret)
	lt.retChk[0].SetChecked(false)
	test.Tap(lt.retDlg.submit)
	if lt.retDlg.message.Text != "" {
		t.Fatalf("return: %s", lt.retDlg.message.Text)
	}
	wantShown(t, u.win, "1/2 未还")
	lt.table.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(lt.ret)
	test.Tap(lt.retDlg.submit)
	lt.state.SetSelected("已归还")
	wantShown(t, u.win, "已归还 2026-05-13")
	for _, it := range items {
		if got, _ := u.store.ItemByID(context.Background(), u.user, it.ID); got.Status != data.StatusIn {
			t.Fatalf("%s status %s after return", it.Code, got.Status)
		}
	}
	if lt.counts[0].Text != "0" {
		t.Fatalf("on loan count %s after return", lt.counts[0].Text)
	}
}
