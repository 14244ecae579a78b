package cli

import (
	"strings"
	"testing"

	"dangan/data"
)

func TestListArchives(t *testing.T) {
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
	hr, _ := s.CreateDepartment(ctx, admin, "02", "人事部")
	s.CreateUser(ctx, admin, data.UserInput{Username: "li", DeptID: sales.ID, Role: data.RoleOperator, Password: "Oper12345"})
	kh02, _ := s.CategoryByCode(ctx, "KH-02")
	var ids []int64
	for i, y := range []int{2026, 2025, 2026, 2026, 2026, 2026, 2026, 2026, 2026, 2026, 2026} {
		dept := sales.ID
		if i == 2 {
			dept = hr.ID
		}
		it, err := s.CreateItem(ctx, admin, data.ItemInput{CategoryID: kh02.ID, Year: y, Retention: "D30", DeptID: dept,
			Title: "合同", Pages: 2})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	if _, err := s.BoxItems(ctx, admin, 0, ids[3:5], data.BoxInput{Thickness: 30, Room: "一库", Cabinet: "2", Shelf: "3"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	listPage = 3 // several pages, continued by keyset
	t.Cleanup(func() { listPage = 1000 })
	code, out, errs := run(t, pw, "", "list", "archives", "--user", "admin", "--category", "KH", "--year", "2026", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("list archives: %d %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "档号\t类别\t年度") || len(lines) != 11 {
		t.Fatalf("archives:\n%s", out)
	}
	var codes []string
	for _, l := range lines[1:] {
		codes = append(codes, strings.Split(l, "\t")[0])
	}
	// 件号 0009 before 0010 (segment order), the 02 department's item first.
	want := "Z109-KH·2026-D30-02-0001 Z109-KH·2026-D30-XS-0001 Z109-KH·2026-D30-XS-0002 Z109-KH·2026-D30-XS-0003 " +
		"Z109-KH·2026-D30-XS-0004 Z109-KH·2026-D30-XS-0005 Z109-KH·2026-D30-XS-0006 Z109-KH·2026-D30-XS-0007 " +
		"Z109-KH·2026-D30-XS-0008 Z109-KH·2026-D30-XS-0009"
	if got := strings.Join(codes, " "); got != want {
		t.Fatalf("order:\n%s\nwant\n%s", got, want)
	}
	// The operator sees only the sales department; --status filters.
	_, out, errs = run(t, map[string]string{"DANGAN_PASSWORD": "Oper12345"}, "", "list", "archives", "--user", "li", "--status", "借出", "--data-dir", dir)
	if strings.Count(out, "\n") != 1 {
		t.Fatalf("operator, lent: %q %q", out, errs)
	}
	code, _, errs = run(t, pw, "", "list", "archives", "--user", "admin", "--year", "1800", "--data-dir", dir)
	if code == 0 || !strings.Contains(errs, "年度“1800”不正确") {
		t.Fatalf("bad year: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "list", "archives", "--user", "admin", "--category", "ZZ-01", "--data-dir", dir)
	if code == 0 || !strings.Contains(errs, "档案类别“ZZ-01”不存在") {
		t.Fatalf("bad category: %d %q", code, errs)
	}

	_, out, _ = run(t, pw, "", "list", "boxes", "--user", "admin", "--category", "KH-02", "--data-dir", dir)
	if !strings.Contains(out, "Z109-KH·2026-D30-XS 第0001盒\tZ109\tKH\t2026\tD30\tXS\t0001\t0002–0003\t2\t30\t一库-2-3") {
		t.Fatalf("boxes:\n%s", out)
	}
	_, out, _ = run(t, pw, "", "list", "categories", "--user", "admin", "--data-dir", dir)
	if !strings.Contains(out, "KH-02\t合同协议\tKH\tD30\t启用") {
		t.Fatalf("categories:\n%s", out)
	}
}
