package report

import (
	"fmt"
	"math"

	"github.com/screenlab/screenlab/evaluation/strategy"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// StrategySeries is one simulation's strategies, for a comparison plot
// (e.g. the same strategies with two scores).
type StrategySeries struct {
	Name string
	Rows []strategy.TriageRow
}

// WriteStrategyComparison draws, for each strategy and decision bound, the
// change in sensitivity from the observed reading (percentage points, with
// its bootstrap interval when there is one) — a forest plot — with the
// change in human reads in the row's label. Series share rows by strategy
// and bound and are offset slightly. The observed strategy is the zero line.
func WriteStrategyComparison(path, title string, series []StrategySeries, opts ...PlotOptions) error {
	type key struct{ name, assumption string }
	var labels []key
	index := map[key]int{}
	reads := map[key]float64{}
	for _, s := range series {
		for _, r := range s.Rows {
			k := key{r.Name, r.Assumption}
			if r.Assumption == "observed" {
				continue
			}
			if _, ok := index[k]; !ok {
				index[k] = len(labels)
				labels = append(labels, k)
				reads[k] = r.ReadsChange
			}
		}
	}
	if len(labels) == 0 {
		return fmt.Errorf("plot %s: no strategies to compare", path)
	}
	o := firstOr(PlotOptions{Title: title, XLabel: "Change in sensitivity from double reading (percentage points)", Width: 8}, opts)
	f := newFigure(o)
	p := f.p
	n := len(labels)
	var ticks []plot.Tick
	for i, k := range labels {
		ticks = append(ticks, plot.Tick{Value: float64(n - 1 - i), Label: fmt.Sprintf("%s, %s (reads %+.0f%%)", k.name, k.assumption, math.Round(100*reads[k])+0)})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.7, float64(n)-0.3
	lo, hi := 0.0, 0.0
	for si, s := range series {
		off := 0.0
		if len(series) > 1 {
			off = 0.25 - 0.5*float64(si)/float64(len(series)-1)
		}
		var pts plotter.XYs
		var errs plotter.XErrors
		for _, r := range s.Rows {
			k := key{r.Name, r.Assumption}
			i, ok := index[k]
			if !ok {
				continue
			}
			d := 100 * (r.Sensitivity - s.Rows[0].Sensitivity)
			e := struct{ Low, High float64 }{0, 0}
			if r.CI != nil {
				e.Low, e.High = math.Max(0, d-100*r.CI.SensitivityDiff[0]), math.Max(0, 100*r.CI.SensitivityDiff[1]-d)
			}
			pts = append(pts, plotter.XY{X: d, Y: float64(n-1-i) + off})
			errs = append(errs, e)
			lo, hi = math.Min(lo, d-e.Low), math.Max(hi, d+e.High)
		}
		if len(pts) == 0 {
			continue
		}
		col := plotutil.Color(si)
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		eb, err := plotter.NewXErrorBars(struct {
			plotter.XYer
			plotter.XErrorer
		}{pts, errs})
		if err != nil {
			return err
		}
		eb.Color = col
		eb.LineStyle.Width = vg.Points(1.2)
		p.Add(eb, sc)
		f.scatter(pts)
		for k := range pts {
			f.line(plotter.XYs{{X: pts[k].X - errs[k].Low, Y: pts[k].Y}, {X: pts[k].X + errs[k].High, Y: pts[k].Y}})
		}
		if len(series) > 1 {
			p.Legend.Add(s.Name, sc)
		}
	}
	zero, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: p.Y.Min}, {X: 0, Y: p.Y.Max}})
	zero.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	zero.Color = plotutil.Color(7)
	p.Add(zero)
	pad := math.Max(0.5, 0.08*(hi-lo))
	p.X.Min, p.X.Max = lo-pad, hi+pad
	if o.Height <= 0 {
		o.Height = 1.2 + 0.32*(p.Y.Max-p.Y.Min)
	}
	return f.save(path, o)
}
