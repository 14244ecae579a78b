package app

import (
	"fmt"
	"io"
	"log"
	"net/url"
	"path/filepath"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dangan/reports"
)

// Per-user preference keys of the PDF font: fonts are a property of the
// machine, so the choice lives in Fyne preferences, not in the database.
const (
	prefPDFFontPath = "pdf.font.path"
	prefPDFFontFace = "pdf.font.face"
)

// printFonts loads the PDF fonts once per session: the font chosen in the
// settings, else the best Chinese font found on the machine.
type printFonts struct {
	mu    sync.Mutex
	fonts *reports.Fonts
}

// fonts returns the loaded fonts, loading them on first use. The error says
// what to install when the machine has no Chinese font.
func (u *UI) fonts() (*reports.Fonts, error) {
	u.pdfFonts.mu.Lock()
	defer u.pdfFonts.mu.Unlock()
	if u.pdfFonts.fonts != nil {
		return u.pdfFonts.fonts, nil
	}
	prefs := u.app.Preferences()
	path := prefs.String(prefPDFFontPath)
	fs, err := reports.OpenFonts(path, prefs.Int(prefPDFFontFace))
	if err != nil && path != "" {
		log.Printf("pdf font %s: %v; trying the fonts on this machine", path, err)
		fs, err = reports.DiscoverFonts()
	}
	if err != nil {
		return nil, err
	}
	u.pdfFonts.fonts = fs
	return fs, nil
}

// setPDFFont remembers the user's font choice and drops the loaded fonts so
// the next print uses it.
func (u *UI) setPDFFont(path string, face int) {
	u.app.Preferences().SetString(prefPDFFontPath, path)
	u.app.Preferences().SetInt(prefPDFFontFace, face)
	u.pdfFonts.mu.Lock()
	u.pdfFonts.fonts = nil
	u.pdfFonts.mu.Unlock()
}

// savePDF asks where to save a PDF (suggesting name), writes it off the UI
// goroutine with a progress dialog, then reports the result with an
// 打开 button. note, if not empty, is shown in the save dialog's result
// (for example: print spine labels at 100% scale). write gets the loaded
// fonts.
func (u *UI) savePDF(name, note string, write func(w io.Writer, fonts *reports.Fonts) (reports.Result, error)) {
	fonts, err := u.fonts()
	if err != nil {
		showError(u.win, err)
		return
	}
	save := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close() // reports.WriteFile writes a temp file and renames it over this one
		u.writePDF(path, note, func(w io.Writer) (reports.Result, error) { return write(w, fonts) })
	}, u.win)
	save.SetFileName(name)
	save.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	save.Show()
}

// writePDF writes path in the background and shows the outcome.
func (u *UI) writePDF(path, note string, write func(io.Writer) (reports.Result, error)) {
	bar := widget.NewProgressBarInfinite()
	busy := dialog.NewCustomWithoutButtons("正在生成 PDF…", bar, u.win)
	busy.Show()
	go func() {
		res, err := reports.WriteFile(path, write)
		fyne.Do(func() {
			busy.Hide()
			if err != nil {
				showError(u.win, err)
				return
			}
			u.showPDFDone(path, note, res)
		})
	}()
}

// showPDFDone says where the PDF went, how many pages it has, any rare
// characters that could not be printed, and offers to open it.
func (u *UI) showPDFDone(path, note string, res reports.Result) {
	msg := fmt.Sprintf("已生成 %s，共 %d 页。", filepath.Base(path), res.Pages)
	if n := res.ReplacedNote(); n != "" {
		msg += "\n" + n
	}
	if note != "" {
		msg += "\n" + note
	}
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("打印文件已生成", "关闭", text, u.win)
	open := widget.NewButton("打开", func() {
		if err := u.app.OpenURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}); err != nil {
			showError(u.win, err)
		}
	})
	d.SetButtons([]fyne.CanvasObject{open, widget.NewButton("关闭", d.Hide)})
	d.Resize(fyne.NewSize(460, 220))
	d.Show()
}
