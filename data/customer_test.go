package data_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"dangan/data"
)

func mustCategory(tb testing.TB, s *data.Store, actor *data.User, code, name string) *data.CustomerCategory {
	tb.Helper()
	c, err := s.CreateCustomerCategory(ctx, actor, code, name)
	if err != nil {
		tb.Fatalf("create category %s: %v", code, err)
	}
	return c
}

func mustCustomer(tb testing.TB, s *data.Store, actor *data.User, c data.Customer) *data.Customer {
	tb.Helper()
	got, err := s.CreateCustomer(ctx, actor, c)
	if err != nil {
		tb.Fatalf("create customer %s: %v", c.Name, err)
	}
	return got
}

// fixture: admin, departments 01 销售部 (with 0101 华北组) and 02 服务部,
// category 01 重点客户.
type fixture struct {
	s      *data.Store
	admin  *data.User
	sales  *data.Department
	north  *data.Department
	svc    *data.Department
	cat    *data.CustomerCategory
	seller *data.User // operator of 01
	other  *data.User // operator of 02
}

func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	s, admin := mustSetup(tb)
	f := &fixture{s: s, admin: admin}
	f.sales = mustDept(tb, s, admin, "01", "销售部")
	f.north = mustDept(tb, s, admin, "0101", "华北组")
	f.svc = mustDept(tb, s, admin, "02", "服务部")
	f.cat = mustCategory(tb, s, admin, "01", "重点客户")
	f.seller = mustUser(tb, s, admin, data.UserInput{Username: "wang", DisplayName: "王销售", DeptID: f.sales.ID,
		Role: data.RoleOperator, Password: "Sales2026x"})
	f.other = mustUser(tb, s, admin, data.UserInput{Username: "zhao", DisplayName: "赵服务", DeptID: f.svc.ID,
		Role: data.RoleOperator, Password: "Serv2026x"})
	return f
}

func (f *fixture) card(name string) data.Customer {
	return data.Customer{Name: name, CategoryID: f.cat.ID, DeptID: f.north.ID}
}

func TestCreateCustomerAssignsCodeAndMnemonic(t *testing.T) {
	f := newFixture(t)
	in := f.card("北京海淀科技有限公司")
	in.CreditCode = "91350100m000100y43" // lower case and typed loosely
	in.Contacts = []data.Contact{{Name: "张伟", Mobile: "138 0013 8000"}, {Name: "李娜", Phone: "010-62345678"}}
	in.RegCapital = "1,200.50"
	c := mustCustomer(t, f.s, f.seller, in)
	if c.Code != "010001" || c.Mnemonic != "bjhdkjyxgs" || c.Status != data.CustomerNormal {
		t.Fatalf("code %q mnemonic %q status %q", c.Code, c.Mnemonic, c.Status)
	}
	if c.CreditCode != "91350100M000100Y43" || c.RegCapital != "1200.5" || c.CreatedBy != "wang" || c.CreatedOn != "2026-05-01" {
		t.Fatalf("normalised fields: %+v", c)
	}
	if len(c.Contacts) != 2 || !c.Contacts[0].Primary || c.Contacts[1].Primary || c.Contacts[0].Mobile != "13800138000" {
		t.Fatalf("contacts: %+v", c.Contacts)
	}
	c2 := mustCustomer(t, f.s, f.admin, f.card("上海浦东贸易公司"))
	if c2.Code != "010002" {
		t.Fatalf("second code %s", c2.Code)
	}
	// A sub-category's customers get its longer code.
	sub := mustCategory(t, f.s, f.admin, "0101", "华北重点")
	in3 := f.card("天津港务集团")
	in3.CategoryID = sub.ID
	if c3 := mustCustomer(t, f.s, f.admin, in3); c3.Code != "01010001" {
		t.Fatalf("sub-category code %s", c3.Code)
	}
	// Codes are never reused, even after a delete.
	if err := f.s.DeleteCustomer(ctx, f.admin, c2.ID); err != nil {
		t.Fatal(err)
	}
	if c4 := mustCustomer(t, f.s, f.admin, f.card("广州白云物流")); c4.Code != "010003" {
		t.Fatalf("code after delete %s", c4.Code)
	}
}

