package data_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"dangan/data"
)

// searchFixture: the customer fixture (01 销售部 ⊃ 0101 华北组, 02 服务部)
// with 机构代码 XS and FW, a few customers with contacts, and items.
type searchFixture struct {
	*fixture
	kh02     *data.Category
	bank     *data.Customer // 重庆银行股份有限公司, 华北组
	haidian  *data.Customer // 北京海淀科技有限公司, 华北组
	service  *data.Customer // 上海浦东贸易公司, 服务部
	contract *data.Item     // 年度框架采购合同, 华北组, of haidian
	memo     *data.Item     // 拜访纪要, 服务部, 备注 mentions 投诉
}

func newSearchFixture(tb testing.TB) *searchFixture {
	tb.Helper()
	f := &searchFixture{fixture: newFixture(tb)}
	for _, d := range []struct {
		id   int64
		code string
	}{{f.sales.ID, "XS"}, {f.north.ID, "HB"}, {f.svc.ID, "FW"}} {
		if err := f.s.SetOrgCode(ctx, f.admin, d.id, d.code); err != nil {
			tb.Fatal(err)
		}
	}
	var err error
	if f.kh02, err = f.s.CategoryByCode(ctx, "KH-02"); err != nil {
		tb.Fatal(err)
	}
	bank := f.card("重庆银行股份有限公司")
	bank.ShortName = "重庆银行"
	bank.Address = "重庆市渝中区民族路188号"
	bank.Contacts = []data.Contact{{Name: "欧阳娜", Mobile: "13912345678"}}
	f.bank = mustCustomer(tb, f.s, f.admin, bank)
	hd := f.card("北京海淀科技有限公司")
	hd.Phone = "010-62345678"
	hd.Contacts = []data.Contact{{Name: "张伟", Mobile: "13800138000"}}
	f.haidian = mustCustomer(tb, f.s, f.admin, hd)
	sv := f.card("上海浦东贸易公司")
	sv.DeptID = f.svc.ID
	sv.Contacts = []data.Contact{{Name: "诸葛亮", Phone: "021-55556666"}}
	f.service = mustCustomer(tb, f.s, f.admin, sv)

	f.contract = f.item(tb, f.north.ID, "年度框架采购合同", f.haidian.ID, "")
	f.item(tb, f.north.ID, "银行开户许可证", f.bank.ID, "")
	f.memo = f.item(tb, f.svc.ID, "拜访纪要", f.service.ID, "客户投诉已处理")
	return f
}

func (f *searchFixture) item(tb testing.TB, dept int64, title string, customer int64, remarks string) *data.Item {
	tb.Helper()
	it, err := f.s.CreateItem(ctx, f.admin, data.ItemInput{CategoryID: f.kh02.ID, Year: 2026,
		Retention: f.kh02.Retention, DeptID: dept, Title: title, Pages: 2, Date: "2026-04-28",
		CustomerID: customer, Remarks: remarks, DocNo: "京采〔2026〕" + fmt.Sprint(customer) + "号", Author: "采购部"})
	if err != nil {
		tb.Fatalf("create item %s: %v", title, err)
	}
	return it
}

func mustSearch(tb testing.TB, s *data.Store, u *data.User, q string) data.SearchResult {
	tb.Helper()
	r, err := s.Search(ctx, u, q, 10)
	if err != nil {
		tb.Fatalf("search %q: %v", q, err)
	}
	return r
}

// hitsText lists the hits as "kind:code|title|field" lines.
func hitsText(r data.SearchResult) []string {
	var out []string
	for _, g := range r.Groups {
		for _, h := range g.Hits {
			out = append(out, h.Kind+":"+h.Title+"|"+h.Field)
		}
	}
	return out
}

func hasHit(r data.SearchResult, kind, title, field string) bool {
	for _, l := range hitsText(r) {
		if l == kind+":"+title+"|"+field {
			return true
		}
	}
	return false
}

