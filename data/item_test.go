package data_test

import (
	"fmt"
	"sync"
	"testing"

	"dangan/data"
)

// archiveFixture is a set-up store with a sales department (机构代码 XS),
// an operator in it and the seeded categories.
type archiveFixture struct {
	s     *data.Store
	admin *data.User
	op    *data.User
	sales *data.Department
	other *data.Department
	kh02  *data.Category // KH-02 合同协议, D30
	kh04  *data.Category // KH-04 沟通与拜访记录, D10
}

func mustArchive(tb testing.TB) *archiveFixture {
	tb.Helper()
	s, admin := mustSetup(tb)
	f := &archiveFixture{s: s, admin: admin}
	f.sales = mustDept(tb, s, admin, "01", "销售部")
	f.other = mustDept(tb, s, admin, "02", "财务部")
	if err := s.SetOrgCode(ctx, admin, f.sales.ID, "xs"); err != nil {
		tb.Fatal(err)
	}
	f.op = mustUser(tb, s, admin, data.UserInput{Username: "li", DeptID: f.sales.ID, Role: data.RoleOperator, Password: "Oper12345"})
	var err error
	if f.kh02, err = s.CategoryByCode(ctx, "KH-02"); err != nil {
		tb.Fatal(err)
	}
	if f.kh04, err = s.CategoryByCode(ctx, "kh-04"); err != nil {
		tb.Fatal(err)
	}
	return f
}

func (f *archiveFixture) input(title string) data.ItemInput {
	return data.ItemInput{CategoryID: f.kh02.ID, Year: 2026, Retention: f.kh02.Retention, DeptID: f.sales.ID,
		Title: title, Pages: 3, Date: "2026-04-28"}
}

func (f *archiveFixture) mustItem(tb testing.TB, in data.ItemInput) *data.Item {
	tb.Helper()
	it, err := f.s.CreateItem(ctx, f.admin, in)
	if err != nil {
		tb.Fatalf("create item %s: %v", in.Title, err)
	}
	return it
}

