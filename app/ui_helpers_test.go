package app

import (
	"database/sql"
	"testing"

	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

type (
	widgetEntry  = entry
	widgetSelect = widget.Select
)

// rawExec runs one statement on the database file, around the public API.
func rawExec(t *testing.T, dir, stmt string) error {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+data.DBPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatal(err)
	}
	return nil
}

func widgetCell(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }

// selectTab opens the main window's tab with the given title.
func selectTab(t *testing.T, u *UI, title string) {
	t.Helper()
	for _, it := range u.main.tabs.Items {
		if it.Text == title {
			u.main.tabs.Select(it)
			return
		}
	}
	t.Fatalf("no tab %q in %v", title, u.main.tabTitles())
}
