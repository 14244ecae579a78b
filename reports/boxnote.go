package reports

import (
	"io"
)

// WriteBoxNotes writes the 备考表 of each box on its own A4 page:
// 盒内文件情况说明, 整理人, 整理日期, 检查人, 检查日期.
func WriteBoxNotes(w io.Writer, fonts *Fonts, boxes []Box) (res Result, err error) {
	defer recoverTo(&err)
	if len(boxes) == 0 {
		return Result{}, ErrNothingToPrint
	}
	d := newDoc(fonts, A4, false)
	const x, fw = 25.0, 160.0
	for _, b := range boxes {
		d.addPage()
		d.line(0, 25, 210, 14, "备  考  表", 22, 14, center)
		id := "全宗号：" + b.FondsCode + "  年度：" + b.Year + "  保管期限：" + RetentionLabel(b.Retention) + "  盒号：" + b.Code
		if b.StartNo != "" {
			id += "  件号：" + b.StartNo + "—" + b.EndNo
		}
		d.line(x, 44, fw, 7, id, 10, 7, left)
		top, h := 54.0, 170.0
		d.lineWidth(0.4)
		d.rect(x, top, fw, h+40)
		d.lineWidth(0.2)
		d.line(x+4, top+3, fw-8, 8, "盒内文件情况说明：", 12, 8, left)
		d.para(x+8, top+13, fw-16, h-18, b.Note.Description, 12, 7)
		y := top + h
		d.pdf.Line(x, y, x+fw, y)
		pairs := [][2]string{{"整理人", b.Note.Arranger}, {"整理日期", b.Note.ArrangedOn}, {"检查人", b.Note.Checker}, {"检查日期", b.Note.CheckedOn}}
		for i, p := range pairs {
			px := x + 6 + float64(i%2)*fw/2
			py := y + 6 + float64(i/2)*16
			d.line(px, py, 24, 9, p[0]+"：", 12, 8, left)
			d.line(px+24, py, fw/2-36, 9, p[1], 12, 7, left)
			d.pdf.Line(px+24, py+8.5, px+fw/2-12, py+8.5)
		}
	}
	return d.finish(w)
}
