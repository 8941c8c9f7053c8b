package glm

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Family is the response distribution, with its canonical link.
type Family int

const (
	Binomial Family = iota // logit link; y in {0, 1}
	Poisson                // log link; y counts
)

// Options control Fit.
type Options struct {
	// Offset is added to the linear predictor (nil: none).
	Offset []float64
	// Weights are prior weights (nil: all 1).
	Weights []float64
	// L2 is the ridge penalty of each column (nil: none); an intercept
	// column is usually left unpenalised (0).
	L2 []float64
	// Start, when set, is the coefficients to start from (the linear
	// predictor Xβ + offset) instead of the response: a good start saves
	// iterations on a large fit.
	Start []float64
	// MaxIter is the most iterations (default 50); Tol the convergence
	// tolerance on the deviance (default 1e-10).
	MaxIter int
	Tol     float64
}

// Result is a fitted model.
type Result struct {
	Coef []float64
	// Cov is the inverse of the (penalised) information of the last
	// iteration, the one that gave Coef (as R's summary.glm computes it).
	Cov        *mat.SymDense
	Deviance   float64 // unpenalised deviance
	Iterations int
	Converged  bool
	// Boundary is set, as R warns "fitted probabilities numerically 0 or 1
	// occurred", when a binomial fit puts a row at μ within 1e-10 of 0 or
	// 1: a sign of separation, where the estimates run to infinity.
	Boundary bool
}

// ErrSingular is returned when the information matrix cannot be inverted
// (collinear columns, or a column that separates the outcomes).
var ErrSingular = errors.New("glm: singular information matrix")

