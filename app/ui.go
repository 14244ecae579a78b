// Package app is the Fyne user interface of 档案通: first-run setup, login
// and the main window with one tab per panel. It holds no SQL: every rule
// lives in package data, which it calls with the logged-in user.
package app

import (
	"context"
	"log"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"dangan/assets"
	"dangan/data"
	"dangan/reports"
)

// UI is the program's one window and the session shown in it.
type UI struct {
	app   fyne.App
	win   fyne.Window
	dir   string
	store *data.Store
	lock  *data.DirLock
	user  *data.User
	prefs Prefs // per-user: window size, last tab, last folders

	fontWarning *widget.Label // shown above setup and login when no CJK font is found
	pdfFonts    printFonts    // loaded on first print

	// The current screen, kept for tests.
	setup  *setupScreen
	login  *loginScreen
	change *passwordScreen
	main   *mainScreen
	imp    *importDialog // the import dialog last shown
	fatal  string

	exiting, autoBackedUp bool // automatic backup on exit: started, done (app/backup_exit.go)
}

// New opens the data directory and builds the window: the setup form on a
// first run, otherwise the login form. Problems that stop the program (the
// directory is in use, the database is damaged or too new) are shown in the
// window instead.
func New(a fyne.App, dir string) *UI {
	a.SetIcon(assets.Icon)
	u := &UI{app: a, dir: dir, win: a.NewWindow("档案通"), prefs: newPrefs(a.Preferences())}
	u.win.SetIcon(assets.Icon)
	u.restoreWindowSize()
	u.win.SetMaster()
	u.win.SetCloseIntercept(u.onCloseWindow)
	u.fontWarning = widget.NewLabel("")
	u.fontWarning.Importance = widget.DangerImportance
	u.fontWarning.Wrapping = fyne.TextWrapWord
	u.fontWarning.Hide()

	lock, err := data.LockDir(dir)
	if err != nil {
		u.showFatal(data.ErrorMessage(err))
		return u
	}
	u.lock = lock
	store, err := data.Open(dir)
	if err != nil {
		log.Printf("open %s: %v", dir, err)
		u.showFatal(data.ErrorMessage(err))
		return u
	}
	u.store = store
	ok, err := store.Initialized(context.Background())
	switch {
	case err != nil:
		u.showFatal(data.ErrorMessage(err))
	case !ok:
		u.showSetup()
	default:
		u.showLogin()
	}
	go u.checkFonts()
	return u
}

// Window returns the program's window.
func (u *UI) Window() fyne.Window { return u.win }

// Close makes the automatic backup when one is due, closes the database
// and releases the directory lock.
func (u *UI) Close() {
	u.autoBackupOnExit()
	if u.store != nil {
		u.store.Close()
	}
	u.lock.Release()
}

// checkFonts looks for a Chinese font and, when there is none, says which
// package to install above the setup and login forms.
func (u *UI) checkFonts() {
	if len(reports.FindCJKFonts(reports.FontDirs())) > 0 {
		return
	}
	advice := reports.CJKFontAdvice()
	log.Print(advice)
	fyne.Do(func() {
		u.fontWarning.SetText(advice)
		u.fontWarning.Show()
	})
}

// setContent shows a screen in the window.
func (u *UI) setContent(c fyne.CanvasObject) {
	u.win.SetContent(c)
}

// showFatal replaces the window's content with a message and a quit button.
func (u *UI) showFatal(msg string) {
	u.fatal = msg
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	text.Importance = widget.DangerImportance
	quit := widget.NewButton("退出", func() { u.app.Quit() })
	quit.Importance = widget.HighImportance
	u.setContent(centered(520, container.NewVBox(
		widget.NewLabelWithStyle("档案通无法打开", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		text, container.NewHBox(layout.NewSpacer(), quit))))
}

// loggedIn starts a session for user: first a forced password change when
// the account needs one, then the main window.
func (u *UI) loggedIn(user *data.User) {
	u.user = user
	u.login, u.setup = nil, nil
	if user.MustChangePassword {
		u.showForcedPasswordChange()
		return
	}
	u.showMain()
}

// logout ends the session and shows the login form.
func (u *UI) logout() {
	u.user, u.main = nil, nil
	u.showLogin()
}
