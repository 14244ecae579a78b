package data_test

import (
	"strings"
	"testing"

	"dangan/data"
)

func TestItemsForPrintInCodeOrderAcrossPages(t *testing.T) {
	s, admin := mustSetup(t)
	defer data.SetPrintPage(3)()
	sales := mustDept(t, s, admin, "01", "销售部")
	if err := s.SetOrgCode(ctx, admin, sales.ID, "XS"); err != nil {
		t.Fatal(err)
	}
	hr := mustDept(t, s, admin, "02", "人事部")
	kh02, err := s.CategoryByCode(ctx, "KH-02")
	if err != nil {
		t.Fatal(err)
	}
	add := func(year int, ret string, dept int64) data.Item {
		t.Helper()
		it, err := s.CreateItem(ctx, admin, data.ItemInput{CategoryID: kh02.ID, Year: year, Retention: ret, DeptID: dept, Title: "合同", Pages: 1})
		if err != nil {
			t.Fatal(err)
		}
		return *it
	}
	var xs []data.Item
	for i := 0; i < 11; i++ { // 件号 0010, 0011 after 0009: segment order
		xs = append(xs, add(2026, "D30", sales.ID))
	}
	add(2025, "D30", sales.ID)
	add(2026, "D10", hr.ID)
	add(2026, "D30", hr.ID)

	class, _ := s.CategoryByCode(ctx, "KH")
	items, err := s.ItemsForPrint(ctx, admin, data.ItemFilter{ClassID: class.ID, Year: 2026}, "")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, it := range items {
		codes = append(codes, it.Code)
	}
	want := "Z109-KH·2026-D10-02-0001 Z109-KH·2026-D30-02-0001 Z109-KH·2026-D30-XS-0001 Z109-KH·2026-D30-XS-0002 " +
		"Z109-KH·2026-D30-XS-0003 Z109-KH·2026-D30-XS-0004 Z109-KH·2026-D30-XS-0005 Z109-KH·2026-D30-XS-0006 " +
		"Z109-KH·2026-D30-XS-0007 Z109-KH·2026-D30-XS-0008 Z109-KH·2026-D30-XS-0009 Z109-KH·2026-D30-XS-0010 " +
		"Z109-KH·2026-D30-XS-0011"
	if got := strings.Join(codes, " "); got != want {
		t.Fatalf("order:\n%s\nwant\n%s", got, want)
	}
	vols := data.SplitVolumes(items)
	if len(vols) != 2 || vols[0].Retention != "D10" || len(vols[1].Items) != 12 ||
		strings.Join(vols[1].Orgs(), ",") != "02,XS" {
		t.Fatalf("volumes: %+v", vols)
	}

	// An operator sees only the department's items.
	op := mustUser(t, s, admin, data.UserInput{Username: "li", DeptID: hr.ID, Role: data.RoleOperator, Password: "Oper12345"})
	items, err = s.ItemsForPrint(ctx, op, data.ItemFilter{}, "")
	if err != nil || len(items) != 2 {
		t.Fatalf("operator: %d items, %v", len(items), err)
	}

	items, err = s.ItemsForPrint(ctx, admin, data.ItemFilter{}, "XS")
	if err != nil || len(items) != 12 {
		t.Fatalf("org XS: %d items, %v", len(items), err)
	}

	// Boxes by range of 盒号.
	for i := 0; i < 4; i++ {
		if _, err := s.BoxItems(ctx, admin, 0, []int64{xs[i].ID}, data.BoxInput{Thickness: 20}); err != nil {
			t.Fatal(err)
		}
	}
	boxes, err := s.BoxesForPrint(ctx, admin, data.BoxFilter{Class: "KH", Year: 2026}, data.BoxRange{From: 2, To: 3})
	if err != nil || len(boxes) != 2 || boxes[0].No != 2 || boxes[1].No != 3 {
		t.Fatalf("boxes: %+v %v", boxes, err)
	}
}
