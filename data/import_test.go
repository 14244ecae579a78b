package data_test

import (
	"context"
	"strings"
	"testing"

	"dangan/data"
)

var custHeader = []string{"*客户名称", "*客户分类编码", "所属部门编码", "统一社会信用代码", "成立日期", "电话", "客户等级"}

func importRows(t *testing.T, s *data.Store, u *data.User, kind string, header []string, rows ...[]string) *data.ImportResult {
	t.Helper()
	res, err := s.Import(ctx, u, data.ImportInput{Kind: kind, FileName: "t.xlsx", Header: header, Rows: rows})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func customerCount(t *testing.T, s *data.Store) int {
	t.Helper()
	var n int
	if err := rawDB(t, s).QueryRow(`SELECT count(*) FROM customers`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCustomersOK(t *testing.T) {
	f := newFixture(t)
	before := auditCount(t, f.s)
	res := importRows(t, f.s, f.admin, data.ImportCustomers, custHeader,
		[]string{"北京海淀科技有限公司", "01", "0101", "91350100M000100Y43", "2020/3/1", "010-62345678", ""},
		[]string{"", "", "", "", "", "", ""},
		[]string{" 上海浦东贸易公司 ", "０１", "０１０１", "", "46143", "", ""}, // full width; Excel date serial
	)
	if res.Failed() {
		t.Fatalf("errors: %+v", res.Errors)
	}
	if res.Read != 2 || res.Created != 2 || res.Skipped != 1 {
		t.Fatalf("read %d created %d skipped %d", res.Read, res.Created, res.Skipped)
	}
	c, err := f.s.CustomerByCode(ctx, f.admin, "010002")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "上海浦东贸易公司" || c.FoundedOn != "2026-05-01" || c.Mnemonic != "shpdmygs" {
		t.Fatalf("got %q %q %q", c.Name, c.FoundedOn, c.Mnemonic)
	}
	if got := auditCount(t, f.s) - before; got != 3 { // two customers + the import
		t.Fatalf("audit rows: %d", got)
	}
	if !strings.Contains(res.Summary(), "已导入 2 条") {
		t.Fatalf("summary %q", res.Summary())
	}
}

func TestImportDateForms(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2026-05-01", "2026-05-01"}, {"2026/5/1", "2026-05-01"}, {"20260501", "2026-05-01"},
		{"2026年5月1日", "2026-05-01"}, {"２０２６－０５－０１", "2026-05-01"}, {" 2026 / 5 / 1 ", "2026-05-01"},
		{"46143", "2026-05-01"}, {"46143.5", "2026-05-01"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			f := newFixture(t)
			res := importRows(t, f.s, f.admin, data.ImportCustomers, []string{"客户名称", "客户分类编码", "所属部门编码", "成立日期"},
				[]string{"测试公司", "01", "0101", tc.in})
			if res.Failed() {
				t.Fatalf("errors: %+v", res.Errors)
			}
			c, _ := f.s.CustomerByCode(ctx, f.admin, "010001")
			if c.FoundedOn != tc.want {
				t.Fatalf("got %q", c.FoundedOn)
			}
		})
	}
}

func TestImportOneBadRowWritesNothing(t *testing.T) {
	f := newFixture(t)
	before := dumpDir(t, f.s.Dir())
	res := importRows(t, f.s, f.admin, data.ImportCustomers, custHeader,
		[]string{"甲公司", "01", "0101", "", "", "", ""},
		[]string{"乙公司", "01", "0101", "", "", "", ""},
		[]string{"丙公司", "01", "0101", "", "2026-02-30", "", ""},
	)
	if !res.Failed() || len(res.Errors) != 1 {
		t.Fatalf("errors: %+v", res.Errors)
	}
	e := res.Errors[0]
	if e.Row != 4 || e.Column != 4 || !strings.Contains(e.Message, "不是真实的日期") {
		t.Fatalf("error %+v", e)
	}
	if res.Created != 0 {
		t.Fatalf("created %d", res.Created)
	}
	if after := dumpDir(t, f.s.Dir()); after != before {
		t.Fatal("database changed by a failed import")
	}
}

func TestImportRules(t *testing.T) {
	f := newFixture(t)
	mustCustomer(t, f.s, f.admin, f.card("已有公司"))
	withCredit := f.card("已登记信用代码公司")
	withCredit.CreditCode = "91350100M000100Y43"
	mustCustomer(t, f.s, f.admin, withCredit)
	for _, tc := range []struct {
		name string
		row  []string
		col  int
		want string
	}{
		{"ErrNameRequired", []string{"", "01", "0101", "", "", "", ""}, 0, "客户名称不能为空"},
		{"ErrCategory", []string{"甲", "99", "0101", "", "", "", ""}, 1, "客户分类编码“99”不存在"},
		{"ErrDept", []string{"甲", "01", "77", "", "", "", ""}, 2, "部门编码“77”不存在"},
		{"ErrCreditCode", []string{"甲", "01", "0101", "91350100M000100Y44", "", "", ""}, 3, "统一社会信用代码"},
		{"ErrPhone", []string{"甲", "01", "0101", "", "", "abc", ""}, 5, "电话"},
		{"ErrDict", []string{"甲", "01", "0101", "", "", "", "Z"}, 6, "客户等级"},
		{"ErrDuplicateInDB", []string{"已有公司", "01", "0101", "", "", "", ""}, 0, "已被使用：已有客户“已有公司”（编码 010001）"},
		{"ErrCreditInDB", []string{"乙", "01", "0101", "91350100m000100y43", "", "", ""}, 3, "已登记在客户“已登记信用代码公司”（编码 010002）名下"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := importRows(t, f.s, f.admin, data.ImportCustomers, custHeader, tc.row)
			if len(res.Errors) != 1 {
				t.Fatalf("errors: %+v", res.Errors)
			}
			if e := res.Errors[0]; e.Column != tc.col || !strings.Contains(e.Message, tc.want) {
				t.Fatalf("want col %d %q, got %+v", tc.col, tc.want, e)
			}
		})
	}
}

