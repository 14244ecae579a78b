package reports

import (
	"bytes"
	"fmt"
	"image"
	"strings"
	"testing"
)

func sampleBoxes() []Box {
	widths := []int{20, 30, 40, 50, 20, 30}
	var boxes []Box
	for i, w := range widths {
		boxes = append(boxes, Box{
			Code: fmt.Sprintf("%04d", i+1), FondsCode: "Z109", FondsName: "华东贸易有限公司",
			Category: "客户档案", Year: "2026", Retention: "D30", Org: "人力资源部",
			StartNo: fmt.Sprintf("%04d", i*20+1), EndNo: fmt.Sprintf("%04d", i*20+20), SpineMM: w,
			Barcode: fmt.Sprintf("Z109-KH.2026-D30-B%04d", i+1),
		})
	}
	boxes[0].Retention = "Y"
	return boxes
}

func TestCode128RoundTrip(t *testing.T) {
	for i, p := range code128Patterns {
		sum := 0
		for _, c := range p {
			sum += int(c - '0')
		}
		if want := map[bool]int{true: 13, false: 11}[i == 106]; sum != want {
			t.Errorf("pattern %d sums to %d", i, sum)
		}
	}
	for _, s := range []string{"Z109-KH.2026-D30-B0001", "0003", "123456789", "A1", "B12345x", "hello world"} {
		mods, err := code128Modules(s)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decode128(runsOf(mods))
		if err != nil || got != s {
			t.Errorf("%q decodes to %q, %v", s, got, err)
		}
	}
	if _, err := code128("档号"); err == nil {
		t.Error("non-ASCII accepted")
	}
	if got := BarcodeText("Z109-KH·2026-D30-XS-0001"); got != "Z109-KH.2026-D30-XS-0001" {
		t.Errorf("BarcodeText = %q", got)
	}
}

func runsOf(mods []bool) []int {
	var runs []int
	for i := 0; i < len(mods); {
		j := i
		for j < len(mods) && mods[j] == mods[i] {
			j++
		}
		runs = append(runs, j-i)
		i = j
	}
	return runs
}

// decode128 decodes Code 128 from bar/space run widths (starting with a
// bar) in any unit: each symbol's six runs are normalised to 11 modules.
func decode128(runs []int) (string, error) {
	byPattern := map[string]int{}
	for i, p := range code128Patterns[:106] {
		byPattern[p] = i
	}
	var syms []int
	for i := 0; i+6 <= len(runs); i += 6 {
		sum := 0
		for _, r := range runs[i : i+6] {
			sum += r
		}
		var p strings.Builder
		for _, r := range runs[i : i+6] {
			p.WriteByte(byte('0' + (r*11+sum/2)/sum))
		}
		if p.String() == "233111" { // stop
			break
		}
		v, ok := byPattern[p.String()]
		if !ok {
			return "", fmt.Errorf("symbol %d: unknown pattern %s (runs %v)", len(syms), p.String(), runs[i:i+6])
		}
		syms = append(syms, v)
	}
	if len(syms) < 3 {
		return "", fmt.Errorf("too short: %v", syms)
	}
	sum := syms[0]
	for i, s := range syms[1 : len(syms)-1] {
		sum += (i + 1) * s
	}
	if sum%103 != syms[len(syms)-1] {
		return "", fmt.Errorf("bad check symbol")
	}
	var out strings.Builder
	set := 'B'
	if syms[0] == c128StartC {
		set = 'C'
	}
	for _, s := range syms[1 : len(syms)-1] {
		switch {
		case s == c128CodeB:
			set = 'B'
		case s == c128CodeC:
			set = 'C'
		case set == 'C':
			fmt.Fprintf(&out, "%02d", s)
		default:
			out.WriteByte(byte(s + 32))
		}
	}
	return out.String(), nil
}

func TestSpinesGeometryAndBarcode(t *testing.T) {
	fs := cjkFonts(t)
	boxes := sampleBoxes()
	for _, paper := range []Paper{A4, A3} {
		opt := SpineOptions{Paper: paper, Org: true, Category: true}
		var buf bytes.Buffer
		res, err := WriteSpines(&buf, fs, boxes, opt)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := SpinePages(boxes, opt)
		pages, w, h := pdfInfo(t, buf.Bytes())
		pw, ph := paper.size()
		if pages != res.Pages || pages != n || abs(w-pw) > 0.5 || abs(h-ph) > 0.5 {
			t.Fatalf("%v: %d pages (%d, %d), %.1f×%.1f mm", paper, pages, res.Pages, n, w, h)
		}
		_, _, top, sh := opt.strip()
		img := render(t, buf.Bytes(), 1, 254, "") // 10 px a mm
		// Cut marks above the strips: dark columns on a row 6 mm above.
		y := int((top - 6) * 10)
		var edges []int
		for x := 0; x < img.Bounds().Dx(); x++ {
			if dark(img, x, y) && (len(edges) == 0 || x-edges[len(edges)-1] > 3) {
				edges = append(edges, x)
			}
		}
		var first []int
		x := spineMargin
		for _, b := range boxes {
			if x+float64(b.SpineMM) > pw-spineMargin {
				break
			}
			first = append(first, b.SpineMM)
			x += float64(b.SpineMM)
		}
		if len(edges) != len(first)+1 {
			t.Fatalf("%v: %d cut marks at %v, want %d", paper, len(edges), edges, len(first)+1)
		}
		for i, want := range first {
			got := float64(edges[i+1]-edges[i]) / 10
			if abs(got-float64(want)) > 0.2 {
				t.Errorf("%v strip %d: %.1f mm wide, want %d", paper, i, got, want)
			}
		}
		// Marks below the strips, at full strip height.
		yb := int((top + sh + 6) * 10)
		if !dark(img, edges[0], yb) && !dark(img, edges[0]+1, yb) && !dark(img, edges[0]-1, yb) {
			t.Errorf("%v: no cut mark below the strips at %.0f mm", paper, top+sh+6)
		}
		// Decode each barcode along a vertical line through its bars.
		for i := range first {
			cx := (edges[i] + edges[i+1]) / 2
			if got, err := decodeColumn(img, cx-10, int(top*10), int((top+sh)*10)); err != nil || got != boxes[i].Barcode {
				t.Errorf("%v strip %d: barcode %q, %v", paper, i, got, err)
			}
		}
		text := pdfText(t, buf.Bytes())
		for _, want := range []string{"全宗号", "Z109", "2026", "起止件号", "0001", "0020", "永久", "30年", "盒号", "100%"} {
			if !strings.Contains(text, want) {
				t.Errorf("%v: no %q", paper, want)
			}
		}
		render(t, buf.Bytes(), 1, 60, "spines-"+paper.String())
		render(t, buf.Bytes(), 1, 150, "spines-hi-"+paper.String())
	}
}

