package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"dangan/data"
)

// run executes a command line with the given environment variables and
// returns exit code, stdout and stderr.
func run(t *testing.T, vars map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	inv, err := Parse(args)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return vars[k] }}
	code := Run(inv, env)
	return code, out.String(), errb.String()
}

func TestInitAndCheck(t *testing.T) {
	dir := t.TempDir()
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	code, out, errs := run(t, pw, "", "init", "--admin", "admin", "--fonds-code", "Z109", "--fonds-name", "华东机械有限公司", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "已初始化") {
		t.Fatalf("init: %d %q %q", code, out, errs)
	}
	s, err := data.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(t.Context(), "admin", "Archive2026"); err != nil {
		t.Fatalf("login after init: %v", err)
	}
	f, _ := s.Fonds(t.Context())
	if f.Code != "Z109" || f.Name != "华东机械有限公司" {
		t.Fatalf("fonds %+v", f)
	}
	s.Close()

	code, out, _ = run(t, map[string]string{"DANGAN_DATA_DIR": dir}, "", "check")
	if code != 0 || strings.TrimSpace(out) != "ok" {
		t.Fatalf("check healthy: %d %q", code, out)
	}

	// A second init refuses to overwrite.
	code, _, errs = run(t, pw, "", "--data-dir="+dir, "init", "--admin", "root")
	if code == 0 || !strings.Contains(errs, "已有数据库，init 不会覆盖它") {
		t.Fatalf("second init: %d %q", code, errs)
	}

	// Damage a page in the middle of the file: check must say so, exit 1.
	path := data.DBPath(dir)
	b, _ := os.ReadFile(path)
	if len(b) < 3*4096 {
		t.Fatalf("database only %d bytes", len(b))
	}
	for i := 4096; i < 2*4096; i++ {
		b[i] = 0xA5
	}
	os.WriteFile(path, b, 0o600)
	code, out, errs = run(t, nil, "", "check", "--data-dir", dir)
	if code != 1 || strings.Contains(out, "ok\n") && len(out) == 3 {
		t.Fatalf("check damaged: %d %q %q", code, out, errs)
	}
	if !strings.Contains(errs, "发现") {
		t.Fatalf("check damaged: stderr %q", errs)
	}
}

func TestInitBadInput(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := run(t, map[string]string{"DANGAN_PASSWORD": "weakweak"}, "", "init", "--admin", "admin", "--data-dir", dir)
	if code != 1 || !strings.Contains(errs, "密码太弱") {
		t.Fatalf("weak password: %d %q", code, errs)
	}
	if data.Exists(dir) {
		t.Fatal("a refused init left a database behind")
	}
	code, _, errs = run(t, nil, "", "init", "--data-dir", dir)
	if code != 2 || !strings.Contains(errs, "--admin") {
		t.Fatalf("missing --admin: %d %q", code, errs)
	}
	// Prompted twice, different answers.
	code, _, errs = run(t, nil, "Archive2026\nArchive2027\n", "init", "--admin", "admin", "--data-dir", dir)
	if code != 1 || !strings.Contains(errs, "两次输入的密码不一致") {
		t.Fatalf("mismatch: %d %q", code, errs)
	}
	// Prompted twice, same answers.
	code, _, errs = run(t, nil, "Archive2026\nArchive2026\n", "init", "--admin", "admin", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("prompted init: %d %q", code, errs)
	}
}

func TestHelpVersionUnknown(t *testing.T) {
	code, out, _ := run(t, nil, "", "help")
	if code != 0 || !strings.Contains(out, "dangan init --admin") || !strings.Contains(out, "--data-dir") {
		t.Fatalf("help: %d %q", code, out)
	}
	code, out, _ = run(t, nil, "", "version")
	if code != 0 || !strings.Contains(out, data.Version) {
		t.Fatalf("version: %d %q", code, out)
	}
	code, _, errs := run(t, nil, "", "frobnicate")
	if code != 2 || !strings.Contains(errs, "未知命令“frobnicate”") {
		t.Fatalf("unknown: %d %q", code, errs)
	}
	code, _, errs = run(t, nil, "", "check", "--data-dir", t.TempDir())
	if code != 1 || !strings.Contains(errs, "没有数据库文件") {
		t.Fatalf("check empty dir: %d %q", code, errs)
	}
}

func TestListAuthenticatesAndPrintsTSV(t *testing.T) {
	dir := t.TempDir()
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	if code, _, errs := run(t, pw, "", "init", "--admin", "admin", "--data-dir", dir); code != 0 {
		t.Fatal(errs)
	}
	s, _ := data.Open(dir)
	admin, _ := s.Authenticate(t.Context(), "admin", "Archive2026")
	s.CreateDepartment(t.Context(), admin, "01", "生产中心")
	s.CreateDepartment(t.Context(), admin, "0101", "一车间")
	s.Close()

	code, out, errs := run(t, pw, "", "list", "departments", "--user", "admin", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("list: %d %q", code, errs)
	}
	if want := "编码\t名称\t上级编码\n01\t生产中心\t\n0101\t一车间\t01\n"; out != want {
		t.Fatalf("list departments:\n%q\nwant\n%q", out, want)
	}
	code, _, errs = run(t, map[string]string{"DANGAN_PASSWORD": "wrong"}, "", "list", "users", "--user", "admin", "--data-dir", dir)
	if code != 1 || !strings.Contains(errs, "用户名或密码错误") {
		t.Fatalf("wrong password: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "list", "users", "--data-dir", dir)
	if code != 2 || !strings.Contains(errs, "--user") {
		t.Fatalf("no --user: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "list", "planets", "--user", "admin", "--data-dir", dir)
	if code != 2 || !strings.Contains(errs, "不能列出“planets”") {
		t.Fatalf("unknown kind: %d %q", code, errs)
	}
}
