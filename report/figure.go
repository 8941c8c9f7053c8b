package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PlotOptions label and size a plot. Every Write…Plot function takes them
// as its last, optional argument; a field left unset keeps that plot's
// default.
type PlotOptions struct {
	Title, XLabel, YLabel string
	// LegendTitle heads the legend (the grouping column).
	LegendTitle string
	// Width and Height are the plot's size in inches (a step plot's
	// numbers at risk come below Height).
	Width, Height float64
	// FitY ends a step plot's y axis just above the highest curve or band
	// instead of at 1 (small cumulative incidences).
	FitY bool
}

// StepPlotOptions are the options of a step plot (Kaplan–Meier, cumulative
// incidence); the name is kept for callers written before every plot took
// options.
type StepPlotOptions = PlotOptions

// over fills o's unset fields from def.
func (o PlotOptions) over(def PlotOptions) PlotOptions {
	if o.Title == "" {
		o.Title = def.Title
	}
	if o.XLabel == "" {
		o.XLabel = def.XLabel
	}
	if o.YLabel == "" {
		o.YLabel = def.YLabel
	}
	if o.LegendTitle == "" {
		o.LegendTitle = def.LegendTitle
	}
	if o.Width <= 0 {
		o.Width = def.Width
	}
	if o.Height <= 0 {
		o.Height = def.Height
	}
	o.FitY = o.FitY || def.FitY
	return o
}

// firstOr is the first of opts over def, or def.
func firstOr(def PlotOptions, opts []PlotOptions) PlotOptions {
	if len(opts) == 0 {
		return def
	}
	return opts[0].over(def)
}

// figure is a plot with what it draws where, so that the legend can be put
// where it covers no data: in the emptiest corner of the data area, or
// outside on the right when every corner has data.
type figure struct {
	p *plot.Plot
	// lines are drawn joined (curves, limits); points are drawn alone.
	lines, points []plotter.XYs
	// xlim and ylim, when set, fix the axes after every plotter has
	// widened them to its data (clipping what lies outside).
	xlim, ylim *[2]float64
	// prefer lists the corners to try first (a ROC curve leaves the lower
	// right empty); the rest follow in the default order.
	prefer []corner
}

// corner is where in the data area a legend sits.
type corner struct{ top, left bool }

var (
	topRight    = corner{true, false}
	topLeft     = corner{true, true}
	bottomRight = corner{false, false}
	bottomLeft  = corner{false, true}
)

func (c corner) String() string {
	s := map[bool]string{true: "top", false: "bottom"}[c.top]
	return s + map[bool]string{true: "-left", false: "-right"}[c.left]
}

func newFigure(o PlotOptions) *figure {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = o.Title, o.XLabel, o.YLabel
	p.X.Tick.Marker, p.Y.Tick.Marker = niceTicks{}, niceTicks{}
	if o.LegendTitle != "" {
		// gonum/plot has no legend title: a first entry without a mark.
		p.Legend.Add(o.LegendTitle)
	}
	return &figure{p: p}
}

// limits fixes the axes' ranges (NaN: leave that end to the data).
func (f *figure) limits(x0, x1, y0, y1 float64) {
	f.xlim, f.ylim = &[2]float64{x0, x1}, &[2]float64{y0, y1}
}

// fix applies the fixed ranges.
func (f *figure) fix() {
	for _, a := range []struct {
		ax  *plot.Axis
		lim *[2]float64
	}{{&f.p.X, f.xlim}, {&f.p.Y, f.ylim}} {
		if a.lim == nil {
			continue
		}
		if !math.IsNaN(a.lim[0]) {
			a.ax.Min = a.lim[0]
		}
		if !math.IsNaN(a.lim[1]) {
			a.ax.Max = a.lim[1]
		}
	}
}

