package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/shlex"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/internal/browser"
	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/report/render"
	"github.com/screenlab/screenlab/survival"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// runCLI runs screenlab with a command line and returns the exit status and
// the streams.
func runCLI(t *testing.T, args string) (int, string, string) {
	t.Helper()
	argv, err := shlex.Split(args)
	if err != nil {
		t.Fatal(err)
	}
	io, _, out, errOut := ui.Test()
	code := run(argv, io)
	return code, out.String(), errOut.String()
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n%s", path, got)
	}
}

func TestNewCmdLink(t *testing.T) {
	tests := []struct {
		args    string
		want    linkOptions
		wantErr string
	}{
		{args: "--exams e.csv --diagnoses d.csv",
			want: linkOptions{registryFlags: registryFlags{Exams: "e.csv", Diagnoses: "d.csv"}, ScreenDetected: "6m", Interval: "24m"}},
		{args: "--exams e.csv --diagnoses d.csv --persons p.csv --interval 2y --exclude-in-situ --out l.parquet --lenient",
			want: linkOptions{registryFlags: registryFlags{Exams: "e.csv", Diagnoses: "d.csv", Persons: "p.csv", Lenient: true},
				ScreenDetected: "6m", Interval: "2y", ExcludeInSitu: true, Out: "l.parquet"}},
		{args: "--exams e.csv", wantErr: "--exams and --diagnoses are required"},
		{args: "--exams e.csv --diagnoses d.csv extra", wantErr: `unknown command "extra" for "link"`},
		{args: "--exams e.csv --diagnoses d.csv --windows 3", wantErr: "unknown flag: --windows"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			var got *linkOptions
			io, _, _, _ := ui.Test()
			cmd := newCmdLink(&factory{IO: io}, func(o *linkOptions) error { got = o; return nil })
			argv, _ := shlex.Split(tt.args)
			cmd.SetArgs(argv)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.f = nil
			if *got != tt.want {
				t.Errorf("options %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestNewCmdScreeningMetrics(t *testing.T) {
	tests := []struct {
		args    string
		wantBy  []string
		wantErr string
	}{
		{args: "--data l.csv --by screening_unit,round", wantBy: []string{"screening_unit", "round"}},
		{args: "--data l.csv --ci exact --level 0.9"},
		{args: "--by screening_unit", wantErr: "--data is required: linked exams from screenlab link"},
		{args: "--data l.csv --ci agresti", wantErr: `confidence interval method "agresti": want wilson or exact`},
		{args: "--data l.csv --level 95", wantErr: "--level 95: want a number between 0 and 1, e.g. 0.95"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			var got *screeningMetricsOptions
			io, _, _, _ := ui.Test()
			cmd := newCmdScreeningMetrics(&factory{IO: io}, func(o *screeningMetricsOptions) error { got = o; return nil })
			argv, _ := shlex.Split(tt.args)
			cmd.SetArgs(argv)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr != "" {
				var fe *flagError
				if err == nil || err.Error() != tt.wantErr || !errors.As(err, &fe) {
					t.Fatalf("error %v, want flag error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got.By, ",") != strings.Join(tt.wantBy, ",") {
				t.Errorf("by %v, want %v", got.By, tt.wantBy)
			}
		})
	}
}

// TestPipelineGolden runs generate, link and screening metrics on a small
// registry and pins their output.
func TestPipelineGolden(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, "generate --quiet --format json --persons 3000 --seed 5 --out "+dir); code != 0 {
		t.Fatalf("generate: exit %d: %s", code, errOut)
	}
	linked := filepath.Join(dir, "linked.csv")
	code, out, errOut := runCLI(t, "link --quiet --format json --exams "+dir+"/exams.csv --diagnoses "+dir+"/diagnoses.csv --persons "+dir+"/persons.csv --out "+linked)
	if code != 0 {
		t.Fatalf("link: exit %d: %s", code, errOut)
	}
	checkGolden(t, "link.json.golden", []byte(strings.ReplaceAll(out, dir, "DIR")))
	for _, f := range []string{"table", "json", "csv"} {
		code, out, errOut := runCLI(t, "screening metrics --format "+f+" --data "+linked+" --by round")
		if code != 0 {
			t.Fatalf("metrics: exit %d: %s", code, errOut)
		}
		checkGolden(t, "screening_metrics_round."+f+".golden", []byte(out))
	}
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "exams.csv")
	os.WriteFile(bad, []byte("exam_id,person_id,exam_date,recall\nE1,P1,2019-13-01,0\n"), 0o644)
	dx := filepath.Join(dir, "dx.csv")
	os.WriteFile(dx, []byte("person_id,diagnosis_date,icd10\n"), 0o644)
	tests := []struct {
		args    string
		code    int
		wantErr string
	}{
		{"version", 0, ""},
		{"screening metrics", 2, "screenlab: --data is required: linked exams from screenlab link\nRun 'screenlab screening metrics --help' for usage.\n"},
		{"nonsense", 2, "screenlab: unknown command \"nonsense\" for \"screenlab\"\nRun 'screenlab --help' for usage.\n"},
		{"--format xml version", 2, "screenlab: --format: format \"xml\": want one of table, json, csv\nRun 'screenlab version --help' for usage.\n"},
		{"link --quiet --exams " + bad + " --diagnoses " + dx + " --out " + dir + "/l.csv", 1,
			"screenlab: exams.csv:2:3: exam_date \"2019-13-01\": want a date YYYY-MM-DD\n"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, tt.args)
		if code != tt.code || (tt.wantErr != "" && errOut != tt.wantErr) {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", tt.args, code, errOut, tt.code, tt.wantErr)
		}
	}
}

// TestEveryCommandHasAnExample: --help of every command shows a runnable
// example.
func TestEveryCommandHasAnExample(t *testing.T) {
	io, _, _, _ := ui.Test()
	root := newRootCmd(&factory{IO: io})
	for _, c := range root.Commands() {
		for _, sub := range append(c.Commands(), c) {
			if sub.Runnable() && sub.Name() != "help" && sub.Name() != "completion" && !strings.Contains(sub.CommandPath(), "completion") && sub.Example == "" {
				t.Errorf("%s has no example", sub.CommandPath())
			}
		}
	}
}

// TestDemoFigures runs the demo on the default registry and checks the
// figures the issue asks for: recall 2.5–4%, detection 5–7 and interval
// cancers 1.2–2.2 per 1000, sensitivity 70–85%.
func TestDemoFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 100,000 women")
	}
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "demo --quiet --dir "+dir)
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errOut)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "demo.json"))
	if err != nil {
		t.Fatal(err)
	}
	var res report.DemoResult
	if err := render.ReadJSON(bytes.NewReader(raw), &res); err != nil {
		t.Fatal(err)
	}
	o := res.Overall
	checks := []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"recall rate", o.RecallRate, 0.025, 0.04},
		{"detection per 1000", o.CDR, 5, 7},
		{"interval per 1000", o.IntervalRate, 1.2, 2.2},
		{"sensitivity", o.Sensitivity, 0.70, 0.85},
	}
	m := res.RiskModel
	checks = append(checks, []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"risk model CV AUC", m.CV.AUC, 0.55, 0.70},
		{"risk model CV calibration slope", m.CV.Slope, 0.7, 1.3},
		{"risk model external AUC", m.Validation.AUC.Estimate, 0.55, 0.70},
		{"risk model external calibration slope", m.Validation.Calibration.Slope, 0.6, 1.4},
		// Issue 7: the triage CNN on held-out units, screen-detected
		// cancers against negative exams; interval cancers were faint.
		{"triage CNN AUC, screen-detected", res.Triage.ScreenDetected.Estimate, 0.85, 1},
		{"triage CNN AUC, interval", res.Triage.Interval.Estimate, 0.45, 0.80},
		{"triage CNN held-out screen-detected cancers", float64(res.Triage.NScreenDetected), 300, 1000},
	}...)
	// Issue 8: ruling out the lowest half of AI scores halves the reads
	// and loses few screen-detected cancers.
	var ruleOut *strategy.TriageRow
	for i, r := range res.Strategies.Strategies {
		if r.Name == "rule-out" && r.Assumption == strategy.Dismissed {
			ruleOut = &res.Strategies.Strategies[i]
		}
	}
	if ruleOut == nil {
		t.Fatal("no rule-out row")
	}
	base := res.Strategies.Strategies[0]
	lost := -float64(ruleOut.ScreenDetectedChange) / float64(base.ScreenDetected)
	if ruleOut.ReadsChange < -0.52 || ruleOut.ReadsChange > -0.48 || lost <= 0 || lost > 0.08 || ruleOut.CI == nil ||
		ruleOut.CI.SensitivityDiff[0] > ruleOut.Sensitivity-base.Sensitivity || ruleOut.CI.SensitivityDiff[1] < ruleOut.Sensitivity-base.Sensitivity {
		t.Errorf("rule-out: reads %+.3f, screen-detected lost %.3f, CI %+v", ruleOut.ReadsChange, lost, ruleOut.CI)
	}
	if len(res.Strategies.Sweep) != 21 || !strings.Contains(out, "reading strategies") {
		t.Errorf("demo sweep %d points; output lacks the strategies table", len(res.Strategies.Sweep))
	}
	// Issue 9 (started): survival by stage, Cox and net survival.
	if sv := res.Survival; sv == nil || len(sv.KM.Groups) != 4 || sv.Patients < 1000 {
		t.Errorf("survival: %+v", sv)
	} else {
		at5 := func(g survival.KMGroup) float64 {
			for _, a := range g.At {
				if a.Time == 5 {
					return a.Surv
				}
			}
			return math.NaN()
		}
		stageI, stageIV := at5(sv.KM.Groups[0]), at5(sv.KM.Groups[3])
		hrIV := math.NaN()
		for _, c := range sv.Cox.Coefficients {
			if c.Name == "stageIV" {
				hrIV = c.HR
			}
		}
		net5 := math.NaN()
		for _, a := range sv.Net.At {
			if a.Time == 5 {
				net5 = a.Surv
			}
		}
		if !(stageI > 0.8 && stageIV < 0.4 && hrIV > 3 && net5 > 0.7 && net5 < 0.95) {
			t.Errorf("survival: 5-year stage I %.3f, stage IV %.3f, HR stage IV %.2f, net 5-year %.3f", stageI, stageIV, hrIV, net5)
		}
	}
	if inc := res.Incidence; inc == nil || len(inc.Rates.Rows) < 30 || len(inc.Trend.Rows) != 1 ||
		inc.Rates.Rows[len(inc.Rates.Rows)-1].ASR < 100 || inc.Rates.Rows[len(inc.Rates.Rows)-1].ASR > 600 {
		t.Errorf("incidence: %+v", inc)
	}
	if ind := res.Indicators; ind == nil || len(ind.Indicators) != 4 || len(ind.Plots) != 4 || len(ind.Indicators[0].Units) != 8 {
		t.Errorf("quality indicators: %+v", ind)
	}
	// Issue 9: SIRs by region (internally standardised: observed and
	// expected totals agree), the cumulative incidence of breast cancer
	// rising with density, and the strategies with the CNN's score.
	if inc := res.Incidence; inc == nil || inc.SIR == nil || len(inc.SIR.Rows) < 3 {
		t.Errorf("SIR by region: %+v", inc)
	} else {
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
	if sv := res.Survival; sv == nil || sv.CIF == nil || len(sv.CIF.Causes) != 8 || len(sv.CIF.Gray) != 2 {
		t.Errorf("cumulative incidence by density: %+v", sv)
	} else {
		f10 := func(c survival.CIFCurve) float64 {
			for _, a := range c.At {
				if a.Time == 10 {
					return a.CIF
				}
			}
			return math.NaN()
		}
		if a, d := f10(sv.CIF.Causes[0]), f10(sv.CIF.Causes[3]); !(d > 1.5*a) || sv.CIF.Gray[0].P > 1e-6 {
			t.Errorf("10-year breast cancer incidence, density a %.4f, d %.4f; Gray p %g", a, d, sv.CIF.Gray[0].P)
		}
	}
	if tr := res.Triage; tr.StrategiesCNN == nil || tr.StrategiesAI == nil || tr.StrategiesCNN.Exams != tr.StrategiesAI.Exams ||
		tr.StrategiesCNN.Exams != tr.NScreenDetected+tr.NInterval+tr.NNegative || tr.StrategiesCNN.Score != "exam_score" {
		t.Errorf("strategies with the CNN's score: %+v / %+v", tr.StrategiesCNN, tr.StrategiesAI)
	}
	// Issue 9: the report has every section and its plots inline.
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h2>Summary</h2>", "<h2>Screening indicators</h2>", "<h2>Risk model</h2>", "<h2>Triage CNN</h2>",
		"<h2>AI-assisted reading strategies</h2>", "<h2>Quality indicators by screening_unit</h2>", "<h2>Methods and references</h2>",
		"<h2>Survival after breast cancer</h2>", "<h2>Breast cancer after a first screen</h2>", "<h2>Incidence</h2>", "Kaplan–Meier survival by stage",
		"net survival (pohar-perme", "Standardised incidence ratios by region", "Age-standardised rates by year", "Calibration in the validation units",
		"Decision curve in the validation units", "Cumulative incidence of breast cancer by density", "Reading strategies with the CNN&#39;s score",
		"ROC curves of screen-detected cancers", "Threshold sweep of rule-out", "Reading strategies: the CNN against the AI score", "Change in sensitivity from double reading for each strategy", "Funnel plot of recall_rate", "Funnel plot of sensitivity", "fingerprint SHA-256"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if bin := browser.Find(); bin != "" { // the browser test of issue 9
		msgs, err := browser.Open(bin, filepath.Join(dir, "report.html"), filepath.Join(dir, "report.png"), t.TempDir())
		if err != nil || len(msgs) > 0 {
			t.Errorf("report.html in Chromium: %v, console %q", err, msgs)
		}
	} else {
		t.Log("no Chromium: report.html not opened in a browser")
	}
	offline := strings.ReplaceAll(string(page), "http://www.w3.org", "") // XML namespaces, not fetched
	// Calibration, decision curve, ROC, the CNN's strategies against the
	// AI score's, Kaplan–Meier, cumulative incidence, incidence by year,
	// the strategy comparison, the sweep and four funnels.
	if n := strings.Count(string(page), "<svg"); n != 13 || strings.Contains(offline, "http://") || strings.Contains(offline, "https://") {
		t.Errorf("report.html: %d inline plots (want 13), or a network reference", n)
	}
	// screenlab report makes the same page from demo.json alone.
	again := filepath.Join(t.TempDir(), "again.html")
	if code, _, errOut := runCLI(t, "report --quiet "+filepath.Join(dir, "demo.json")+" --out "+again); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(again); err != nil || !bytes.Equal(b, page) {
		t.Errorf("screenlab report demo.json differs from the demo's report.html (%v)", err)
	}
	if res.Triage.Scoring.Errors != 0 || res.Triage.Scoring.Scored != res.Triage.Scoring.Exams {
		t.Errorf("triage scoring: %+v", res.Triage.Scoring)
	}
	for _, c := range checks {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s = %.4f, want in [%g, %g]", c.name, c.got, c.min, c.max)
		}
	}
	for _, want := range []string{"recall", "detection", "interval", "sensitivity", "risk model", "external validation", "triage CNN", "AUC screen-detected", "quality indicators", "incidence"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range res.Files {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("demo did not write %s", f)
		}
	}
}

