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
