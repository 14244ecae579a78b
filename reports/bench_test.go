package reports

import (
	"fmt"
	"io"
	"testing"

	"github.com/jung-kurt/gofpdf"
)

// Benchmarks of the issue: a 10,000-row catalogue (715 pages) and 1,000
// spine strips, each beside a floor: bare gofpdf writing the same number
// of cells (or strips) with one font, no coverage split, wrapping or
// shrinking. Font parsing is measured separately (BenchmarkFontLoad).

func BenchmarkCatalogue10k(b *testing.B) {
	fs := cjkFonts(b)
	vols := []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(10000)}}
	b.ReportAllocs()
	for b.Loop() {
		res, err := WriteCatalogue(io.Discard, fs, vols, CatalogueOptions{})
		if err != nil || res.Pages != 715 {
			b.Fatal(res.Pages, err)
		}
	}
}

func BenchmarkCatalogue10kFloor(b *testing.B) {
	fs := cjkFonts(b)
	rows := sampleRows(10000)
	cw := widths([]float64{12, 46, 30, 28, 0, 20, 12, 12, 18}, 267)
	b.ReportAllocs()
	for b.Loop() {
		pdf := gofpdf.New("L", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes("f0", "", fs.CJK().data)
		pdf.SetFont("f0", "", 9)
		rowH := 10.7
		for i, r := range rows {
			if i%14 == 0 {
				pdf.AddPage()
				pdf.SetFont("f0", "", 9)
				pdf.Text(130, 15, "归档文件目录")
				pdf.Text(140, 200, fmt.Sprintf("第 %d 页 共 %d 页", i/14+1, 715))
			}
			y := 41 + float64(i%14)*rowH
			x := 15.0
			for c, s := range rowCells(i, r) {
				pdf.Rect(x, y, cw[c], rowH, "D")
				pdf.Text(x+1, y+6, s)
				x += cw[c]
			}
		}
		if err := pdf.Output(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func benchBoxes(n int) []Box {
	boxes := make([]Box, n)
	for i := range boxes {
		boxes[i] = Box{Code: fmt.Sprintf("%04d", i+1), FondsCode: "Z109", Category: "客户档案", Year: "2026", Retention: "D30",
			Org: "销售部", StartNo: fmt.Sprintf("%04d", i*20+1), EndNo: fmt.Sprintf("%04d", i*20+20), SpineMM: SpineWidths[i%4],
			Barcode: fmt.Sprintf("Z109-KH.2026-D30-B%04d", i+1)}
	}
	return boxes
}

func BenchmarkSpines1000(b *testing.B) {
	fs := cjkFonts(b)
	boxes := benchBoxes(1000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WriteSpines(io.Discard, fs, boxes, SpineOptions{Paper: A3, Org: true, Category: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSpines1000Floor(b *testing.B) {
	fs := cjkFonts(b)
	boxes := benchBoxes(1000)
	b.ReportAllocs()
	for b.Loop() {
		pdf := gofpdf.New("P", "mm", "A3", "")
		pdf.AddUTF8FontFromBytes("f0", "", fs.CJK().data)
		x := 300.0
		for _, bx := range boxes {
			w := float64(bx.SpineMM)
			if x+w > 285 {
				pdf.AddPage()
				pdf.SetFont("f0", "", 12)
				x = 12
			}
			pdf.Rect(x, 55, w, 310, "D")
			y := 60.0
			for _, s := range []string{"全宗号", bx.FondsCode, "年度", bx.Year, "保管期限", "30年", "起止件号", bx.StartNo, "至", bx.EndNo, "盒号", bx.Code, "机构", bx.Org, "门类", bx.Category} {
				pdf.Text(x+2, y, s)
				y += 12
			}
			mods, _ := code128Modules(bx.Barcode)
			for i, m := range mods {
				if m {
					pdf.Rect(x+2, 260+float64(i)*0.3, w-4, 0.3, "F")
				}
			}
			x += w
		}
		if err := pdf.Output(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFontLoad(b *testing.B) {
	if testing.Short() {
		b.Skip()
	}
	for b.Loop() {
		if _, err := LoadFont(wqyPath, 0); err != nil {
			b.Skip(err)
		}
	}
}
