package data_test

import (
	"testing"
	"time"

	"dangan/data"
)

func setDay(s *data.Store, y int, m time.Month, d int) {
	s.SetClock(func() time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.Local) })
}

func mustLend(tb testing.TB, f *archiveFixture, actor *data.User, in data.LoanInput) *data.Loan {
	tb.Helper()
	l, err := f.s.Lend(ctx, actor, in)
	if err != nil {
		tb.Fatalf("lend: %v", err)
	}
	return l
}

func itemStatus(tb testing.TB, f *archiveFixture, id int64) string {
	tb.Helper()
	it, err := f.s.ItemByID(ctx, f.admin, id)
	if err != nil {
		tb.Fatal(err)
	}
	return it.Status
}

func TestLoanStateMachine(t *testing.T) {
	f := mustArchive(t)
	setDay(f.s, 2026, 5, 1)
	a := f.mustItem(t, f.input("购销合同"))
	b := f.mustItem(t, f.input("补充协议"))
	c := f.mustItem(t, f.input("对账单"))

	// The operator lends two items to an outside person; due defaults to +14 days.
	l := mustLend(t, f, f.op, data.LoanInput{Borrower: "王审计", Unit: "立信会计师事务所", Phone: "13800001111",
		Purpose: "年度审计", ItemIDs: []int64{a.ID, b.ID}})
	if l.No != "JY2026-0001" || l.LentOn != "2026-05-01" || l.DueOn != "2026-05-15" || l.OutCount != 2 || l.Handler != "li" {
		t.Fatalf("loan %+v", l)
	}
	if itemStatus(t, f, a.ID) != data.StatusLent || itemStatus(t, f, c.ID) != data.StatusIn {
		t.Fatal("statuses after lend")
	}

	// Lending an item already out is refused, and nothing of that loan is written.
	n := auditCount(t, f.s)
	_, err := f.s.Lend(ctx, f.admin, data.LoanInput{Borrower: "张三", Purpose: "查阅", ItemIDs: []int64{c.ID, a.ID}})
	wantErr(t, err, data.EINVALID, "已借出（借阅单 JY2026-0001，借阅人 王审计，应还 2026-05-15）")
	if itemStatus(t, f, c.ID) != data.StatusIn || auditCount(t, f.s) != n {
		t.Fatal("refused loan half-written")
	}
	_, err = f.s.LendableItem(ctx, f.admin, a.Code)
	wantErr(t, err, data.EINVALID, "已借出")

	// Bad input.
	_, err = f.s.Lend(ctx, f.admin, data.LoanInput{Borrower: "张三", Purpose: "查阅", LentOn: "2026-04-30",
		DueOn: "2026-04-20", ItemIDs: []int64{c.ID}})
	wantErr(t, err, data.EINVALID, "应还日期 2026-04-20 早于借出日期 2026-04-30")
	_, err = f.s.Lend(ctx, f.admin, data.LoanInput{Purpose: "查阅", ItemIDs: []int64{c.ID}})
	wantErr(t, err, data.EINVALID, "请填写借阅人姓名")
	_, err = f.s.Lend(ctx, f.admin, data.LoanInput{Borrower: "张三", Purpose: "查阅"})
	wantErr(t, err, data.EINVALID, "请至少添加一件")
	// A barcode scan carries "." for the middle dot, some scanners nothing.
	for _, scanned := range []string{"Z109-KH.2026-D30-XS-0003", "Z109-KH2026-D30-XS-0003"} {
		if it, err := f.s.LendableItem(ctx, f.admin, scanned); err != nil || it.ID != c.ID {
			t.Fatalf("%s: %v", scanned, err)
		}
	}
	_, err = f.s.LendableItem(ctx, f.admin, "Z109-KH·2026-D30-XS-0099")
	wantErr(t, err, data.EINVALID, "档号“Z109-KH·2026-D30-XS-0099”不存在")

	// Partial return: one back, the loan stays open.
	if err := f.s.ReturnLoan(ctx, f.op, l.ID, []int64{a.ID}); err != nil {
		t.Fatal(err)
	}
	l, _ = f.s.LoanByID(ctx, f.admin, l.ID)
	if l.OutCount != 1 || !l.Open() || itemStatus(t, f, a.ID) != data.StatusIn || itemStatus(t, f, b.ID) != data.StatusLent {
		t.Fatalf("after partial return %+v", l)
	}
	wantErr(t, f.s.ReturnLoan(ctx, f.op, l.ID, []int64{a.ID}), data.ECONFLICT, "已于 2026-05-01 归还")

	// Once returned, the item can be lent again.
	l2 := mustLend(t, f, f.admin, data.LoanInput{Borrower: "张三", Purpose: "查阅", ItemIDs: []int64{a.ID}, DueOn: "2026-05-03"})
	if l2.No != "JY2026-0002" {
		t.Fatalf("second loan %s", l2.No)
	}

	// Renew: later date counted; an earlier one refused.
	wantErr(t, f.s.RenewLoan(ctx, f.op, l.ID, "2026-05-10"), data.EINVALID, "应晚于原应还日期 2026-05-15")
	if err := f.s.RenewLoan(ctx, f.op, l.ID, "2026-05-29"); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RenewLoan(ctx, f.op, l.ID, "2026年6月5日"); err != nil {
		t.Fatal(err)
	}
	l, _ = f.s.LoanByID(ctx, f.admin, l.ID)
	if l.Renewals != 2 || l.DueOn != "2026-06-05" {
		t.Fatalf("after renewals %+v", l)
	}

	// Return all the rest closes the loan.
	if err := f.s.ReturnLoan(ctx, f.admin, l.ID, nil); err != nil {
		t.Fatal(err)
	}
	l, _ = f.s.LoanByID(ctx, f.admin, l.ID)
	if l.Open() || l.ReturnedOn != "2026-05-01" || itemStatus(t, f, b.ID) != data.StatusIn {
		t.Fatalf("after full return %+v", l)
	}
	wantErr(t, f.s.ReturnLoan(ctx, f.admin, l.ID, nil), data.ECONFLICT, "全部归还")
	wantErr(t, f.s.RenewLoan(ctx, f.admin, l.ID, "2026-07-01"), data.ECONFLICT, "不能续借")

	past, n2, err := f.s.FindLoans(ctx, f.admin, data.LoanFilter{State: data.LoansPast})
	if err != nil || n2 != 1 || past[0].No != "JY2026-0001" {
		t.Fatalf("past loans %v %d %v", past, n2, err)
	}
}

