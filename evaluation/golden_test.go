package evaluation

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/internal/radix"
)

// testdata/golden.json is written by testdata/make_golden.R (R 4.2.2,
// pROC 1.18.0, survival 3.5-3, riskRegression 2022.11.28).
type evalGolden struct {
	Asah struct {
		AUC, Lower, Upper, AUCNdka, Z, P, PAUC float64
		RocSens                                []float64 `json:"roc_sens"`
		RocSpec                                []float64 `json:"roc_spec"`
		Youden                                 float64
	}
	Censored horizonGolden
	Lung     horizonGolden
}

// horizonGolden are R's time-to-event metrics at a horizon.
type horizonGolden struct {
	HarrellC       float64 `json:"harrell_c"`
	UnoC           float64 `json:"uno_c"`
	HarrellSE      float64 `json:"harrell_se"`
	UnoSE          float64 `json:"uno_se"`
	AUCSE          float64 `json:"auc_se"`
	AUCLower       float64 `json:"auc_lower"`
	AUCUpper       float64 `json:"auc_upper"`
	AUC, Brier     float64
	CensoredBefore int `json:"censored_before"`
}

func loadEvalGolden(t *testing.T) evalGolden {
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	raw = []byte(strings.ReplaceAll(string(raw), `"auc_ndka"`, `"aucndka"`))
	var g evalGolden
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func columns(t *testing.T, file string, cols ...string) [][]float64 {
	fr, err := datasets.ReadFrameColumns("testdata/"+file, cols...)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]float64
	for _, c := range cols {
		v, err := fr.Floats(c, false)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func toBool(x []float64) []bool {
	out := make([]bool, len(x))
	for i, v := range x {
		out[i] = v == 1
	}
	return out
}

func eq(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
		t.Errorf("%s = %.12g, R %.12g", what, got, want)
	}
}

// TestAUCGolden: tied scores, the paired test, the ROC curve and partial
// AUC against pROC.
func TestAUCGolden(t *testing.T) {
	g := loadEvalGolden(t).Asah
	c := columns(t, "asah.csv", "outcome", "s100b", "ndka")
	y := toBool(c[0])
	a, err := AUCDeLong(c[1], y, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "auc", a.Estimate, g.AUC, 1e-12)
	eq(t, "lower", a.Lower, g.Lower, 1e-10)
	eq(t, "upper", a.Upper, g.Upper, 1e-10)
	cmp, err := CompareAUC(c[1], c[2], y)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "auc ndka", cmp.AUC2, g.AUCNdka, 1e-12)
	eq(t, "z", cmp.Z, g.Z, 1e-10)
	eq(t, "p", cmp.P, g.P, 1e-10)
	roc := ROC(c[1], y)
	if len(roc) != len(g.RocSens) {
		t.Fatalf("%d ROC points, pROC %d", len(roc), len(g.RocSens))
	}
	for k := range roc {
		eq(t, "roc sensitivity", roc[k].Sensitivity, g.RocSens[k], 1e-12)
		eq(t, "roc specificity", roc[k].Specificity, g.RocSpec[k], 1e-12)
	}
	eq(t, "partial auc 0.8-1", PartialAUC(roc, 0.8, 1), g.PAUC, 1e-12)
	// Youden: the same classification as pROC's threshold (a midpoint).
	ty, err := ChooseThreshold(c[1], y, "youden")
	if err != nil {
		t.Fatal(err)
	}
	mine := AtThreshold(c[1], y, ty, "youden", 0.95, Wilson)
	theirs := AtThreshold(c[1], y, math.Nextafter(g.Youden, math.Inf(1)), "pROC", 0.95, Wilson)
	if mine.TP != theirs.TP || mine.FP != theirs.FP {
		t.Errorf("youden threshold %v gives TP %d FP %d; pROC's %v gives %d %d", ty, mine.TP, mine.FP, g.Youden, theirs.TP, theirs.FP)
	}
}

