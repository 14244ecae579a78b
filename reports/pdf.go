package reports

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
)

// Paper is a sheet size.
type Paper int

const (
	A4 Paper = iota
	A3
)

func (p Paper) size() (w, h float64) {
	if p == A3 {
		return 297, 420
	}
	return 210, 297
}

func (p Paper) String() string {
	if p == A3 {
		return "A3"
	}
	return "A4"
}

// DocDate is the creation date written into every PDF, fixed so that the
// same data gives the same file.
var DocDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Result says what a written document holds.
type Result struct {
	Pages int
	// Replaced lists characters above U+FFFF (rare characters in names) that
	// the PDF library can't print; each is shown as 〓 on the page. Tell the
	// user so they can write them in by hand.
	Replaced []rune
}

// ReplacedNote is a Chinese sentence for the user about r.Replaced, or "".
func (r Result) ReplacedNote() string {
	if len(r.Replaced) == 0 {
		return ""
	}
	var b strings.Builder
	for i, c := range r.Replaced {
		if i > 0 {
			b.WriteString("、")
		}
		fmt.Fprintf(&b, "%c（U+%X）", c, c)
	}
	return "以下生僻字无法打印，已用“〓”代替，请手工补写：" + b.String()
}

const ptMM = 25.4 / 72 // one point in mm

// doc is a gofpdf document that sets each run of text in the first font
// that has its glyphs, and records characters no font has.
type doc struct {
	pdf        *gofpdf.Fpdf
	fonts      *Fonts
	cur        int     // current font index, -1 none
	curSize    float64 // current size in pt
	missing    map[rune]bool
	replaced   map[rune]bool
	runs       []run
	pages      int
	names      []string // gofpdf family names of the fonts
	added      []bool   // font i already added to the document
	markerRune rune
}

type run struct {
	font int
	s    string
}

func newDoc(fonts *Fonts, paper Paper, landscape bool) *doc {
	w, h := paper.size()
	orient := "P"
	if landscape {
		orient = "L"
	}
	pdf := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: orient, UnitStr: "mm", Size: gofpdf.SizeType{Wd: w, Ht: h}})
	pdf.SetCreationDate(DocDate)
	pdf.SetModificationDate(DocDate)
	pdf.SetCreator("档案通 dangan", true)
	pdf.SetProducer("档案通 dangan", true)
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	d := &doc{pdf: pdf, fonts: fonts, cur: -1, missing: map[rune]bool{}, replaced: map[rune]bool{}}
	for i := range fonts.list {
		d.names = append(d.names, fmt.Sprintf("f%d", i))
	}
	d.added = make([]bool, len(fonts.list))
	d.markerRune, _ = utf8.DecodeRuneInString(fonts.marker)
	return d
}

func (d *doc) addPage() {
	d.pdf.AddPage()
	d.pages++
	d.cur = -1 // gofpdf re-selects the font on a new page, keep ours in step
	d.pdf.SetLineWidth(0.2)
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetTextColor(0, 0, 0)
}

func (d *doc) setFont(i int, size float64) {
	if i != d.cur || size != d.curSize {
		if !d.added[i] { // fonts are embedded only when used
			d.pdf.AddUTF8FontFromBytes(d.names[i], "", d.fonts.list[i].data)
			d.added[i] = true
		}
		d.pdf.SetFont(d.names[i], "", size)
		d.cur, d.curSize = i, size
	}
}

// split cuts s into runs, each set in one font. Control characters become
// spaces; characters above U+FFFF become the marker and are recorded; a
// character no font has is recorded as missing (the document then fails).
// The returned slice is reused by the next call.
func (d *doc) split(s string) []run {
	d.runs = d.runs[:0]
	fonts := d.fonts
	// Fast path: the whole string in the first font.
	simple := true
	for _, r := range s {
		if r < 0x20 || r > 0xFFFF || !fonts.list[0].Has(r) {
			simple = false
			break
		}
	}
	if simple {
		if s != "" {
			d.runs = append(d.runs, run{0, s})
		}
		return d.runs
	}
	var b strings.Builder
	curFont := -1
	flush := func() {
		if b.Len() > 0 {
			d.runs = append(d.runs, run{curFont, b.String()})
			b.Reset()
		}
	}
	for _, r := range s {
		text := ""
		switch {
		case r < 0x20:
			r = ' '
		case r > 0xFFFF:
			d.replaced[r] = true
			text = fonts.marker
			r, _ = utf8.DecodeRuneInString(text)
		}
		fi := fonts.fontFor(r)
		if fi < 0 {
			d.missing[r] = true
			continue
		}
		if fi != curFont {
			flush()
			curFont = fi
		}
		if text != "" {
			b.WriteString(text)
		} else {
			b.WriteRune(r)
		}
	}
	flush()
	return d.runs
}

