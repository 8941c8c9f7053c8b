// Package models holds screenlab's predictive models behind one interface
// (fit on a design matrix, predict a probability or absolute risk,
// describe, save and load) and the model file format.
package models

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
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
// least squares (Newton–Raphson), maximising
//
//	Σ_i [y_i η_i − log(1 + e^{η_i})] − (λ/2) Σ_j b_j²
//
// (the intercept is not penalised). Without a penalty the standard errors
// are those of glm (the inverse information), with Wald z, p and 95%
// intervals for the odds ratios; with one they are not reported (NaN), as
// penalised estimates are biased. x is n × p row-major.
func FitLogistic(x []float64, y []bool, names []string, l2 float64) (*Logistic, error) {
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
	beta := make([]float64, q) // [b0, b...]
	beta[0] = math.Log(float64(pos) / float64(n-pos))
	var info *mat.SymDense
	var dev, prevDev float64
	prevDev = math.Inf(1)
	iter := 0
	for iter = 1; iter <= 50; iter++ {
		info = mat.NewSymDense(q, nil)
		grad := make([]float64, q)
		h := make([]float64, q*q)
		dev = 0
		row := make([]float64, q)
		for i := 0; i < n; i++ {
			row[0] = 1
			copy(row[1:], x[i*p:(i+1)*p])
			eta := 0.0
			for j, v := range row {
				eta += beta[j] * v
			}
			mu := 1 / (1 + math.Exp(-eta))
			yi := 0.0
			if y[i] {
				yi = 1
				dev += 2 * math.Log1p(math.Exp(-eta))
			} else {
				dev += 2 * math.Log1p(math.Exp(eta))
			}
			w := mu * (1 - mu)
			r := yi - mu
			for a := 0; a < q; a++ {
				grad[a] += r * row[a]
				wa := w * row[a]
				for b := 0; b <= a; b++ {
					h[a*q+b] += wa * row[b]
				}
			}
		}
		for j := 1; j < q; j++ {
			grad[j] -= l2 * beta[j]
			h[j*q+j] += l2
			dev += l2 * beta[j] * beta[j]
		}
		for a := 0; a < q; a++ {
			for b := 0; b <= a; b++ {
				info.SetSym(a, b, h[a*q+b])
			}
		}
		var chol mat.Cholesky
		if !chol.Factorize(info) {
			return nil, errors.New("logistic: singular information matrix (collinear covariates, or a covariate that separates the classes)")
		}
		var step mat.VecDense
		if err := chol.SolveVecTo(&step, mat.NewVecDense(q, grad)); err != nil {
			return nil, err
		}
		for j := range beta {
			beta[j] += step.AtVec(j)
		}
		if math.Abs(dev-prevDev)/(math.Abs(dev)+0.1) < 1e-10 {
			break
		}
		prevDev = dev
	}
	if iter > 50 {
		return nil, errors.New("logistic: did not converge in 50 iterations (separation?)")
	}
	m := &Logistic{Intercept: beta[0], Beta: beta[1:], L2: l2, Iterations: iter, Deviance: dev}
	var cov mat.SymDense
	var chol mat.Cholesky
	if !chol.Factorize(info) {
		return nil, errors.New("logistic: singular information at the estimate")
	}
	if err := chol.InverseTo(&cov); err != nil {
		return nil, err
	}
	z := distuv.UnitNormal.Quantile(0.975)
	all := append([]string{"(Intercept)"}, names...)
	for j, name := range all {
		c := Coefficient{Name: name, Coef: beta[j], SE: math.NaN(), Z: math.NaN(), P: math.NaN(), Ratio: math.Exp(beta[j]), Lower: math.NaN(), Upper: math.NaN()}
		if l2 == 0 {
			c.SE = math.Sqrt(cov.At(j, j))
			c.Z = beta[j] / c.SE
			c.P = 2 * distuv.UnitNormal.Survival(math.Abs(c.Z))
			c.Lower, c.Upper = math.Exp(beta[j]-z*c.SE), math.Exp(beta[j]+z*c.SE)
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
	b = 1
	for iter := 0; iter < 100; iter++ {
		var g0, g1, h00, h01, h11 float64
		for i := range lp {
			eta := a + b*lp[i]
			mu := 1 / (1 + math.Exp(-eta))
			r := -mu
			if y[i] {
				r = 1 - mu
			}
			w := mu * (1 - mu)
			g0 += r
			g1 += r * lp[i]
			h00 += w
			h01 += w * lp[i]
			h11 += w * lp[i] * lp[i]
		}
		if offset {
			if h00 == 0 {
				return 0, 0, errors.New("recalibration: no information")
			}
			d := g0 / h00
			a += d
			if math.Abs(d) < 1e-12 {
				return a, 1, nil
			}
			continue
		}
		det := h00*h11 - h01*h01
		if det == 0 {
			return 0, 0, errors.New("recalibration: singular (constant linear predictor)")
		}
		da := (h11*g0 - h01*g1) / det
		db := (h00*g1 - h01*g0) / det
		a, b = a+da, b+db
		if math.Abs(da)+math.Abs(db) < 1e-12 {
			return a, b, nil
		}
	}
	return a, b, nil
}
