package app

import (
	"context"
	"fmt"
	"log"
	"strconv"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// backupTab is the admins' 备份与恢复 panel: back up now, the automatic
// backup settings, and verify or restore a backup file.
type backupTab struct {
	ui      *UI
	content fyne.CanvasObject

	folder    *entry
	encrypt   *widget.Check
	password  *entry
	confirmPw *entry
	pwRow     *fyne.Container
	backupBtn *widget.Button

	auto     *widget.Select
	keep     *entry
	saveBtn  *widget.Button
	lastAuto *widget.Label

	file       *entry
	verifyBtn  *widget.Button
	restoreBtn *widget.Button

	progress *widget.ProgressBar
	result   *widget.Label
	message  *widget.Label

	pending  *data.PreparedRestore // staged restore awaiting confirmation
	confirm  dialog.Dialog
	pwDialog *formDialog // asks for an encrypted backup's password
	swapping bool        // a restore is replacing the data: the window must stay open
}

var autoModes = []string{data.AutoDaily, data.AutoOnExit, data.AutoOff}

func newBackupTab(u *UI) *backupTab {
	t := &backupTab{ui: u, folder: newEntry(), password: newPasswordEntry(), confirmPw: newPasswordEntry(),
		keep: newEntry(), file: newEntry(), progress: widget.NewProgressBar(),
		result: widget.NewLabel(""), message: newMessage(), lastAuto: widget.NewLabel("")}
	t.result.Wrapping = fyne.TextWrapWord
	t.folder.SetPlaceHolder("例如 U 盘或共享文件夹")
	t.file.SetPlaceHolder("选择一个 .danganbak 备份文件")
	t.password.SetPlaceHolder("备份密码，至少 8 位")
	t.confirmPw.SetPlaceHolder("再输入一次")
	t.pwRow = container.NewGridWithColumns(2, t.password, t.confirmPw)
	t.pwRow.Hide()
	t.encrypt = widget.NewCheck("加密备份（备份要带出办公室时使用；忘记密码将无法恢复）", func(on bool) {
		if on {
			t.pwRow.Show()
		} else {
			t.pwRow.Hide()
		}
	})
	t.backupBtn = widget.NewButton("立即备份", t.onBackup)
	t.backupBtn.Importance = widget.HighImportance
	labels := make([]string, len(autoModes))
	for i, m := range autoModes {
		labels[i] = data.AutoLabel(m)
	}
	t.auto = widget.NewSelect(labels, nil)
	t.saveBtn = widget.NewButton("保存设置", t.onSaveSettings)
	t.verifyBtn = widget.NewButton("检查备份", t.onVerify)
	t.restoreBtn = widget.NewButton("从备份恢复…", t.onRestore)
	t.restoreBtn.Importance = widget.DangerImportance
	t.progress.Hide()

	t.content = t.layout()
	t.reload()
	return t
}

// layout places the three sections and the shared progress and result.
func (t *backupTab) layout() fyne.CanvasObject {
	browseFolder := widget.NewButton("选择…", t.onBrowseFolder)
	browseFile := widget.NewButton("选择…", t.onBrowseFile)
	heading := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	backupBox := container.NewVBox(heading("立即备份"),
		widget.NewForm(widget.NewFormItem("备份文件夹", container.NewBorder(nil, nil, nil, browseFolder, t.folder))),
		t.encrypt, t.pwRow, container.NewHBox(t.backupBtn))
	keep := container.NewHBox(container.NewGridWrap(fyne.NewSize(80, t.keep.MinSize().Height), t.keep),
		widget.NewLabel("份（只删除自动备份，不动其他文件）"))
	autoBox := container.NewVBox(heading("自动备份"),
		widget.NewForm(widget.NewFormItem("方式", t.auto), widget.NewFormItem("保留最近", keep)),
		container.NewHBox(t.saveBtn, t.lastAuto))
	restoreBox := container.NewVBox(heading("检查与恢复"),
		widget.NewForm(widget.NewFormItem("备份文件", container.NewBorder(nil, nil, nil, browseFile, t.file))),
		container.NewHBox(t.verifyBtn, layout.NewSpacer(), t.restoreBtn))
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		backupBox, widget.NewSeparator(), autoBox, widget.NewSeparator(), restoreBox,
		widget.NewSeparator(), t.progress, t.result, t.message)))
}