func TestConcurrentSavesGetUniqueCodes(t *testing.T) {
	f := newFixture(t)
	const n = 40
	var wg sync.WaitGroup
	codes := make([]string, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := f.s.CreateCustomer(ctx, f.admin, f.card(fmt.Sprintf("并发客户%02d", i)))
			if err == nil {
				codes[i] = c.Code
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, c := range codes {
		if errs[i] != nil {
			t.Fatalf("save %d: %v", i, errs[i])
		}
		if seen[c] {
			t.Fatalf("code %s given twice", c)
		}
		seen[c] = true
	}
	for i := 1; i <= n; i++ {
		if !seen[fmt.Sprintf("01%04d", i)] {
			t.Fatalf("codes are not 010001…01%04d: %v", n, codes)
		}
	}
}

func TestCreditCodeCheck(t *testing.T) {
	valid := []string{"91350100M000100Y43", "911100001000000000"}
	valid[1] = valid[1][:17] + string(data.CreditCodeCheckChar(valid[1][:17]))
	for _, c := range append(valid, "91110000600037341L", "91440300708461136T") {
		if err := data.CheckCreditCode(c); err != nil {
			t.Errorf("%s: %v", c, err)
		}
	}
	for _, tc := range []struct{ code, want string }{
		{"91350100M000100Y44", "校验位不对"},
		{"91350100M000100Y4", "应为 18 位"},
		{"91350100M000100I43", "第 16 位“I”不是有效字符"},
		{"91350100M0001O0Y43", "不是有效字符"},
		{"91110000600037341M", "最后一位应为“L”"},
	} {
		err := data.CheckCreditCode(tc.code)
		wantErr(t, err, data.EINVALID, tc.want)
		if data.ErrorField(err) != "credit_code" {
			t.Errorf("%s: field %q", tc.code, data.ErrorField(err))
		}
	}
}

func TestNameUniqueAfterNormalisation(t *testing.T) {
	f := newFixture(t)
	mustCustomer(t, f.s, f.admin, f.card("ABC 海尔 集团"))
	for _, name := range []string{"abc海尔集团", "ＡＢＣ　海尔集团", " Abc  海尔集团 "} {
		_, err := f.s.CreateCustomer(ctx, f.admin, f.card(name))
		wantErr(t, err, data.EINVALID, "已有客户“ABC 海尔 集团”（编码 010001）")
		if data.ErrorField(err) != "name" {
			t.Fatalf("field %q", data.ErrorField(err))
		}
	}
	if got := data.NameKey("ＡＢＣ　海尔集团"); got != "abc海尔集团" {
		t.Fatalf("NameKey %q", got)
	}
	in := f.card("")
	_, err := f.s.CreateCustomer(ctx, f.admin, in)
	wantErr(t, err, data.EINVALID, "客户名称不能为空")
	// Duplicate credit codes name the holder.
	a := f.card("甲公司")
	a.CreditCode = "91350100M000100Y43"
	mustCustomer(t, f.s, f.admin, a)
	b := f.card("乙公司")
	b.CreditCode = "91350100M000100Y43"
	_, err = f.s.CreateCustomer(ctx, f.admin, b)
	wantErr(t, err, data.EINVALID, "已登记在客户“甲公司”（编码 010002）名下")
}

func TestCardFieldRules(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		set   func(c *data.Customer)
		field string
		want  string
	}{
		{func(c *data.Customer) { c.Mobile = "12345678901" }, "mobile", "不是有效的手机号"},
		{func(c *data.Customer) { c.Phone = "62345678" }, "phone", "请带区号"},
		{func(c *data.Customer) { c.Email = "a@b" }, "email", "不是有效的邮箱地址"},
		{func(c *data.Customer) { c.Postcode = "10008" }, "postcode", "邮编是 6 位数字"},
		{func(c *data.Customer) { c.RegCapital = "-5" }, "reg_capital", "注册资本（万元）不能为负数"},
		{func(c *data.Customer) { c.Employees = "3.5" }, "employees", "人员数量“3.5”应为整数"},
		{func(c *data.Customer) { c.CreditDays = "-1" }, "credit_days", "不能为负数"},
		{func(c *data.Customer) { c.FoundedOn = "2023-02-30" }, "founded_on", "不是真实的日期"},
		{func(c *data.Customer) { c.Grade = "Z" }, "grade", "客户等级“Z”不在基础资料中"},
		{func(c *data.Customer) { c.CreditCode = "123" }, "credit_code", "应为 18 位"},
		{func(c *data.Customer) {
			c.Contacts = []data.Contact{{Name: "甲", Primary: true}, {Name: "乙", Primary: true}}
		}, "contacts", "只能有一个主要联系人"},
		{func(c *data.Customer) { c.Contacts = []data.Contact{{Name: "甲", Mobile: "1381234"}} }, "contacts", "联系人“甲”的手机"},
		{func(c *data.Customer) {
			c.BankAccounts = []data.BankAccount{{Bank: "工行", AccountNo: "622200001", Primary: true},
				{Bank: "建行", AccountNo: "622700002", Primary: true}}
		}, "bank_accounts", "只能有一个主账户"},
	} {
		c := f.card("规则测试公司")
		tc.set(&c)
		_, err := f.s.CreateCustomer(ctx, f.admin, c)
		wantErr(t, err, data.EINVALID, tc.want)
		if got := data.ErrorField(err); got != tc.field {
			t.Errorf("%s: field %q, want %q", tc.want, got, tc.field)
		}
	}
	// Good values are normalised, and nothing half-written remains.
	c := f.card("规则测试公司")
	c.Phone, c.Mobile, c.Postcode, c.FoundedOn = "0532-88888888转123", "139-1234-5678", "266000", "2001年3月5日"
	got := mustCustomer(t, f.s, f.admin, c)
	if got.Mobile != "13912345678" || got.FoundedOn != "2001-03-05" || got.Code != "010001" {
		t.Fatalf("normalised: %q %q %q", got.Mobile, got.FoundedOn, got.Code)
	}
}

func TestOperatorScope(t *testing.T) {
	f := newFixture(t)
	c := mustCustomer(t, f.s, f.seller, f.card("青岛啤酒经销商"))
	// An operator of another department neither sees nor edits it.
	rows, total, err := f.s.FindCustomers(ctx, f.other, data.CustomerFilter{})
	if err != nil || total != 0 || len(rows) != 0 {
		t.Fatalf("other department sees %d (%v)", total, err)
	}
	_, err = f.s.Customer(ctx, f.other, c.ID)
	wantErr(t, err, data.EFORBIDDEN, "不在你的部门范围内")
	upd := *c
	upd.Remark = "改一改"
	_, err = f.s.UpdateCustomer(ctx, f.other, upd)
	wantErr(t, err, data.EFORBIDDEN, "不在你的部门范围内")
	wantErr(t, f.s.FreezeCustomer(ctx, f.other, c.ID, "试试"), data.EFORBIDDEN, "不在你的部门范围内")
	wantErr(t, f.s.DeleteCustomer(ctx, f.other, c.ID), data.EFORBIDDEN, "不在你的部门范围内")
	// Nor can an operator put a customer in another department.
	in := f.card("越权客户")
	in.DeptID = f.svc.ID
	_, err = f.s.CreateCustomer(ctx, f.seller, in)
	wantErr(t, err, data.EFORBIDDEN, "部门“02 服务部”不在你的范围内")
	// The seller (01) sees the customer of its sub-department 0101; the
	// admin widens zhao's scope and then zhao sees it too.
	if _, total, _ := f.s.FindCustomers(ctx, f.seller, data.CustomerFilter{}); total != 1 {
		t.Fatalf("seller sees %d", total)
	}
	if _, err := f.s.UpdateUser(ctx, f.admin, f.other.ID, data.UserUpdate{DisplayName: "赵服务", DeptID: f.svc.ID,
		Role: data.RoleOperator, ScopeAll: true}); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := f.s.FindCustomers(ctx, f.other, data.CustomerFilter{}); total != 1 {
		t.Fatalf("widened operator sees %d", total)
	}
}

func TestFreezeBlocksEditsAndRenameHistory(t *testing.T) {
	f := newFixture(t)
	c := mustCustomer(t, f.s, f.seller, f.card("海尔电器销售公司"))
	upd := *c
	upd.Name = "海尔智家销售公司"
	c2, err := f.s.UpdateCustomer(ctx, f.seller, upd)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Code != c.Code || c2.Mnemonic != "hezjxsgs" && c2.Mnemonic != c.Mnemonic {
		t.Fatalf("after rename: %+v", c2)
	}
	wantErr(t, f.s.FreezeCustomer(ctx, f.seller, c.ID, " "), data.EINVALID, "请填写冻结原因")
	if err := f.s.RequireCustomerOpen(c.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.s.FreezeCustomer(ctx, f.seller, c.ID, "欠款未结清"); err != nil {
		t.Fatal(err)
	}
	c3, _ := f.s.Customer(ctx, f.seller, c.ID)
	if c3.Status != data.CustomerFrozen || c3.FreezeReason != "欠款未结清" || !c3.ReadOnly() {
		t.Fatalf("frozen: %+v", c3)
	}
	wantErr(t, f.s.DeleteCustomer(ctx, f.seller, c.ID), data.ECONFLICT, "已冻结，只能查看，不能删除")
	upd = *c3
	upd.Remark = "试图修改"
	_, err = f.s.UpdateCustomer(ctx, f.seller, upd)
	wantErr(t, err, data.ECONFLICT, "已冻结（原因：欠款未结清），只能查看；请先解冻再修改")
	_, err = f.s.AddCommunication(ctx, f.seller, data.Communication{CustomerID: c.ID, Date: "2026-05-01", Subject: "催款"})
	wantErr(t, err, data.ECONFLICT, "已冻结")
	wantErr(t, f.s.RequireCustomerOpen(c.ID), data.EINVALID, "已冻结（原因：欠款未结清），解冻前不能新增档案或借阅")
	if err := f.s.UnfreezeCustomer(ctx, f.seller, c.ID, "款项已结清"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.UpdateCustomer(ctx, f.seller, upd); err != nil {
		t.Fatalf("edit after unfreeze: %v", err)
	}
	// Saving an unchanged card writes nothing.
	before := auditCount(t, f.s)
	same, _ := f.s.Customer(ctx, f.seller, c.ID)
	if _, err := f.s.UpdateCustomer(ctx, f.seller, *same); err != nil || auditCount(t, f.s) != before {
		t.Fatalf("unchanged save: %v, audit %d → %d", err, before, auditCount(t, f.s))
	}
	renames, changes, err := f.s.CustomerHistory(ctx, f.seller, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(renames) != 1 || renames[0].OldName != "海尔电器销售公司" || renames[0].NewName != "海尔智家销售公司" ||
		renames[0].UserName != "wang" || !renames[0].At.Equal(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("renames: %+v", renames)
	}
	if len(changes) != 2 || changes[0].Reason != "欠款未结清" || changes[1].NewStatus != data.CustomerNormal {
		t.Fatalf("status log: %+v", changes)
	}
	// Closing: then only an admin can reopen.
	if err := f.s.CloseCustomer(ctx, f.seller, c.ID, "客户已破产"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, f.s.ReopenCustomer(ctx, f.seller, c.ID, "误操作"), data.EFORBIDDEN, "只有管理员")
	if err := f.s.ReopenCustomer(ctx, f.admin, c.ID, "误操作"); err != nil {
		t.Fatal(err)
	}
}

func TestPinyinSearch(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"北京海淀科技有限公司", "重庆长安汽车配件厂", "中国工商银行青岛分行", "厦门航空服务公司",
		"3M 中国有限公司", "长沙重工机械"} {
		mustCustomer(t, f.s, f.admin, f.card(name))
	}
	for _, tc := range []struct{ q, want string }{
		{"bjhd", "北京海淀科技有限公司"},
		{"cq", "重庆长安汽车配件厂"},
		{"zq", "重庆长安汽车配件厂"},
		{"yh", "中国工商银行青岛分行"},
		{"xm", "厦门航空服务公司"},
		{"3mzg", "3M 中国有限公司"},
		{"海淀", "北京海淀科技有限公司"},
		{"汽车配件", "重庆长安汽车配件厂"},
		{"010002", "重庆长安汽车配件厂"},
		{"ＢＪＨＤ", "北京海淀科技有限公司"},
	} {
		rows, _, err := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Search: tc.q})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		found := false
		for _, r := range rows {
			names = append(names, r.Name)
			found = found || r.Name == tc.want
		}
		if !found {
			t.Errorf("search %q: got %v, want %s", tc.q, names, tc.want)
		}
		if _, total, _ := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Search: tc.q}); total != len(rows) {
			t.Errorf("search %q: total %d for %d rows", tc.q, total, len(rows))
		}
		// The same search with a filter (no count shortcut) agrees.
		if _, total, _ := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Search: tc.q, Status: data.CustomerNormal}); total != len(rows) {
			t.Errorf("search %q with status: total %d for %d rows", tc.q, total, len(rows))
		}
	}
	for name, want := range map[string]string{"重庆长安汽车配件厂": "cqcaqcpjc", "中国工商银行青岛分行": "zggsyhqdfh",
		"3M 中国有限公司": "3mzgyxgs", "厦门航空": "xmhk"} {
		if got := data.Mnemonic(name); got != want {
			t.Errorf("Mnemonic(%s) = %s, want %s", name, got, want)
		}
	}
	// The 助记码 can be edited and is searchable as typed.
	rows, _, _ := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Search: "3m"})
	c, _ := f.s.Customer(ctx, f.admin, rows[0].ID)
	c.Mnemonic = "sanm"
	if _, err := f.s.UpdateCustomer(ctx, f.admin, *c); err != nil {
		t.Fatal(err)
	}
	if rows, total, _ := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Search: "sanm"}); total != 1 || rows[0].Mnemonic != "sanm" {
		t.Fatalf("edited mnemonic not found: %d %+v", total, rows)
	}
}