func TestImportDuplicateInFile(t *testing.T) {
	f := newFixture(t)
	res := importRows(t, f.s, f.admin, data.ImportCustomers, custHeader,
		[]string{"甲公司", "01", "0101", "91350100M000100Y43", "", "", ""},
		[]string{"甲 公司", "01", "0101", "", "", "", ""},
		[]string{"乙公司", "01", "0101", "91350100M000100Y43", "", "", ""},
	)
	if len(res.Errors) != 2 || !strings.Contains(res.Errors[0].Message, "与第 2 行重复") ||
		!strings.Contains(res.Errors[1].Message, "与第 2 行重复") || res.Errors[1].Column != 3 {
		t.Fatalf("errors: %+v", res.Errors)
	}
	if n := customerCount(t, f.s); n != 0 {
		t.Fatalf("customers written: %d", n)
	}
}

func TestImportHeaders(t *testing.T) {
	f := newFixture(t)
	t.Run("AnyOrderAndExtra", func(t *testing.T) {
		res := importRows(t, f.s, f.admin, data.ImportCustomers, []string{"备用列", "所属部门编码", "客户分类编码 *", "客户名称"},
			[]string{"x", "0101", "01", "顺序公司"})
		if res.Failed() || res.Created != 1 || len(res.Extra) != 1 || res.Extra[0] != "备用列" {
			t.Fatalf("%+v", res)
		}
	})
	t.Run("ErrMissingRequired", func(t *testing.T) {
		_, err := f.s.Import(ctx, f.admin, data.ImportInput{Kind: data.ImportCustomers, Header: []string{"客户名称"}})
		wantErr(t, err, data.EINVALID, "缺少必填列：客户分类编码")
	})
	t.Run("ErrOtherTemplate", func(t *testing.T) {
		_, err := f.s.Import(ctx, f.admin, data.ImportInput{Kind: data.ImportCustomers, Header: []string{"题名", "年度"}})
		wantErr(t, err, data.EINVALID, "这是档案的导入文件，不是客户的")
		// A whole template of another kind, even one sharing a column.
		_, err = f.s.Import(ctx, f.admin, data.ImportInput{Kind: data.ImportContacts, Header: custHeader})
		wantErr(t, err, data.EINVALID, "这是客户的导入文件，不是联系人的")
		_, err = f.s.Import(ctx, f.admin, data.ImportInput{Kind: data.ImportCustomers, Header: []string{"序号", "说明"}})
		wantErr(t, err, data.EINVALID, "没有认出任何列")
	})
	t.Run("ErrKind", func(t *testing.T) {
		_, err := f.s.Import(ctx, f.admin, data.ImportInput{Kind: "loans"})
		wantErr(t, err, data.EINVALID, "不能导入")
	})
}

