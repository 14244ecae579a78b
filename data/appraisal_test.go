package data_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"dangan/data"
)

func (f *archiveFixture) mustAged(tb testing.TB, title string, year int, retention string) *data.Item {
	tb.Helper()
	in := f.input(title)
	in.Year, in.Retention = year, retention
	return f.mustItem(tb, in)
}

func dueCodes(tb testing.TB, f *archiveFixture) map[string]bool {
	tb.Helper()
	items, err := f.s.FindDue(ctx, f.admin, data.DueFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]bool{}
	for _, it := range items {
		out[it.Title] = true
	}
	return out
}

func TestAppraisalSelection(t *testing.T) {
	f := mustArchive(t)
	f.mustAged(t, "永久1990", 1990, "Y")
	f.mustAged(t, "D10-2015", 2015, "D10") // runs to 2025: due in 2026
	f.mustAged(t, "D10-2016", 2016, "D10") // runs to 2026: due in 2027
	f.mustAged(t, "D30-1995", 1995, "D30") // to 2025
	f.mustAged(t, "D30-1996", 1996, "D30") // to 2026
	f.mustAged(t, "D5-2020", 2020, "D5")   // to 2025
	f.mustAged(t, "D5-2021", 2021, "D5")   // to 2026

	// Last moment of 2026 and first of 2027 (local time).
	for _, c := range []struct {
		at   time.Time
		want []string
	}{
		{time.Date(2026, 12, 31, 23, 59, 0, 0, time.Local), []string{"D10-2015", "D30-1995", "D5-2020"}},
		{time.Date(2027, 1, 1, 0, 1, 0, 0, time.Local), []string{"D10-2015", "D30-1995", "D5-2020", "D10-2016", "D30-1996", "D5-2021"}},
	} {
		at := c.at
		f.s.SetClock(func() time.Time { return at })
		got := dueCodes(t, f)
		if len(got) != len(c.want) {
			t.Fatalf("%s: due %v, want %v", at, got, c.want)
		}
		for _, w := range c.want {
			if !got[w] {
				t.Fatalf("%s: %s not due (%v)", at, w, got)
			}
		}
		if n, _ := f.s.CountDue(ctx, f.admin, data.DueFilter{}); n != len(c.want) {
			t.Fatalf("count %d", n)
		}
	}

	// Grouped by category and year.
	f.s.SetClock(func() time.Time { return time.Date(2026, 5, 1, 9, 0, 0, 0, time.Local) })
	in := f.input("D10-2015 其他类别")
	in.CategoryID, in.Year, in.Retention = f.kh04.ID, 2015, "D10"
	f.mustItem(t, in)
	groups, err := f.s.AppraisalGroups(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"KH-02 合同协议/1995", "KH-02 合同协议/2015", "KH-02 合同协议/2020", "KH-04 沟通与拜访记录/2015"}
	if len(groups) != len(want) {
		t.Fatalf("groups %+v", groups)
	}
	for i, g := range groups {
		if got := g.Category + "/" + strconv.Itoa(g.Year); got != want[i] || g.Count != 1 {
			t.Fatalf("group %d: %s (%d), want %s", i, got, g.Count, want[i])
		}
	}
}

func TestAppraisalKeep(t *testing.T) {
	f := mustArchive(t)
	it := f.mustAged(t, "D10-2015", 2015, "D10")
	wantErr(t, f.s.KeepItems(ctx, f.op, []int64{it.ID}, "D30", ""), data.EINVALID, "请填写继续保存的理由")
	wantErr(t, f.s.KeepItems(ctx, f.op, []int64{it.ID}, "D10", "仍有纠纷"), data.EINVALID, "仍已到期")
	if err := f.s.KeepItems(ctx, f.op, []int64{it.ID}, "D30", "合同纠纷未结"); err != nil {
		t.Fatal(err)
	}
	if len(dueCodes(t, f)) != 0 {
		t.Fatal("kept item still due")
	}
	got, _ := f.s.ItemByID(ctx, f.admin, it.ID)
	if got.Code != it.Code {
		t.Fatalf("code changed to %s", got.Code)
	}
}

