package reports

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// Box is one archive box (档案盒) as printed on spines, covers and 备考表.
// All values of a box are single: different years, retentions or 机构 never
// share a box.
type Box struct {
	Code      string // 盒号, e.g. "0003"
	FondsCode string // 全宗号
	FondsName string // 全宗名称 (box cover)
	Category  string // 门类 name
	Year      string
	Retention string // code (Y, D30) or label
	Org       string // 机构(问题) name or code
	StartNo   string // first 件号 in the box; "" when the box is empty
	EndNo     string // last 件号
	SpineMM   int    // spine thickness: 20, 30, 40 or 50
	Barcode   string // ASCII text of the barcode; "" → BarcodeText(Code)
	Note      BoxNote
}

// BoxNote is the 备考表 of a box.
type BoxNote struct {
	Description string // 盒内文件情况说明
	Arranger    string // 整理人 (立卷人)
	ArrangedOn  string // 整理日期
	Checker     string // 检查人
	CheckedOn   string // 检查日期
}

// SpineWidths are the spine thicknesses of DA/T 22-2015 boxes, in mm.
var SpineWidths = []int{20, 30, 40, 50}

// Box height in mm (DA/T 22-2015: 310 × 220 mm boxes) and the shortened
// strip height used on A4.
const (
	BoxHeightMM   = 310.0
	SpineA4Height = 262.0
)

// PrintScaleNote is shown by the print dialog for spines, stickers and
// covers: the PDF is drawn at real size and must not be scaled.
const PrintScaleNote = "请按 100% 实际大小打印：在打印对话框中关闭“适合页面”“缩放到纸张大小”等选项，否则盒脊、标签的尺寸会与实物不符。"

// SpineOptions choose paper and optional items of spine strips.
type SpineOptions struct {
	Paper    Paper // A3 (full box height, default for spines) or A4 (shortened)
	Org      bool  // print 机构(问题)
	Category bool  // print 门类
	// Progress, when set, is called after each page; returning false stops
	// with ErrCancelled.
	Progress func(done, total int) bool
}

func (o SpineOptions) strip() (pw, ph, top, h float64) {
	pw, ph = o.Paper.size()
	h = BoxHeightMM
	if o.Paper == A4 {
		h = SpineA4Height
	}
	return pw, ph, (ph - h) / 2, h
}

const spineMargin = 12.0

func checkBox(b Box) error {
	ok := false
	for _, w := range SpineWidths {
		ok = ok || b.SpineMM == w
	}
	if !ok {
		return fmt.Errorf("盒 %s 的盒脊厚度 %d mm 不在 20、30、40、50 mm 之中，请在盒的资料中改正。", b.Code, b.SpineMM)
	}
	if b.StartNo == "" {
		return fmt.Errorf("盒 %s 内没有文件，无法打印。", b.Code)
	}
	if _, err := code128(barcodeOf(b)); err != nil {
		return fmt.Errorf("盒 %s：%v", b.Code, err)
	}
	return nil
}

func barcodeOf(b Box) string {
	if b.Barcode != "" {
		return b.Barcode
	}
	return BarcodeText(b.Code)
}

// layoutSpines packs the strips side by side, returning for each page the
// indexes of its boxes.
func layoutSpines(boxes []Box, opt SpineOptions) ([][]int, error) {
	pw, _, _, _ := opt.strip()
	var pages [][]int
	x := pw // forces a first page
	for i, b := range boxes {
		if err := checkBox(b); err != nil {
			return nil, err
		}
		w := float64(b.SpineMM)
		if x+w > pw-spineMargin {
			pages = append(pages, nil)
			x = spineMargin
		}
		pages[len(pages)-1] = append(pages[len(pages)-1], i)
		x += w
	}
	return pages, nil
}

// SpinePages returns how many pages WriteSpines will write, or the error it
// would return for bad boxes.
func SpinePages(boxes []Box, opt SpineOptions) (int, error) {
	if len(boxes) == 0 {
		return 0, ErrNothingToPrint
	}
	pages, err := layoutSpines(boxes, opt)
	return len(pages), err
}

// WriteSpines writes 盒脊 strips of the boxes, each exactly as wide as its
// spine, side by side with cut marks. Print at 100% (PrintScaleNote).
func WriteSpines(w io.Writer, fonts *Fonts, boxes []Box, opt SpineOptions) (res Result, err error) {
	defer recoverTo(&err)
	if len(boxes) == 0 {
		return Result{}, ErrNothingToPrint
	}
	pages, err := layoutSpines(boxes, opt)
	if err != nil {
		return Result{}, err
	}
	pw, ph, top, h := opt.strip()
	d := newDoc(fonts, opt.Paper, false)
	for pi, page := range pages {
		d.addPage()
		total := 0.0
		for _, i := range page {
			total += float64(boxes[i].SpineMM)
		}
		x := spineMargin
		d.line(0, ph-7, pw, 5, fmt.Sprintf("盒脊 %s 第 %d/%d 页：请按 100%% 实际大小打印，沿裁切线裁下", opt.Paper, pi+1, len(pages)), 8, 6, center)
		for _, i := range page {
			spineStrip(d, x, top, h, boxes[i], opt)
			x += float64(boxes[i].SpineMM)
		}
		cutMarks(d, spineMargin, top, total, h, page, boxes)
		if opt.Progress != nil && !opt.Progress(pi+1, len(pages)) {
			return Result{}, ErrCancelled
		}
	}
	return d.finish(w)
}

