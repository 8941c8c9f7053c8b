package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
)

// readCSVText parses CSV text into a header and rows.
func readCSVText(t *testing.T, text string) ([]string, [][]string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("not CSV (%v): %.300s", err, text)
	}
	return rows[0], rows[1:]
}

// sameTable checks that got has every column of want (R's write.csv of
// summary(survfit)) with the same values, numbers to 1e-9 relative.
func sameTable(t *testing.T, what string, gotText, wantPath string) {
	t.Helper()
	raw, err := os.ReadFile(wantPath)
	if err != nil {
		t.Fatal(err)
	}
	gh, got := readCSVText(t, gotText)
	wh, want := readCSVText(t, string(raw))
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, R has %d", what, len(got), len(want))
	}
	pos := map[string]int{}
	for i, h := range gh {
		pos[h] = i
	}
	for c, name := range wh {
		g, ok := pos[name]
		if !ok {
			t.Errorf("%s: no column %q (columns %v)", what, name, gh)
			continue
		}
		for r := range want {
			a, b := got[r][g], want[r][c]
			x, errA := strconv.ParseFloat(a, 64)
			y, errB := strconv.ParseFloat(b, 64)
			if errA == nil && errB == nil {
				if math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(y)) {
					t.Errorf("%s row %d %s: %s, R %s", what, r+1, name, a, b)
				}
			} else if a != b {
				t.Errorf("%s row %d %s: %q, R %q", what, r+1, name, a, b)
			}
		}
	}
}

// The CSV of survival km is the curve, one row per group and time, the
// group column named after --group, read by R's read.csv as the numbers of
// summary(survfit) (testdata/make_km_csv.R); --table groups.at is the
// values at --times with n_event and n_censor since the time before.
func TestKMCSVMatchesR(t *testing.T) {
	args := "survival km --data testdata/contract/in/lung.csv --time time --event status --group sex --times 180,365 --format csv"
	code, out, errOut := runCLI(t, args)
	if code != 0 {
		t.Fatal(errOut)
	}
	sameTable(t, "curve", out, "testdata/km_lung_curve_R.csv")
	code, out, errOut = runCLI(t, args+" --table groups.at")
	if code != 0 {
		t.Fatal(errOut)
	}
	sameTable(t, "at", out, "testdata/km_lung_at_R.csv")
	if code, _, errOut := runCLI(t, args+" --table nothing"); code != 2 || !strings.Contains(errOut, "groups.at") {
		t.Errorf("an unknown table: exit %d %q", code, errOut)
	}
}

// Every command's --format csv parses as one rectangular table (as R's
// read.csv needs) holding its main result: the columns named here.
func TestEveryCSVHasTheMainTable(t *testing.T) {
	in := "testdata/contract/in/"
	for _, c := range []struct{ args, columns string }{
		{"screening metrics --data " + in + "linked.csv.gz --by screening_unit --suppress 5", "screening_unit,exams,recall_rate_lower,suppressed"},
		{"survival km --data " + in + "lung.csv --time time --event status", "time,n_risk,surv,lower,upper"},
		{"survival cif --data " + in + "pbc.csv --time time --status status --group trt", "cause,trt,time,cif"},
		{"survival cox --data " + in + "lung_cat.csv --time time --event status --covariates age,sex", "name,coef,se"},
		{"incidence rates --cases " + in + "cases.csv --population " + in + "population.csv --by period --standard segi1960", "period,cases,asr,asr_lower"},
		{"incidence sir --cases " + in + "cases.csv --population " + in + "population.csv --reference " + in + "reference.csv --by period", "period,observed,expected"},
		{"evaluate --data " + in + "validation.csv --score risk --outcome outcome --by x2", "x2"},
		{"indicators --data " + in + "linked.csv.gz --unit screening_unit --definitions screening", "indicator,unit,numerator,denominator,value,target_met"},
		{"triage simulate --data " + in + "linked.csv.gz --score ai_score --bootstrap 10", "name,recalls,ci.cdr_diff_lower,ci.cdr_diff_upper"},
	} {
		code, out, errOut := runCLI(t, c.args+" --format csv")
		if code != 0 {
			t.Errorf("%s: %s", c.args, errOut)
			continue
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Errorf("%s: not one CSV table (%v): %.200s", strings.Fields(c.args)[0], err, out)
			continue
		}
		have := map[string]bool{}
		for _, h := range rows[0] {
			have[h] = true
		}
		for _, want := range strings.Split(c.columns, ",") {
			if !have[want] {
				t.Errorf("%s: no column %q in %v", c.args[:30], want, rows[0])
			}
		}
		for _, r := range rows[1:] {
			for _, v := range r {
				if v == "NaN" || v == "true" || v == "false" || v == "+Inf" {
					t.Errorf("%s: %q is not what read.csv reads (NA, TRUE, FALSE)", c.args[:30], v)
				}
			}
		}
	}
}

