package cli

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dangan/data"
	"dangan/reports"
)

// printFixture makes a data directory with 30 items of KH-02 2026 D30 XS
// (the first 6 in 3 boxes) and 2 of 2025.
func printFixture(t *testing.T) (dir string, ids []int64) {
	t.Helper()
	if _, err := reports.DiscoverFonts(); err != nil {
		t.Skipf("no Chinese font: %v", err)
	}
	dir = t.TempDir()
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	if code, _, errs := run(t, pw, "", "init", "--admin", "admin", "--fonds-code", "Z109", "--fonds-name", "华东机械有限公司", "--data-dir", dir); code != 0 {
		t.Fatal(errs)
	}
	s, _ := data.Open(dir)
	defer s.Close()
	ctx := t.Context()
	admin, _ := s.Authenticate(ctx, "admin", "Archive2026")
	sales, _ := s.CreateDepartment(ctx, admin, "01", "销售部")
	s.SetOrgCode(ctx, admin, sales.ID, "XS")
	kh02, _ := s.CategoryByCode(ctx, "KH-02")
	for i := 0; i < 32; i++ {
		y := 2026
		if i >= 30 {
			y = 2025
		}
		it, err := s.CreateItem(ctx, admin, data.ItemInput{CategoryID: kh02.ID, Year: y, Retention: "D30", DeptID: sales.ID,
			Title: "年度购销合同（ABC-123）第" + string(rune('一'+i%3)) + "份", Author: "销售部", Pages: 2, Date: "2026-05-01"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	for i, th := range []int{20, 30, 50} {
		if _, err := s.BoxItems(ctx, admin, 0, ids[2*i:2*i+2], data.BoxInput{Thickness: th, Filer: "王芳"}); err != nil {
			t.Fatal(err)
		}
	}
	return dir, ids
}

func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func pdfInfo(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	return string(out)
}

func TestPrintCatalogueCLI(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	dir, ids := printFixture(t)
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	out := filepath.Join(t.TempDir(), "目录.pdf")
	code, stdout, errs := run(t, pw, "", "print", "catalogue", "--user", "admin", "-o", out, "--category", "KH-02",
		"--year", "2026", "--retention", "D30", "--org", "XS", "--cover", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("print catalogue: %d %q", code, errs)
	}
	// 30 items at 14 a page: 3 pages, plus the volume's cover.
	if !strings.Contains(stdout, "4 页") || !regexp.MustCompile(`Pages:\s+4\n`).MatchString(pdfInfo(t, out)) {
		t.Fatalf("pages: %q\n%s", stdout, pdfInfo(t, out))
	}
	text := pdfText(t, out)
	last := -1
	for i := 1; i <= 30; i++ {
		c := "Z109-KH·2026-D30-XS-" + leftPad(i)
		at := strings.Index(text, c)
		if at < last {
			t.Fatalf("%s missing or out of order:\n%s", c, text)
		}
		last = at
	}
	for _, want := range []string{"华东机械有限公司", "KH-02 合同协议", "2026", "XS 销售部", "第 1 页"} {
		if !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(want, " ", "")) {
			t.Fatalf("catalogue lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "2025-D30") {
		t.Fatal("2025 items printed in a 2026 catalogue")
	}
	// The printed items' 档号 are now fixed; the 2025 ones are not.
	s, _ := data.Open(dir)
	defer s.Close()
	admin, _ := s.Authenticate(t.Context(), "admin", "Archive2026")
	for _, c := range []struct {
		id    int64
		fixed bool
	}{{ids[10], true}, {ids[29], true}, {ids[30], false}} {
		it, _ := s.ItemByID(t.Context(), admin, c.id)
		if it.CodeFixed != c.fixed {
			t.Fatalf("%s fixed %v", it.Code, it.CodeFixed)
		}
	}

	// Bad input: nothing selected, a bad row count; no file is left behind.
	none := filepath.Join(t.TempDir(), "空.pdf")
	code, _, errs = run(t, pw, "", "print", "catalogue", "--user", "admin", "-o", none, "--year", "2001", "--data-dir", dir)
	if code == 0 || !strings.Contains(errs, "没有可打印的档案") {
		t.Fatalf("empty: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "print", "catalogue", "--user", "admin", "-o", none, "--rows", "99", "--data-dir", dir)
	if code != 2 || !strings.Contains(errs, "--rows") {
		t.Fatalf("rows: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "print", "catalogue", "--user", "admin", "-o", filepath.Join(t.TempDir(), "无", "x.pdf"), "--data-dir", dir)
	if code != 1 || !strings.Contains(errs, "无法写入") || !strings.Contains(errs, "文件夹不存在") || strings.Contains(errs, "内部错误") {
		t.Fatalf("unwritable: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "print", "catalogue", "--user", "admin", "-o", none, "--font", "/etc/hostname", "--data-dir", dir)
	if code != 1 || strings.Contains(errs, "内部错误") {
		t.Fatalf("not a font: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "print", "labels", "--user", "admin", "-o", none, "--data-dir", dir)
	if code != 2 || !strings.Contains(errs, "不认识的打印内容") {
		t.Fatalf("kind: %d %q", code, errs)
	}
	if m, _ := filepath.Glob(filepath.Join(filepath.Dir(none), "*")); len(m) != 0 {
		t.Fatalf("left behind: %v", m)
	}
}

func leftPad(i int) string { return strings.Repeat("0", 4-len(itoa(i))) + itoa(i) }
func itoa(i int) string    { return strconv.Itoa(i) }

func TestPrintSpinesCLI(t *testing.T) {
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		t.Skip("poppler-utils not installed")
	}
	dir, _ := printFixture(t)
	pw := map[string]string{"DANGAN_PASSWORD": "Archive2026"}
	out := filepath.Join(t.TempDir(), "盒脊.pdf")
	code, stdout, errs := run(t, pw, "", "print", "spines", "--user", "admin", "-o", out, "--category", "KH",
		"--year", "2026", "--boxes", "0001-0003", "--show-org", "--data-dir", dir)
	if code != 0 || !strings.Contains(stdout, "1 页") || !strings.Contains(errs, "100%") {
		t.Fatalf("print spines: %d %q %q", code, stdout, errs)
	}
	// A3 portrait: 297 × 420 mm = 841.89 × 1190.55 pt.
	if info := pdfInfo(t, out); !regexp.MustCompile(`Page size:\s+841\.\d+ x 1190\.\d+ pts \(A3\)`).MatchString(info) {
		t.Fatalf("page size:\n%s", info)
	}
	text := pdfText(t, out)
	for _, want := range []string{"Z109", "0001", "0003", "XS"} {
		if !strings.Contains(text, want) {
			t.Fatalf("spines lack %q:\n%s", want, text)
		}
	}
	// A4 (shortened) on request; a range with no boxes is an error.
	code, _, errs = run(t, pw, "", "print", "spines", "--user", "admin", "-o", out, "--paper", "A4", "--boxes", "2", "--data-dir", dir)
	if code != 0 || !strings.Contains(pdfInfo(t, out), "(A4)") {
		t.Fatalf("A4: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "print", "spines", "--user", "admin", "-o", out, "--boxes", "0009-0010", "--data-dir", dir)
	if code == 0 || !strings.Contains(errs, "没有档案盒") {
		t.Fatalf("no boxes: %d %q", code, errs)
	}
	code, _, errs = run(t, pw, "", "print", "spines", "--user", "admin", "-o", out, "--boxes", "9-3", "--data-dir", dir)
	if code == 0 || !strings.Contains(errs, "盒号范围“9-3”不正确") {
		t.Fatalf("bad range: %d %q", code, errs)
	}
	// Covers, notes, stickers go through the same path.
	for _, kind := range []string{"covers", "notes", "stickers"} {
		f := filepath.Join(t.TempDir(), kind+".pdf")
		if code, _, errs := run(t, pw, "", "print", kind, "--user", "admin", "-o", f, "--year", "2026", "--data-dir", dir); code != 0 {
			t.Fatalf("%s: %q", kind, errs)
		}
	}
}