// TestHorizonGolden: heavy censoring before the horizon, against survival
// and riskRegression.
func TestHorizonGolden(t *testing.T) {
	g := loadEvalGolden(t).Censored
	c := columns(t, "censored.csv", "time", "status", "risk")
	m, err := EvaluateAtHorizon(c[0], toBool(c[1]), c[2], 365)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "harrell c", m.HarrellC, g.HarrellC, 1e-10)
	eq(t, "uno c", m.UnoC, g.UnoC, 1e-10)
	eq(t, "harrell c se (infinitesimal jackknife)", m.HarrellCSE, g.HarrellSE, 1e-10)
	eq(t, "uno c se", m.UnoCSE, g.UnoSE, 1e-10)
	if !(m.HarrellCLower < m.HarrellC && m.HarrellC < m.HarrellCUpper && m.UnoCLower < m.UnoC && m.UnoC < m.UnoCUpper) {
		t.Errorf("intervals do not hold the estimates: %+v", m)
	}
	eq(t, "auc", m.AUC, g.AUC, 1e-10)
	eq(t, "auc se (influence function, KM censoring)", m.AUCSE, g.AUCSE, 1e-10)
	eq(t, "auc lower", m.AUCLower, g.AUCLower, 1e-10)
	eq(t, "auc upper", m.AUCUpper, g.AUCUpper, 1e-10)
	eq(t, "brier", m.Brier, g.Brier, 1e-10)
	if m.CensoredBeforeHorizon != g.CensoredBefore {
		t.Errorf("%d censored before the horizon, R %d", m.CensoredBeforeHorizon, g.CensoredBefore)
	}
}

// TestHorizonGoldenLung: survival::lung's risk at 365 days, ties in time
// and risk, against survival and riskRegression.
func TestHorizonGoldenLung(t *testing.T) {
	g := loadEvalGolden(t).Lung
	c := columns(t, "lung_risk.csv", "time", "status", "risk365")
	m, err := EvaluateAtHorizon(c[0], toBool(c[1]), c[2], 365)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		name      string
		got, want float64
	}{{"harrell c", m.HarrellC, g.HarrellC}, {"harrell se", m.HarrellCSE, g.HarrellSE}, {"uno c", m.UnoC, g.UnoC}, {"uno se", m.UnoCSE, g.UnoSE},
		{"auc", m.AUC, g.AUC}, {"auc se", m.AUCSE, g.AUCSE}, {"auc lower", m.AUCLower, g.AUCLower}, {"auc upper", m.AUCUpper, g.AUCUpper}} {
		eq(t, x.name, x.got, x.want, 1e-10)
	}
}

func TestEvaluationBadInput(t *testing.T) {
	if _, err := AUCDeLong([]float64{0.1, 0.2}, []bool{true, true}, 0.95); err != ErrOneClass {
		t.Errorf("one class: %v", err)
	}
	if _, err := AUCDeLong([]float64{0.1, math.NaN()}, []bool{true, false}, 0.95); err == nil || !strings.Contains(err.Error(), "row 1") {
		t.Errorf("NaN score: %v", err)
	}
	if _, err := Calibrate([]float64{0.1, 1.2, 0.5}, []bool{true, false, true}, 0.95); err == nil || err.Error() != "score at row 1 is 1.2: calibration needs predicted probabilities in [0, 1]" {
		t.Errorf("score outside [0, 1]: %v", err)
	}
	if _, err := ChooseThreshold([]float64{0.1, 0.2}, []bool{true, false}, "median"); err == nil {
		t.Error("unknown rule accepted")
	}
}