// TestGenerateIsReproducible: the same seed gives byte-identical files
// whatever the number of workers; another seed gives other files.
func TestGenerateIsReproducible(t *testing.T) {
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	runCLI(t, "generate -q --persons 5000 --seed 9 --workers 1 --out "+a)
	runCLI(t, "generate -q --persons 5000 --seed 9 --workers 3 --out "+b)
	runCLI(t, "generate -q --persons 5000 --seed 10 --out "+c)
	for _, name := range []string{"persons.csv", "exams.csv", "diagnoses.csv", "population.csv", "lifetable.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		z, _ := os.ReadFile(filepath.Join(c, name))
		if len(x) == 0 || !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs with the same seed", name)
		}
		if name != "lifetable.csv" && bytes.Equal(x, z) {
			t.Errorf("%s is the same for seeds 9 and 10", name)
		}
	}
}

// TestScreeningSuppression: with --suppress, no count below the threshold
// is shown, and no column of the group rows has exactly one masked cell
// (the "all" row would reveal it).
func TestScreeningSuppression(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, "generate -q --persons 3000 --seed 5 --out "+dir)
	linked := filepath.Join(dir, "linked.csv")
	runCLI(t, "link -q --exams "+dir+"/exams.csv --diagnoses "+dir+"/diagnoses.csv --persons "+dir+"/persons.csv --out "+linked)
	code, out, errOut := runCLI(t, "screening metrics --format json --data "+linked+" --by screening_unit --suppress 10")
	if code != 0 {
		t.Fatal(errOut)
	}
	var rep struct {
		Rows []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	masked := 0
	for _, col := range []string{"consensus", "recalls", "screen_detected", "interval", "unknown"} {
		inCol := 0
		for _, r := range rep.Rows[:len(rep.Rows)-1] {
			switch v := r[col].(type) {
			case nil:
				inCol++
			case float64:
				if v > 0 && v < 10 {
					t.Errorf("%s %v shown for %v", col, v, r["screening_unit"])
				}
			}
		}
		if inCol == 1 {
			t.Errorf("column %s has one masked cell, which the total reveals", col)
		}
		masked += inCol
	}
	if masked == 0 {
		t.Error("nothing was masked; the test data should have small counts")
	}
}