func TestSearchFindsEachQueryClass(t *testing.T) {
	f := newSearchFixture(t)
	cases := []struct {
		name, q, kind, title, field string
	}{
		{"1 char name", "淀", data.KindCustomer, "北京海淀科技有限公司", "客户名称"},
		{"1 char title", "框", data.KindItem, "年度框架采购合同", "题名"},
		{"2 char name", "银行", data.KindCustomer, "重庆银行股份有限公司", "客户名称"},
		{"2 char title", "采购", data.KindItem, "年度框架采购合同", "题名"},
		{"2 char address", "渝中", data.KindCustomer, "重庆银行股份有限公司", "地址"},
		{"2 char contact", "欧阳", data.KindCustomer, "重庆银行股份有限公司", "联系人"},
		{"2 char author", "购部", data.KindItem, "年度框架采购合同", "责任者"},
		{"3+ chars name", "海淀科技", data.KindCustomer, "北京海淀科技有限公司", "客户名称"},
		{"3+ chars title", "框架采购", data.KindItem, "年度框架采购合同", "题名"},
		{"3+ chars contact", "诸葛亮", data.KindCustomer, "上海浦东贸易公司", "联系人"},
		{"3+ chars remarks", "投诉已", data.KindItem, "拜访纪要", "备注"},
		{"full-width", "海淀科技", data.KindCustomer, "北京海淀科技有限公司", "客户名称"},
		{"pinyin initials", "bjhd", data.KindCustomer, "北京海淀科技有限公司", "助记码"},
		{"pinyin other reading", "zqyh", data.KindCustomer, "重庆银行股份有限公司", "拼音首字母"},
		{"pinyin 2 letters", "zq", data.KindCustomer, "重庆银行股份有限公司", "拼音首字母"},
		{"pinyin 1 letter", "z", data.KindCustomer, "重庆银行股份有限公司", "拼音首字母"},
		{"助记码 pair", "yh", data.KindCustomer, "重庆银行股份有限公司", "助记码"},
		{"customer code prefix", "0100", data.KindCustomer, "重庆银行股份有限公司", "客户编码"},
		{"item code prefix", "z109-kh", data.KindItem, "年度框架采购合同", "档号"},
		{"item code with dot", "z109-kh.2026", data.KindItem, "年度框架采购合同", "档号"},
		{"phone fragment", "6234567", data.KindCustomer, "北京海淀科技有限公司", "电话"},
		{"mobile fragment", "0013800", data.KindCustomer, "北京海淀科技有限公司", "联系人电话"},
		{"code part with dot", "KH.2026-D30", data.KindItem, "年度框架采购合同", "档号"},
		{"doc no", "京采〔", data.KindItem, "年度框架采购合同", "文号"},
		{"item by customer", "海淀科技", data.KindItem, "年度框架采购合同", "客户"},
	}
	// Full-width input is folded: "０１００" and "ＢＪＨＤ" too.
	cases = append(cases, struct{ name, q, kind, title, field string }{"full-width code", "０１００", data.KindCustomer,
		"北京海淀科技有限公司", "客户编码"})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustSearch(t, f.s, f.admin, c.q)
			if !hasHit(r, c.kind, c.title, c.field) {
				t.Fatalf("search %q: want %s %s matched by %s, got %v", c.q, c.kind, c.title, c.field, hitsText(r))
			}
		})
	}
	// Nothing found where nothing matches.
	for _, q := range []string{"飞", "飞机", "飞机场", "qqq", "9999999"} {
		if r := mustSearch(t, f.s, f.admin, q); r.Total() != 0 {
			t.Errorf("search %q found %v", q, hitsText(r))
		}
	}
	if r := mustSearch(t, f.s, f.admin, "  "); r.Total() != 0 || len(r.Groups) != 0 {
		t.Errorf("blank query found %v", hitsText(r))
	}
}

