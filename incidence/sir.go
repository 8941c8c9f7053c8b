package incidence

import (
	"errors"
	"fmt"
	"math"

	"github.com/screenlab/screenlab/internal/glm"
	"gonum.org/v1/gonum/stat/distuv"
)

// SIR is an indirectly standardised ratio (standardised incidence or
// mortality ratio).
type SIR struct {
	Observed float64 `json:"observed"`
	Expected float64 `json:"expected"`
	SIR      float64 `json:"sir"`
	Lower    float64 `json:"sir_lower"`
	Upper    float64 `json:"sir_upper"`
	P        float64 `json:"p"`
}

// IndirectRate returns O/E with the exact Poisson interval (Ulm 1990)
//
//	lower = χ²(α/2; 2O) / 2E,  upper = χ²(1−α/2; 2(O+1)) / 2E
//
// and the two-sided exact Poisson p-value of O given E. expected is
// Σ person-years × reference rate over the age groups.
func IndirectRate(observed, expected, level float64) (SIR, error) {
	if expected <= 0 || math.IsNaN(expected) {
		return SIR{}, errors.New("sir: expected count is not positive")
	}
	if observed < 0 || observed != math.Trunc(observed) {
		return SIR{}, fmt.Errorf("sir: observed %v: want a whole count", observed)
	}
	if level == 0 {
		level = 0.95
	}
	alpha := 1 - level
	s := SIR{Observed: observed, Expected: expected, SIR: observed / expected}
	if observed > 0 {
		s.Lower = distuv.ChiSquared{K: 2 * observed}.Quantile(alpha/2) / (2 * expected)
	}
	s.Upper = distuv.ChiSquared{K: 2 * (observed + 1)}.Quantile(1-alpha/2) / (2 * expected)
	s.P = poissonTwoSided(observed, expected)
	return s, nil
}

// poissonTwoSided is the exact two-sided p-value of R's poisson.test: the
// probability of every count no more likely than the one observed.
func poissonTwoSided(x, m float64) float64 {
	pois := distuv.Poisson{Lambda: m}
	const relErr = 1 + 1e-7
	d := pois.Prob(x)
	upper := func(k float64) float64 { // P(X > k)
		if k < 0 {
			return 1
		}
		return pois.Survival(k)
	}
	switch {
	case x == m:
		return 1
	case x < m:
		n := math.Ceil(2*m - x)
		for pois.Prob(n) > d {
			n *= 2
		}
		y := 0.0
		for i := math.Ceil(m); i <= n; i++ {
			if pois.Prob(i) <= d*relErr {
				y++
			}
		}
		return math.Min(1, pois.CDF(x)+upper(n-y))
	default:
		y := 0.0
		for i := 0.0; i <= math.Floor(m); i++ {
			if pois.Prob(i) <= d*relErr {
				y++
			}
		}
		lo := 0.0
		if y-1 >= 0 {
			lo = pois.CDF(y - 1)
		}
		return math.Min(1, lo+upper(x-1))
	}
}

// Trend is the annual percent change of a rate.
type Trend struct {
	APC      float64 `json:"apc"`
	APCLower float64 `json:"apc_lower"`
	APCUpper float64 `json:"apc_upper"`
	P        float64 `json:"p"`
	Beta     float64 `json:"beta"`
	SE       float64 `json:"se"`
	Deviance float64 `json:"deviance"`
	DF       int     `json:"df"`
	// Warnings say what the estimate cannot be trusted for (a fit that did
	// not converge).
	Warnings []string `json:"warnings,omitempty"`
}

// PoissonTrend fits the age-adjusted log-linear model
//
//	log E[c_{ya}] = log n_{ya} + α_a + β·year
//
// by iteratively reweighted least squares (internal/glm) and returns the annual percent
// change APC = 100·(e^β − 1) with the Wald interval of β (as a Joinpoint
// model without joinpoints, or glm(cases ~ factor(age) + year +
// offset(log(py)), family = poisson) in R). age holds group codes 0..k−1
// (all 0 for a crude trend); cells without person-years are skipped.
func PoissonTrend(cases, py, year []float64, age []int, level float64) (*Trend, error) {
	n := len(cases)
	if len(py) != n || len(year) != n || len(age) != n {
		panic("incidence: slice length mismatch")
	}
	if level == 0 {
		level = 0.95
	}
	k := 0
	for _, a := range age {
		k = max(k, a+1)
	}
	var rows []int
	for i := 0; i < n; i++ {
		if py[i] > 0 {
			rows = append(rows, i)
		}
	}
	p := k + 1
	if len(rows) <= p {
		return nil, fmt.Errorf("trend: %d cells for %d parameters", len(rows), p)
	}
	// Centre the year for stability.
	ym := 0.0
	for _, i := range rows {
		ym += year[i]
	}
	ym /= float64(len(rows))
	x := make([]float64, len(rows)*p)
	y := make([]float64, len(rows))
	off := make([]float64, len(rows))
	tc := 0.0
	for r, i := range rows {
		x[r*p+age[i]] = 1
		x[r*p+k] = year[i] - ym
		y[r], off[r] = cases[i], math.Log(py[i])
		tc += cases[i]
	}
	if tc == 0 {
		return nil, errors.New("trend: no cases")
	}
	fit, err := glm.Fit(glm.Poisson, x, p, y, glm.Options{Offset: off})
	if err != nil {
		return nil, fmt.Errorf("trend: %w (an age group without cases?)", err)
	}
	tr := &Trend{Beta: fit.Coef[k], Deviance: fit.Deviance, DF: len(rows) - p}
	var lo, hi float64
	tr.SE, _, tr.P, lo, hi = fit.Wald(k, level)
	tr.APC, tr.APCLower, tr.APCUpper = 100*(math.Exp(tr.Beta)-1), 100*(math.Exp(lo)-1), 100*(math.Exp(hi)-1)
	if !fit.Converged {
		tr.Warnings = append(tr.Warnings, fmt.Sprintf("the Poisson fit did not converge in %d iterations", fit.Iterations))
	}
	return tr, nil
}
