package app

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dangan/app/cli"
	"dangan/data"
	"dangan/reports"
)

// importDialog imports one kind from a workbook: pick the file (or download
// the template), check or import in the background with a progress bar and
// a cancel button, then show the summary, or where the error workbook went
// with an 打开 button.
type importDialog struct {
	u      *UI
	kind   string
	done   func() // after a successful import: reload the list
	path   string
	file   *widget.Label
	dry    *widget.Check
	bar    *widget.ProgressBar
	status *widget.Label
	start  *widget.Button
	cancel *widget.Button
	open   *widget.Button
	d      *dialog.CustomDialog
	stop   context.CancelFunc
	result chan struct{} // closed when a run ends (tests wait on it)
}

// showImport opens the import dialog for kind (data.ImportCustomers, …);
// done runs after a successful import.
func (u *UI) showImport(kind string, done func()) *importDialog {
	t := &importDialog{u: u, kind: kind, done: done}
	u.imp = t
	label := data.ImportKindLabel(kind)
	t.file = widget.NewLabel("尚未选择文件")
	t.file.Wrapping = fyne.TextWrapBreak
	pick := widget.NewButton("选择文件…", t.onPick)
	tmpl := widget.NewButton("下载模板…", t.onTemplate)
	t.dry = widget.NewCheck("只检查，不写入", nil)
	t.bar = widget.NewProgressBar()
	t.status = widget.NewLabel("整个文件先检查：只要有一行出错就什么都不写入，并在原文件旁生成“文件名-错误.xlsx”。")
	t.status.Wrapping = fyne.TextWrapWord
	t.start = widget.NewButton("开始导入", t.onStart)
	t.start.Importance = widget.HighImportance
	t.start.Disable()
	t.cancel = widget.NewButton("取消", t.onCancel)
	t.open = widget.NewButton("打开错误说明", nil)
	t.open.Hide()
	body := container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel("文件："), container.NewHBox(pick, tmpl), t.file),
		t.dry, t.bar, t.status,
		container.NewHBox(t.open),
	)
	t.d = dialog.NewCustomWithoutButtons("导入"+label, body, u.win)
	t.d.SetButtons([]fyne.CanvasObject{t.cancel, t.start})
	t.d.Resize(fyne.NewSize(620, 320))
	t.d.Show()
	return t
}

func (t *importDialog) onPick() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		rc.Close()
		t.setFile(rc.URI().Path())
	}, t.u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	d.Show()
}

func (t *importDialog) setFile(path string) {
	t.path = path
	t.file.SetText(path)
	t.start.Enable()
	t.open.Hide()
	t.bar.SetValue(0)
}

func (t *importDialog) onTemplate() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close()
		if err := t.writeTemplate(path); err != nil {
			showError(t.u.win, err)
			return
		}
		t.status.SetText("模板已保存到 " + path)
	}, t.u.win)
	d.SetFileName(data.ImportKindLabel(t.kind) + "导入模板.xlsx")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	d.Show()
}

func (t *importDialog) writeTemplate(path string) error {
	cols, err := cli.TemplateColumns(context.Background(), t.u.store, t.kind)
	if err != nil {
		return err
	}
	return reports.SaveWorkbook(path, func(w io.Writer) error {
		return reports.WriteTemplate(w, data.ImportKindLabel(t.kind), cols)
	})
}

// onStart reads and imports the file off the UI goroutine.
func (t *importDialog) onStart() {
	if t.path == "" {
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	t.stop = stop
	t.result = make(chan struct{})
	t.start.Disable()
	t.open.Hide()
	t.cancel.SetText("取消导入")
	t.bar.SetValue(0)
	t.status.SetText("正在读取 " + filepath.Base(t.path) + "…")
	path, dry, result := t.path, t.dry.Checked, t.result
	go func() {
		defer close(result)
		out, err := cli.ImportFile(ctx, t.u.store, t.u.user, t.kind, path, dry, func(done, total int) {
			fyne.Do(func() {
				if total > 0 {
					t.bar.SetValue(float64(done) / float64(total))
				}
				t.status.SetText(fmt.Sprintf("正在检查和导入：%d / %d 行", done, total))
			})
		})
		fyne.Do(func() { t.finish(out, err) })
	}()
}

func (t *importDialog) finish(out *cli.ImportOutcome, err error) {
	t.stop()
	t.stop = nil
	t.cancel.SetText("关闭")
	t.start.Enable()
	if err != nil {
		t.bar.SetValue(0)
		t.status.SetText("未导入：" + data.ErrorMessage(err))
		return
	}
	t.bar.SetValue(1)
	if out.Failed() {
		msg := out.Summary() + "。"
		for i, e := range out.Errors {
			if i == 5 {
				msg += fmt.Sprintf("\n……另有 %d 处，见错误说明", len(out.Errors)-5)
				break
			}
			msg += fmt.Sprintf("\n第 %d 行：%s", e.Row, e.Message)
		}
		t.status.SetText(msg + "\n错误说明已写入 " + out.ErrorWorkbook)
		ewb := out.ErrorWorkbook
		t.open.OnTapped = func() {
			if err := t.u.app.OpenURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(ewb)}); err != nil {
				showError(t.u.win, err)
			}
		}
		t.open.Show()
		return
	}
	t.status.SetText(out.Summary() + "。")
	if !out.DryRun && t.done != nil {
		t.done()
	}
}

func (t *importDialog) onCancel() {
	if t.stop != nil {
		t.stop() // the run ends with "导入已取消" and writes nothing
		return
	}
	t.d.Hide()
}
