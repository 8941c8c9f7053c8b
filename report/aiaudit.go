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
