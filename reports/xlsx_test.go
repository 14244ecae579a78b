package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func templateBytes(t testing.TB) []byte {
	var b bytes.Buffer
	cols := []TemplateColumn{{Header: "客户名称", Required: true, Example: "甲"}, {Header: "客户类型", Choices: []string{"企业", "个人"}},
		{Header: "成立日期", Date: true, Example: "2026-05-01"}}
	if err := WriteTemplate(&b, "客户", cols); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadSheetSkipsLeadingBlankRows(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A3", &[]any{"客户名称", "客户分类编码"})
	f.SetSheetRow("Sheet1", "A4", &[]any{"甲", "01"})
	f.SetSheetRow("Sheet1", "A6", &[]any{"乙", "01"})
	var b bytes.Buffer
	f.WriteTo(&b)
	s, err := ReadSheet(&b)
	if err != nil {
		t.Fatal(err)
	}
	if s.HeaderRow != 3 || len(s.Rows) != 3 || s.Rows[0][0] != "甲" || len(s.Rows[1]) != 0 || s.Rows[2][0] != "乙" {
		t.Fatalf("%+v", s)
	}
}

func TestExportWritesTextNotFormulas(t *testing.T) {
	x, err := NewExport("表", []ExportColumn{{Header: "编码"}, {Header: "日期", Date: true}, {Header: "备注"}})
	if err != nil {
		t.Fatal(err)
	}
	x.Add("000123", "20260501", "=SUM(A1:A2)")
	x.Add("+86", "不是日期", "@x")
	var b bytes.Buffer
	if _, err := x.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("表")
	if got := strings.Join(rows[1], "|") + "/" + strings.Join(rows[2], "|"); got != "000123|2026-05-01|=SUM(A1:A2)/+86|不是日期|@x" {
		t.Fatalf("rows %q", got)
	}
	for _, c := range []string{"C2", "A3", "C3"} {
		if fm, _ := f.GetCellFormula("表", c); fm != "" {
			t.Fatalf("%s is a formula: %q", c, fm)
		}
	}
}

// FuzzReadSheet feeds any bytes to the workbook reader: an error is fine,
// a panic is not.
func FuzzReadSheet(f *testing.F) {
	f.Add(templateBytes(f))
	f.Add([]byte{})
	f.Add([]byte("客户名称,客户分类编码\n甲,01\n"))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ReadSheet(bytes.NewReader(b))
	})
}
