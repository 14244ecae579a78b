package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangan/data"
)

func TestBackupVerifyRestore(t *testing.T) {
	dir, to := t.TempDir(), t.TempDir()
	vars := map[string]string{"DANGAN_PASSWORD": "Archive2026", "DANGAN_DATA_DIR": dir, "DANGAN_BACKUP_PASSWORD": "Backup-2026"}
	if code, _, errs := run(t, vars, "", "init", "--admin", "admin", "--fonds-name", "华东机械有限公司"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	code, out, errs := run(t, vars, "", "backup", "--to", to)
	if code != 2 || !strings.Contains(errs, "--user") {
		t.Fatalf("backup without --user: %d %q", code, errs)
	}
	code, out, errs = run(t, vars, "", "backup", "--to", to, "--user", "admin")
	plain := strings.TrimSpace(out)
	if code != 0 || !strings.HasSuffix(plain, data.BackupExt) || !strings.Contains(errs, "华东机械有限公司") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	code, out, errs = run(t, vars, "", "backup", "--to", to, "--user", "admin", "--encrypt")
	enc := strings.TrimSpace(out)
	if code != 0 || enc == plain {
		t.Fatalf("encrypted backup: %d %q %q", code, out, errs)
	}
	for _, f := range []string{plain, enc} {
		code, out, errs = run(t, vars, "", "verify", f)
		if code != 0 || strings.TrimSpace(out) != "ok" {
			t.Fatalf("verify %s: %d %q %q", f, code, out, errs)
		}
	}
	wrong := map[string]string{"DANGAN_BACKUP_PASSWORD": "nope"}
	code, out, _ = run(t, wrong, "", "verify", enc)
	if code != 1 || !strings.Contains(out, "备份密码不正确") {
		t.Fatalf("verify wrong password: %d %q", code, out)
	}
	junk := filepath.Join(to, "junk.danganbak")
	os.WriteFile(junk, []byte("PK\x03\x04 truncated"), 0o600)
	code, out, _ = run(t, vars, "", "verify", junk)
	if code != 1 || !strings.Contains(out, "不完整") {
		t.Fatalf("verify junk: %d %q", code, out)
	}

	// Restore asks first; "no" changes nothing.
	code, _, errs = run(t, vars, "no\n", "restore", enc, "--user", "admin")
	if code != 1 || !strings.Contains(errs, "已取消") {
		t.Fatalf("restore declined: %d %q", code, errs)
	}
	code, out, errs = run(t, vars, "", "restore", plain, "--user", "admin", "--yes")
	if code != 0 || !strings.Contains(out, "已恢复") || !strings.Contains(out, "dangan-before-restore-") {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	// Not while the window holds the directory.
	lock, err := data.LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	code, _, errs = run(t, vars, "", "restore", plain, "--user", "admin", "--yes")
	if code == 0 || !strings.Contains(errs, "正在使用") {
		t.Fatalf("restore while locked: %d %q", code, errs)
	}
}
