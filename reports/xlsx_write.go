package reports

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// TemplateColumn is one column of an import template.
type TemplateColumn struct {
	Header   string
	Required bool
	Help     string
	Example  string
	Choices  []string // offered as a cell drop-down
	Date     bool
}

// Sheet names of a template.
const (
	TemplateDataSheet    = "导入数据"
	TemplateExampleSheet = "示例"
	TemplateHelpSheet    = "说明"
	templateListSheet    = "可选值"
)

// WriteTemplate writes an import template: the data sheet with the headers
// (required ones marked *), drop-downs for columns with choices and text
// format for the rest (so codes keep leading zeros); a 示例 sheet with an
// example row; a 说明 sheet explaining each column.
func WriteTemplate(w io.Writer, title string, cols []TemplateColumn) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", TemplateDataSheet); err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return err
	}
	reqHead, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center"}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text, keeps 0101 as typed
	if err != nil {
		return err
	}
	if _, err := f.NewSheet(TemplateExampleSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(TemplateHelpSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(templateListSheet); err != nil {
		return err
	}
	listCol := 0
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		h := c.Header
		style := head
		if c.Required {
			h, style = "*"+h, reqHead
		}
		for _, sh := range []string{TemplateDataSheet, TemplateExampleSheet} {
			if err := f.SetCellValue(sh, name+"1", h); err != nil {
				return err
			}
			if err := f.SetCellStyle(sh, name+"1", name+"1", style); err != nil {
				return err
			}
			if err := f.SetColWidth(sh, name, name, colWidth(h, c.Example)); err != nil {
				return err
			}
		}
		if err := f.SetCellStr(TemplateExampleSheet, name+"2", c.Example); err != nil {
			return err
		}
		if !c.Date {
			if err := f.SetColStyle(TemplateDataSheet, name, text); err != nil {
				return err
			}
		}
		if len(c.Choices) > 0 {
			listCol++
			ln, _ := excelize.ColumnNumberToName(listCol)
			if err := f.SetCellStr(templateListSheet, ln+"1", c.Header); err != nil {
				return err
			}
			for j, v := range c.Choices {
				if err := f.SetCellStr(templateListSheet, fmt.Sprintf("%s%d", ln, j+2), v); err != nil {
					return err
				}
			}
			dv := excelize.NewDataValidation(true)
			dv.Sqref = name + "2:" + name + "10000"
			dv.SetSqrefDropList(fmt.Sprintf("'%s'!$%s$2:$%s$%d", templateListSheet, ln, ln, len(c.Choices)+1))
			dv.SetError(excelize.DataValidationErrorStyleWarning, "不在可选值中", "请从下拉列表中选择："+c.Header)
			if err := f.AddDataValidation(TemplateDataSheet, dv); err != nil {
				return err
			}
		}
	}
	if err := f.SetPanes(TemplateDataSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := writeHelpSheet(f, title, cols, head); err != nil {
		return err
	}
	if err := f.SetSheetVisible(templateListSheet, false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func writeHelpSheet(f *excelize.File, title string, cols []TemplateColumn, head int) error {
	sh := TemplateHelpSheet
	rows := [][]any{
		{title + "导入模板说明"},
		{"在“" + TemplateDataSheet + "”表中从第 2 行起填写，每行一条；表头带 * 的列必须填写。列的顺序可以调整，表头文字不要改。“" +
			TemplateExampleSheet + "”表是填写示例。导入时先检查整个文件：只要有一行出错就什么都不写入，并在原文件旁生成“文件名-错误.xlsx”，标出出错的单元格和原因。"},
		{"列名", "必填", "说明", "可选值", "示例"},
	}
	for _, c := range cols {
		req := ""
		if c.Required {
			req = "是"
		}
		rows = append(rows, []any{c.Header, req, c.Help, strings.Join(c.Choices, "、"), c.Example})
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, "A3", "E3", head); err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := f.MergeCell(sh, "A2", "E2"); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A2", "E2", wrap); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, 2, 60); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 22, "B": 6, "C": 60, "D": 30, "E": 24} {
		if err := f.SetColWidth(sh, col, col, w); err != nil {
			return err
		}
	}
	return nil
}

// colWidth is a width in characters that fits the header and the example;
// a Chinese character counts double.
func colWidth(texts ...string) float64 {
	w := 8.0
	for _, t := range texts {
		n := 0.0
		for _, r := range t {
			if r > 0x2E80 {
				n += 2
			} else {
				n++
			}
		}
		if n+2 > w {
			w = n + 2
		}
	}
	if w > 50 {
		w = 50
	}
	return w
}

// ExportColumn is one column of an exported list.
type ExportColumn struct {
	Header string
	Width  float64 // characters; 0 fits the header
	Date   bool    // YYYY-MM-DD or YYYYMMDD text becomes a date cell
	Number bool    // plain numbers become number cells
}

// Export streams a list into a workbook: bold frozen header, column widths,
// text cells for codes (leading zeros kept; text that starts with = + - @
// stays text, never a formula), real date cells.
type Export struct {
	f         *excelize.File
	sw        *excelize.StreamWriter
	cols      []ExportColumn
	row       int
	dateStyle int
	buf       []any
}

// NewExport starts a workbook with one sheet named sheet.
func NewExport(sheet string, cols []ExportColumn) (*Export, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	x := &Export{f: f, cols: cols, row: 1, buf: make([]any, len(cols))}
	var err error
	if x.sw, err = f.NewStreamWriter(sheet); err != nil {
		f.Close()
		return nil, err
	}
	if x.dateStyle, err = f.NewStyle(&excelize.Style{NumFmt: 14, CustomNumFmt: ptr("yyyy-mm-dd")}); err != nil {
		f.Close()
		return nil, err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		f.Close()
		return nil, err
	}
	for i, c := range cols {
		w := c.Width
		if w == 0 {
			w = colWidth(c.Header)
		}
		if err := x.sw.SetColWidth(i+1, i+1, w); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := x.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		f.Close()
		return nil, err
	}
	hdr := make([]any, len(cols))
	for i, c := range cols {
		hdr[i] = excelize.Cell{StyleID: head, Value: c.Header}
	}
	if err := x.sw.SetRow("A1", hdr); err != nil {
		f.Close()
		return nil, err
	}
	return x, nil
}

func ptr[T any](v T) *T { return &v }

// Add writes one row; values are in column order.
func (x *Export) Add(vals ...string) error {
	x.row++
	for i := range x.cols {
		v := ""
		if i < len(vals) {
			v = vals[i]
		}
		x.buf[i] = x.cell(i, v)
	}
	axis, _ := excelize.CoordinatesToCellName(1, x.row)
	return x.sw.SetRow(axis, x.buf)
}

func (x *Export) cell(i int, v string) any {
	c := x.cols[i]
	switch {
	case v == "":
		return nil
	case c.Date:
		if t, ok := exportDate(v); ok {
			return excelize.Cell{StyleID: x.dateStyle, Value: t}
		}
	case c.Number:
		var f float64
		if _, err := fmt.Sscan(v, &f); err == nil && !strings.ContainsAny(v, "xX") {
			return f
		}
	}
	if utf8.RuneCountInString(v) > MaxCellChars {
		v = string([]rune(v)[:MaxCellChars])
	}
	return v // a string: written as text, never as a formula
}

func exportDate(v string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "20060102"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Rows is the number of data rows added so far.
func (x *Export) Rows() int { return x.row - 1 }

// WriteTo finishes the workbook and writes it to w.
func (x *Export) WriteTo(w io.Writer) (int64, error) {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return 0, err
	}
	return x.f.WriteTo(w)
}

// Close drops an export that is not written.
func (x *Export) Close() { x.f.Close() }
