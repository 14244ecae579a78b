package reports

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func sampleRows(n int) []CatalogueRow {
	rows := make([]CatalogueRow, n)
	for i := range rows {
		rows[i] = CatalogueRow{
			Code:   fmt.Sprintf("Z109-KH·2026-D30-XS-%04d", i+1),
			Author: "销售部",
			Title:  fmt.Sprintf("关于与上海华东机电设备有限公司签订2026年度设备采购合同的请示（第%d号）", i+1),
			Date:   "2026-03-15",
			Pages:  fmt.Sprint(i%9 + 1),
		}
		if i%3 == 0 {
			rows[i].DocNo = fmt.Sprintf("销字〔2026〕%d号", i+1)
			rows[i].Secrecy = "内部"
		}
		if i%5 == 1 {
			rows[i].MadeUpTitle = true
			rows[i].Title = "客户拜访记录"
		}
		if i%7 == 2 {
			rows[i].Title = strings.Repeat("很长的题名需要换行并且缩小字号以保证不会超出单元格", 4)
			rows[i].Note = "原件存财务部"
		}
	}
	return rows
}

func sampleHeader() CatalogueHeader {
	return CatalogueHeader{FondsCode: "Z109", FondsName: "华东贸易有限公司", Category: "客户档案", Year: "2026", Retention: "D30", Org: "销售部"}
}

func TestCataloguePagesAndText(t *testing.T) {
	fs := cjkFonts(t)
	for _, tc := range []struct {
		opt   CatalogueOptions
		n     int
		pages int
		w, h  float64
	}{
		{CatalogueOptions{}, 30, 3, 297, 210},
		{CatalogueOptions{Rows: RowsWide}, 30, 3, 297, 210},
		{CatalogueOptions{Rows: RowsWide, Portrait: true, Cover: true}, 23, 4, 210, 297},
		{CatalogueOptions{Rows: 20}, 41, 3, 297, 210},
	} {
		vols := []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(tc.n)}}
		var buf bytes.Buffer
		res, err := WriteCatalogue(&buf, fs, vols, tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		if res.Pages != tc.pages || CataloguePages(vols, tc.opt) != tc.pages {
			t.Errorf("%+v: pages %d / %d, want %d", tc.opt, res.Pages, CataloguePages(vols, tc.opt), tc.pages)
		}
		pages, w, h := pdfInfo(t, buf.Bytes())
		if pages != tc.pages || abs(w-tc.w) > 0.5 || abs(h-tc.h) > 0.5 {
			t.Errorf("%+v: pdfinfo %d pages %.1f×%.1f mm", tc.opt, pages, w, h)
		}
		text := pdfText(t, buf.Bytes())
		flat := strings.Join(strings.Fields(text), "")
		// Every code, in order, in the 档号 cell of its row: words read back
		// with their positions, joined per row.
		var codes []string
		for p := 1; p <= tc.pages; p++ {
			if tc.opt.Cover && p == 1 {
				continue
			}
			codes = append(codes, columnTexts(t, buf.Bytes(), p, 1, tc.opt)...)
		}
		for i, r := range vols[0].Rows {
			if i >= len(codes) || codes[i] != r.Code {
				t.Fatalf("%+v: row %d shows code %q, want %q", tc.opt, i+1, codes[min(i, len(codes)-1)], r.Code)
			}
		}
		body := tc.pages
		if tc.opt.Cover {
			body--
		}
		for p := 1; p <= body; p++ {
			if want := fmt.Sprintf("第%d页共%d页", p, body); !strings.Contains(flat, want) {
				t.Errorf("%+v: no %q", tc.opt, want)
			}
		}
		for _, want := range []string{"归档文件目录", "全宗名称：华东贸易有限公司", "保管期限：定期30年", "[客户拜访记录]", "20260315", "销字〔2026〕1号", "题名", "备注"} {
			if !strings.Contains(flat, want) {
				t.Errorf("%+v: no %q in text", tc.opt, want)
			}
		}
		if tc.opt.Cover && !strings.Contains(text, "Z109") {
			t.Errorf("cover without 全宗号")
		}
	}
}