// reload shows the stored backup settings.
func (t *backupTab) reload() {
	set, err := t.ui.store.BackupSettings(context.Background())
	if err != nil {
		showErr(t.message, err)
		return
	}
	t.folder.SetText(set.Dir)
	t.keep.SetText(strconv.Itoa(set.Keep))
	t.auto.SetSelected(data.AutoLabel(set.Auto))
	last := "尚未自动备份"
	if !set.LastAuto.IsZero() {
		last = "上次自动备份：" + formatTime(set.LastAuto)
	}
	t.lastAuto.SetText(last)
}

// setBusy disables the actions while a backup, check or restore runs.
func (t *backupTab) setBusy(busy bool) {
	for _, b := range []*widget.Button{t.backupBtn, t.saveBtn, t.verifyBtn, t.restoreBtn} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if busy {
		t.progress.SetValue(0)
		t.progress.Show()
		t.result.SetText("")
		t.message.SetText("")
	}
}

// fail shows why the work stopped.
func (t *backupTab) fail(err error) {
	t.progress.Hide()
	t.result.SetText("")
	showErr(t.message, err)
}

// progressFunc returns a callback that moves the bar from the worker
// goroutine, at most once per 0.1 %.
func (t *backupTab) progressFunc() data.Progress {
	var last atomic.Int64
	last.Store(-1)
	return func(done, total int64) {
		if total <= 0 {
			return
		}
		p := done * 1000 / total
		if last.Swap(p) == p {
			return
		}
		fyne.Do(func() { t.progress.SetValue(float64(p) / 1000) })
	}
}

func (t *backupTab) onBrowseFolder() {
	d := dialog.NewFolderOpen(func(uri fyne.ListableURI, err error) {
		if err == nil && uri != nil {
			t.folder.SetText(uri.Path())
		}
	}, t.ui.win)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (t *backupTab) onBrowseFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err == nil && r != nil {
			t.file.SetText(r.URI().Path())
			r.Close()
		}
	}, t.ui.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{data.BackupExt}))
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

func (t *backupTab) onBackup() {
	opt := data.BackupOptions{}
	if t.encrypt.Checked {
		if len([]rune(t.password.Text)) < 8 {
			showErr(t.message, data.Errorf(data.EINVALID, "备份密码至少 8 位"))
			return
		}
		if t.password.Text != t.confirmPw.Text {
			showErr(t.message, data.Errorf(data.EINVALID, "两次输入的备份密码不一致"))
			return
		}
		opt.Password = t.password.Text
	}
	opt.Progress = t.progressFunc()
	dir := strings.TrimSpace(t.folder.Text)
	t.setBusy(true)
	t.result.SetText("正在备份…")
	go func() {
		res, err := t.ui.store.Backup(context.Background(), t.ui.user, dir, opt)
		fyne.Do(func() {
			t.setBusy(false)
			if err != nil {
				t.fail(err)
				return
			}
			t.progress.SetValue(1)
			enc := ""
			if res.Manifest.Encrypted {
				enc = "（已加密）"
			}
			t.result.SetText(fmt.Sprintf("备份完成%s：%s\n大小 %s，用时 %s。内容：%s", enc, res.Path,
				data.FormatSize(res.Size), data.FormatDuration(res.Duration), res.Manifest.CountsText()))
		})
	}()
}

func (t *backupTab) onSaveSettings() {
	t.message.SetText("")
	keep, err := strconv.Atoi(strings.TrimSpace(t.keep.Text))
	if err != nil {
		showErr(t.message, data.Errorf(data.EINVALID, "保留份数应为整数，例如 10"))
		return
	}
	mode := data.AutoDaily
	for _, m := range autoModes {
		if data.AutoLabel(m) == t.auto.Selected {
			mode = m
		}
	}
	set := data.BackupSettings{Dir: strings.TrimSpace(t.folder.Text), Keep: keep, Auto: mode}
	if err := t.ui.store.SetBackupSettings(context.Background(), t.ui.user, set); err != nil {
		showErr(t.message, err)
		return
	}
	t.result.SetText("备份设置已保存。")
}

// withPassword runs next with the backup password: at once for a plain
// backup, after asking for an encrypted one.
func (t *backupTab) withPassword(path string, next func(password string)) {
	if !data.BackupEncrypted(path) {
		next("")
		return
	}
	pw := newPasswordEntry()
	t.pwDialog = newFormDialog(t.ui.win, "输入备份密码", "确定", []*widget.FormItem{widget.NewFormItem("备份密码", pw)}, func() error {
		if pw.Text == "" {
			return data.ErrBackupPassword
		}
		next(pw.Text)
		return nil
	})
	t.pwDialog.Show(t.ui.win)
}