// TestEvaluateBootstrapSeed: the bootstrap interval is the same for the
// same seed and differs for another.
func TestEvaluateBootstrapSeed(t *testing.T) {
	data := "../../evaluation/testdata/asah.csv"
	run := func(seed string) string {
		code, out, errOut := runCLI(t, "evaluate --format json --data "+data+" --score s100b --outcome outcome --bootstrap 300 --seed "+seed)
		if code != 0 {
			t.Fatal(errOut)
		}
		var r struct {
			AUCBootstrap struct{ Lower, Upper float64 } `json:"auc_bootstrap"`
		}
		json.Unmarshal([]byte(out), &r)
		if !(r.AUCBootstrap.Lower < 0.73 && r.AUCBootstrap.Upper > 0.73) {
			t.Errorf("bootstrap interval %+v does not contain the AUC", r.AUCBootstrap)
		}
		return out
	}
	a, b, c := run("3"), run("3"), run("4")
	if a != b {
		t.Error("the same seed gave different output")
	}
	if a == c {
		t.Error("seeds 3 and 4 gave the same bootstrap interval")
	}
}

// TestEvaluateMissingAndNonProbability: missing scores are counted, and
// scores outside [0, 1] skip calibration with a note (or fail with
// --calibration yes).
func TestEvaluateMissingAndNonProbability(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.csv")
	os.WriteFile(p, []byte("y,s\n1,0.9\n0,0.2\n1,\n0,NA\n1,0.7\n0,0.4\n"), 0o644)
	code, out, _ := runCLI(t, "evaluate --format json --data "+p+" --score s --outcome y")
	if code != 0 || !strings.Contains(out, `"missing_scores": 2`) || !strings.Contains(out, `"n": 6`) {
		t.Errorf("missing scores not reported:\n%s", out)
	}
	q := filepath.Join(dir, "q.csv")
	os.WriteFile(q, []byte("y,s\n1,9\n0,2\n1,7\n0,4\n"), 0o644)
	code, out, _ = runCLI(t, "evaluate --format json --data "+q+" --score s --outcome y")
	if code != 0 || strings.Contains(out, `"calibration"`) || !strings.Contains(out, "not probabilities") {
		t.Errorf("non-probability scores:\n%s", out)
	}
	code, _, errOut := runCLI(t, "evaluate --data "+q+" --score s --outcome y --calibration yes")
	if code != 1 || !strings.Contains(errOut, "outside [0, 1]") {
		t.Errorf("--calibration yes: %d %q", code, errOut)
	}
	one := filepath.Join(dir, "one.csv")
	os.WriteFile(one, []byte("y,s\n1,0.9\n1,0.2\n"), 0o644)
	code, _, errOut = runCLI(t, "evaluate --data "+one+" --score s --outcome y")
	if code != 1 || !strings.Contains(errOut, "single class") {
		t.Errorf("one class: %d %q", code, errOut)
	}
}