// rawCustomer inserts a customer through the contract columns of the
// customers table (the customer API is another package's work).
func rawCustomer(tb testing.TB, s *data.Store, code, name string, deptID int64, status string) int64 {
	tb.Helper()
	db := rawDB(tb, s)
	res, err := db.Exec(`INSERT INTO customers (code, name, dept_id, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, '2026-05-01T09:00:00Z', '2026-05-01T09:00:00Z')`, code, name, deptID, status)
	if err != nil {
		tb.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}

func TestSeededCategories(t *testing.T) {
	s, _ := mustSetup(t)
	cats, err := s.FindCategories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cats {
		got = append(got, c.FullCode()+":"+c.Retention)
	}
	want := "KH: KH-01:D30 KH-02:D30 KH-03:D30 KH-04:D10 KH-05:D10 KH-06:D30 KJ: KJ-01:D30 KJ-02:D30 KJ-03:Y KJ-04:D10"
	if j := join(got); len(j) < len(want) || j[:len(want)] != want {
		t.Fatalf("seeded categories:\n%s", j)
	}
}

func TestCreateItemAssignsCode(t *testing.T) {
	f := mustArchive(t)
	a := f.mustItem(t, f.input("年度购销合同"))
	if a.Code != "Z109-KH·2026-D30-XS-0001" || a.Serial != 1 {
		t.Fatalf("first code %s", a.Code)
	}
	b, err := f.s.CreateItem(ctx, f.op, f.input("补充协议"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Code != "Z109-KH·2026-D30-XS-0002" {
		t.Fatalf("second code %s", b.Code)
	}
	// Another retention is another group: it starts at 0001.
	in := f.input("拜访记录")
	in.CategoryID, in.Retention = f.kh04.ID, "D10"
	c := f.mustItem(t, in)
	if c.Code != "Z109-KH·2026-D10-XS-0001" {
		t.Fatalf("D10 code %s", c.Code)
	}
	// A department without 机构代码 uses its department code.
	in = f.input("财务往来")
	in.DeptID = f.other.ID
	if d := f.mustItem(t, in); d.Code != "Z109-KH·2026-D30-02-0001" {
		t.Fatalf("dept code fallback %s", d.Code)
	}
	if a.Date != "20260428" || a.Secrecy != "公开" || a.Carrier != "纸质" || a.Status != data.StatusIn {
		t.Fatalf("defaults: %+v", a)
	}
}

func TestCreateItemBadInput(t *testing.T) {
	f := mustArchive(t)
	frozen := rawCustomer(t, f.s, "010001", "上海华联商贸有限公司", f.sales.ID, data.CustomerFrozen)
	closed := rawCustomer(t, f.s, "010002", "苏州恒达", f.sales.ID, data.CustomerClosed)
	for _, tc := range []struct {
		name string
		mod  func(*data.ItemInput)
		want string
	}{
		{"ErrYearLow", func(in *data.ItemInput) { in.Year = 1899 }, "年度“1899”不正确"},
		{"ErrYearHigh", func(in *data.ItemInput) { in.Year = 2101 }, "1900 到 2100"},
		{"ErrTitle", func(in *data.ItemInput) { in.Title = "  " }, "题名不能为空"},
		{"ErrPages", func(in *data.ItemInput) { in.Pages = 0 }, "页数“0”不正确：应为正整数"},
		{"ErrDate", func(in *data.ItemInput) { in.Date = "2026-02-30" }, "日期“2026-02-30”不是真实的日期"},
		{"ErrDateForm", func(in *data.ItemInput) { in.Date = "下周" }, "日期“下周”不是日期"},
		{"ErrRetention", func(in *data.ItemInput) { in.Retention = "X" }, "保管期限“X”不正确"},
		{"ErrSecrecy", func(in *data.ItemInput) { in.Secrecy = "绝密" }, "密级“绝密”不正确"},
		{"ErrNoCategory", func(in *data.ItemInput) { in.CategoryID = 0 }, "请选择档案类别"},
		{"ErrClassNotCategory", func(in *data.ItemInput) { in.CategoryID = f.kh02.ParentID }, "请选择门类“KH 客户档案”下的具体类别"},
		{"ErrNoDept", func(in *data.ItemInput) { in.DeptID = 0 }, "请选择所属部门"},
		{"ErrFrozenCustomer", func(in *data.ItemInput) { in.CustomerID = frozen }, "客户“010001 上海华联商贸有限公司”已冻结（原因：未填写），解冻前不能新增档案或借阅"},
		{"ErrClosedCustomer", func(in *data.ItemInput) { in.CustomerID = closed }, "客户“010002 苏州恒达”已注销，不能新增档案或借阅"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := auditCount(t, f.s)
			in := f.input("合同")
			tc.mod(&in)
			_, err := f.s.CreateItem(ctx, f.admin, in)
			wantErr(t, err, data.EINVALID, tc.want)
			if auditCount(t, f.s) != before {
				t.Fatal("refused create wrote an audit row")
			}
		})
	}
	if n, _ := f.s.CountItems(ctx, f.admin, data.ItemFilter{}); n != 0 {
		t.Fatalf("%d items after refused creates", n)
	}
	// The year and pages parsers give the same messages for typed text.
	if _, err := data.ParseYear("二〇二六"); err == nil {
		t.Fatal("ParseYear took Chinese numerals")
	}
	_, err := data.ParsePages("-2")
	wantErr(t, err, data.EINVALID, "页数“-2”不正确")
	if n, err := data.ParsePages("１２"); err != nil || n != 12 {
		t.Fatalf("full-width pages: %d %v", n, err)
	}
}

func TestItemOperatorScope(t *testing.T) {
	f := mustArchive(t)
	in := f.input("财务部的合同")
	in.DeptID = f.other.ID
	_, err := f.s.CreateItem(ctx, f.op, in)
	wantErr(t, err, data.EFORBIDDEN, "只能登记和修改本部门")
	theirs := f.mustItem(t, in)
	mine, err := f.s.CreateItem(ctx, f.op, f.input("销售合同"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.UpdateItem(ctx, f.op, theirs.ID, in)
	wantErr(t, err, data.EFORBIDDEN, "不属于您的部门")
	items, err := f.s.FindItems(ctx, f.op, data.ItemFilter{})
	if err != nil || len(items) != 1 || items[0].ID != mine.ID {
		t.Fatalf("operator sees %d items, %v", len(items), err)
	}
	if n, _ := f.s.CountItems(ctx, f.admin, data.ItemFilter{}); n != 2 {
		t.Fatalf("admin counts %d", n)
	}
}

func TestConcurrentRegistrationNeverDuplicates(t *testing.T) {
	f := mustArchive(t)
	const workers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			actor := f.admin
			if w%2 == 1 {
				actor = f.op
			}
			for i := 0; i < each; i++ {
				_, err := f.s.CreateItem(ctx, actor, f.input(fmt.Sprintf("合同 %d-%d", w, i)))
				if err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	items, err := f.s.FindItems(ctx, f.admin, data.ItemFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != workers*each {
		t.Fatalf("%d items", len(items))
	}
	for i, it := range items {
		if it.Serial != i+1 {
			t.Fatalf("item %d has 件号 %d: duplicates or gaps", i, it.Serial)
		}
	}
}

func TestUpdateItem(t *testing.T) {
	f := mustArchive(t)
	a := f.mustItem(t, f.input("合同甲"))
	b := f.mustItem(t, f.input("合同乙"))
	// Changing 保管期限 regroups an unboxed item: next 件号 of the new group.
	in := f.input("合同乙（修订）")
	in.Retention = "D10"
	b2, err := f.s.UpdateItem(ctx, f.admin, b.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if b2.Code != "Z109-KH·2026-D10-XS-0001" || b2.Title != "合同乙（修订）" {
		t.Fatalf("regrouped %s %s", b2.Code, b2.Title)
	}
	// Boxed: the 档号 is fixed.
	if _, err := f.s.BoxItems(ctx, f.admin, 0, []int64{a.ID}, data.BoxInput{Thickness: 30}); err != nil {
		t.Fatal(err)
	}
	in = f.input("合同甲")
	in.Year = 2025
	before := auditCount(t, f.s)
	_, err = f.s.UpdateItem(ctx, f.admin, a.ID, in)
	wantErr(t, err, data.EINVALID, "档号“Z109-KH·2026-D30-XS-0001”已固定")
	if auditCount(t, f.s) != before {
		t.Fatal("refused update audited")
	}
	// Other fields of a boxed item can still change.
	in = f.input("合同甲（正本）")
	in.Pages = 12
	a2, err := f.s.UpdateItem(ctx, f.admin, a.ID, in)
	if err != nil || a2.Pages != 12 || a2.Code != a.Code {
		t.Fatalf("edit boxed item: %v %+v", err, a2)
	}
}

func TestRenumberClosesGapsAmongUnboxed(t *testing.T) {
	f := mustArchive(t)
	var items []*data.Item
	for i := 1; i <= 6; i++ {
		items = append(items, f.mustItem(t, f.input(fmt.Sprintf("合同 %d", i))))
	}
	// Box 0002; delete 0001 and 0004: gaps at 1 and 4.
	if _, err := f.s.BoxItems(ctx, f.admin, 0, []int64{items[1].ID}, data.BoxInput{Thickness: 20}); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 3} {
		if err := f.s.DeleteItem(ctx, f.admin, items[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	err := f.s.DeleteItem(ctx, f.admin, items[1].ID)
	wantErr(t, err, data.ECONFLICT, "已装盒或已打印")

	n, err := f.s.Renumber(ctx, f.admin, items[0].Group)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("renumbered %d, want 3", n)
	}
	got, _ := f.s.FindItems(ctx, f.admin, data.ItemFilter{})
	var titles []string
	for _, it := range got {
		titles = append(titles, fmt.Sprintf("%04d:%s", it.Serial, it.Title))
	}
	// The boxed 0002 keeps its number; 3, 5, 6 take 1, 3, 4.
	if j := join(titles); j != "0001:合同 3 0002:合同 2 0003:合同 5 0004:合同 6" {
		t.Fatalf("after renumber: %s", j)
	}
	if got[0].Code != "Z109-KH·2026-D30-XS-0001" {
		t.Fatalf("code not rewritten: %s", got[0].Code)
	}
	// A new item continues after the highest.
	if it := f.mustItem(t, f.input("新合同")); it.Serial != 5 {
		t.Fatalf("next serial %d", it.Serial)
	}
}

func TestCustomerWithItemsCannotBeDeleted(t *testing.T) {
	f := mustArchive(t)
	cid := rawCustomer(t, f.s, "010001", "上海华联商贸有限公司", f.sales.ID, data.CustomerNormal)
	id, name, err := f.s.CustomerChoice(ctx, f.op, "010001")
	if err != nil || id != cid || name != "上海华联商贸有限公司" {
		t.Fatalf("customer choice: %d %s %v", id, name, err)
	}
	in := f.input("购销合同")
	in.CustomerID = cid
	it := f.mustItem(t, in)
	if it.Customer != "010001 上海华联商贸有限公司" {
		t.Fatalf("customer shown as %q", it.Customer)
	}
	got, _ := f.s.FindItems(ctx, f.admin, data.ItemFilter{Customer: "华联"})
	if len(got) != 1 {
		t.Fatalf("customer filter found %d", len(got))
	}
	// An operator cannot link a customer of another department.
	theirs := rawCustomer(t, f.s, "020001", "无锡远景物流", f.other.ID, data.CustomerNormal)
	in = f.input("物流合同")
	in.CustomerID = theirs
	_, err = f.s.CreateItem(ctx, f.op, in)
	wantErr(t, err, data.EINVALID, "客户“020001 无锡远景物流”不属于您的部门")
	_, _, err = f.s.CustomerChoice(ctx, f.op, "020001")
	wantErr(t, err, data.EINVALID, "不在您的部门范围内")
	// The department with items cannot be deleted either.
	err = f.s.DeleteDepartment(ctx, f.admin, f.sales.ID)
	wantErr(t, err, data.ECONFLICT, "1 个档案（Z109-KH·2026-D30-XS-0001）")
}

func TestFindItemsFilters(t *testing.T) {
	f := mustArchive(t)
	for _, y := range []int{2026, 2025, 2026} {
		in := f.input(fmt.Sprintf("%d 年合同", y))
		in.Year = y
		f.mustItem(t, in)
	}
	in := f.input("保密协议 100%")
	in.Secrecy = "秘密"
	in.CategoryID, in.Retention = f.kh04.ID, "D10"
	f.mustItem(t, in)
	for _, tc := range []struct {
		name string
		f    data.ItemFilter
		want int
	}{
		{"All", data.ItemFilter{}, 4},
		{"Year", data.ItemFilter{Year: 2026}, 3},
		{"Category", data.ItemFilter{CategoryID: f.kh02.ID}, 3},
		{"Class", data.ItemFilter{ClassID: f.kh02.ParentID}, 4},
		{"Retention", data.ItemFilter{Retention: "D10"}, 1},
		{"Secrecy", data.ItemFilter{Secrecy: "秘密"}, 1},
		{"Status", data.ItemFilter{Status: data.StatusLent}, 0},
		{"Text", data.ItemFilter{Text: "保密"}, 1},
		{"TextPercentIsLiteral", data.ItemFilter{Text: "0%"}, 1},
		{"TextCode", data.ItemFilter{Text: "2025-D30"}, 1},
		{"TextTrigram", data.ItemFilter{Text: "年合同"}, 3},
		{"TextTrigramQuote", data.ItemFilter{Text: `协议 "1`}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := f.s.CountItems(ctx, f.admin, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			items, err := f.s.FindItems(ctx, f.admin, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if n != tc.want || len(items) != tc.want {
				t.Fatalf("count %d, page %d, want %d", n, len(items), tc.want)
			}
		})
	}
	items, _ := f.s.FindItems(ctx, f.admin, data.ItemFilter{CategoryID: f.kh02.ID})
	if items[0].Group.Year != 2025 {
		t.Fatalf("2025 not first: %s", items[0].Code)
	}
	// The search index follows edits and deletes.
	in = f.input("年度框架协议")
	in.Year = 2025
	if _, err := f.s.UpdateItem(ctx, f.admin, items[0].ID, in); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.s.CountItems(ctx, f.admin, data.ItemFilter{Text: "框架协"}); n != 1 {
		t.Fatalf("edited title found %d times", n)
	}
	if n, _ := f.s.CountItems(ctx, f.admin, data.ItemFilter{Text: "年合同"}); n != 2 {
		t.Fatalf("old title found %d times", n)
	}
	if err := f.s.DeleteItem(ctx, f.admin, items[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := f.s.CountItems(ctx, f.admin, data.ItemFilter{Text: "框架协"}); n != 0 {
		t.Fatalf("deleted item still found")
	}
}

func TestKeysetPagingMatchesOffset(t *testing.T) {
	f := mustArchive(t)
	for i := 0; i < 25; i++ {
		in := f.input(fmt.Sprintf("合同 %d", i))
		in.Year = 2020 + i%3
		f.mustItem(t, in)
	}
	all, _ := f.s.FindItems(ctx, f.admin, data.ItemFilter{Limit: 100})
	var paged []data.Item
	var after *data.Item
	for {
		page, err := f.s.FindItems(ctx, f.admin, data.ItemFilter{After: after, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, page...)
		if len(page) < 7 {
			break
		}
		after = &page[len(page)-1]
	}
	if len(paged) != len(all) {
		t.Fatalf("keyset pages %d items, offset %d", len(paged), len(all))
	}
	for i := range all {
		if paged[i].ID != all[i].ID {
			t.Fatalf("row %d: keyset %s, offset %s", i, paged[i].Code, all[i].Code)
		}
	}
	if n, _ := f.s.CountItems(ctx, f.admin, data.ItemFilter{After: &all[3]}); n != 25 {
		t.Fatalf("count with a cursor %d", n)
	}
}
