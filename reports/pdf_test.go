package reports

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestSameInputSameBytes(t *testing.T) {
	fs := cjkFonts(t)
	vols := []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(20)}}
	var a, b bytes.Buffer
	if _, err := WriteCatalogue(&a, fs, vols, CatalogueOptions{}); err != nil {
		t.Fatal(err)
	}
	WriteCatalogue(&b, fs, vols, CatalogueOptions{})
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two runs over the same data differ")
	}
	if !bytes.Contains(a.Bytes(), []byte("D:20260101")) {
		t.Error("creation date not fixed")
	}
}

func TestMixedFontsEmbedded(t *testing.T) {
	fs := droidFonts(t)
	var buf bytes.Buffer
	if _, err := WriteCatalogue(&buf, fs, []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(3)}}, CatalogueOptions{}); err != nil {
		t.Fatal(err)
	}
	// Every character was set in a font that has it: digits in the Go font.
	d := newDoc(fs, A4, false)
	for _, r := range d.split("档号Z109-KH·2026 第1页") {
		for _, c := range r.s {
			if !fs.list[r.font].Has(c) {
				t.Errorf("%q set in font %d, which lacks it", c, r.font)
			}
		}
	}
	if runs := d.split("第12页"); len(runs) != 3 || runs[1].font != 1 {
		t.Errorf("digits not in the Latin font: %+v", runs)
	}
	cmd := exec.Command("pdffonts", "-")
	cmd.Stdin = bytes.NewReader(buf.Bytes())
	out, err := cmd.Output()
	if err != nil {
		t.Skip("pdffonts:", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
	if len(lines) != 2 {
		t.Fatalf("want 2 fonts:\n%s", out)
	}
	for _, l := range lines {
		if f := strings.Fields(l); f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
	text := pdfText(t, buf.Bytes())
	if !strings.Contains(text, "Z109-KH·2026-D30-XS-0001") || !strings.Contains(text, "20260315") {
		t.Errorf("digits missing with Droid Sans Fallback:\n%s", text)
	}
}

func TestQPDFCheck(t *testing.T) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		t.Skip("qpdf not installed")
	}
	fs := cjkFonts(t)
	dir := t.TempDir()
	docs := map[string]func(io.Writer) (Result, error){
		"catalogue": func(w io.Writer) (Result, error) {
			return WriteCatalogue(w, fs, []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(30)}}, CatalogueOptions{Cover: true})
		},
		"spines": func(w io.Writer) (Result, error) { return WriteSpines(w, fs, sampleBoxes(), SpineOptions{Paper: A3}) },
		"covers": func(w io.Writer) (Result, error) { return WriteBoxCovers(w, fs, sampleBoxes(), A3) },
		"notes":  func(w io.Writer) (Result, error) { return WriteBoxNotes(w, fs, sampleBoxes()) },
		"stamps": func(w io.Writer) (Result, error) {
			return WriteStickers(w, fs, []Sticker{{FondsCode: "Z109", Year: "2026"}}, StickerOptions{})
		},
		"card": func(w io.Writer) (Result, error) { return WriteCustomerCard(w, fs, sampleCard(20)) },
		"destroy": func(w io.Writer) (Result, error) {
			return WriteDestructionList(w, fs, DestructionList{Items: []DestructionItem{{Code: "A"}}})
		},
		"loan": func(w io.Writer) (Result, error) {
			return WriteLoanSlip(w, fs, LoanSlip{Items: []LoanItem{{Code: "A"}}})
		},
	}
	for name, write := range docs {
		p := filepath.Join(dir, name+".pdf")
		if _, err := WriteFile(p, write); err != nil {
			t.Fatal(name, err)
		}
		if out, err := exec.Command("qpdf", "--check", p).CombinedOutput(); err != nil {
			t.Errorf("%s: qpdf --check: %v\n%s", name, err, out)
		}
	}
}

func TestWriteFileNoPartial(t *testing.T) {
	fs := cjkFonts(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "目录.pdf")
	vols := []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(5)}}
	res, err := WriteFile(out, func(w io.Writer) (Result, error) { return WriteCatalogue(w, fs, vols, CatalogueOptions{}) })
	if err != nil || res.Pages != 1 {
		t.Fatal(res, err)
	}
	if b, _ := os.ReadFile(out); !bytes.HasPrefix(b, []byte("%PDF")) {
		t.Fatal("not a PDF")
	}
	// A failing document leaves neither the file nor a temp file.
	bad := filepath.Join(dir, "bad.pdf")
	vols[0].Rows[0].Title = "\u0F40"
	if _, err := WriteFile(bad, func(w io.Writer) (Result, error) { return WriteCatalogue(w, fs, vols, CatalogueOptions{}) }); err == nil {
		t.Fatal("no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	// A folder that doesn't exist: a Chinese message.
	_, err = WriteFile(filepath.Join(dir, "no", "x.pdf"), func(w io.Writer) (Result, error) { return Result{}, nil })
	if err == nil || !strings.Contains(err.Error(), "无法写入") {
		t.Errorf("missing folder: %v", err)
	}
}

func TestFontWithoutChinese(t *testing.T) {
	p := "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	if _, err := os.Stat(p); err != nil {
		t.Skip("DejaVu Sans not installed")
	}
	if _, err := OpenFonts(p, 0); err == nil || !strings.Contains(err.Error(), "没有中文") {
		t.Fatalf("got %v", err)
	}
	var fe *FontError
	_, err := OpenFonts(p, 0)
	if !errors.As(err, &fe) {
		t.Fatalf("not a FontError: %T", err)
	}
}

func TestRetentionLabel(t *testing.T) {
	for in, want := range map[string]string{"Y": "永久", "D30": "定期30年", "D10": "定期10年", "D5": "定期5年", "长期": "长期", "D": "D"} {
		if got := RetentionLabel(in); got != want {
			t.Errorf("RetentionLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
