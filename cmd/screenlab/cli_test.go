package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/shlex"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
	"github.com/screenlab/screenlab/internal/golden"
)

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
	golden.Check(t, filepath.Join("testdata", name), got)
}

func TestNewCmdLink(t *testing.T) {
	tests := []struct {
		args    string
		want    linkOptions
		wantErr string
	}{
		{args: "--exams e.csv --diagnoses d.csv",
			want: linkOptions{registryFlags: registryFlags{Exams: "e.csv", Diagnoses: "d.csv"}, ScreenDetected: "6m", Interval: "24m", Threshold: 15}},
		{args: "--exams e.csv --diagnoses d.csv --persons p.csv --interval 2y --exclude-in-situ --out l.parquet --lenient",
			want: linkOptions{registryFlags: registryFlags{Exams: "e.csv", Diagnoses: "d.csv", Persons: "p.csv", Lenient: true},
				ScreenDetected: "6m", Interval: "2y", ExcludeInSitu: true, Out: "l.parquet", Threshold: 15}},
		{args: "--programme bowel --tests t.csv --followups f.csv --out e.csv --threshold 20 --invitations-out i.csv",
			want: linkOptions{registryFlags: registryFlags{Programme: "bowel", Tests: "t.csv", Followups: "f.csv"},
				ScreenDetected: "6m", Interval: "24m", Out: "e.csv", Threshold: 20, InvitationsOut: "i.csv"}},
		{args: "--programme cervical --tests t.csv", wantErr: "--programme needs --tests and --out (and --persons, --diagnoses, --followups, --invitations for the outcomes)"},
		{args: "--tests t.csv --out e.csv", wantErr: "--invitations, --tests and --followups need --programme cervical or bowel"},
		{args: "--programme lung --tests t.csv --out e.csv", wantErr: `--programme "lung": want cervical or bowel`},
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
		if st, err := os.Stat(filepath.Join(rep, f)); err != nil || st.Mode().Perm()&0o600 != 0o600 { // the rest follows the umask
			t.Errorf("%s: %v", f, err)
		}
	}
}