func TestFilterAndSort(t *testing.T) {
	f := newFixture(t)
	sub := mustCategory(t, f.s, f.admin, "0101", "华北重点")
	mustCategory(t, f.s, f.admin, "02", "一般客户")
	for i, name := range []string{"甲公司", "乙公司", "丙公司"} {
		c := f.card(name)
		c.Grade = []string{"A", "B", "A"}[i]
		c.Region = "华北"
		if i == 2 {
			c.CategoryID = sub.ID
			c.DeptID = f.svc.ID
		}
		mustCustomer(t, f.s, f.admin, c)
	}
	count := func(fl data.CustomerFilter) int {
		_, n, err := f.s.FindCustomers(ctx, f.admin, fl)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(data.CustomerFilter{CategoryCode: "01"}); n != 3 {
		t.Fatalf("category 01 subtree: %d", n)
	}
	if n := count(data.CustomerFilter{CategoryCode: "0101"}); n != 1 {
		t.Fatalf("category 0101: %d", n)
	}
	if n := count(data.CustomerFilter{Grade: "A", DeptCode: "01"}); n != 1 {
		t.Fatalf("grade A in 01: %d", n)
	}
	if n := count(data.CustomerFilter{Region: "华北", Status: data.CustomerNormal}); n != 3 {
		t.Fatalf("region: %d", n)
	}
	rows, _, _ := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Sort: data.SortByMnemonic})
	if rows[0].Name != "丙公司" || rows[2].Name != "乙公司" {
		t.Fatalf("pinyin order: %v %v %v", rows[0].Name, rows[1].Name, rows[2].Name)
	}
	if n := count(data.CustomerFilter{Search: "公司"}); n != 3 {
		t.Fatalf("search 公司: %d", n)
	}
	rows, total, _ := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Limit: 2, Offset: 2, Desc: true})
	if total != 3 || len(rows) != 1 || rows[0].Code != "010001" {
		t.Fatalf("paging: %d %+v", total, rows)
	}
}