func (t *backupTab) onVerify() {
	path := strings.TrimSpace(t.file.Text)
	t.withPassword(path, func(pw string) {
		t.setBusy(true)
		t.result.SetText("正在检查…")
		prog := t.progressFunc()
		go func() {
			m, err := data.VerifyBackup(context.Background(), path, pw, prog)
			fyne.Do(func() {
				t.setBusy(false)
				if err != nil {
					t.fail(err)
					return
				}
				t.progress.SetValue(1)
				t.result.SetText(fmt.Sprintf("备份完好，可以用于恢复。%s（程序版本 %s，数据结构版本 %d）",
					m.Summary(), m.ProgramVersion, m.SchemaVersion))
			})
		}()
	})
}

// onRestore verifies and stages the backup, then asks, naming its date and
// counts, before anything is replaced.
func (t *backupTab) onRestore() {
	path := strings.TrimSpace(t.file.Text)
	t.withPassword(path, func(pw string) {
		t.setBusy(true)
		t.result.SetText("正在检查备份…")
		prog := t.progressFunc()
		go func() {
			p, err := t.ui.store.PrepareRestore(context.Background(), t.ui.user, path, pw, prog)
			fyne.Do(func() {
				if err != nil {
					t.setBusy(false)
					t.fail(err)
					return
				}
				t.askRestore(p)
			})
		}()
	})
}

func (t *backupTab) askRestore(p *data.PreparedRestore) {
	t.pending = p
	m := p.Manifest
	set, _ := t.ui.store.BackupSettings(context.Background())
	enc := ""
	if m.Encrypted {
		enc = "（已加密）"
	}
	body := lines("用这份备份替换当前的全部数据和附件吗？", "",
		"备份时间："+formatTime(m.CreatedAt)+enc,
		"全宗："+m.FondsCode+" "+m.FondsName,
		"内容："+m.CountsText(),
		fmt.Sprintf("制作程序：档案通 %s（数据结构版本 %d）", m.ProgramVersion, m.SchemaVersion), "",
		"替换前会先把当前数据备份到 "+set.Dir+"。",
		"恢复完成后需要重新登录。")
	t.result.SetText("备份检查通过，等待确认。")
	d := dialog.NewCustomConfirm("确认恢复", "恢复", "取消", body, func(ok bool) {
		t.confirm = nil
		if !ok {
			p.Discard()
			t.pending = nil
			t.setBusy(false)
			t.progress.Hide()
			t.result.SetText("已取消恢复，数据未作任何改动。")
			return
		}
		t.commitRestore(p)
	}, t.ui.win)
	d.Show()
	t.confirm = d
}

func (t *backupTab) commitRestore(p *data.PreparedRestore) {
	t.result.SetText("正在恢复…")
	t.swapping = true
	go func() {
		res, err := p.Commit(context.Background())
		fyne.Do(func() {
			t.pending, t.swapping = nil, false
			t.ui.restoreDone(res, err)
		})
	}()
}

// restoreDone ends the session after a restore: the data under it changed,
// so everyone logs in again against the restored users.
func (u *UI) restoreDone(res *data.RestoreResult, err error) {
	if err != nil {
		log.Printf("restore: %v", err)
		if _, ierr := u.store.Initialized(context.Background()); ierr != nil {
			u.showFatal("恢复没有完成：" + data.ErrorMessage(err) + "\n请重新启动档案通：启动时会自动完成或撤销这次恢复，数据不会半新半旧。")
			return
		}
		if u.main != nil && u.main.backup != nil {
			u.main.backup.setBusy(false)
			showErr(u.main.backup.message, err)
		}
		return
	}
	u.logout()
	m := res.Manifest
	dialog.NewCustom("恢复完成", "知道了", lines(
		"已恢复到 "+formatTime(m.CreatedAt)+" 的备份。",
		"全宗："+m.FondsCode+" "+m.FondsName,
		"内容："+m.CountsText(),
		"恢复前的数据已备份到 "+res.SafetyBackup,
		"请重新登录。"), u.win).Show()
}

// lines stacks one label per line; Fyne's own message dialogs wrap into a
// tall narrow column.
func lines(texts ...string) fyne.CanvasObject {
	box := container.NewVBox()
	for _, s := range texts {
		if s == "" {
			box.Add(layout.NewSpacer())
			continue
		}
		box.Add(widget.NewLabel(s))
	}
	return box
}
