package report

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
)

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

// ROCCurve is one ROC curve of a plot, with its AUC for the legend (NaN:
// the area under the given points).
type ROCCurve struct {
	Name   string
	Points []evaluation.ROCPoint
	AUC    float64
}

// WriteROCPlot draws ROC curves (1 − specificity against sensitivity),
// with an optional band for the first, and the chance diagonal; each
// legend entry carries the AUC of its curve's points.
func WriteROCPlot(path, title string, names []string, curves [][]evaluation.ROCPoint, band *ROCBand, opts ...PlotOptions) error {
	rc := make([]ROCCurve, len(curves))
	for i := range curves {
		rc[i] = ROCCurve{Name: names[i], Points: curves[i], AUC: math.NaN()}
	}
	return WriteROCCurves(path, rc, band, firstOr(PlotOptions{Title: title}, opts))
}

// trapezoidAUC is the area under an ROC curve's points.
func trapezoidAUC(roc []evaluation.ROCPoint) float64 {
	a := 0.0
	for k := 1; k < len(roc); k++ {
		a += math.Abs(roc[k].Specificity-roc[k-1].Specificity) * (roc[k].Sensitivity + roc[k-1].Sensitivity) / 2
	}
	return a
}

// WriteROCCurves is WriteROCPlot with each curve's AUC given (as the
// evaluation computed it, where the points are thinned).
func WriteROCCurves(path string, curves []ROCCurve, band *ROCBand, opts ...PlotOptions) error {
	o := firstOr(PlotOptions{Title: "ROC curve", XLabel: "1 − specificity", YLabel: "Sensitivity", Width: 5, Height: 5}, opts)
	f := newFigure(o)
	p := f.p
	f.limits(0, 1, 0, 1)
	p.X.Tick.Marker, p.Y.Tick.Marker = unitTicks{}, unitTicks{}
	f.prefer = []corner{bottomRight}
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
			f.line(poly)
		}
	}
	diag := plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}}
	reference(f, diag)
	for i, c := range curves {
		pts := make(plotter.XYs, len(c.Points))
		for k, r := range c.Points {
			pts[k] = plotter.XY{X: 1 - r.Specificity, Y: r.Sensitivity}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("plot %s: curve %s: %w", path, c.Name, err)
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		f.line(pts)
		auc := c.AUC
		if math.IsNaN(auc) {
			auc = trapezoidAUC(c.Points)
		}
		p.Legend.Add(fmt.Sprintf("%s (AUC %.3f)", c.Name, auc), l)
	}
	return f.save(path, o)
}

// unitTicks label 0, 0.2, …, 1 (and mark every 0.1) on a [0, 1] axis.
type unitTicks struct{}

func (unitTicks) Ticks(lo, hi float64) []plot.Tick {
	var t []plot.Tick
	for k := 0; k <= 10; k++ {
		v := float64(k) / 10
		if v < lo-1e-9 || v > hi+1e-9 {
			continue
		}
		lab := ""
		if k%2 == 0 {
			lab = strconv.FormatFloat(v, 'f', -1, 64)
		}
		t = append(t, plot.Tick{Value: v, Label: lab})
	}
	return t
}

// reference draws a dashed grey reference line (chance, ideal, no skill)
// and records it as data the legend must not cover.
func reference(f *figure, xy plotter.XYs) {
	l, err := plotter.NewLine(xy)
	if err != nil {
		return
	}
	l.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	l.Color = color.Gray{Y: 130}
	f.p.Add(l)
	f.line(xy)
}

// WriteCalibrationPlot draws the smoothed calibration curve, observed risk
// by decile with its interval, the ideal diagonal, and the distribution of
// predicted risks as bars along the bottom.
func WriteCalibrationPlot(path, title string, c *evaluation.Calibration, predictions []float64, opts ...PlotOptions) error {
	return WriteCalibrationData(path, title, c.Deciles, evaluation.NewCalibrationData(c, predictions), opts...)
}

