package app

import (
	"fmt"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Charts of the 首页, drawn with canvas rectangles, lines and text: a bar
// chart with a row per value (barList) and a column chart (columnChart).
// Both are tappable: a tap on a bar calls onTap with its index.

// chartBar is one bar: its label and value.
type chartBar struct {
	label string
	value int
}

// chartText is a small canvas.Text in the theme's foreground colour.
func chartText(s string, size float32) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = size
	return t
}

func textWidth(s string, size float32) float32 {
	return fyne.MeasureText(s, size, fyne.TextStyle{}).Width
}

// barList is a horizontal bar chart: label, bar, value on each row.
type barList struct {
	widget.BaseWidget
	bars  []chartBar
	color color.Color // nil: the theme's primary colour
	onTap func(i int)
}

func newBarList(onTap func(i int)) *barList {
	b := &barList{onTap: onTap}
	b.ExtendBaseWidget(b)
	return b
}

// set replaces the bars and redraws.
func (b *barList) set(bars []chartBar) {
	b.bars = bars
	b.Refresh()
}

const barRowHeight = 26

func (b *barList) rowAt(y float32) int {
	i := int(y / barRowHeight)
	if i < 0 || i >= len(b.bars) {
		return -1
	}
	return i
}

// Tapped opens what the tapped row counts.
func (b *barList) Tapped(ev *fyne.PointEvent) {
	if i := b.rowAt(ev.Position.Y); i >= 0 && b.onTap != nil {
		b.onTap(i)
	}
}

// Cursor shows a hand: the rows are links.
func (b *barList) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (b *barList) CreateRenderer() fyne.WidgetRenderer {
	return &barListRenderer{b: b}
}

type barListRenderer struct {
	b       *barList
	objects []fyne.CanvasObject
	rects   []*canvas.Rectangle
	labels  []*canvas.Text
	values  []*canvas.Text
	empty   *canvas.Text
}

func (r *barListRenderer) size() float32 { return theme.TextSize() }

func (r *barListRenderer) build() {
	r.objects, r.rects, r.labels, r.values, r.empty = nil, nil, nil, nil, nil
	fill := r.b.color
	if fill == nil {
		fill = theme.Color(theme.ColorNamePrimary)
	}
	for _, bar := range r.b.bars {
		rect := canvas.NewRectangle(fill)
		rect.CornerRadius = 2
		l, v := chartText(bar.label, r.size()), chartText(fmt.Sprint(bar.value), r.size())
		r.rects, r.labels, r.values = append(r.rects, rect), append(r.labels, l), append(r.values, v)
		r.objects = append(r.objects, rect, l, v)
	}
	if len(r.b.bars) == 0 {
		r.empty = chartText("暂无数据", r.size())
		r.empty.Color = theme.Color(theme.ColorNamePlaceHolder)
		r.objects = append(r.objects, r.empty)
	}
}

func (r *barListRenderer) Layout(size fyne.Size) {
	if len(r.rects) != len(r.b.bars) || (len(r.b.bars) == 0) != (r.empty != nil) {
		r.build()
	}
	if r.empty != nil && len(r.b.bars) == 0 {
		r.empty.Move(fyne.NewPos(0, (barRowHeight-r.empty.MinSize().Height)/2))
		return
	}
	labelW, valueW := r.widths()
	top := 1
	for _, bar := range r.b.bars {
		top = max(top, bar.value)
	}
	pad := theme.Padding()
	barX := labelW + 2*pad
	barMax := size.Width - barX - valueW - 2*pad
	if barMax < 4 {
		barMax = 4
	}
	for i, bar := range r.b.bars {
		y := float32(i) * barRowHeight
		th := r.labels[i].MinSize().Height
		r.labels[i].Move(fyne.NewPos(barX-pad-r.labels[i].MinSize().Width, y+(barRowHeight-th)/2))
		w := barMax * float32(bar.value) / float32(top)
		if bar.value > 0 && w < 2 {
			w = 2
		}
		r.rects[i].Move(fyne.NewPos(barX, y+4))
		r.rects[i].Resize(fyne.NewSize(w, barRowHeight-8))
		r.values[i].Move(fyne.NewPos(barX+w+pad, y+(barRowHeight-th)/2))
	}
}

