package report

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/screenlab/screenlab/evaluation/screening"
)

// WriteFITSweepPlot draws a FIT threshold sweep: colonoscopies per 1000
// screened (x) against the cancers and advanced adenomas detected per
// 1000 screened (y), one point per threshold labelled with it (where the
// labels do not crowd), the programme's threshold ringed. Advanced adenomas below the programme's
// threshold are unknown and not drawn.
func WriteFITSweepPlot(path string, sw *screening.FITSweep, opts ...PlotOptions) error {
	if len(sw.Rows) == 0 {
		return fmt.Errorf("plot %s: no thresholds", path)
	}
	o := firstOr(PlotOptions{Title: "FIT positivity threshold (µg Hb/g faeces)", XLabel: "Colonoscopies per 1000 screened",
		YLabel: "Detected per 1000 screened", Width: 6.5, Height: 4.5}, opts)
	f := newFigure(o)
	p := f.p
	per := 1000 / float64(sw.Screened)
	series := []struct {
		name string
		y    func(screening.FITSweepRow) float64
	}{
		{"cancers within 2 years", func(r screening.FITSweepRow) float64 { return float64(r.CancersDetected) * per }},
		{"advanced adenomas found", func(r screening.FITSweepRow) float64 { return r.AdvancedAdenomasDetected * per }},
	}
	var labels plotter.XYLabels
	xmax := 0.0
	for _, r := range sw.Rows {
		xmax = math.Max(xmax, r.ColonoscopiesPer1000)
	}
	for si, s := range series {
		var xy plotter.XYs
		lastX := math.Inf(1)
		for k := len(sw.Rows) - 1; k >= 0; k-- { // from the highest threshold (fewest colonoscopies)
			r := sw.Rows[k]
			x, y := r.ColonoscopiesPer1000, s.y(r)
			if math.IsNaN(x) || math.IsNaN(y) {
				continue
			}
			xy = append(xy, plotter.XY{X: x, Y: y})
			// label a threshold only where it does not crowd the last one
			if math.IsInf(lastX, 1) || x-lastX >= 0.04*xmax {
				labels.XYs = append(labels.XYs, plotter.XY{X: x, Y: y})
				labels.Labels = append(labels.Labels, fmt.Sprintf("%g", r.Threshold))
				lastX = x
			}
		}
		if len(xy) == 0 {
			continue
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		l.Color = plotutil.Color(si)
		pts.Color = plotutil.Color(si)
		pts.Shape = plotutil.Shape(si)
		p.Add(l, pts)
		f.line(xy)
		p.Legend.Add(s.name, l, pts)
		for _, r := range sw.Rows {
			if r.Threshold == sw.ProgrammeThreshold && !math.IsNaN(s.y(r)) {
				ring, err := plotter.NewScatter(plotter.XYs{{X: r.ColonoscopiesPer1000, Y: s.y(r)}})
				if err != nil {
					return err
				}
				ring.Shape = draw.RingGlyph{}
				ring.Radius = vg.Points(6)
				ring.Color = color.Black
				p.Add(ring)
			}
		}
	}
	// two labels of one threshold too close together: keep the upper one
	ymax := 0.0
	for _, xy := range labels.XYs {
		ymax = math.Max(ymax, xy.Y)
	}
	var kept plotter.XYLabels
	for i, xy := range labels.XYs {
		crowded := false
		for j, o := range labels.XYs {
			if j != i && labels.Labels[j] == labels.Labels[i] && o.X == xy.X && o.Y > xy.Y && o.Y-xy.Y < 0.06*ymax {
				crowded = true
			}
		}
		if !crowded {
			kept.XYs = append(kept.XYs, xy)
			kept.Labels = append(kept.Labels, labels.Labels[i])
		}
	}
	labels = kept
	if len(labels.XYs) > 0 {
		lab, err := plotter.NewLabels(labels)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		for i := range lab.TextStyle {
			lab.TextStyle[i].Font.Size = vg.Points(7)
			lab.TextStyle[i].XAlign = draw.XCenter
		}
		lab.Offset = vg.Point{X: 0, Y: vg.Points(7)}
		p.Add(lab)
	}
	p.Legend.Add(fmt.Sprintf("ringed: %g µg/g, the programme's", sw.ProgrammeThreshold))
	f.prefer = []corner{topLeft, bottomRight}
	f.limits(0, math.NaN(), 0, 1.12*ymax) // room for the top point's label
	return f.save(path, o)
}
