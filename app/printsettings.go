package app

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dangan/reports"
)

// printSettings is the 打印设置 dialog: the Chinese font of PDFs. Fonts
// are a property of the machine, so every user reaches it from the print
// dialogs and the choice is kept in this user's preferences (setPDFFont).
type printSettings struct {
	ui       *UI
	fonts    *widget.Select
	current  *widget.Label
	result   *widget.Label
	use      *widget.Button
	choices  map[string]reports.FontChoice
	path     string // the font being tried
	face     int
	dlg      dialog.Dialog
	listDone func() // called once the font list is shown, for tests
}

const autoFont = "自动（本机最合适的中文字体）"

// showPrintSettings opens the font dialog; the machine's fonts are listed
// in the background (about 20 ms a face).
func (u *UI) showPrintSettings() {
	ps := &printSettings{ui: u, current: widget.NewLabel(""), result: widget.NewLabel("正在查找本机的中文字体…"),
		choices: map[string]reports.FontChoice{}}
	ps.fonts = widget.NewSelect(nil, ps.onFontSelected)
	ps.fonts.PlaceHolder = "正在查找…"
	ps.result.Wrapping = fyne.TextWrapWord
	ps.current.Wrapping = fyne.TextWrapWord
	ps.showCurrent()
	browse := widget.NewButton("浏览…", ps.onBrowse)
	ps.use = widget.NewButton("使用此字体", ps.onUse)
	ps.use.Importance = widget.HighImportance
	ps.use.Disable()
	closeBtn := widget.NewButton("关闭", func() { ps.dlg.Hide() })
	form := widget.NewForm(
		widget.NewFormItem("当前字体", ps.current),
		&widget.FormItem{Text: "本机中文字体", Widget: container.NewBorder(nil, nil, nil, browse, ps.fonts),
			HintText: "gofpdf 只能嵌入 TrueType 字体（.ttf、.ttc）；CFF 轮廓的 .otf 不能用"},
	)
	content := container.NewVBox(form, ps.result, container.NewHBox(layout.NewSpacer(), closeBtn, ps.use))
	ps.dlg = dialog.NewCustomWithoutButtons("打印设置 · 字体", content, u.win)
	ps.dlg.Resize(fyne.NewSize(640, 320))
	u.pdfFonts.settings = ps
	ps.dlg.Show()
	go func() {
		list := reports.ListCJKFonts(reports.FontDirs())
		fyne.Do(func() { ps.showList(list) })
	}()
}

// fontRow shows the font PDFs are set in, with a button to the 打印设置
// dialog, for the print dialogs.
func (u *UI) fontRow() fyne.CanvasObject {
	label := widget.NewLabel("")
	label.Truncation = fyne.TextTruncateEllipsis
	refresh := func() {
		name := "自动"
		if path := u.app.Preferences().String(prefPDFFontPath); path != "" {
			name = filepath.Base(path)
		}
		label.SetText(name)
	}
	refresh()
	// Keep the latest few rows: the settings tab's and the open dialogs'.
	const keep = 8
	u.pdfFonts.shown = append(u.pdfFonts.shown, refresh)
	if n := len(u.pdfFonts.shown); n > keep {
		u.pdfFonts.shown = append([]func(){u.pdfFonts.shown[0]}, u.pdfFonts.shown[n-keep+1:]...)
	}
	return container.NewBorder(nil, nil, nil, widget.NewButton("更改…", u.showPrintSettings), label)
}

// showCurrent says which font prints now.
func (ps *printSettings) showCurrent() {
	p := ps.ui.app.Preferences()
	path := p.String(prefPDFFontPath)
	if path == "" {
		ps.current.SetText(autoFont)
		return
	}
	ps.current.SetText(fontLabel(path, p.Int(prefPDFFontFace)))
}

func fontLabel(path string, face int) string {
	s := path
	if strings.EqualFold(filepath.Ext(path), ".ttc") {
		s += fmt.Sprintf("（第 %d 个字体）", face+1)
	}
	return s
}

func (ps *printSettings) showList(list []reports.FontChoice) {
	opts := []string{autoFont}
	for _, c := range list {
		label := c.Family + " — " + filepath.Base(c.Path)
		if c.Index > 0 {
			label += fmt.Sprintf(" #%d", c.Index)
		}
		if c.Err != nil {
			label += "（不可用）"
		}
		opts = append(opts, label)
		ps.choices[label] = c
	}
	ps.fonts.Options = opts
	ps.fonts.PlaceHolder = "请选择"
	ps.fonts.Refresh()
	if len(list) == 0 {
		ps.result.SetText(reports.CJKFontAdvice())
	} else {
		ps.result.SetText(fmt.Sprintf("找到 %d 个中文字体。选择一个试用，或点“浏览…”选择字体文件。", len(list)))
	}
	if ps.listDone != nil {
		ps.listDone()
	}
}

func (ps *printSettings) onFontSelected(label string) {
	if label == autoFont {
		ps.path, ps.face = "", 0
		ps.result.SetText("打印时自动选用本机最合适的中文字体。")
		ps.use.Enable()
		return
	}
	c, ok := ps.choices[label]
	if !ok {
		return
	}
	ps.try(c.Path, c.Index)
}

func (ps *printSettings) onBrowse() {
	open := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		ps.try(path, 0)
	}, ps.ui.win)
	open.SetFilter(storage.NewExtensionFileFilter([]string{".ttf", ".ttc", ".otf", ".otc", ".TTF", ".TTC"}))
	open.Show()
}

// try loads a font the way printing will and says whether it can be used
// and whether Latin letters come from the Go font.
func (ps *printSettings) try(path string, face int) {
	fs, err := reports.OpenFonts(path, face)
	if err != nil {
		ps.path = ""
		ps.use.Disable()
		ps.result.SetText("不能使用 " + filepath.Base(path) + "：" + err.Error())
		return
	}
	ps.path, ps.face = path, face
	f := fs.CJK()
	msg := "可以使用：" + f.Family + "。"
	if !f.Has('A') || !f.Has('0') {
		msg += "这个字体没有西文字母和数字，打印时由程序自带的 Go 字体补上。"
	}
	ps.result.SetText(msg)
	ps.use.Enable()
}

// onUse remembers the font tried (or automatic choice) for this user.
func (ps *printSettings) onUse() {
	ps.ui.setPDFFont(ps.path, ps.face)
	ps.showCurrent()
	for _, f := range ps.ui.pdfFonts.shown {
		f()
	}
	ps.result.SetText("已保存。之后的打印使用：" + ps.current.Text)
	ps.use.Disable()
}