// Data as registries have it: a semicolon-separated export (--delim ;),
// and a table piped in (--data -, plain or gzip) give what the file gives.
func TestDelimAndStdin(t *testing.T) {
	lung, err := os.ReadFile("testdata/contract/in/lung.csv")
	if err != nil {
		t.Fatal(err)
	}
	args := " --time time --event status --times 365 --format csv --table groups.at"
	code, want, errOut := runCLI(t, "survival km --data testdata/contract/in/lung.csv"+args)
	if code != 0 {
		t.Fatal(errOut)
	}
	semi := writeTo(t, t.TempDir(), "lung.csv", strings.ReplaceAll(string(lung), ",", ";"))
	if code, got, errOut := runCLI(t, "survival km --delim ; --data "+semi+args); code != 0 || got != want {
		t.Errorf("--delim ;: exit %d %s\n%s", code, errOut, got)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(lung)
	zw.Close()
	for name, input := range map[string][]byte{"plain": lung, "gzip": gz.Bytes()} {
		io, in, out, errOut := ui.Test()
		in.Write(input)
		if code := run(append([]string{"survival", "km", "--data", "-"}, strings.Fields(args)...), io); code != 0 || out.String() != want {
			t.Errorf("--data - (%s): exit %d %s\n%s", name, code, errOut, out)
		}
	}
	if code, _, errOut := runCLI(t, "survival km --delim ab --data "+semi+args); code != 2 || !strings.Contains(errOut, "--delim") {
		t.Errorf("--delim ab: exit %d %q", code, errOut)
	}
}

// Data with missing values, as survival::lung has them: without a choice
// the first missing value is an error that suggests --missing drop; with
// it the rows are left out as R's na.omit does, the note says how many,
// and the fit is coxph's (testdata/make_cox_missing.R).
func TestCoxMissingDropMatchesR(t *testing.T) {
	args := "survival cox --data testdata/contract/in/lung.csv --time time --event status --covariates age,sex,wt_loss"
	if code, _, errOut := runCLI(t, args); code == 0 || !strings.Contains(errOut, "lung.csv:2:8: wt_loss") || !strings.Contains(errOut, "--missing drop") {
		t.Errorf("without --missing: exit %d %q", code, errOut)
	}
	code, out, errOut := runCLI(t, args+" --missing drop --format csv")
	if code != 0 || !strings.Contains(errOut, "left out 14 rows with a missing value (wt_loss 14)") {
		t.Fatalf("exit %d %q", code, errOut)
	}
	sameTable(t, "cox", out, "testdata/cox_lung_missing_R.csv")
	if _, out, _ := runCLI(t, args+" --missing drop --format json"); !strings.Contains(out, `"n": 214,`) || !strings.Contains(out, `"events": 152,`) {
		t.Errorf("n and events are not coxph's 214 and 152: %.200s", out)
	}
}

// A status coded 1/2 (R's Surv convention): refused with a hint by
// default, read with --event-codes 1/2 to the same curve as 0/1.
func TestEventCodes12(t *testing.T) {
	lung, _ := os.ReadFile("testdata/contract/in/lung.csv")
	rows, _ := csv.NewReader(bytes.NewReader(lung)).ReadAll()
	var b strings.Builder
	w := csv.NewWriter(&b)
	for i, r := range rows {
		if i > 0 {
			s, _ := strconv.Atoi(r[2])
			r[2] = strconv.Itoa(s + 1)
		}
		w.Write(r)
	}
	w.Flush()
	coded := writeTo(t, t.TempDir(), "lung12.csv", b.String())
	args := " --time time --event status --group sex --times 180,365 --format csv"
	_, want, _ := runCLI(t, "survival km --data testdata/contract/in/lung.csv"+args)
	if code, _, errOut := runCLI(t, "survival km --data "+coded+args); code == 0 || !strings.Contains(errOut, "--event-codes 1/2") {
		t.Errorf("1/2 without the flag: exit %d %q", code, errOut)
	}
	if code, got, errOut := runCLI(t, "survival km --event-codes 1/2 --data "+coded+args); code != 0 || got != want {
		t.Errorf("--event-codes 1/2: exit %d %s", code, errOut)
	}
}

// Diagnosed at death: the same start and stop date is follow-up time 0, as
// R's survfit counts it (S(0) = 2/3 here), not an error.
func TestSameDayIsTimeZero(t *testing.T) {
	data := writeTo(t, t.TempDir(), "sd.csv", "start,stop,status\n2020-01-01,2020-01-01,1\n2020-01-01,2021-01-01,0\n2020-01-01,2020-06-01,1\n")
	code, out, errOut := runCLI(t, "survival km --data "+data+" --start start --stop stop --event status --format csv")
	_, rows := readCSVText(t, out)
	if code != 0 || rows[0][1] != "0" || !strings.HasPrefix(rows[0][5], "0.66666") {
		t.Errorf("exit %d %s: %v", code, errOut, rows)
	}
}

// evaluate --compare has pROC's interval of the AUC difference, and the
// Youden threshold is reported as pROC reports it (testdata/make_proc.R).
func TestEvaluateMatchesPROC(t *testing.T) {
	code, out, errOut := runCLI(t, "evaluate --data testdata/contract/in/asah.csv --score s100b --outcome outcome --compare ndka --threshold youden --format json")
	if code != 0 {
		t.Fatal(errOut)
	}
	var res struct {
		Compare    map[string]float64 `json:"compare"`
		Thresholds []struct {
			Threshold, Sensitivity, Specificity float64
		} `json:"thresholds"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Thresholds) != 1 {
		t.Fatalf("%v: %.300s", err, out)
	}
	y := res.Thresholds[0]
	got := fmt.Sprintf("%.12g,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g\n", res.Compare["auc_diff"], res.Compare["auc_diff_lower"], res.Compare["auc_diff_upper"],
		res.Compare["z"], res.Compare["p"], y.Threshold, y.Sensitivity, y.Specificity)
	sameTable(t, "pROC", "auc_diff,auc_diff_lower,auc_diff_upper,z,p,youden_threshold,youden_sensitivity,youden_specificity\n"+got, "testdata/proc_asah_R.csv")
}

// --max-iter 2 keeps the second Newton step, as coxph's iter.max does
// (testdata/make_cox_iter.R), says it did not converge, and does not call
// the early stop a monotone likelihood.
func TestCoxMaxIterKeepsTheStep(t *testing.T) {
	code, out, errOut := runCLI(t, "survival cox --data testdata/contract/in/lung.csv --time time --event status --covariates age,sex --max-iter 2 --format csv")
	if code != 0 {
		t.Fatal(errOut)
	}
	sameTable(t, "cox iter.max 2", out, "testdata/cox_lung_iter2_R.csv")
	if !strings.Contains(errOut, "did not converge") || strings.Contains(errOut, "monotone") {
		t.Errorf("warnings %q", errOut)
	}
}

// incidence counts builds cases and person-years from the registry: by
// hand on two women, and on the generated registry the persons' own
// follow-up gives the person-years of the generator's population table
// (within 0.1%); the output feeds incidence rates as both inputs.
func TestIncidenceCounts(t *testing.T) {
	dir := t.TempDir()
	persons := writeTo(t, dir, "persons.csv", personsHeader+"P1,1950-01-01,F,,,mid\nP2,1960-01-01,F,2002-01-01,,mid\n")
	dx := writeTo(t, dir, "diagnoses.csv", diagnosesHeader+"P1,2001-07-01,C50.4,3,I,H1\nP2,2001-03-01,C50.1,2,0,H1\nP1,2000-06-01,C34.1,3,I,H1\n")
	out := filepath.Join(dir, "counts.csv")
	code, _, errOut := runCLI(t, "incidence counts --persons "+persons+" --diagnoses "+dx+" --from 2000 --to 2002 --end-of-data 2002-12-31 --out "+out)
	if code != 0 {
		t.Fatal(errOut)
	}
	raw, _ := os.ReadFile(out)
	// P1 (aged 50-52 in 2000-2002) has the one invasive C50, in 2001 at
	// 51; P2 (40-41) lives 2000 and 2001. Person-years are whole years
	// split at birthdays: P1 is 50-54 throughout.
	want := map[string]string{"2001,50-54": "1", "2000,50-54": "0", "2000,40-44": "0"}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n")[1:] {
		f := strings.Split(line, ",")
		k := f[0] + "," + f[1]
		if w, ok := want[k]; ok && f[2] != w {
			t.Errorf("%s: %s cases, want %s", k, f[2], w)
		}
		if k == "2000,50-54" || k == "2001,50-54" {
			if py, _ := strconv.ParseFloat(f[3], 64); math.Abs(py-1) > 0.01 {
				t.Errorf("%s: %s person-years, want about 1", k, f[3])
			}
		}
	}
	reg := "testdata/contract/in/reg/"
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	_, outA, _ := runCLI(t, "incidence counts --persons "+reg+"persons.csv --diagnoses "+reg+"diagnoses.csv --population "+reg+"population.csv --out "+a+" --format json")
	_, outB, _ := runCLI(t, "incidence counts --persons "+reg+"persons.csv --diagnoses "+reg+"diagnoses.csv --out "+b+" --format json")
	var ra, rb struct {
		Cases       float64 `json:"cases"`
		PersonYears float64 `json:"person_years"`
	}
	json.Unmarshal([]byte(outA), &ra)
	json.Unmarshal([]byte(outB), &rb)
	if ra.PersonYears == 0 || math.Abs(rb.PersonYears/ra.PersonYears-1) > 0.001 || ra.Cases != rb.Cases || ra.Cases == 0 {
		t.Errorf("person-years from persons %g, from the population table %g", rb.PersonYears, ra.PersonYears)
	}
	if code, _, errOut := runCLI(t, "incidence rates --cases "+a+" --population "+a+" --by year --standard esp2013 --ages 50-69 --format csv"); code != 0 {
		t.Errorf("rates on the counts: %s", errOut)
	}
}

// Plots for a paper: --plot F.pdf writes a PDF; the title, labels and size
// are flags; a size of 0 is refused.
func TestKMPlotPDFAndLabels(t *testing.T) {
	dir := t.TempDir()
	args := "survival km --data testdata/contract/in/lung.csv --time time --event status --group sex --xlab Days --title Lung"
	for _, ext := range []string{".pdf", ".png", ".svg"} {
		p := filepath.Join(dir, "km"+ext)
		if code, _, errOut := runCLI(t, args+" --plot "+p); code != 0 {
			t.Fatalf("%s: %s", ext, errOut)
		}
		b, _ := os.ReadFile(p)
		magic := map[string]string{".pdf": "%PDF", ".png": "\x89PNG", ".svg": "<?xml"}[ext]
		if !bytes.HasPrefix(b, []byte(magic)) {
			t.Errorf("%s starts %q", ext, b[:min(8, len(b))])
		}
		if ext == ".svg" && (!bytes.Contains(b, []byte("Days")) || !bytes.Contains(b, []byte("Lung")) || !bytes.Contains(b, []byte(">sex<"))) {
			t.Error("the SVG lacks the x label, the title or the legend title")
		}
	}
	if code, _, errOut := runCLI(t, args+" --width -1 --plot "+filepath.Join(dir, "x.png")); code != 2 || !strings.Contains(errOut, "--width") {
		t.Errorf("--width -1: exit %d %q", code, errOut)
	}
}

// Every plotting command writes PDF, PNG and SVG and takes --title, --xlab,
// --ylab, --width and --height.
func TestEveryPlotTakesTheSameFlags(t *testing.T) {
	in := "testdata/contract/in/"
	cases := []struct{ name, args string }{
		{"km", "survival km --data " + in + "lung.csv --time time --event status --group sex --plot F"},
		{"cif", "survival cif --data " + in + "pbc.csv --time time --status status --group trt --plot F"},
		{"roc", "evaluate --data " + in + "asah.csv --score s100b --outcome outcome --compare ndka --plot F"},
		{"pr", "evaluate --data " + in + "asah.csv --score s100b --outcome outcome --plot-kind pr --plot F"},
		{"calibration", "evaluate --data " + in + "lung_risk.csv --score risk365 --outcome status --plot-kind calibration --plot F"},
		{"decision", "evaluate --data " + in + "lung_risk.csv --score risk365 --outcome status --plot-kind decision --plot F"},
		{"sweep", "triage simulate --data " + handTable + " --strategies rule-out:0.3 --sweep rule-out --sweep-points 4 --plot F"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, ext := range []string{".pdf", ".png", ".svg"} {
				p := filepath.Join(dir, c.name+ext)
				args := strings.Replace(c.args, "--plot F", "--plot "+p, 1) + " --title TITLEX --xlab XLABX --ylab YLABX --width 6 --height 4"
				if code, _, errOut := runCLI(t, args); code != 0 {
					t.Fatalf("%s: %s", ext, errOut)
				}
				b, _ := os.ReadFile(p)
				magic := map[string]string{".pdf": "%PDF", ".png": "\x89PNG", ".svg": "<?xml"}[ext]
				if !bytes.HasPrefix(b, []byte(magic)) {
					t.Errorf("%s starts %q", ext, b[:min(8, len(b))])
				}
				if ext == ".svg" {
					for _, want := range []string{"TITLEX", "XLABX", "YLABX", `width="432pt"`} {
						if !bytes.Contains(b, []byte(want)) {
							t.Errorf("the SVG lacks %s", want)
						}
					}
				}
			}
		})
	}
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, "indicators --data "+handTable+" --unit screening_unit --definitions screening --plot "+dir+" --plot-format pdf --title Funnel"); code != 0 {
		t.Fatal(errOut)
	}
	if pdfs, _ := filepath.Glob(filepath.Join(dir, "funnel_*.pdf")); len(pdfs) != 4 {
		t.Errorf("funnel plots: %v", pdfs)
	}
	if code, _, errOut := runCLI(t, "evaluate --data "+in+"asah.csv --score s100b --outcome outcome --plot-kind nonsense --plot "+filepath.Join(dir, "x.png")); code != 2 || !strings.Contains(errOut, "roc, pr, calibration, decision") {
		t.Errorf("unknown kind: %d %s", code, errOut)
	}
}

// A table for people is a summary: survival km shows each group and the
// curve at --times (the whole curve is in CSV and JSON, and the table says
// so); the group column is named after --group.
func TestTablesForPeopleAreSummaries(t *testing.T) {
	code, out, errOut := runCLI(t, "survival km --data testdata/contract/in/lung.csv --time time --event status --group sex --times 180,365")
	if code != 0 {
		t.Fatal(errOut)
	}
	if strings.Count(out, "\n") > 40 || !strings.Contains(out, "groups.at") || !strings.Contains(out, "(also: groups.table;") || !strings.Contains(out, "\nsex ") {
		t.Errorf("km for people:\n%s", out)
	}
}

// evaluate --by shows one row per group with the key metrics; its CSV has
// every column in every row (NA where a subgroup's calibration was
// skipped), as read.csv needs.
func TestEvaluateByIsOneRowPerGroup(t *testing.T) {
	args := "evaluate --data testdata/contract/in/asah.csv --score s100b --outcome outcome --by wfns"
	code, out, errOut := runCLI(t, args)
	if code != 0 {
		t.Fatal(errOut)
	}
	_, table, _ := strings.Cut(out, "\nby\n")
	lines := strings.Split(strings.TrimSpace(strings.Split(table, "\n\n")[0]), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "wfns") || !strings.Contains(lines[0], "auc (CI)") || strings.Contains(lines[0], "deciles") {
		t.Fatalf("by table:\n%s", table)
	}
	if strings.Contains(lines[0], "calibration.e90") || strings.Contains(lines[0], "auc.method") {
		t.Errorf("the table for people shows more than the key metrics: %s", lines[0])
	}
	code, out, errOut = runCLI(t, args+" --format csv")
	if code != 0 {
		t.Fatal(errOut)
	}
	header, rows := readCSVText(t, out) // csv.Reader fails on rows of other lengths
	if len(rows) != 5 {
		t.Fatalf("%d CSV rows", len(rows))
	}
	col := map[string]int{}
	for k, h := range header {
		col[h] = k
	}
	if last := rows[4]; last[col["wfns"]] != "5" || last[col["calibration.slope"]] != "NA" || last[col["average_precision"]] == "NA" {
		t.Errorf("wfns 5: slope %q, average precision %q", last[col["calibration.slope"]], last[col["average_precision"]])
	}
}

// Tables for people show units: survival times from dates in --time-unit,
// the detection and interval cancer rates per 1000 exams; CSV keeps the
// bare names for R.
func TestTablesShowUnits(t *testing.T) {
	dir := t.TempDir()
	km := writeTo(t, dir, "km.csv", "start,stop,dead,arm\n2020-01-01,2020-03-01,1,a\n2020-01-01,2020-06-01,0,a\n2020-01-01,2021-01-01,1,b\n2020-01-01,2020-02-01,1,b\n2020-01-01,2022-01-01,0,a\n2020-01-01,2020-09-15,1,b\n")
	args := "survival km --data " + km + " --start start --stop stop --time-unit months --event dead --group arm --times 3"
	code, out, errOut := runCLI(t, args)
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, want := range []string{"median, months (CI)", "time, months"} {
		if !strings.Contains(out, want) {
			t.Errorf("km table lacks %q:\n%s", want, out)
		}
	}
	if _, csvOut, _ := runCLI(t, args+" --format csv"); !strings.HasPrefix(csvOut, "arm,time,") {
		t.Errorf("km CSV header: %.60q", csvOut)
	}
	code, out, errOut = runCLI(t, "screening metrics --data "+handTable)
	if code != 0 {
		t.Fatal(errOut)
	}
	if !strings.Contains(out, "cdr, per 1000 exams (CI)") || !strings.Contains(out, "interval_rate, per 1000 exams (CI)") {
		t.Errorf("screening table without units:\n%s", out)
	}
}

// evaluate --weights gives the weighted AUC of survival::concordance
// (weights 1 + wfns/2 on aSAH: 0.7387, evaluation/testdata/make_golden.R),
// and refuses what has no weighted form.
func TestEvaluateWeights(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile("../../evaluation/testdata/asah.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	var b strings.Builder
	b.WriteString(lines[0] + ",w\n")
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		wfns, _ := strconv.ParseFloat(f[3], 64)
		fmt.Fprintf(&b, "%s,%g\n", l, 1+wfns/2)
	}
	data := writeTo(t, dir, "asah_w.csv", b.String())
	code, out, errOut := runCLI(t, "evaluate --format json --data "+data+" --score s100b --outcome outcome --weights w")
	if code != 0 {
		t.Fatal(errOut)
	}
	var r struct {
		AUC struct{ Estimate, SE float64 }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.AUC.Estimate-0.738684442821051) > 1e-10 || math.Abs(r.AUC.SE-0.0514935385763824) > 1e-10 {
		t.Errorf("weighted AUC %v (SE %v)", r.AUC.Estimate, r.AUC.SE)
	}
	if code, _, errOut := runCLI(t, "evaluate --data "+data+" --score s100b --outcome outcome --weights w --compare ndka"); code != 2 || !strings.Contains(errOut, "case weights") {
		t.Errorf("--compare with weights: %d %s", code, errOut)
	}
}

// Cross-validation with a level that only one fold has (survival::lung's
// single ecog3): that fold's model has never seen it, so the row is left
// out of the fold's metrics with a note instead of failing the command.
func TestCVWithALevelOnlyOneFoldHas(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "train --format json --data testdata/contract/in/lung_cat.csv --target status --features age,ecog --model logistic --cv 5 --missing drop --out "+filepath.Join(dir, "m.model"))
	if code != 0 {
		t.Fatal(errOut)
	}
	var r struct {
		CV struct {
			PerFold []struct {
				N     int
				Notes []string
			} `json:"per_fold"`
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	n, notes := 0, 0
	for _, f := range r.CV.PerFold {
		n += f.N
		for _, s := range f.Notes {
			if strings.Contains(s, "1 row with ecog = ecog3 left out") {
				notes++
			}
		}
	}
	if len(r.CV.PerFold) != 5 || notes != 1 || n != 226 {
		t.Errorf("folds %+v: want 5 folds holding 226 of 227 rows and one note", r.CV.PerFold)
	}
}