// WriteCalibrationData is WriteCalibrationPlot from saved plot data. Both
// axes run from 0 to the data's top (CalibrationData.Top: where the
// predictions and the deciles end), so that a screening model's risks of a
// few percent fill the plot.
func WriteCalibrationData(path, title string, deciles []evaluation.RiskGroup, d *evaluation.CalibrationData, opts ...PlotOptions) error {
	o := firstOr(PlotOptions{Title: title, XLabel: "Predicted risk", YLabel: "Observed risk", Width: 5, Height: 5}, opts)
	f := newFigure(o)
	p := f.p
	top := d.Top
	f.limits(0, top, 0, top)
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
		bar := plotter.XYs{{X: x0, Y: 0}, {X: x1, Y: 0}, {X: x1, Y: h}, {X: x0, Y: h}}
		if pg, err := plotter.NewPolygon(bar); err == nil {
			pg.Color = color.Gray{Y: 200}
			pg.LineStyle.Width = 0
			p.Add(pg)
			f.line(plotter.XYs{{X: x0, Y: h}, {X: x1, Y: h}})
		}
	}
	reference(f, plotter.XYs{{X: 0, Y: 0}, {X: top, Y: top}})
	var curve plotter.XYs
	for _, pt := range d.Curve {
		curve = append(curve, plotter.XY{X: pt.Predicted, Y: pt.Observed})
	}
	if len(curve) > 1 {
		l, err := plotter.NewLine(curve)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		l.Color = plotutil.Color(0)
		l.Width = vg.Points(1.5)
		p.Add(l)
		f.line(curve)
		p.Legend.Add("smoothed (lowess)", l)
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
			return fmt.Errorf("plot %s: %w", path, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: plotutil.Color(1), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		f.scatter(pts)
		p.Legend.Add("tenths of predicted risk", sc)
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYer
			plotter.YErrorer
		}{pts, errs})
		if err == nil {
			eb.Color = plotutil.Color(1)
			p.Add(eb)
			for k := range pts {
				f.line(plotter.XYs{{X: pts[k].X, Y: pts[k].Y - errs[k].Low}, {X: pts[k].X, Y: pts[k].Y + errs[k].High}})
			}
		}
	}
	f.prefer = []corner{topLeft, bottomRight}
	return f.save(path, o)
}

// DecisionRange is the part of a decision curve worth drawing: thresholds
// up to where both the model's and treat-all's net benefit have fallen to
// 0 for good (at least 0.05, at most the grid's end), and net benefit from
// a little below 0 to a little above the largest.
func DecisionRange(nb []evaluation.NetBenefit) (xMax, yMin, yMax float64) {
	if len(nb) == 0 {
		return 1, -0.01, 0.1
	}
	maxNB, last := 0.0, nb[0].Threshold
	for _, b := range nb {
		maxNB = math.Max(maxNB, math.Max(b.Model, b.TreatAll))
		if b.Model > 0 || b.TreatAll > 0 {
			last = b.Threshold
		}
	}
	end := nb[len(nb)-1].Threshold
	xMax = math.Min(end, math.Max(0.05, last*1.2))
	maxNB = math.Max(maxNB, 1e-4)
	return xMax, -0.1 * maxNB, 1.1 * maxNB
}