// niceTicks label an axis at 4 to 8 round values (steps of 1, 2, 2.5 or 5
// times a power of ten, so 0 is labelled when the axis holds it), with an
// unlabelled tick between labels.
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	step := 0.0
	mag := math.Pow(10, math.Floor(math.Log10(hi-lo)))
	for _, m := range []float64{0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10} {
		step = m * mag
		if (hi-lo)/step <= 7 {
			break
		}
	}
	var t []plot.Tick
	prec := 0
	for prec < 12 && math.Abs(step*math.Pow(10, float64(prec))-math.Round(step*math.Pow(10, float64(prec)))) > 1e-6 {
		prec++
	}
	first := math.Ceil(lo/(step/2)-1e-9) * (step / 2)
	for k := 0; ; k++ {
		v := first + float64(k)*step/2
		if v > hi+1e-9*step {
			break
		}
		if math.Abs(v) < 1e-12*step {
			v = 0
		}
		lab := ""
		if r := v / step; math.Abs(r-math.Round(r)) < 1e-6 {
			lab = strconv.FormatFloat(v, 'f', prec, 64)
			if strings.Contains(lab, ".") {
				lab = strings.TrimRight(strings.TrimRight(lab, "0"), ".")
			}
		}
		t = append(t, plot.Tick{Value: v, Label: lab})
	}
	return t
}

// line records a joined series (already added to the plot).
func (f *figure) line(xy plotter.XYs) { f.lines = append(f.lines, xy) }

// scatter records unjoined points.
func (f *figure) scatter(xy plotter.XYs) { f.points = append(f.points, xy) }

// layout is where a drawn figure's parts went.
type layout struct {
	area    draw.Canvas // the canvas the plot itself was drawn into
	data    draw.Canvas // its data area
	legend  vg.Rectangle
	at      string // the legend's corner, "outside" or "" without a legend
	overlap int    // data points under the legend (0 unless outside failed)
}

const legendPad = vg.Length(4)

// legendRect is where the legend would be drawn in data area c at corner k
// (gonum's Legend.Rectangle mirrors left and right).
func (f *figure) legendRect(c draw.Canvas, k corner) vg.Rectangle {
	size := f.p.Legend.Rectangle(c).Size()
	var r vg.Rectangle
	if k.left {
		r.Min.X = c.Min.X + legendPad
	} else {
		r.Min.X = c.Max.X - legendPad - size.X
	}
	if k.top {
		r.Min.Y = c.Max.Y - legendPad - size.Y
	} else {
		r.Min.Y = c.Min.Y + legendPad
	}
	r.Max = vg.Point{X: r.Min.X + size.X, Y: r.Min.Y + size.Y}
	return r
}

// covered counts the figure's data (points, and lines sampled every 2
// points of length) that falls inside r grown by 3 points.
func (f *figure) covered(data draw.Canvas, r vg.Rectangle) int {
	r.Min.X, r.Min.Y, r.Max.X, r.Max.Y = r.Min.X-3, r.Min.Y-3, r.Max.X+3, r.Max.Y+3
	at := func(xy plotter.XY) (vg.Point, bool) {
		if math.IsNaN(xy.X) || math.IsNaN(xy.Y) || math.IsInf(xy.X, 0) || math.IsInf(xy.Y, 0) {
			return vg.Point{}, false
		}
		// Clip to the axes: what lies outside them is not drawn.
		x := math.Min(math.Max(f.p.X.Norm(xy.X), 0), 1)
		y := math.Min(math.Max(f.p.Y.Norm(xy.Y), 0), 1)
		return vg.Point{X: data.X(x), Y: data.Y(y)}, true
	}
	in := func(p vg.Point) bool {
		return p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y
	}
	n := 0
	for _, xy := range f.points {
		for _, v := range xy {
			if p, ok := at(v); ok && in(p) {
				n++
			}
		}
	}
	for _, xy := range f.lines {
		for k := 1; k < len(xy); k++ {
			a, ok1 := at(xy[k-1])
			b, ok2 := at(xy[k])
			if !ok1 || !ok2 {
				continue
			}
			steps := int(math.Ceil(math.Hypot(float64(b.X-a.X), float64(b.Y-a.Y)) / 2))
			for s := 0; s <= steps; s++ {
				t := vg.Length(float64(s) / float64(max(steps, 1)))
				if in(vg.Point{X: a.X + t*(b.X-a.X), Y: a.Y + t*(b.Y-a.Y)}) {
					n++
				}
			}
		}
	}
	return n
}

