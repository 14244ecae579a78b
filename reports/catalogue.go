package reports

import (
	"errors"
	"io"
	"strconv"
	"strings"
)

// Rows a catalogue page holds in GD2000's layouts.
const (
	RowsStandard = 14
	RowsWide     = 11
)

// CatalogueRow is one item (件) of the 归档文件目录. Empty 文号 and 密级 stay
// empty; a title the clerk made up is printed in [ ].
type CatalogueRow struct {
	Code, DocNo, Author, Title, Date, Secrecy, Pages, Note string
	MadeUpTitle                                            bool
}

// CatalogueHeader is what a volume shows above its table and on its cover.
// Retention may be a code (Y, D30) or a label.
type CatalogueHeader struct {
	FondsCode, FondsName           string
	Category, Year, Retention, Org string
	Customer                       string // when the selection is one customer's items
}

// CatalogueVolume is one bound volume: usually one year and retention of a
// category. Rows must already be in 档号 order (segment order, as data sorts).
type CatalogueVolume struct {
	Header CatalogueHeader
	Rows   []CatalogueRow
}

// CatalogueOptions choose the layout; the zero value is A4 landscape,
// 14 rows a page, no covers.
type CatalogueOptions struct {
	Portrait bool
	Rows     int  // rows a page: RowsStandard (default), RowsWide or any number 1–40
	Cover    bool // a cover page before each volume
	// Progress, when set, is called after each page with the pages done
	// and the total; returning false stops with ErrCancelled.
	Progress func(done, total int) bool
}

func (o CatalogueOptions) rows() int {
	if o.Rows <= 0 {
		return RowsStandard
	}
	return min(o.Rows, 40)
}

// ErrCancelled is returned when a Progress callback stops a document.
var ErrCancelled = errors.New("已取消打印。")

// ErrNothingToPrint is returned when a selection has no rows or boxes.
var ErrNothingToPrint = errors.New("所选范围内没有可打印的档案。")

// CataloguePages returns how many pages WriteCatalogue will write.
func CataloguePages(vols []CatalogueVolume, opt CatalogueOptions) int {
	n := 0
	for _, v := range vols {
		if len(v.Rows) == 0 {
			continue
		}
		n += (len(v.Rows) + opt.rows() - 1) / opt.rows()
		if opt.Cover {
			n++
		}
	}
	return n
}

type column struct {
	title  string
	weight float64 // mm at landscape; 0 takes the rest
	size   float64
	wrap   bool
	al     align
}

var catalogueCols = []column{
	{"序号", 12, 9, false, center},
	{"档号", 46, 9, true, center},
	{"文号", 30, 9, true, center},
	{"责任者", 28, 9, true, center},
	{"题名", 0, 10, true, left},
	{"日期", 20, 9, false, center},
	{"密级", 12, 9, false, center},
	{"页数", 12, 9, false, center},
	{"备注", 18, 8, true, center},
}

var catalogueColsPortrait = []float64{9, 33, 20, 19, 0, 17, 10, 9, 12}

// widths spreads the columns over total mm: fixed columns keep their
// width, the one with weight 0 takes the rest.
func widths(ws []float64, total float64) []float64 {
	out := make([]float64, len(ws))
	fixed := 0.0
	for _, w := range ws {
		fixed += w
	}
	for i, w := range ws {
		out[i] = w
		if w == 0 {
			out[i] = total - fixed
		}
	}
	return out
}

