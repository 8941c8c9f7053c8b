package report

import (
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
)

// AIAuditSection writes what a programme board reads before procuring an
// AI product: the AI's scores of the cancers at the exam that found them
// and one and two rounds earlier (screenlab triage priors), and each
// radiologist's recall rate against the programme's in a funnel plot
// (screenlab triage readers).
func (p *Page) AIAuditSection(pr *strategy.PriorsReport, readers *screening.IndicatorsResult, sub *strategy.SubgroupReport, drift *strategy.DriftReport) error {
	p.Section("Evaluating the AI before procurement", "The AI's score of each cancer at the exam that found it (the last screen before an interval cancer) and at the rounds before, beside women without cancer; and the double reading it would change, reader by reader.")
	if pr != nil && len(pr.Thresholds) > 0 {
		top := pr.Thresholds[0]
		p.body.WriteString("<p class=\"note\">" + htmlEscape(fmt.Sprintf("Share of women whose exam scored in the AI's top %.0f%% of all exams (%s ≥ %.3f), with Wilson 95%% intervals (screenlab triage priors). Lag 0 is the index exam, 1 and 2 the rounds before.", 100*top.Top, pr.Score, top.Threshold)) + "</p>\n")
		var rows [][]string
		c := cells{}
		for _, r := range pr.Rows {
			if r.Top != top.Top {
				continue
			}
			rows = append(rows, []string{r.Group, fmt.Sprint(r.Lag), fmt.Sprint(r.Women), fmt.Sprint(r.Exams), c.Num(r.Median, 3), fmt.Sprint(r.Above), c.Pct(r.Share, r.Lower, r.Upper)})
		}
		p.Table([]string{"women", "lag (rounds before)", "in group", "scored at lag", "median score", "in the top", "share"}, rows)
	}
	if sub != nil {
		var notes []string
		for _, in := range sub.Interactions {
			if in.Assumption == strategy.Dismissed && in.Metric != "detection" {
				notes = append(notes, fmt.Sprintf("%s, %s: p %s", in.Strategy, in.Metric, fmtP(in.P)))
			}
		}
		p.body.WriteString("<p class=\"note\">" + htmlEscape(fmt.Sprintf("One threshold for the whole programme, by %s (screenlab triage simulate --by %s): Cochran's Q test of whether the change differs between %ss — %s.", sub.By, sub.By, sub.By, strings.Join(notes, "; "))) + "</p>\n")
		if err := p.Plot("Change in recall rate from double reading by "+sub.By+" for each strategy, with Wald 95% intervals (exams independent).", func(dst string) error {
			return WriteSubgroupForest(dst, sub)
		}); err != nil {
			return err
		}
	}
	if drift != nil {
		if err := p.Plot(fmt.Sprintf("Share of exams at or above the AI's top-decile threshold (%.3f) by %s and %s, with Wilson intervals (screenlab triage drift); %d periods flagged outside the 99.8%% p-chart limits.", drift.Threshold, drift.By, drift.Period, len(drift.Flagged)), func(dst string) error {
			return WriteDriftPlot(dst, drift)
		}); err != nil {
			return err
		}
	}
	if readers != nil {
		for _, ind := range readers.Indicators {
			if ind.Name != "recall_rate" {
				continue
			}
			out := 0
			for _, u := range ind.Units {
				if u.Funnel != "within" && u.Funnel != "" {
					out++
				}
			}
			p.body.WriteString("<p class=\"note\">" + htmlEscape(fmt.Sprintf("Reader audit (screenlab triage readers): %d radiologists' own recall flags per 100 reads against the programme's %.2f%%; %d outside the 95%% funnel limits. Detection rate, PPV and sensitivity per reader are in demo.json (reader_audit).", len(ind.Units), ind.National.Value, out)) + "</p>\n")
			if err := p.Plot("Recall rate of each radiologist's own flags against the number of reads, with exact binomial funnel limits around the programme's rate.", func(dst string) error {
				return WriteFunnelPlot(dst, ind)
			}); err != nil {
				return err
			}
		}
	}
	p.EndSection()
	return nil
}

