package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dangan/data"
)

// waitFor polls until cond holds: backup work runs in a goroutine.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // let the UI callback that made cond true finish drawing
}

// findButton returns the visible button labelled text, dialogs included.
func findButton(w fyne.Window, text string) *widget.Button {
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || found != nil {
			return
		}
		switch v := o.(type) {
		case *widget.Button:
			if v.Text == text {
				found = v
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	for _, o := range w.Canvas().Overlays().List() {
		walk(o)
	}
	walk(w.Canvas().Content())
	return found
}

func TestBackupTabBackupVerifyRestore(t *testing.T) {
	dir := t.TempDir()
	u := newTestUI(t, dir)
	doSetup(t, u)
	selectTab(t, u, "备份与恢复")
	bt := u.main.backup
	wantShown(t, u.win, "立即备份", "自动备份", "检查与恢复", "每天最多一次（退出时）")
	to := t.TempDir()
	typeInto(bt.folder, to)

	// A mismatched encryption password is caught before anything runs.
	bt.encrypt.SetChecked(true)
	typeInto(bt.password, "Backup-2026")
	typeInto(bt.confirmPw, "Backup-2027")
	test.Tap(bt.backupBtn)
	wantShown(t, u.win, "两次输入的备份密码不一致")
	bt.encrypt.SetChecked(false)

	test.Tap(bt.backupBtn)
	waitFor(t, "backup", func() bool { return strings.Contains(bt.result.Text, "备份完成") })
	wantShown(t, u.win, "大小", "用时", "部门 0")
	files, _ := filepath.Glob(filepath.Join(to, "*"+data.BackupExt))
	if len(files) != 1 {
		t.Fatalf("backup files: %v", files)
	}

	typeInto(bt.file, files[0])
	test.Tap(bt.verifyBtn)
	waitFor(t, "verify", func() bool { return strings.Contains(bt.result.Text, "备份完好") || bt.message.Text != "" })
	if bt.message.Text != "" {
		t.Fatal(bt.message.Text)
	}

	// Change the data, then restore: the confirmation names date and counts.
	if _, err := u.store.CreateDepartment(context.Background(), u.user, "09", "后来的部门"); err != nil {
		t.Fatal(err)
	}
	test.Tap(bt.restoreBtn)
	waitFor(t, "confirmation", func() bool { return bt.confirm != nil || bt.message.Text != "" })
	wantShown(t, u.win, "确认恢复", "备份时间：", "部门 0", "用户 1", "重新登录")
	test.Tap(findButton(u.win, "恢复"))
	waitFor(t, "restore", func() bool {
		return u.fatal != "" || u.login != nil && len(u.win.Canvas().Overlays().List()) > 0
	})
	if u.fatal != "" {
		t.Fatal(u.fatal)
	}
	wantShown(t, u.win, "恢复完成", "请重新登录")
	depts, err := u.store.FindDepartments(context.Background())
	if err != nil || len(depts) != 0 {
		t.Fatalf("departments after restore: %v %v", depts, err)
	}
	login(t, u, "admin", "Archive2026")
	if u.main == nil {
		t.Fatal("cannot log in after restore")
	}

	// Automatic backup on exit goes to the backup folder.
	u.autoBackupOnExit()
	auto, _ := filepath.Glob(filepath.Join(dir, "backups", "dangan-auto-*"+data.BackupExt))
	if len(auto) != 1 {
		ents, _ := os.ReadDir(filepath.Join(dir, "backups"))
		t.Fatalf("automatic backups: %v (folder: %v)", auto, ents)
	}
}

func TestBackupTabRefusesBadFile(t *testing.T) {
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	bt := u.main.backup
	bad := filepath.Join(t.TempDir(), "x.danganbak")
	os.WriteFile(bad, []byte("not a backup"), 0o600)
	typeInto(bt.file, bad)
	test.Tap(bt.restoreBtn)
	waitFor(t, "refusal", func() bool { return bt.message.Text != "" })
	if !strings.Contains(bt.message.Text, "不是档案通的备份文件") || bt.confirm != nil {
		t.Fatalf("message %q", bt.message.Text)
	}
}

func TestCloseRunsAutomaticBackupOnce(t *testing.T) {
	dir := t.TempDir()
	u := newTestUI(t, dir)
	doSetup(t, u)
	u.onCloseWindow()
	waitFor(t, "automatic backup", func() bool { return u.autoBackedUp })
	u.autoBackupOnExit() // Close after the window closed: nothing more
	auto, _ := filepath.Glob(filepath.Join(dir, "backups", "dangan-auto-*"+data.BackupExt))
	if len(auto) != 1 {
		t.Fatalf("automatic backups: %v", auto)
	}
}

func TestBackupTabEncrypted(t *testing.T) {
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	bt := u.main.backup
	to := t.TempDir()
	typeInto(bt.folder, to)
	bt.encrypt.SetChecked(true)
	typeInto(bt.password, "Backup-2026")
	typeInto(bt.confirmPw, "Backup-2026")
	test.Tap(bt.backupBtn)
	waitFor(t, "encrypted backup", func() bool { return strings.Contains(bt.result.Text, "已加密") || bt.message.Text != "" })
	files, _ := filepath.Glob(filepath.Join(to, "*"+data.BackupExt))
	if len(files) != 1 {
		t.Fatalf("backup files %v, message %q", files, bt.message.Text)
	}
	typeInto(bt.file, files[0])
	for _, tc := range []struct{ pw, want string }{{"Backup-2027", "备份密码不正确"}, {"Backup-2026", "备份完好"}} {
		test.Tap(bt.verifyBtn)
		if bt.pwDialog == nil {
			t.Fatal("no password dialog")
		}
		wantShown(t, u.win, "输入备份密码")
		typeInto(bt.pwDialog.form.Items[0].Widget.(*entry), tc.pw)
		test.Tap(bt.pwDialog.submit)
		waitFor(t, tc.want, func() bool {
			return strings.Contains(bt.result.Text+bt.message.Text, tc.want)
		})
	}
}
