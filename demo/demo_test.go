package demo

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/internal/browser"
	"github.com/screenlab/screenlab/internal/buildinfo"
	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/survival"
)

// The demo runs once (100,000 women, about 3 minutes on 2 cores); each
// test checks one section of its result. Ranges are the figures the
// synthetic registry is built to show, wide enough for another seed, and
// where chance would be a failure they exclude it (an AUC whose interval
// lies above 0.5, a p-value far below 0.05).
var (
	once    sync.Once
	shared  *Result
	runErr  error
	workDir string
)

func result(t *testing.T) *Result {
	t.Helper()
	if testing.Short() {
		t.Skip("the demo generates 100,000 women")
	}
	once.Do(func() {
		workDir, runErr = os.MkdirTemp("", "screenlab-demo-test-")
		if runErr == nil {
			shared, runErr = Run(Config{Dir: workDir, Persons: 100000, Seed: 1})
		}
	})
	if runErr != nil {
		t.Fatal(runErr)
	}
	return shared
}

func TestMain(m *testing.M) {
	code := m.Run()
	if workDir != "" {
		os.RemoveAll(workDir)
	}
	os.Exit(code)
}

type check struct {
	name     string
	got      float64
	min, max float64
}

func within(t *testing.T, checks []check) {
	t.Helper()
	for _, c := range checks {
		if !(c.got >= c.min && c.got <= c.max) {
			t.Errorf("%s = %.4f, want in [%g, %g]", c.name, c.got, c.min, c.max)
		}
	}
}

func TestDemoScreening(t *testing.T) {
	o := result(t).Overall
	within(t, []check{
		{"recall rate", o.RecallRate, 0.025, 0.04},
		{"detection per 1000", o.CDR, 5, 7},
		{"interval per 1000", o.IntervalRate, 1.2, 2.2},
		{"sensitivity", o.Sensitivity, 0.70, 0.85},
		{"sensitivity lower limit", o.SensitivityLower, 0.65, o.Sensitivity},
	})
}

func TestDemoRiskModel(t *testing.T) {
	m := result(t).RiskModel
	within(t, []check{
		{"CV AUC", m.CV.AUC, 0.55, 0.70},
		{"CV calibration slope", m.CV.Slope, 0.7, 1.3},
		{"external AUC", m.Validation.AUC.Estimate, 0.55, 0.70},
		{"external AUC lower limit (better than chance)", m.Validation.AUC.Lower, 0.5, 0.70},
		{"external calibration slope", m.Validation.Calibration.Slope, 0.6, 1.4},
	})
}

func TestDemoTriageCNN(t *testing.T) {
	tr := result(t).Triage
	within(t, []check{
		{"AUC, screen-detected", tr.ScreenDetected.Estimate, 0.85, 1},
		{"AUC lower limit, screen-detected", tr.ScreenDetected.Lower, 0.8, 1},
		{"AUC, interval (faint at the screen)", tr.Interval.Estimate, 0.45, 0.80},
		{"held-out screen-detected cancers", float64(tr.NScreenDetected), 300, 1000},
	})
	if tr.Scoring.Errors != 0 || tr.Scoring.Scored != tr.Scoring.Exams {
		t.Errorf("scoring: %+v", tr.Scoring)
	}
	if tr.StrategiesCNN == nil || tr.StrategiesAI == nil || tr.StrategiesCNN.Exams != tr.StrategiesAI.Exams ||
		tr.StrategiesCNN.Exams != tr.NScreenDetected+tr.NInterval+tr.NNegative || tr.StrategiesCNN.Score != "exam_score" {
		t.Errorf("strategies with the CNN's score: %+v / %+v", tr.StrategiesCNN, tr.StrategiesAI)
	}
}