func TestCatalogueRender(t *testing.T) {
	for _, f := range []struct {
		name  string
		fonts func(testing.TB) *Fonts
	}{{"wqy", cjkFonts}, {"droid", droidFonts}} {
		t.Run(f.name, func(t *testing.T) {
			fs := f.fonts(t)
			var buf bytes.Buffer
			vols := []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(20)}}
			if _, err := WriteCatalogue(&buf, fs, vols, CatalogueOptions{Cover: true}); err != nil {
				t.Fatal(err)
			}
			render(t, buf.Bytes(), 1, 60, "catalogue-cover-"+f.name)
			render(t, buf.Bytes(), 2, 60, "catalogue-"+f.name)
			render(t, buf.Bytes(), 2, 120, "catalogue-hi-"+f.name)
			buf.Reset()
			if _, err := WriteCatalogue(&buf, fs, vols, CatalogueOptions{Portrait: true, Rows: RowsWide}); err != nil {
				t.Fatal(err)
			}
			render(t, buf.Bytes(), 1, 60, "catalogue-portrait-"+f.name)
		})
	}
}

func TestCatalogueEmpty(t *testing.T) {
	fs := cjkFonts(t)
	var buf bytes.Buffer
	if _, err := WriteCatalogue(&buf, fs, []CatalogueVolume{{Header: sampleHeader()}}, CatalogueOptions{}); err != ErrNothingToPrint {
		t.Fatalf("got %v", err)
	}
	if buf.Len() != 0 {
		t.Fatal("bytes written")
	}
}

func TestCatalogueRareCharacters(t *testing.T) {
	fs := cjkFonts(t)
	rows := sampleRows(3)
	rows[1].Author = "张𠀾"
	var buf bytes.Buffer
	res, err := WriteCatalogue(&buf, fs, []CatalogueVolume{{Header: sampleHeader(), Rows: rows}}, CatalogueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Replaced) != 1 || res.Replaced[0] != 0x2003E || !strings.Contains(res.ReplacedNote(), "U+2003E") {
		t.Fatalf("replaced %q", res.Replaced)
	}
	if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "张〓") {
		t.Errorf("marker not printed:\n%s", text)
	}
	rows[2].Title = "藏文\u0F40"
	buf.Reset()
	_, err = WriteCatalogue(&buf, fs, []CatalogueVolume{{Header: sampleHeader(), Rows: rows}}, CatalogueOptions{})
	if err == nil || !strings.Contains(err.Error(), "U+0F40") || buf.Len() != 0 {
		t.Fatalf("uncovered character: %v, %d bytes", err, buf.Len())
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestCatalogueProgress(t *testing.T) {
	fs := cjkFonts(t)
	vols := []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(50)}}
	var seen []int
	opt := CatalogueOptions{Progress: func(done, total int) bool {
		if total != 4 {
			t.Errorf("total %d", total)
		}
		seen = append(seen, done)
		return done < 2
	}}
	var buf bytes.Buffer
	if _, err := WriteCatalogue(&buf, fs, vols, opt); err != ErrCancelled || buf.Len() != 0 {
		t.Fatalf("got %v, %d bytes", err, buf.Len())
	}
	if fmt.Sprint(seen) != "[1 2]" {
		t.Errorf("progress %v", seen)
	}
}

// TestCatalogueNothingRunsOff checks with pdftotext -bbox that every word
// on a catalogue page lies inside one column of the table (or the page
// margins, for the header and footer), however long the texts are.
func TestCatalogueNothingRunsOff(t *testing.T) {
	fs := cjkFonts(t)
	rows := sampleRows(14)
	for i := range rows {
		rows[i].Author = strings.Repeat("华东机电设备有限公司销售部", i%3+1)
		rows[i].Note = strings.Repeat("原件存财务部", i%4+1)
		rows[i].DocNo = "华机销字〔2026〕第" + strings.Repeat("1", i+1) + "号"
		rows[i].Title = strings.Repeat("超长题名ABCDEFGHIJ0123456789", i+1)
	}
	for _, opt := range []CatalogueOptions{{}, {Portrait: true}, {Rows: 30}} {
		var buf bytes.Buffer
		if _, err := WriteCatalogue(&buf, fs, []CatalogueVolume{{Header: sampleHeader(), Rows: rows}}, opt); err != nil {
			t.Fatal(err)
		}
		pw, ph, ws := 297.0, 210.0, []float64{12, 46, 30, 28, 0, 20, 12, 12, 18}
		if opt.Portrait {
			pw, ph, ws = 210, 297, catalogueColsPortrait
		}
		cw := widths(ws, pw-30)
		edges := []float64{15}
		for _, w := range cw {
			edges = append(edges, edges[len(edges)-1]+w)
		}
		words := pdfWords(t, buf.Bytes())
		if len(words) < 100 {
			t.Fatalf("only %d words", len(words))
		}
		for _, w := range words {
			if w.x0 < 14.5 || w.x1 > pw-14.5 {
				t.Errorf("%+v: %q runs off the page (%.1f–%.1f mm)", opt, w.text, w.x0, w.x1)
				continue
			}
			if w.y0 < 31 || w.y0 > ph-16 { // header, footer
				continue
			}
			inside := false
			for i := 0; i+1 < len(edges); i++ {
				if w.x0 >= edges[i]-0.3 && w.x1 <= edges[i+1]+0.3 {
					inside = true
				}
			}
			if !inside {
				t.Errorf("%+v: %q crosses a column edge (%.1f–%.1f mm)", opt, w.text, w.x0, w.x1)
			}
			if w.y0 < 41 { // column heads
				continue
			}
			rowH := (ph - 16 - 41) / float64(opt.rows())
			band := int((w.y0 - 41) / rowH)
			if top := 41 + float64(band)*rowH; w.y1 > top+rowH+0.3 {
				t.Errorf("%+v: %q runs out of its row (%.1f–%.1f mm, row %.1f–%.1f)", opt, w.text, w.y0, w.y1, top, top+rowH)
			}
		}
	}
}

