package reports

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// pdfInfo returns the page count and the first page's size in mm.
func pdfInfo(t testing.TB, pdf []byte) (pages int, wmm, hmm float64) {
	t.Helper()
	cmd := exec.Command("pdfinfo", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo: %s", out)
	}
	pages, _ = strconv.Atoi(string(m[1]))
	s := regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts`).FindSubmatch(out)
	w, _ := strconv.ParseFloat(string(s[1]), 64)
	h, _ := strconv.ParseFloat(string(s[2]), 64)
	return pages, w * 25.4 / 72, h * 25.4 / 72
}

// render renders page (1-based) of a PDF at dpi and returns the image.
// When DANGAN_RENDER_DIR is set the PNG is also kept there as name.png
// (used to look at the pages and for docs/screenshots).
func render(t testing.TB, pdf []byte, page, dpi int, name string) image.Image {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	os.WriteFile(in, pdf, 0o644)
	out := filepath.Join(dir, "out")
	cmd := exec.Command("pdftoppm", "-r", strconv.Itoa(dpi), "-f", strconv.Itoa(page), "-l", strconv.Itoa(page),
		"-png", "-singlefile", in, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("pdftoppm: %v %s", err, b)
	}
	b, err := os.ReadFile(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("DANGAN_RENDER_DIR"); keep != "" && name != "" {
		os.WriteFile(filepath.Join(keep, fmt.Sprintf("%s.png", name)), b, 0o644)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func dark(img image.Image, x, y int) bool {
	r, g, b, _ := img.At(x, y).RGBA()
	return (r+g+b)/3 < 0x8000
}