// Ruling out the lowest half of AI scores halves the reads and loses few
// screen-detected cancers; the bootstrap interval holds the estimate.
func TestDemoStrategies(t *testing.T) {
	st := result(t).Strategies
	var ruleOut *strategy.TriageRow
	for i, r := range st.Strategies {
		if r.Name == "rule-out" && r.Assumption == strategy.Dismissed {
			ruleOut = &st.Strategies[i]
		}
	}
	if ruleOut == nil {
		t.Fatal("no rule-out row")
	}
	base := st.Strategies[0]
	lost := -float64(ruleOut.ScreenDetectedChange) / float64(base.ScreenDetected)
	within(t, []check{{"rule-out reads change", ruleOut.ReadsChange, -0.52, -0.48}, {"rule-out share of detections lost", lost, 1e-9, 0.08}})
	if d := ruleOut.Sensitivity - base.Sensitivity; ruleOut.CI == nil || ruleOut.CI.SensitivityDiff[0] > d || ruleOut.CI.SensitivityDiff[1] < d {
		t.Errorf("rule-out sensitivity change %+.4f outside its interval %+v", d, ruleOut.CI)
	}
	if len(st.Sweep) != 21 {
		t.Errorf("sweep of %d points, want 21", len(st.Sweep))
	}
}

func TestDemoSurvival(t *testing.T) {
	sv := result(t).Survival
	if len(sv.KM.Groups) != 4 || sv.Patients < 1000 {
		t.Fatalf("survival: %d stages, %d patients", len(sv.KM.Groups), sv.Patients)
	}
	at5 := func(g survival.KMGroup) float64 {
		for _, a := range g.At {
			if a.Time == 5 {
				return a.Surv
			}
		}
		return math.NaN()
	}
	var hrIV, hrIVLower float64 = math.NaN(), math.NaN()
	for _, c := range sv.Cox.Coefficients {
		if c.Name == "stageIV" {
			hrIV, hrIVLower = c.HR, c.HRLower
		}
	}
	net5 := math.NaN()
	for _, a := range sv.Net.At {
		if a.Time == 5 {
			net5 = a.Surv
		}
	}
	within(t, []check{
		{"5-year survival, stage I", at5(sv.KM.Groups[0]), 0.8, 1},
		{"5-year survival, stage IV", at5(sv.KM.Groups[3]), 0, 0.4},
		{"log-rank p", sv.KM.LogRank.P, 0, 1e-6},
		{"HR stage IV", hrIV, 3, 100},
		{"HR stage IV lower limit", hrIVLower, 1, hrIV},
		{"net survival at 5 years", net5, 0.7, 0.95},
	})
	// Breast cancer after a first screen rises with density.
	if sv.CIF == nil || len(sv.CIF.Causes) != 8 || len(sv.CIF.Gray) != 2 {
		t.Fatalf("cumulative incidence by density: %+v", sv.CIF)
	}
	f10 := func(c survival.CIFCurve) float64 {
		for _, a := range c.At {
			if a.Time == 10 {
				return a.CIF
			}
		}
		return math.NaN()
	}
	a, d := f10(sv.CIF.Causes[0]), f10(sv.CIF.Causes[3])
	within(t, []check{{"10-year incidence, density d / density a", d / a, 1.5, 10}, {"Gray p", sv.CIF.Gray[0].P, 0, 1e-6}})
}

func TestDemoIncidence(t *testing.T) {
	inc := result(t).Incidence
	if len(inc.Rates.Rows) < 30 || len(inc.Trend.Rows) != 1 || inc.SIR == nil || len(inc.SIR.Rows) < 3 {
		t.Fatalf("incidence: %d years, %d trends, SIR %+v", len(inc.Rates.Rows), len(inc.Trend.Rows), inc.SIR)
	}
	within(t, []check{{"rate in the last year per 100,000", inc.Rates.Rows[len(inc.Rates.Rows)-1].ASR, 100, 600}})
	// Internally standardised: observed and expected totals agree.
	var o, e float64
	for _, r := range inc.SIR.Rows {
		o, e = o+r.Observed, e+r.Expected
		if !(r.Lower <= r.SIR.SIR && r.SIR.SIR <= r.Upper) {
			t.Errorf("SIR %s: %.3f outside (%.3f, %.3f)", r.Group.Values[0], r.SIR.SIR, r.Lower, r.Upper)
		}
	}
	if o < 500 || math.Abs(o-e) > 1e-6*o {
		t.Errorf("SIR by region: observed %.0f, expected %.6f", o, e)
	}
}

func TestDemoIndicators(t *testing.T) {
	ind := result(t).Indicators
	if len(ind.Indicators) != 4 || len(ind.Plots) != 4 || len(ind.Indicators[0].Units) != 8 {
		t.Errorf("quality indicators: %d indicators, %d plots", len(ind.Indicators), len(ind.Plots))
	}
}

