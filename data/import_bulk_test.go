package data_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"dangan/data"
)

// equivDump is a logical dump for comparing a database filled through the
// forms with one filled by an import: every row of every table and the
// schema (so a trigger set aside by the import must be back as it was).
// The global search indexes (search_tri, search_grams) are filled from
// the queue search_dirty, which is compared row by row.
// The search indexes are compared by what they hold, not by how their
// segments happen to be laid out (one transaction against many), and the
// import's own audit entry is left out, and so are the users (password
// hashes are salted; neither path touches them) and the applied
// migrations (stamped with the real time). The forms are given the
// cells as the importer reads them (full width already folded: that is
// the import's own normalisation, tested in import_test.go).
func equivDump(tb testing.TB, s *data.Store) string {
	tb.Helper()
	db := rawDB(tb, s)
	var sb strings.Builder
	q := func(query string) {
		rows, err := db.Query(query)
		if err != nil {
			tb.Fatalf("%s: %v", query, err)
		}
		fmt.Fprintf(&sb, "== %s\n", query)
		writeRows(tb, &sb, rows)
	}
	q(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`)
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT LIKE 'archive_items_fts%' AND name NOT LIKE 'customer_search%'
		AND name NOT LIKE 'search_tri%' AND name NOT LIKE 'search_grams%' AND name NOT IN ('users', 'schema_migrations') ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, t := range tables {
		w, cols := "", "*"
		switch t {
		case "audit_log": // ids after the import's entry are one apart
			w, cols = ` WHERE entity <> 'import'`, "at, user_id, user_name, entity, entity_id, action, summary, changes"
		case "archive_categories": // seeded at the real time of setup
			cols = "id, parent_id, code, name, retention, active"
		}
		q(`SELECT ` + cols + ` FROM "` + t + `"` + w + ` ORDER BY rowid`)
	}
	q(`SELECT rowid, text FROM customer_search ORDER BY rowid`)
	// What the items' index finds, for every title, code and doc_no trigram.
	q(`SELECT i.id, (SELECT group_concat(rowid) FROM archive_items_fts WHERE archive_items_fts MATCH '"' || substr(i.title, 1, 3) || '"'),
		(SELECT group_concat(rowid) FROM archive_items_fts WHERE archive_items_fts MATCH '"' || i.code || '"')
		FROM archive_items i ORDER BY i.id`)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM archive_items_fts`).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	fmt.Fprintf(&sb, "fts rows %d\n", n)
	// The index holds exactly what the table says (FTS5 integrity-check
	// with rank 1 compares an external-content index with its table).
	if _, err := db.Exec(`INSERT INTO archive_items_fts (archive_items_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		tb.Fatalf("items index integrity: %v", err)
	}
	return sb.String()
}

func formsDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\nforms:  %s\nimport: %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(la), len(lb))
}

// TestImportCustomersSameAsForms creates the same customers through the
// form (CreateCustomer) in one database and through an import in another:
// codes (with the category counter and a code taken outside it), pinyin
// and search columns, the search index, every column and the per-record
// audit entries come out the same.
func TestImportCustomersSameAsForms(t *testing.T) {
	header := []string{"客户名称", "客户分类编码", "所属部门编码", "统一社会信用代码", "成立日期", "电话", "手机", "简称",
		"地区", "负责业务员", "助记码", "客户类型", "注册资本（万元）"}
	rows := [][]string{
		{"重庆银行股份有限公司", "01", "0101", "91350100M000100Y43", "2020/3/1", "023-63792000", "", "重庆银行", "西南", "wang", "", "", "1,200.50"},
		{"北京海淀科技有限公司", "01", "01", "", "20200301", "010-62345678", "", "", "华北", "", "", "企业", ""},
		{"张伟", "01", "0101", "", "", "", "13800138000", "", "", "", "zw01", "个人", ""},
		{"厦门长城贸易商行", "01", "0101", "", "2019年5月1日", "", "", "长城商行", "华东", "", "", "", "30"},
		{"ABC full宽度公司", "01", "01", "", "", "", "", "", "", "", "", "", ""},
	}
	build := func(f *fixture) {
		mustCustomer(t, f.s, f.admin, f.card("已有客户有限公司"))
		// A code taken outside the counter (an old import): both paths skip it.
		rawCustomer(t, f.s, "010003", "旧系统客户", f.north.ID, data.CustomerNormal)
	}
	fa, fb := newFixture(t), newFixture(t)
	build(fa)
	build(fb)

	deptID := map[string]int64{"01": fa.sales.ID, "0101": fa.north.ID}
	for _, r := range rows {
		c := data.Customer{Name: r[0], CategoryID: fa.cat.ID, DeptID: deptID[r[2]], CreditCode: r[3], FoundedOn: r[4],
			Phone: r[5], Mobile: r[6], ShortName: r[7], Region: r[8], Mnemonic: r[10], RegCapital: r[12]}
		if r[9] == "wang" {
			c.SalesmanID = fa.seller.ID
		}
		c.Kind = data.CustomerEnterprise
		if r[11] == "个人" {
			c.Kind = data.CustomerIndividual
		}
		if _, err := fa.s.CreateCustomer(ctx, fa.admin, c); err != nil {
			t.Fatalf("form %s: %v", r[0], err)
		}
	}
	res := importRows(t, fb.s, fb.admin, data.ImportCustomers, header, rows...)
	if res.Failed() || res.Created != len(rows) {
		t.Fatalf("import: %+v", res)
	}
	a, b := equivDump(t, fa.s), equivDump(t, fb.s)
	if a != b {
		t.Fatalf("import differs from the forms: %s", formsDiff(a, b))
	}
	if !strings.Contains(a, `"010004"`) || !strings.Contains(a, "cqyh") {
		t.Fatalf("dump lacks the expected code or pinyin:\n%s", a)
	}
	for _, q := range []string{"cqyh", "长城", "62345678", "abc"} {
		ga, _, err := fa.s.FindCustomers(ctx, fa.admin, data.CustomerFilter{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		gb, _, err := fb.s.FindCustomers(ctx, fb.admin, data.CustomerFilter{Search: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(ga) == 0 || len(ga) != len(gb) || ga[0].Code != gb[0].Code {
			t.Fatalf("search %q: forms %d, import %d", q, len(ga), len(gb))
		}
	}
}

// TestImportItemsSameAsForms does the same for archive items: 档号 and 件号
// (continuing each group after the items already there, several groups),
// the customer link, the search index (whose per-row trigger the import
// sets aside) and the audit entries.
func TestImportItemsSameAsForms(t *testing.T) {
	header := []string{"类别编码", "年度", "保管期限", "所属部门编码", "题名", "责任者", "文号", "日期", "页数", "密级", "客户编码", "载体", "存放位置", "备注"}
	var rows [][]string
	for i := 0; i < 40; i++ {
		cat, ret, year := "KH-02", "", strconv.Itoa(2024+i%3)
		if i%4 == 0 {
			cat, ret = "KH-04", "D30"
		}
		cust := ""
		if i%5 == 0 {
			cust = "010001"
		}
		rows = append(rows, []string{cat, year, ret, "01", fmt.Sprintf("第%02d号购销合同补充协议", i), "华东机械有限公司",
			fmt.Sprintf("华机〔2026〕%d号", i), "2026-04-28", strconv.Itoa(i%7 + 1), "内部", cust, "", "一号库房", ""})
	}
	build := func(f *archiveFixture) int64 {
		id := rawCustomer(t, f.s, "010001", "甲公司", f.sales.ID, data.CustomerNormal)
		f.mustItem(t, f.input("导入前已有的档案"))
		return id
	}
	fa, fb := mustArchive(t), mustArchive(t)
	custID := build(fa)
	build(fb)
	for _, r := range rows {
		cat := fa.kh02
		if r[0] == "KH-04" {
			cat = fa.kh04
		}
		ret := r[2]
		if ret == "" {
			ret = cat.Retention
		}
		year, _ := strconv.Atoi(r[1])
		pages, _ := strconv.Atoi(r[8])
		in := data.ItemInput{CategoryID: cat.ID, Year: year, Retention: ret, DeptID: fa.sales.ID, Title: r[4],
			Author: r[5], DocNo: r[6], Date: r[7], Pages: pages, Secrecy: r[9], Location: r[12]}
		if r[10] != "" {
			in.CustomerID = custID
		}
		if _, err := fa.s.CreateItem(ctx, fa.op, in); err != nil {
			t.Fatalf("form %s: %v", r[4], err)
		}
	}
	res := importRows(t, fb.s, fb.op, data.ImportItems, header, rows...)
	if res.Failed() || res.Created != len(rows) {
		t.Fatalf("import: %+v", res)
	}
	a, b := equivDump(t, fa.s), equivDump(t, fb.s)
	if a != b {
		t.Fatalf("import differs from the forms: %s", formsDiff(a, b))
	}
	// The trigger is back: an item registered after the import is found.
	for _, f := range []*archiveFixture{fa, fb} {
		f.mustItem(t, f.input("导入之后登记的档案"))
		hits, err := f.s.FindItems(ctx, f.admin, data.ItemFilter{Text: "导入之后"})
		if err != nil || len(hits) != 1 {
			t.Fatalf("search after import: %d %v", len(hits), err)
		}
	}
	if a, b := equivDump(t, fa.s), equivDump(t, fb.s); a != b {
		t.Fatalf("forms and import differ after one more item: %s", formsDiff(a, b))
	}
}

// TestImportItemsFailureKeepsTrigger: a failed items import rolls back the
// setting aside of the search trigger with everything else.
func TestImportItemsFailureKeepsTrigger(t *testing.T) {
	f := mustArchive(t)
	before := dumpDir(t, f.s.Dir())
	res := importRows(t, f.s, f.admin, data.ImportItems, itemHeader,
		[]string{"KH-02", "2026", "01", "购销合同", "3", "", "", ""},
		[]string{"KH-02", "2026", "01", "补充协议", "0", "", "", ""})
	if !res.Failed() {
		t.Fatalf("want a failure: %+v", res)
	}
	if dumpDir(t, f.s.Dir()) != before {
		t.Fatal("a failed import changed the database")
	}
	var n int
	if err := rawDB(t, f.s).QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'archive_items_fts_insert'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("trigger: %d %v", n, err)
	}
}