// widths are those of the widest label and value.
func (r *barListRenderer) widths() (label, value float32) {
	for _, bar := range r.b.bars {
		label = max(label, textWidth(bar.label, r.size()))
		value = max(value, textWidth(fmt.Sprint(bar.value), r.size()))
	}
	return label, value
}

// MinSize leaves room for the labels, the values and a short bar.
func (r *barListRenderer) MinSize() fyne.Size {
	n := len(r.b.bars)
	if n == 0 {
		n = 1
	}
	label, value := r.widths()
	return fyne.NewSize(max(150, label+value+4*theme.Padding()+60), float32(n)*barRowHeight)
}

func (r *barListRenderer) Refresh() {
	r.build()
	r.Layout(r.b.Size())
	canvas.Refresh(r.b)
}

func (r *barListRenderer) Objects() []fyne.CanvasObject {
	if len(r.rects) != len(r.b.bars) || (len(r.b.bars) == 0 && r.empty == nil) {
		r.build()
	}
	return r.objects
}

func (r *barListRenderer) Destroy() {}

// columnChart is a vertical bar chart with axes: value labels above the
// bars and category labels below (thinned out when they would overlap),
// the axis titles at the ends of the axes.
type columnChart struct {
	widget.BaseWidget
	bars           []chartBar
	xTitle, yTitle string
	onTap          func(i int)
}

