package reports

import (
	"strconv"
)

// Shared pieces of the A4 portrait forms (customer card, loan slip,
// destruction register): label/value grids and tables that continue on
// the next page, with "第 x 页 共 y 页" footers written at the end.

const (
	formMargin = 15.0
	formWidth  = 210 - 2*formMargin
	formBottom = 297 - 20.0
)

// form is a portrait A4 document laid out from top to bottom.
type form struct {
	*doc
	y     float64
	title string // repeated (smaller) on continuation pages
}

func newForm(fonts *Fonts, title string) *form {
	f := &form{doc: newDoc(fonts, A4, false), title: title}
	f.addPage()
	f.line(0, 12, 210, 12, title, 20, 12, center)
	f.y = 28
	return f
}

// need starts a new page when h mm don't fit below y.
func (f *form) need(h float64) bool {
	if f.y+h <= formBottom {
		return false
	}
	f.addPage()
	f.line(0, 10, 210, 8, f.title+"（续）", 12, 8, center)
	f.y = 22
	return true
}

// footers writes page numbers on every page once the pages are known.
func (f *form) footers() {
	n := f.pages
	for p := 1; p <= n; p++ {
		f.pdf.SetPage(p)
		f.cur = -1
		f.footer(210, 297-14, p, n)
	}
}

// heading draws a section title bar.
func (f *form) heading(s string) {
	f.need(16)
	f.pdf.SetFillColor(232, 232, 232)
	f.pdf.Rect(formMargin, f.y, formWidth, 7, "FD")
	f.line(formMargin, f.y, formWidth, 7, s, 11, 8, left)
	f.y += 7
}

// Field is a label and its value on a printed form; Wide takes a whole row.
type Field struct {
	Label, Value string
	Wide         bool
}

// grid draws fields two to a row (label, value, label, value); a wide
// field or a long value takes a whole row, taller when the text needs it.
func (f *form) grid(fields []Field) {
	const lw, rowH = 26.0, 7.5
	vw := formWidth/2 - lw
	for i := 0; i < len(fields); {
		a := fields[i]
		wide := a.Wide || f.width(a.Value, 10) > vw-2
		if !wide && i+1 < len(fields) {
			b := fields[i+1]
			if !b.Wide && f.width(b.Value, 10) <= vw-2 {
				f.need(rowH)
				f.cell(formMargin, lw, rowH, a.Label, true)
				f.cell(formMargin+lw, vw, rowH, a.Value, false)
				f.cell(formMargin+lw+vw, lw, rowH, b.Label, true)
				f.cell(formMargin+2*lw+vw, vw, rowH, b.Value, false)
				f.y += rowH
				i += 2
				continue
			}
		}
		h := rowH
		if lines := len(f.wrap(a.Value, formWidth-lw-2, 10)); lines > 1 {
			h = min(60, float64(lines)*10*ptMM*1.2+3)
		}
		f.need(h)
		f.cell(formMargin, lw, h, a.Label, true)
		if !wide && i+1 >= len(fields) { // a lone short field keeps its half row
			f.cell(formMargin+lw, vw, h, a.Value, false)
			f.cell(formMargin+lw+vw, lw+vw, h, "", false)
		} else {
			f.cell(formMargin+lw, formWidth-lw, h, a.Value, false)
		}
		f.y += h
		i++
	}
}

func (f *form) cell(x, w, h float64, s string, label bool) {
	if label {
		f.pdf.SetFillColor(246, 246, 246)
		f.pdf.Rect(x, f.y, w, h, "FD")
		f.line(x, f.y, w, h, s, 10, 6, center)
		return
	}
	f.rect(x, f.y, w, h)
	f.box(x, f.y, w, h, s, 10, 6, left)
}

// tcol is a table column: title, width in mm (0 takes the rest) and
// alignment.
type tcol struct {
	title string
	w     float64
	al    align
}

// table draws rows under a head row, rowH high each, continuing (with the
// head repeated) on new pages; cells wrap and shrink to fit.
func (f *form) table(cols []tcol, rows [][]string, rowH float64) {
	ws := make([]float64, len(cols))
	for i, c := range cols {
		ws[i] = c.w
	}
	ws = widths(ws, formWidth)
	head := func() {
		x := formMargin
		f.pdf.SetFillColor(246, 246, 246)
		for i, c := range cols {
			f.pdf.Rect(x, f.y, ws[i], 8, "FD")
			f.line(x, f.y, ws[i], 8, c.title, 10, 6, center)
			x += ws[i]
		}
		f.y += 8
	}
	f.need(8 + rowH)
	head()
	for _, r := range rows {
		if f.need(rowH) {
			head()
		}
		x := formMargin
		for i := range cols {
			f.rect(x, f.y, ws[i], rowH)
			if i < len(r) {
				f.box(x, f.y, ws[i], rowH, r[i], 9.5, 5.5, cols[i].al)
			}
			x += ws[i]
		}
		f.y += rowH
	}
}

// signatures draws "label：value____" pairs, two to a line; an empty
// value leaves the line to be signed or filled in by hand.
func (f *form) signatures(fields ...Field) {
	f.need(float64((len(fields)+1)/2) * 12)
	for i, fl := range fields {
		x := formMargin + float64(i%2)*formWidth/2
		f.line(x, f.y+3, 32, 8, fl.Label+"：", 11, 7, left)
		f.line(x+32, f.y+3, formWidth/2-38, 8, fl.Value, 11, 7, left)
		f.pdf.Line(x+32, f.y+10, x+formWidth/2-6, f.y+10)
		if i%2 == 1 || i == len(fields)-1 {
			f.y += 12
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
