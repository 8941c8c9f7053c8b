package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/screenlab/screenlab/internal/glm"
)

// Coefficient is one term of a regression model.
type Coefficient struct {
	Name  string  `json:"name"`
	Coef  float64 `json:"coef"`
	SE    float64 `json:"se"`
	Z     float64 `json:"z"`
	P     float64 `json:"p"`
	Ratio float64 `json:"ratio"` // exp(coef): odds ratio (logistic) or hazard ratio (Cox)
	Lower float64 `json:"ratio_lower"`
	Upper float64 `json:"ratio_upper"`
}

// coefficientJSON is a Coefficient as JSON: a figure that is not a number
// (the standard error of a penalised fit) is null, which JSON can hold.
type coefficientJSON struct {
	Name  string   `json:"name"`
	Coef  *float64 `json:"coef"`
	SE    *float64 `json:"se"`
	Z     *float64 `json:"z"`
	P     *float64 `json:"p"`
	Ratio *float64 `json:"ratio"`
	Lower *float64 `json:"ratio_lower"`
	Upper *float64 `json:"ratio_upper"`
}

func finiteOrNull(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func nullOrNaN(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// MarshalJSON writes NaN and infinite figures as null.
func (c Coefficient) MarshalJSON() ([]byte, error) {
	return json.Marshal(coefficientJSON{c.Name, finiteOrNull(c.Coef), finiteOrNull(c.SE), finiteOrNull(c.Z), finiteOrNull(c.P),
		finiteOrNull(c.Ratio), finiteOrNull(c.Lower), finiteOrNull(c.Upper)})
}

// UnmarshalJSON reads null figures as NaN.
func (c *Coefficient) UnmarshalJSON(b []byte) error {
	var j coefficientJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = Coefficient{j.Name, nullOrNaN(j.Coef), nullOrNaN(j.SE), nullOrNaN(j.Z), nullOrNaN(j.P), nullOrNaN(j.Ratio), nullOrNaN(j.Lower), nullOrNaN(j.Upper)}
	return nil
}

// Logistic is a fitted logistic regression logit P(y) = b0 + b'x.
type Logistic struct {
	Intercept    float64       `json:"intercept"`
	Beta         []float64     `json:"beta"`
	L2           float64       `json:"l2"`
	Coefficients []Coefficient `json:"coefficients"`
	Iterations   int           `json:"iterations"`
	Deviance     float64       `json:"deviance"`
}

// FitLogistic fits logit P(y_i) = b0 + x_i'b by iteratively reweighted
// least squares (internal/glm, the one fitting loop), maximising
//
//	Σ_i [y_i η_i − log(1 + e^{η_i})] − (λ/2) Σ_j b_j²
//
// (the intercept is not penalised). Without a penalty the standard errors
// are those of R's glm (the inverse information), with Wald z, p and
// intervals for the odds ratios at level (0.95 when 0); with one they are
// not reported (NaN), as penalised estimates are biased. A fit that does
// not converge in 50 iterations, or that reaches fitted probabilities of 0
// or 1 without a penalty (separation), is an error. x is n × p row-major.
func FitLogistic(x []float64, y []bool, names []string, l2, level float64) (*Logistic, error) {
	p := len(names)
	n := len(y)
	if len(x) != n*p {
		panic("models: slice length mismatch")
	}
	var pos int
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos == 0 || pos == n {
		return nil, errors.New("logistic: the outcome has a single class")
	}
	q := p + 1
	design := make([]float64, n*q)
	yy := make([]float64, n)
	for i := 0; i < n; i++ {
		design[i*q] = 1
		copy(design[i*q+1:(i+1)*q], x[i*p:(i+1)*p])
		if y[i] {
			yy[i] = 1
		}
	}
	var pen []float64
	if l2 > 0 {
		pen = make([]float64, q)
		for j := 1; j < q; j++ {
			pen[j] = l2
		}
	}
	fit, err := glm.Fit(glm.Binomial, design, q, yy, glm.Options{L2: pen})
	if errors.Is(err, glm.ErrSingular) {
		return nil, errors.New("logistic: singular information matrix (collinear covariates, or a covariate that separates the classes)")
	}
	if err != nil {
		return nil, err
	}
	if !fit.Converged {
		return nil, fmt.Errorf("logistic: did not converge in %d iterations (separation?)", fit.Iterations)
	}
	if fit.Boundary && l2 == 0 {
		// R's "fitted probabilities numerically 0 or 1 occurred": the
		// estimates run to infinity and would be saved as ±Inf.
		return nil, errors.New("logistic: the covariates separate the outcome (fitted probabilities of 0 or 1): drop or merge the separating covariate, or fit with a penalty (--l2)")
	}
	beta := fit.Coef
	dev := fit.Deviance
	for j := 1; j < q; j++ {
		dev += l2 * beta[j] * beta[j]
	}
	m := &Logistic{Intercept: beta[0], Beta: beta[1:], L2: l2, Iterations: fit.Iterations, Deviance: dev}
	all := append([]string{"(Intercept)"}, names...)
	for j, name := range all {
		c := Coefficient{Name: name, Coef: beta[j], SE: math.NaN(), Z: math.NaN(), P: math.NaN(), Ratio: math.Exp(beta[j]), Lower: math.NaN(), Upper: math.NaN()}
		if j == 0 {
			// exp(intercept) is the baseline odds, not an odds ratio.
			c.Ratio = math.NaN()
		}
		if l2 == 0 {
			var lo, hi float64
			c.SE, c.Z, c.P, lo, hi = fit.Wald(j, level)
			if j > 0 {
				c.Lower, c.Upper = math.Exp(lo), math.Exp(hi)
			}
		}
		m.Coefficients = append(m.Coefficients, c)
	}
	return m, nil
}

// Predict returns P(y = 1 | x).
func (m *Logistic) Predict(x []float64) float64 {
	eta := m.Intercept
	for j, b := range m.Beta {
		eta += b * x[j]
	}
	return 1 / (1 + math.Exp(-eta))
}

// Recalibrate updates the model to new data (Steyerberg 2009, ch. 20):
// "intercept" refits the intercept with the linear predictor as an offset;
// "logistic" refits intercept and slope on the linear predictor and
// rescales every coefficient by the slope.
func (m *Logistic) Recalibrate(x []float64, y []bool, method string) error {
	n := len(y)
	p := len(m.Beta)
	lp := make([]float64, n)
	for i := 0; i < n; i++ {
		lp[i] = m.Intercept
		for j, b := range m.Beta {
			lp[i] += b * x[i*p+j]
		}
	}
	switch method {
	case "intercept":
		a, _, err := fitOffsetLogit(lp, y, true)
		if err != nil {
			return err
		}
		m.Intercept += a
	case "logistic":
		a, b, err := fitOffsetLogit(lp, y, false)
		if err != nil {
			return err
		}
		m.Intercept = a + b*m.Intercept
		for j := range m.Beta {
			m.Beta[j] *= b
		}
	default:
		return fmt.Errorf("recalibration %q: want intercept or logistic", method)
	}
	return nil
}

// fitOffsetLogit fits logit P(y) = a + lp (offset) or a + b·lp.
func fitOffsetLogit(lp []float64, y []bool, offset bool) (a, b float64, err error) {
	n := len(lp)
	yy := make([]float64, n)
	for i, v := range y {
		if v {
			yy[i] = 1
		}
	}
	if offset {
		x := make([]float64, n)
		for i := range x {
			x[i] = 1
		}
		fit, err := glm.Fit(glm.Binomial, x, 1, yy, glm.Options{Offset: lp})
		if err != nil {
			return 0, 0, fmt.Errorf("recalibration: %w", err)
		}
		if !fit.Converged {
			return 0, 0, fmt.Errorf("recalibration: did not converge in %d iterations", fit.Iterations)
		}
		return fit.Coef[0], 1, nil
	}
	x := make([]float64, 2*n)
	for i, v := range lp {
		x[2*i], x[2*i+1] = 1, v
	}
	fit, err := glm.Fit(glm.Binomial, x, 2, yy, glm.Options{})
	if err != nil {
		return 0, 0, fmt.Errorf("recalibration: %w (constant linear predictor?)", err)
	}
	if !fit.Converged {
		return 0, 0, fmt.Errorf("recalibration: did not converge in %d iterations", fit.Iterations)
	}
	return fit.Coef[0], fit.Coef[1], nil
}
