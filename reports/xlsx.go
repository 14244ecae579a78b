package reports

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits on what ReadSheet accepts, so a hostile file gives a message, not
// a stall.
const (
	MaxSheetColumns = 200
	MaxCellChars    = 32767 // Excel's own limit
)

// Sheet is the first worksheet of a workbook as text: the header row and
// the data rows below it. Date cells read as their Excel serial numbers
// (RawCellValue), so the importer converts them without guessing formats.
type Sheet struct {
	Name      string
	HeaderRow int // sheet row number of Header (1-based)
	Header    []string
	Rows      [][]string // Rows[i] is sheet row HeaderRow+1+i
}

// readErr turns what excelize says about a file that is not a workbook into
// a message for the user.
func readErr(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat) || strings.Contains(msg, "zip"):
		return fmt.Errorf("无法读取：文件不是 Excel 工作簿（.xlsx）。如果是 .xls、.csv 或设置了密码的文件，请先在 Excel 或 WPS 中去掉密码并另存为 .xlsx")
	case strings.Contains(msg, "password") || strings.Contains(msg, "encrypt"):
		return fmt.Errorf("无法读取：工作簿设置了密码。请在 Excel 或 WPS 中去掉密码后再导入")
	}
	return fmt.Errorf("无法读取工作簿：%v", err)
}

// ReadSheet reads the whole first worksheet of the .xlsx in r into memory
// (OpenSheet streams it). The first non-blank row is the header. Errors
// are written for the user.
func ReadSheet(r io.Reader) (*Sheet, error) {
	sr, err := OpenSheet(r)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	s := &Sheet{Name: sr.Name, HeaderRow: sr.HeaderRow, Header: sr.Header}
	for {
		n, cols, ok := sr.Next()
		if !ok {
			break
		}
		for len(s.Rows) < n-s.HeaderRow-1 { // rows Rows() skipped
			s.Rows = append(s.Rows, nil)
		}
		s.Rows = append(s.Rows, cols)
	}
	if err := sr.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func checkRow(n int, cols []string) error {
	last := len(cols)
	for last > 0 && cols[last-1] == "" {
		last--
	}
	if last > MaxSheetColumns {
		return fmt.Errorf("第 %d 行有 %d 列，超过了 %d 列的上限：请只保留模板中的列", n, last, MaxSheetColumns)
	}
	for i, c := range cols {
		if len(c) > MaxCellChars && utf8.RuneCountInString(c) > MaxCellChars {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return fmt.Errorf("单元格 %s%d 的内容太长（%d 个字，最多 %d）", name, n, utf8.RuneCountInString(c), MaxCellChars)
		}
	}
	return nil
}

func checkMergedHeader(f *excelize.File, sheet string, row int) error {
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil
	}
	for _, m := range merged {
		_, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		_, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 == nil && err2 == nil && r1 <= row && row <= r2 {
			return fmt.Errorf("表头有合并单元格（%s:%s）：请取消合并，每列一个表头", m.GetStartAxis(), m.GetEndAxis())
		}
	}
	return nil
}

// gapped reports whether a row has a blank cell between filled ones.
func gapped(cols []string) bool {
	last := len(cols) - 1
	for last >= 0 && strings.TrimSpace(cols[last]) == "" {
		last--
	}
	for i := 0; i < last; i++ {
		if strings.TrimSpace(cols[i]) == "" {
			return true
		}
	}
	return false
}

func blankRow(cols []string) bool {
	for _, c := range cols {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// CellError is one problem found by an import: the sheet row, the column
// index in the header (-1 for the row as a whole) and the message.
type CellError struct {
	Row, Col int
	Message  string
}

// WriteErrorWorkbook writes s back with an added 错误说明 column: every row
// as read, the messages of each row joined in that column, the bad cells
// (or the 错误说明 cell for row-wide errors) filled red.
func WriteErrorWorkbook(w io.Writer, s *Sheet, errs []CellError) error {
	i := 0
	return writeErrorWorkbook(w, s.Header, func() (int, []string, bool) {
		if i >= len(s.Rows) {
			return 0, nil, false
		}
		i++
		return s.HeaderRow + i, s.Rows[i-1], true
	}, errs)
}

// WriteErrorWorkbookFrom is WriteErrorWorkbook for the workbook at src,
// read again row by row rather than held in memory.
func WriteErrorWorkbookFrom(w io.Writer, src string, errs []CellError) error {
	sr, err := OpenSheetFile(src)
	if err != nil {
		return err
	}
	defer sr.Close()
	if err := writeErrorWorkbook(w, sr.Header, sr.Next, errs); err != nil {
		return err
	}
	return sr.Err()
}

func writeErrorWorkbook(w io.Writer, header []string, next func() (int, []string, bool), errs []CellError) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "错误"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bad, err := f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
		Font: &excelize.Font{Color: "9C0006"}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	msgStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "9C0006"}, Alignment: &excelize.Alignment{WrapText: true}})
	if err != nil {
		return err
	}
	width := len(header)
	byRow := map[int][]CellError{}
	for _, e := range errs {
		byRow[e.Row] = append(byRow[e.Row], e)
	}
	if err := sw.SetColWidth(width+1, width+1, 60); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	hdr := make([]any, width+1)
	for i, h := range header {
		hdr[i] = excelize.Cell{StyleID: head, Value: h}
	}
	hdr[width] = excelize.Cell{StyleID: head, Value: "错误说明"}
	if err := sw.SetRow("A1", hdr); err != nil {
		return err
	}
	out := 2
	for {
		num, r, ok := next()
		if !ok {
			break
		}
		es := byRow[num]
		cells := make([]any, width+1)
		marked := map[int]bool{}
		var msgs []string
		rowWide := false
		for _, e := range es {
			msgs = append(msgs, e.Message)
			if e.Col >= 0 && e.Col < width {
				marked[e.Col] = true
			} else {
				rowWide = true
			}
		}
		for c := 0; c < width; c++ {
			v := ""
			if c < len(r) {
				v = r[c]
			}
			cell := excelize.Cell{Value: v}
			if marked[c] {
				cell.StyleID = bad
			}
			cells[c] = cell
		}
		msgCell := excelize.Cell{Value: strings.Join(msgs, "；")}
		if len(msgs) > 0 {
			msgCell.StyleID = msgStyle
			if rowWide {
				msgCell.StyleID = bad
			}
		}
		cells[width] = msgCell
		axis, _ := excelize.CoordinatesToCellName(1, out)
		if err := sw.SetRow(axis, cells); err != nil {
			return err
		}
		out++
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// ErrorWorkbookPath is where the error workbook of src goes: beside it,
// named <name>-错误.xlsx.
func ErrorWorkbookPath(src string) string {
	ext := filepath.Ext(src)
	return strings.TrimSuffix(src, ext) + "-错误.xlsx"
}

// ReadSheetFile reads the first worksheet of the workbook at path.
func ReadSheetFile(path string) (*Sheet, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("无法打开 %s：%v", path, plainErr(err))
	}
	if fi.Size() == 0 {
		return nil, fmt.Errorf("文件 %s 是空的（0 字节）", filepath.Base(path))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("无法打开 %s：%v", path, plainErr(err))
	}
	defer f.Close()
	return ReadSheet(f)
}

// SaveWorkbook writes a workbook to path through a temp file, so nothing
// half-written is left behind.
func SaveWorkbook(path string, write func(io.Writer) error) error {
	_, err := WriteFile(path, func(w io.Writer) (Result, error) { return Result{}, write(w) })
	return err
}