// Fit fits the model to y on the n × p row-major design x; a nil x with
// p = 1 is the intercept alone (a column of ones, without its memory).
func Fit(family Family, x []float64, p int, y []float64, opts Options) (*Result, error) {
	n := len(y)
	one := []float64{1}
	rowOf := func(i int) []float64 {
		if x == nil {
			return one
		}
		return x[i*p : (i+1)*p]
	}
	if p <= 0 || (x != nil || p != 1) && len(x) != n*p || (opts.Offset != nil && len(opts.Offset) != n) ||
		(opts.Weights != nil && len(opts.Weights) != n) || (opts.L2 != nil && len(opts.L2) != p) ||
		(opts.Start != nil && len(opts.Start) != p) {
		panic("glm: slice length mismatch")
	}
	maxIter, tol := opts.MaxIter, opts.Tol
	if maxIter <= 0 {
		maxIter = 50
	}
	if tol <= 0 {
		tol = 1e-10
	}
	off := func(i int) float64 {
		if opts.Offset == nil {
			return 0
		}
		return opts.Offset[i]
	}
	wt := func(i int) float64 {
		if opts.Weights == nil {
			return 1
		}
		return opts.Weights[i]
	}
	eta := make([]float64, n)
	for i, yi := range y {
		switch family {
		case Binomial:
			if yi != 0 && yi != 1 {
				return nil, fmt.Errorf("glm: binomial response %v at row %d: want 0 or 1", yi, i+1)
			}
			mu := (yi + 0.5) / 2
			eta[i] = math.Log(mu / (1 - mu))
		case Poisson:
			if yi < 0 || math.IsNaN(yi) {
				return nil, fmt.Errorf("glm: Poisson response %v at row %d: want a count >= 0", yi, i+1)
			}
			eta[i] = math.Log(yi + 0.1)
		}
		if opts.Start != nil {
			e := off(i)
			for j, v := range rowOf(i) {
				e += v * opts.Start[j]
			}
			eta[i] = e
			continue
		}
		if opts.Offset != nil {
			// With an offset (a recalibration on a model's linear
			// predictor), start from β = 0: the offset alone. The start
			// from y would put every row with an extreme offset at μ = 0
			// or 1 after the first step.
			eta[i] = opts.Offset[i]
		}
	}
	res := &Result{Coef: make([]float64, p)}
	prevDev := math.Inf(1)
	// solved is the factorised information that gave the current
	// coefficients; as in R's glm.fit, their covariance is its inverse.
	var chol, solved mat.Cholesky
	// The rows' sums of one iteration, in chunks of a fixed number of rows
	// each accumulated in row order and added up in chunk order: the same
	// result on any number of cores (the chunks run in parallel).
	chunks := (n + chunkRows - 1) / chunkRows
	part := make([]float64, chunks*(p*p+p+2)) // per chunk: info, rhs, deviance, boundary
	for iter := 1; ; iter++ {
		clear(part)
		parallel(chunks, func(c int) {
			acc := part[c*(p*p+p+2) : (c+1)*(p*p+p+2)]
			infoRaw, rhsRaw := acc[:p*p], acc[p*p:p*p+p]
			dev, boundary := 0.0, false
			for i := c * chunkRows; i < min(n, (c+1)*chunkRows); i++ {
				var mu, v float64
				switch family {
				case Binomial:
					// −2 log μ = 2 log(1 + e^−η), and −2 log(1 − μ): through
					// μ where 1 − μ >= 1/2 has no cancellation (no second
					// exponential), else 2 log(1 + e^η), finite as μ → 1.
					e := math.Exp(-eta[i])
					mu = 1 / (1 + e)
					switch {
					case y[i] == 1:
						dev += 2 * wt(i) * math.Log1p(e)
					case mu <= 0.5:
						dev += -2 * wt(i) * math.Log1p(-mu)
					default:
						dev += 2 * wt(i) * math.Log1p(math.Exp(eta[i]))
					}
					v = mu * (1 - mu)
					if iter > 1 && (mu < 1e-10 || mu > 1-1e-10) {
						boundary = true
					}
				case Poisson:
					mu = math.Exp(eta[i])
					v = mu
					if y[i] > 0 {
						dev += 2 * wt(i) * (y[i]*math.Log(y[i]/mu) - (y[i] - mu))
					} else {
						dev += 2 * wt(i) * mu
					}
				}
				w := wt(i) * v
				if w == 0 {
					continue
				}
				z := eta[i] - off(i) + (y[i]-mu)/v
				row := rowOf(i)
				for a := 0; a < p; a++ {
					if row[a] == 0 {
						continue
					}
					wa := w * row[a]
					rhsRaw[a] += wa * z
					ia := infoRaw[a*p : a*p+a+1]
					for b, xb := range row[:a+1] {
						if xb != 0 {
							ia[b] += wa * xb
						}
					}
				}
			}
			acc[p*p+p] = dev
			if boundary {
				acc[p*p+p+1] = 1
			}
		})
		infoRaw, rhsRaw := part[:p*p], part[p*p:p*p+p]
		dev := part[p*p+p]
		for c := 1; c < chunks; c++ {
			acc := part[c*(p*p+p+2) : (c+1)*(p*p+p+2)]
			for k := range p*p + p {
				part[k] += acc[k]
			}
			dev += acc[p*p+p]
		}
		for c := range chunks {
			res.Boundary = res.Boundary || part[c*(p*p+p+2)+p*p+p+1] == 1
		}
		rhsRaw = slices.Clone(rhsRaw)
		info := mat.NewSymDense(p, nil)
		for a := 0; a < p; a++ {
			for b := 0; b <= a; b++ {
				info.SetSym(a, b, infoRaw[a*p+b])
			}
		}
		rhs := mat.NewVecDense(p, rhsRaw)
		pen := dev
		for j, l := range opts.L2 {
			info.SetSym(j, j, info.At(j, j)+l)
			if iter > 1 {
				pen += l * res.Coef[j] * res.Coef[j]
			}
		}
		if !chol.Factorize(info) {
			return nil, ErrSingular
		}
		if iter > 1 && math.Abs(pen-prevDev)/(math.Abs(pen)+0.1) < tol {
			res.Deviance, res.Iterations, res.Converged = dev, iter-1, true
			break
		}
		if iter > maxIter {
			res.Deviance, res.Iterations = dev, maxIter
			break
		}
		prevDev = pen
		var beta mat.VecDense
		if err := chol.SolveVecTo(&beta, rhs); err != nil {
			return nil, ErrSingular
		}
		solved.Clone(&chol)
		copy(res.Coef, beta.RawVector().Data)
		parallel(chunks, func(c int) {
			for i := c * chunkRows; i < min(n, (c+1)*chunkRows); i++ {
				e := off(i)
				for j, v := range rowOf(i) {
					e += v * res.Coef[j]
				}
				eta[i] = e
			}
		})
	}
	res.Cov = mat.NewSymDense(p, nil)
	if err := solved.InverseTo(res.Cov); err != nil {
		return nil, ErrSingular
	}
	return res, nil
}

// Wald is the Wald test and interval of coefficient j at a confidence
// level (0.95 when 0): its standard error, z, two-sided p, and the
// interval coef ± z_{1−(1−level)/2}·se.
func (r *Result) Wald(j int, level float64) (se, z, p, lower, upper float64) {
	if level == 0 {
		level = 0.95
	}
	se = math.Sqrt(r.Cov.At(j, j))
	z = r.Coef[j] / se
	p = 2 * distuv.UnitNormal.Survival(math.Abs(z))
	q := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	return se, z, p, r.Coef[j] - q*se, r.Coef[j] + q*se
}

// chunkRows is the rows of one chunk of an iteration's sums: a fit of
// fewer rows sums in one chunk, in row order.
const chunkRows = 1 << 16

// parallel runs f(0..n−1) on up to GOMAXPROCS goroutines.
func parallel(n int, f func(c int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for c := range n {
			f(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := int(next.Add(1) - 1); c < n; c = int(next.Add(1) - 1) {
				f(c)
			}
		}()
	}
	wg.Wait()
}
