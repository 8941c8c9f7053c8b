package report

import (
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
)

// Report sections built from the results of screenlab's commands (their
// JSON documents decode into these types), so a page can be made from the
// library, from the demo, or from saved results.

// pct shows a proportion as a percentage with two decimals.
func (c cells) pct(x float64) string {
	if math.IsNaN(x) {
		return c.missing()
	}
	return strconv.FormatFloat(100*x, 'f', 2, 64) + "%"
}

// ScreeningSection tabulates screening indicators with their intervals.
func (p *Page) ScreeningSection(rows []screening.ScreeningRow) {
	p.Section("Screening indicators", "European guidelines definitions; 95% Wilson intervals. Sensitivity = screen-detected / (screen-detected + interval); detection and interval cancer rates per 1000 exams, all exams (those whose follow-up is not yet complete too; the quality indicator interval_cancer_rate below counts only exams with complete follow-up).")
	var out [][]string
	for _, r := range rows {
		name := "all"
		if len(r.Group.Values) > 0 {
			name = r.Group.Values[0]
		}
		f := func(field string) cells { return cells{r.IsSuppressed(field)} }
		interval := func(field string, est, lo, hi float64, show func(cells, float64) string) string {
			c := f(field)
			if math.IsNaN(est) {
				return c.missing()
			}
			return fmt.Sprintf("%s (%s–%s)", show(c, est), show(c, lo), show(c, hi))
		}
		pct := func(c cells, x float64) string { return c.pct(x) }
		per1000 := func(c cells, x float64) string { return c.Num(x, 2) }
		out = append(out, []string{name, f("exams").Num(r.Exams, 0), interval("recall_rate", r.RecallRate, r.RecallRateLower, r.RecallRateUpper, pct),
			interval("cdr", r.CDR, r.CDRLower, r.CDRUpper, per1000),
			interval("interval_rate", r.IntervalRate, r.IntervalRateLower, r.IntervalRateUpper, per1000),
			interval("sensitivity", r.Sensitivity, r.SensitivityLower, r.SensitivityUpper, pct),
			interval("ppv", r.PPV, r.PPVLower, r.PPVUpper, pct)})
	}
	p.Table([]string{"unit", "exams", "recall rate", "detection /1000 exams", "interval /1000 exams", "sensitivity", "PPV"}, out)
	p.EndSection()
}

// TriageSection tabulates reading strategies and draws the threshold
// sweep, when the report has one.
func (p *Page) TriageSection(rep *strategy.TriageReport) error {
	p.Section("AI-assisted reading strategies",
		fmt.Sprintf("%d exams of %d women replayed under each strategy with the score %s. %s Intervals: %d bootstrap replicates resampling women; p: exact McNemar on paired detections. Left out: %d without outcome, %d without a score, %d with inconsistent reading records.",
			rep.Exams, rep.Women, rep.Score, rep.AssumptionNote, rep.Bootstrap, rep.Excluded.NoOutcome, rep.Excluded.MissingScore, rep.Excluded.InconsistentRdr))
	p.TriageTable(rep)
	if len(rep.Strategies) > 1 {
		if err := p.Plot("Change in sensitivity from double reading for each strategy, with its bootstrap interval, and the change in human reads.", func(path string) error {
			return WriteStrategyComparison(path, "Reading strategies with "+rep.Score, []StrategySeries{{Name: rep.Score, Rows: rep.Strategies}})
		}); err != nil {
			return err
		}
	}
	if len(rep.Sweep) > 0 && len(rep.Strategies) > 0 {
		b := rep.Strategies[0]
		if err := p.Plot("Threshold sweep of "+rep.SweepStrategy+": workload against sensitivity and recall rate; dotted lines are the observed double reading.", func(path string) error {
			return WriteTriageSweep(path, "Reading strategy "+rep.SweepStrategy+": workload against detection", rep.Sweep, b.Sensitivity, b.RecallRate)
		}); err != nil {
			return err
		}
	}
	p.EndSection()
	return nil
}

// TriageTable tabulates the strategies of a simulation: decisions, reads,
// recall, detection and the paired comparisons with the observed reading.
func (p *Page) TriageTable(rep *strategy.TriageReport) {
	var rows [][]string
	for _, r := range rep.Strategies {
		ci := ""
		if r.CI != nil {
			ci = fmt.Sprintf("%+.1f to %+.1f", 100*r.CI.SensitivityDiff[0], 100*r.CI.SensitivityDiff[1])
		}
		rows = append(rows, []string{r.Name, r.Assumption, fmt.Sprintf("%+.1f%%", 100*r.ReadsChange), strconv.Itoa(r.Consensus), plain.pct(r.RecallRate),
			strconv.Itoa(r.ScreenDetected), fmt.Sprintf("%+d", r.ScreenDetectedChange), strconv.Itoa(r.Interval), plain.pct(r.Sensitivity), ci,
			strconv.FormatFloat(r.DetectionMcNemarP, 'g', 3, 64), strconv.Itoa(r.PotentiallyDetect)})
	}
	p.Table([]string{"strategy", "decisions", "reads", "consensus", "recall rate", "detected", "change", "interval", "sensitivity", "sensitivity change (CI, points)", "p", "interval cancers AI flagged"}, rows)
}

