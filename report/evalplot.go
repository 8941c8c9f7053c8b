package report

import (
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
)

// savePlotTo renders a plot to .png or .svg.
func savePlotTo(p *plot.Plot, path string, w, h vg.Length) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		c := vgimg.New(w, h)
		p.Draw(draw.New(c))
		return savePlot(path, c, nil)
	case ".svg":
		c := vgsvg.New(w, h)
		p.Draw(draw.New(c))
		return savePlot(path, nil, c)
	}
	return fmt.Errorf("plot %s: want a .png or .svg file", path)
}

func fill(c color.Color, alpha uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: alpha}
}

// ROCBand is a confidence band for sensitivity at fixed specificities.
type ROCBand struct {
	Specificity  []float64
	Lower, Upper []float64
}

// ThinROC keeps at most about n points of an ROC curve (every k-th, and
// the last), enough to draw it and small enough to keep in a result.
func ThinROC(roc []evaluation.ROCPoint, n int) []evaluation.ROCPoint {
	step := max(1, (len(roc)+n-1)/n)
	var out []evaluation.ROCPoint
	for i, r := range roc {
		if i%step == 0 || i == len(roc)-1 {
			out = append(out, r)
		}
	}
	return out
}

// WriteROCPlot draws ROC curves (1 − specificity against sensitivity),
// with an optional band for the first, and the chance diagonal.
func WriteROCPlot(path, title string, names []string, curves [][]evaluation.ROCPoint, band *ROCBand) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "1 − specificity"
	p.Y.Label.Text = "Sensitivity"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs = -vg.Points(10)
	p.Legend.YOffs = vg.Points(10)
	if band != nil && len(band.Specificity) > 1 {
		var poly plotter.XYs
		for k := range band.Specificity {
			poly = append(poly, plotter.XY{X: 1 - band.Specificity[k], Y: band.Upper[k]})
		}
		for k := len(band.Specificity) - 1; k >= 0; k-- {
			poly = append(poly, plotter.XY{X: 1 - band.Specificity[k], Y: band.Lower[k]})
		}
		if pg, err := plotter.NewPolygon(poly); err == nil {
			pg.Color = fill(plotutil.Color(0), 50)
			pg.LineStyle.Width = 0
			p.Add(pg)
		}
	}
	diag, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	diag.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	diag.Color = color.Gray{Y: 140}
	p.Add(diag)
	for i, roc := range curves {
		pts := make(plotter.XYs, len(roc))
		for k, r := range roc {
			pts[k] = plotter.XY{X: 1 - r.Specificity, Y: r.Sensitivity}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(names[i], l)
	}
	return savePlotTo(p, path, 5*vg.Inch, 5*vg.Inch)
}

// WriteCalibrationPlot draws the smoothed calibration curve, observed risk
// by decile with its interval, the ideal diagonal, and the distribution of
// predicted risks as bars along the bottom.
func WriteCalibrationPlot(path, title string, c *evaluation.Calibration, predictions []float64) error {
	return WriteCalibrationData(path, title, c.Deciles, evaluation.NewCalibrationData(c, predictions))
}

