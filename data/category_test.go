package data_test

import (
	"testing"

	"dangan/data"
)

func TestCategories(t *testing.T) {
	f := mustArchive(t)
	s, admin := f.s, f.admin
	ht, err := s.CreateCategory(ctx, admin, data.CategoryInput{Code: "ht", Name: "合同档案"})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := s.CreateCategory(ctx, admin, data.CategoryInput{ParentID: ht.ID, Code: "01", Name: "采购合同", Retention: "d30"})
	if err != nil {
		t.Fatal(err)
	}
	if sub.FullCode() != "HT-01" || sub.Retention != "D30" || sub.Label() != "HT-01 采购合同" {
		t.Fatalf("category %+v", sub)
	}
	for _, tc := range []struct {
		name string
		in   data.CategoryInput
		want string
	}{
		{"ErrClassCode", data.CategoryInput{Code: "K1", Name: "甲"}, "门类代码“K1”不正确"},
		{"ErrDuplicateClass", data.CategoryInput{Code: "KH", Name: "甲"}, "门类代码“KH”已被使用"},
		{"ErrDuplicateSub", data.CategoryInput{ParentID: ht.ID, Code: "01", Name: "甲", Retention: "Y"}, "类别代码“01”已被使用"},
		{"ErrRetention", data.CategoryInput{ParentID: ht.ID, Code: "02", Name: "甲", Retention: "D"}, "保管期限“D”不正确"},
		{"ErrThirdLevel", data.CategoryInput{ParentID: sub.ID, Code: "01", Name: "甲", Retention: "Y"}, "类别只有两级"},
		{"ErrName", data.CategoryInput{Code: "XX", Name: ""}, "类别名称不能为空"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateCategory(ctx, admin, tc.in)
			wantErr(t, err, data.EINVALID, tc.want)
		})
	}
	_, err = s.CreateCategory(ctx, f.op, data.CategoryInput{Code: "ZZ", Name: "甲"})
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以管理档案类别")

	// In use: rename and disable work, delete is refused naming the items.
	f.mustItem(t, f.input("购销合同"))
	err = s.DeleteCategory(ctx, admin, f.kh02.ID)
	wantErr(t, err, data.ECONFLICT, "档案类别“KH-02 合同协议”正在使用，不能删除：还有1 个档案（Z109-KH·2026-D30-XS-0001）")
	err = s.DeleteCategory(ctx, admin, f.kh02.ParentID)
	wantErr(t, err, data.ECONFLICT, "个下级类别")
	if err := s.UpdateCategory(ctx, admin, f.kh02.ID, "合同与协议", "Y"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCategoryActive(ctx, admin, f.kh02.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateItem(ctx, admin, f.input("新合同"))
	wantErr(t, err, data.EINVALID, "已停用，不能登记新档案")
	items, _ := s.FindItems(ctx, admin, data.ItemFilter{})
	if items[0].Category != "KH-02 合同与协议" || items[0].Group.Retention != "D30" {
		t.Fatalf("item after rename: %s %s", items[0].Category, items[0].Group.Retention)
	}
	// Unused: deleted.
	if err := s.DeleteCategory(ctx, admin, sub.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteCategory(ctx, admin, ht.ID); err != nil {
		t.Fatal(err)
	}
}

func TestSettings(t *testing.T) {
	f := mustArchive(t)
	s, admin := f.s, f.admin
	fonds, _ := s.Fonds(ctx)
	a, err := s.ArchiveSettings(ctx)
	if err != nil || a != data.DefaultArchiveSettings() {
		t.Fatalf("defaults %+v %v", a, err)
	}
	first := f.mustItem(t, f.input("合同 1"))
	if _, err := s.BoxItems(ctx, admin, 0, []int64{first.ID}, data.BoxInput{Thickness: 30}); err != nil {
		t.Fatal(err)
	}
	a.CodePattern = "{全宗号}-{门类代码}-{年度}-{保管期限}-{机构代码}-{件号}"
	a.SerialWidth = 5
	err = s.UpdateSettings(ctx, f.op, fonds, a)
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以修改系统设置")
	before := auditCount(t, s)
	if err := s.UpdateSettings(ctx, admin, fonds, a); err != nil {
		t.Fatal(err)
	}
	if auditCount(t, s) != before+1 {
		t.Fatal("settings change not audited")
	}
	second := f.mustItem(t, f.input("合同 2"))
	if second.Code != "Z109-KH-2026-D30-XS-00002" {
		t.Fatalf("new pattern: %s", second.Code)
	}
	got, _ := s.ItemByID(ctx, admin, first.ID)
	if got.Code != "Z109-KH·2026-D30-XS-0001" {
		t.Fatalf("boxed item's code rewritten: %s", got.Code)
	}

	for _, tc := range []struct {
		name string
		mod  func(*data.Fonds, *data.ArchiveSettings)
		want string
	}{
		{"ErrPattern", func(_ *data.Fonds, a *data.ArchiveSettings) { a.CodePattern = "{全宗号}-{件号}" }, "档号格式缺少"},
		{"ErrWidth", func(_ *data.Fonds, a *data.ArchiveSettings) { a.SerialWidth = 9 }, "件号位数应为 3 到 6 位"},
		{"ErrRows", func(_ *data.Fonds, a *data.ArchiveSettings) { a.CatalogueRows = 0 }, "目录每页行数"},
		{"ErrFondsCode", func(f *data.Fonds, _ *data.ArchiveSettings) { f.Code = "Z 109" }, "全宗号应由"},
		{"ErrRuleDepts", func(f *data.Fonds, _ *data.ArchiveSettings) { f.CodingRule = "3-2" }, "与现有部门编码“01”不符"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ff, aa := fonds, a
			tc.mod(&ff, &aa)
			wantErr(t, s.UpdateSettings(ctx, admin, ff, aa), data.EINVALID, tc.want)
		})
	}

	// 机构代码.
	err = s.SetOrgCode(ctx, admin, f.other.ID, "XS")
	wantErr(t, err, data.EINVALID, "已由部门“01 销售部”使用")
	err = s.SetOrgCode(ctx, admin, f.other.ID, "财务")
	wantErr(t, err, data.EINVALID, "机构代码“财务”不正确")
	if err := s.SetOrgCode(ctx, admin, f.other.ID, "cw"); err != nil {
		t.Fatal(err)
	}
	codes, _ := s.FindOrgCodes(ctx)
	if len(codes) != 2 || codes[1].Effective() != "CW" {
		t.Fatalf("org codes %+v", codes)
	}
}
