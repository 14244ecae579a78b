package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestTableHidesRowsUntilTallEnough guards the Table trap: while a table is
// shorter than its header, Fyne counts every row as visible and makes one
// separator per row, kept for good (700 MB and slow scrolling at 1,000,000
// items, seen in the 档案管理 tab). newTable reports rows only once usable.
func TestTableHidesRowsUntilTallEnough(t *testing.T) {
	test.NewTempApp(t)
	tbl := newTable([]column{{"档号", 200}}, func() int { return 1_000_000 }, func(int, int) string { return "x" })
	if r, _ := tbl.Length(); r != 0 {
		t.Fatalf("unsized table reports %d rows", r)
	}
	tbl.Resize(fyne.NewSize(400, 30)) // shorter than the header
	if r, _ := tbl.Length(); r != 0 {
		t.Fatalf("table shorter than its header reports %d rows", r)
	}
	tbl.Resize(fyne.NewSize(400, 400))
	if r, _ := tbl.Length(); r != 1_000_000 {
		t.Fatalf("sized table reports %d rows", r)
	}
}