// TestDeleteCustomer: one without references goes after confirmation;
// one with archive items (a registered reference) is refused.
func TestDeleteCustomer(t *testing.T) {
	f := newFixture(t)
	c := mustCustomer(t, f.s, f.seller, f.card("待删除客户"))
	keep := mustCustomer(t, f.s, f.seller, f.card("有档案的客户"))
	db := rawDB(t, f.s)
	if _, err := db.Exec(`CREATE TABLE test_items (id INTEGER PRIMARY KEY, customer_id INTEGER, title TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO test_items (customer_id, title) VALUES (?, '营业执照'), (?, '购销合同')`, keep.ID, keep.ID); err != nil {
		t.Fatal(err)
	}
	data.RegisterRefForTest(t, data.EntityCustomer, "档案", `SELECT title FROM test_items WHERE customer_id = ? ORDER BY id`)
	before := auditCount(t, f.s)
	wantErr(t, f.s.DeleteCustomer(ctx, f.seller, keep.ID), data.ECONFLICT,
		"客户“010002 有档案的客户”不能删除：还有2 个档案（营业执照、购销合同）。有档案的客户只能注销。")
	if err := f.s.DeleteCustomer(ctx, f.seller, c.ID); err != nil {
		t.Fatal(err)
	}
	if auditCount(t, f.s) != before+1 {
		t.Fatal("delete not audited")
	}
	if _, err := f.s.Customer(ctx, f.admin, c.ID); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("deleted customer still there: %v", err)
	}
	if _, total, _ := f.s.FindCustomers(ctx, f.admin, data.CustomerFilter{Search: "待删除"}); total != 0 {
		t.Fatal("deleted customer still in the search index")
	}
}

