package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/screenlab/screenlab/report"
)

// fingerprint is the SHA-256 of files, in order.
func fingerprint(paths ...string) (string, error) {
	h := sha256.New()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeDemoReport writes DIR/report.html: a summary, then a section per
// analysis with its tables and plots, method notes with references, the
// data fingerprint and the version.
func writeDemoReport(res *DemoResult, seed uint64, print string) (string, error) {
	o := res.Overall
	page := &report.Page{Title: "screenlab demo: a synthetic screening registry",
		Subtitle: fmt.Sprintf("%d women, %d screening exams, seed %d; registry fingerprint SHA-256 %s", res.Persons, res.Exams, seed, print),
		Version:  Version()}
	page.Section("Summary", "")
	page.Paragraph(fmt.Sprintf("Of %d screening exams, %.2f%% were recalled; %d cancers were screen-detected (%.2f per 1000) and %d arose in the interval (%.2f per 1000): programme sensitivity %.1f%% (95%% CI %.1f–%.1f).",
		int(o.Exams), 100*o.RecallRate, int(o.ScreenDetected), o.CDR, int(o.Interval), o.IntervalRate, 100*o.Sensitivity, 100*o.SensitivityLower, 100*o.SensitivityUpper))
	if m := res.RiskModel; m != nil && m.Validation != nil {
		page.Paragraph(fmt.Sprintf("A logistic risk model validated on other screening units ranks women with AUC %.3f (%.3f–%.3f) and is well calibrated (slope %.2f, O/E %.2f).",
			m.Validation.AUC.Estimate, m.Validation.AUC.Lower, m.Validation.AUC.Upper, m.Validation.Calibration.Slope, m.Validation.Calibration.OE))
	}
	if t := res.Triage; t != nil {
		page.Paragraph(fmt.Sprintf("The triage CNN, trained on the mammograms of five units, separates screen-detected cancers from negative exams in the other three with AUC %.3f (%.3f–%.3f); interval cancers, faint at the screen, only with AUC %.3f.",
			t.ScreenDetected.Estimate, t.ScreenDetected.Lower, t.ScreenDetected.Upper, t.Interval.Estimate))
	}
	if st := res.Strategies; st != nil {
		for _, r := range st.Strategies {
			if r.Name == "rule-out" {
				page.Paragraph(fmt.Sprintf("Ruling out the lowest half of AI scores would change human reads by %+.0f%% and screen-detected cancers by %+d of %d (sensitivity %.1f%% against %.1f%%).",
					100*r.ReadsChange, r.ScreenDetectedChange, st.Strategies[0].ScreenDetected, 100*r.Sensitivity, 100*st.Strategies[0].Sensitivity))
			}
		}
	}
	page.EndSection()
	page.ScreeningSection(res.ScreeningUnit)
	if m := res.RiskModel; m != nil && m.CV != nil && m.Validation != nil {
		page.Section("Risk model", "Logistic regression with a restricted cubic spline of age (4 knots); trained on SU01–SU05, validated on "+m.ValidatedOn+".")
		page.Table([]string{"", "AUC", "95% CI", "calibration slope", "O/E"}, [][]string{
			{"5-fold cross-validation", fmt.Sprintf("%.3f", m.CV.AUC), "", fmt.Sprintf("%.2f", m.CV.Slope), ""},
			{"external validation", fmt.Sprintf("%.3f", m.Validation.AUC.Estimate), fmt.Sprintf("%.3f–%.3f", m.Validation.AUC.Lower, m.Validation.AUC.Upper),
				fmt.Sprintf("%.2f", m.Validation.Calibration.Slope), fmt.Sprintf("%.2f", m.Validation.Calibration.OE)}})
		page.EndSection()
	}
	if t := res.Triage; t != nil {
		page.Section("Triage CNN", fmt.Sprintf("Trained on %d exams' images (%d cancers) with early stopping on a fifth of the women; %d held-out exams scored with screenlab score (%d errors).",
			t.Train.Train, t.Train.TrainPos, t.Scoring.Exams, t.Scoring.Errors))
		page.Table([]string{"held-out comparison", "n", "AUC", "95% CI"}, [][]string{
			{"screen-detected vs negative (CNN)", fmt.Sprintf("%d + %d", t.NScreenDetected, t.NNegative), fmt.Sprintf("%.3f", t.ScreenDetected.Estimate), fmt.Sprintf("%.3f–%.3f", t.ScreenDetected.Lower, t.ScreenDetected.Upper)},
			{"interval vs negative (CNN)", fmt.Sprintf("%d + %d", t.NInterval, t.NNegative), fmt.Sprintf("%.3f", t.Interval.Estimate), fmt.Sprintf("%.3f–%.3f", t.Interval.Lower, t.Interval.Upper)},
			{"screen-detected vs negative (AI score)", fmt.Sprintf("%d + %d", t.NScreenDetected, t.NNegative), fmt.Sprintf("%.3f", t.AIScreenDetected.Estimate), fmt.Sprintf("%.3f–%.3f", t.AIScreenDetected.Lower, t.AIScreenDetected.Upper)}})
		if err := page.SVG(t.ROCPlot, "ROC curves on the held-out units."); err != nil {
			return "", err
		}
		page.EndSection()
	}
	if sv := res.Survival; sv != nil {
		if err := survivalSection(page, sv); err != nil {
			return "", err
		}
	}
	if inc := res.Incidence; inc != nil {
		incidenceSection(page, inc)
	}
	if st := res.Strategies; st != nil {
		if err := page.TriageSection(st, filepath.Join(res.Dir, "triage_sweep.svg")); err != nil {
			return "", err
		}
	}
	if ind := res.Indicators; ind != nil {
		if err := page.IndicatorsSection(ind.Unit, ind.Indicators, ind.Plots); err != nil {
			return "", err
		}
	}
	page.Section("Methods and references", "")
	for _, m := range []string{
		"Outcomes: screen-detected within 6 months of a recall, interval within 24 months and before the next screen (European guidelines for quality assurance in breast cancer screening and diagnosis, 4th ed., 2006).",
		"Proportions: Wilson score intervals. AUC: DeLong, DeLong & Clarke-Pearson (1988). Calibration: logistic recalibration (Cox 1958), lowess calibration curves (Austin & Steyerberg 2014).",
		"Triage CNN: three 3×3 convolution blocks per view, global max pooling, log-sum-exp over the four views (multiple-instance learning); Adam (Kingma & Ba 2015); Glorot initialisation (Glorot & Bengio 2010).",
		"Reading strategies: replay of observed double reading with consensus (cf. Larsen et al. 2022, Dembrower et al. 2020); decisions never made are bounded (dismissed / recalled); exact McNemar tests; bootstrap resampling women.",
		"Funnel plots: exact binomial limits with interpolation (Spiegelhalter 2005).",
		"Incidence: direct standardisation to the European standard population 2013 with Fay & Feuer (1997) gamma intervals; trends by Poisson regression of counts on calendar year with age-group terms and log person-years offset (annual percent change).",
		"Survival: Kaplan–Meier with Greenwood variances, log-rank test; Cox proportional hazards with Efron ties (as R's survival); net survival by Pohar Perme, Stare & Estève (2012) against the population life table.",
	} {
		page.Paragraph(m)
	}
	page.EndSection()
	path := filepath.Join(res.Dir, "report.html")
	return path, page.Write(path)
}

// survivalSection shows Kaplan–Meier by stage (table and plot with numbers
// at risk), the Cox model and net survival.
func survivalSection(page *report.Page, sv *DemoSurvival) error {
	note := fmt.Sprintf("%d women with a first invasive breast cancer of known stage, followed from diagnosis to death, emigration or the end of data.", sv.Patients)
	if lr := sv.KM.LogRank; lr != nil {
		note += fmt.Sprintf(" Log-rank test across stages: χ² %.1f on %d df, p %s.", lr.Chisq, lr.DF, pText(lr.P))
	}
	page.Section("Survival after breast cancer", note)
	var rows [][]string
	for _, g := range sv.KM.Groups {
		row := []string{g.Group, strconv.Itoa(int(g.N)), strconv.Itoa(int(g.Events))}
		for _, t := range []float64{1, 5, 10} {
			cell := ""
			for _, a := range g.At {
				if a.Time == t {
					cell = fmt.Sprintf("%.1f%% (%.1f–%.1f)", 100*a.Surv, 100*a.Lower, 100*a.Upper)
				}
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	page.Table([]string{"stage", "patients", "deaths", "1 year", "5 years", "10 years"}, rows)
	if err := page.SVG(sv.Plot, "Kaplan–Meier survival by stage with the numbers at risk (log-log intervals in the table)."); err != nil {
		return err
	}
	rows = nil
	for _, c := range sv.Cox.Coefficients {
		rows = append(rows, []string{c.Name, fmt.Sprintf("%.2f", c.HR), fmt.Sprintf("%.2f–%.2f", c.HRLower, c.HRUpper), pText(c.P)})
	}
	page.Table([]string{"Cox model (Efron)", "hazard ratio", "95% CI", "p"}, rows)
	rows = nil
	for _, a := range sv.Net.At {
		rows = append(rows, []string{fmt.Sprintf("%g years", a.Time), fmt.Sprintf("%.1f%%", 100*a.Surv), fmt.Sprintf("%.1f–%.1f", 100*a.Lower, 100*a.Upper)})
	}
	page.Table([]string{"net survival (Pohar Perme 2012)", "estimate", "95% CI"}, rows)
	page.EndSection()
	return nil
}

// incidenceSection tabulates standardised rates by year and the trend.
func incidenceSection(page *report.Page, inc *DemoIncidence) {
	note := "Invasive breast cancers (C50) among women aged 50–69 per 100,000 person-years, directly standardised to the European standard population 2013 (Fay & Feuer 1997 intervals)."
	for _, t := range inc.Trend.Rows {
		note += fmt.Sprintf(" Trend over all ages (Poisson regression with age-group terms): %+.2f%% a year (%+.2f to %+.2f), p %s.", t.APC, t.APCLower, t.APCUpper, pText(t.P))
	}
	page.Section("Incidence", note)
	var rows [][]string
	for _, r := range inc.Rates.Rows {
		rows = append(rows, []string{r.Group.values[0], fmt.Sprintf("%.0f", r.Cases), fmt.Sprintf("%.0f", r.PersonYears),
			fmt.Sprintf("%.1f", r.Crude), fmt.Sprintf("%.1f (%.1f–%.1f)", r.ASR, r.ASRLower, r.ASRUpper)})
	}
	page.Table([]string{"year", "cases", "person-years", "crude", "age-standardised (95% CI)"}, rows)
	page.EndSection()
}
