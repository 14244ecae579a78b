package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

func TestPrefsWindowSizeRestoredAndSavedOnClose(t *testing.T) {
	a := test.NewTempApp(t)
	if got := newPrefs(a.Preferences()).WindowSize(); got != defaultWindowSize {
		t.Fatalf("first start: size %v, want %v", got, defaultWindowSize)
	}
	a.Preferences().SetFloat(prefWindowWidth, 1300)
	a.Preferences().SetFloat(prefWindowHeight, 850)
	u := New(a, t.TempDir())
	t.Cleanup(u.Close)
	if got := u.win.Canvas().Size(); got != fyne.NewSize(1300, 850) {
		t.Fatalf("restored size %v, want 1300×850", got)
	}

	u.win.Resize(fyne.NewSize(1000, 700))
	u.win.Close()
	if got := u.Prefs().WindowSize(); got != fyne.NewSize(1000, 700) {
		t.Fatalf("saved size %v, want 1000×700", got)
	}

	// A size too small to use is neither saved nor restored.
	u.Prefs().SetWindowSize(fyne.NewSize(10, 10))
	if got := u.Prefs().WindowSize(); got != fyne.NewSize(1000, 700) {
		t.Fatalf("tiny size was saved: %v", got)
	}
	a.Preferences().SetFloat(prefWindowWidth, 5)
	if got := u.Prefs().WindowSize(); got != defaultWindowSize {
		t.Fatalf("tiny saved size restored as %v", got)
	}
}

func TestPrefsLastTabSelectedOnLogin(t *testing.T) {
	dir := t.TempDir()
	u := newTestUI(t, dir)
	doSetup(t, u)
	if got := u.main.tabs.Selected().Text; got != u.main.tabs.Items[0].Text {
		t.Fatalf("first login opens %q, want the first tab", got)
	}
	selectTab(t, u, "操作日志")
	if got := u.Prefs().LastTab(); got != "操作日志" {
		t.Fatalf("last tab saved as %q", got)
	}

	u.logout()
	login(t, u, "admin", "Archive2026")
	if u.main == nil {
		t.Fatal("login failed")
	}
	if got := u.main.tabs.Selected().Text; got != "操作日志" {
		t.Fatalf("after login the %q tab is open, want 操作日志", got)
	}
	// The tab's own handler still runs after the preference is wrapped around it.
	wantShown(t, u.win, "操作日志")

	// A tab this user can't see (or that no longer exists) falls back to the first.
	u.Prefs().SetLastTab("不存在的页")
	u.logout()
	login(t, u, "admin", "Archive2026")
	if got := u.main.tabs.Selected().Text; got != u.main.tabs.Items[0].Text {
		t.Fatalf("unknown last tab: %q is open", got)
	}
}

func TestPrefsLastFolder(t *testing.T) {
	p := newPrefs(test.NewTempApp(t).Preferences())
	if p.LastFolder(FolderImport) != "" || p.LastFolderURI(FolderImport) != nil {
		t.Fatal("a folder before any dialog was used")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "客户.xlsx")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}

	// A chosen file remembers its folder; a chosen folder itself.
	p.SetLastFolderOf(FolderImport, storage.NewFileURI(file))
	sub := filepath.Join(dir, "备份")
	os.Mkdir(sub, 0o755)
	p.SetLastFolderOf(FolderBackup, storage.NewFileURI(sub))
	if got := p.LastFolder(FolderImport); got != dir {
		t.Fatalf("import folder %q, want %q", got, dir)
	}
	if got := p.LastFolder(FolderBackup); got != sub {
		t.Fatalf("backup folder %q, want %q", got, sub)
	}
	if got := p.LastFolder(FolderExport); got != "" {
		t.Fatalf("kinds share a folder: export %q", got)
	}
	if uri := p.LastFolderURI(FolderImport); uri == nil || uri.Path() != dir {
		t.Fatalf("import folder URI %v", uri)
	}

	// A folder that has gone (a USB disk taken out) is forgotten.
	os.RemoveAll(sub)
	if got := p.LastFolder(FolderBackup); got != "" {
		t.Fatalf("missing folder still offered: %q", got)
	}
}