type word struct {
	text           string
	x0, y0, x1, y1 float64 // mm
}

// columnTexts returns the text of column col in each filled row of
// catalogue page p, its words joined in reading order.
func columnTexts(t *testing.T, pdf []byte, p, col int, opt CatalogueOptions) []string {
	pw, ph, ws := 297.0, 210.0, []float64{12, 46, 30, 28, 0, 20, 12, 12, 18}
	if opt.Portrait {
		pw, ph, ws = 210, 297, catalogueColsPortrait
	}
	cw := widths(ws, pw-30)
	x0 := 15.0
	for _, w := range cw[:col] {
		x0 += w
	}
	x1 := x0 + cw[col]
	rowH := (ph - 16 - 41) / float64(opt.rows())
	rows := make([]string, opt.rows())
	for _, w := range pdfWordsPage(t, pdf, p) {
		cx, cy := (w.x0+w.x1)/2, (w.y0+w.y1)/2
		if cx < x0 || cx > x1 || cy < 41 || cy > ph-16 {
			continue
		}
		rows[int((cy-41)/rowH)] += w.text
	}
	for len(rows) > 0 && rows[len(rows)-1] == "" {
		rows = rows[:len(rows)-1]
	}
	return rows
}

func pdfWords(t *testing.T, pdf []byte) []word { return pdfWordsPage(t, pdf, 1) }

func pdfWordsPage(t *testing.T, pdf []byte, page int) []word {
	out := pdfText(t, pdf, "-bbox", "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	var words []word
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		var v [4]float64
		for i := range v {
			v[i], _ = strconv.ParseFloat(m[i+1], 64)
			v[i] *= 25.4 / 72
		}
		words = append(words, word{m[5], v[0], v[1], v[2], v[3]})
	}
	return words
}

func TestCatalogueVolumes(t *testing.T) {
	fs := cjkFonts(t)
	h2 := sampleHeader()
	h2.Retention, h2.Year = "Y", "2025"
	vols := []CatalogueVolume{{Header: sampleHeader(), Rows: sampleRows(30)}, {Header: h2, Rows: sampleRows(5)}, {Header: h2}}
	opt := CatalogueOptions{Cover: true}
	var buf bytes.Buffer
	res, err := WriteCatalogue(&buf, fs, vols, opt)
	if err != nil || res.Pages != 6 || CataloguePages(vols, opt) != 6 {
		t.Fatalf("pages %d / %d, %v", res.Pages, CataloguePages(vols, opt), err)
	}
	pages := strings.Split(pdfText(t, buf.Bytes()), "\f")
	flat := func(p int) string { return strings.Join(strings.Fields(pages[p]), "") }
	for p, want := range []string{"保管期限：定期30年", "第1页共3页", "第2页共3页", "第3页共3页", "保管期限：永久", "第1页共1页"} {
		if !strings.Contains(flat(p), want) {
			t.Errorf("page %d: no %q", p+1, want)
		}
	}
	if !strings.Contains(flat(4), "年度：2025") {
		t.Errorf("second cover: %s", flat(4))
	}
}