// units returns the width of r in 1/1000 em of the font that will set it,
// exactly as gofpdf measures it.
func (d *doc) units(r rune) int {
	switch {
	case r < 0x20:
		r = ' '
	case r > 0xFFFF:
		r = d.markerRune
	}
	if f := d.fonts.list[0]; f.Has(r) {
		return int(f.adv[r])
	}
	if i := d.fonts.fontFor(r); i > 0 {
		return int(d.fonts.list[i].adv[r])
	}
	return 0
}

// width returns the width of s in mm at size pt.
func (d *doc) width(s string, size float64) float64 {
	u := 0
	for _, r := range s {
		u += d.units(r)
	}
	return float64(u) * size * ptMM / 1000
}

// text writes s with its baseline at (x, y).
func (d *doc) text(x, y float64, s string, size float64) {
	runs := d.split(s)
	for i, r := range runs {
		d.setFont(r.font, size)
		d.pdf.Text(x, y, r.s)
		if i < len(runs)-1 {
			x += d.width(r.s, size)
		}
	}
}

type align int

const (
	left align = iota
	center
	right
)

// baseline returns the baseline that centres a line of size pt vertically
// on the middle of a box from y with height h.
func baseline(y, h, size float64) float64 { return y + h/2 + 0.35*size*ptMM }

// line writes s on one line inside the box (x, y, w, h), shrinking the size
// down to min so that it fits the width; a text still too long is cut
// with "…".
func (d *doc) line(x, y, w, h float64, s string, size, min float64, al align) {
	if s == "" {
		return
	}
	const pad = 1.0
	avail := w - 2*pad
	tw := d.width(s, size)
	for tw > avail && size > min {
		size = max(min, size*avail/tw-0.1)
		tw = d.width(s, size)
	}
	if tw > avail {
		s = d.cut(s, avail, size)
		tw = d.width(s, size)
	}
	d.place(x, y, w, h, s, tw, size, al, pad)
}

func (d *doc) place(x, y, w, h float64, s string, tw, size float64, al align, pad float64) {
	switch al {
	case center:
		x += (w - tw) / 2
	case right:
		x += w - pad - tw
	default:
		x += pad
	}
	d.text(x, baseline(y, h, size), s, size)
}

// cut shortens s with a trailing "…" until it fits avail at size.
func (d *doc) cut(s string, avail, size float64) string {
	rs := []rune(s)
	for len(rs) > 0 {
		rs = rs[:len(rs)-1]
		c := string(rs) + "…"
		if d.width(c, size) <= avail {
			return c
		}
	}
	return ""
}

// box writes s inside (x, y, w, h), wrapping it onto as many lines as
// needed and shrinking the size down to min until the lines fit the height;
// at min size what doesn't fit is cut with "…". Nothing leaves the box.
func (d *doc) box(x, y, w, h float64, s string, size, min float64, al align) {
	d.boxV(x, y, w, h, s, size, min, al, false)
}

// para is box with the text starting at the top of the box.
func (d *doc) para(x, y, w, h float64, s string, size, min float64) {
	d.boxV(x, y, w, h, s, size, min, left, true)
}

func (d *doc) boxV(x, y, w, h float64, s string, size, min float64, al align, atTop bool) {
	if s == "" {
		return
	}
	const pad = 1.0
	avail := w - 2*pad
	if tw := d.width(s, size); !strings.Contains(s, "\n") && !atTop {
		if tw <= avail {
			d.place(x, y, w, h, s, tw, size, al, pad)
			return
		}
		// A text just a little too wide shrinks onto one line rather
		// than leaving a word or a date's last digits on a line of their own.
		if sz := size * avail / tw; sz >= size*0.8 && sz >= min {
			d.place(x, y, w, h, s, d.width(s, sz), sz, al, pad)
			return
		}
	}
	var lines []string
	for {
		lines = d.wrap(s, avail, size)
		if float64(len(lines))*size*ptMM*1.2 <= h-0.6 || size <= min {
			break
		}
		size = max(min, size-0.5)
	}
	lh := size * ptMM * 1.2
	maxLines := max(1, int((h-0.6)/lh))
	if len(lines) > maxLines {
		lines = lines[:maxLines]
		last := lines[maxLines-1]
		lines[maxLines-1] = d.cut(last+"…", avail, size)
	}
	top := y + (h-float64(len(lines))*lh)/2
	if atTop {
		top = y + 0.3
	}
	for i, l := range lines {
		d.place(x, top+float64(i)*lh, w, lh, l, d.width(l, size), size, al, pad)
	}
}

// wrap breaks s into lines no wider than avail at size: anywhere between
// Chinese characters, at a space or after a hyphen in Latin text when one
// is near, and at "\n".
func (d *doc) wrap(s string, avail, size float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		rs := []rune(para)
		for len(rs) > 0 {
			// Find the longest prefix that fits, by widths of single runes.
			n, w := 0, 0.0
			for n < len(rs) {
				cw := float64(d.units(rs[n])) * size * ptMM / 1000
				if w+cw > avail && n > 0 {
					break
				}
				w += cw
				n++
			}
			if n < len(rs) && n > 1 && strings.ContainsRune(noLineStart, rs[n]) {
				n-- // closing punctuation never starts a line: take a character with it
			}
			if n < len(rs) && latinWord(rs[n-1]) && latinWord(rs[n]) {
				// Don't split a Latin word or number: break before it, when
				// that leaves a fair part of the line used.
				k := n
				for k > 0 && latinWord(rs[k-1]) {
					k--
				}
				if k > n/3 {
					n = k
				}
			}
			lines = append(lines, strings.TrimRight(string(rs[:n]), " "))
			rs = rs[n:]
			for len(rs) > 0 && rs[0] == ' ' {
				rs = rs[1:]
			}
		}
	}
	return lines
}

