package report

import (
	"fmt"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"

	"github.com/screenlab/screenlab/export"
)

// WriteExtractPlot draws a research extract's re-identification risk:
// persons by the size of their group of quasi-identifier values (1, 2, …,
// k or more), before and after local suppression, side by side.
func WriteExtractPlot(path string, m *export.Manifest, opts ...PlotOptions) error {
	sizes := make([]string, 0, m.K)
	for s := 1; s < m.K; s++ {
		sizes = append(sizes, fmt.Sprint(s))
	}
	sizes = append(sizes, fmt.Sprintf("%d or more", m.K))
	o := firstOr(PlotOptions{Title: fmt.Sprintf("Persons by the size of their group (k = %d)", m.K),
		XLabel: "Persons sharing the quasi-identifiers' values", YLabel: "Persons", Width: 6, Height: 4}, opts)
	f := newFigure(o)
	p := f.p
	width := vg.Points(18)
	ymax := 0.0
	for si, series := range []struct {
		name string
		c    []export.ClassCount
	}{{"before suppression", m.ClassesBefore}, {"delivered", m.ClassesAfter}} {
		vals := make(plotter.Values, len(sizes))
		for _, c := range series.c {
			for i, s := range sizes {
				if c.Size == s || i == len(sizes)-1 && c.Size == ">="+fmt.Sprint(m.K) {
					vals[i] = float64(c.Persons)
				}
			}
		}
		bars, err := plotter.NewBarChart(vals, width)
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		bars.Color = plotutil.Color(si)
		bars.LineStyle.Width = 0
		bars.Offset = vg.Length(2*si-1) * width / 2
		p.Add(bars)
		p.Legend.Add(series.name, bars)
		var tops plotter.XYs
		for i, v := range vals {
			tops = append(tops, plotter.XY{X: float64(i) + float64(2*si-1)*0.15, Y: v})
			ymax = max(ymax, v)
		}
		f.scatter(tops)
	}
	p.NominalX(sizes...)
	f.prefer = []corner{topLeft, topRight}
	f.limits(-0.6, float64(len(sizes))-0.4, 0, 1.15*ymax)
	return f.save(path, o)
}
