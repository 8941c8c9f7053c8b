package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/incidence"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/survival"
)

// The blocks of a report page, each drawn from a command's result alone
// (what its JSON holds), so that the demo's page and screenlab report's
// page from saved results are the same. A block adds tables and plots to
// the open section.

// RiskModel adds a risk model's cross-validation and external validation, the
// coefficients, the calibration plot and the decision curve.
func (page *Page) RiskModel(m *models.TrainResult) error {
	var rows [][]string
	if m.CV != nil {
		rows = append(rows, []string{fmt.Sprintf("%d-fold cross-validation", m.CV.Folds), fmt.Sprintf("%.3f", m.CV.AUC), "", fmt.Sprintf("%.2f", m.CV.Slope), "", ""})
	}
	if v := m.Validation; v != nil && v.Calibration != nil {
		c := v.Calibration
		rows = append(rows, []string{"external validation (" + m.ValidatedOn + ")", fmt.Sprintf("%.3f", v.AUC.Estimate), fmt.Sprintf("%.3f–%.3f", v.AUC.Lower, v.AUC.Upper),
			fmt.Sprintf("%.2f", c.Slope), fmt.Sprintf("%.2f (%.2f–%.2f)", c.OE, c.OELow, c.OEUpp), fmt.Sprintf("%.4f", v.Brier)})
	}
	if len(rows) > 0 {
		page.Table([]string{"", "AUC", "95% CI", "calibration slope", "observed / expected", "Brier"}, rows)
	}
	rows = nil
	for _, c := range m.Coefficients {
		rows = append(rows, []string{c.Name, fmt.Sprintf("%.4f", c.Coef), plain.Num(c.SE, 4), plain.CI(c.Ratio, c.Lower, c.Upper, 2), plain.P(c.P)})
	}
	if len(rows) > 0 {
		page.Table([]string{"term", "coefficient", "std. error", "ratio exp(coef) (95% CI)", "p"}, rows)
	}
	if v := m.Validation; v != nil && v.Calibration != nil && v.CalPlot != nil {
		if err := page.Plot("Calibration in the validation units: lowess curve, observed risk by decile of predicted risk (95% CI), and the distribution of predicted risks.", func(path string) error {
			return WriteCalibrationData(path, "Calibration, external validation", v.Calibration.Deciles, v.CalPlot)
		}); err != nil {
			return err
		}
	}
	if v := m.Validation; v != nil && len(v.DecisionCurve) > 0 {
		if err := page.Plot("Decision curve in the validation units: net benefit of acting on the model's risk against acting on everyone or no one (Vickers & Elkin 2006).", func(path string) error {
			return WriteDecisionCurve(path, "Decision curve, external validation", v.DecisionCurve)
		}); err != nil {
			return err
		}
	}
	return nil
}

// Evaluation adds discrimination and calibration of scores against outcomes
// (screenlab evaluate).
func (page *Page) Evaluation(e *evaluation.Result) error {
	rows := [][]string{{"exams", strconv.Itoa(e.N)}, {"positives", strconv.Itoa(e.Positives)}, {"missing scores", strconv.Itoa(e.MissingScores)}}
	if e.AUC != nil {
		rows = append(rows, []string{"AUC (DeLong 95% CI)", plain.CI(e.AUC.Estimate, e.AUC.Lower, e.AUC.Upper, 3)})
	}
	rows = append(rows, []string{"Brier (scaled)", fmt.Sprintf("%.4f (%.3f)", e.Brier, e.ScaledBrier)}, []string{"average precision", fmt.Sprintf("%.3f", e.AvgPrecision)})
	if c := e.Calibration; c != nil {
		rows = append(rows, []string{"calibration slope, in the large", fmt.Sprintf("%.2f, %.2f", c.Slope, c.CITL)},
			[]string{"observed / expected", plain.CI(c.OE, c.OELow, c.OEUpp, 2)}, []string{"ICI, E90", fmt.Sprintf("%.4f, %.4f", c.ICI, c.E90)})
	}
	page.Table([]string{"", "value"}, rows)
	if e.Calibration != nil && e.CalPlot != nil {
		if err := page.Plot("Calibration: lowess curve, observed risk by decile (95% CI), distribution of predicted risks.", func(path string) error {
			return WriteCalibrationData(path, "Calibration", e.Calibration.Deciles, e.CalPlot)
		}); err != nil {
			return err
		}
	}
	if len(e.DecisionCurve) > 0 {
		if err := page.Plot("Decision curve (Vickers & Elkin 2006).", func(path string) error {
			return WriteDecisionCurve(path, "Decision curve", e.DecisionCurve)
		}); err != nil {
			return err
		}
	}
	return nil
}

// timePoint is a curve's estimate with its interval at a requested time.
type timePoint struct{ time, est, lower, upper float64 }