// WriteCalibrationData is WriteCalibrationPlot from saved plot data.
func WriteCalibrationData(path, title string, deciles []evaluation.RiskGroup, d *evaluation.CalibrationData) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "Predicted risk"
	p.Y.Label.Text = "Observed risk"
	top := d.Top
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, top, 0, top
	// Distribution of predictions: bars up to 12% of the axis.
	bins := len(d.Histogram)
	maxC := 0
	for _, k := range d.Histogram {
		maxC = max(maxC, k)
	}
	for b, k := range d.Histogram {
		if k == 0 {
			continue
		}
		x0, x1 := top*float64(b)/float64(bins), top*float64(b+1)/float64(bins)
		h := 0.12 * top * float64(k) / float64(maxC)
		if pg, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: 0}, {X: x1, Y: 0}, {X: x1, Y: h}, {X: x0, Y: h}}); err == nil {
			pg.Color = color.Gray{Y: 200}
			pg.LineStyle.Width = 0
			p.Add(pg)
		}
	}
	diag, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: top, Y: top}})
	diag.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	diag.Color = color.Gray{Y: 120}
	p.Add(diag)
	var curve plotter.XYs
	for _, pt := range d.Curve {
		curve = append(curve, plotter.XY{X: pt.Predicted, Y: pt.Observed})
	}
	if len(curve) > 1 {
		l, err := plotter.NewLine(curve)
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(0)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add("lowess", l)
	}
	var pts plotter.XYs
	var errs plotter.YErrors
	for _, g := range deciles {
		pts = append(pts, plotter.XY{X: g.Predicted, Y: g.Observed})
		errs = append(errs, struct{ Low, High float64 }{g.Observed - g.Lower, g.Upper - g.Observed})
	}
	if len(pts) > 0 {
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: plotutil.Color(1), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		p.Legend.Add("deciles", sc)
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYer
			plotter.YErrorer
		}{pts, errs})
		if err == nil {
			eb.Color = plotutil.Color(1)
			p.Add(eb)
		}
	}
	p.Legend.Top = true
	return savePlotTo(p, path, 5*vg.Inch, 5*vg.Inch)
}

// WriteDecisionCurve draws net benefit against the risk threshold for the
// model, treat-all and treat-none.
func WriteDecisionCurve(path, title string, nb []evaluation.NetBenefit) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "Risk threshold"
	p.Y.Label.Text = "Net benefit"
	var model, all, none plotter.XYs
	maxNB := 0.0
	for _, b := range nb {
		model = append(model, plotter.XY{X: b.Threshold, Y: b.Model})
		all = append(all, plotter.XY{X: b.Threshold, Y: b.TreatAll})
		none = append(none, plotter.XY{X: b.Threshold, Y: b.TreatNone})
		maxNB = math.Max(maxNB, math.Max(b.Model, b.TreatAll))
	}
	p.Y.Min, p.Y.Max = -0.05*math.Max(maxNB, 0.01), maxNB*1.1+1e-9
	for i, s := range []struct {
		name string
		xy   plotter.XYs
	}{{"model", model}, {"treat all", all}, {"treat none", none}} {
		l, err := plotter.NewLine(s.xy)
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	p.Legend.Top = true
	return savePlotTo(p, path, 6*vg.Inch, 4*vg.Inch)
}

// WritePRPlot draws the precision–recall curve (precision against
// sensitivity at each threshold) with the prevalence as the no-skill line.
func WritePRPlot(path, title string, roc []evaluation.ROCPoint, prevalence, ap float64) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s (average precision %.3f)", title, ap)
	p.X.Label.Text = "Recall (sensitivity)"
	p.Y.Label.Text = "Precision (PPV)"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	var pts plotter.XYs
	for k := len(roc) - 1; k >= 0; k-- {
		if !math.IsNaN(roc[k].Precision) {
			pts = append(pts, plotter.XY{X: roc[k].Sensitivity, Y: roc[k].Precision})
		}
	}
	base, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: prevalence}, {X: 1, Y: prevalence}})
	base.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	base.Color = color.Gray{Y: 140}
	p.Add(base)
	if len(pts) > 1 {
		l, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(0)
		l.Width = vg.Points(1.5)
		p.Add(l)
	}
	return savePlotTo(p, path, 5*vg.Inch, 5*vg.Inch)
}

