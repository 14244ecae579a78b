package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"dangan/data"
)

func writeWorkbook(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("Sheet1", cell, &r)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestImportDialogFromCustomerList(t *testing.T) {
	ctx := context.Background()
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	if _, err := u.store.CreateCustomerCategory(ctx, u.user, "01", "重点客户"); err != nil {
		t.Fatal(err)
	}
	if _, err := u.store.CreateDepartment(ctx, u.user, "01", "销售部"); err != nil {
		t.Fatal(err)
	}
	selectTab(t, u, "客户档案")
	test.Tap(findButton(u.win, "导入"))
	wantShown(t, u.win, "导入客户", "选择文件…", "下载模板…", "开始导入")

	dir := t.TempDir()
	src := filepath.Join(dir, "客户.xlsx")
	writeWorkbook(t, src, [][]any{
		{"*客户名称", "*客户分类编码", "所属部门编码", "成立日期"},
		{"北京海淀科技有限公司", "01", "01", "2020-03-01"},
		{"上海浦东贸易公司", "01", "01", "2020-02-30"},
	})
	d := u.imp
	d.setFile(src)
	test.Tap(d.start)
	<-d.result
	waitFor(t, "the import result", func() bool { return strings.Contains(d.status.Text, "未导入任何数据") })
	wantShown(t, u.win, "共读取 2 行，其中 1 行有错误", "客户-错误.xlsx", "打开错误说明")
	if _, err := os.Stat(filepath.Join(dir, "客户-错误.xlsx")); err != nil {
		t.Fatal(err)
	}
	if rows, _, _ := u.store.FindCustomers(ctx, u.user, data.CustomerFilter{}); len(rows) != 0 {
		t.Fatalf("%d customers written", len(rows))
	}

	// Fixed: the import goes through and the list reloads.
	writeWorkbook(t, src, [][]any{
		{"*客户名称", "*客户分类编码", "所属部门编码", "成立日期"},
		{"北京海淀科技有限公司", "01", "01", "2020-03-01"},
		{"上海浦东贸易公司", "01", "01", "2020-02-28"},
	})
	d.setFile(src)
	test.Tap(d.start)
	<-d.result
	waitFor(t, "the import result", func() bool { return strings.Contains(d.status.Text, "已导入 2 条") })
	if d.open.Visible() {
		t.Fatal("打开错误说明 shown after a clean import")
	}
	if ct := u.main.customers; ct.total != 2 {
		t.Fatalf("customer list shows %d", ct.total)
	}

	// The template button writes a template the dialog can read back.
	tmpl := filepath.Join(dir, "模板.xlsx")
	if err := d.writeTemplate(tmpl); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("导入数据", "A1"); v != "*客户名称" {
		t.Fatalf("template A1 %q", v)
	}
}