// WriteCatalogue writes the 归档文件目录 of the volumes to w.
func WriteCatalogue(w io.Writer, fonts *Fonts, vols []CatalogueVolume, opt CatalogueOptions) (res Result, err error) {
	defer recoverTo(&err)
	if CataloguePages(vols, opt) == 0 {
		return Result{}, ErrNothingToPrint
	}
	d := newDoc(fonts, A4, !opt.Portrait)
	pw, ph := 297.0, 210.0
	ws := make([]float64, len(catalogueCols))
	for i, c := range catalogueCols {
		ws[i] = c.weight
	}
	if opt.Portrait {
		pw, ph = 210, 297
		ws = catalogueColsPortrait
	}
	const margin = 15.0
	cw := widths(ws, pw-2*margin)
	rows := opt.rows()
	tableTop := 31.0
	headH := 10.0
	rowH := (ph - 16 - tableTop - headH) / float64(rows)
	shrink := min(1, rowH/10.7) // font sizes scale down for dense layouts
	allPages := CataloguePages(vols, opt)

	for _, v := range vols {
		if len(v.Rows) == 0 {
			continue
		}
		if opt.Cover {
			d.addPage()
			catalogueCover(d, pw, ph, v.Header)
		}
		total := (len(v.Rows) + rows - 1) / rows
		sel := selection(v.Header)
		for p := 0; p < total; p++ {
			d.addPage()
			d.line(0, 10, pw, 10, "归档文件目录", 18, 12, center)
			d.line(margin, 23, (pw-2*margin)*0.45, 6, "全宗名称："+v.Header.FondsName, 10, 7, left)
			d.line(margin+(pw-2*margin)*0.45, 23, (pw-2*margin)*0.55, 6, sel, 10, 7, right)
			// Column heads.
			d.lineWidth(0.3)
			x := margin
			for i, c := range catalogueCols {
				d.rect(x, tableTop, cw[i], headH)
				d.line(x, tableTop, cw[i], headH, c.title, 10, 6, center)
				x += cw[i]
			}
			d.lineWidth(0.2)
			for r := 0; r < rows; r++ {
				y := tableTop + headH + float64(r)*rowH
				x := margin
				idx := p*rows + r
				var cells []string
				if idx < len(v.Rows) {
					cells = rowCells(idx, v.Rows[idx])
				}
				for i, c := range catalogueCols {
					if cells != nil && cells[i] != "" {
						size := c.size * shrink
						if c.wrap {
							d.box(x, y, cw[i], rowH, cells[i], size, min(size, 5.5), c.al)
						} else {
							d.line(x, y, cw[i], rowH, cells[i], size, 5, c.al)
						}
					}
					x += cw[i]
				}
			}
			// Ruling: one line per row and column, not a rectangle per cell.
			bottom := tableTop + headH + float64(rows)*rowH
			for r := 1; r <= rows; r++ {
				y := tableTop + headH + float64(r)*rowH
				d.pdf.Line(margin, y, pw-margin, y)
			}
			x = margin
			for i := 0; i <= len(cw); i++ {
				d.pdf.Line(x, tableTop+headH, x, bottom)
				if i < len(cw) {
					x += cw[i]
				}
			}
			d.footer(pw, ph-13, p+1, total)
			if opt.Progress != nil && !opt.Progress(d.pages, allPages) {
				return Result{}, ErrCancelled
			}
		}
	}
	return d.finish(w)
}

func rowCells(i int, r CatalogueRow) []string {
	title := r.Title
	if r.MadeUpTitle && title != "" {
		title = "[" + title + "]"
	}
	return []string{strconv.Itoa(i + 1), r.Code, r.DocNo, r.Author, title, dateDigits(r.Date), r.Secrecy, r.Pages, r.Note}
}

// dateDigits writes 2026-05-01 or 2026.05.01 as 20260501; other text is
// kept as it is.
func dateDigits(s string) string {
	if len(s) != 10 {
		return s
	}
	if s[4] != s[7] || (s[4] != '-' && s[4] != '.' && s[4] != '/') {
		return s
	}
	t := s[:4] + s[5:7] + s[8:]
	for _, c := range t {
		if c < '0' || c > '9' {
			return s
		}
	}
	return t
}

func selection(h CatalogueHeader) string {
	var parts []string
	add := func(label, v string) {
		if v != "" {
			parts = append(parts, label+"："+v)
		}
	}
	add("门类", h.Category)
	add("年度", h.Year)
	add("保管期限", RetentionLabel(h.Retention))
	add("机构", h.Org)
	add("客户", h.Customer)
	return strings.Join(parts, "    ")
}

func catalogueCover(d *doc, pw, ph float64, h CatalogueHeader) {
	d.lineWidth(0.5)
	d.rect(15, 15, pw-30, ph-30)
	d.lineWidth(0.2)
	top := ph * 0.22
	d.line(0, top, pw, 16, "归档文件目录", 28, 16, center)
	fields := [][2]string{
		{"全宗号", h.FondsCode},
		{"全宗名称", h.FondsName},
		{"门类", h.Category},
		{"年度", h.Year},
		{"保管期限", RetentionLabel(h.Retention)},
		{"机构（问题）", h.Org},
	}
	if h.Customer != "" {
		fields = append(fields, [2]string{"客户", h.Customer})
	}
	lx, lw, vw := pw/2-70, 40.0, 100.0
	y := top + 34
	for _, f := range fields {
		d.line(lx, y, lw, 10, f[0]+"：", 14, 10, right)
		d.line(lx+lw, y, vw, 10, f[1], 14, 8, left)
		d.pdf.Line(lx+lw, y+9, lx+lw+vw, y+9)
		y += 14
	}
}