func newColumnChart(xTitle, yTitle string, onTap func(i int)) *columnChart {
	c := &columnChart{xTitle: xTitle, yTitle: yTitle, onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

func (c *columnChart) set(bars []chartBar) {
	c.bars = bars
	c.Refresh()
}

// Tapped opens what the tapped column counts.
func (c *columnChart) Tapped(ev *fyne.PointEvent) {
	g := c.geometry(c.Size())
	if len(c.bars) == 0 || c.onTap == nil || ev.Position.X < g.left || ev.Position.Y > g.bottom {
		return
	}
	if i := int((ev.Position.X - g.left) / g.slot); i >= 0 && i < len(c.bars) {
		c.onTap(i)
	}
}

func (c *columnChart) Cursor() desktop.Cursor { return desktop.PointerCursor }

// chartGeometry is where the plot area of a column chart lies.
type chartGeometry struct {
	left, top, right, bottom float32 // plot area
	slot                     float32 // width per column
	text                     float32 // text size
	lineH                    float32 // text line height
}

func (c *columnChart) geometry(size fyne.Size) chartGeometry {
	ts := theme.TextSize() - 1
	lineH := fyne.MeasureText("0", ts, fyne.TextStyle{}).Height
	max := 1
	for _, b := range c.bars {
		if b.value > max {
			max = b.value
		}
	}
	g := chartGeometry{text: ts, lineH: lineH}
	g.left = textWidth(fmt.Sprint(max), ts) + 2*theme.Padding()
	g.top = 2 * lineH // y axis title, then the value labels of the tallest bars
	g.right = size.Width - textWidth(c.xTitle, ts) - 2*theme.Padding()
	g.bottom = size.Height - lineH - theme.Padding()
	n := len(c.bars)
	if n == 0 {
		n = 1
	}
	g.slot = (g.right - g.left) / float32(n)
	return g
}

func (c *columnChart) CreateRenderer() fyne.WidgetRenderer { return &columnRenderer{c: c} }

type columnRenderer struct {
	c       *columnChart
	objects []fyne.CanvasObject
}

func (r *columnRenderer) Layout(fyne.Size) { r.draw() }

// draw rebuilds every object for the current size: a few dozen at most.
func (r *columnRenderer) draw() {
	c := r.c
	size := c.Size()
	g := c.geometry(size)
	fg := theme.Color(theme.ColorNameForeground)
	muted := theme.Color(theme.ColorNameDisabled)
	var objs []fyne.CanvasObject
	max := 1
	for _, b := range c.bars {
		if b.value > max {
			max = b.value
		}
	}
	// Axes and their titles.
	yAxis := canvas.NewLine(fg)
	yAxis.Position1, yAxis.Position2 = fyne.NewPos(g.left, g.top-g.lineH/2), fyne.NewPos(g.left, g.bottom)
	xAxis := canvas.NewLine(fg)
	xAxis.Position1, xAxis.Position2 = fyne.NewPos(g.left, g.bottom), fyne.NewPos(g.right, g.bottom)
	yTitle := chartText(c.yTitle, g.text)
	yTitle.Move(fyne.NewPos(0, 0))
	xTitle := chartText(c.xTitle, g.text)
	xTitle.Move(fyne.NewPos(g.right+theme.Padding(), g.bottom-g.lineH/2))
	objs = append(objs, yAxis, xAxis, yTitle, xTitle)
	// The scale: 0 and the largest value, with a faint grid line at the top.
	for _, v := range []int{0, max} {
		y := g.bottom - (g.bottom-g.top)*float32(v)/float32(max)
		t := chartText(fmt.Sprint(v), g.text)
		t.Move(fyne.NewPos(g.left-theme.Padding()-t.MinSize().Width, y-g.lineH/2))
		objs = append(objs, t)
		if v > 0 {
			grid := canvas.NewLine(muted)
			grid.Position1, grid.Position2 = fyne.NewPos(g.left, y), fyne.NewPos(g.right, y)
			objs = append(objs, grid)
		}
	}
	if len(c.bars) == 0 {
		t := chartText("暂无数据", g.text)
		t.Color = theme.Color(theme.ColorNamePlaceHolder)
		t.Move(fyne.NewPos(g.left+2*theme.Padding(), g.bottom-2*g.lineH))
		r.objects = append(objs, t)
		return
	}
	// Every k-th label, so that labels never touch.
	every := func(widest float32) int {
		k := int(math.Ceil(float64((widest + theme.Padding()) / g.slot)))
		if k < 1 {
			k = 1
		}
		return k
	}
	var labelW, valueW float32
	for _, b := range c.bars {
		labelW = float32(math.Max(float64(labelW), float64(textWidth(b.label, g.text))))
		valueW = float32(math.Max(float64(valueW), float64(textWidth(fmt.Sprint(b.value), g.text))))
	}
	kLabel, kValue := every(labelW), every(valueW)
	fill := theme.Color(theme.ColorNamePrimary)
	n := len(c.bars)
	for i, b := range c.bars {
		x := g.left + g.slot*float32(i)
		h := (g.bottom - g.top) * float32(b.value) / float32(max)
		if b.value > 0 && h < 1 {
			h = 1
		}
		bw := g.slot * 0.7
		rect := canvas.NewRectangle(fill)
		rect.Move(fyne.NewPos(x+(g.slot-bw)/2, g.bottom-h))
		rect.Resize(fyne.NewSize(bw, h))
		objs = append(objs, rect)
		// Labels count from the newest (rightmost) column, which is
		// always labelled.
		fromEnd := n - 1 - i
		if fromEnd%kLabel == 0 {
			t := chartText(b.label, g.text)
			t.Move(fyne.NewPos(x+(g.slot-t.MinSize().Width)/2, g.bottom+theme.Padding()/2))
			objs = append(objs, t)
		}
		if fromEnd%kValue == 0 {
			t := chartText(fmt.Sprint(b.value), g.text)
			t.Move(fyne.NewPos(x+(g.slot-t.MinSize().Width)/2, g.bottom-h-g.lineH))
			objs = append(objs, t)
		}
	}
	r.objects = objs
}

func (r *columnRenderer) MinSize() fyne.Size { return fyne.NewSize(280, 200) }

func (r *columnRenderer) Refresh() {
	r.draw()
	canvas.Refresh(r.c)
}

func (r *columnRenderer) Objects() []fyne.CanvasObject {
	if r.objects == nil {
		r.draw()
	}
	return r.objects
}

func (r *columnRenderer) Destroy() {}