// The cervical and bowel programmes are generated, linked and measured,
// with the indicators in the published ranges at the demo's size.
func TestDemoProgrammes(t *testing.T) {
	res := result(t)
	for _, d := range []*report.DemoProgramme{res.Cervical, res.Bowel} {
		if d == nil {
			t.Fatal("the demo lacks a programme")
		}
		total := d.Metrics.Rows[len(d.Metrics.Rows)-1]
		if total.Values[0] != "all" || d.Link.Episodes == 0 || len(d.Indicators.Indicators) != 3 {
			t.Errorf("%s: total row %v, %d episodes, %d quality indicators", d.Programme, total.Values, d.Link.Episodes, len(d.Indicators.Indicators))
		}
		name, lo, hi := "hpv_positivity", 0.07, 0.10
		if d.Programme == "bowel" {
			name, lo, hi = "positivity", 0.05, 0.07
		}
		if v := total.Metrics.Value(name); !(v >= lo && v <= hi) {
			t.Errorf("%s %s = %g, want %g-%g", d.Programme, name, v, lo, hi)
		}
	}
	if res.Cervical.Coverage == nil || res.Cervical.HPVRisk == nil || res.Cervical.Sampling == nil || res.Bowel.Sweep == nil {
		t.Error("a programme decision is missing")
	}
}

// The clinical quality registry: levels, completeness, case mix, PROMs.
func TestDemoQuality(t *testing.T) {
	q := result(t).Quality
	if q == nil || q.Year != 2024 || len(q.Indicators.Indicators) != 3 || q.CaseMix == nil || q.PROM.Respondents == 0 {
		t.Fatalf("quality registry %+v", q)
	}
	levels := map[string]int{}
	for _, ind := range q.Indicators.Indicators {
		for _, u := range ind.Units {
			levels[u.Level]++
		}
	}
	if levels["high"] == 0 || levels["low coverage"] == 0 {
		t.Errorf("levels %v: want some high and a hospital of low coverage", levels)
	}
	// PROMs: patients worse than the population norms on global health;
	// the hospital with worse continence after prostate cancer flagged
	if len(q.PROM.Norms) != 16 || q.PROM.Norms[0].Score != "ql" || q.PROM.Norms[0].Difference >= 0 {
		t.Errorf("QLQ-C30 against norms %+v", q.PROM.Norms)
	}
	if q.EPIC26 == nil || q.EPIC26.Respondents == 0 || q.PROMCaseMix == nil || q.PROMCaseMix.Excluded == 0 ||
		!slices.Contains(q.PROMCaseMix.Flagged, "HF-nordland") {
		t.Errorf("EPIC-26 %+v, case mix %+v", q.EPIC26, q.PROMCaseMix)
	}
}

