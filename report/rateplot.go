package report

import (
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// RateSeries is a rate over a numeric axis (calendar year) with its
// confidence interval; NaN points (suppressed cells) are left out.
type RateSeries struct {
	Name         string
	X, Y         []float64
	Lower, Upper []float64
}

// WriteRatePlot draws each series as points joined by a line with a shaded
// confidence band: incidence trends by year. The rate axis starts at 0.
func WriteRatePlot(path, title, xLabel, yLabel string, series []RateSeries, opts ...PlotOptions) error {
	o := firstOr(PlotOptions{Title: title, XLabel: xLabel, YLabel: yLabel, Width: 7, Height: 4}, opts)
	f := newFigure(o)
	p := f.p
	top := 0.0
	for i, s := range series {
		col := plotutil.Color(i)
		var line, up, lo plotter.XYs
		for k := range s.X {
			if math.IsNaN(s.Y[k]) {
				continue
			}
			line = append(line, plotter.XY{X: s.X[k], Y: s.Y[k]})
			top = math.Max(top, s.Y[k])
			if !math.IsNaN(s.Lower[k]) && !math.IsNaN(s.Upper[k]) {
				up = append(up, plotter.XY{X: s.X[k], Y: s.Upper[k]})
				lo = append(lo, plotter.XY{X: s.X[k], Y: s.Lower[k]})
				top = math.Max(top, s.Upper[k])
			}
		}
		if len(line) == 0 {
			continue
		}
		if len(up) > 1 {
			band := append(plotter.XYs(nil), up...)
			for k := len(lo) - 1; k >= 0; k-- {
				band = append(band, lo[k])
			}
			if pg, err := plotter.NewPolygon(band); err == nil {
				pg.Color = fill(col, 50)
				pg.LineStyle.Width = 0
				p.Add(pg)
				f.line(up)
				f.line(lo)
			}
		}
		l, sc, err := plotter.NewLinePoints(line)
		if err != nil {
			return err
		}
		l.Color = col
		l.Width = vg.Points(1.5)
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		p.Add(l, sc)
		f.line(line)
		p.Legend.Add(s.Name, l, sc)
	}
	p.Y.Min, p.Y.Max = 0, top*1.1+1e-9
	return f.save(path, o)
}
