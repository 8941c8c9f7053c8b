package evaluation

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// TestProportionCIAgainstR compares with testdata/proportion_ci.json, made
// by testdata/make_proportion_ci.R (R 4.2.2): prop.test(correct = FALSE) for
// Wilson, binom.test for Clopper–Pearson. R prints 15 significant digits;
// gonum's beta quantile agrees with R's qbeta to about 1e-12, hence 1e-9.
func TestProportionCIAgainstR(t *testing.T) {
	raw, err := os.ReadFile("testdata/proportion_ci.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []struct {
			X, N   int
			Level  float64
			Wilson [2]float64
			Exact  [2]float64
		}
	}
	if err := json.Unmarshal(raw, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden.Cases) == 0 {
		t.Fatal("no golden cases")
	}
	for _, c := range golden.Cases {
		for _, m := range []struct {
			method CIMethod
			want   [2]float64
		}{{Wilson, c.Wilson}, {Exact, c.Exact}} {
			lo, hi := ProportionCI(c.X, c.N, c.Level, m.method)
			if !scalar.EqualWithinAbsOrRel(lo, m.want[0], 1e-9, 1e-9) || !scalar.EqualWithinAbsOrRel(hi, m.want[1], 1e-9, 1e-9) {
				t.Errorf("%s %d/%d at %g: (%.15g, %.15g), R (%.15g, %.15g)", m.method, c.X, c.N, c.Level, lo, hi, m.want[0], m.want[1])
			}
			p := float64(c.X) / float64(c.N)
			if lo > p || hi < p {
				t.Errorf("%s %d/%d: interval (%g, %g) does not contain %g", m.method, c.X, c.N, lo, hi, p)
			}
		}
	}
}

func TestProportionCIEmpty(t *testing.T) {
	lo, hi := ProportionCI(0, 0, 0.95, Wilson)
	if !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("0/0 gave (%g, %g), want NaN", lo, hi)
	}
}