func TestDestruction(t *testing.T) {
	f := mustArchive(t)
	a := f.mustAged(t, "旧合同", 2010, "D10")
	b := f.mustAged(t, "旧对账单", 2010, "D10")
	lent := f.mustAged(t, "旧借出", 2010, "D10")
	young := f.mustAged(t, "新合同", 2020, "D10")
	keep := f.mustItem(t, f.input("共用附件的档案"))

	// a and keep share one attachment file; b has its own.
	dir := t.TempDir()
	shared, own := filepath.Join(dir, "scan.pdf"), filepath.Join(dir, "own.pdf")
	os.WriteFile(shared, []byte("shared scan"), 0o600)
	os.WriteFile(own, []byte("own scan"), 0o600)
	attA, err := f.s.AddAttachment(ctx, f.admin, a.ID, shared)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddAttachment(ctx, f.admin, keep.ID, shared); err != nil {
		t.Fatal(err)
	}
	attB, err := f.s.AddAttachment(ctx, f.admin, b.ID, own)
	if err != nil {
		t.Fatal(err)
	}

	mustLend(t, f, f.admin, data.LoanInput{Borrower: "张三", Purpose: "查阅", ItemIDs: []int64{lent.ID}})
	in := data.DestructionInput{Reason: "保管期限已满，经鉴定无保存价值", Method: "粉碎"}
	in.ItemIDs = []int64{a.ID, lent.ID}
	_, err = f.s.ProposeDestruction(ctx, f.op, in)
	wantErr(t, err, data.ECONFLICT, "已借出，归还后才能销毁")
	in.ItemIDs = []int64{young.ID}
	_, err = f.s.ProposeDestruction(ctx, f.op, in)
	wantErr(t, err, data.ECONFLICT, "到 2030 年才届满")
	if itemStatus(t, f, a.ID) != data.StatusIn {
		t.Fatal("refused proposal half-written")
	}

	in.ItemIDs = []int64{a.ID, b.ID}
	r, err := f.s.ProposeDestruction(ctx, f.op, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.No != "XH2026-0001" || r.Status != data.DestructionDraft || len(r.Items) != 2 || itemStatus(t, f, a.ID) != data.StatusPendingDestroy {
		t.Fatalf("draft %+v", r)
	}
	_, err = f.s.LendableItem(ctx, f.op, a.Code)
	wantErr(t, err, data.EINVALID, "待销毁")

	// An operator cannot approve or reject.
	wantErr(t, f.s.ApproveDestruction(ctx, f.op, r.ID), data.EFORBIDDEN, "只有管理员可以批准销毁")
	wantErr(t, f.s.RejectDestruction(ctx, f.op, r.ID, "不同意"), data.EFORBIDDEN, "只有管理员")
	if st, _ := f.s.LoanStats(ctx, f.admin); st.Awaiting != 1 {
		t.Fatalf("awaiting %d", st.Awaiting)
	}

	if err := f.s.ApproveDestruction(ctx, f.admin, r.ID); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.s.ApproveDestruction(ctx, f.admin, r.ID), data.ECONFLICT, "已批准，不能再审批")
	if itemStatus(t, f, a.ID) != data.StatusDestroyed || itemStatus(t, f, b.ID) != data.StatusDestroyed {
		t.Fatal("items not destroyed")
	}
	// b's own file is gone; the shared one stays for the kept item.
	if _, err := os.Stat(f.s.AttachmentPath(*attB)); !os.IsNotExist(err) {
		t.Fatalf("own attachment still on disk: %v", err)
	}
	if _, err := os.Stat(f.s.AttachmentPath(*attA)); err != nil {
		t.Fatalf("shared attachment removed: %v", err)
	}
	if got, _ := f.s.ItemByID(ctx, f.admin, a.ID); got.Attachments != 0 {
		t.Fatal("attachment rows kept")
	}
	r, _ = f.s.DestructionByID(ctx, f.admin, r.ID)
	if r.Status != data.DestructionApproved || r.Approver != "系统管理员" || r.Items[0].Attachments != 1 || r.Items[0].Code != a.Code {
		t.Fatalf("register %+v", r)
	}

	// The items' own history and the register's both show it.
	log, _, err := f.s.FindAudit(ctx, f.admin, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range log {
		seen[e.Entity+"/"+e.Action+"/"+e.EntityID] = true
	}
	for _, k := range []string{"archive_item/destroy/" + a.Code, "archive_item/destroy/" + b.Code,
		"destruction/approve/XH2026-0001", "destruction/propose/XH2026-0001", "loan/lend/JY2026-0001"} {
		if !seen[k] {
			t.Fatalf("no audit entry %s", k)
		}
	}

	// No path deletes or changes the register.
	db := rawDB(t, f.s)
	for _, q := range []string{`DELETE FROM destruction_registers`, `DELETE FROM destruction_items`,
		`UPDATE destruction_registers SET status = 'draft'`, `UPDATE destruction_items SET code = 'x'`,
		`INSERT INTO destruction_items (register_id, item_id, code, title, year, retention, pages) VALUES (1, 5, 'x', 'x', 2010, 'D10', 1)`} {
		if _, err := db.Exec(q); err == nil {
			t.Fatalf("%s succeeded", q)
		}
	}
	if _, err := f.s.UpdateItem(ctx, f.admin, a.ID, f.input("改")); data.ErrorCode(err) != data.ECONFLICT {
		t.Fatalf("destroyed item updated: %v", err)
	}
	wantErr(t, f.s.DeleteItem(ctx, f.admin, a.ID), data.ECONFLICT, "不能删除")
	regs, _ := f.s.FindDestructions(ctx, f.admin, "")
	if len(regs) != 1 {
		t.Fatalf("registers %d", len(regs))
	}
}

func TestDestructionReject(t *testing.T) {
	f := mustArchive(t)
	a := f.mustAged(t, "旧合同", 2010, "D10")
	r, err := f.s.ProposeDestruction(ctx, f.admin, data.DestructionInput{ItemIDs: []int64{a.ID}, Reason: "期满", Method: "粉碎"})
	if err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.s.RejectDestruction(ctx, f.admin, r.ID, ""), data.EINVALID, "请填写驳回理由")
	if err := f.s.RejectDestruction(ctx, f.admin, r.ID, "尚有诉讼"); err != nil {
		t.Fatal(err)
	}
	if itemStatus(t, f, a.ID) != data.StatusIn {
		t.Fatal("rejected item not back in")
	}
	r, _ = f.s.DestructionByID(ctx, f.admin, r.ID)
	if r.Status != data.DestructionRejected || r.RejectNote != "尚有诉讼" || len(r.Items) != 1 {
		t.Fatalf("rejected register %+v", r)
	}
}
