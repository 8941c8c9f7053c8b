package evaluation

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/screenlab/screenlab/internal/glm"
	"github.com/screenlab/screenlab/internal/numeric"
	"github.com/screenlab/screenlab/internal/radix"
)

// HosmerLemeshow is the Hosmer–Lemeshow goodness-of-fit test.
type HosmerLemeshow struct {
	Chisq float64 `json:"chisq"`
	DF    int     `json:"df"`
	P     float64 `json:"p"`
}

// Calibration describes how well predicted risks match observed outcomes.
type Calibration struct {
	// Intercept and Slope are the joint logistic recalibration fit
	// logit P(y) = a + b·logit(p) (rms::val.prob's Intercept and Slope).
	Intercept float64 `json:"intercept"`
	Slope     float64 `json:"slope"`
	// CITL is calibration-in-the-large: the intercept with the slope fixed
	// at 1 (logit P(y) = a + logit(p)).
	CITL  float64 `json:"citl"`
	OE    float64 `json:"oe"`
	OELow float64 `json:"oe_lower"`
	OEUpp float64 `json:"oe_upper"`
	// ICI (the mean), E50, E90 and Emax of |p − smoothed observed risk|,
	// with R's lowess(p, y, iter = 0) as the smoother (Austin & Steyerberg
	// 2019; val.prob's Eavg, E90, Emax).
	ICI            float64        `json:"ici"`
	E50            float64        `json:"e50"`
	E90            float64        `json:"e90"`
	Emax           float64        `json:"emax"`
	HosmerLemeshow HosmerLemeshow `json:"hosmer_lemeshow"`
	// SpiegelhalterZ tests calibration: Σ(y−p)(1−2p) / sqrt(Σ(1−2p)²p(1−p)).
	SpiegelhalterZ float64      `json:"spiegelhalter_z"`
	SpiegelhalterP float64      `json:"spiegelhalter_p"`
	Deciles        []RiskGroup  `json:"deciles"`
	Curve          []CurvePoint `json:"-"`
	// Warnings say what the estimates cannot be trusted for (a
	// recalibration fit that did not converge).
	Warnings []string `json:"warnings,omitempty"`
}

// RiskGroup is observed against predicted risk in a group of subjects.
type RiskGroup struct {
	Group     int     `json:"group"`
	N         int     `json:"n"`
	Predicted float64 `json:"predicted"`
	Observed  float64 `json:"observed"`
	Lower     float64 `json:"lower"`
	Upper     float64 `json:"upper"`
}

// CurvePoint is a point of the smoothed calibration curve.
type CurvePoint struct{ Predicted, Observed float64 }

// Brier returns mean((p − y)²) and the scaled Brier 1 − Brier/(ȳ(1 − ȳ)).
func Brier(p []float64, y []bool) (brier, scaled float64) {
	ybar := 0.0
	for i := range p {
		v := 0.0
		if y[i] {
			v = 1
			ybar++
		}
		brier += (p[i] - v) * (p[i] - v)
	}
	brier /= float64(len(p))
	ybar /= float64(len(p))
	return brier, 1 - brier/(ybar*(1-ybar))
}

func checkProbabilities(p []float64) error {
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("score at row %d is %v: calibration needs predicted probabilities in [0, 1]", i, v)
		}
	}
	return nil
}

// Calibrate computes the calibration of predicted probabilities p against
// binary outcomes y, as rms::val.prob does (Steyerberg 2019, ch. 15):
//
//	logit P(y) = a + b · logit(p)   (intercept a and slope b, jointly; Cox 1958)
//	logit P(y) = a + logit(p)       (calibration-in-the-large, b fixed at 1)
//	O/E = Σ y / Σ p                 (with a Poisson interval on Σ y)
//
// fitted by internal/glm's IRLS; ICI, E50, E90 and Emax summarise
// |p − ŷ(p)| with ŷ R's lowess(p, y, iter = 0) (Austin & Steyerberg 2019,
// Stat Med 38:4051); Hosmer–Lemeshow on deciles of p (Hosmer & Lemeshow
// 1980); Spiegelhalter's (1986) z. Probabilities of exactly 0 or 1 are
// kept away from the logit's infinities by 1e-15 in the logistic fits.
func Calibrate(p []float64, y []bool, level float64) (*Calibration, error) {
	if err := checkBinary(p, y); err != nil {
		return nil, err
	}
	return calibrate(p, y, level, radix.SortedIndex(p))
}

