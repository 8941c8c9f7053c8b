package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/features"
)

// golden is testdata/golden.json from testdata/make_golden.R (R 4.2.2,
// MASS birthwt, rms 6.5-0, survival 3.5-3).
type golden struct {
	GLM struct {
		Names       []string
		Coef, SE    []float64
		Deviance    float64
		FittedFirst []float64 `json:"fitted_first"`
	}
	RCS struct {
		Knots []float64
		First [][]float64
	}
	Cox struct {
		Coef     []float64
		Risk1826 []float64 `json:"risk_1826"`
		Newdata  []struct{ Age, Nodes float64 }
	}
}

func loadGolden(t *testing.T) golden {
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
		t.Errorf("%s = %.12g, R %.12g", what, got, want)
	}
}

// birthwt reads the data and builds the design with the features
// pipeline (race categorical, reference "black" as R's factor).
func birthwt(t *testing.T) (*features.Pipeline, []float64, []bool) {
	fr, err := datasets.ReadFrameColumns("testdata/birthwt.csv", "low", "age", "lwt", "race", "smoke")
	if err != nil {
		t.Fatal(err)
	}
	specs := []features.Spec{{Name: "age", Kind: features.Numeric}, {Name: "lwt", Kind: features.Numeric},
		{Name: "race", Kind: features.Categorical}, {Name: "smoke", Kind: features.Numeric}}
	cols := make([][]string, len(specs))
	for i, s := range specs {
		cols[i], _ = fr.Strings(s.Name)
	}
	p, err := features.Fit(specs, cols)
	if err != nil {
		t.Fatal(err)
	}
	var x []float64
	row := make([]string, len(specs))
	for r := 0; r < fr.Len(); r++ {
		for i := range specs {
			row[i] = cols[i][r]
		}
		if x, err = p.Transform(row, x); err != nil {
			t.Fatal(err)
		}
	}
	low, _ := fr.Floats("low", false)
	y := make([]bool, len(low))
	for i, v := range low {
		y[i] = v == 1
	}
	return p, x, y
}

func TestLogisticMatchesGLM(t *testing.T) {
	g := loadGolden(t).GLM
	p, x, y := birthwt(t)
	m, err := FitLogistic(x, y, p.Names(), 0, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"(Intercept)", "age", "lwt", "raceother", "racewhite", "smoke"}
	for j, c := range m.Coefficients {
		if c.Name != wantNames[j] {
			t.Errorf("term %d is %s, want %s (R: %s)", j, c.Name, wantNames[j], g.Names[j])
		}
		near(t, c.Name+" coef", c.Coef, g.Coef[j], 1e-6)
		near(t, c.Name+" se", c.SE, g.SE[j], 1e-6)
	}
	near(t, "deviance", m.Deviance, g.Deviance, 1e-8)
	w := p.Width()
	for i, want := range g.FittedFirst {
		near(t, "fitted", m.Predict(x[i*w:(i+1)*w]), want, 1e-8)
	}
}

// TestL2Shrinks: a penalty shrinks the coefficients towards 0, and a tiny
// one gives the unpenalised fit.
func TestL2Shrinks(t *testing.T) {
	p, x, y := birthwt(t)
	free, _ := FitLogistic(x, y, p.Names(), 0, 0.95)
	tiny, _ := FitLogistic(x, y, p.Names(), 1e-9, 0.95)
	heavy, _ := FitLogistic(x, y, p.Names(), 50, 0.95)
	n2 := func(b []float64) float64 {
		s := 0.0
		for _, v := range b {
			s += v * v
		}
		return s
	}
	if n2(heavy.Beta) >= n2(free.Beta) {
		t.Errorf("L2 = 50 did not shrink: %v vs %v", heavy.Beta, free.Beta)
	}
	for j := range free.Beta {
		near(t, "tiny penalty", tiny.Beta[j], free.Beta[j], 1e-6)
	}
}