// cutMarks draws thin marks outside the strips: vertical ones above and
// below every strip edge, horizontal ones beside the top and bottom edges.
func cutMarks(d *doc, x0, top, total, h float64, page []int, boxes []Box) {
	d.lineWidth(0.1)
	d.pdf.SetDrawColor(0, 0, 0)
	x := x0
	edges := []float64{x}
	for _, i := range page {
		x += float64(boxes[i].SpineMM)
		edges = append(edges, x)
	}
	for _, e := range edges {
		d.pdf.Line(e, top-10, e, top-2)
		d.pdf.Line(e, top+h+2, e, top+h+10)
	}
	for _, y := range []float64{top, top + h} {
		d.pdf.Line(x0-10, y, x0-2, y)
		d.pdf.Line(x0+total+2, y, x0+total+10, y)
	}
}

type spineField struct {
	label  string
	values []string
}

func spineStrip(d *doc, x, top, h float64, b Box, opt SpineOptions) {
	w := float64(b.SpineMM)
	// Light outline so that a strip can be cut even without the marks.
	d.lineWidth(0.1)
	d.pdf.SetDrawColor(160, 160, 160)
	d.rect(x, top, w, h)
	d.pdf.SetDrawColor(0, 0, 0)

	// Barcode at the bottom, bars across the strip, read along its length.
	bc := barcodeOf(b)
	mods, _ := code128Modules(bc)
	quiet := 10
	codeLen := min(h*0.32, float64(len(mods)+2*quiet)*0.33)
	m := codeLen / float64(len(mods)+2*quiet)
	codeTop := top + h - 4 - codeLen
	textW := 3.2
	barW := w - 4 - textW
	by := codeTop + float64(quiet)*m
	for i := 0; i < len(mods); {
		if !mods[i] {
			i++
			continue
		}
		j := i
		for j < len(mods) && mods[j] {
			j++
		}
		d.pdf.Rect(x+2, by+float64(i)*m, barW, float64(j-i)*m, "F")
		i = j
	}
	// Human-readable barcode text, turned to run along the bars.
	d.pdf.TransformBegin()
	cx, cy := x+2+barW+0.5, codeTop+codeLen/2
	d.pdf.TransformRotate(-90, cx, cy)
	d.line(cx-codeLen/2, cy-textW+0.3, codeLen, textW, bc, 7, 4, center)
	d.pdf.TransformEnd()

	fields := []spineField{
		{"全宗号", []string{b.FondsCode}},
		{"年度", []string{b.Year}},
		{"保管期限", []string{retentionShort(b.Retention)}},
		{"起止件号", []string{b.StartNo, "至", b.EndNo}},
		{"盒号", []string{b.Code}},
	}
	if opt.Org && b.Org != "" {
		fields = append(fields, spineField{"机构", []string{b.Org}})
	}
	if opt.Category && b.Category != "" {
		fields = append(fields, spineField{"门类", []string{b.Category}})
	}
	areaTop, areaH := top+3, codeTop-top-6
	inner := w - 2
	// Sizes: value font scales with the strip width, then shrinks until
	// all fields fit the height.
	scale := 1.0
	var hs []float64
	var total float64
	for try := 0; try < 12; try++ {
		hs, total = spineHeights(d, fields, inner, scale, w)
		if total <= areaH*0.8 {
			break
		}
		scale *= 0.9
	}
	gap := (areaH - total) / float64(len(fields))
	y := areaTop + gap/2
	for i, f := range fields {
		spineFieldDraw(d, x+1, y, inner, f, scale, w)
		y += hs[i]
		if i < len(fields)-1 {
			d.lineWidth(0.1)
			d.pdf.SetDrawColor(120, 120, 120)
			d.pdf.Line(x+2, y+gap/2, x+w-2, y+gap/2)
			d.pdf.SetDrawColor(0, 0, 0)
		}
		y += gap
	}
}

func spineSizes(scale, w float64) (label, value float64) {
	return 8 * scale, min(18, 8+w/5) * scale
}

// spineValue says how a value is set: on one line, or one character under
// the other when it is Chinese and too wide for the strip.
func spineValue(d *doc, v string, size, inner float64) (verticalText bool, height float64) {
	if d.width(v, size) <= inner-1 || !allWide(v) {
		return false, size * ptMM * 1.5
	}
	return true, float64(utf8.RuneCountInString(v))*size*ptMM*1.15 + size*ptMM*0.35
}

func allWide(s string) bool {
	for _, r := range s {
		if r < 0x2E80 {
			return false
		}
	}
	return true
}

func spineHeights(d *doc, fields []spineField, inner, scale, w float64) ([]float64, float64) {
	ls, vs := spineSizes(scale, w)
	hs := make([]float64, len(fields))
	total := 0.0
	for i, f := range fields {
		h := ls * ptMM * 1.6
		for k, v := range f.values {
			size := vs
			if k == 1 && len(f.values) == 3 {
				size = ls
			}
			_, vh := spineValue(d, v, size, inner)
			h += vh
		}
		hs[i] = h
		total += h
	}
	return hs, total
}

func spineFieldDraw(d *doc, x, y, inner float64, f spineField, scale, w float64) {
	ls, vs := spineSizes(scale, w)
	lh := ls * ptMM * 1.6
	d.line(x, y, inner, lh, f.label, ls, 4, center)
	y += lh
	for k, v := range f.values {
		size := vs
		if k == 1 && len(f.values) == 3 {
			size = ls
		}
		vert, vh := spineValue(d, v, size, inner)
		if vert {
			d.vertical(x, y, inner, vh, v, size)
		} else {
			d.line(x, y, inner, vh, v, size, 4, center)
		}
		y += vh
	}
}