// WriteDecisionCurve draws net benefit against the risk threshold for the
// model, treat-all and treat-none, over DecisionRange.
func WriteDecisionCurve(path, title string, nb []evaluation.NetBenefit, opts ...PlotOptions) error {
	o := firstOr(PlotOptions{Title: title, XLabel: "Risk threshold", YLabel: "Net benefit", Width: 6, Height: 4}, opts)
	f := newFigure(o)
	p := f.p
	var model, all, none plotter.XYs
	for _, b := range nb {
		model = append(model, plotter.XY{X: b.Threshold, Y: b.Model})
		all = append(all, plotter.XY{X: b.Threshold, Y: b.TreatAll})
		none = append(none, plotter.XY{X: b.Threshold, Y: b.TreatNone})
	}
	xMax, yMin, yMax := DecisionRange(nb)
	f.limits(0, xMax, yMin, yMax)
	for i, s := range []struct {
		name string
		xy   plotter.XYs
	}{{"model", model}, {"treat all", all}, {"treat none", none}} {
		l, err := plotter.NewLine(s.xy)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		l.Color = plotutil.Color(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		f.line(s.xy)
		p.Legend.Add(s.name, l)
	}
	return f.save(path, o)
}

// WritePRPlot draws the precision–recall curve (precision against
// sensitivity at each threshold) with the prevalence as the no-skill line;
// the average precision is in the legend. The precision axis ends a little
// above the curve's highest precision at recall 5% or more (a screening
// model's precision is a few percent).
func WritePRPlot(path, title string, roc []evaluation.ROCPoint, prevalence, ap float64, opts ...PlotOptions) error {
	o := firstOr(PlotOptions{Title: title, XLabel: "Recall (sensitivity)", YLabel: "Precision (PPV)", Width: 5, Height: 5}, opts)
	f := newFigure(o)
	p := f.p
	var pts plotter.XYs
	top := 2 * prevalence
	for k := len(roc) - 1; k >= 0; k-- {
		if !math.IsNaN(roc[k].Precision) {
			pts = append(pts, plotter.XY{X: roc[k].Sensitivity, Y: roc[k].Precision})
			if roc[k].Sensitivity >= 0.05 {
				top = math.Max(top, roc[k].Precision)
			}
		}
	}
	f.limits(0, 1, 0, math.Min(1, math.Max(0.01, top*1.1)))
	p.X.Tick.Marker = unitTicks{}
	reference(f, plotter.XYs{{X: 0, Y: prevalence}, {X: 1, Y: prevalence}})
	if len(pts) > 1 {
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		l.Color = plotutil.Color(0)
		l.Width = vg.Points(1.5)
		p.Add(l)
		f.line(pts)
		name := "model"
		if !math.IsNaN(ap) {
			name = fmt.Sprintf("model (average precision %.3f)", ap)
		}
		p.Legend.Add(name, l)
	}
	return f.save(path, o)
}

// WriteTriageSweep draws a strategy's threshold sweep: sensitivity and
// recall rate (under the dismissed assumption, and recalled as a dashed
// line) against the change in human reads, with the observed strategy's
// values as dotted lines.
func WriteTriageSweep(path, title string, pts []strategy.SweepPoint, baseSens, baseRecall float64, opts ...PlotOptions) error {
	o := firstOr(PlotOptions{Title: title, XLabel: "Change in human reads (%)", YLabel: "Sensitivity, recall rate × 10 (%)", Width: 7, Height: 4.5}, opts)
	f := newFigure(o)
	p := f.p
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
			return fmt.Errorf("plot %s: %w", path, err)
		}
		l.Color = plotutil.Color(i / 2)
		l.Width = vg.Points(1.5)
		if s.dashed {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		f.line(xy)
		p.Legend.Add(s.name, l)
	}
	for i, y := range []float64{100 * baseSens, 1000 * baseRecall} {
		if math.IsNaN(y) || len(pts) == 0 {
			continue
		}
		xy := plotter.XYs{{X: 100 * pts[len(pts)-1].ReadsChange, Y: y}, {X: 100 * pts[0].ReadsChange, Y: y}}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		l.Color = plotutil.Color(i)
		l.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
		p.Add(l)
		f.line(xy)
	}
	f.limits(math.NaN(), math.NaN(), 0, math.NaN())
	return f.save(path, o)
}