// WriteTriageSweep draws a strategy's threshold sweep: sensitivity and
// recall rate (under the dismissed assumption, and recalled as a dashed
// line) against the change in human reads, with the observed strategy's
// values as dotted lines.
func WriteTriageSweep(path, title string, pts []strategy.SweepPoint, baseSens, baseRecall float64) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "Change in human reads (%)"
	p.Y.Label.Text = "Sensitivity, recall rate × 10 (%)"
	series := []struct {
		name   string
		y      func(strategy.SweepPoint) float64
		dashed bool
	}{
		{"sensitivity", func(s strategy.SweepPoint) float64 { return 100 * s.Sensitivity }, false},
		{"sensitivity (AI-only flags recalled)", func(s strategy.SweepPoint) float64 { return 100 * s.SensitivityRecalled }, true},
		{"recall rate × 10", func(s strategy.SweepPoint) float64 { return 1000 * s.RecallRate }, false},
		{"recall rate × 10 (AI-only flags recalled)", func(s strategy.SweepPoint) float64 { return 1000 * s.RecallRateRecalled }, true},
	}
	for i, s := range series {
		var xy plotter.XYs
		for _, pt := range pts {
			if y := s.y(pt); !math.IsNaN(y) {
				xy = append(xy, plotter.XY{X: 100 * pt.ReadsChange, Y: y})
			}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i / 2)
		l.Width = vg.Points(1.5)
		if s.dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		p.Legend.Add(s.name, l)
	}
	for i, y := range []float64{100 * baseSens, 1000 * baseRecall} {
		if math.IsNaN(y) || len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(plotter.XYs{{X: 100 * pts[len(pts)-1].ReadsChange, Y: y}, {X: 100 * pts[0].ReadsChange, Y: y}})
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i)
		l.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
		p.Add(l)
	}
	p.Legend.Top = true
	p.Legend.Left = true
	return savePlotTo(p, path, 7*vg.Inch, 4.5*vg.Inch)
}

// WriteFunnelPlot draws an indicator's funnel plot (Spiegelhalter 2005):
// each unit's value against its denominator, the national value, and the
// 95% and 99.8% control limits; suppressed units are left out.
func WriteFunnelPlot(path string, res *screening.IndicatorResult) error {
	p := plot.New()
	p.Title.Text = "Funnel plot: " + res.Name
	p.X.Label.Text = "Denominator"
	p.Y.Label.Text = res.Name
	if res.Per != 1 {
		p.Y.Label.Text += fmt.Sprintf(" (per %g)", res.Per)
	}
	lines := []struct {
		name string
		y    func(screening.FunnelPoint) float64
		dash bool
	}{
		{"99.8% limits", func(f screening.FunnelPoint) float64 { return f.Upper998 }, false},
		{"", func(f screening.FunnelPoint) float64 { return f.Lower998 }, false},
		{"95% limits", func(f screening.FunnelPoint) float64 { return f.Upper95 }, true},
		{"", func(f screening.FunnelPoint) float64 { return f.Lower95 }, true},
	}
	for _, ln := range lines {
		var xy plotter.XYs
		for _, f := range res.Limits {
			xy = append(xy, plotter.XY{X: f.N, Y: ln.y(f)})
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		l.Color = color.Gray{Y: 90}
		if ln.dash {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		if ln.name != "" {
			p.Legend.Add(ln.name, l)
		}
	}
	if n := len(res.Limits); n > 0 {
		centre, err := plotter.NewLine(plotter.XYs{{X: res.Limits[0].N, Y: res.National.Value}, {X: res.Limits[n-1].N, Y: res.National.Value}})
		if err != nil {
			return err
		}
		centre.Color = plotutil.Color(0)
		p.Add(centre)
		p.Legend.Add(fmt.Sprintf("national %.3g", res.National.Value), centre)
	}
	var pts plotter.XYs
	var names []string
	for _, u := range res.Units {
		if len(u.Suppressed) > 0 || math.IsNaN(u.Value) {
			continue
		}
		pts = append(pts, plotter.XY{X: u.Denominator, Y: u.Value})
		names = append(names, u.Unit)
	}
	if len(pts) > 0 {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.Color = plotutil.Color(1)
		s.Radius = vg.Points(3)
		p.Add(s)
		labels, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: names})
		if err != nil {
			return err
		}
		p.Add(labels)
	}
	p.Legend.Top = true
	return savePlotTo(p, path, 6*vg.Inch, 4*vg.Inch)
}
