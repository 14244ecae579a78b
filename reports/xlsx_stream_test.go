package reports

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// writeRows writes a header in row 2 and n data rows below it, leaving
// sheet row 10 blank.
func writeRows(t *testing.T, n int) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A2", []any{"编号", "名称"})
	for i := 3; i < n+3; i++ {
		if i == 10 {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i)
		sw.SetRow(cell, []any{fmt.Sprint(i), fmt.Sprintf("第%d行", i)})
	}
	sw.Flush()
	p := filepath.Join(t.TempDir(), "rows.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSheetReaderStreams reads more rows than one read-ahead batch: every
// row comes with its sheet row number, blank rows included, and Total
// estimates the count from the sheet's dimension.
func TestSheetReaderStreams(t *testing.T) {
	const n = 3*readAheadRows + 7
	s, err := OpenSheetFile(writeRows(t, n))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// excelize's StreamWriter writes no <dimension>: the rows are counted
	// in the background (n-1 data rows: row 10 is left out).
	deadline := time.Now().Add(5 * time.Second)
	for s.Total() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.HeaderRow != 2 || s.Header[1] != "名称" || s.Total() != n-1 {
		t.Fatalf("header row %d %q total %d", s.HeaderRow, s.Header, s.Total())
	}
	want := 3
	for {
		num, cells, ok := s.Next()
		if !ok {
			break
		}
		if num != want {
			t.Fatalf("row %d, want %d", num, want)
		}
		if num == 10 && len(cells) != 0 || num != 10 && (len(cells) != 2 || cells[0] != fmt.Sprint(num)) {
			t.Fatalf("row %d: %q", num, cells)
		}
		want++
	}
	if s.Err() != nil || want != n+3 {
		t.Fatalf("ended at %d: %v", want, s.Err())
	}
}

// TestSheetTotal: the estimate comes from the sheet's <dimension> (Excel
// and LibreOffice write it) or, when that names one cell only (excelize),
// by counting rows.
func TestSheetTotal(t *testing.T) {
	for ref, want := range map[string]string{`<dimension ref="A1:O100001"/>`: "100001", `<x:dimension ref="B2:C9">`: "9", `<dimension ref="A1"/>`: ""} {
		if m := reDimension.FindStringSubmatch(ref); m == nil || m[1] != want {
			t.Errorf("%s: %q", ref, m)
		}
	}
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"编号"})
	f.SetSheetRow("Sheet1", "A250", &[]any{"249"})
	p := filepath.Join(t.TempDir(), "d.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	s, err := OpenSheetFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deadline := time.Now().Add(5 * time.Second)
	for s.Total() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.Total() != 1 { // one <row> below the header: rows 2–249 are not in the file
		t.Fatalf("total %d", s.Total())
	}
}

// TestSheetReaderCloseEarly: closing before the end stops the read-ahead
// goroutine.
func TestSheetReaderCloseEarly(t *testing.T) {
	p := writeRows(t, 5*readAheadRows)
	before := runtime.NumGoroutine()
	s, err := OpenSheetFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := s.Next(); !ok {
		t.Fatal("no rows")
	}
	s.Close()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines: %d before, %d after Close", before, runtime.NumGoroutine())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestErrorWorkbookFromFile writes the error workbook by reading the source
// again: rows as read, messages in 错误说明, the bad cell red.
func TestErrorWorkbookFromFile(t *testing.T) {
	p := writeRows(t, 20)
	var b bytes.Buffer
	if err := WriteErrorWorkbookFrom(&b, p, []CellError{{Row: 5, Col: 1, Message: "名称不对"}, {Row: 7, Col: -1, Message: "整行不对"}}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(t.TempDir(), "e.xlsx"), b.Bytes(), 0o600)
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("错误")
	if len(rows) != 21 || rows[0][2] != "错误说明" || rows[3][1] != "第5行" || rows[3][2] != "名称不对" || rows[5][2] != "整行不对" {
		t.Fatalf("rows %q", rows)
	}
	good, _ := f.GetCellStyle("错误", "B3")
	bad, _ := f.GetCellStyle("错误", "B4")
	if good == bad {
		t.Fatal("the bad cell is not marked")
	}
}