// TestEvaluateReport: --report writes the three plots and a page that
// inlines them, with no network references.
func TestEvaluateReport(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.csv")
	var b strings.Builder
	b.WriteString("y,p\n")
	for i := 0; i < 200; i++ {
		y := 0
		if i%5 == 0 {
			y = 1
		}
		b.WriteString(strconv.Itoa(y) + "," + strconv.FormatFloat(float64(i%17)/20+0.05*float64(y), 'f', 3, 64) + "\n")
	}
	os.WriteFile(p, []byte(b.String()), 0o644)
	rep := filepath.Join(dir, "rep")
	code, _, errOut := runCLI(t, "evaluate -q --data "+p+" --score p --outcome y --threshold youden --report "+rep)
	if code != 0 {
		t.Fatal(errOut)
	}
	page, err := os.ReadFile(filepath.Join(rep, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Discrimination", "Calibration", "Decision curve", "<svg", "youden"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(string(page), "http://") && !strings.Contains(string(page), "http://www.w3.org") || strings.Contains(string(page), "https://") {
		t.Error("report references the network")
	}
	for _, f := range []string{"roc.svg", "precision_recall.svg", "calibration.svg", "decision_curve.svg"} {
		if st, err := os.Stat(filepath.Join(rep, f)); err != nil || st.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v", f, err)
		}
	}
}
