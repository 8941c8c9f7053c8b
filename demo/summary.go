package demo

import (
	"fmt"
	"github.com/screenlab/screenlab/export"
	"io"
	"path/filepath"
	"strings"

	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/report"
)

// WriteSummary writes the demo's headline figures as text, as screenlab
// demo prints them.
func WriteSummary(w io.Writer, res *Result) {
	o := res.Overall
	fmt.Fprintf(w, "screenlab demo: %d women, %d screening exams (seed %d)\n\n", res.Persons, res.Exams, res.Seed)
	fmt.Fprintf(w, "outcomes     %d screen-detected, %d interval, %d negative, %d unknown, %d excluded\n",
		res.Link.ScreenDetected, res.Link.Interval, res.Link.Negative, res.Link.Unknown, res.Link.Excluded)
	fmt.Fprintf(w, "recall       %.2f%% (95%% CI %.2f-%.2f)\n", 100*o.RecallRate, 100*o.RecallRateLower, 100*o.RecallRateUpper)
	fmt.Fprintf(w, "detection    %.2f per 1000 exams (%.2f-%.2f)\n", o.CDR, o.CDRLower, o.CDRUpper)
	fmt.Fprintf(w, "interval     %.2f per 1000 exams, all exams (%.2f-%.2f)\n", o.IntervalRate, o.IntervalRateLower, o.IntervalRateUpper)
	fmt.Fprintf(w, "sensitivity  %.1f%% (%.1f-%.1f)\n", 100*o.Sensitivity, 100*o.SensitivityLower, 100*o.SensitivityUpper)
	fmt.Fprintf(w, "specificity  %.2f%% (%.2f-%.2f)\n", 100*o.Specificity, 100*o.SpecificityLower, 100*o.SpecificityUpper)
	fmt.Fprintf(w, "PPV          %.1f%% (%.1f-%.1f)\n\n", 100*o.PPV, 100*o.PPVLower, 100*o.PPVUpper)
	if m := res.RiskModel; m != nil && m.CV != nil && m.Validation != nil {
		fmt.Fprintf(w, "risk model   logistic on %d exams: 5-fold CV AUC %.3f, slope %.2f\n", m.Train, m.CV.AUC, m.CV.Slope)
		fmt.Fprintf(w, "             external validation (%s): AUC %.3f (%.3f-%.3f), calibration slope %.2f, O/E %.2f\n\n",
			m.ValidatedOn, m.Validation.AUC.Estimate, m.Validation.AUC.Lower, m.Validation.AUC.Upper, m.Validation.Calibration.Slope, m.Validation.Calibration.OE)
	}
	if t := res.Triage; t != nil {
		fmt.Fprintf(w, "triage CNN   trained on %d exams' images (%d cancers) at %.0f images/s; scored %d held-out exams (%s) at %.0f images/s\n",
			t.Train.Train, t.Train.TrainPos, t.Train.ImagesPerSec, t.Scoring.Exams, t.Train.ValidatedOn, t.Scoring.ImagesPerSec)
		fmt.Fprintf(w, "             AUC screen-detected %.3f (%.3f-%.3f; %d cancers, %d negatives); interval %.3f (%.3f-%.3f; %d)\n",
			t.ScreenDetected.Estimate, t.ScreenDetected.Lower, t.ScreenDetected.Upper, t.NScreenDetected, t.NNegative,
			t.Interval.Estimate, t.Interval.Lower, t.Interval.Upper, t.NInterval)
		fmt.Fprintf(w, "             the generator's AI score on the same exams: AUC screen-detected %.3f\n", t.AIScreenDetected.Estimate)
		for _, s := range []struct {
			name string
			rep  *strategy.TriageReport
		}{{"CNN", t.StrategiesCNN}, {"AI score", t.StrategiesAI}} {
			if s.rep == nil {
				continue
			}
			for _, r := range s.rep.Strategies {
				if r.Name == "rule-out" && r.Assumption == strategy.Dismissed {
					fmt.Fprintf(w, "             rule-out of the lowest half by the %s on those exams: screen-detected %+d of %d\n", s.name, r.ScreenDetectedChange, s.rep.Strategies[0].ScreenDetected)
				}
			}
		}
		fmt.Fprintln(w)
	}
	if st := res.Strategies; st != nil {
		fmt.Fprintf(w, "reading strategies with the AI score (%d exams of %d women; differences with %d-replicate bootstrap intervals)\n", st.Exams, st.Women, st.Bootstrap)
		fmt.Fprintf(w, "  %-46s %-9s %8s %7s %9s %7s %8s\n", "strategy", "decisions", "reads", "recall", "detected", "sens.", "interval")
		for _, r := range st.Strategies {
			fmt.Fprintf(w, "  %-46s %-9s %+7.1f%% %6.2f%% %5d %+4d %6.1f%% %8d\n", r.Name, r.Assumption, 100*r.ReadsChange, 100*r.RecallRate,
				r.ScreenDetected, r.ScreenDetectedChange, 100*r.Sensitivity, r.Interval)
		}
		fmt.Fprintf(w, "  rule-out sweep (%s):", filepath.Base(filepath.Join(res.Dir, "triage_sweep.svg")))
		for i, p := range st.Sweep {
			if i%4 == 0 {
				fmt.Fprintf(w, " %.0f%% of exams → reads %+.0f%%, sens. %.1f%%;", 100*p.FractionBelow, 100*p.ReadsChange, 100*p.Sensitivity)
			}
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w)
	}
	if pr := res.Priors; pr != nil && len(pr.Rows) > 3 {
		// rows: group × lag × threshold; the first threshold of screen-detected at lag 1
		for _, r := range pr.Rows {
			if r.Group == "screen-detected" && r.Lag == 1 && r.Top == pr.Thresholds[0].Top {
				fmt.Fprintf(w, "AI priors    %.0f%% of screen-detected cancers (%d of %d) were in the AI's top %.0f%% a round earlier", 100*r.Share, r.Above, r.Exams, 100*r.Top)
			}
		}
		if rd := res.Readers; rd != nil && len(rd.Indicators) > 0 {
			out := 0
			for _, u := range rd.Indicators[0].Units {
				if u.Funnel != "within" && u.Funnel != "" {
					out++
				}
			}
			fmt.Fprintf(w, "; %d of %d readers' recall rates outside the 95%% funnel", out, len(rd.Indicators[0].Units))
		}
		fmt.Fprint(w, "\n\n")
	}
	if ind := res.Indicators; ind != nil {
		fmt.Fprintf(w, "quality indicators by %s (funnel plots in %s)\n", ind.Unit, filepath.Join(res.Dir, "funnels"))
		for _, r := range ind.Indicators {
			var out []string
			for _, u := range r.Units {
				if strings.Contains(u.Funnel, "99.8") {
					out = append(out, u.Unit+" "+u.Funnel)
				}
			}
			if len(out) == 0 {
				out = []string{"none"}
			}
			met := "met"
			if r.National.TargetMet != nil && !*r.National.TargetMet {
				met = "not met"
			}
			fmt.Fprintf(w, "  %-22s national %.2f (%.2f-%.2f), target %s %s; outside 99.8%% limits: %s\n", r.Name, r.National.Value,
				r.National.Lower, r.National.Upper, r.Target, met, strings.Join(out, ", "))
		}
		fmt.Fprintln(w)
	}
	if sv := res.Survival; sv != nil {
		fmt.Fprintf(w, "survival     %d breast cancer patients; 5-year survival by stage:", sv.Patients)
		for _, g := range sv.KM.Groups {
			for _, a := range g.At {
				if a.Time == 5 {
					fmt.Fprintf(w, " %s %.1f%%", g.Group, 100*a.Surv)
				}
			}
		}
		if sv.KM.LogRank != nil {
			fmt.Fprintf(w, " (log-rank p %s)", report.FormatP(sv.KM.LogRank.P))
		}
		fmt.Fprintln(w)
		for _, a := range sv.Net.At {
			if a.Time == 5 {
				fmt.Fprintf(w, "             net survival at 5 years (Pohar Perme) %.1f%% (%.1f-%.1f)\n", 100*a.Surv, 100*a.Lower, 100*a.Upper)
			}
		}
		if c := sv.CIF; c != nil {
			fmt.Fprintf(w, "             breast cancer within 10 years of a first screen (death competing), by density:")
			for _, cur := range c.Causes {
				for _, a := range cur.At {
					if cur.Cause == 1 && a.Time == 10 {
						fmt.Fprintf(w, " %s %.1f%%", cur.Group, 100*a.CIF)
					}
				}
			}
			if len(c.Gray) > 0 {
				fmt.Fprintf(w, " (Gray p %s)", report.FormatP(c.Gray[0].P))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
	}
	if inc := res.Incidence; inc != nil && len(inc.Rates.Rows) > 0 && len(inc.Trend.Rows) > 0 {
		first, last := inc.Rates.Rows[0], inc.Rates.Rows[len(inc.Rates.Rows)-1]
		t := inc.Trend.Rows[0]
		fmt.Fprintf(w, "incidence    women 50-69, per 100,000 (ESP 2013): %s %.0f (%.0f-%.0f), %s %.0f (%.0f-%.0f); trend %+.2f%% a year (%+.2f to %+.2f)\n",
			first.Group.Values[0], first.ASR, first.ASRLower, first.ASRUpper, last.Group.Values[0], last.ASR, last.ASRLower, last.ASRUpper, t.APC, t.APCLower, t.APCUpper)
		if inc.SIR != nil {
			fmt.Fprintf(w, "             SIR by region, women 50-69, %s:", inc.SIRPeriod)
			for _, r := range inc.SIR.Rows {
				fmt.Fprintf(w, " %s %.2f (%.2f-%.2f)", r.Group.Values[0], r.SIR.SIR, r.Lower, r.Upper)
			}
			fmt.Fprint(w, "\n\n")
		}
	}
	if d := res.Cervical; d != nil {
		m := d.Metrics.Rows[len(d.Metrics.Rows)-1].Metrics
		fmt.Fprintf(w, "cervical     %d women, %d episodes: participation %.1f%%, HPV positivity %.2f%% (%.2f-%.2f), referred %.2f%%, colposcopy attended %.1f%%, CIN2+ %.1f per 1000\n",
			d.Persons, d.Link.Episodes, 100*m.Value("participation"), 100*m.Value("hpv_positivity"), 100*m.Value("hpv_positivity_lower"), 100*m.Value("hpv_positivity_upper"),
			100*m.Value("cumulative_referral"), 100*m.Value("colposcopy_compliance"), m.Value("cin2plus_per_1000"))
	}
	if d := res.Bowel; d != nil {
		m := d.Metrics.Rows[len(d.Metrics.Rows)-1].Metrics
		fmt.Fprintf(w, "bowel        %d persons, %d episodes: participation %.1f%%, FIT positivity %.2f%% (%.2f-%.2f), colonoscopy %.1f%%, cancer in %.2f%% of colonoscopies\n\n",
			d.Persons, d.Link.Episodes, 100*m.Value("participation"), 100*m.Value("positivity"), 100*m.Value("positivity_lower"), 100*m.Value("positivity_upper"),
			100*m.Value("colonoscopy_uptake"), 100*m.Value("ppv_cancer"))
	}
	if q := res.Quality; q != nil {
		fmt.Fprintf(w, "quality      %d clinical cases; %d by treating hospital:", q.Cases, q.Year)
		for _, ind := range q.Indicators.Indicators {
			lv := map[string]int{}
			for _, u := range ind.Units {
				lv[u.Level]++
			}
			fmt.Fprintf(w, " %s high %d, moderate %d, low %d;", ind.Name, lv["high"], lv["moderate"], lv["low"])
		}
		fmt.Fprintf(w, " QLQ-C30 from %d patients against norms; EPIC-26 from %d men", q.PROM.Respondents, q.EPIC26.Respondents)
		if m := q.PROMCaseMix; m != nil {
			fmt.Fprintf(w, ", poor continence flagged at %s", strings.Join(m.Flagged, ", "))
			if len(m.Flagged) == 0 {
				fmt.Fprint(w, "no hospital")
			}
		}
		fmt.Fprint(w, "\n\n")
	}
	if m := res.Extract; m != nil {
		s := export.Summarise(m)
		fmt.Fprintf(w, "extract      %d children delivered (k = %d; %s reserved removed, %d withheld); manifest.json accounts for every row\n\n", m.Persons, m.K, s.ReservedPersons, m.WithheldPersons)
	}
	fmt.Fprintf(w, "report       %s\n\n", res.Report)
	fmt.Fprintf(w, "results in %s:\n", res.Dir)
	for _, f := range res.Files {
		fmt.Fprintf(w, "  %s\n", f)
	}
}
