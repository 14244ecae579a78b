package data_test

import (
	"testing"

	"dangan/data"
)

func TestBoxingRules(t *testing.T) {
	f := mustArchive(t)
	a := f.mustItem(t, f.input("合同 1"))
	b := f.mustItem(t, f.input("合同 2"))
	c := f.mustItem(t, f.input("合同 3"))
	in := f.input("2025 年合同")
	in.Year = 2025
	old := f.mustItem(t, in)

	t.Run("ErrMixedGroups", func(t *testing.T) {
		before := auditCount(t, f.s)
		_, err := f.s.BoxItems(ctx, f.admin, 0, []int64{a.ID, old.ID}, data.BoxInput{Thickness: 30})
		wantErr(t, err, data.EINVALID, "所选档案不属于同一组")
		if auditCount(t, f.s) != before {
			t.Fatal("refused boxing audited")
		}
		if boxes, _ := f.s.FindBoxes(ctx, f.admin, data.BoxFilter{}); len(boxes) != 0 {
			t.Fatal("refused boxing left a box")
		}
	})
	t.Run("ErrThickness", func(t *testing.T) {
		_, err := f.s.BoxItems(ctx, f.admin, 0, []int64{a.ID}, data.BoxInput{Thickness: 25})
		wantErr(t, err, data.EINVALID, "盒脊厚度应为 20、30、40 或 50 毫米")
	})
	t.Run("ErrFiledOn", func(t *testing.T) {
		_, err := f.s.BoxItems(ctx, f.admin, 0, []int64{a.ID}, data.BoxInput{Thickness: 30, FiledOn: "20261301"})
		wantErr(t, err, data.EINVALID, "立卷日期“20261301”不是真实的日期")
	})

	box, err := f.s.BoxItems(ctx, f.admin, 0, []int64{a.ID, b.ID}, data.BoxInput{
		Thickness: 30, Room: "一号库房", Cabinet: "3", Shelf: "2", Filer: "李明", FiledOn: "2026-05-01", Note: "完整"})
	if err != nil {
		t.Fatal(err)
	}
	if box.No != 1 || box.First != 1 || box.Last != 2 || box.Count != 2 || box.Location() != "一号库房-3-2" {
		t.Fatalf("box %+v", box)
	}
	if box.Range(4) != "0001–0002" || box.Label() != "Z109-KH·2026-D30-XS 第0001盒" {
		t.Fatalf("box texts %s %s", box.Range(4), box.Label())
	}
	got, _ := f.s.ItemByID(ctx, f.op, a.ID)
	if !got.Boxed() || !got.CodeFixed || got.Location != "一号库房-3-2" || got.BoxNo != 1 {
		t.Fatalf("boxed item %+v", got)
	}

	// A 2025 item cannot go into the 2026 box.
	_, err = f.s.BoxItems(ctx, f.admin, box.ID, []int64{old.ID}, data.BoxInput{})
	wantErr(t, err, data.EINVALID, "不能放进这个盒")

	// Move b into a second box; 起止件号 follow.
	box2, err := f.s.BoxItems(ctx, f.op, 0, []int64{c.ID}, data.BoxInput{Thickness: 20})
	if err != nil {
		t.Fatal(err)
	}
	before := auditCount(t, f.s)
	box2, err = f.s.BoxItems(ctx, f.op, box2.ID, []int64{b.ID}, data.BoxInput{})
	if err != nil {
		t.Fatal(err)
	}
	if box2.No != 2 || box2.Range(4) != "0002–0003" {
		t.Fatalf("box 2: %d %s", box2.No, box2.Range(4))
	}
	if auditCount(t, f.s) != before+1 {
		t.Fatal("move not audited")
	}
	box, _ = f.s.BoxByID(ctx, box.ID)
	if box.Range(4) != "0001–0001" {
		t.Fatalf("box 1 after move: %s", box.Range(4))
	}

	// Unboxing is audited; the code stays fixed.
	if err := f.s.UnboxItems(ctx, f.op, []int64{a.ID}); err != nil {
		t.Fatal(err)
	}
	err = f.s.UnboxItems(ctx, f.op, []int64{a.ID})
	wantErr(t, err, data.EINVALID, "没有装盒")
	got, _ = f.s.ItemByID(ctx, f.admin, a.ID)
	if got.Boxed() || !got.CodeFixed {
		t.Fatalf("unboxed item %+v", got)
	}
	in = f.input("合同 1")
	in.Retention = "D10"
	_, err = f.s.UpdateItem(ctx, f.admin, a.ID, in)
	wantErr(t, err, data.EINVALID, "已固定")

	// Update the 备考表; delete only empty boxes.
	if err := f.s.UpdateBox(ctx, f.op, box.ID, data.BoxInput{Thickness: 40, Checker: "王芳"}); err != nil {
		t.Fatal(err)
	}
	box, _ = f.s.BoxByID(ctx, box.ID)
	if box.Thickness != 40 || box.Checker != "王芳" || box.Count != 0 {
		t.Fatalf("updated box %+v", box)
	}
	err = f.s.DeleteBox(ctx, f.admin, box2.ID)
	wantErr(t, err, data.ECONFLICT, "里还有 2 件档案")
	if err := f.s.DeleteBox(ctx, f.admin, box.ID); err != nil {
		t.Fatal(err)
	}
	boxes, _ := f.s.FindBoxes(ctx, f.op, data.BoxFilter{Class: "KH", Year: 2026})
	if len(boxes) != 1 || boxes[0].ID != box2.ID {
		t.Fatalf("boxes left %+v", boxes)
	}
	// Items of a box list in 件号 order.
	items, _ := f.s.FindItems(ctx, f.admin, data.ItemFilter{BoxID: box2.ID})
	if len(items) != 2 || items[0].Serial != 2 {
		t.Fatalf("box items %+v", items)
	}
}

