package reports

import (
	"io"
)

// Box front size (DA/T 22-2015: 310 × 220 mm).
const boxFrontW, boxFrontH = 220.0, 310.0

// WriteBoxCovers writes one box cover (盒面) a page, with the 全宗名称. On A3
// the cover is drawn at the real box size with cut marks; on A4 it is
// drawn smaller to fit (not for sticking on a box).
func WriteBoxCovers(w io.Writer, fonts *Fonts, boxes []Box, paper Paper) (res Result, err error) {
	defer recoverTo(&err)
	if len(boxes) == 0 {
		return Result{}, ErrNothingToPrint
	}
	d := newDoc(fonts, paper, false)
	pw, ph := paper.size()
	fw, fh := boxFrontW, boxFrontH
	if paper == A4 {
		fw, fh = 180, 180*boxFrontH/boxFrontW
	}
	x, y := (pw-fw)/2, (ph-fh)/2
	for _, b := range boxes {
		d.addPage()
		d.lineWidth(0.1)
		d.pdf.SetDrawColor(160, 160, 160)
		d.rect(x, y, fw, fh)
		d.pdf.SetDrawColor(0, 0, 0)
		if paper == A3 {
			for _, cx := range []float64{x, x + fw} {
				d.pdf.Line(cx, y-10, cx, y-2)
				d.pdf.Line(cx, y+fh+2, cx, y+fh+10)
			}
			for _, cy := range []float64{y, y + fh} {
				d.pdf.Line(x-10, cy, x-2, cy)
				d.pdf.Line(x+fw+2, cy, x+fw+10, cy)
			}
		}
		k := fw / boxFrontW
		d.line(x, y+fh*0.16, fw, 10*k, "全宗名称", 14*k, 8, center)
		d.box(x+fw*0.1, y+fh*0.16+12*k, fw*0.8, 50*k, b.FondsName, 30*k, 12*k, center)
		d.pdf.Line(x+fw*0.1, y+fh*0.16+64*k, x+fw*0.9, y+fh*0.16+64*k)
		d.line(x, y+fh*0.16+70*k, fw, 8*k, "档 案 盒", 12*k, 8, center)
		d.line(0, ph-9, pw, 5, "盒面 "+paper.String()+"："+printNote(paper), 8, 6, center)
	}
	return d.finish(w)
}

func printNote(p Paper) string {
	if p == A3 {
		return "按实际大小（100%）打印，沿裁切线裁下"
	}
	return "A4 为缩小样式，贴盒请用 A3 按实际大小打印"
}
