package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

func TestAppraiseProposeApproveInWindow(t *testing.T) {
	u := archiveUI(t)
	ctx := context.Background()
	cat, _ := u.store.CategoryByCode(ctx, "KH-02")
	depts, _ := u.store.FindDepartments(ctx)
	var ids []int64
	for _, y := range []int{2010, 2010, 2012, 2020} {
		it, err := u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: cat.ID, Year: y, Retention: "D10",
			DeptID: depts[0].ID, Title: "旧合同", Pages: 2})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	selectTab(t, u, "档案鉴定")
	at := u.main.appraisal
	wantShown(t, u.win, "全部到期档案（3 件）", "KH-02 合同协议  2010 年度  2 件", "KH-02 合同协议  2012 年度  1 件")

	// Keep the 2012 item for 30 years.
	at.glist.Select(2)
	if at.total != 1 {
		t.Fatalf("2012 group lists %d", at.total)
	}
	at.onCellSelected(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(at.keep)
	test.Tap(at.dlg.submit)
	wantShown(t, u.win, "请填写继续保存的理由")
	typeInto(at.dlg.form.Items[1].Widget.(*entry), "合同纠纷未结")
	test.Tap(at.dlg.submit)
	if at.dlg.message.Text != "" {
		t.Fatalf("keep: %s", at.dlg.message.Text)
	}
	wantShown(t, u.win, "全部到期档案（2 件）")

	// Propose the two 2010 items.
	at.glist.Select(0)
	at.markAll()
	test.Tap(at.destroy)
	test.Tap(at.dlg.submit)
	if at.dlg.message.Text != "" {
		t.Fatalf("propose: %s", at.dlg.message.Text)
	}
	wantShown(t, u.win, "已编入销毁清册 XH2026-0001（2 件）", "全部到期档案（0 件）")

	// The admin approves it on the 销毁清册 tab.
	selectTab(t, u, "销毁清册")
	dt := u.main.destroy
	dt.list.Select(widget.TableCellID{Row: 0, Col: 0})
	wantShown(t, u.win, "XH2026-0001", "待审批", "旧合同")
	test.Tap(dt.approve)
	confirmYes(t, u)
	wantShown(t, u.win, "已批准", "本清册永久保存")
	for _, id := range ids[:2] {
		if it, _ := u.store.ItemByID(ctx, u.user, id); it.Status != data.StatusDestroyed {
			t.Fatalf("item %d status %s", id, it.Status)
		}
	}
	if !dt.approve.Disabled() || dt.print.Disabled() {
		t.Fatal("buttons after approval")
	}
	list := destructionList(dt.cur, "华东机械有限公司")
	if list.Approver != "系统管理员" || len(list.Items) != 2 || list.Status != "已批准" {
		t.Fatalf("pdf input %+v", list)
	}
}

func TestOperatorCannotApproveInWindow(t *testing.T) {
	u := archiveUI(t)
	ctx := context.Background()
	cat, _ := u.store.CategoryByCode(ctx, "KH-02")
	depts, _ := u.store.FindDepartments(ctx)
	it, err := u.store.CreateItem(ctx, u.user, data.ItemInput{CategoryID: cat.ID, Year: 2010, Retention: "D10",
		DeptID: depts[0].ID, Title: "旧合同", Pages: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := u.store.CreateUser(ctx, u.user, data.UserInput{Username: "li", DisplayName: "李明", DeptID: depts[0].ID,
		Role: data.RoleOperator, Password: "Oper12345"}); err != nil {
		t.Fatal(err)
	}
	test.Tap(u.main.logout)
	login(t, u, "li", "Oper12345")

	// The operator proposes; the register waits for an admin.
	selectTab(t, u, "档案鉴定")
	at := u.main.appraisal
	at.onCellSelected(widget.TableCellID{Row: 0, Col: 1})
	test.Tap(at.destroy)
	test.Tap(at.dlg.submit)
	if at.dlg.message.Text != "" {
		t.Fatalf("propose: %s", at.dlg.message.Text)
	}
	selectTab(t, u, "销毁清册")
	dt := u.main.destroy
	dt.list.Select(widget.TableCellID{Row: 0, Col: 0})
	wantShown(t, u.win, "只有管理员可以审批销毁清册", "待审批")
	if !dt.approve.Disabled() || !dt.reject.Disabled() || dt.print.Disabled() {
		t.Fatal("operator may approve")
	}
	if got, _ := u.store.ItemByID(ctx, u.user, it.ID); got.Status != data.StatusPendingDestroy {
		t.Fatalf("status %s", got.Status)
	}
	selectTab(t, u, "借阅管理")
	if !u.main.loans.days.Disabled() || u.main.loans.counts[3].Text != "1" {
		t.Fatal("operator loans tab")
	}
}
