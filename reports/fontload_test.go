package reports

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const (
	wqyPath   = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
	droidPath = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
)

// cjkFonts returns the fonts for tests: WenQuanYi Micro Hei when installed,
// else whatever DiscoverFonts finds; the test is skipped when there is no
// Chinese font at all.
func cjkFonts(t testing.TB) *Fonts {
	t.Helper()
	if _, err := os.Stat(wqyPath); err == nil {
		fs, err := OpenFonts(wqyPath, 0)
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	fs, err := DiscoverFonts()
	if err != nil {
		t.Skipf("no usable Chinese font installed (%v); install fonts-wqy-microhei", err)
	}
	return fs
}

func droidFonts(t testing.TB) *Fonts {
	t.Helper()
	if _, err := os.Stat(droidPath); err != nil {
		t.Skip("Droid Sans Fallback not installed (apt-get install fonts-droid-fallback)")
	}
	fs, err := OpenFonts(droidPath, 0)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestTTCFaceLoads(t *testing.T) {
	if _, err := os.Stat(wqyPath); err != nil {
		t.Skip("fonts-wqy-microhei not installed")
	}
	data, _ := os.ReadFile(wqyPath)
	if n := FontFaces(data); n < 2 {
		t.Fatalf("faces = %d, want a collection", n)
	}
	for i := 0; i < 2; i++ {
		f, err := LoadFont(wqyPath, i)
		if err != nil {
			t.Fatalf("face %d: %v", i, err)
		}
		for _, r := range "中文档案0Aa" {
			if !f.Has(r) {
				t.Errorf("face %d lacks %q", i, r)
			}
		}
	}
	// The second face (Micro Hei Mono) prints.
	fs, err := OpenFonts(wqyPath, 1)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := WriteLoanSlip(&buf, fs, LoanSlip{Borrower: "周强", Items: []LoanItem{{Code: "Z109-KH·2026-D30-XS-0001", Title: "合同"}}}); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "周强") || !strings.Contains(text, "Z109-KH·2026-D30-XS-0001") {
		t.Errorf("face 1 text:\n%s", text)
	}
	if _, err := LoadFont(wqyPath, 5); err == nil || !strings.Contains(err.Error(), "没有第 6 个") {
		t.Errorf("face 5: %v", err)
	}
}

func TestCFFRefused(t *testing.T) {
	matches, _ := filepath.Glob("/usr/share/fonts/opentype/*/*.otf")
	var cff string
	for _, m := range matches {
		b, _ := os.ReadFile(m)
		if len(b) > 4 && string(b[:4]) == "OTTO" {
			cff = m
			break
		}
	}
	if cff == "" {
		t.Skip("no CFF .otf font installed")
	}
	_, err := LoadFont(cff, 0)
	var fe *FontError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "CFF") || !strings.Contains(err.Error(), "TrueType") {
		t.Fatalf("CFF font %s: %v", cff, err)
	}
}

func TestNotAFont(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.ttf")
	os.WriteFile(p, bytes.Repeat([]byte("not a font "), 10), 0o644)
	if _, err := LoadFont(p, 0); err == nil || !strings.Contains(err.Error(), "不是字体文件") {
		t.Fatalf("got %v", err)
	}
	if _, err := OpenFonts(filepath.Join(t.TempDir(), "missing.ttf"), 0); err == nil || !strings.Contains(err.Error(), "无法读取") {
		t.Fatalf("missing: %v", err)
	}
}

func TestDroidHasNoLatinButFontsDo(t *testing.T) {
	fs := droidFonts(t)
	if fs.CJK().Has('0') {
		t.Skip("this Droid Sans Fallback has digits")
	}
	if err := fs.Check("档号 Z109-KH·2026-D30-XS-0001 第12页"); err != nil {
		t.Fatal(err)
	}
}

func TestCheckNamesMissing(t *testing.T) {
	fs := cjkFonts(t)
	err := fs.Check("合同", "乐\u0F40")
	var me *MissingGlyphError
	if !errors.As(err, &me) || len(me.Runes) != 1 || me.Runes[0] != 0x0F40 || !strings.Contains(err.Error(), "U+0F40") {
		t.Fatalf("got %v", err)
	}
	if err := fs.Check("𠀾先生"); err != nil {
		t.Fatalf("above U+FFFF is not a Check error: %v", err)
	}
	if got := Unprintable("张𠀾𠀾"); len(got) != 1 || got[0] != 0x2003E {
		t.Fatalf("Unprintable = %q", got)
	}
}

func TestDiscoverFonts(t *testing.T) {
	fs, err := DiscoverFonts()
	if err != nil {
		if !errors.Is(err, ErrNoCJKFont) || !strings.Contains(err.Error(), "安装") {
			t.Fatalf("error without advice: %v", err)
		}
		t.Skip(err)
	}
	if !fs.CJK().Has('中') {
		t.Fatal("discovered font has no Chinese")
	}
}

// pdfText returns pdftotext -layout output of a PDF.
func pdfText(t testing.TB, pdf []byte, args ...string) string {
	t.Helper()
	cmd := exec.Command("pdftotext", append(append([]string{}, args...), "-", "-")...)
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("pdftotext: %v", err)
	}
	return string(out)
}

func TestListCJKFonts(t *testing.T) {
	if _, err := os.Stat(wqyPath); err != nil {
		t.Skip("fonts-wqy-microhei not installed")
	}
	list := ListCJKFonts([]string{filepath.Dir(wqyPath), filepath.Dir(droidPath)})
	if len(list) < 2 || list[0].Path != wqyPath || list[0].Family != "文泉驿微米黑" || !list[0].Latin || list[0].Err != nil {
		t.Fatalf("list = %+v", list)
	}
	last := list[len(list)-1]
	if _, err := os.Stat(droidPath); err == nil && (last.Path != droidPath || last.Latin) {
		t.Errorf("Droid Sans Fallback: %+v", last)
	}
}

func TestNoCJKFontAdvice(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "simhei.ttf"), []byte("not a font at all"), 0o644)
	_, err := discoverIn([]string{dir})
	if !errors.Is(err, ErrNoCJKFont) || !strings.Contains(err.Error(), "未找到中文字体") || !strings.Contains(err.Error(), "simhei.ttf") {
		t.Fatalf("got %v", err)
	}
	if runtime.GOOS == "linux" && !strings.Contains(err.Error(), "fonts-wqy-microhei") {
		t.Errorf("no package named: %v", err)
	}
}
