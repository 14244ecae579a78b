package data_test

import (
	"testing"

	"dangan/data"
)

func TestCodingRule(t *testing.T) {
	r, err := data.ParseCodingRule("2-2-2")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		code   string
		level  int
		parent string
	}{
		{"01", 1, ""}, {"0101", 2, "01"}, {"010203", 3, "0102"}, {"010", 0, ""}, {"01020304", 0, ""},
	} {
		if got := r.Level(tc.code); got != tc.level {
			t.Errorf("Level(%s) = %d, want %d", tc.code, got, tc.level)
		}
		if got := r.ParentCode(tc.code); got != tc.parent {
			t.Errorf("ParentCode(%s) = %q, want %q", tc.code, got, tc.parent)
		}
	}
	r3, _ := data.ParseCodingRule("3-2")
	if r3.Level("00101") != 2 || r3.ParentCode("00101") != "001" {
		t.Fatal("3-2 rule misreads 00101")
	}
	for _, bad := range []string{"", "2--2", "0-2", "a-2", "10-2"} {
		if _, err := data.ParseCodingRule(bad); err == nil {
			t.Errorf("rule %q accepted", bad)
		}
	}
	next, err := r.NextChildCode("01", []string{"01", "0101", "0103", "02", "0201"})
	if err != nil || next != "0104" {
		t.Fatalf("next child of 01 = %q, %v", next, err)
	}
	if _, err := r.NextChildCode("010101", nil); err == nil {
		t.Fatal("a fourth level was offered under a 3-level rule")
	}
}

func TestCreateDepartment(t *testing.T) {
	s, admin := mustSetup(t)
	prod := mustDept(t, s, admin, "01", "生产中心")
	one := mustDept(t, s, admin, "0101", "一车间")
	if one.ParentID != prod.ID {
		t.Fatalf("0101 parent %d, want %d", one.ParentID, prod.ID)
	}
	mustDept(t, s, admin, "0102", "二车间")
	mustDept(t, s, admin, "010201", "装配班")

	for _, tc := range []struct {
		name, code, dname, want string
	}{
		{"ErrLetters", "0A", "甲", "只能由数字组成"},
		{"ErrLength", "010", "甲", "应为 2、4、6 位"},
		{"ErrNoParent", "0301", "甲", "上级部门“03”不存在"},
		{"ErrDuplicateCode", "0101", "甲", "部门编码“0101”已被使用"},
		{"ErrSiblingName", "0103", "一车间", "已有名为“一车间”的部门（编码 0101）"},
		{"ErrEmptyName", "02", "  ", "部门名称不能为空"},
		{"ErrEmptyCode", "", "甲", "部门编码不能为空"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := auditCount(t, s)
			_, err := s.CreateDepartment(ctx, admin, tc.code, tc.dname)
			wantErr(t, err, data.EINVALID, tc.want)
			if auditCount(t, s) != before {
				t.Fatal("refused create wrote an audit row")
			}
		})
	}
	depts, _ := s.FindDepartments(ctx)
	var codes []string
	for _, d := range depts {
		codes = append(codes, d.Code)
	}
	if got := join(codes); got != "01 0101 0102 010201" {
		t.Fatalf("departments %s", got)
	}
	// The same name under another parent is fine.
	mustDept(t, s, admin, "02", "销售部")
	mustDept(t, s, admin, "0201", "一车间")
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += " "
		}
		out += s
	}
	return out
}

func TestRenameDepartmentKeepsCode(t *testing.T) {
	s, admin := mustSetup(t)
	d := mustDept(t, s, admin, "01", "生产中心")
	op := mustUser(t, s, admin, data.UserInput{Username: "op", DeptID: d.ID, Role: data.RoleOperator, Password: "Oper12345"})
	if err := s.RenameDepartment(ctx, admin, d.ID, "制造中心"); err != nil {
		t.Fatal(err)
	}
	got, err := s.DepartmentByCode(ctx, "01")
	if err != nil || got.Name != "制造中心" || got.ID != d.ID {
		t.Fatalf("after rename: %+v, %v", got, err)
	}
	// Records pointing at it show the new name.
	u, _ := s.UserByID(ctx, op.ID)
	if u.DeptName != "制造中心" {
		t.Fatalf("user shows department %q", u.DeptName)
	}
	entries, _, _ := s.FindAudit(ctx, admin, data.AuditFilter{Entity: data.EntityDepartment})
	if len(entries) == 0 || entries[0].ChangesText() != "名称：生产中心 → 制造中心" {
		t.Fatalf("audit of rename: %+v", entries)
	}
}

func TestDeleteDepartmentRefusedWhileReferenced(t *testing.T) {
	s, admin := mustSetup(t)
	d := mustDept(t, s, admin, "01", "生产中心")
	child := mustDept(t, s, admin, "0101", "一车间")
	op := mustUser(t, s, admin, data.UserInput{Username: "wangwu", DeptID: child.ID, Role: data.RoleOperator, Password: "Wang12345"})

	err := s.DeleteDepartment(ctx, admin, d.ID)
	wantErr(t, err, data.ECONFLICT, "1 个下级部门（0101 一车间）")
	err = s.DeleteDepartment(ctx, admin, child.ID)
	wantErr(t, err, data.ECONFLICT, "1 个用户（wangwu）")

	other := mustDept(t, s, admin, "02", "销售部")
	if _, err := s.UpdateUser(ctx, admin, op.ID, data.UserUpdate{Role: data.RoleOperator, DeptID: other.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDepartment(ctx, admin, child.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDepartment(ctx, admin, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DepartmentByCode(ctx, "01"); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("deleted department still found: %v", err)
	}
}
