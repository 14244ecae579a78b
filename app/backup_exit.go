package app

import (
	"context"
	"log"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// onCloseWindow runs the automatic backup, when one is due, before the
// window closes, showing its progress; then it closes the window.
func (u *UI) onCloseWindow() {
	if u.exiting {
		return
	}
	if u.main != nil && u.main.backup != nil && u.main.backup.swapping {
		// Closing would not lose data (Open finishes the swap), but the
		// restore takes seconds: say so instead of vanishing half way.
		dialog.NewInformation("正在恢复", "正在用备份替换数据，完成后即可关闭。", u.win).Show()
		return
	}
	if !u.autoBackupDue() {
		u.win.Close()
		return
	}
	u.exiting = true
	bar := widget.NewProgressBar()
	d := dialog.NewCustomWithoutButtons("正在退出", container.NewVBox(
		widget.NewLabel("正在自动备份并读回检查，完成后档案通将关闭，请稍候…"), bar), u.win)
	d.Show()
	var last atomic.Int64
	go func() {
		res, err := u.store.AutoBackup(context.Background(), func(done, total int64) {
			if p := done * 100 / max(total, 1); last.Swap(p) != p {
				fyne.Do(func() { bar.SetValue(float64(p) / 100) })
			}
		})
		fyne.Do(func() {
			u.autoBackedUp = true
			d.Hide()
			if err == nil {
				logAutoBackup(res, nil)
				u.win.Close()
				return
			}
			logAutoBackup(nil, err)
			ed := dialog.NewCustom("自动备份失败", "仍然退出", lines("自动备份没有完成：",
				data.ErrorMessage(err), "数据本身没有受到影响。请在“备份与恢复”中检查备份文件夹。"), u.win)
			ed.SetOnClosed(u.win.Close)
			ed.Show()
		})
	}()
}

// autoBackupDue reports whether an automatic backup should run on exit.
func (u *UI) autoBackupDue() bool {
	if u.store == nil || u.autoBackedUp {
		return false
	}
	ctx := context.Background()
	if ok, err := u.store.Initialized(ctx); err != nil || !ok {
		return false
	}
	set, err := u.store.BackupSettings(ctx)
	return err == nil && set.AutoBackupDue(u.store.Now())
}

// autoBackupOnExit makes the automatic backup when one is due and the
// window did not already (the program was ended another way).
func (u *UI) autoBackupOnExit() {
	if !u.autoBackupDue() {
		return
	}
	u.autoBackedUp = true
	logAutoBackup(u.store.AutoBackup(context.Background(), nil))
}

func logAutoBackup(res *data.BackupResult, err error) {
	switch {
	case err != nil:
		log.Printf("automatic backup: %v", err)
	case res != nil:
		log.Printf("automatic backup: %s (%s, %s)", res.Path, data.FormatSize(res.Size), data.FormatDuration(res.Duration))
	}
}
