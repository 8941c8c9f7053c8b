package evaluation

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// Reference values from R 4.2, rms 6.5-0 (testdata/make_valprob.R):
// val.prob's Intercept, Slope, Eavg, E90, Emax and Brier on 1,500
// miscalibrated predictions, lowess(p, y, iter = 0) (val.prob's smoother),
// and lowess(x, y, f = 0.3, iter = 3) with outliers (robustness weights).
func TestCalibrateAndLowessAgainstValProb(t *testing.T) {
	var ref struct {
		P                                       []float64 `json:"p"`
		Y                                       []int     `json:"y"`
		Intercept, Slope, ICI, E90, Emax, Brier float64
		LowessX                                 []float64 `json:"lowess_x"`
		LowessY                                 []float64 `json:"lowess_y"`
		RobustInXs                              []float64 `json:"robust_in_x"`
		RobustInYs                              []float64 `json:"robust_in_y"`
		RobustXs                                []float64 `json:"robust_x"`
		RobustYs                                []float64 `json:"robust_y"`
	}
	raw, err := os.ReadFile("testdata/valprob.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	y := make([]bool, len(ref.Y))
	yf := make([]float64, len(ref.Y))
	for i, v := range ref.Y {
		y[i], yf[i] = v == 1, float64(v)
	}
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.12g, R %.12g", what, got, want)
		}
	}
	c, err := Calibrate(ref.P, y, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near("intercept", c.Intercept, ref.Intercept, 1e-7)
	near("slope", c.Slope, ref.Slope, 1e-7)
	near("ICI (Eavg)", c.ICI, ref.ICI, 1e-9)
	near("E90", c.E90, ref.E90, 1e-9)
	near("Emax", c.Emax, ref.Emax, 1e-9)
	brier, _ := Brier(ref.P, y)
	near("Brier", brier, ref.Brier, 1e-12)

	xs, ys := Lowess(ref.P, yf, 2.0/3, 0)
	if len(xs) != len(ref.LowessX) {
		t.Fatalf("lowess: %d points, R %d", len(xs), len(ref.LowessX))
	}
	for i := range xs {
		near("lowess x", xs[i], ref.LowessX[i], 0)
		near("lowess y", ys[i], ref.LowessY[i], 1e-10)
	}
	xs, ys = Lowess(ref.RobustInXs, ref.RobustInYs, 0.3, 3)
	for i := range xs {
		near("robust lowess x", xs[i], ref.RobustXs[i], 0)
		near("robust lowess y", ys[i], ref.RobustYs[i], 1e-9)
	}
}

// A score that is not a risk (a linear predictor) at a horizon: its
// concordance and AUC stand; the Brier score and calibration are skipped
// with a note, as the binary path does.
func TestHorizonScoresOutsideUnitInterval(t *testing.T) {
	time := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	event := []bool{true, false, true, true, false, true, false, false}
	lp := []float64{2.1, -0.3, 1.5, 0.9, -1.2, 0.4, -0.8, -2}
	m, err := EvaluateAtHorizon(time, event, lp, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(m.Brier) || !math.IsNaN(m.OE) || m.Groups != nil || len(m.Notes) != 1 || math.IsNaN(m.HarrellC) || math.IsNaN(m.AUC) {
		t.Errorf("%+v", m)
	}
	risk := make([]float64, len(lp))
	for i, v := range lp {
		risk[i] = 1 / (1 + math.Exp(-v))
	}
	r, _ := EvaluateAtHorizon(time, event, risk, 5)
	if math.IsNaN(r.Brier) || len(r.Notes) != 0 || r.AUC != m.AUC || r.HarrellC != m.HarrellC {
		t.Errorf("risks: %+v, the ranking must not change with a monotone map", r)
	}
}

// A subgroup without positives has no average precision (null in JSON,
// as scikit-learn warns it is ill-defined), not 0.
func TestAveragePrecisionUndefined(t *testing.T) {
	res, err := EvaluateByGroup(Data{Score: []float64{0.1, 0.2, 0.3, 0.4, 0.9, 0.5}, Outcome: []bool{false, false, true, false, true, false}},
		[]string{"g"}, [][]string{{"a", "a", "b", "b", "b", "a"}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(res.By[0].AvgPrecision) || !math.IsNaN(res.By[0].Brier) || math.IsNaN(res.By[1].AvgPrecision) || math.IsNaN(res.AvgPrecision) {
		t.Errorf("group a (no positives) %v, group b %v, all %v", res.By[0].AvgPrecision, res.By[1].AvgPrecision, res.AvgPrecision)
	}
	if !math.IsNaN(AveragePrecision(ROC([]float64{0.2, 0.4}, []bool{false, false}))) {
		t.Error("AveragePrecision without positives")
	}
}
