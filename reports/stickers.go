package reports

import (
	"fmt"
	"io"
)

// Sticker is one 归档章 (archiving stamp) for an item, 45 × 16 mm with six
// cells laid out as DA/T 22-2015's stamp: 全宗号 | 年度 | 件号 over
// 机构(问题) | 保管期限 | 页数. Only the values are printed, as on the stamp.
type Sticker struct {
	FondsCode, Year, ItemNo string
	Org, Retention, Pages   string
}

// LabelSheet is the layout of an A4 sheet of 45 × 16 mm labels.
type LabelSheet struct {
	Cols, Rows     int
	Left, Top      float64 // mm from the sheet's edge to the first label
	GapX, GapY     float64 // mm between labels
	LabelW, LabelH float64
}

// DefaultLabelSheet: 4 × 16 labels of 45 × 16 mm, 3 mm apart across,
// centred on A4.
var DefaultLabelSheet = LabelSheet{Cols: 4, Rows: 16, Left: 10.5, Top: 20.5, GapX: 3, GapY: 0, LabelW: 45, LabelH: 16}

// StickerOptions: Start skips that many labels of the first sheet (a sheet
// already partly used); Sheet 0-valued means DefaultLabelSheet; Outline
// draws each label's border (for plain paper).
type StickerOptions struct {
	Start   int
	Sheet   LabelSheet
	Outline bool
}

func (o StickerOptions) sheet() LabelSheet {
	if o.Sheet.Cols <= 0 || o.Sheet.Rows <= 0 {
		return DefaultLabelSheet
	}
	s := o.Sheet
	if s.LabelW == 0 {
		s.LabelW, s.LabelH = 45, 16
	}
	return s
}

// StickerPages returns the number of sheets WriteStickers will write.
func StickerPages(n int, opt StickerOptions) int {
	s := opt.sheet()
	per := s.Cols * s.Rows
	if n == 0 {
		return 0
	}
	return (opt.Start%per + n + per - 1) / per
}

// WriteStickers writes 归档章 labels onto A4 label sheets, starting after
// opt.Start labels. Print at 100% (PrintScaleNote).
func WriteStickers(w io.Writer, fonts *Fonts, items []Sticker, opt StickerOptions) (res Result, err error) {
	defer recoverTo(&err)
	if len(items) == 0 {
		return Result{}, ErrNothingToPrint
	}
	s := opt.sheet()
	per := s.Cols * s.Rows
	if opt.Start < 0 || opt.Start >= per {
		return Result{}, fmt.Errorf("起始位置应在 0 到 %d 之间（一张标签纸 %d 个）。", per-1, per)
	}
	d := newDoc(fonts, A4, false)
	pos := opt.Start
	for i, it := range items {
		if i == 0 || pos == per {
			d.addPage()
			if pos == per {
				pos = 0
			}
		}
		col, row := pos%s.Cols, pos/s.Cols
		x := s.Left + float64(col)*(s.LabelW+s.GapX)
		y := s.Top + float64(row)*(s.LabelH+s.GapY)
		stamp(d, x, y, s.LabelW, s.LabelH, it, opt.Outline)
		pos++
	}
	return d.finish(w)
}

// stamp draws one 归档章: a 3 × 2 grid inset 1 mm inside the label.
func stamp(d *doc, x, y, w, h float64, it Sticker, outline bool) {
	if outline {
		d.lineWidth(0.1)
		d.pdf.SetDrawColor(170, 170, 170)
		d.rect(x, y, w, h)
		d.pdf.SetDrawColor(0, 0, 0)
	}
	const inset = 1.0
	gx, gy, gw, gh := x+inset, y+inset, w-2*inset, h-2*inset
	cw, ch := gw/3, gh/2
	d.lineWidth(0.25)
	d.rect(gx, gy, gw, gh)
	d.pdf.Line(gx, gy+ch, gx+gw, gy+ch)
	d.pdf.Line(gx+cw, gy, gx+cw, gy+gh)
	d.pdf.Line(gx+2*cw, gy, gx+2*cw, gy+gh)
	cells := []string{it.FondsCode, it.Year, it.ItemNo, it.Org, retentionShort(it.Retention), it.Pages}
	for i, v := range cells {
		d.line(gx+float64(i%3)*cw, gy+float64(i/3)*ch, cw, ch, v, 9, 5, center)
	}
}