func TestBoxScope(t *testing.T) {
	f := mustArchive(t)
	in := f.input("财务部合同")
	in.DeptID = f.other.ID
	theirs := f.mustItem(t, in)
	_, err := f.s.BoxItems(ctx, f.op, 0, []int64{theirs.ID}, data.BoxInput{Thickness: 30})
	wantErr(t, err, data.EFORBIDDEN, "不属于您的部门")
}

func TestArchiveAuditTrail(t *testing.T) {
	f := mustArchive(t)
	a := f.mustItem(t, f.input("购销合同"))
	in := f.input("购销合同（正本）")
	in.Pages = 9
	if _, err := f.s.UpdateItem(ctx, f.op, a.ID, in); err != nil {
		t.Fatal(err)
	}
	box, err := f.s.BoxItems(ctx, f.op, 0, []int64{a.ID}, data.BoxInput{Thickness: 30, Room: "一库"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.UnboxItems(ctx, f.op, []int64{a.ID}); err != nil {
		t.Fatal(err)
	}
	entries, _, err := f.s.FindAudit(ctx, f.admin, data.AuditFilter{Entity: data.EntityItem})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, data.ActionLabel(e.Action)+":"+e.EntityID)
	}
	want := "移出盒:Z109-KH·2026-D30-XS-0001 装盒:Z109-KH·2026-D30-XS-0001 修改:Z109-KH·2026-D30-XS-0001 新建:Z109-KH·2026-D30-XS-0001"
	if j := join(got); j != want {
		t.Fatalf("audit:\n%s\nwant\n%s", j, want)
	}
	if c := entries[1].ChangesText(); c != "盒号：（空） → "+box.Label() {
		t.Fatalf("box change %q", c)
	}
	if c := entries[2].ChangesText(); c != "题名：购销合同 → 购销合同（正本）；页数：3 → 9" {
		t.Fatalf("update changes %q", c)
	}
	if data.EntityLabel(data.EntityItem) != "档案" || data.EntityLabel(data.EntityBox) != "档案盒" || data.EntityLabel(data.EntityCategory) != "档案类别" {
		t.Fatal("entity labels")
	}
	boxes, _, _ := f.s.FindAudit(ctx, f.admin, data.AuditFilter{Entity: data.EntityBox})
	if len(boxes) != 1 || boxes[0].Summary != "新建档案盒 "+box.Label() {
		t.Fatalf("box audit %+v", boxes)
	}
}
