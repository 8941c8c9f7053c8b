package incidence

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
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
}

// PoissonTrend fits the age-adjusted log-linear model
//
//	log E[c_{ya}] = log n_{ya} + α_a + β·year
//
// by iteratively reweighted least squares and returns the annual percent
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
	x := mat.NewDense(len(rows), p, nil)
	for r, i := range rows {
		x.Set(r, age[i], 1)
		x.Set(r, k, year[i]-ym)
	}
	beta := make([]float64, p)
	// Start from the crude log rate in every age group.
	tc, tp := 0.0, 0.0
	for _, i := range rows {
		tc += cases[i]
		tp += py[i]
	}
	if tc == 0 {
		return nil, errors.New("trend: no cases")
	}
	for a := 0; a < k; a++ {
		beta[a] = math.Log(tc / tp)
	}
	var cov mat.SymDense
	dev := 0.0
	for iter := 0; iter < 50; iter++ {
		xtwx := mat.NewSymDense(p, nil)
		xtwz := mat.NewVecDense(p, nil)
		newDev := 0.0
		for r, i := range rows {
			eta := math.Log(py[i])
			for j := 0; j < p; j++ {
				eta += x.At(r, j) * beta[j]
			}
			mu := math.Exp(eta)
			// Working response z = eta - offset + (y - mu)/mu, weight mu.
			z := eta - math.Log(py[i]) + (cases[i]-mu)/mu
			for a := 0; a < p; a++ {
				xa := x.At(r, a)
				if xa == 0 {
					continue
				}
				xtwz.SetVec(a, xtwz.AtVec(a)+mu*xa*z)
				for b := 0; b <= a; b++ {
					if xb := x.At(r, b); xb != 0 {
						xtwx.SetSym(a, b, xtwx.At(a, b)+mu*xa*xb)
					}
				}
			}
			if cases[i] > 0 {
				newDev += 2 * (cases[i]*math.Log(cases[i]/mu) - (cases[i] - mu))
			} else {
				newDev += 2 * mu
			}
		}
		var chol mat.Cholesky
		if !chol.Factorize(xtwx) {
			return nil, errors.New("trend: singular information (an age group without cases?)")
		}
		var nb mat.VecDense
		if err := chol.SolveVecTo(&nb, xtwz); err != nil {
			return nil, err
		}
		copy(beta, nb.RawVector().Data)
		if err := chol.InverseTo(&cov); err != nil {
			return nil, err
		}
		if iter > 0 && math.Abs(newDev-dev) < 1e-10*(math.Abs(newDev)+0.1) {
			dev = newDev
			break
		}
		dev = newDev
	}
	b, se := beta[k], math.Sqrt(cov.At(k, k))
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	return &Trend{Beta: b, SE: se, APC: 100 * (math.Exp(b) - 1),
		APCLower: 100 * (math.Exp(b-z*se) - 1), APCUpper: 100 * (math.Exp(b+z*se) - 1),
		P: 2 * distuv.UnitNormal.Survival(math.Abs(b/se)), Deviance: dev, DF: len(rows) - p}, nil
}