func TestLendRefusesFrozenCustomerAndDestroyed(t *testing.T) {
	f := mustArchive(t)
	cid := rawCustomer(t, f.s, "C0001", "东方机电", f.sales.ID, data.CustomerNormal)
	in := f.input("客户合同")
	in.CustomerID = cid
	it := f.mustItem(t, in)
	if err := f.s.FreezeCustomer(ctx, f.admin, cid, "欠款未清"); err != nil {
		t.Fatal(err)
	}
	_, err := f.s.Lend(ctx, f.op, data.LoanInput{Borrower: "张三", Purpose: "查阅", ItemIDs: []int64{it.ID}})
	wantErr(t, err, data.EINVALID, "客户“C0001 东方机电”已冻结（原因：欠款未清）")

	other := f.mustItem(t, f.input("另一份"))
	rawExec(t, f.s, `UPDATE archive_items SET status = 'destroyed' WHERE id = ?`, other.ID)
	_, err = f.s.LendableItem(ctx, f.op, other.Code)
	wantErr(t, err, data.EINVALID, "已销毁，不能借阅")
	_, err = f.s.Lend(ctx, f.op, data.LoanInput{Borrower: "张三", Purpose: "查阅", ItemIDs: []int64{other.ID}})
	wantErr(t, err, data.EINVALID, "已销毁，不能借阅")
}

func TestOverdueWithFixedClock(t *testing.T) {
	f := mustArchive(t)
	setDay(f.s, 2026, 5, 1)
	a := f.mustItem(t, f.input("甲"))
	b := f.mustItem(t, f.input("乙"))
	mustLend(t, f, f.admin, data.LoanInput{Borrower: "张三", Purpose: "查阅", ItemIDs: []int64{a.ID}, DueOn: "2026-05-10"})
	mustLend(t, f, f.admin, data.LoanInput{Borrower: "李四", Purpose: "查阅", ItemIDs: []int64{b.ID}})

	for _, c := range []struct {
		day          int
		overdue, due int
	}{{10, 0, 0}, {11, 1, 1}, {16, 2, 6}} {
		setDay(f.s, 2026, 5, c.day)
		got, n, err := f.s.FindLoans(ctx, f.admin, data.LoanFilter{State: data.LoansOverdue})
		if err != nil || n != c.overdue {
			t.Fatalf("day %d: %d overdue (%v)", c.day, n, err)
		}
		if n > 0 && (got[0].Borrower != "张三" || got[0].OverdueDays != c.due) {
			t.Fatalf("day %d: first overdue %+v", c.day, got[0])
		}
		st, err := f.s.LoanStats(ctx, f.admin)
		if err != nil || st.OnLoan != 2 || st.Overdue != c.overdue {
			t.Fatalf("day %d: stats %+v %v", c.day, st, err)
		}
	}
}

func TestLoanDaysSetting(t *testing.T) {
	f := mustArchive(t)
	if f.s.LoanDays(ctx) != 14 {
		t.Fatal("default loan days")
	}
	wantErr(t, f.s.SetLoanDays(ctx, f.op, "30"), data.EFORBIDDEN, "只有管理员")
	wantErr(t, f.s.SetLoanDays(ctx, f.admin, "0"), data.EINVALID, "借阅期限“0”不正确")
	if err := f.s.SetLoanDays(ctx, f.admin, "３０"); err != nil {
		t.Fatal(err)
	}
	it := f.mustItem(t, f.input("甲"))
	l := mustLend(t, f, f.admin, data.LoanInput{Borrower: "张三", Purpose: "查阅", ItemIDs: []int64{it.ID}})
	if l.DueOn != "2026-05-31" {
		t.Fatalf("due %s", l.DueOn)
	}
}

// rawExec runs a statement around the public API.
func rawExec(tb testing.TB, s *data.Store, q string, args ...any) {
	tb.Helper()
	if _, err := rawDB(tb, s).Exec(q, args...); err != nil {
		tb.Fatal(err)
	}
}

func TestLentItemKeepsItsHistory(t *testing.T) {
	f := mustArchive(t)
	it := f.mustItem(t, f.input("甲"))
	l := mustLend(t, f, f.admin, data.LoanInput{Borrower: "张三", Purpose: "查阅", ItemIDs: []int64{it.ID}})
	wantErr(t, f.s.DeleteItem(ctx, f.admin, it.ID), data.ECONFLICT, "状态为“借出”")
	if err := f.s.ReturnLoan(ctx, f.admin, l.ID, nil); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.s.DeleteItem(ctx, f.admin, it.ID), data.ECONFLICT, "已有1 个借阅记录（JY2026-0001）")
}