func latinWord(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == ','
}

// noLineStart is the punctuation that must not begin a line.
const noLineStart = "，。、；：！？）】》」』〕”’,.;:!?)]}%"

// vertical writes s one character under the other, centred in the column
// (x, w) from top y within height h, shrinking to fit; it returns the
// height used.
func (d *doc) vertical(x, y, w, h float64, s string, size float64) float64 {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0
	}
	step := func(sz float64) float64 { return sz * ptMM * 1.15 }
	for size > 5 && (float64(len(rs))*step(size) > h || d.maxRuneWidth(rs, size) > w-1) {
		size -= 0.5
	}
	lh := step(size)
	for i, r := range rs {
		c := string(r)
		d.place(x, y+float64(i)*lh, w, lh, c, d.width(c, size), size, center, 0)
	}
	return float64(len(rs)) * lh
}

func (d *doc) maxRuneWidth(rs []rune, size float64) float64 {
	m := 0
	for _, r := range rs {
		m = max(m, d.units(r))
	}
	return float64(m) * size * ptMM / 1000
}

func (d *doc) rect(x, y, w, h float64) { d.pdf.Rect(x, y, w, h, "D") }

func (d *doc) lineWidth(w float64) { d.pdf.SetLineWidth(w) }

// footer writes "第 x 页 共 y 页" centred at the bottom.
func (d *doc) footer(pageW, y float64, page, total int) {
	s := fmt.Sprintf("第 %d 页 共 %d 页", page, total)
	d.line(0, y, pageW, 6, s, 9, 9, center)
}

// finish writes the PDF to w unless some character had no font. A panic in
// gofpdf's output becomes an error.
func (d *doc) finish(w io.Writer) (res Result, err error) {
	if len(d.missing) > 0 {
		rs := make([]rune, 0, len(d.missing))
		for r := range d.missing {
			rs = append(rs, r)
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
		return res, &MissingGlyphError{Runes: rs}
	}
	if d.pdf.Err() {
		return res, fmt.Errorf("生成 PDF 失败：%v", d.pdf.Error())
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("生成 PDF 失败：%v", r)
		}
	}()
	if err := d.pdf.Output(w); err != nil {
		return res, fmt.Errorf("生成 PDF 失败：%v", err)
	}
	res.Pages = d.pages
	for r := range d.replaced {
		res.Replaced = append(res.Replaced, r)
	}
	sort.Slice(res.Replaced, func(i, j int) bool { return res.Replaced[i] < res.Replaced[j] })
	return res, nil
}

// WriteFile writes a document to path through a temporary file in the same
// folder, renamed into place only when write succeeds: a failed print leaves
// no partial file behind.
func WriteFile(path string, write func(io.Writer) (Result, error)) (Result, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".dangan-*.tmp")
	if err != nil {
		return Result{}, fmt.Errorf("无法写入 %s：%v", path, plainErr(err))
	}
	res, err := write(tmp)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("无法写入 %s：%v", path, plainErr(cerr))
	}
	if err == nil {
		if rerr := os.Rename(tmp.Name(), path); rerr != nil {
			err = fmt.Errorf("无法写入 %s：%v", path, plainErr(rerr))
		}
	}
	if err != nil {
		os.Remove(tmp.Name())
		return Result{}, err
	}
	return res, nil
}

func plainErr(err error) string {
	switch {
	case errors.Is(err, os.ErrPermission):
		return "没有写入权限"
	case errors.Is(err, os.ErrNotExist):
		return "文件夹不存在"
	}
	return err.Error()
}

// RetentionLabel spells a retention code: Y → 永久, D30 → 定期30年;
// anything else is returned unchanged.
func RetentionLabel(code string) string {
	if s := retentionShort(code); s != code && code != "Y" {
		return "定期" + s
	}
	return retentionShort(code)
}

// retentionShort spells Y → 永久, D30 → 30年, for narrow cells.
func retentionShort(code string) string {
	if code == "Y" {
		return "永久"
	}
	if len(code) > 1 && code[0] == 'D' {
		for _, c := range code[1:] {
			if c < '0' || c > '9' {
				return code
			}
		}
		return code[1:] + "年"
	}
	return code
}

// recoverTo turns a panic in layout or in gofpdf into an error, so that a
// print never takes the program down.
func recoverTo(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("生成 PDF 失败（内部错误）：%v", r)
	}
}
