package reports

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// Golden renders: page 1 of each kind of document, rendered by pdftoppm at
// 40 dpi, compared with testdata/golden/*.png allowing 1% of pixels to
// differ (anti-aliasing across poppler versions). Regenerate with
//
//	DANGAN_UPDATE_GOLDEN=1 go test ./reports -run TestGolden
//
// DANGAN_SCREENSHOTS=dir also writes 60 dpi renders for docs/screenshots.
// The goldens are made with WenQuanYi Micro Hei; other fonts skip.
func TestGolden(t *testing.T) {
	if _, err := os.Stat(wqyPath); err != nil {
		t.Skip("goldens are rendered with fonts-wqy-microhei")
	}
	fs := cjkFonts(t)
	stickers := make([]Sticker, 64)
	for i := range stickers {
		stickers[i] = Sticker{FondsCode: "Z109", Year: "2026", ItemNo: fmt.Sprintf("%04d", i+1), Org: "XS", Retention: "D30", Pages: fmt.Sprint(i%12 + 1)}
	}
	slip := LoanSlip{No: "JY20260501-003", FondsName: "华东贸易有限公司", Borrower: "周强", Unit: "审计署驻沪特派办",
		Purpose: "年度审计查阅合同原件", LentOn: "2026-05-01", DueOn: "2026-05-15", Handler: "李明"}
	list := DestructionList{No: "XH-2026-001", FondsName: "华东贸易有限公司", Reason: "保管期限已满，经鉴定无继续保存价值。",
		Method: "碎纸机粉碎", Proposer: "李明", ProposedOn: "2026-04-20", Approver: "陈建国", ApprovedOn: "2026-04-28"}
	for _, r := range sampleRows(12) {
		slip.Items = append(slip.Items, LoanItem{Code: r.Code, Title: r.Title, Pages: r.Pages})
		list.Items = append(list.Items, DestructionItem{Code: r.Code, Title: r.Title, Year: "2015", Retention: "D10", Pages: r.Pages})
	}
	slip.Items = slip.Items[:3]
	boxes := sampleBoxes()
	boxes[0].Note = BoxNote{Description: "本盒共20件，其中第0005件为复印件，原件存财务部。", Arranger: "李明", ArrangedOn: "2026-04-30", Checker: "王芳", CheckedOn: "2026-05-01"}
	vols := []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(20)}}
	docs := []struct {
		name  string
		page  int
		write func(*bytes.Buffer) (Result, error)
	}{
		{"catalogue", 2, func(b *bytes.Buffer) (Result, error) {
			return WriteCatalogue(b, fs, vols, CatalogueOptions{Cover: true})
		}},
		{"catalogue-cover", 1, func(b *bytes.Buffer) (Result, error) {
			return WriteCatalogue(b, fs, vols, CatalogueOptions{Cover: true})
		}},
		{"spines", 1, func(b *bytes.Buffer) (Result, error) {
			return WriteSpines(b, fs, boxes, SpineOptions{Paper: A3, Org: true, Category: true})
		}},
		{"boxcover", 1, func(b *bytes.Buffer) (Result, error) { return WriteBoxCovers(b, fs, boxes[:1], A3) }},
		{"boxnote", 1, func(b *bytes.Buffer) (Result, error) { return WriteBoxNotes(b, fs, boxes[:1]) }},
		{"stickers", 1, func(b *bytes.Buffer) (Result, error) {
			return WriteStickers(b, fs, stickers, StickerOptions{Outline: true})
		}},
		{"card", 1, func(b *bytes.Buffer) (Result, error) { return WriteCustomerCard(b, fs, sampleCard(5)) }},
		{"loanslip", 1, func(b *bytes.Buffer) (Result, error) { return WriteLoanSlip(b, fs, slip) }},
		{"destruction", 1, func(b *bytes.Buffer) (Result, error) { return WriteDestructionList(b, fs, list) }},
	}
	update := os.Getenv("DANGAN_UPDATE_GOLDEN") != ""
	shots := os.Getenv("DANGAN_SCREENSHOTS")
	for _, d := range docs {
		var buf bytes.Buffer
		if _, err := d.write(&buf); err != nil {
			t.Fatal(d.name, err)
		}
		got := render(t, buf.Bytes(), d.page, 40, "")
		path := filepath.Join("testdata", "golden", d.name+".png")
		if shots != "" {
			img := render(t, buf.Bytes(), d.page, 60, "")
			savePNG(t, filepath.Join(shots, "print-"+d.name+".png"), img)
		}
		if update {
			savePNG(t, path, got)
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatalf("%s: %v (regenerate with DANGAN_UPDATE_GOLDEN=1)", d.name, err)
		}
		want, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if frac := diff(got, want); frac > 0.01 {
			t.Errorf("%s: %.2f%% of pixels differ from %s", d.name, frac*100, path)
		}
	}
}

func savePNG(t *testing.T, path string, img image.Image) {
	os.MkdirAll(filepath.Dir(path), 0o755)
	var b bytes.Buffer
	gray := image.NewGray(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			gray.Set(x, y, img.At(x, y))
		}
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&b, gray); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// diff returns the fraction of pixels whose grey levels differ by more
// than a quarter; images of different sizes differ entirely.
func diff(a, b image.Image) float64 {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 1
	}
	n, bad := 0, 0
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			n++
			g1 := grey(a, ab.Min.X+x, ab.Min.Y+y)
			g2 := grey(b, bb.Min.X+x, bb.Min.Y+y)
			if g1-g2 > 64 || g2-g1 > 64 {
				bad++
			}
		}
	}
	return float64(bad) / float64(n)
}

func grey(img image.Image, x, y int) int {
	r, g, b, _ := img.At(x, y).RGBA()
	return int((r + g + b) / 3 >> 8)
}
