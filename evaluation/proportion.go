package evaluation

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// CIMethod names a confidence interval for a binomial proportion.
type CIMethod string

const (
	// Wilson is the score interval of Wilson (1927), recommended by Brown,
	// Cai & DasGupta (2001) for its coverage near 0 and 1.
	Wilson CIMethod = "wilson"
	// Exact is the Clopper–Pearson (1934) interval from beta quantiles; it
	// never under-covers and is conservative.
	Exact CIMethod = "exact"
)

// ParseCIMethod checks a method name.
func ParseCIMethod(s string) (CIMethod, error) {
	switch m := CIMethod(s); m {
	case Wilson, Exact:
		return m, nil
	}
	return "", fmt.Errorf("confidence interval method %q: want wilson or exact", s)
}

// ProportionCI returns a two-sided interval at level (e.g. 0.95) for the
// proportion x/n. With n = 0 both limits are NaN.
//
// Wilson:
//
//	(p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n),  z = Φ⁻¹(1 - α/2)
//
// Exact (Clopper–Pearson):
//
//	lower = Beta⁻¹(α/2; x, n-x+1),  upper = Beta⁻¹(1-α/2; x+1, n-x)
//
// with lower = 0 when x = 0 and upper = 1 when x = n.
func ProportionCI(x, n int, level float64, method CIMethod) (lower, upper float64) {
	if n <= 0 || x < 0 || x > n {
		return math.NaN(), math.NaN()
	}
	alpha := 1 - level
	switch method {
	case Exact:
		lower, upper = 0, 1
		if x > 0 {
			lower = distuv.Beta{Alpha: float64(x), Beta: float64(n - x + 1)}.Quantile(alpha / 2)
		}
		if x < n {
			upper = distuv.Beta{Alpha: float64(x + 1), Beta: float64(n - x)}.Quantile(1 - alpha/2)
		}
		return lower, upper
	default:
		z := distuv.UnitNormal.Quantile(1 - alpha/2)
		nf := float64(n)
		p := float64(x) / nf
		z2 := z * z
		centre := (p + z2/(2*nf)) / (1 + z2/nf)
		half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / (1 + z2/nf)
		lower, upper = math.Max(0, centre-half), math.Min(1, centre+half)
		if x == 0 {
			lower = 0
		}
		if x == n {
			upper = 1
		}
		return lower, upper
	}
}
