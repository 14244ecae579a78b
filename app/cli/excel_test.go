package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangan/data"
)

var adminPW = map[string]string{"DANGAN_PASSWORD": "Archive2026"}

// excelFixture is a data directory with departments 01/0101, customer
// category 01 and an operator of 02.
func excelFixture(t *testing.T) (string, *data.Store, *data.User) {
	t.Helper()
	dir := t.TempDir()
	if code, _, errs := run(t, adminPW, "", "init", "--admin", "admin", "--data-dir", dir); code != 0 {
		t.Fatal(errs)
	}
	s, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := t.Context()
	admin, _ := s.Authenticate(ctx, "admin", "Archive2026")
	for _, d := range [][2]string{{"01", "销售部"}, {"0101", "华北组"}, {"02", "服务部"}} {
		if _, err := s.CreateDepartment(ctx, admin, d[0], d[1]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateCustomerCategory(ctx, admin, "01", "重点客户"); err != nil {
		t.Fatal(err)
	}
	return dir, s, admin
}

// writeXLSX writes rows (strings, numbers or times) to a new workbook.
func writeXLSX(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func readXLSX(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetList()[0]
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestTemplateCommand(t *testing.T) {
	dir, _, _ := excelFixture(t)
	for _, kind := range data.ImportKinds() {
		path := filepath.Join(t.TempDir(), kind+".xlsx")
		if code, _, errs := run(t, nil, "", "template", kind, path, "--data-dir", dir); code != 0 {
			t.Fatalf("%s: %s", kind, errs)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(f.GetSheetList(), ","); got != "导入数据,示例,说明,可选值" {
			t.Fatalf("sheets %s", got)
		}
		head, _ := f.GetRows("导入数据")
		example, _ := f.GetRows("示例")
		help, _ := f.GetRows("说明")
		cols, _ := data.ImportColumns(kind)
		if len(head) != 1 || len(head[0]) != len(cols) || !strings.HasPrefix(head[0][0], "*") {
			t.Fatalf("%s header %v", kind, head)
		}
		if len(example) != 2 || example[1][0] == "" {
			t.Fatalf("%s example %v", kind, example)
		}
		if len(help) != 3+len(cols) || help[3][0] != cols[0].Header {
			t.Fatalf("%s help %v", kind, help)
		}
		dvs, _ := f.GetDataValidations("导入数据")
		want := 0
		for _, c := range cols {
			if len(c.Choices) > 0 || c.Dict != "" {
				want++
			}
		}
		if len(dvs) != want {
			t.Fatalf("%s: %d drop-downs, want %d", kind, len(dvs), want)
		}
		f.Close()
		// The template imports as nothing: no rows, no error.
		code, out, errs := run(t, adminPW, "", "import", kind, path, "--dry-run", "--user", "admin", "--data-dir", dir)
		if code != 0 || !strings.Contains(out, "共读取 0 行") {
			t.Fatalf("%s empty template: %d %q %q", kind, code, out, errs)
		}
	}
}

func TestImportCommandErrorWorkbook(t *testing.T) {
	dir, s, admin := excelFixture(t)
	src := filepath.Join(t.TempDir(), "客户.xlsx")
	writeXLSX(t, src, [][]any{
		{"成立日期", "所属部门编码", "*客户名称", "*客户分类编码", "多余列"},
		{time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), "0101", "北京海淀科技有限公司", "01", "x"},
		{},
		{"2020年3月1日", "０１０１", "上海浦东贸易公司", "01", ""},
		{"2020-13-01", "0101", "广州天河公司", "01", ""},
		{"", "0101", "=HYPERLINK(\"x\")", "99", ""},
	})
	code, _, errs := run(t, adminPW, "", "import", "customers", src, "--user", "admin", "--data-dir", dir)
	if code != 1 || !strings.Contains(errs, "第 5 行") || !strings.Contains(errs, "未导入任何数据") {
		t.Fatalf("import: %d %q", code, errs)
	}
	ewb := filepath.Join(filepath.Dir(src), "客户-错误.xlsx")
	if !strings.Contains(errs, ewb) {
		t.Fatalf("stderr does not name %s: %q", ewb, errs)
	}
	if rows, _, _ := s.FindCustomers(t.Context(), admin, data.CustomerFilter{}); len(rows) != 0 {
		t.Fatalf("%d customers written", len(rows))
	}
	f, err := excelize.OpenFile(ewb)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("错误")
	if len(rows) != 6 || rows[0][5] != "错误说明" || rows[3][2] != "上海浦东贸易公司" {
		t.Fatalf("error workbook rows %q", rows)
	}
	if len(rows[4]) < 6 || !strings.Contains(rows[4][5], "成立日期") {
		t.Fatalf("row 5: %q", rows[4])
	}
	if len(rows[5]) < 6 || !strings.Contains(rows[5][5], "客户分类编码“99”不存在") {
		t.Fatalf("row 6: %q", rows[5])
	}
	if formula, _ := f.GetCellFormula("错误", "C6"); formula != "" {
		t.Fatalf("cell text became a formula: %q", formula)
	}
	for cell, bad := range map[string]bool{"A5": true, "D6": true, "C5": false, "A2": false} {
		id, _ := f.GetCellStyle("错误", cell)
		st, _ := f.GetStyle(id)
		red := st != nil && len(st.Fill.Color) > 0 && st.Fill.Color[0] == "FFC7CE"
		if red != bad {
			t.Errorf("%s highlighted %v, want %v", cell, red, bad)
		}
	}

	// Fix the rows and import: the Excel date cell and full-width code pass.
	writeXLSX(t, src, [][]any{
		{"成立日期", "所属部门编码", "*客户名称", "*客户分类编码"},
		{time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), "0101", "北京海淀科技有限公司", "01"},
		{"2020年3月1日", "０１０１", "上海浦东贸易公司", "01"},
	})
	code, out, errs := run(t, adminPW, "", "import", "customers", src, "--user", "admin", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "已导入 2 条") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	c, err := s.CustomerByCode(t.Context(), admin, "010001")
	if err != nil || c.FoundedOn != "2020-03-01" {
		t.Fatalf("customer %+v %v", c, err)
	}
}

func TestImportCommandBadFiles(t *testing.T) {
	dir, _, _ := excelFixture(t)
	tmp := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(tmp, name)
		os.WriteFile(p, b, 0o600)
		return p
	}
	merged := filepath.Join(tmp, "merged.xlsx")
	{
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"客户名称", "", "客户分类编码"})
		f.MergeCell("Sheet1", "A1", "B1")
		f.SaveAs(merged)
		f.Close()
	}
	wide := filepath.Join(tmp, "wide.xlsx")
	{
		row := make([]any, 1000)
		for i := range row {
			row[i] = "x"
		}
		writeXLSX(t, wide, [][]any{{"客户名称", "客户分类编码"}, row})
	}
	big := filepath.Join(tmp, "big.xlsx")
	writeXLSX(t, big, [][]any{{"客户名称", "客户分类编码"}, {strings.Repeat("长", 40000), "01"}})
	// A 10 MB cell below a good row: the rows stream, so the good row is
	// already in the transaction when the big cell is read; it is rolled
	// back with everything else.
	huge := filepath.Join(tmp, "huge.xlsx")
	writeXLSX(t, huge, [][]any{{"客户名称", "客户分类编码"}, {"甲公司", "01"}, {"乙公司", strings.Repeat("x", 10<<20)}})
	locked := filepath.Join(tmp, "locked.xlsx")
	{
		f := excelize.NewFile()
		f.SetSheetRow("Sheet1", "A1", &[]any{"客户名称", "客户分类编码"})
		if err := f.SaveAs(locked, excelize.Options{Password: "secret"}); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	noHeader := filepath.Join(tmp, "blank.xlsx")
	writeXLSX(t, noHeader, nil)
	other := filepath.Join(tmp, "items.xlsx")
	writeXLSX(t, other, [][]any{{"类别编码", "年度", "题名"}})
	for _, tc := range []struct{ path, want string }{
		{write("a.csv.xlsx", []byte("客户名称,客户分类编码\n甲,01\n")), "不是 Excel 工作簿"},
		{write("old.xlsx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)), "不是 Excel 工作簿"},
		{write("empty.xlsx", nil), "是空的"},
		{filepath.Join(tmp, "missing.xlsx"), "无法打开"},
		{merged, "合并单元格"},
		{wide, "超过了 200 列"},
		{big, "太长"}, // excelize cuts the cell at 32,767 characters; the name rule refuses it
		{huge, "客户分类编码“XXXXXXXXXXXXXXXXXXXX…（共 32767 字）”不存在"}, // excelize keeps 32,767 characters
		{locked, "设置了密码"},
		{noHeader, "没有表头"},
		{other, "这是档案的导入文件"},
	} {
		code, _, errs := run(t, adminPW, "", "import", "customers", tc.path, "--user", "admin", "--data-dir", dir)
		if code == 0 || !strings.Contains(errs, tc.want) || len(errs) > 2000 {
			t.Errorf("%s: %d %.300q, want %q", filepath.Base(tc.path), code, errs, tc.want)
		}
	}
	if n := countCustomers(t, dir); n != 0 {
		t.Fatalf("bad files wrote %d customers", n)
	}
}

// TestExportImportRoundTrip exports customers and items, imports both into
// an empty database with the same departments and categories, and exports
// again: the workbooks match cell for cell.
func TestExportImportRoundTrip(t *testing.T) {
	dir, s, admin := excelFixture(t)
	ctx := t.Context()
	d, _ := s.DepartmentByCode(ctx, "0101")
	k, _ := s.CustomerCategoryByCode(ctx, "01")
	for _, c := range []data.Customer{
		{Name: "北京海淀科技有限公司", CategoryID: k.ID, DeptID: d.ID, CreditCode: "91350100M000100Y43",
			FoundedOn: "2020-03-01", Phone: "010-62345678", RegCapital: "1200.5", Grade: "A", Remark: "=1+1"},
		{Name: "张三", Kind: data.CustomerIndividual, CategoryID: k.ID, DeptID: d.ID, BirthDate: "1980-02-29", Mobile: "13800138000"},
	} {
		if _, err := s.CreateCustomer(ctx, admin, c); err != nil {
			t.Fatal(err)
		}
	}
	kh02, _ := s.CategoryByCode(ctx, "KH-02")
	cust, _ := s.CustomerByCode(ctx, admin, "010001")
	for i, title := range []string{"购销合同", "-补充协议", "@验收单"} {
		in := data.ItemInput{CategoryID: kh02.ID, Year: 2026, Retention: "D30", DeptID: d.ID, Title: title,
			Pages: i + 1, Date: "2026-04-2" + string(rune('1'+i)), Secrecy: "内部", CustomerID: cust.ID}
		if _, err := s.CreateItem(ctx, admin, in); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	export := func(dir, kind, name string) string {
		p := filepath.Join(out, name)
		if code, _, errs := run(t, adminPW, "", "export", kind, p, "--user", "admin", "--data-dir", dir); code != 0 {
			t.Fatalf("export %s: %s", kind, errs)
		}
		return p
	}
	c1, i1 := export(dir, "customers", "c1.xlsx"), export(dir, "items", "i1.xlsx")

	dir2, _, _ := excelFixture(t)
	for _, p := range []struct{ kind, path string }{{"customers", c1}, {"items", i1}} {
		code, o, errs := run(t, adminPW, "", "import", p.kind, p.path, "--user", "admin", "--data-dir", dir2)
		if code != 0 {
			t.Fatalf("import %s: %q %q", p.kind, o, errs)
		}
	}
	c2, i2 := export(dir2, "customers", "c2.xlsx"), export(dir2, "items", "i2.xlsx")
	for _, pair := range [][2]string{{c1, c2}, {i1, i2}} {
		a, b := readXLSX(t, pair[0], ""), readXLSX(t, pair[1], "")
		if len(a) < 3 || strings.Join(flatten(a), "|") != strings.Join(flatten(b), "|") {
			t.Fatalf("round trip differs:\n%q\n%q", a, b)
		}
	}
	// Codes stay text, dates are date cells, formula-like text stays text.
	f, _ := excelize.OpenFile(c1)
	defer f.Close()
	if v, _ := f.GetCellValue("客户", "A2"); v != "010001" {
		t.Fatalf("code cell %q", v)
	}
	if ty, _ := f.GetCellType("客户", "A2"); ty == excelize.CellTypeNumber {
		t.Fatal("code written as a number")
	}
	founded := colOf(t, a0(t, c1), "成立日期")
	shown, _ := f.GetCellValue("客户", founded+"2")
	raw, _ := f.GetCellValue("客户", founded+"2", excelize.Options{RawCellValue: true})
	if shown != "2020-03-01" || raw != "43891" {
		t.Fatalf("date cell shows %q, holds %q; want a date serial", shown, raw)
	}
	remark := colOf(t, a0(t, c1), "备注")
	if fm, _ := f.GetCellFormula("客户", remark+"2"); fm != "" {
		t.Fatalf("formula %q", fm)
	}
	if panes, _ := f.GetPanes("客户"); !panes.Freeze {
		t.Fatal("header not frozen")
	}
}

func a0(t *testing.T, path string) []string { return readXLSX(t, path, "")[0] }

func colOf(t *testing.T, header []string, h string) string {
	for i, x := range header {
		if x == h {
			n, _ := excelize.ColumnNumberToName(i + 1)
			return n
		}
	}
	t.Fatalf("no column %s in %v", h, header)
	return ""
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, "\t"))
	}
	return out
}

// TestLibreOffice converts an export to CSV with LibreOffice and compares
// the values; then imports a workbook LibreOffice made from CSV.
func TestLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) is not installed: the real-client check is skipped; CI installs libreoffice-calc")
	}
	dir, s, admin := excelFixture(t)
	ctx := t.Context()
	d, _ := s.DepartmentByCode(ctx, "0101")
	k, _ := s.CustomerCategoryByCode(ctx, "01")
	if _, err := s.CreateCustomer(ctx, admin, data.Customer{Name: "北京海淀科技有限公司", CategoryID: k.ID, DeptID: d.ID}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	x := filepath.Join(out, "c.xlsx")
	if code, _, errs := run(t, adminPW, "", "export", "customers", x, "--user", "admin", "--data-dir", dir); code != 0 {
		t.Fatal(errs)
	}
	// A private profile, so parallel runs (and a desktop LibreOffice) do
	// not clash.
	profile := "-env:UserInstallation=file://" + filepath.ToSlash(filepath.Join(out, "lo-profile"))
	cmd := exec.Command(soffice, profile, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", out, x)
	cmd.Env = append(os.Environ(), "HOME="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v %s", err, b)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "c.csv"))
	// Codes keep their leading zeros; 建档日期 is a date cell LibreOffice
	// shows as a date, not a serial number or text it has to guess at.
	if !strings.Contains(string(csv), "010001,北京海淀科技有限公司,01,0101,企业,,bjhdkjyxgs,") ||
		!regexp.MustCompile(`bjhdkjyxgs,+\d{4}-\d{2}-\d{2},`).Match(csv) {
		t.Fatalf("csv %q", csv)
	}
	// CSV → xlsx by LibreOffice, then import. The code columns are read
	// as text (column format 2), as a user keeping leading zeros does; the
	// date column as a date (format 5, YMD), so it arrives as a date cell.
	src := filepath.Join(out, "in.csv")
	os.WriteFile(src, []byte("客户名称,客户分类编码,所属部门编码,成立日期\n天津港务集团,01,0101,2020-03-01\n"), 0o600)
	cmd = exec.Command(soffice, profile, "--headless", "--infilter=CSV:44,34,76,1,1/2/2/2/3/2/4/5", "--convert-to", "xlsx", "--outdir", out, src)
	cmd.Env = append(os.Environ(), "HOME="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v %s", err, b)
	}
	code, o, errs := run(t, adminPW, "", "import", "customers", filepath.Join(out, "in.xlsx"), "--user", "admin", "--data-dir", dir)
	if code != 0 || !strings.Contains(o, "已导入 1 条") {
		t.Fatalf("import LibreOffice file: %q %q", o, errs)
	}
	c, err := s.CustomerByCode(ctx, admin, "010002")
	if err != nil || c.Name != "天津港务集团" || c.FoundedOn != "2020-03-01" {
		t.Fatalf("imported card %+v %v", c, err)
	}
}

func TestExportUsersAuditDepartments(t *testing.T) {
	dir, _, _ := excelFixture(t)
	for kind, want := range map[string]string{"users": "admin", "audit": "新建部门 0101 华北组", "departments": "0101\t华北组\t01 销售部", "boxes": "起止件号"} {
		p := filepath.Join(t.TempDir(), kind+".xlsx")
		if code, _, errs := run(t, adminPW, "", "export", kind, p, "--user", "admin", "--data-dir", dir); code != 0 {
			t.Fatalf("%s: %s", kind, errs)
		}
		if got := strings.Join(flatten(readXLSX(t, p, "")), "\n"); !strings.Contains(got, want) {
			t.Fatalf("%s: %q lacks %q", kind, got, want)
		}
	}
}

// TestExportLoans exports the 借阅 list with a state filter: dates are date
// cells, the filter applies.
func TestExportLoans(t *testing.T) {
	dir, s, admin := excelFixture(t)
	ctx := t.Context()
	cat, _ := s.CategoryByCode(ctx, "KH-02")
	d, _ := s.DepartmentByCode(ctx, "01")
	var ids []int64
	for _, title := range []string{"购销合同", "补充协议"} {
		it, err := s.CreateItem(ctx, admin, data.ItemInput{CategoryID: cat.ID, Year: 2026, Retention: "D30", DeptID: d.ID, Title: title, Pages: 2})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	l1, err := s.Lend(ctx, admin, data.LoanInput{Borrower: "张三", Unit: "审计局", Purpose: "审计", LentOn: "2026-04-01", DueOn: "2026-04-15", ItemIDs: ids[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lend(ctx, admin, data.LoanInput{Borrower: "李四", Purpose: "查阅", LentOn: "2026-04-02", ItemIDs: ids[1:]}); err != nil {
		t.Fatal(err)
	}
	if err := s.ReturnLoan(ctx, admin, l1.ID, nil); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "loans.xlsx")
	if code, o, errs := run(t, adminPW, "", "export", "loans", p, "--past", "--user", "admin", "--data-dir", dir); code != 0 || !strings.Contains(o, "已导出 1 行") {
		t.Fatalf("export loans: %q %q", o, errs)
	}
	rows := readXLSX(t, p, "")
	if len(rows) != 2 || rows[0][0] != "借阅单号" || rows[1][1] != "张三" || rows[1][2] != "审计局" {
		t.Fatalf("rows %q", rows)
	}
	f, _ := excelize.OpenFile(p)
	defer f.Close()
	lent := colOf(t, rows[0], "借出日期")
	shown, _ := f.GetCellValue("借阅", lent+"2")
	raw, _ := f.GetCellValue("借阅", lent+"2", excelize.Options{RawCellValue: true})
	if shown != "2026-04-01" || raw != "46113" {
		t.Fatalf("借出日期 shows %q, holds %q; want a date cell", shown, raw)
	}
	if code, o, _ := run(t, adminPW, "", "export", "loans", p, "--user", "admin", "--data-dir", dir); code != 0 || !strings.Contains(o, "已导出 2 行") {
		t.Fatalf("all loans: %q", o)
	}
}

func countCustomers(t *testing.T, dir string) int {
	t.Helper()
	s, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admin, err := s.Authenticate(t.Context(), "admin", "Archive2026")
	if err != nil {
		t.Fatal(err)
	}
	_, total, err := s.FindCustomers(t.Context(), admin, data.CustomerFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// TestExportFileFillError: an error from the data side (after some rows)
// is returned and no file is left behind.
func TestExportFileFillError(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.xlsx")
	boom := errors.New("boom")
	_, err := ExportFile(p, "客户", data.CustomerExportColumns(), func(add func([]string) error) error {
		row := make([]string, len(data.CustomerExportColumns()))
		for i := 0; i < 1000; i++ {
			row[0] = strconv.Itoa(i) // reused, as the data side does
			if err := add(row); err != nil {
				return err
			}
		}
		return boom
	})
	if err != boom {
		t.Fatalf("err %v", err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("file left behind: %v", err)
	}
	// Rows reused by the data side arrive as they were when added.
	n, err := ExportFile(p, "客户", data.CustomerExportColumns(), func(add func([]string) error) error {
		row := make([]string, len(data.CustomerExportColumns()))
		for i := 0; i < 600; i++ {
			row[0] = fmt.Sprintf("%06d", i)
			if err := add(row); err != nil {
				return err
			}
		}
		return nil
	})
	rows := readXLSX(t, p, "")
	if err != nil || n != 600 || len(rows) != 601 || rows[1][0] != "000000" || rows[600][0] != "000599" {
		t.Fatalf("n %d err %v rows %d", n, err, len(rows))
	}
}

// TestImportFileCancelMidStream cancels a streamed import from its
// progress callback: nothing is written and the reading goroutines end.
func TestImportFileCancelMidStream(t *testing.T) {
	_, s, admin := excelFixture(t)
	rows := [][]any{{"客户名称", "客户分类编码", "所属部门编码"}}
	for i := 0; i < 3000; i++ {
		rows = append(rows, []any{fmt.Sprintf("测试客户%04d有限公司", i), "01", "0101"})
	}
	p := filepath.Join(t.TempDir(), "c.xlsx")
	writeXLSX(t, p, rows)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	before := runtime.NumGoroutine()
	_, err := ImportFile(ctx, s, admin, data.ImportCustomers, p, false, func(done, total int) {
		if done >= 1000 {
			cancel()
		}
	})
	if err == nil || !strings.Contains(data.ErrorMessage(err), "已取消") {
		t.Fatalf("err %v", err)
	}
	if _, total, _ := s.FindCustomers(t.Context(), admin, data.CustomerFilter{}); total != 0 {
		t.Fatalf("%d customers written", total)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines: %d before, %d after", before, runtime.NumGoroutine())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