// timeTable lists the distinct times of the curves' points, increasing,
// and each curve's cells at them ("" where a curve has no point).
func timeTable(curves [][]timePoint) ([]float64, [][]string) {
	var times []float64
	seen := map[float64]bool{}
	for _, c := range curves {
		for _, p := range c {
			if !seen[p.time] {
				seen[p.time] = true
				times = append(times, p.time)
			}
		}
	}
	sort.Float64s(times)
	cells := make([][]string, len(curves))
	for i, c := range curves {
		for _, t := range times {
			cell := ""
			for _, p := range c {
				if p.time == t {
					cell = plain.Pct(p.est, p.lower, p.upper)
				}
			}
			cells[i] = append(cells[i], cell)
		}
	}
	return times, cells
}

// KaplanMeier adds survival at the requested times per group with the median, and
// the Kaplan–Meier plot with the numbers at risk.
func (page *Page) KaplanMeier(km *survival.KMByGroup, groupLabel string) error {
	var curves [][]timePoint
	for _, g := range km.Groups {
		var pts []timePoint
		for _, a := range g.At {
			pts = append(pts, timePoint{a.Time, a.Surv, a.Lower, a.Upper})
		}
		curves = append(curves, pts)
	}
	times, cells := timeTable(curves)
	header := []string{groupLabel, "patients", "deaths", "median (95% CI)"}
	for _, t := range times {
		header = append(header, "S("+strconv.FormatFloat(t, 'g', -1, 64)+")")
	}
	var rows [][]string
	for i, g := range km.Groups {
		row := []string{g.Group, strconv.Itoa(g.N), plain.Num(g.Events, 0), plain.CI(g.Median, g.MedianLower, g.MedianUpper, 2)}
		if math.IsNaN(g.Median) {
			row[3] = "not reached"
		}
		rows = append(rows, append(row, cells[i]...))
	}
	page.Table(header, rows)
	caption := fmt.Sprintf("Kaplan–Meier survival by %s with %.0f%% confidence bands (%s) and the numbers at risk.", groupLabel, 100*km.Level, km.ConfType)
	if lr := km.LogRank; lr != nil {
		caption += fmt.Sprintf(" Log-rank χ² %.1f on %d df, p %s.", lr.Chisq, lr.DF, FormatP(lr.P))
	}
	return page.Plot(caption, func(path string) error { return WriteKMPlot(path, km) })
}

// Cox adds hazard ratios with intervals, concordance and the tests.
func (page *Page) Cox(cox *survival.CoxResult) {
	var rows [][]string
	for _, c := range cox.Coefficients {
		rows = append(rows, []string{c.Name, fmt.Sprintf("%.2f", c.HR), fmt.Sprintf("%.2f–%.2f", c.HRLower, c.HRUpper), FormatP(c.P)})
	}
	page.Table([]string{fmt.Sprintf("Cox model (%s ties; %d patients, %.0f events)", cox.Ties, cox.N, cox.Events), "hazard ratio", "95% CI", "p"}, rows)
	page.Paragraph(fmt.Sprintf("Concordance %.3f; likelihood-ratio test χ² %.1f on %d df, p %s.", cox.Concordance, cox.LR.Chisq, cox.LR.DF, FormatP(cox.LR.P)))
}

// NetSurvival adds net survival at the requested times.
func (page *Page) NetSurvival(net *survival.NetSurvival) {
	var rows [][]string
	for _, a := range net.At {
		rows = append(rows, []string{strconv.FormatFloat(a.Time, 'g', -1, 64), plain.Pct(a.Surv, a.Lower, a.Upper)})
	}
	page.Table([]string{fmt.Sprintf("net survival (%s; %d patients, %d deaths): time", net.Method, net.N, net.Events), "estimate (95% CI)"}, rows)
}