// The page has every section and its plots inline, refers to nothing on
// the network, opens in a browser without errors, and screenlab report
// makes the same page from demo.json alone.
func TestDemoReport(t *testing.T) {
	res := result(t)
	page, err := os.ReadFile(res.Report)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h2>Summary</h2>", "<h2>Screening indicators</h2>", "<h2>Risk model</h2>", "<h2>Triage CNN</h2>",
		"<h2>AI-assisted reading strategies</h2>", "<h2>Quality indicators by screening_unit</h2>", "<h2>Methods and references</h2>",
		"<h2>Survival after breast cancer</h2>", "<h2>Breast cancer after a first screen</h2>", "<h2>Incidence</h2>", "Kaplan–Meier survival by stage",
		"net survival (pohar-perme", "Standardised incidence ratios by region", "Age-standardised rates by year", "Calibration in the validation units",
		"Decision curve in the validation units", "Cumulative incidence of breast cancer by density", "Reading strategies with the CNN&#39;s score",
		"ROC curves of screen-detected cancers", "Threshold sweep of rule-out", "Reading strategies: the CNN against the AI score",
		"Change in sensitivity from double reading for each strategy", "Funnel plot of recall_rate", "Funnel plot of sensitivity", "fingerprint SHA-256",
		"<h2>Cervical screening (HPV)</h2>", "<h2>Bowel screening (FIT)</h2>", "<h2>Quality indicators by laboratory (cervical programme)</h2>",
		"<h2>Quality indicators by region (bowel programme)</h2>", "Risk of CIN3+ after a positive HPV test", "Self-sampling against clinician sampling",
		"FIT thresholds: colonoscopies needed", "Funnel plot of adenoma_detection_rate", "<h3>Coverage</h3>",
		"<h2>Clinical quality registry</h2>", "Completeness of clinical reporting", "Death within 90 days, adjusted for case mix",
		"Funnel plot of within_pathway_time", "Patient-reported outcomes", "<h2>Research extract</h2>", "<h2>Evaluating the AI before procurement</h2>",
		"Recall rate of each radiologist"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	offline := strings.ReplaceAll(string(page), "http://www.w3.org", "") // XML namespaces, not fetched
	if n := strings.Count(string(page), "<svg"); n != 27 || strings.Contains(offline, "http://") || strings.Contains(offline, "https://") {
		t.Errorf("report.html: %d inline plots (want 27), or a network reference", n)
	}
	if bin := browser.Find(); bin != "" {
		msgs, err := browser.Open(bin, res.Report, filepath.Join(t.TempDir(), "report.png"), t.TempDir())
		if err != nil || len(msgs) > 0 {
			t.Errorf("report.html in Chromium: %v, console %q", err, msgs)
		}
	} else {
		t.Log("no Chromium: report.html not opened in a browser")
	}
	again, _, err := report.BuildReport([]string{filepath.Join(res.Dir, "demo.json")}, "ignored", buildinfo.Version())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "again.html")
	if err := again.Write(path); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, page) {
		t.Errorf("the page rebuilt from demo.json differs from the demo's report.html (%v)", err)
	}
	for _, f := range res.Files {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("demo did not write %s", f)
		}
	}
}

func TestDemoSummary(t *testing.T) {
	var b bytes.Buffer
	WriteSummary(&b, result(t))
	for _, want := range []string{"recall", "detection", "interval", "sensitivity", "risk model", "external validation", "triage CNN",
		"AUC screen-detected", "reading strategies", "quality indicators", "survival", "incidence", "report.html",
		"cervical", "HPV positivity", "bowel", "FIT positivity", "QLQ-C30"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}

// The research extract: every table accounted for, no group below k, no
// reserved child, and the report's section.
func TestDemoExtract(t *testing.T) {
	res := result(t)
	m := res.Extract
	if m == nil || m.Persons == 0 || m.ReservedPersons == 0 || len(m.Tables) != 3 {
		t.Fatalf("extract %+v", m)
	}
	for _, c := range m.Tables {
		if c.Read != c.Exported+c.Reserved+c.Excluded+c.Suppressed {
			t.Errorf("%s does not add up: %+v", c.Table, c)
		}
	}
	for _, c := range m.ClassesAfter {
		if c.Size != ">=3" {
			t.Errorf("a group of size %s", c.Size)
		}
	}
	page, err := os.ReadFile(res.Report)
	if err != nil || !strings.Contains(string(page), "Research extract") {
		t.Errorf("report: %v", err)
	}
}

// The AI audit: cancers scored higher than other women's exams a round
// earlier; the generator's readers differ, so some fall outside the funnel.
func TestDemoAIAudit(t *testing.T) {
	res := result(t)
	if res.Priors == nil || res.Readers == nil {
		t.Fatal("no AI audit")
	}
	share := map[string]float64{}
	for _, r := range res.Priors.Rows {
		if r.Lag == 1 && r.Top == 0.1 {
			share[r.Group] = r.Share
		}
	}
	if share["screen-detected"] <= share["no cancer"] {
		t.Errorf("top-decile shares a round earlier %v", share)
	}
	out := 0
	for _, u := range res.Readers.Indicators[0].Units {
		if u.Funnel != "within" {
			out++
		}
	}
	if len(res.Readers.Indicators[0].Units) != 48 || out == 0 {
		t.Errorf("%d readers, %d outside the limits", len(res.Readers.Indicators[0].Units), out)
	}
	// the generator scores GE images higher: the reads saved differ by vendor
	for _, in := range res.ByVendor.Interactions {
		if in.Strategy == "rule-out:fraction=0.5" && in.Metric == "reads" && !(in.P < 1e-6) {
			t.Errorf("reads saved by vendor alike: %+v", in)
		}
	}
	if res.Drift == nil || len(res.Drift.Rows) == 0 {
		t.Error("no drift table")
	}
}
