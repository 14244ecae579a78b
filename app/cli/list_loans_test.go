package cli

import (
	"strings"
	"testing"
	"time"

	"dangan/data"
)

func TestListLoansAndAppraisal(t *testing.T) {
	dir := t.TempDir()
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	if code, _, errs := run(t, pw, "", "init", "--admin", "admin", "--fonds-code", "Z109", "--fonds-name", "华东机械有限公司", "--data-dir", dir); code != 0 {
		t.Fatal(errs)
	}
	s, _ := data.Open(dir)
	ctx := t.Context()
	admin, _ := s.Authenticate(ctx, "admin", "Archive2026")
	sales, _ := s.CreateDepartment(ctx, admin, "01", "销售部")
	s.SetOrgCode(ctx, admin, sales.ID, "XS")
	kh02, _ := s.CategoryByCode(ctx, "KH-02")
	var ids []int64
	for _, y := range []int{2000, 2001, 2024} {
		it, err := s.CreateItem(ctx, admin, data.ItemInput{CategoryID: kh02.ID, Year: y, Retention: "D10", DeptID: sales.ID,
			Title: "合同", Pages: 2})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	lent := time.Now().AddDate(0, 0, -20).Format("2006-01-02")
	if _, err := s.Lend(ctx, admin, data.LoanInput{Borrower: "王审计", Purpose: "审计", LentOn: lent, ItemIDs: ids[:1]}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lend(ctx, admin, data.LoanInput{Borrower: "李四", Purpose: "查阅", ItemIDs: ids[2:]}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	listPage = 1
	t.Cleanup(func() { listPage = 1000 })
	code, out, errs := run(t, pw, "", "list", "loans", "--user", "admin", "--data-dir", dir)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || !strings.HasPrefix(lines[0], "借阅单号\t借阅人") || len(lines) != 3 {
		t.Fatalf("loans: %d %q\n%s", code, errs, out)
	}
	code, out, errs = run(t, pw, "", "list", "loans", "--overdue", "--user", "admin", "--data-dir", dir)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.Contains(lines[1], "王审计") || !strings.Contains(lines[1], "\t6\t") {
		t.Fatalf("overdue: %d %q\n%s", code, errs, out)
	}
	code, out, errs = run(t, pw, "", "list", "appraisal", "--user", "admin", "--data-dir", dir)
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || !strings.HasPrefix(lines[0], "档号\t类别\t年度\t保管期限") || len(lines) != 3 ||
		!strings.HasPrefix(lines[1], "Z109-KH·2000-D10-XS-0001\tKH-02 合同协议\t2000\t定期10年\t2010") {
		t.Fatalf("appraisal: %d %q\n%s", code, errs, out)
	}
}
