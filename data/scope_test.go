package data_test

import (
	"testing"

	"dangan/data"
)

func TestScopeOf(t *testing.T) {
	s, admin := mustSetup(t)
	prod := mustDept(t, s, admin, "01", "生产中心")
	one := mustDept(t, s, admin, "0101", "一车间")
	two := mustDept(t, s, admin, "0102", "二车间")
	sales := mustDept(t, s, admin, "02", "销售部")
	opProd := mustUser(t, s, admin, data.UserInput{Username: "p", DeptID: prod.ID, Role: data.RoleOperator, Password: "Oper12345"})
	opOne := mustUser(t, s, admin, data.UserInput{Username: "o", DeptID: one.ID, Role: data.RoleOperator, Password: "Oper12345"})
	wide := mustUser(t, s, admin, data.UserInput{Username: "w", DeptID: sales.ID, Role: data.RoleOperator, ScopeAll: true, Password: "Oper12345"})

	for _, tc := range []struct {
		name string
		user *data.User
		in   []int64
		out  []int64
	}{
		{"Admin", admin, []int64{prod.ID, one.ID, sales.ID}, nil},
		{"OperatorSubtree", opProd, []int64{prod.ID, one.ID, two.ID}, []int64{sales.ID}},
		{"OperatorLeaf", opOne, []int64{one.ID}, []int64{prod.ID, two.ID, sales.ID}},
		{"Widened", wide, []int64{prod.ID, one.ID, sales.ID}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := s.ScopeOf(ctx, tc.user)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range tc.in {
				if !sc.Contains(id) {
					t.Errorf("department %d not in scope", id)
				}
			}
			for _, id := range tc.out {
				if sc.Contains(id) {
					t.Errorf("department %d in scope", id)
				}
			}
		})
	}
	// Widening is read fresh: an admin narrowing the user takes effect at once.
	if _, err := s.UpdateUser(ctx, admin, wide.ID, data.UserUpdate{Role: data.RoleOperator, DeptID: sales.ID}); err != nil {
		t.Fatal(err)
	}
	sc, _ := s.ScopeOf(ctx, wide)
	if sc.All || sc.Contains(prod.ID) || !sc.Contains(sales.ID) {
		t.Fatalf("after narrowing: %+v", sc)
	}
	cond, args := sc.Filter("dept_id")
	if cond != "dept_id IN (?)" || len(args) != 1 {
		t.Fatalf("filter %q %v", cond, args)
	}
}
