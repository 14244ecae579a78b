package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangan/data"
)

// TestLoansExport: 借阅管理 has an 导出 button; the export writes the
// loans of the tab's current filter.
func TestLoansExport(t *testing.T) {
	u := archiveUI(t)
	items := loanItems(t, u, 2)
	ctx := context.Background()
	for i, it := range items {
		if _, err := u.store.Lend(ctx, u.user, data.LoanInput{Borrower: []string{"张三", "李四"}[i], Purpose: "查阅",
			LentOn: "2026-04-01", DueOn: []string{"2026-04-15", "2026-05-20"}[i], ItemIDs: []int64{it.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	selectTab(t, u, "借阅管理")
	lt := u.main.loans
	if lt.export == nil || lt.export.Text != "导出" || lt.export.Hidden {
		t.Fatal("no 导出 button on 借阅管理")
	}
	lt.state.SetSelected("逾期未还")
	path := filepath.Join(t.TempDir(), "借阅.xlsx")
	f := lt.filter
	u.writeExport(path, "借阅", data.LoanExportColumns(), func(ctx context.Context, add func([]string) error) error {
		return u.store.ExportLoans(ctx, u.user, f, add)
	})
	waitFor(t, "the export", func() bool { _, err := os.Stat(path); return err == nil })
	waitFor(t, "the result", func() bool { return strings.Contains(shown(u.win), "已导出 1 行") })
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("借阅")
	if len(rows) != 2 || rows[1][1] != "张三" {
		t.Fatalf("exported %q", rows)
	}
}
