package screening

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestCaseMixAgainstR compares with testdata/casemix_R.csv, computed by
// testdata/casemix.R (glm, fitted probabilities summed, poisson.test).
func TestCaseMixAgainstR(t *testing.T) {
	fr, err := datasets.ReadFrame(filepath.Join("testdata", "casemix.csv"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := CaseMix(fr, "hospital", "died", []string{"age", "stage"}, CaseMixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := datasets.ReadFrame(filepath.Join("testdata", "casemix_R.csv"))
	if err != nil {
		t.Fatal(err)
	}
	cols := map[string][]float64{}
	for _, c := range []string{"cases", "observed", "expected", "oe", "oe_lower", "oe_upper", "adjusted_rate"} {
		if cols[c], err = ref.Floats(c, false); err != nil {
			t.Fatal(err)
		}
	}
	if len(res.Rows) != ref.Len() {
		t.Fatalf("%d units, R %d", len(res.Rows), ref.Len())
	}
	for i, r := range res.Rows {
		for name, got := range map[string]float64{"cases": r.Cases, "observed": r.Observed, "expected": r.Expected, "oe": r.OE,
			"oe_lower": r.OELower, "oe_upper": r.OEUpper, "adjusted_rate": r.Adjusted} {
			if want := cols[name][i]; math.Abs(got-want) > 1e-7*math.Max(1, math.Abs(want)) {
				t.Errorf("%s %s = %.12g, R %.12g", r.Unit, name, got, want)
			}
		}
	}
	sumO, sumE := 0.0, 0.0
	for _, r := range res.Rows {
		sumO, sumE = sumO+r.Observed, sumE+r.Expected
	}
	if math.Abs(sumO-sumE) > 1e-6 {
		t.Errorf("expected counts add to %g, observed to %g (a logistic fit with an intercept matches them)", sumE, sumO)
	}
}

// TestCaseMixByHand: without covariates every case's expected risk is the
// national rate, so E = cases × rate: A 5 of 10, B 4 of 20, rate 9/30;
// E_A = 3, O/E = 5/3; E_B = 6, O/E = 2/3.
func TestCaseMixByHand(t *testing.T) {
	var rows [][]string
	for i := 0; i < 10; i++ {
		rows = append(rows, []string{"A", b01(i < 5)})
	}
	for i := 0; i < 20; i++ {
		rows = append(rows, []string{"B", b01(i < 4)})
	}
	fr, _ := datasets.FrameOf("cases.csv", []string{"unit", "y"}, rows)
	res, err := CaseMix(fr, "unit", "y", nil, CaseMixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := res.Rows[0], res.Rows[1]
	if math.Abs(a.Expected-3) > 1e-9 || math.Abs(a.OE-5.0/3) > 1e-9 || math.Abs(b.Expected-6) > 1e-9 || math.Abs(b.OE-2.0/3) > 1e-9 || res.NationalRate != 0.3 {
		t.Errorf("A %+v, B %+v, rate %g", a, b, res.NationalRate)
	}
	if math.Abs(a.Adjusted-0.5) > 1e-9 {
		t.Errorf("adjusted rate of A %g, want 5/3 × 0.3 = 0.5", a.Adjusted)
	}
	sup, err := CaseMix(fr, "unit", "y", nil, CaseMixOptions{Suppress: 5})
	if err != nil {
		t.Fatal(err)
	}
	if !sup.Rows[1].Suppressed || !sup.Rows[0].Suppressed { // B has 4 events: hidden, and A with it
		t.Errorf("suppression: %+v", sup.Rows)
	}
}
