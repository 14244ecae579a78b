package cli

import (
	"strings"
	"testing"

	"dangan/data"
)

func TestListCustomers(t *testing.T) {
	dir := t.TempDir()
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	if code, _, errs := run(t, pw, "", "init", "--admin", "admin", "--data-dir", dir); code != 0 {
		t.Fatal(errs)
	}
	ctx := t.Context()
	s, _ := data.Open(dir)
	admin, _ := s.Authenticate(ctx, "admin", "Archive2026")
	d1, _ := s.CreateDepartment(ctx, admin, "01", "销售部")
	d2, _ := s.CreateDepartment(ctx, admin, "02", "服务部")
	k1, _ := s.CreateCustomerCategory(ctx, admin, "01", "重点客户")
	k2, _ := s.CreateCustomerCategory(ctx, admin, "0101", "华北重点")
	k3, _ := s.CreateCustomerCategory(ctx, admin, "02", "一般客户")
	for _, c := range []data.Customer{
		{Name: "北京海淀科技有限公司", CategoryID: k1.ID, DeptID: d1.ID, Grade: "A",
			Contacts: []data.Contact{{Name: "张伟", Mobile: "13800138000"}}},
		{Name: "天津港务集团", CategoryID: k2.ID, DeptID: d2.ID},
		{Name: "厦门航空服务公司", CategoryID: k3.ID, DeptID: d1.ID},
	} {
		if _, err := s.CreateCustomer(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
	}
	x, _ := s.CustomerByCode(ctx, admin, "020001")
	if err := s.FreezeCustomer(ctx, admin, x.ID, "资料待核实"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errs := run(t, pw, "", "list", "customers", "--user", "admin", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("list: %d %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || lines[0] != "编码\t名称\t类型\t分类\t部门\t业务员\t等级\t地区\t行业\t主要联系人\t电话\t助记码\t状态" ||
		lines[1] != "010001\t北京海淀科技有限公司\t企业\t重点客户\t销售部\t\tA\t\t\t张伟 13800138000\t\tbjhdkjyxgs\t正常" {
		t.Fatalf("list customers:\n%s", out)
	}
	for _, tc := range []struct {
		args  []string
		codes string
	}{
		{[]string{"--category", "01"}, "010001 01010001"},
		{[]string{"--category", "0101"}, "01010001"},
		{[]string{"--dept", "01"}, "010001 020001"},
		{[]string{"--status", "frozen"}, "020001"},
		{[]string{"--status", "冻结", "--dept", "02"}, ""},
	} {
		code, out, errs := run(t, pw, "", append([]string{"list", "customers", "--user", "admin", "--data-dir", dir}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v: %d %q", tc.args, code, errs)
		}
		var codes []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
			codes = append(codes, strings.SplitN(l, "\t", 2)[0])
		}
		if got := strings.Join(codes, " "); got != tc.codes {
			t.Errorf("%v: got %q, want %q", tc.args, got, tc.codes)
		}
	}
	code, _, errs = run(t, pw, "", "list", "customers", "--user", "admin", "--data-dir", dir, "--status", "gone")
	if code == 0 || !strings.Contains(errs, "--status 只能是") {
		t.Fatalf("bad status: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "list", "customers", "--user", "admin", "--data-dir", dir, "--category", "09")
	if code == 0 || !strings.Contains(errs, "客户分类编码“09”不存在") {
		t.Fatalf("bad category: %d %q", code, errs)
	}
}
