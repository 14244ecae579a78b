package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	code, out, errs := run(t, nil, "", "demo", dir, "--customers", "300", "--items", "3000", "--years", "5")
	if code != 0 || strings.TrimSpace(out) != dir || !strings.Contains(errs, "完成") {
		t.Fatalf("demo: %d %q %q", code, out, errs)
	}
	if code, out, _ := run(t, nil, "", "--data-dir", dir, "check"); code != 0 || strings.TrimSpace(out) != "ok" {
		t.Fatalf("check: %d %q", code, out)
	}
	// The office is usable at once: log in and list it.
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	code, out, errs = run(t, pw, "", "--data-dir", dir, "list", "customers", "--user", "admin")
	if code != 0 || strings.Count(out, "\n") != 301 {
		t.Fatalf("list customers: %d, %d lines, %q", code, strings.Count(out, "\n"), errs)
	}
	code, out, errs = run(t, pw, "", "--data-dir", dir, "list", "users", "--user", "op01")
	if code != 0 || !strings.Contains(out, "op01") {
		t.Fatalf("list users as op01: %d %q %q", code, out, errs)
	}
	// Never over an existing office; sizes must be positive.
	if code, _, errs := run(t, nil, "", "demo", dir, "--items", "10"); code == 0 || !strings.Contains(errs, "已有数据库") {
		t.Fatalf("demo over an office: %d %q", code, errs)
	}
	if code, _, _ := run(t, nil, "", "demo", filepath.Join(t.TempDir(), "x"), "--items", "-1"); code != 2 {
		t.Fatalf("negative size: exit %d", code)
	}
}