func TestImportOperatorScope(t *testing.T) {
	f := newFixture(t)
	res := importRows(t, f.s, f.seller, data.ImportCustomers, custHeader,
		[]string{"本部门公司", "01", "0101", "", "", "", ""},
		[]string{"外部门公司", "01", "02", "", "", "", ""},
	)
	if len(res.Errors) != 1 || res.Errors[0].Row != 3 || !strings.Contains(res.Errors[0].Message, "不在你的范围内") {
		t.Fatalf("errors: %+v", res.Errors)
	}
	if n := customerCount(t, f.s); n != 0 {
		t.Fatalf("customers written: %d", n)
	}
	_, err := f.s.Import(ctx, f.seller, data.ImportInput{Kind: data.ImportDepartments, Header: []string{"部门编码", "部门名称"}})
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以导入部门")
}

var itemHeader = []string{"类别编码", "年度", "所属部门编码", "题名", "页数", "客户编码", "日期", "密级"}

func TestImportItems(t *testing.T) {
	f := mustArchive(t)
	rawCustomer(t, f.s, "010001", "甲公司", f.sales.ID, data.CustomerNormal)
	res := importRows(t, f.s, f.op, data.ImportItems, itemHeader,
		[]string{"KH-02", "2026", "01", "购销合同", "3", "010001", "2026年4月28日", "内部"},
		[]string{"kh-02", "２０２６", "01", "补充协议", "1", "", "", ""},
	)
	if res.Failed() || res.Created != 2 {
		t.Fatalf("%+v", res)
	}
	items, err := f.s.FindItems(ctx, f.admin, data.ItemFilter{})
	if err != nil || len(items) != 2 {
		t.Fatalf("items %d %v", len(items), err)
	}
	if it := items[0]; it.Date != "20260428" || it.Customer != "010001 甲公司" || it.Group.Retention != "D30" || it.Serial != 1 {
		t.Fatalf("item %+v", it)
	}
	hits, err := f.s.FindItems(ctx, f.admin, data.ItemFilter{Text: "补充协议"})
	if err != nil || len(hits) != 1 {
		t.Fatalf("search after import: %d %v", len(hits), err)
	}
}

func TestImportItemsMissingCustomers(t *testing.T) {
	f := mustArchive(t)
	res := importRows(t, f.s, f.admin, data.ImportItems, itemHeader,
		[]string{"KH-02", "2026", "01", "甲", "3", "010009", "", ""},
		[]string{"KH-02", "2026", "01", "乙", "3", "010003", "", ""},
		[]string{"KH-02", "2026", "02", "丙", "0", "", "", "绝密"},
	)
	if len(res.Errors) != 3 || res.Errors[0].Column != 5 {
		t.Fatalf("errors: %+v", res.Errors)
	}
	if !strings.Contains(res.Missing, "010003、010009") || !strings.Contains(res.Missing, "请先导入客户") {
		t.Fatalf("missing %q", res.Missing)
	}
	if !strings.Contains(res.Summary(), "010003、010009") {
		t.Fatalf("summary %q", res.Summary())
	}
}

func TestImportOperatorItemScope(t *testing.T) {
	f := mustArchive(t)
	res := importRows(t, f.s, f.op, data.ImportItems, itemHeader,
		[]string{"KH-02", "2026", "02", "财务文件", "3", "", "", ""})
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "本部门") {
		t.Fatalf("errors: %+v", res.Errors)
	}
}