func TestSearchRanking(t *testing.T) {
	f := newSearchFixture(t)
	// 010001 is the bank's code; 0100011 does not exist, so "010001" is one
	// exact match ahead of everything else that holds the digits.
	extra := f.card("010001号仓储中心") // its name holds the bank's code
	mustCustomer(t, f.s, f.admin, extra)
	r := mustSearch(t, f.s, f.admin, "010001")
	got := hitsText(r)
	if len(got) < 2 || got[0] != "customer:重庆银行股份有限公司|客户编码" || r.Groups[0].Hits[0].Rank != data.RankExactCode {
		t.Fatalf("exact code not first: %v", got)
	}
	if !hasHit(r, data.KindCustomer, "010001号仓储中心", "客户名称") {
		t.Fatalf("name holding the code missing: %v", got)
	}
	// Code prefix before name matches: "01" is every code's prefix here.
	r = mustSearch(t, f.s, f.admin, "0100")
	for _, h := range r.Groups[0].Hits {
		if h.Field != "客户编码" && h.Rank <= data.RankCodePrefix {
			t.Fatalf("rank of %+v", h)
		}
	}
	// Name starting with the query before a name holding it, before other fields.
	f.item(t, f.north.ID, "采购订单", 0, "")
	r = mustSearch(t, f.s, f.admin, "采购")
	var items []string
	for _, g := range r.Groups {
		if g.Kind == data.KindItem {
			for _, h := range g.Hits {
				items = append(items, h.Title+"|"+h.Field)
			}
		}
	}
	want := []string{"采购订单|题名", "年度框架采购合同|题名", "拜访纪要|责任者", "银行开户许可证|责任者"} // 机构 FW before HB
	if strings.Join(items, ",") != strings.Join(want, ",") {
		t.Fatalf("item order %v, want %v", items, want)
	}
	// Groups: boxes, then customers, then items.
	r = mustSearch(t, f.s, f.admin, "银行")
	if len(r.Groups) != 2 || r.Groups[0].Label != "客户" || r.Groups[1].Label != "档案" {
		t.Fatalf("groups %+v", r.Groups)
	}
}

func TestSearchScope(t *testing.T) {
	f := newSearchFixture(t)
	// zhao (服务部) sees only the 服务部 customer and item.
	for _, q := range []string{"银", "银行", "重庆银行", "cqyh", "010001", "13912345678", "采购"} {
		r := mustSearch(t, f.s, f.other, q)
		for _, l := range hitsText(r) {
			if !strings.Contains(l, "上海浦东") && !strings.Contains(l, "拜访纪要") {
				t.Errorf("operator of 服务部 searching %q sees %s", q, l)
			}
		}
	}
	if r := mustSearch(t, f.s, f.other, "拜访"); !hasHit(r, data.KindItem, "拜访纪要", "题名") {
		t.Errorf("operator misses own item: %v", hitsText(r))
	}
	// wang (销售部 ⊃ 华北组) sees the bank but not the 服务部 customer.
	if r := mustSearch(t, f.s, f.seller, "贸易"); r.Total() != 0 {
		t.Errorf("operator of 销售部 sees %v", hitsText(r))
	}
	if r := mustSearch(t, f.s, f.seller, "银行"); !hasHit(r, data.KindCustomer, "重庆银行股份有限公司", "客户名称") {
		t.Errorf("operator misses own customer: %v", hitsText(r))
	}
	// Scans obey scope too.
	if h, err := f.s.ResolveScan(ctx, f.other, f.contract.Code); err != nil || h != nil {
		t.Errorf("operator of 服务部 resolves %s: %+v %v", f.contract.Code, h, err)
	}
}