// calibrate is Calibrate given order, the stable ascending order of p
// (evaluate sorts the scores once for everything).
func calibrate(p []float64, y []bool, level float64, order []int) (*Calibration, error) {
	if err := checkBinary(p, y); err != nil {
		return nil, err
	}
	if err := checkProbabilities(p); err != nil {
		return nil, err
	}
	if level == 0 {
		level = 0.95
	}
	n := len(p)
	lp := make([]float64, n)
	for i, v := range p {
		v = math.Min(math.Max(v, 1e-15), 1-1e-15)
		lp[i] = math.Log(v / (1 - v))
	}
	c := &Calibration{}
	yy := make([]float64, n)
	x2 := make([]float64, 2*n)
	for i := range lp {
		if y[i] {
			yy[i] = 1
		}
		x2[2*i], x2[2*i+1] = 1, lp[i]
	}
	// logit P(y) = a + b·logit(p), and a + logit(p) (an offset).
	// From a = 0, b = 1, the predictions as they are: near the answer for
	// any useful score, so the fit takes a few iterations. Predictions of
	// 0 and 1 (a forest's) make that start singular: then from y, as R.
	slope, err := glm.Fit(glm.Binomial, x2, 2, yy, glm.Options{Start: []float64{0, 1}, MaxIter: 100, Tol: 1e-12})
	if err != nil || !slope.Converged {
		slope, err = glm.Fit(glm.Binomial, x2, 2, yy, glm.Options{MaxIter: 100, Tol: 1e-12})
	}
	if err != nil {
		return nil, fmt.Errorf("calibration slope: %w (all predictions equal?)", err)
	}
	c.Intercept, c.Slope = slope.Coef[0], slope.Coef[1]
	citl, err := glm.Fit(glm.Binomial, nil, 1, yy, glm.Options{Offset: lp, MaxIter: 100, Tol: 1e-12})
	if err != nil {
		return nil, fmt.Errorf("calibration-in-the-large: %w", err)
	}
	c.CITL = citl.Coef[0]
	for _, f := range []struct {
		name string
		r    *glm.Result
	}{{"calibration intercept and slope", slope}, {"calibration-in-the-large", citl}} {
		if !f.r.Converged {
			c.Warnings = append(c.Warnings, fmt.Sprintf("the %s fit did not converge in %d iterations (separation?)", f.name, f.r.Iterations))
		}
	}
	obs, exp := 0.0, 0.0
	for i := range p {
		if y[i] {
			obs++
		}
		exp += p[i]
	}
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	c.OE = obs / exp
	// log(O/E) has SE ≈ 1/sqrt(O) (O Poisson).
	c.OELow, c.OEUpp = c.OE*math.Exp(-z/math.Sqrt(obs)), c.OE*math.Exp(z/math.Sqrt(obs))

	// Smoothed calibration curve: lowess(p, y, iter = 0), then the curve at
	// each p (approx with ties = mean), as val.prob.
	yf := yy // y as numbers
	xs, ys := lowessOrdered(p, yf, order, 2.0/3, 0)
	// The curve at each p (approx(ties = mean) at the lowess points
	// themselves): the mean of ys over p's tie group, found in sorted order.
	err90 := make([]float64, n)
	for i := 0; i < n; {
		j, s := i, 0.0
		for j < n && xs[j] == xs[i] {
			s += ys[j]
			j++
		}
		at := s / float64(j-i)
		for k := i; k < j; k++ {
			err90[order[k]] = math.Abs(xs[k] - at)
		}
		i = j
	}
	for _, e := range err90 {
		c.ICI += e
	}
	c.ICI /= float64(n)
	radix.SortFloat64s(err90)
	c.E50, c.E90, c.Emax = numeric.Quantile(err90, 0.5), numeric.Quantile(err90, 0.9), err90[n-1]
	distinct := 0
	for i := range xs {
		if i == 0 || xs[i] != xs[i-1] {
			distinct++
		}
	}
	c.Curve = make([]CurvePoint, 0, distinct)
	for i := range xs {
		if i == 0 || xs[i] != xs[i-1] {
			c.Curve = append(c.Curve, CurvePoint{xs[i], ys[i]})
		}
	}
	c.HosmerLemeshow, c.Deciles = hosmerLemeshow(p, y, 10, level, xs) // xs: p sorted
	num, den := 0.0, 0.0
	for i := range p {
		num += (yf[i] - p[i]) * (1 - 2*p[i])
		den += (1 - 2*p[i]) * (1 - 2*p[i]) * p[i] * (1 - p[i])
	}
	c.SpiegelhalterZ = num / math.Sqrt(den)
	c.SpiegelhalterP = 2 * distuv.UnitNormal.Survival(math.Abs(c.SpiegelhalterZ))
	return c, nil
}

// hosmerLemeshow groups subjects by deciles of predicted risk (R's
// quantile type 7 limits, lowest group closed) and computes
//
//	χ² = Σ_g (O_g − E_g)² / (E_g (1 − E_g/n_g)),  df = groups − 2,
//
// with the observed risk of each group and its Wilson interval; sorted is
// p in ascending order.
func hosmerLemeshow(p []float64, y []bool, groups int, level float64, sorted []float64) (HosmerLemeshow, []RiskGroup) {
	limits := make([]float64, groups+1)
	for g := 0; g <= groups; g++ {
		limits[g] = numeric.Quantile(sorted, float64(g)/float64(groups))
	}
	type acc struct{ n, o, e float64 }
	accs := make([]acc, groups)
	for i, v := range p {
		g := sort.SearchFloat64s(limits[1:], v) // first upper limit >= v
		if g >= groups {
			g = groups - 1
		}
		accs[g].n++
		accs[g].e += v
		if y[i] {
			accs[g].o++
		}
	}
	var hl HosmerLemeshow
	var out []RiskGroup
	used := 0
	for g, a := range accs {
		if a.n == 0 {
			continue
		}
		used++
		if a.e > 0 && a.e < a.n {
			hl.Chisq += (a.o - a.e) * (a.o - a.e) / (a.e * (1 - a.e/a.n))
		}
		lo, hi := ProportionCI(int(a.o), int(a.n), level, Wilson)
		out = append(out, RiskGroup{Group: g + 1, N: int(a.n), Predicted: a.e / a.n, Observed: a.o / a.n, Lower: lo, Upper: hi})
	}
	hl.DF = used - 2
	hl.P = math.NaN()
	if hl.DF > 0 {
		hl.P = distuv.ChiSquared{K: float64(hl.DF)}.Survival(hl.Chisq)
	}
	return hl, out
}