// CumulativeIncidence adds cumulative incidence per cause and group at the requested
// times, Gray's tests, and the plot of each cause named in plotCauses.
func (page *Page) CumulativeIncidence(cif *survival.CIFByGroup, causeName func(int) string, groupLabel string, plotCauses []int) error {
	var curves [][]timePoint
	for _, c := range cif.Causes {
		var pts []timePoint
		for _, a := range c.At {
			pts = append(pts, timePoint{a.Time, a.CIF, a.Lower, a.Upper})
		}
		curves = append(curves, pts)
	}
	times, cells := timeTable(curves)
	header := []string{"cause", groupLabel, "n"}
	for _, t := range times {
		header = append(header, "F("+strconv.FormatFloat(t, 'g', -1, 64)+")")
	}
	var rows [][]string
	for i, c := range cif.Causes {
		rows = append(rows, append([]string{causeName(c.Cause), c.Group, strconv.Itoa(c.N)}, cells[i]...))
	}
	page.Table(header, rows)
	gray := ""
	for _, g := range cif.Gray {
		gray += fmt.Sprintf(" Gray's test for %s: χ² %.1f on %d df, p %s.", causeName(g.Cause), g.Stat, g.DF, FormatP(g.P))
	}
	for _, cause := range plotCauses {
		var curves []StepCurve
		for i := range cif.Causes {
			if c := &cif.Causes[i]; c.Cause == cause {
				curves = append(curves, CIFCurve(c.Group, c))
			}
		}
		if len(curves) == 0 {
			continue
		}
		title := "Cumulative incidence of " + causeName(cause)
		if err := page.Plot(fmt.Sprintf("Cumulative incidence of %s by %s (Aalen–Johansen, %.0f%% log(−log) bands) with the numbers still followed.%s", causeName(cause), groupLabel, 100*cif.Level, gray), func(path string) error {
			return WriteStepPlot(path, curves, StepPlotOptions{Title: title, XLabel: "Years", YLabel: "Cumulative incidence", FitY: true})
		}); err != nil {
			return err
		}
		gray = ""
	}
	return nil
}

// Rates adds rates per group with the plot of the standardised rate over
// the first grouping column when it is numeric (calendar year), one line
// per value of the second.
func (page *Page) Rates(r *incidence.RateTable) error {
	if len(r.Rows) == 0 {
		return nil
	}
	names := r.Rows[0].Group.Names
	header := append(append([]string(nil), names...), "cases", "person-years", fmt.Sprintf("crude per %g", r.Per), fmt.Sprintf("age-standardised (%s, %.0f%% CI)", r.Standard, 100*r.Level))
	var rows [][]string
	for _, row := range r.Rows {
		c := cells{len(row.Suppressed) > 0}
		cells := append(append([]string(nil), row.Group.Values...), c.Num(row.Cases, 0), c.Num(row.PersonYears, 0), c.Num(row.Crude, 1), c.CI(row.ASR, row.ASRLower, row.ASRUpper, 1))
		rows = append(rows, cells)
	}
	page.Table(header, rows)
	if len(names) == 0 || len(names) > 2 {
		return nil
	}
	var series []RateSeries
	index := map[string]int{}
	for _, row := range r.Rows {
		x, err := strconv.ParseFloat(row.Group.Values[0], 64)
		if err != nil {
			return nil // not a numeric axis: the table only
		}
		name := "all"
		if len(names) == 2 {
			name = row.Group.Values[1]
		}
		k, ok := index[name]
		if !ok {
			k = len(series)
			index[name] = k
			series = append(series, RateSeries{Name: name})
		}
		s := &series[k]
		s.X, s.Y = append(s.X, x), append(s.Y, row.ASR)
		s.Lower, s.Upper = append(s.Lower, row.ASRLower), append(s.Upper, row.ASRUpper)
	}
	label := fmt.Sprintf("Age-standardised rate per %g", r.Per)
	return page.Plot(fmt.Sprintf("Age-standardised rates by %s with %.0f%% confidence bands (%s).", names[0], 100*r.Level, r.Standard), func(path string) error {
		return WriteRatePlot(path, "Incidence by "+names[0], names[0], label, series)
	})
}

// Trend adds annual percent change per group.
func (page *Page) Trend(t *incidence.TrendTable) {
	if len(t.Rows) == 0 {
		return
	}
	names := t.Rows[0].Group.Names
	header := append(append([]string(nil), names...), fmt.Sprintf("annual percent change (%.0f%% CI)", 100*t.Level), "p")
	var rows [][]string
	for _, r := range t.Rows {
		rows = append(rows, append(append([]string(nil), r.Group.Values...), plain.CI(r.APC, r.APCLower, r.APCUpper, 2), FormatP(r.P)))
	}
	page.Table(header, rows)
}

// SIR adds observed, expected and the SIR per group.
func (page *Page) SIR(s *incidence.SIRTable) {
	if len(s.Rows) == 0 {
		return
	}
	names := s.Rows[0].Group.Names
	header := append(append([]string(nil), names...), "observed", "expected", fmt.Sprintf("SIR (%.0f%% CI)", 100*s.Level), "p")
	var rows [][]string
	for _, r := range s.Rows {
		c := cells{len(r.Suppressed) > 0}
		rows = append(rows, append(append([]string(nil), r.Group.Values...), c.Num(r.Observed, 0), c.Num(r.Expected, 1), c.CI(r.SIR.SIR, r.Lower, r.Upper, 2), c.P(r.P)))
	}
	page.Table(header, rows)
}

// CauseNamer names causes from a list (cause 1 is names[0]), else "cause k".
func CauseNamer(names ...string) func(int) string {
	return func(c int) string {
		if c >= 1 && c <= len(names) {
			return names[c-1]
		}
		return "cause " + strconv.Itoa(c)
	}
}