func TestRCSMatchesRMS(t *testing.T) {
	g := loadGolden(t).RCS
	fr, _ := datasets.ReadFrameColumns("testdata/birthwt.csv", "lwt")
	lwt, _ := fr.Strings("lwt")
	p, err := features.Fit([]features.Spec{{Name: "lwt", Kind: features.Numeric, Knots: 4}}, [][]string{lwt})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range g.Knots {
		near(t, "knot", p.Columns[0].KnotValues[k], want, 1e-12)
	}
	for i, want := range g.First {
		row, err := p.Transform([]string{lwt[i]}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for j := range want {
			near(t, "rcs term", row[1+j], want[j], 1e-10)
		}
	}
	if got := p.Names(); strings.Join(got, ",") != "lwt,lwt',lwt''" {
		t.Errorf("spline names %v", got)
	}
}

func TestCoxRiskMatchesSurvfit(t *testing.T) {
	g := loadGolden(t).Cox
	fr, _ := datasets.ReadFrameColumns("testdata/colon.csv", "time", "status", "age", "nodes")
	tm, _ := fr.Floats("time", false)
	st, _ := fr.Floats("status", false)
	age, _ := fr.Floats("age", false)
	nodes, _ := fr.Floats("nodes", false)
	ev := make([]bool, len(st))
	x := make([]float64, 0, 2*len(st))
	for i := range st {
		ev[i] = st[i] == 1
		x = append(x, age[i], nodes[i])
	}
	m, err := FitCoxRisk(tm, ev, x, []string{"age", "nodes"}, 1826)
	if err != nil {
		t.Fatal(err)
	}
	for j := range g.Coef {
		near(t, "cox coef", m.Beta[j], g.Coef[j], 1e-6)
	}
	for k := range g.Risk1826 {
		near(t, "5-year risk", m.Risk([]float64{g.Newdata[k].Age, g.Newdata[k].Nodes}), g.Risk1826[k], 1e-6)
	}
}

func sampleFile(t *testing.T) *File {
	p, x, y := birthwt(t)
	m, err := FitLogistic(x, y, p.Names(), 0, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	return &File{Kind: "logistic", Target: "low", Features: *p, Logistic: m, Hyper: map[string]string{"l2": "0"}, Seed: 1, DataPrint: "abc", TrainRows: len(y)}
}

// TestSaveLoadPredict: save → load → predict gives identical bytes.
func TestSaveLoadPredict(t *testing.T) {
	dir := t.TempDir()
	f := sampleFile(t)
	a, b := filepath.Join(dir, "a.model"), filepath.Join(dir, "b.model")
	if err := Save(a, f); err != nil {
		t.Fatal(err)
	}
	g, err := Load(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(b, g); err != nil {
		t.Fatal(err)
	}
	ra, _ := os.ReadFile(a)
	rb, _ := os.ReadFile(b)
	if !bytes.Equal(ra, rb) {
		t.Error("save → load → save changed the bytes")
	}
	row := []string{"25", "130", "white", "1"}
	p1, _, err1 := f.Predict(row, nil)
	p2, _, err2 := g.Predict(row, nil)
	if err1 != nil || err2 != nil || p1 != p2 {
		t.Errorf("predictions %v (%v) and %v (%v) differ", p1, err1, p2, err2)
	}
}

// A penalised fit reports no standard errors (NaN): its model file holds
// them as null and loads back to the same predictions; a value the model
// cannot use is refused at its file:line:column.
func TestPenalisedSaveAndBadValue(t *testing.T) {
	p, x, y := birthwt(t)
	m, err := FitLogistic(x, y, p.Names(), 2, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(m.Coefficients[1].SE) {
		t.Fatalf("penalised SE %v, want NaN", m.Coefficients[1].SE)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "l2.model")
	f := &File{Kind: "logistic", Target: "low", Features: *p, Logistic: m, Hyper: map[string]string{"l2": "2"}, Seed: 1, DataPrint: "abc", TrainRows: len(y)}
	if err := Save(path, f); err != nil {
		t.Fatalf("saving a penalised model: %v", err)
	}
	g, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(g.Logistic.Coefficients[1].SE) || g.Logistic.Coefficients[1].Coef != m.Coefficients[1].Coef {
		t.Errorf("loaded coefficient %+v, saved %+v", g.Logistic.Coefficients[1], m.Coefficients[1])
	}
	data := filepath.Join(dir, "new.csv")
	os.WriteFile(data, []byte("id,"+strings.Join(f.ColumnNames(), ",")+"\n1,25,130,white,1\n2,31,abc,white,0\n"), 0o644)
	_, err = PredictFile(g, data, filepath.Join(dir, "out.csv"), nil)
	var re *datasets.RowError
	if !errors.As(err, &re) || re.Line != 3 || re.Column != 3 || !errors.Is(err, ErrSchema) {
		t.Errorf("a bad value: %v, want new.csv:3:3", err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.model")
	if err := Save(path, sampleFile(t)); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	cases := []struct {
		name string
		raw  []byte
		want error
	}{
		{"not a model", []byte("hello\nworld\n"), ErrNotModel},
		{"truncated", good[:len(good)/2], ErrTruncated},
		{"corrupted", bytes.Replace(good, []byte(`"seed": 1`), []byte(`"seed": 2`), 1), ErrChecksum},
		{"newer format", bytes.Replace(good, []byte("screenlab-model 1\n"), []byte("screenlab-model 9\n"), 1), ErrNewerFormat},
	}
	for _, c := range cases {
		if _, err := Parse(c.raw); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	// Data whose columns do not match the schema.
	f := sampleFile(t)
	if _, _, err := f.Predict([]string{"25", "130", "martian", "1"}, nil); !errors.Is(err, ErrSchema) {
		t.Errorf("unknown level: %v", err)
	}
	if _, _, err := f.Predict([]string{"25", "heavy", "white", "1"}, nil); !errors.Is(err, ErrSchema) {
		t.Errorf("text in a numeric column: %v", err)
	}
}

// TestRecalibrate: logistic recalibration on the training data leaves the
// model unchanged (intercept 0, slope 1); an intercept update fixes a
// shifted model.
func TestRecalibrate(t *testing.T) {
	p, x, y := birthwt(t)
	m, _ := FitLogistic(x, y, p.Names(), 0, 0.95)
	before := append([]float64(nil), m.Beta...)
	b0 := m.Intercept
	if err := m.Recalibrate(x, y, "logistic"); err != nil {
		t.Fatal(err)
	}
	near(t, "intercept after self-recalibration", m.Intercept, b0, 1e-8)
	for j := range before {
		near(t, "coefficient after self-recalibration", m.Beta[j], before[j], 1e-8)
	}
	m.Intercept += 1.5 // miscalibrated
	if err := m.Recalibrate(x, y, "intercept"); err != nil {
		t.Fatal(err)
	}
	near(t, "intercept update", m.Intercept, b0, 1e-8)
}

// The attack: a Cox model file whose horizon is edited (and its trailer
// recomputed, as a careful editor would) is refused on load, because the
// hashed parameters hold the horizon its risks are by.
func TestEditedHorizonRefused(t *testing.T) {
	time := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	event := []bool{true, false, true, true, false, true, false, true, true, false, true, false}
	x := []float64{0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1}
	cox, err := FitCoxRisk(time, event, x, []string{"x"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cox.model")
	if err := Save(path, &File{Kind: "cox", Target: "dead", Time: "years", Horizon: 5, Cox: cox, Hyper: map[string]string{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Fatalf("the saved model: %v", err)
	}
	raw, _ := os.ReadFile(path)
	edited := bytes.Replace(raw, []byte(`"horizon": 5,`), []byte(`"horizon": 10,`), 1)
	if bytes.Equal(edited, raw) {
		t.Fatal("no horizon field to edit")
	}
	trailer := bytes.LastIndex(edited, []byte("\nsha256 "))
	sum := sha256.Sum256(edited[:trailer+1])
	edited = append(edited[:trailer+1], []byte("sha256 "+hex.EncodeToString(sum[:])+"\n")...)
	if _, err := Parse(edited); !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), "horizon") {
		t.Errorf("edited horizon: %v", err)
	}
}

// The attack: a covariate that separates the outcome. The fit says so
// (instead of saving coefficients of ±Inf); with a penalty it fits.
func TestSeparatedLogisticSaysSo(t *testing.T) {
	x := []float64{-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2}
	y := []bool{false, false, false, false, true, true, true, true}
	if _, err := FitLogistic(x, y, []string{"x"}, 0, 0.95); err == nil || !strings.Contains(err.Error(), "separate") {
		t.Errorf("separated: %v", err)
	}
	m, err := FitLogistic(x, y, []string{"x"}, 1, 0.95)
	if err != nil || math.IsInf(m.Beta[0], 0) || m.Beta[0] <= 0 {
		t.Errorf("with a penalty: %v, %+v", err, m)
	}
}