// TestSearchIndexFollowsChanges: creating, changing and deleting records
// and contacts is reflected by the next search (the triggers queue them).
func TestSearchIndexFollowsChanges(t *testing.T) {
	f := newSearchFixture(t)
	c, err := f.s.Customer(ctx, f.admin, f.haidian.ID)
	if err != nil {
		t.Fatal(err)
	}
	c.Name = "北京中关村软件有限公司"
	c.Contacts = append(c.Contacts, data.Contact{Name: "司马光", Mobile: "13700001111"})
	if _, err := f.s.UpdateCustomer(ctx, f.admin, *c); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]bool{"中关": true, "中关村软件": true, "海淀": false, "司马": true, "00001111": true, "zgc": true} {
		r := mustSearch(t, f.s, f.admin, q)
		if got := hasHit(r, data.KindCustomer, "北京中关村软件有限公司", fieldOf(r, "北京中关村软件有限公司")); got != want {
			t.Errorf("after rename, search %q finds the customer: %v, want %v (%v)", q, got, want, hitsText(r))
		}
	}
	in := data.ItemInput{CategoryID: f.kh02.ID, Year: 2026, Retention: f.kh02.Retention, DeptID: f.north.ID,
		Title: "补充协议", Pages: 2, Date: "2026-04-28", Remarks: "原件存财务"}
	if _, err := f.s.UpdateItem(ctx, f.admin, f.contract.ID, in); err != nil {
		t.Fatal(err)
	}
	if r := mustSearch(t, f.s, f.admin, "框架"); hasHit(r, data.KindItem, "年度框架采购合同", "题名") {
		t.Errorf("old title still found: %v", hitsText(r))
	}
	if r := mustSearch(t, f.s, f.admin, "补"); !hasHit(r, data.KindItem, "补充协议", "题名") {
		t.Errorf("new title not found: %v", hitsText(r))
	}
	if r := mustSearch(t, f.s, f.admin, "财务"); !hasHit(r, data.KindItem, "补充协议", "备注") {
		t.Errorf("new remarks not found: %v", hitsText(r))
	}
	if err := f.s.DeleteItem(ctx, f.admin, f.contract.ID); err != nil {
		t.Fatal(err)
	}
	if r := mustSearch(t, f.s, f.admin, "补充"); r.Total() != 0 {
		t.Errorf("deleted item still found: %v", hitsText(r))
	}
	// A customer without items can be deleted; it is gone from search.
	extra := mustCustomer(t, f.s, f.admin, f.card("临时测试客户"))
	if r := mustSearch(t, f.s, f.admin, "临时"); r.Total() != 1 {
		t.Fatalf("new customer: %v", hitsText(r))
	}
	if err := f.s.DeleteCustomer(ctx, f.admin, extra.ID); err != nil {
		t.Fatal(err)
	}
	if r := mustSearch(t, f.s, f.admin, "临时"); r.Total() != 0 {
		t.Errorf("deleted customer still found: %v", hitsText(r))
	}
}

func fieldOf(r data.SearchResult, title string) string {
	for _, g := range r.Groups {
		for _, h := range g.Hits {
			if h.Title == title {
				return h.Field
			}
		}
	}
	return ""
}

// TestSearchRebuildDerived empties the global search indexes as a bulk
// load would leave them and checks RebuildDerived restores the results.
func TestSearchRebuildDerived(t *testing.T) {
	f := newSearchFixture(t)
	queries := []string{"渝", "欧阳", "投诉已", "淀"}
	before := map[string][]string{}
	for _, q := range queries {
		before[q] = hitsText(mustSearch(t, f.s, f.admin, q))
		if len(before[q]) == 0 {
			t.Fatalf("%q finds nothing before", q)
		}
	}
	db := rawDB(t, f.s)
	for _, q := range []string{`INSERT INTO search_tri (search_tri) VALUES ('delete-all')`,
		`INSERT INTO search_grams (search_grams) VALUES ('delete-all')`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range queries {
		if r := mustSearch(t, f.s, f.admin, q); strings.Join(hitsText(r), ",") == strings.Join(before[q], ",") {
			t.Fatalf("%q still found with the indexes emptied", q)
		}
	}
	if err := f.s.RebuildDerived(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		if got := hitsText(mustSearch(t, f.s, f.admin, q)); strings.Join(got, ",") != strings.Join(before[q], ",") {
			t.Errorf("%q after rebuild: %v, want %v", q, got, before[q])
		}
	}
}

// TestSearchLongQueue: rows queued beyond one batch (an upgraded database,
// a bulk load) are folded in the background, started by a search or by
// PrepareSearch; searches say they are partial until it is done.
func TestSearchLongQueue(t *testing.T) {
	f := newSearchFixture(t)
	db := rawDB(t, f.s)
	bulk := func(prefix, name string) {
		t.Helper()
		if _, err := db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
			INSERT INTO customers (code, name, dept_id, status, created_at, updated_at)
			SELECT printf('%s%04d', ?, i), ? || i, ?, 'normal', '2026-05-01T09:00:00Z', '2026-05-01T09:00:00Z'
			FROM n`, prefix, name, f.north.ID); err != nil {
			t.Fatal(err)
		}
	}
	complete := func(q string) data.SearchResult {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			r := mustSearch(t, f.s, f.admin, q)
			if !r.Partial {
				return r
			}
			if time.Now().After(deadline) {
				t.Fatalf("search %q still partial", q)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	bulk("98", "批量客户")
	if r := mustSearch(t, f.s, f.admin, "批量"); !r.Partial {
		t.Fatalf("search with 2,500 rows queued is not partial: %v", hitsText(r))
	}
	r := complete("批量")
	if len(r.Groups) != 1 || len(r.Groups[0].Hits) != 10 || !r.Groups[0].More {
		t.Fatalf("after the background fold: %v", hitsText(r))
	}
	bulk("97", "另一批客户")
	if err := f.s.PrepareSearch(ctx); err != nil {
		t.Fatal(err)
	}
	// The queue empties without any search asking.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM search_dirty`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d rows still queued after PrepareSearch", n)
		}
	}
	if r := mustSearch(t, f.s, f.admin, "另一批"); r.Partial || r.Total() != 10 {
		t.Fatalf("after PrepareSearch: partial %v, %v", r.Partial, hitsText(r))
	}
	// RefreshSearch folds at once.
	bulk("96", "第三批客户")
	if err := f.s.RefreshSearch(ctx); err != nil {
		t.Fatal(err)
	}
	if r := mustSearch(t, f.s, f.admin, "第三批"); r.Partial || r.Total() != 10 {
		t.Fatalf("after RefreshSearch: partial %v, %v", r.Partial, hitsText(r))
	}
}

