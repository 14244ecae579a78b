package app

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dangan/app/cli"
	"dangan/data"
)

// exportFill streams a list's rows into add.
type exportFill func(ctx context.Context, add func([]string) error) error

// exportList asks where to save name.xlsx and writes the list there off the
// UI goroutine: cols are its columns, fill pages through the data with the
// list's current filters and sort.
func (u *UI) exportList(name string, cols []data.ExportColumn, fill exportFill) {
	save := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close() // written again through a temp file and a rename
		u.writeExport(path, name, cols, fill)
	}, u.win)
	save.SetFileName(name + ".xlsx")
	save.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx"}))
	save.Show()
}

// writeExport writes the workbook in the background and shows the result.
func (u *UI) writeExport(path, sheet string, cols []data.ExportColumn, fill exportFill) {
	busy := dialog.NewCustomWithoutButtons("正在导出…", widget.NewProgressBarInfinite(), u.win)
	busy.Show()
	go func() {
		n, err := cli.ExportFile(path, sheet, cols, func(add func([]string) error) error {
			return fill(context.Background(), add)
		})
		fyne.Do(func() {
			busy.Hide()
			if err != nil {
				showError(u.win, err)
				return
			}
			text := widget.NewLabel(fmt.Sprintf("已导出 %d 行到 %s。", n, filepath.Base(path)))
			text.Wrapping = fyne.TextWrapWord
			d := dialog.NewCustom("导出完成", "关闭", text, u.win)
			open := widget.NewButton("打开", func() {
				if err := u.app.OpenURL(&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}); err != nil {
					showError(u.win, err)
				}
			})
			d.SetButtons([]fyne.CanvasObject{open, widget.NewButton("关闭", d.Hide)})
			d.Resize(fyne.NewSize(420, 180))
			d.Show()
		})
	}()
}

// Import and export buttons of the lists: each tab adds these in one line.

func (t *customersTab) excelButtons() (fyne.CanvasObject, fyne.CanvasObject, fyne.CanvasObject, fyne.CanvasObject) {
	u := t.ui
	return widget.NewButton("导入", func() { u.showImport(data.ImportCustomers, t.reload) }),
		widget.NewButton("导入联系人", func() { u.showImport(data.ImportContacts, t.reload) }),
		widget.NewButton("导入沟通纪要", func() { u.showImport(data.ImportComms, t.reload) }),
		widget.NewButton("导出", func() {
			f := t.filter
			u.exportList("客户", data.CustomerExportColumns(), func(ctx context.Context, add func([]string) error) error {
				return u.store.ExportCustomers(ctx, u.user, f, add)
			})
		})
}

func (t *archiveTab) excelButtons() (fyne.CanvasObject, fyne.CanvasObject) {
	u := t.ui
	return widget.NewButton("导入", func() { u.showImport(data.ImportItems, t.reload) }),
		widget.NewButton("导出", func() {
			f := t.filter
			u.exportList("档案", data.ItemExportColumns(), func(ctx context.Context, add func([]string) error) error {
				return u.store.ExportItems(ctx, u.user, f, add)
			})
		})
}

func (t *deptTab) excelButtons() (fyne.CanvasObject, fyne.CanvasObject) {
	u := t.ui
	return widget.NewButton("导入", func() { u.showImport(data.ImportDepartments, t.reload) }),
		widget.NewButton("导出", func() {
			u.exportList("部门", data.DepartmentExportColumns(), func(ctx context.Context, add func([]string) error) error {
				return u.store.ExportDepartments(ctx, add)
			})
		})
}

func (t *auditTab) exportButton() fyne.CanvasObject {
	u := t.ui
	return widget.NewButton("导出", func() {
		f, err := t.filter()
		if err != nil {
			showError(u.win, err)
			return
		}
		u.exportList("操作日志", data.AuditExportColumns(), func(ctx context.Context, add func([]string) error) error {
			return u.store.ExportAudit(ctx, u.user, f, add)
		})
	})
}

func (t *usersTab) exportButton() fyne.CanvasObject {
	u := t.ui
	return widget.NewButton("导出", func() {
		u.exportList("用户", data.UserExportColumns(), func(ctx context.Context, add func([]string) error) error {
			return u.store.ExportUsers(ctx, u.user, add)
		})
	})
}

func (v *boxesView) exportButton() fyne.CanvasObject {
	u := v.t.ui
	return widget.NewButton("导出", func() {
		f := data.BoxFilter{Year: v.t.filter.Year}
		if c, ok := v.t.selectedCategory(); ok {
			f.Class = c.ClassCode
		}
		u.exportList("档案盒", data.BoxExportColumns(), func(ctx context.Context, add func([]string) error) error {
			return u.store.ExportBoxes(ctx, u.user, f, add)
		})
	})
}

func (t *loansTab) exportButton() *widget.Button {
	u := t.ui
	return widget.NewButton("导出", func() {
		f := t.filter
		u.exportList("借阅", data.LoanExportColumns(), func(ctx context.Context, add func([]string) error) error {
			return u.store.ExportLoans(ctx, u.user, f, add)
		})
	})
}
