package app

import (
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dangan/app/cli"
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

	settings *printSettings // the open 打印设置 dialog, for tests
	shown    []func()       // refresh the font rows shown (settings tab, print dialogs)
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
		showError(u.win, cli.PrintError(err))
		return
	}
	u.askPDFPath(name, func(path string) {
		u.writePDF(path, note, func(w io.Writer) (reports.Result, error) { return write(w, fonts) })
	})
}

// askPDFPath asks where to save a PDF (suggesting name), then calls write
// with the chosen path.
func (u *UI) askPDFPath(name string, write func(path string)) {
	save := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close() // reports.WriteFile writes a temp file and renames it over this one
		write(path)
	}, u.win)
	save.SetFileName(name)
	save.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	save.Show()
}

// writePDF writes path in the background and shows the outcome.
func (u *UI) writePDF(path, note string, write func(io.Writer) (reports.Result, error)) {
	u.runPDF(path, note, func(w io.Writer, _ func(done, total int) bool) (reports.Result, error) { return write(w) }, nil)
}

// runPDF writes path in the background with a progress bar and a 取消
// button: write gets a progress callback that returns false once the user
// has cancelled (pass it to the engine's Progress option). after, if not
// nil, runs in the background once the file is written (fixing the printed
// items' 档号, say); its error is shown instead of the result.
func (u *UI) runPDF(path, note string, write func(w io.Writer, progress func(done, total int) bool) (reports.Result, error), after func(reports.Result) error) {
	bar := widget.NewProgressBar()
	var cancelled atomic.Bool
	cancel := widget.NewButton("取消", func() { cancelled.Store(true) })
	busy := dialog.NewCustomWithoutButtons("正在生成 PDF…", container.NewVBox(bar, cancel), u.win)
	busy.Resize(fyne.NewSize(360, 0))
	busy.Show()
	last := -1 // per mille shown; the bar is redrawn only when it moves
	progress := func(done, total int) bool {
		if total > 0 {
			if v := done * 1000 / total; v != last {
				last = v
				fyne.Do(func() { bar.SetValue(float64(v) / 1000) })
			}
		}
		return !cancelled.Load()
	}
	go func() {
		res, err := reports.WriteFile(path, func(w io.Writer) (reports.Result, error) { return write(w, progress) })
		if err == nil && after != nil {
			err = after(res)
		}
		if err != nil {
			removeIfEmpty(path) // the save dialog created it; nothing was written
		}
		fyne.Do(func() {
			busy.Hide()
			switch {
			case errors.Is(err, reports.ErrCancelled):
				dialog.ShowInformation("打印", "已取消打印，没有生成文件。", u.win)
			case err != nil:
				showError(u.win, cli.PrintError(err))
			default:
				u.showPDFDone(path, note, res)
			}
		})
	}()
}

// removeIfEmpty deletes path when it is an empty file.
func removeIfEmpty(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == 0 {
		os.Remove(path)
	}
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