func TestResolveScan(t *testing.T) {
	f := newSearchFixture(t)
	box, err := f.s.BoxItems(ctx, f.admin, 0, []int64{f.contract.ID}, data.BoxInput{Thickness: 30})
	if err != nil {
		t.Fatal(err)
	}
	code := box.BoxBarcode()
	if code != "Z109-KH.2026-D30-HB-0001" && !strings.HasSuffix(code, "-HB-0001") {
		t.Fatalf("box barcode %q", code)
	}
	for _, in := range []string{code, strings.ToLower(code), code + "\r", " " + code + " "} {
		h, err := f.s.ResolveScan(ctx, f.admin, in)
		if err != nil || h == nil || h.Kind != data.KindBox || h.ID != box.ID {
			t.Errorf("scan %q: %+v %v", in, h, err)
		}
	}
	for _, in := range []string{f.contract.Code, strings.ReplaceAll(f.contract.Code, "·", "."), strings.ToLower(f.contract.Code)} {
		h, err := f.s.ResolveScan(ctx, f.admin, in)
		if in == strings.ReplaceAll(f.contract.Code, "·", ".") {
			// The ASCII form is the box's barcode first when a box has that
			// code; here box 0001 and item 0001 share it.
			if err != nil || h == nil || h.Kind != data.KindBox {
				t.Errorf("scan %q: %+v %v", in, h, err)
			}
			continue
		}
		if err != nil || h == nil || h.Kind != data.KindItem || h.ID != f.contract.ID {
			t.Errorf("scan %q: %+v %v", in, h, err)
		}
	}
	memoDotted := strings.ReplaceAll(f.memo.Code, "·", ".")
	if h, err := f.s.ResolveScan(ctx, f.admin, memoDotted); err != nil || h == nil || h.ID != f.memo.ID {
		t.Errorf("scan %q (no box of that code): %+v %v", memoDotted, h, err)
	}
	for _, in := range []string{"", "Z109-KH.2026-D30-HB-0009", "无此编号", "北京 海淀"} {
		if h, err := f.s.ResolveScan(ctx, f.admin, in); err != nil || h != nil {
			t.Errorf("scan %q: %+v %v", in, h, err)
		}
	}
	r := mustSearch(t, f.s, f.admin, code)
	if r.Scan == nil || r.Scan.Kind != data.KindBox || len(r.Groups) == 0 || r.Groups[0].Label != "盒" {
		t.Fatalf("search of a box barcode: %+v", r)
	}
}
