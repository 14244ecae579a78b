package app

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dangan/reports"
)

func TestWritePDFShowsPagesAndWritesFile(t *testing.T) {
	u := newTestUI(t, t.TempDir())
	doSetup(t, u)
	fonts, err := u.fonts()
	if err != nil {
		t.Skipf("no Chinese font: %v", err)
	}
	path := filepath.Join(t.TempDir(), "目录.pdf")
	rows := []reports.CatalogueRow{{Code: "Z109-KH·2026-D30-XS-0001", Title: "年度购销合同", Date: "20260501", Pages: "3"}}
	u.writePDF(path, "请按 100% 比例打印", func(w io.Writer) (reports.Result, error) {
		return reports.WriteCatalogue(w, fonts, []reports.CatalogueVolume{{Header: reports.CatalogueHeader{FondsName: "华东机械有限公司"}, Rows: rows}}, reports.CatalogueOptions{})
	})
	// The test driver runs fyne.Do at once, but the write runs in a goroutine.
	waitFor(t, "the PDF result dialog", func() bool { return strings.Contains(shown(u.win), "打印文件已生成") })
	wantShown(t, u.win, "已生成 目录.pdf，共 1 页。", "请按 100% 比例打印", "打开")
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return
	}
	out, err := exec.Command("pdftotext", path, "-").Output()
	if err != nil || !bytes.Contains(out, []byte("年度购销合同")) {
		t.Fatalf("pdftotext: %v %q", err, out)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

func TestPDFFontPreference(t *testing.T) {
	u := newTestUI(t, t.TempDir())
	u.setPDFFont("/no/such/font.ttf", 0)
	// A remembered font that is gone falls back to the machine's fonts.
	if _, err := reports.DiscoverFonts(); err != nil {
		t.Skip("no Chinese font installed")
	}
	if _, err := u.fonts(); err != nil {
		t.Fatalf("fallback to discovered fonts: %v", err)
	}
	if got := u.app.Preferences().String(prefPDFFontPath); got != "/no/such/font.ttf" {
		t.Fatalf("preference %q", got)
	}
}