func TestRemindersWithFixedClock(t *testing.T) {
	f := newFixture(t)
	// Clock: 2026-05-01 09:00 UTC. The card is made on 2025-10-01.
	a := f.card("甲贸易公司")
	a.CreatedOn = "2025-10-01"
	a.Contacts = []data.Contact{{Name: "张三", Birthday: "1980-05-03"}, {Name: "李四", Birthday: "1985-05-09"},
		{Name: "王五", Birthday: "1990-04-30"}, {Name: "赵六", Birthday: "1975-05-08"}}
	ca := mustCustomer(t, f.s, f.seller, a)
	b := f.card("乙贸易公司")
	b.CreatedOn = "2025-01-01" // never contacted, older than 180 days
	cb := mustCustomer(t, f.s, f.seller, b)
	c := f.card("丙贸易公司")
	c.CreatedOn = "2025-01-01"
	cc := mustCustomer(t, f.s, f.seller, c)
	if _, err := f.s.AddCommunication(ctx, f.seller, data.Communication{CustomerID: cc.ID, Date: "2026-04-20",
		Subject: "回访", Method: "电话", NextFollowUp: "2026-04-28"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.AddCommunication(ctx, f.seller, data.Communication{CustomerID: ca.ID, Date: "2025-10-30",
		Subject: "报价", NextFollowUp: "2026-05-01"}); err != nil {
		t.Fatal(err)
	}
	rs, err := f.s.Reminders(ctx, f.seller)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		got = append(got, r.Kind+" "+r.Code+" "+r.Date+" "+r.Detail)
	}
	want := []string{
		"birthday 010001 2026-05-03 联系人 张三 2 天后生日（5月3日）",
		"birthday 010001 2026-05-08 联系人 赵六 7 天后生日（5月8日）",
		"follow_up 010003 2026-04-28 应于 2026-04-28 跟进，已过 3 天",
		"follow_up 010001 2026-05-01 今天应跟进",
		"quiet 010002 2025-01-01 建档（2025-01-01）以来没有沟通记录，超过 180 天",
		"quiet 010001 2025-10-30 最近一次沟通在 2025-10-30，已 183 天没有沟通",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("reminders:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Another department's operator gets none of them.
	if rs, _ := f.s.Reminders(ctx, f.other); len(rs) != 0 {
		t.Fatalf("other department: %+v", rs)
	}
	_ = cb
}

func TestCommunicationsNewestFirst(t *testing.T) {
	f := newFixture(t)
	c := mustCustomer(t, f.s, f.seller, f.card("沟通测试公司"))
	for _, d := range []string{"2026-03-01", "2026-04-15", "2026-01-10"} {
		if _, err := f.s.AddCommunication(ctx, f.seller, data.Communication{CustomerID: c.ID, Date: d, Subject: "拜访 " + d,
			Method: "我方上门", Satisfaction: "满意"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := f.s.AddCommunication(ctx, f.seller, data.Communication{CustomerID: c.ID, Date: "2026-04-31", Subject: "x"})
	wantErr(t, err, data.EINVALID, "不是真实的日期")
	_, err = f.s.AddCommunication(ctx, f.seller, data.Communication{CustomerID: c.ID, Date: "2026-04-01", Subject: "x", Method: "飞鸽"})
	wantErr(t, err, data.EINVALID, "沟通方式“飞鸽”不在基础资料中")
	ms, err := f.s.FindCommunications(ctx, f.seller, c.ID)
	if err != nil || len(ms) != 3 || ms[0].Date != "2026-04-15" || ms[2].Date != "2026-01-10" {
		t.Fatalf("order: %+v %v", ms, err)
	}
	got, _ := f.s.Customer(ctx, f.seller, c.ID)
	if got.LastCommOn != "2026-04-15" {
		t.Fatalf("last comm %s", got.LastCommOn)
	}
}

func TestDictionaries(t *testing.T) {
	f := newFixture(t)
	grades, _ := f.s.FindDictionary(ctx, data.DictGrade, true)
	if len(grades) != 3 || grades[0].Name != "A" {
		t.Fatalf("seeded grades: %+v", grades)
	}
	methods, _ := f.s.DictNames(ctx, data.DictCommMethod)
	if strings.Join(methods, "/") != "客户上门/我方上门/电话/现场/线上" {
		t.Fatalf("methods %v", methods)
	}
	_, err := f.s.CreateDictEntry(ctx, f.seller, data.DictRegion, "华西")
	wantErr(t, err, data.EFORBIDDEN, "只有管理员可以维护基础资料")
	d, err := f.s.CreateDictEntry(ctx, f.admin, data.DictRegion, "华西")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.s.CreateDictEntry(ctx, f.admin, data.DictRegion, "华西")
	wantErr(t, err, data.EINVALID, "地区中已有“华西”")
	c := f.card("成都火锅连锁")
	c.Region = "华西"
	cust := mustCustomer(t, f.s, f.admin, c)
	wantErr(t, f.s.DeleteDictEntry(ctx, f.admin, d.ID), data.ECONFLICT, "地区“华西”正在使用（1 条记录：010001 成都火锅连锁），不能删除，只能停用")
	if err := f.s.SetDictEntryActive(ctx, f.admin, d.ID, false); err != nil {
		t.Fatal(err)
	}
	// A disabled entry stays on cards that have it, but is not offered anew.
	if _, err := f.s.UpdateCustomer(ctx, f.admin, *cust); err != nil {
		t.Fatalf("keeping a disabled entry: %v", err)
	}
	c2 := f.card("重庆小面")
	c2.Region = "华西"
	_, err = f.s.CreateCustomer(ctx, f.admin, c2)
	wantErr(t, err, data.EINVALID, "地区“华西”已停用")
	// Renaming follows through to the cards.
	if err := f.s.RenameDictEntry(ctx, f.admin, d.ID, "西部"); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.s.Customer(ctx, f.admin, cust.ID); got.Region != "西部" {
		t.Fatalf("region after rename %q", got.Region)
	}
	unused, _ := f.s.CreateDictEntry(ctx, f.admin, data.DictIndustry, "农业")
	if err := f.s.DeleteDictEntry(ctx, f.admin, unused.ID); err != nil {
		t.Fatal(err)
	}
}

func TestCustomerCategories(t *testing.T) {
	f := newFixture(t)
	_, err := f.s.CreateCustomerCategory(ctx, f.admin, "0201", "孤儿")
	wantErr(t, err, data.EINVALID, "上级分类“02”不存在")
	_, err = f.s.CreateCustomerCategory(ctx, f.seller, "02", "普通")
	wantErr(t, err, data.EFORBIDDEN, "只有管理员")
	mustCustomer(t, f.s, f.admin, f.card("甲"))
	wantErr(t, f.s.DeleteCustomerCategory(ctx, f.admin, f.cat.ID), data.ECONFLICT, "还有1 个客户（010001 甲）")
	if next, _ := f.s.NextCustomerCategoryCode(ctx, ""); next != "02" {
		t.Fatalf("next category code %s", next)
	}
}

func TestCustomerChangesAreAudited(t *testing.T) {
	f := newFixture(t)
	in := f.card("青岛海尔电器销售有限公司")
	in.Phone = "0532-88938888"
	c := mustCustomer(t, f.s, f.seller, in)
	upd := *c
	upd.Name, upd.Phone = "青岛海尔智家电器销售有限公司", "0532-88931234"
	upd.Contacts = []data.Contact{{Name: "刘建国", Title: "采购总监"}}
	if _, err := f.s.UpdateCustomer(ctx, f.seller, upd); err != nil {
		t.Fatal(err)
	}
	if err := f.s.FreezeCustomer(ctx, f.seller, c.ID, "资料待核实"); err != nil {
		t.Fatal(err)
	}
	entries, _, err := f.s.FindAudit(ctx, f.admin, data.AuditFilter{Entity: data.EntityCustomer})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, data.ActionLabel(e.Action)+" "+e.EntityID+" "+e.UserName+" | "+e.ChangesText())
	}
	want := []string{
		"冻结 010001 wang | 状态：正常 → 冻结；原因：（空） → 资料待核实",
		"修改 010001 wang | 客户名称：青岛海尔电器销售有限公司 → 青岛海尔智家电器销售有限公司；电话：0532-88938888 → 0532-88931234；联系人：（空） → 刘建国/采购总监（主要）",
		"新建 010001 wang | 客户名称：（空） → 青岛海尔电器销售有限公司；类型：（空） → 企业；分类：（空） → 01 重点客户；所属部门：（空） → 0101 华北组；助记码：（空） → qdhedqxsyxgs；建档日期：（空） → 2026-05-01；电话：（空） → 0532-88938888",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestContractColumnsSuffice: other modules' tests may write customers with
// only the contract columns; such rows list and open.
func TestContractColumnsSuffice(t *testing.T) {
	f := newFixture(t)
	db := rawDB(t, f.s)
	if _, err := db.Exec(`INSERT INTO customers (code, name, dept_id, status, created_at, updated_at)
		VALUES ('990001', '契约客户甲', ?, 'normal', '2026-05-01T09:00:00Z', '2026-05-01T09:00:00Z'),
		       ('990002', '契约客户乙', ?, 'frozen', '2026-05-01T09:00:00Z', '2026-05-01T09:00:00Z')`, f.north.ID, f.north.ID); err != nil {
		t.Fatal(err)
	}
	rows, total, err := f.s.FindCustomers(ctx, f.seller, data.CustomerFilter{})
	if err != nil || total != 2 || rows[1].Status != data.CustomerFrozen {
		t.Fatalf("rows %+v total %d: %v", rows, total, err)
	}
	if c, err := f.s.CustomerByCode(ctx, f.seller, "990001"); err != nil || c.Name != "契约客户甲" {
		t.Fatalf("open: %+v %v", c, err)
	}
	if err := f.s.RebuildCustomerSearch(ctx); err != nil {
		t.Fatal(err)
	}
	if _, total, _ := f.s.FindCustomers(ctx, f.seller, data.CustomerFilter{Search: "qykh"}); total != 2 {
		t.Fatalf("search after rebuild: %d", total)
	}
}

// TestSearchCountLimit: a search counts at most SearchCountLimit+1 matches,
// on every path (short scan, trigram, trigram with a scope).
func TestSearchCountLimit(t *testing.T) {
	f := newFixture(t)
	db := rawDB(t, f.s)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO customers (code, name, name_key, category_id, dept_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, '2026-05-01T09:00:00Z', '2026-05-01T09:00:00Z')`)
	if err != nil {
		t.Fatal(err)
	}
	n := data.SearchCountLimit + 5
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("测试客户%05d", i)
		if _, err := st.Exec(fmt.Sprintf("01%05d", i), name, data.NameKey(name), f.cat.ID, f.north.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := f.s.RebuildCustomerSearch(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		actor *data.User
		q     string
		want  int
	}{
		{f.admin, "", n}, {f.admin, "测试", data.SearchCountLimit + 1}, {f.admin, "测试客", data.SearchCountLimit + 1},
		{f.seller, "cs", data.SearchCountLimit + 1}, {f.seller, "cskh", data.SearchCountLimit + 1},
		{f.seller, "客户0000", 10}, {f.other, "测试客", 0},
	} {
		rows, total, err := f.s.FindCustomers(ctx, tc.actor, data.CustomerFilter{Search: tc.q})
		if err != nil || total != tc.want {
			t.Errorf("%s %q: total %d, want %d (%v)", tc.actor.Username, tc.q, total, tc.want, err)
		}
		if tc.want > 0 && (len(rows) == 0 || rows[0].Code != "0100000") {
			t.Errorf("%s %q: first row %+v", tc.actor.Username, tc.q, rows[:min(1, len(rows))])
		}
	}
}