// decodeColumn reads dark/light runs down column x between y0 and y1 and
// decodes the Code 128 symbol it finds there.
func decodeColumn(img image.Image, x, y0, y1 int) (string, error) {
	// Find the barcode: the last long stretch of alternating runs.
	var runs []int
	var starts []int
	for y := y0; y < y1; {
		d := dark(img, x, y)
		j := y
		for j < y1 && dark(img, x, j) == d {
			j++
		}
		if d || len(runs) > 0 {
			runs = append(runs, j-y)
			starts = append(starts, y)
		}
		y = j
	}
	// Try every dark run as a start: the first that decodes wins.
	for i := 0; i < len(runs); i += 2 {
		if got, err := decode128(runs[i:]); err == nil {
			return got, nil
		}
	}
	return "", fmt.Errorf("no barcode in column %d", x)
}

func TestSpinesBadInput(t *testing.T) {
	fs := cjkFonts(t)
	boxes := sampleBoxes()
	boxes[2].SpineMM = 25
	var buf bytes.Buffer
	if _, err := WriteSpines(&buf, fs, boxes, SpineOptions{}); err == nil || !strings.Contains(err.Error(), "25 mm") {
		t.Errorf("thickness: %v", err)
	}
	boxes = sampleBoxes()
	boxes[1].StartNo = ""
	if _, err := WriteSpines(&buf, fs, boxes, SpineOptions{}); err == nil || !strings.Contains(err.Error(), "没有文件") {
		t.Errorf("empty box: %v", err)
	}
	if _, err := WriteSpines(&buf, fs, nil, SpineOptions{}); err != ErrNothingToPrint {
		t.Errorf("no boxes: %v", err)
	}
	if buf.Len() != 0 {
		t.Error("bytes written on error")
	}
}

func TestSpinesRareCharacterAndDroid(t *testing.T) {
	for _, f := range []func(testing.TB) *Fonts{cjkFonts, droidFonts} {
		fs := f(t)
		boxes := sampleBoxes()[:3]
		boxes[0].Org = "𠀾部"
		var buf bytes.Buffer
		res, err := WriteSpines(&buf, fs, boxes, SpineOptions{Paper: A4, Org: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Replaced) != 1 || res.Replaced[0] != 0x2003E {
			t.Errorf("replaced %q", res.Replaced)
		}
		text := strings.Join(strings.Fields(pdfText(t, buf.Bytes())), "")
		for _, want := range []string{"Z109", "2026", "0001", "0020", "〓"} {
			if !strings.Contains(text, want) {
				t.Errorf("no %q in %s", want, text)
			}
		}
	}
}

// TestSpineOrder checks with word positions that a strip reads from top to
// bottom 全宗号, 年度, 保管期限, 起止件号 (start above end), 盒号, 机构, 门类.
func TestSpineOrder(t *testing.T) {
	fs := cjkFonts(t)
	boxes := sampleBoxes()[3:4] // 50 mm
	boxes[0].Org = "销售部"
	var buf bytes.Buffer
	if _, err := WriteSpines(&buf, fs, boxes, SpineOptions{Paper: A3, Org: true, Category: true}); err != nil {
		t.Fatal(err)
	}
	y := map[string]float64{}
	for _, w := range pdfWords(t, buf.Bytes()) {
		if _, seen := y[w.text]; !seen && w.x0 >= spineMargin && w.x1 <= spineMargin+50 {
			y[w.text] = w.y0
		}
	}
	order := []string{"全宗号", "Z109", "年度", "2026", "保管期限", "30年", "起止件号", "0061", "至", "0080", "盒号", "0004", "机构", "销售部", "门类", "客户档案"}
	for i := 1; i < len(order); i++ {
		a, okA := y[order[i-1]]
		b, okB := y[order[i]]
		if !okA || !okB || a >= b {
			t.Errorf("%s (%.1f, %v) not above %s (%.1f, %v)", order[i-1], a, okA, order[i], b, okB)
		}
	}
}
