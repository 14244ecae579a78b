package app

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
)

// Keys of the per-user preferences. They live in Fyne's preferences file
// for this user and app ID (~/.config/fyne/cn.dangan.desktop on Linux,
// %AppData%\fyne\cn.dangan.desktop on Windows); what belongs to the office
// (fonds, rules, backup settings) lives in the database instead.
const (
	prefWindowWidth      = "window.width"
	prefWindowHeight     = "window.height"
	prefLastTab          = "main.last_tab"    // title of the tab open last
	prefLastFolderPrefix = "dialog.last_dir." // + FolderKind
)

// FolderKind names what a file dialog is for, so each kind of dialog opens
// in the folder last used for that kind.
type FolderKind string

// Kinds of file dialogs.
const (
	FolderImport     FolderKind = "import"     // Excel files to import
	FolderExport     FolderKind = "export"     // Excel and PDF output
	FolderAttachment FolderKind = "attachment" // files attached to archive items
	FolderBackup     FolderKind = "backup"     // backup files and folders
)

// defaultWindowSize is the window's size on a first start.
var defaultWindowSize = fyne.NewSize(1100, 720)

// minWindowSize guards against a saved size that would hide the window.
var minWindowSize = fyne.NewSize(480, 360)

// Prefs are the per-user preferences, behind typed getters and setters.
type Prefs struct{ p fyne.Preferences }

// newPrefs wraps the app's preferences.
func newPrefs(p fyne.Preferences) Prefs { return Prefs{p: p} }

// WindowSize returns the size the window had when it was last closed, or
// the default size.
func (p Prefs) WindowSize() fyne.Size {
	w := float32(p.p.FloatWithFallback(prefWindowWidth, float64(defaultWindowSize.Width)))
	h := float32(p.p.FloatWithFallback(prefWindowHeight, float64(defaultWindowSize.Height)))
	if w < minWindowSize.Width || h < minWindowSize.Height {
		return defaultWindowSize
	}
	return fyne.NewSize(w, h)
}

// SetWindowSize remembers the window's size; sizes too small to use are
// ignored.
func (p Prefs) SetWindowSize(s fyne.Size) {
	if s.Width < minWindowSize.Width || s.Height < minWindowSize.Height {
		return
	}
	p.p.SetFloat(prefWindowWidth, float64(s.Width))
	p.p.SetFloat(prefWindowHeight, float64(s.Height))
}

// LastTab returns the title of the main window's tab open last, or "".
func (p Prefs) LastTab() string { return p.p.String(prefLastTab) }

// SetLastTab remembers the tab open now.
func (p Prefs) SetLastTab(title string) { p.p.SetString(prefLastTab, title) }

// LastFolder returns the folder last used by a file dialog of kind, or ""
// when there is none or it no longer exists.
func (p Prefs) LastFolder(kind FolderKind) string {
	dir := p.p.String(prefLastFolderPrefix + string(kind))
	if dir == "" {
		return ""
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// SetLastFolder remembers the folder a file dialog of kind was used in.
func (p Prefs) SetLastFolder(kind FolderKind, dir string) {
	p.p.SetString(prefLastFolderPrefix+string(kind), dir)
}

// LastFolderURI returns LastFolder as a location for a file dialog's
// SetLocation, or nil (the dialog's default) when there is none.
func (p Prefs) LastFolderURI(kind FolderKind) fyne.ListableURI {
	dir := p.LastFolder(kind)
	if dir == "" {
		return nil
	}
	l, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		return nil
	}
	return l
}

// SetLastFolderOf remembers the folder holding uri, the file a dialog of
// kind returned (for a folder dialog, pass the folder itself).
func (p Prefs) SetLastFolderOf(kind FolderKind, uri fyne.URI) {
	if uri == nil || uri.Scheme() != "file" {
		return
	}
	if ok, err := storage.CanList(uri); err == nil && ok {
		p.SetLastFolder(kind, filepath.Clean(filepath.FromSlash(uri.Path())))
		return
	}
	if parent, err := storage.Parent(uri); err == nil {
		p.SetLastFolder(kind, filepath.Clean(filepath.FromSlash(parent.Path())))
	}
}

// Prefs returns the per-user preferences.
func (u *UI) Prefs() Prefs { return u.prefs }

// restoreWindowSize sizes the window as the user left it and remembers its
// size when it closes.
func (u *UI) restoreWindowSize() {
	u.win.Resize(u.prefs.WindowSize())
	u.win.SetOnClosed(func() { u.prefs.SetWindowSize(u.win.Canvas().Size()) })
}

// rememberTab selects the tab the user had open last, when this user may
// see it, and remembers each tab chosen from now on. Call it after
// tabs.OnSelected is set: the handler still runs.
func (u *UI) rememberTab(tabs *container.AppTabs) {
	if title := u.prefs.LastTab(); title != "" {
		for i, it := range tabs.Items {
			if it.Text == title {
				tabs.SelectIndex(i)
				break
			}
		}
	}
	next := tabs.OnSelected
	tabs.OnSelected = func(t *container.TabItem) {
		u.prefs.SetLastTab(t.Text)
		if next != nil {
			next(t)
		}
	}
}
