package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/goregular"
)

// winFontsDir builds a folder shaped like C:\Windows\Fonts on a Chinese
// Windows 10/11: Microsoft YaHei (msyh.ttc, msyhbd.ttc) and SimSun
// (simsun.ttc) are TrueType collections, SimHei is a plain .ttf with an
// upper-case name, SimSun-ExtB (simsunb.ttf) has no BMP Chinese, and Latin
// fonts sit beside them. The collections are WenQuanYi Micro Hei under
// Windows names; SIMHEI.TTF is its first face written out as a .ttf.
func winFontsDir(t *testing.T) string {
	t.Helper()
	ttc, err := os.ReadFile(wqyPath)
	if err != nil {
		t.Skip("fonts-wqy-microhei not installed")
	}
	face, err := ParseFont(wqyPath, ttc, 0)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "Windows", "Fonts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"msyh.ttc":    ttc,
		"msyhbd.ttc":  ttc,
		"simsun.ttc":  ttc,
		"SIMHEI.TTF":  face.Bytes(),
		"simsunb.ttf": goregular.TTF, // stands in for SimSun-ExtB: no 中
		"arial.ttf":   goregular.TTF,
		"desktop.ini": []byte("[.ShellClassInfo]"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestWindowsFontsFound(t *testing.T) {
	dir := winFontsDir(t)
	var got []string
	for _, p := range FindCJKFonts([]string{dir}) {
		got = append(got, filepath.Base(p))
	}
	if want := "SIMHEI.TTF msyh.ttc msyhbd.ttc simsun.ttc simsunb.ttf"; strings.Join(got, " ") != want {
		t.Fatalf("found %v, want %s", got, want)
	}
}

// TestWindowsFontsDiscovered checks the order PDFs pick fonts in on
// Windows: Microsoft YaHei, then SimHei, then SimSun, whichever is installed.
func TestWindowsFontsDiscovered(t *testing.T) {
	dir := winFontsDir(t)
	for _, tc := range []struct {
		remove []string
		want   string
	}{
		{nil, "msyh.ttc"},
		{[]string{"msyh.ttc", "msyhbd.ttc"}, "SIMHEI.TTF"},
		{[]string{"SIMHEI.TTF"}, "simsun.ttc"},
	} {
		for _, name := range tc.remove {
			os.Remove(filepath.Join(dir, name))
		}
		fs, err := discoverIn([]string{dir})
		if err != nil {
			t.Fatalf("without %v: %v", tc.remove, err)
		}
		cjk := fs.CJK()
		if filepath.Base(cjk.Path) != tc.want || cjk.Index != 0 {
			t.Fatalf("without %v: picked %s#%d, want %s", tc.remove, cjk.Path, cjk.Index, tc.want)
		}
		if !cjk.Has('中') || !cjk.Has('A') || !cjk.Has('0') {
			t.Fatalf("%s lacks Chinese or Latin glyphs", tc.want)
		}
		if err := fs.Check("华东机械有限公司 Z109-KH·2026-0001 第1页"); err != nil {
			t.Fatalf("%s: %v", tc.want, err)
		}
		var buf bytes.Buffer
		if _, err := WriteCatalogue(&buf, fs, []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(3)}},
			CatalogueOptions{}); err != nil {
			t.Fatalf("print with %s: %v", tc.want, err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF")) {
			t.Fatalf("print with %s: not a PDF", tc.want)
		}
	}

	// Only SimSun-ExtB and Latin fonts left: the message says what to add.
	os.Remove(filepath.Join(dir, "simsun.ttc"))
	if _, err := discoverIn([]string{dir}); err == nil {
		t.Fatal("a font without Chinese was chosen")
	}
}

// TestWindowsFontsListed checks the font list in settings offers every face
// of the collections and the plain .ttf, and leaves out fonts with no Chinese.
func TestWindowsFontsListed(t *testing.T) {
	dir := winFontsDir(t)
	var got []string
	for _, c := range ListCJKFonts([]string{dir}) {
		if c.Err != nil {
			t.Fatalf("%s#%d: %v", c.Path, c.Index, c.Err)
		}
		if !c.Latin {
			t.Errorf("%s#%d: no Latin glyphs", c.Path, c.Index)
		}
		got = append(got, filepath.Base(c.Path)+"#"+string(rune('0'+c.Index)))
	}
	want := "msyh.ttc#0 msyh.ttc#1 msyhbd.ttc#0 msyhbd.ttc#1 SIMHEI.TTF#0 simsun.ttc#0 simsun.ttc#1"
	if strings.Join(got, " ") != want {
		t.Fatalf("listed %v, want %s", got, want)
	}
	// A face chosen in settings opens by path and index.
	if _, err := OpenFonts(filepath.Join(dir, "simsun.ttc"), 1); err != nil {
		t.Fatal(err)
	}
}