// TestDecisionCurveAndAP: net benefit of a perfect score equals the
// prevalence at any threshold; average precision of a perfect score is 1.
func TestDecisionCurveAndAP(t *testing.T) {
	risk := []float64{0.9, 0.8, 0.2, 0.1, 0.05}
	y := []bool{true, true, false, false, false}
	for _, nb := range DecisionCurve(risk, y, []float64{0.3, 0.5}) {
		if math.Abs(nb.Model-0.4) > 1e-12 || nb.TreatNone != 0 {
			t.Errorf("perfect model net benefit %+v", nb)
		}
	}
	if ap := AveragePrecision(ROC(risk, y)); math.Abs(ap-1) > 1e-12 {
		t.Errorf("average precision %v, want 1", ap)
	}
}

// Case weights: the weighted AUC and Harrell's C with their
// infinitesimal-jackknife standard errors, as survival::concordance(weights =).
func TestWeightedGolden(t *testing.T) {
	var g struct {
		Weighted struct {
			AsahAUC  float64 `json:"asah_auc"`
			AsahSE   float64 `json:"asah_se"`
			HarrellC float64 `json:"censored_harrell_c"`
			HarrellS float64 `json:"censored_harrell_se"`
		}
	}
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	a := columns(t, "asah.csv", "outcome", "s100b", "wfns")
	w := make([]float64, len(a[2]))
	for i, v := range a[2] {
		w[i] = 1 + v/2
	}
	r, err := Evaluate(Data{Score: a[1], Outcome: toBool(a[0]), Weights: w}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "weighted auc", r.AUC.Estimate, g.Weighted.AsahAUC, 1e-10)
	eq(t, "weighted auc se", r.AUC.SE, g.Weighted.AsahSE, 1e-10)
	if !(r.AUC.Lower < r.AUC.Estimate && r.AUC.Estimate < r.AUC.Upper) || len(r.Notes) == 0 {
		t.Errorf("interval %+v, notes %v", r.AUC, r.Notes)
	}
	// Unit weights give the unweighted AUC.
	ones := make([]float64, len(w))
	for i := range ones {
		ones[i] = 1
	}
	u, _ := Evaluate(Data{Score: a[1], Outcome: toBool(a[0]), Weights: ones}, Options{})
	plain, _ := Evaluate(Data{Score: a[1], Outcome: toBool(a[0])}, Options{})
	eq(t, "unit weights", u.AUC.Estimate, plain.AUC.Estimate, 1e-12)

	c := columns(t, "censored.csv", "time", "status", "risk")
	ws := make([]float64, len(c[2]))
	for i, v := range c[2] {
		ws[i] = 0.5 + v
	}
	m, err := Evaluate(Data{Score: c[2], Outcome: toBool(c[1]), Time: c[0], Weights: ws}, Options{Horizon: 365})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "weighted harrell c", m.Time.HarrellC, g.Weighted.HarrellC, 1e-10)
	eq(t, "weighted harrell se", m.Time.HarrellCSE, g.Weighted.HarrellS, 1e-10)
	if _, err := Evaluate(Data{Score: a[1], Outcome: toBool(a[0]), Weights: w}, Options{Bootstrap: 10}); !errors.Is(err, ErrWeighted) {
		t.Errorf("bootstrap with weights: %v", err)
	}
}

// The decision curve from sorted risks (what Evaluate uses) is
// DecisionCurve's, number for number, ties and thresholds on a risk
// included.
func TestDecisionCurveSortedIsDecisionCurve(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	risk, y := make([]float64, 2000), make([]bool, 2000)
	for i := range risk {
		risk[i] = math.Round(r.Float64()*200) / 1000 // ties
		y[i] = r.Float64() < risk[i]
	}
	th := append(DecisionThresholds(risk), 0.05, 0.1, 0.2)
	order := radix.SortedIndex(risk)
	sorted, ys := make([]float64, len(risk)), make([]bool, len(risk))
	for k, i := range order {
		sorted[k], ys[k] = risk[i], y[i]
	}
	if got, want := decisionCurveSorted(sorted, ys, th), DecisionCurve(risk, y, th); !reflect.DeepEqual(got, want) {
		t.Errorf("sorted %v\nwant %v", got[:3], want[:3])
	}
}