func TestImportDepartmentsAndDryRun(t *testing.T) {
	s, admin := mustSetup(t)
	in := data.ImportInput{Kind: data.ImportDepartments, Header: []string{"部门编码", "部门名称"},
		Rows: [][]string{{"01", "销售部"}, {"0101", "华北组"}, {"01", "重复"}}, DryRun: true}
	res, err := s.Import(ctx, admin, in)
	if err != nil || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Message, "与第 2 行重复") {
		t.Fatalf("%+v %v", res, err)
	}
	in.Rows = in.Rows[:2]
	if res, err = s.Import(ctx, admin, in); err != nil || res.Failed() || res.Created != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	if ds, _ := s.FindDepartments(ctx); len(ds) != 0 {
		t.Fatalf("dry run wrote %d departments", len(ds))
	}
	in.DryRun = false
	if res, err = s.Import(ctx, admin, in); err != nil || res.Failed() || res.Created != 2 {
		t.Fatalf("%+v %v", res, err)
	}
	if ds, _ := s.FindDepartments(ctx); len(ds) != 2 {
		t.Fatalf("departments %d", len(ds))
	}
}

func TestImportCancel(t *testing.T) {
	f := newFixture(t)
	c, cancel := context.WithCancel(ctx)
	cancel()
	_, err := f.s.Import(c, f.admin, data.ImportInput{Kind: data.ImportCustomers, Header: custHeader,
		Rows: [][]string{{"甲", "01", "0101"}}})
	wantErr(t, err, data.EINVALID, "已取消")
}

func TestImportContacts(t *testing.T) {
	f := newFixture(t)
	c := mustCustomer(t, f.s, f.admin, f.card("甲公司"))
	other := f.card("乙公司")
	other.DeptID = f.svc.ID
	mustCustomer(t, f.s, f.admin, other)
	header := []string{"客户编码", "姓名", "手机", "主要联系人"}
	res := importRows(t, f.s, f.seller, data.ImportContacts, header,
		[]string{"010001", "张伟", "138 0013 8000", ""},
		[]string{"010001", "李娜", "", "是"},
		[]string{"010002", "王五", "", ""},
		[]string{"010009", "赵六", "", ""},
		[]string{"010001", "孙七", "12345", ""},
	)
	if len(res.Errors) != 4 || !strings.Contains(res.Errors[0].Message, "已有主要联系人") ||
		!strings.Contains(res.Errors[1].Message, "不在你的部门范围内") || !strings.Contains(res.Errors[2].Message, "请先导入客户") ||
		!strings.Contains(res.Errors[3].Message, "手机") || res.Errors[3].Column != 2 {
		t.Fatalf("errors: %+v", res.Errors)
	}
	if !strings.Contains(res.Missing, "010009") {
		t.Fatalf("missing %q", res.Missing)
	}
	res = importRows(t, f.s, f.seller, data.ImportContacts, header,
		[]string{"010001", "张伟", "138 0013 8000", ""},
		[]string{"010001", "李娜", "", "否"},
	)
	if res.Failed() || res.Created != 2 {
		t.Fatalf("%+v", res)
	}
	got, _ := f.s.Customer(ctx, f.admin, c.ID)
	if len(got.Contacts) != 2 || !got.Contacts[0].Primary || got.Contacts[0].Mobile != "13800138000" || got.Contacts[1].Primary {
		t.Fatalf("contacts %+v", got.Contacts)
	}
}

func TestImportComms(t *testing.T) {
	f := newFixture(t)
	mustCustomer(t, f.s, f.admin, f.card("甲公司"))
	header := []string{"客户编码", "沟通日期", "沟通方式", "沟通主题", "下次跟进日期"}
	res := importRows(t, f.s, f.seller, data.ImportComms, header,
		[]string{"010001", "2026/4/1", "电话", "续签合同", "2026-03-01"},
		[]string{"010002", "2026/4/1", "", "拜访", ""},
		[]string{"010001", "2026/4/1", "飞鸽", "拜访", ""},
	)
	if len(res.Errors) != 3 || res.Errors[0].Column != 4 || res.Errors[1].Column != 0 || res.Errors[2].Column != 2 ||
		!strings.Contains(res.Missing, "010002") {
		t.Fatalf("%+v", res)
	}
	res = importRows(t, f.s, f.seller, data.ImportComms, header,
		[]string{"010001", "2026年4月1日", "电话", "续签合同", "20260501"})
	if res.Failed() || res.Created != 1 {
		t.Fatalf("%+v", res)
	}
	c, _ := f.s.CustomerByCode(ctx, f.admin, "010001")
	if c.LastCommOn != "2026-04-01" || c.NextFollowUp != "2026-05-01" {
		t.Fatalf("card dates %q %q", c.LastCommOn, c.NextFollowUp)
	}
}
