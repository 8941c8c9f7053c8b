package report

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/screenlab/screenlab/survival"
)

// StepCurve is a right-continuous step function with a confidence band,
// censoring marks and the number at risk, for survival-type plots.
type StepCurve struct {
	Name         string
	Start        float64 // the value at time 0 (1 for survival, 0 for incidence)
	Time         []float64
	Est          []float64
	Lower, Upper []float64 // NaN where undefined
	CensorTime   []float64
	CensorEst    []float64
	AtRisk       func(t float64) float64 // nil: no risk table row
	// RiskTimes are where the risk table shows AtRisk; nil: at the time
	// axis' labelled ticks.
	RiskTimes []float64
}

// KMCurve turns a Kaplan–Meier result into a plot curve.
func KMCurve(name string, r *survival.KMResult) StepCurve {
	c := StepCurve{Name: name, Start: 1}
	for _, row := range r.Table {
		if row.NEvent > 0 {
			c.Time = append(c.Time, row.Time)
			c.Est = append(c.Est, row.Surv)
			c.Lower = append(c.Lower, row.Lower)
			c.Upper = append(c.Upper, row.Upper)
		}
		if row.NCensor > 0 {
			c.CensorTime = append(c.CensorTime, row.Time)
			c.CensorEst = append(c.CensorEst, row.Surv)
		}
	}
	table := r.Table
	c.AtRisk = func(t float64) float64 {
		for _, row := range table {
			if row.Time >= t {
				return row.NRisk
			}
		}
		return 0
	}
	return c
}

// CIFCurve turns a cumulative incidence curve into a plot curve. The
// numbers at risk are shown at time 0 and at the curve's requested times
// (its At points), which a curve read back from JSON still has.
func CIFCurve(name string, cur *survival.CIFCurve) StepCurve {
	c := StepCurve{Name: name, Start: 0}
	for _, p := range cur.Table {
		c.Time = append(c.Time, p.Time)
		c.Est = append(c.Est, p.CIF)
		c.Lower = append(c.Lower, p.Lower)
		c.Upper = append(c.Upper, p.Upper)
	}
	risk := map[float64]float64{0: float64(cur.N)}
	c.RiskTimes = []float64{0}
	for _, a := range cur.At {
		if a.Time > 0 {
			risk[a.Time] = a.NRisk
			c.RiskTimes = append(c.RiskTimes, a.Time)
		}
	}
	c.AtRisk = func(t float64) float64 { return risk[t] }
	return c
}

// steps returns the corner points of a step function from (0, start).
func steps(start float64, t, y []float64, end float64) plotter.XYs {
	pts := plotter.XYs{{X: 0, Y: start}}
	prev := start
	for i := range t {
		if math.IsNaN(y[i]) {
			continue
		}
		pts = append(pts, plotter.XY{X: t[i], Y: prev}, plotter.XY{X: t[i], Y: y[i]})
		prev = y[i]
	}
	return append(pts, plotter.XY{X: end, Y: prev})
}

// WriteStepPlot draws the curves with their bands and censoring marks, and
// a numbers-at-risk table under the time axis at the axis' labelled ticks
// (.png, .svg or .pdf by the path's extension). The legend goes where it
// covers no curve.
func WriteStepPlot(path string, curves []StepCurve, opts StepPlotOptions) error {
	o := opts.over(PlotOptions{Width: 7, Height: 4.5})
	f := newFigure(o)
	p := f.p
	end := 0.0
	for _, c := range curves {
		for _, t := range c.Time {
			end = math.Max(end, t)
		}
		for _, t := range c.CensorTime {
			end = math.Max(end, t)
		}
	}
	yMax := 1.0
	if o.FitY {
		top := 0.0
		for _, c := range curves {
			for k := range c.Est {
				for _, v := range []float64{c.Est[k], c.Upper[k]} {
					if !math.IsNaN(v) {
						top = math.Max(top, v)
					}
				}
			}
		}
		yMax = math.Min(1, math.Max(0.01, top*1.1))
	}
	f.limits(0, end, 0, yMax)
	if yMax == 1 {
		p.Y.Tick.Marker = unitTicks{}
	}
	for i, c := range curves {
		col := plotutil.Color(i)
		// Band: upper steps forward, lower steps back.
		up := steps(c.Start, c.Time, c.Upper, end)
		lo := steps(c.Start, c.Time, c.Lower, end)
		band := append(plotter.XYs(nil), up...)
		for k := len(lo) - 1; k >= 0; k-- {
			band = append(band, lo[k])
		}
		if poly, err := plotter.NewPolygon(band); err == nil {
			poly.Color = fill(col, 50)
			poly.LineStyle.Width = 0
			p.Add(poly)
			f.line(up)
			f.line(lo)
		}
		est := steps(c.Start, c.Time, c.Est, end)
		line, err := plotter.NewLine(est)
		if err != nil {
			return fmt.Errorf("plot %s: %s: %w", path, c.Name, err)
		}
		line.Color = col
		line.Width = vg.Points(1.5)
		p.Add(line)
		f.line(est)
		p.Legend.Add(c.Name, line)
		if len(c.CensorTime) > 0 {
			pts := make(plotter.XYs, len(c.CensorTime))
			for k := range pts {
				pts[k] = plotter.XY{X: c.CensorTime[k], Y: c.CensorEst[k]}
			}
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return fmt.Errorf("plot %s: %s: %w", path, c.Name, err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.5), Shape: draw.PlusGlyph{}}
			p.Add(sc)
			f.scatter(pts)
		}
	}
	rows := 0
	for _, c := range curves {
		if c.AtRisk != nil {
			rows++
		}
	}
	if o.Width <= 0 || o.Height <= 0 || o.Width > 100 || o.Height > 100 {
		return fmt.Errorf("plot %s: size %g × %g inches: want each between 0 and 100", path, o.Width, o.Height)
	}
	width, plotH := vg.Length(o.Width)*vg.Inch, vg.Length(o.Height)*vg.Inch
	rowH := 0.22 * vg.Inch
	tableH := vg.Length(0)
	if rows > 0 {
		tableH = rowH*vg.Length(rows+1) + 0.15*vg.Inch
	}
	canvas, out, err := newCanvas(path, width, plotH+tableH)
	if err != nil {
		return err
	}
	dc := draw.New(canvas)
	// Leave room on the left for group names in the table.
	lay := f.draw(draw.Crop(dc, 0.9*vg.Inch, -0.25*vg.Inch, tableH, -0.05*vg.Inch))
	if rows > 0 {
		data := lay.data
		sty := draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, vg.Points(9)), XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
		left := sty
		left.XAlign = draw.XLeft
		y := tableH - rowH/2
		dc.FillText(left, vg.Point{X: 0.1 * vg.Inch, Y: y}, "Number at risk")
		ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
		r := 0
		for i, c := range curves {
			if c.AtRisk == nil {
				continue
			}
			r++
			y := tableH - rowH*vg.Length(r) - rowH/2
			name := draw.TextStyle(left)
			name.Color = plotutil.Color(i)
			dc.FillText(name, vg.Point{X: 0.1 * vg.Inch, Y: y}, c.Name)
			at := c.RiskTimes
			if at == nil {
				for _, tk := range ticks {
					if tk.Label != "" {
						at = append(at, tk.Value)
					}
				}
			}
			for _, t := range at {
				if t < p.X.Min || t > p.X.Max {
					continue
				}
				x := data.X(p.X.Norm(t))
				dc.FillText(sty, vg.Point{X: x, Y: y}, strconv.FormatFloat(c.AtRisk(t), 'f', -1, 64))
			}
		}
	}
	return saveCanvas(path, out)
}