// WriteDriftPlot draws each group's share of exams at or above the AI
// threshold by period (with Wilson intervals): a drift chart; flagged
// periods are listed in the report, not drawn.
func WriteDriftPlot(path string, d *strategy.DriftReport, opts ...PlotOptions) error {
	by := map[string]*RateSeries{}
	var order []string
	for _, r := range d.Rows {
		s := by[r.Group]
		if s == nil {
			s = &RateSeries{Name: r.Group}
			by[r.Group] = s
			order = append(order, r.Group)
		}
		var y, m, q int
		x := 0.0
		switch {
		case len(r.Period) == 7 && r.Period[4] == '-' && r.Period[5] != 'Q':
			fmt.Sscanf(r.Period, "%d-%d", &y, &m)
			x = float64(y) + float64(m-1)/12
		case len(r.Period) == 7:
			fmt.Sscanf(r.Period, "%d-Q%d", &y, &q)
			x = float64(y) + float64(q-1)/4
		default:
			fmt.Sscanf(r.Period, "%d", &y)
			x = float64(y)
		}
		s.X = append(s.X, x)
		s.Y = append(s.Y, 100*r.Share)
		s.Lower = append(s.Lower, 100*r.Lower)
		s.Upper = append(s.Upper, 100*r.Upper)
	}
	series := make([]RateSeries, len(order))
	for i, g := range order {
		series[i] = *by[g]
	}
	return WriteRatePlot(path, fmt.Sprintf("AI scores at or above %.3f by %s and %s", d.Threshold, d.By, d.Period), "Time ("+d.Period+")",
		"Exams at or above the threshold (%)", series, opts...)
}

// WriteSubgroupForest draws, for each strategy and subgroup, the change in
// recall rate (percentage points) from the observed double reading with
// its 95% interval: a forest plot, the line at 0 no change.
func WriteSubgroupForest(path string, sub *strategy.SubgroupReport, opts ...PlotOptions) error {
	var rows []strategy.SubgroupRow
	for _, r := range sub.Rows {
		if r.Assumption == strategy.Dismissed && !math.IsNaN(r.RecallChange) {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return fmt.Errorf("plot %s: no subgroup rows", path)
	}
	o := firstOr(PlotOptions{Title: "Change in recall rate by " + sub.By, XLabel: "Change in recall rate from double reading (percentage points)",
		Width: 6.5, Height: 1.2 + 0.35*float64(len(rows))}, opts)
	f := newFigure(o)
	p := f.p
	names := make([]string, len(rows))
	lo, hi := 0.0, 0.0
	for i, r := range rows {
		y := float64(len(rows) - 1 - i)
		names[len(rows)-1-i] = r.Group + " · " + r.Strategy
		whisker, err := plotter.NewLine(plotter.XYs{{X: 100 * r.RecallChangeLower, Y: y}, {X: 100 * r.RecallChangeUpper, Y: y}})
		if err != nil {
			return err
		}
		whisker.Color = plotutil.Color(0)
		pt, err := plotter.NewScatter(plotter.XYs{{X: 100 * r.RecallChange, Y: y}})
		if err != nil {
			return err
		}
		pt.Color, pt.Shape, pt.Radius = plotutil.Color(0), draw.BoxGlyph{}, vg.Points(3.5)
		p.Add(whisker, pt)
		f.line(plotter.XYs{{X: 100 * r.RecallChangeLower, Y: y}, {X: 100 * r.RecallChangeUpper, Y: y}})
		lo, hi = math.Min(lo, 100*r.RecallChangeLower), math.Max(hi, 100*r.RecallChangeUpper)
	}
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(len(rows)) - 0.5}})
	if err != nil {
		return err
	}
	zero.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	zero.Color = color.Gray{Y: 120}
	p.Add(zero)
	p.NominalY(names...)
	pad := 0.08 * (hi - lo)
	f.limits(lo-pad, hi+pad, -0.6, float64(len(rows))-0.4)
	return f.save(path, o)
}

// fmtP prints a p-value with two digits, "< 1e-16" below that.
func fmtP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "NA"
	case p < 1e-16:
		return "< 1e-16"
	}
	return fmt.Sprintf("%.2g", p)
}