// drawnHook, when set (by tests), sees every figure's layout.
var drawnHook func(layout)

// draw draws the figure into c with its legend where it covers no data,
// and says where everything went.
func (f *figure) draw(c draw.Canvas) layout {
	f.fix()
	lay := f.place(c)
	if lay.at != "" {
		lay.overlap = f.covered(lay.data, lay.legend)
	}
	if drawnHook != nil {
		drawnHook(lay)
	}
	return lay
}

func (f *figure) place(c draw.Canvas) layout {
	p := f.p
	lay := layout{area: c}
	if p.Legend.Rectangle(c).Size().X == 0 {
		p.Draw(c)
		lay.data = p.DataCanvas(c)
		return lay
	}
	data := p.DataCanvas(c)
	order := append([]corner(nil), f.prefer...)
	for _, k := range []corner{topRight, topLeft, bottomRight, bottomLeft} {
		seen := false
		for _, q := range order {
			seen = seen || q == k
		}
		if !seen {
			order = append(order, k)
		}
	}
	best, bestN := order[0], -1
	for _, k := range order {
		if n := f.covered(data, f.legendRect(data, k)); bestN < 0 || n < bestN {
			best, bestN = k, n
		}
	}
	if bestN > 0 && (f.ylim == nil || math.IsNaN(f.ylim[1])) {
		// Room above the data for the legend, when the y axis is free.
		h := f.p.Legend.Rectangle(c).Size().Y + 2*legendPad
		if H := data.Max.Y - data.Min.Y; h < H/3 {
			y0, y1 := p.Y.Min, p.Y.Max
			p.Y.Max = y1 + (y1-y0)*float64(h/(H-h))
			data = p.DataCanvas(c)
			for _, k := range []corner{topRight, topLeft} {
				if f.covered(data, f.legendRect(data, k)) == 0 {
					best, bestN = k, 0
					break
				}
			}
			if bestN > 0 {
				p.Y.Max = y1
				data = p.DataCanvas(c)
			}
		}
	}
	if bestN == 0 {
		p.Legend.Top, p.Legend.Left = best.top, best.left
		p.Legend.XOffs, p.Legend.YOffs = -legendPad, -legendPad
		if best.left {
			p.Legend.XOffs = legendPad
		}
		if !best.top {
			p.Legend.YOffs = legendPad
		}
		p.Draw(c)
		lay.data = p.DataCanvas(c)
		lay.legend, lay.at = f.legendRect(lay.data, best), best.String()
		return lay
	}
	// Every corner covers data: the legend goes to the right of the plot.
	width := p.Legend.Rectangle(c).Size().X + 3*legendPad
	lay.area = draw.Crop(c, 0, -width, 0, 0)
	legend := p.Legend
	p.Legend = plot.NewLegend()
	p.Draw(lay.area)
	p.Legend = legend
	lay.data = p.DataCanvas(lay.area)
	strip := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: lay.area.Max.X + 2*legendPad, Y: lay.data.Min.Y},
		Max: vg.Point{X: c.Max.X, Y: lay.data.Max.Y},
	}}
	p.Legend.Top, p.Legend.Left, p.Legend.XOffs, p.Legend.YOffs = true, true, 0, 0
	p.Legend.Draw(strip)
	lay.legend, lay.at = f.legendRect(strip, topLeft), "outside"
	lay.legend = lay.legend.Add(vg.Point{X: -legendPad, Y: legendPad})
	return lay
}

// save draws the figure to path (.png, .svg or .pdf by its extension, or a
// destination of Draw) at o's size in inches.
func (f *figure) save(path string, o PlotOptions) error {
	if o.Width <= 0 || o.Height <= 0 || o.Width > 100 || o.Height > 100 {
		return fmt.Errorf("plot %s: size %g × %g inches: want each between 0 and 100", path, o.Width, o.Height)
	}
	canvas, out, err := newCanvas(path, vg.Length(o.Width)*vg.Inch, vg.Length(o.Height)*vg.Inch)
	if err != nil {
		return err
	}
	f.draw(draw.New(canvas))
	return saveCanvas(path, out)
}
