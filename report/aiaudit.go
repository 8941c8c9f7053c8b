package report

import (
	"fmt"

	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
)

// AIAuditSection writes what a programme board reads before procuring an
// AI product: the AI's scores of the cancers at the exam that found them
// and one and two rounds earlier (screenlab triage priors), and each
// radiologist's recall rate against the programme's in a funnel plot
// (screenlab triage readers).
func (p *Page) AIAuditSection(pr *strategy.PriorsReport, readers *screening.IndicatorsResult) error {
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
