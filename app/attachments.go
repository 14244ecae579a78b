package app

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// attachView is the attachments dialog of one item: add (file dialog or
// drag and drop onto the window), open with the system viewer, remove.
type attachView struct {
	t       *archiveTab
	item    data.Item
	list    []data.Attachment
	table   *widget.Table
	sel     int
	summary *widget.Label
	message *widget.Label
	dlg     dialog.Dialog
}

var attachColumns = []column{{"文件名", 330}, {"大小", 90}, {"添加时间", 160}}

func (t *archiveTab) showAttachments() {
	it, ok := t.selectedItem()
	if !ok {
		return
	}
	v := &attachView{t: t, item: it, sel: -1, summary: widget.NewLabel(""), message: newMessage()}
	v.table = newTable(attachColumns, func() int { return len(v.list) }, v.cell)
	v.table.OnSelected = func(id widget.TableCellID) { v.sel = id.Row }
	add := widget.NewButton("添加文件…", v.onAdd)
	add.Importance = widget.HighImportance
	open := widget.NewButton("打开", v.onOpen)
	del := widget.NewButton("删除", v.onRemove)
	hint := widget.NewLabel("也可以把文件拖到本窗口中添加。相同内容的文件只保存一份。")
	top := container.NewVBox(container.NewHBox(add, open, del), hint, v.message)
	content := container.NewBorder(top, v.summary, nil, nil, v.table)
	v.dlg = dialog.NewCustom("附件："+it.Code+" "+it.Title, "关闭", content, t.ui.win)
	v.dlg.Resize(fyne.NewSize(640, 420))
	v.dlg.SetOnClosed(func() { t.ui.win.SetOnDropped(t.onDropped); t.refreshKeep() })
	t.ui.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		var paths []string
		for _, u := range uris {
			paths = append(paths, u.Path())
		}
		v.addInBackground(paths)
	})
	v.reload()
	v.dlg.Show()
	t.attachDlg = v
}

func (v *attachView) reload() {
	list, err := v.t.ui.store.FindAttachments(context.Background(), v.t.ui.user, v.item.ID)
	if err != nil {
		showErr(v.message, err)
		return
	}
	v.list = list
	var total int64
	for _, a := range list {
		total += a.Size
	}
	v.summary.SetText(fmt.Sprintf("共 %d 个附件，%s", len(list), data.FormatSize(total)))
	v.table.Refresh()
}

func (v *attachView) cell(row, col int) string {
	if row >= len(v.list) {
		return ""
	}
	a := v.list[row]
	return [...]string{a.Name, data.FormatSize(a.Size), formatTime(a.CreatedAt)}[col]
}

// add stores one file and reports the result in the dialog.
func (v *attachView) add(path string) {
	v.message.SetText("")
	if _, err := v.t.ui.store.AddAttachment(context.Background(), v.t.ui.user, v.item.ID, path); err != nil {
		showErr(v.message, err)
		return
	}
	v.reload()
}

// addInBackground stores files off the UI goroutine: a large scan takes
// seconds to hash and copy.
func (v *attachView) addInBackground(paths []string) {
	v.message.SetText("")
	v.summary.SetText("正在添加附件…")
	store, user, item := v.t.ui.store, v.t.ui.user, v.item.ID
	go func() {
		var err error
		for _, p := range paths {
			if _, err = store.AddAttachment(context.Background(), user, item, p); err != nil {
				break
			}
		}
		fyne.Do(func() {
			if err != nil {
				showErr(v.message, err)
			}
			v.reload()
			if v.t.bgDone != nil {
				v.t.bgDone()
			}
		})
	}()
}

func (v *attachView) onAdd() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		v.addInBackground([]string{path})
	}, v.t.ui.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif",
		".ofd", ".doc", ".docx", ".xls", ".xlsx", ".txt", ".mp3", ".mp4", ".wav"}))
	fd.Resize(fyne.NewSize(800, 560))
	fd.Show()
}

// onOpen copies the stored file to a temp folder under its original name
// (the store keeps it by hash, without an extension) and asks the system
// to open it.
func (v *attachView) onOpen() {
	if v.sel < 0 || v.sel >= len(v.list) {
		return
	}
	a := v.list[v.sel]
	dir := filepath.Join(os.TempDir(), "dangan-open", a.SHA256[:16])
	dst := filepath.Join(dir, filepath.Base(a.Name))
	if err := copyFile(v.t.ui.store.AttachmentPath(a), dst); err != nil {
		log.Printf("open attachment: %v", err)
		v.message.SetText("无法打开附件“" + a.Name + "”：存储的文件缺失或不可读，请联系管理员检查数据目录。")
		return
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(dst)}
	if err := v.t.ui.app.OpenURL(u); err != nil {
		v.message.SetText("无法用系统程序打开“" + a.Name + "”：" + err.Error())
	}
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func (v *attachView) onRemove() {
	if v.sel < 0 || v.sel >= len(v.list) {
		return
	}
	a := v.list[v.sel]
	confirm(v.t.ui.win, "删除附件", fmt.Sprintf("确定删除附件“%s”（%s）吗？（操作会记入日志）", a.Name, data.FormatSize(a.Size)), func() {
		if err := v.t.ui.store.RemoveAttachment(context.Background(), v.t.ui.user, a.ID); err != nil {
			showErr(v.message, err)
			return
		}
		v.sel = -1
		v.reload()
	})
}