// WriteFunnelPlot draws an indicator's funnel plot (Spiegelhalter 2005):
// each unit's value against its denominator, the national value, the 95%
// and 99.8% control limits and the target when the indicator has one.
// Units outside the 99.8% limits are drawn in red and named, those between
// the 95% and 99.8% limits in orange; suppressed units are left out.
func WriteFunnelPlot(path string, res *screening.IndicatorResult, opts ...PlotOptions) error {
	y := res.Name
	if res.Per == 100 {
		y += " (%)"
	} else if res.Per != 1 && res.Per != 0 {
		y += fmt.Sprintf(" (per %g)", res.Per)
	}
	o := firstOr(PlotOptions{Title: "Funnel plot: " + res.Name, XLabel: "Denominator (" + res.Denominator + ")", YLabel: y, Width: 6, Height: 4.5}, opts)
	f := newFigure(o)
	p := f.p
	adjusted := ""
	if res.Overdispersion != nil {
		adjusted = fmt.Sprintf(", overdispersed (τ² %.2g)", res.Overdispersion.Tau2)
	}
	lines := []struct {
		name string
		y    func(screening.FunnelPoint) float64
		dash bool
	}{
		{"99.8% limits" + adjusted, func(f screening.FunnelPoint) float64 { return f.Upper998 }, false},
		{"", func(f screening.FunnelPoint) float64 { return f.Lower998 }, false},
		{"95% limits" + adjusted, func(f screening.FunnelPoint) float64 { return f.Upper95 }, true},
		{"", func(f screening.FunnelPoint) float64 { return f.Lower95 }, true},
	}
	for _, ln := range lines {
		var xy plotter.XYs
		for _, fp := range res.Limits {
			xy = append(xy, plotter.XY{X: fp.N, Y: ln.y(fp)})
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		l.Color = color.Gray{Y: 90}
		if ln.dash {
			l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(l)
		f.line(xy)
		if ln.name != "" {
			p.Legend.Add(ln.name, l)
		}
	}
	if n := len(res.Limits); n > 0 {
		x0, x1 := res.Limits[0].N, res.Limits[n-1].N
		xy := plotter.XYs{{X: x0, Y: res.National.Value}, {X: x1, Y: res.National.Value}}
		centre, err := plotter.NewLine(xy)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		centre.Color = plotutil.Color(0)
		p.Add(centre)
		f.line(xy)
		p.Legend.Add(fmt.Sprintf("national %.3g", res.National.Value), centre)
		if op, t, ok := res.TargetValue(); ok {
			xy := plotter.XYs{{X: x0, Y: t}, {X: x1, Y: t}}
			tl, err := plotter.NewLine(xy)
			if err != nil {
				return fmt.Errorf("plot %s: %w", path, err)
			}
			tl.Color = color.RGBA{G: 130, A: 255}
			tl.Width = vg.Points(1.5)
			tl.Dashes = []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1), vg.Points(2)}
			p.Add(tl)
			f.line(xy)
			p.Legend.Add(fmt.Sprintf("target %s%g", op, t), tl)
		}
	}
	groups := []struct {
		name  string
		col   color.Color
		match func(string) bool
		label bool
	}{
		{"within 95% limits", plotutil.Color(1), func(s string) bool { return s == "within" }, false},
		{"outside 95% limits", color.RGBA{R: 230, G: 140, A: 255}, func(s string) bool { return strings.Contains(s, "95") }, true},
		{"outside 99.8% limits", color.RGBA{R: 200, A: 255}, func(s string) bool { return strings.Contains(s, "99.8") }, true},
	}
	// labels of flagged units, the farthest from the national value first;
	// one that would sit on an earlier one is left out (the JSON has all)
	var xr, yr [2]float64 = [2]float64{math.Inf(1), math.Inf(-1)}, [2]float64{math.Inf(1), math.Inf(-1)}
	for _, u := range res.Units {
		if len(u.Suppressed) == 0 && !math.IsNaN(u.Value) {
			xr = [2]float64{math.Min(xr[0], u.Denominator), math.Max(xr[1], u.Denominator)}
			yr = [2]float64{math.Min(yr[0], u.Value), math.Max(yr[1], u.Value)}
		}
	}
	var placed plotter.XYs
	labelled := map[string]bool{}
	flagged := append([]screening.IndicatorRow(nil), res.Units...)
	sort.SliceStable(flagged, func(i, j int) bool {
		return math.Abs(flagged[i].Value-res.National.Value) > math.Abs(flagged[j].Value-res.National.Value)
	})
	for _, u := range flagged {
		if len(u.Suppressed) > 0 || math.IsNaN(u.Value) || u.Funnel == "within" {
			continue
		}
		crowded := false
		for _, q := range placed {
			if math.Abs(q.X-u.Denominator) < 0.09*(xr[1]-xr[0]) && math.Abs(q.Y-u.Value) < 0.035*(yr[1]-yr[0]) {
				crowded = true
			}
		}
		if !crowded {
			placed = append(placed, plotter.XY{X: u.Denominator, Y: u.Value})
			labelled[u.Unit] = true
		}
	}
	for _, g := range groups {
		var pts, lpts plotter.XYs
		var names []string
		for _, u := range res.Units {
			if len(u.Suppressed) > 0 || math.IsNaN(u.Value) || !g.match(u.Funnel) {
				continue
			}
			pts = append(pts, plotter.XY{X: u.Denominator, Y: u.Value})
			if labelled[u.Unit] {
				lpts = append(lpts, plotter.XY{X: u.Denominator, Y: u.Value})
				names = append(names, u.Unit)
			}
		}
		if len(pts) == 0 {
			continue
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: g.col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(s)
		f.scatter(pts)
		p.Legend.Add(fmt.Sprintf("%s (%d)", g.name, len(pts)), s)
		if g.label && len(lpts) > 0 {
			labels, err := plotter.NewLabels(plotter.XYLabels{XYs: lpts, Labels: names})
			if err != nil {
				return fmt.Errorf("plot %s: %w", path, err)
			}
			for i := range labels.TextStyle {
				labels.TextStyle[i].Font.Size = vg.Points(8)
			}
			labels.Offset = vg.Point{X: vg.Points(4), Y: vg.Points(2)}
			p.Add(labels)
			f.scatter(lpts)
		}
	}
	return f.save(path, o)
}