// IndicatorsSection tabulates quality indicators per unit and draws their
// funnel plots.
func (p *Page) IndicatorsSection(unit string, inds []*screening.IndicatorResult) error {
	return p.IndicatorsSectionTitled("Quality indicators by "+unit, unit, inds)
}

// IndicatorsSectionTitled is IndicatorsSection under another title.
func (p *Page) IndicatorsSectionTitled(title, unit string, inds []*screening.IndicatorResult) error {
	note := "Wilson 95% intervals; funnel limits are exact binomial 95% and 99.8% limits around the national value (Spiegelhalter 2005)"
	if len(inds) > 0 && inds[0].Overdispersion != nil {
		note = "Wilson 95% intervals; funnel limits are the 95% and 99.8% limits around the national value widened for overdispersion (additive random effects, Spiegelhalter 2005)"
	}
	p.Section(title, note+". Suppressed cells hide small counts.")
	for _, ind := range inds {
		var rows [][]string
		for _, r := range append(append([]screening.IndicatorRow(nil), ind.Units...), ind.National) {
			met := ""
			if r.TargetMet != nil {
				met = map[bool]string{true: "met", false: "not met"}[*r.TargetMet]
				if *r.Confidently {
					met += " (with confidence)"
				}
			}
			c := cells{len(r.Suppressed) > 0}
			row := []string{r.Unit, c.Num(r.Numerator, 0), c.Num(r.Denominator, 0), c.CI(r.Value, r.Lower, r.Upper, 2), met, r.Funnel}
			if ind.HasLevels() {
				row = append(row, levelMark[r.Level]+r.Level)
			}
			rows = append(rows, row)
		}
		p.body.WriteString("<h3>" + htmlEscape(ind.Name) + "</h3>\n")
		if ind.Description != "" {
			note := ind.Description
			if ind.Target != "" {
				note += " Target " + ind.Target + "."
			}
			if ind.HasLevels() {
				op := map[string]string{"higher": "≥", "lower": "≤"}[ind.Direction]
				note += fmt.Sprintf(" Levels: high %s%g, moderate %s%g", op, *ind.High, op, *ind.Moderate)
				if ind.Source != "" {
					note += " (" + ind.Source + ")"
				}
				note += "."
			}
			p.body.WriteString("<p class=\"note\">" + htmlEscape(note) + "</p>\n")
		}
		header := []string{unit, "numerator", "denominator", fmt.Sprintf("value (per %g)", ind.Per), "target", "funnel"}
		if ind.HasLevels() {
			header = append(header, "level")
		}
		p.Table(header, rows)
		if err := p.Plot("Funnel plot of "+ind.Name+".", func(path string) error { return WriteFunnelPlot(path, ind) }); err != nil {
			return err
		}
	}
	p.EndSection()
	return nil
}

// levelMark names an achievement level's colour as the national results
// sites show it (green high, yellow moderate, red low), in words: a glyph
// would need a font the reader may not have.
var levelMark = map[string]string{"high": "green: ", "moderate": "yellow: ", "low": "red: "}

// Paragraph adds a paragraph of text.
func (p *Page) Paragraph(text string) {
	p.body.WriteString("<p>" + htmlEscape(text) + "</p>\n")
}

func htmlEscape(s string) string { return html.EscapeString(s) }

// WriteFunnelPlots draws one funnel plot per indicator into dir
// (funnel_NAME.svg, or .png or .pdf by format) and returns their paths.
// opts' title, when set, comes before each indicator's name.
func WriteFunnelPlots(dir string, res *screening.IndicatorsResult, format string, opts ...PlotOptions) ([]string, error) {
	if format == "" {
		format = "svg"
	}
	if format != "svg" && format != "png" && format != "pdf" {
		return nil, fmt.Errorf("funnel plots: format %q: want svg, png or pdf", format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []string
	for _, r := range res.Indicators {
		p := filepath.Join(dir, "funnel_"+r.Name+"."+format)
		o := firstOr(PlotOptions{}, opts)
		if o.Title != "" {
			o.Title += ": " + r.Name
		}
		if err := WriteFunnelPlot(p, r, o); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
