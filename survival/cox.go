package survival

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"

	"github.com/screenlab/screenlab/internal/radix"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Ties is the method for tied event times in the Cox partial likelihood.
type Ties string

const (
	// Efron (1977): tied deaths share the risk set by fractions.
	Efron Ties = "efron"
	// Breslow (1974): tied deaths all see the full risk set.
	Breslow Ties = "breslow"
)

// CoxData holds the data of a Cox model: n rows, p covariates in X (row
// major, X[i*p+j]).
type CoxData struct {
	Time  []float64
	Event []bool
	// Entry, when set, gives delayed entry: at risk when entry < t <= time.
	Entry []float64
	// X holds the covariates, n × p row-major; or Columns holds them by
	// column (Columns[j][i]), for a caller that has them so (no row-major
	// copy of a large design).
	X       []float64
	Columns [][]float64
	Names   []string // covariate names, len p
	// Strata, when set, codes strata with separate baseline hazards.
	Strata []int
	// Weights are case weights (nil = 1).
	Weights []float64
	// Cluster, when set, asks for the robust (sandwich) variance with
	// score residuals summed within clusters (Lin & Wei 1989).
	Cluster []int
	// Terms group columns into model terms (a categorical covariate's
	// indicators) for the proportional-hazards test; nil means one term
	// per column.
	Terms []Term
}

// shapeOK says whether X or Columns holds n rows of p covariates.
func (d *CoxData) shapeOK(n, p int) bool {
	if d.Columns == nil {
		return len(d.X) == n*p
	}
	if d.X != nil || len(d.Columns) != p {
		return false
	}
	for _, c := range d.Columns {
		if len(c) != n {
			return false
		}
	}
	return true
}

// at is covariate j of row i.
func (d *CoxData) at(i, j int) float64 {
	if d.Columns != nil {
		return d.Columns[j][i]
	}
	return d.X[i*len(d.Names)+j]
}

// Term is a model term: the columns of X it spans.
type Term struct {
	Name string
	Cols []int
}

// CoxOptions control FitCox.
type CoxOptions struct {
	Ties    Ties    // default Efron
	MaxIter int     // default 20
	Eps     float64 // convergence: |1 − loglik_old/loglik_new| <= Eps (default 1e-9)
	Level   float64 // default 0.95
	Init    []float64
}

// CoxCoef is one coefficient of a Cox model.
type CoxCoef struct {
	Name     string  `json:"name"`
	Coef     float64 `json:"coef"`
	HR       float64 `json:"hr"`
	SE       float64 `json:"se"`
	RobustSE float64 `json:"robust_se"`
	Z        float64 `json:"z"`
	P        float64 `json:"p"`
	HRLower  float64 `json:"hr_lower"`
	HRUpper  float64 `json:"hr_upper"`
}

// Test is a chi-squared test.
type Test struct {
	Chisq float64 `json:"chisq"`
	DF    int     `json:"df"`
	P     float64 `json:"p"`
}

// PHTerm is one row of the proportional-hazards test.
type PHTerm struct {
	Term  string  `json:"term"`
	Chisq float64 `json:"chisq"`
	DF    int     `json:"df"`
	P     float64 `json:"p"`
}

// CoxResult is a fitted Cox model.
type CoxResult struct {
	N            int        `json:"n"`
	Events       float64    `json:"events"`
	Coefficients []CoxCoef  `json:"coefficients"`
	LogLik       [2]float64 `json:"loglik"`
	Concordance  float64    `json:"concordance"`
	// ConcordanceSE is its standard error as coxph reports it (the
	// infinitesimal jackknife; NaN with delayed entry).
	ConcordanceSE float64       `json:"concordance_se"`
	Iterations    int           `json:"iterations"`
	Converged     bool          `json:"converged"`
	Wald          Test          `json:"wald"`
	LR            Test          `json:"likelihood_ratio"`
	Score         Test          `json:"score"`
	PHTest        []PHTerm      `json:"ph_test"`
	Ties          Ties          `json:"ties"`
	Warnings      []string      `json:"warnings,omitempty"`
	Beta          []float64     `json:"-"`
	Var           *mat.SymDense `json:"-"`
	// Baseline is the Breslow (Efron-adjusted) cumulative hazard per
	// stratum at covariates 0, for predictions.
	Baseline []BaselineHazard `json:"-"`
}

// BaselineHazard is a step function H0(t) of one stratum.
type BaselineHazard struct {
	Time   []float64
	CumHaz []float64
}

// At returns H0(t).
func (b *BaselineHazard) At(t float64) float64 {
	k := sort.SearchFloat64s(b.Time, math.Nextafter(t, math.Inf(1))) - 1
	if k < 0 {
		return 0
	}
	return b.CumHaz[k]
}

// Predict returns the survival S(t | x) = exp(−H0(t) exp(β'x)) in a
// stratum (0 without strata) and the absolute risk 1 − S.
func (r *CoxResult) Predict(x []float64, t float64, stratum int) (surv float64, err error) {
	if len(x) != len(r.Beta) {
		return math.NaN(), fmt.Errorf("cox predict: %d covariates, model has %d", len(x), len(r.Beta))
	}
	if stratum < 0 || stratum >= len(r.Baseline) {
		return math.NaN(), fmt.Errorf("cox predict: stratum %d, model has %d", stratum, len(r.Baseline))
	}
	eta := 0.0
	for j, b := range r.Beta {
		eta += b * x[j]
	}
	return math.Exp(-r.Baseline[stratum].At(t) * math.Exp(eta)), nil
}

// ErrSingular is wrapped when the information matrix cannot be inverted.
var ErrSingular = errors.New("singular information matrix")

// coxModel holds the data sorted for the risk-set sweeps.
type coxModel struct {
	n, p    int
	x       []float64 // centred, sorted rows
	time    []float64
	entry   []float64 // nil without delayed entry
	event   []bool
	w       []float64
	strata  []int // start offset of each stratum in the sorted rows
	byEntry [][]int
	ties    Ties
	orig    []int // sorted position -> original row
	means   []float64
	terms   []Term
	blocks  []block   // death-time blocks, when the parallel sweep applies
	deathX  []float64 // Σ over deaths of w x (centred)
	// Buffers every sweep reuses (a fit sweeps once per iteration; fresh
	// memory for each would be most of a large fit's page faults).
	risk, eta           []float64
	blockAdd, blockDead []float64
	blockDeathW         []float64
}

// reuse returns *buf resized to n and zeroed, allocating only when it is
// too small.
func reuse(buf *[]float64, n int) []float64 {
	if cap(*buf) < n {
		*buf = make([]float64, n)
	}
	*buf = (*buf)[:n]
	clear(*buf)
	return *buf
}

// FitCox fits the Cox (1972) proportional hazards model by Newton–Raphson
// with step halving, maximising the partial likelihood with Efron (1977) or
// Breslow (1974) handling of ties:
//
//	log L(β) = Σ_t [ Σ_{i∈D_t} w_i η_i − w̄_t Σ_{k=0}^{d_t−1} log(S0_t − (k/d_t) S0_{D_t}) ]
//
// with η = Xβ, S0_t = Σ_{risk set} w e^η and, for Breslow, k/d_t replaced by
// 0. It converges when |1 − L_old/L_new| <= Eps, as R's coxph. Standard
// errors come from the inverse information; with data.Cluster, robust
// errors from dfbeta residuals summed in clusters (Lin & Wei 1989). It also
// returns the Wald, likelihood-ratio and score tests, Harrell's concordance
// and the proportional-hazards test of cox.zph (Grambsch & Therneau 1994)
// with the Kaplan–Meier transform.
//
// Non-convergence and coefficients that drift to infinity (monotone
// likelihood) are reported in Warnings, as R warns. A covariate without
// variance, or collinear covariates, are errors.
func FitCox(data CoxData, opts CoxOptions) (*CoxResult, error) {
	n := len(data.Time)
	p := len(data.Names)
	if len(data.Event) != n || !data.shapeOK(n, p) || (data.Entry != nil && len(data.Entry) != n) ||
		(data.Strata != nil && len(data.Strata) != n) || (data.Weights != nil && len(data.Weights) != n) ||
		(data.Cluster != nil && len(data.Cluster) != n) {
		panic("survival: slice length mismatch")
	}
	if p == 0 {
		return nil, errors.New("cox: no covariates")
	}
	if err := checkTimes(data.Time, data.Entry, data.Weights); err != nil {
		return nil, err
	}
	if opts.Ties == "" {
		opts.Ties = Efron
	}
	if opts.Ties != Efron && opts.Ties != Breslow {
		return nil, fmt.Errorf("cox: ties %q: want efron or breslow", opts.Ties)
	}
	if opts.MaxIter == 0 {
		opts.MaxIter = 20
	}
	if opts.Eps == 0 {
		opts.Eps = 1e-9
	}
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	for j := 0; j < p; j++ {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			v := data.at(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, &InputError{Row: i, Msg: fmt.Sprintf("covariate %s is %v: want a finite number", data.Names[j], v)}
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if lo == hi {
			return nil, fmt.Errorf("cox: covariate %s has no variance (every value is %v)", data.Names[j], lo)
		}
	}
	m := newCoxModel(data, opts.Ties)
	// The model holds its own sorted, centred copy: without references
	// here, the caller's design can be collected during the fit when the
	// caller keeps none either.
	data.X, data.Columns = nil, nil
	if n*p >= 1<<22 {
		// A large design is garbage now: collect before the fit allocates
		// (a collection of this pointer-free heap takes milliseconds; the
		// fit then reuses the design's memory instead of fresh pages).
		runtime.GC()
	}
	res := &CoxResult{N: n, Ties: opts.Ties}
	for i := 0; i < n; i++ {
		if m.event[i] {
			res.Events += m.w[i]
		}
	}
	if res.Events == 0 {
		return nil, errors.New("cox: no events")
	}

	beta := make([]float64, p)
	if opts.Init != nil {
		copy(beta, opts.Init)
	}
	u := make([]float64, p)
	info := mat.NewSymDense(p, nil)
	ll := m.eval(beta, u, info)
	res.LogLik[0] = ll
	// Score test at the initial values.
	if sc, err := quadForm(info, u); err == nil {
		res.Score = chiTest(sc, p)
	}
	step, err := solveSym(info, u)
	if err != nil {
		return nil, m.singularError(data.Names, err)
	}
	newBeta := make([]float64, p)
	for j := range beta {
		newBeta[j] = beta[j] + step[j]
	}
	halving := false
	converged := false
	iter := 1
	for ; iter <= opts.MaxIter; iter++ {
		newLL := m.eval(newBeta, u, info)
		if math.Abs(1-ll/newLL) <= opts.Eps && !halving {
			ll = newLL
			copy(beta, newBeta)
			converged = true
			break
		}
		if iter == opts.MaxIter {
			break
		}
		if newLL < ll || math.IsNaN(newLL) {
			halving = true
			for j := range newBeta {
				newBeta[j] = (newBeta[j] + beta[j]) / 2
			}
			continue
		}
		halving = false
		ll = newLL
		copy(beta, newBeta)
		step, err := solveSym(info, u)
		if err != nil {
			return nil, m.singularError(data.Names, err)
		}
		for j := range newBeta {
			newBeta[j] = beta[j] + step[j]
		}
	}
	if !converged {
		// Keep the last Newton step, as coxph with iter.max does, and
		// evaluate there for the variance.
		copy(beta, newBeta)
		ll = m.eval(beta, u, info)
		res.Warnings = append(res.Warnings, fmt.Sprintf("ran out of iterations (%d) and did not converge", opts.MaxIter))
	}
	res.Iterations = min(iter, opts.MaxIter)
	res.Converged = converged
	res.LogLik[1] = ll
	res.Beta = append([]float64(nil), beta...)
	var chol mat.Cholesky
	if ok := chol.Factorize(info); !ok {
		return nil, m.singularError(data.Names, ErrSingular)
	}
	res.Var = mat.NewSymDense(p, nil)
	if err := chol.InverseTo(res.Var); err != nil {
		return nil, m.singularError(data.Names, err)
	}
	// Infinite coefficients, as coxph detects them: |u' V| large relative
	// to the coefficient (only in a converged fit: one stopped early is
	// reported as such).
	for j := 0; j < p && converged; j++ {
		inf := 0.0
		for k := 0; k < p; k++ {
			inf += u[k] * res.Var.At(k, j)
		}
		inf = math.Abs(inf)
		if inf > opts.Eps && inf > math.Sqrt(opts.Eps)*math.Abs(beta[j]) {
			res.Warnings = append(res.Warnings, fmt.Sprintf("log-likelihood converged before %s; its coefficient may be infinite (monotone likelihood)", data.Names[j]))
		}
	}
	var robust *mat.SymDense
	if data.Cluster != nil {
		robust = m.robustVar(beta, res.Var, data.Cluster)
	}
	z := distuv.UnitNormal.Quantile(1 - (1-opts.Level)/2)
	for j := 0; j < p; j++ {
		se := math.Sqrt(res.Var.At(j, j))
		c := CoxCoef{Name: data.Names[j], Coef: beta[j], HR: math.Exp(beta[j]), SE: se, RobustSE: math.NaN()}
		useSE := se
		if robust != nil {
			c.RobustSE = math.Sqrt(robust.At(j, j))
			useSE = c.RobustSE
		}
		c.Z = beta[j] / useSE
		c.P = 2 * distuv.UnitNormal.Survival(math.Abs(c.Z))
		c.HRLower, c.HRUpper = math.Exp(beta[j]-z*useSE), math.Exp(beta[j]+z*useSE)
		res.Coefficients = append(res.Coefficients, c)
	}
	vWald := res.Var
	if robust != nil {
		vWald = robust
	}
	var vb mat.VecDense
	var vchol mat.Cholesky
	if vchol.Factorize(vWald) {
		if err := vchol.SolveVecTo(&vb, mat.NewVecDense(p, append([]float64(nil), beta...))); err == nil {
			res.Wald = chiTest(mat.Dot(&vb, mat.NewVecDense(p, beta)), p)
		}
	}
	res.LR = chiTest(2*(res.LogLik[1]-res.LogLik[0]), p)
	res.Concordance, res.ConcordanceSE = m.concordance(beta, data.Cluster)
	res.PHTest = m.zph(beta)
	res.Baseline = m.baseline(beta, data)
	return res, nil
}

func chiTest(x float64, df int) Test {
	return Test{Chisq: x, DF: df, P: distuv.ChiSquared{K: float64(df)}.Survival(x)}
}

func quadForm(a *mat.SymDense, u []float64) (float64, error) {
	x, err := solveSym(a, u)
	if err != nil {
		return 0, err
	}
	s := 0.0
	for j := range u {
		s += x[j] * u[j]
	}
	return s, nil
}

func solveSym(a *mat.SymDense, b []float64) ([]float64, error) {
	var chol mat.Cholesky
	if !chol.Factorize(a) {
		return nil, ErrSingular
	}
	if c := chol.Cond(); c > 1e14 {
		return nil, mat.Condition(c)
	}
	var x mat.VecDense
	if err := chol.SolveVecTo(&x, mat.NewVecDense(len(b), append([]float64(nil), b...))); err != nil {
		return nil, err
	}
	return x.RawVector().Data, nil
}

func (m *coxModel) singularError(names []string, err error) error {
	return fmt.Errorf("cox: the information matrix is singular (collinear covariates among %s, or a covariate constant within strata): %w",
		strings.Join(names, ", "), err)
}

func newCoxModel(d CoxData, ties Ties) *coxModel {
	n, p := len(d.Time), len(d.Names)
	m := &coxModel{n: n, p: p, ties: ties}
	stratum := func(i int) int {
		if d.Strata == nil {
			return 0
		}
		return d.Strata[i]
	}
	// By stratum, then time descending; events before censorings at a tie
	// (three stable radix passes, least significant key first).
	order := radix.OrderBy(radix.Identity(n), func(i int) uint64 {
		if d.Event[i] {
			return 0
		}
		return 1
	})
	order = radix.OrderBy(order, func(i int) uint64 { return ^radix.FloatKey(d.Time[i]) })
	if d.Strata != nil {
		order = radix.OrderBy(order, func(i int) uint64 { return uint64(int64(stratum(i))) ^ 1<<63 })
	}
	m.orig = order
	m.x = make([]float64, n*p)
	m.time = make([]float64, n)
	m.event = make([]bool, n)
	m.w = make([]float64, n)
	if d.Entry != nil {
		m.entry = make([]float64, n)
	}
	means := make([]float64, p)
	if d.Columns != nil {
		for j, col := range d.Columns {
			for _, v := range col { // rows in order, as below
				means[j] += v
			}
		}
	} else {
		for i := 0; i < n; i++ {
			for j := 0; j < p; j++ {
				means[j] += d.X[i*p+j]
			}
		}
	}
	for j := range means {
		means[j] /= float64(n)
	}
	if d.Columns != nil {
		// Scattered row by row from the columns read in order (a gather
		// in sorted order would miss the cache once a column).
		at := make([]int32, n) // row i's sorted position
		for k, i := range order {
			at[i] = int32(k)
		}
		for i, k := range at {
			row := m.x[int(k)*p : int(k)*p+p]
			for j, col := range d.Columns {
				row[j] = col[i] - means[j]
			}
		}
	}
	prev := math.MinInt
	for k, i := range order {
		if s := stratum(i); s != prev {
			m.strata = append(m.strata, k)
			prev = s
		}
		if d.Columns == nil {
			for j := 0; j < p; j++ {
				m.x[k*p+j] = d.X[i*p+j] - means[j]
			}
		}
		m.time[k] = d.Time[i]
		m.event[k] = d.Event[i]
		m.w[k] = 1
		if d.Weights != nil {
			m.w[k] = d.Weights[i]
		}
		if d.Entry != nil {
			m.entry[k] = d.Entry[i]
		}
	}
	m.strata = append(m.strata, n)
	m.means = means
	if d.Entry == nil {
		m.blocks = m.deathBlocks()
	}
	m.deathX = make([]float64, p)
	for k := 0; k < n; k++ {
		if m.event[k] {
			for j := 0; j < p; j++ {
				m.deathX[j] += m.w[k] * m.x[k*p+j]
			}
		}
	}
	m.terms = d.Terms
	if m.terms == nil {
		for j, name := range d.Names {
			m.terms = append(m.terms, Term{Name: name, Cols: []int{j}})
		}
	}
	if d.Entry != nil {
		for s := 0; s+1 < len(m.strata); s++ {
			idx := make([]int, 0, m.strata[s+1]-m.strata[s])
			for k := m.strata[s]; k < m.strata[s+1]; k++ {
				idx = append(idx, k)
			}
			m.byEntry = append(m.byEntry, radix.OrderBy(idx, func(k int) uint64 { return ^radix.FloatKey(m.entry[k]) }))
		}
	}
	return m
}

// riskSweep walks each stratum from the last time to the first, keeping
// the weighted sums S0 = Σ w e^η, S1 = Σ w e^η x and (when s2 != nil)
// S2 = Σ w e^η x x' of the risk set, and calls visit at each distinct time
// with deaths, with the rows [lo, hi) dying there (events sort first).
type sums struct {
	s0      float64
	s1, s2  []float64
	d0      float64   // Σ over deaths of w e^η
	d1, d2  []float64 // of deaths
	dw      float64   // Σ w over deaths
	nd      int       // number of deaths
	lo, hi  int       // the deaths' rows
	time    float64
	stratum int
	needS2  bool
	risk    []float64 // e^η per sorted row
	eta     []float64 // η per sorted row
	p       int
}

// The returned e^η per sorted row is the model's buffer: valid until the
// next sweep.
func (m *coxModel) sweep(beta []float64, needS2 bool, visit func(s *sums)) []float64 {
	p := m.p
	risk := reuse(&m.risk, m.n)
	etas := reuse(&m.eta, m.n)
	parallelRows(m.n, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			eta := 0.0
			row := m.x[k*p : k*p+p]
			for j, b := range beta {
				eta += b * row[j]
			}
			etas[k] = eta
			risk[k] = math.Exp(eta)
		}
	})
	if m.blocks != nil {
		return m.sweepBlocks(risk, etas, needS2, visit)
	}
	s := &sums{s1: make([]float64, p), d1: make([]float64, p), p: p, needS2: needS2, risk: risk, eta: etas}
	if needS2 {
		s.s2 = make([]float64, p*p)
		s.d2 = make([]float64, p*p)
	}
	add := func(k int, sign float64) {
		r := sign * m.w[k] * risk[k]
		s.s0 += r
		row := m.x[k*p : k*p+p]
		for j := 0; j < p; j++ {
			s.s1[j] += r * row[j]
		}
		if needS2 {
			for j := 0; j < p; j++ {
				rj := r * row[j]
				for l := 0; l <= j; l++ {
					s.s2[j*p+l] += rj * row[l]
				}
			}
		}
	}
	for st := 0; st+1 < len(m.strata); st++ {
		lo, hi := m.strata[st], m.strata[st+1]
		s.s0 = 0
		clear(s.s1)
		if needS2 {
			clear(s.s2)
		}
		ePos := 0
		var byEntry []int
		if m.entry != nil {
			byEntry = m.byEntry[st]
		}
		for k := lo; k < hi; {
			t := m.time[k]
			j := k
			for ; j < hi && m.time[j] == t; j++ {
				add(j, 1)
			}
			for byEntry != nil && ePos < len(byEntry) && m.entry[byEntry[ePos]] >= t {
				add(byEntry[ePos], -1)
				ePos++
			}
			// Deaths at t: rows k.. while event.
			dEnd := k
			for dEnd < j && m.event[dEnd] {
				dEnd++
			}
			if dEnd > k {
				s.d0, s.dw, s.nd = 0, 0, dEnd-k
				clear(s.d1)
				if needS2 {
					clear(s.d2)
				}
				for q := k; q < dEnd; q++ {
					r := m.w[q] * risk[q]
					s.d0 += r
					s.dw += m.w[q]
					row := m.x[q*p : q*p+p]
					for a := 0; a < p; a++ {
						s.d1[a] += r * row[a]
					}
					if needS2 {
						for a := 0; a < p; a++ {
							ra := r * row[a]
							for b := 0; b <= a; b++ {
								s.d2[a*p+b] += ra * row[b]
							}
						}
					}
				}
				s.lo, s.hi, s.time, s.stratum = k, dEnd, t, st
				visit(s)
			}
			k = j
		}
	}
	return risk
}

// fractions returns the Efron fractions k/d for k = 0..d−1 (just 0 for
// Breslow, or a single death).
func (m *coxModel) fractions(nd int) []float64 {
	if m.ties == Breslow || nd == 1 {
		return []float64{0}
	}
	f := make([]float64, nd)
	for k := range f {
		f[k] = float64(k) / float64(nd)
	}
	return f
}

// efronScalars returns, over the Efron fractions f_k of a death time with
// denominators d_k = S0 − f_k D0, the sums Σ log d_k, Σ 1/d_k, Σ f_k/d_k,
// Σ 1/d_k², Σ f_k/d_k² and Σ f_k²/d_k², so that the information
//
//	Σ_k w̄ [(S2 − f_k D2)/d_k − a_k a_k'],  a_k = (S1 − f_k D1)/d_k,
//
// takes one O(p²) update per death time instead of one per death.
type efronSums struct{ logD, inv, fInv, inv2, fInv2, f2Inv2 float64 }

func (m *coxModel) efron(s *sums) (efronSums, float64) {
	fr := m.fractions(s.nd)
	wt := s.dw / float64(len(fr))
	var e efronSums
	for _, f := range fr {
		d := s.s0 - f*s.d0
		e.logD += math.Log(d)
		e.inv += 1 / d
		e.fInv += f / d
		e.inv2 += 1 / (d * d)
		e.fInv2 += f / (d * d)
		e.f2Inv2 += f * f / (d * d)
	}
	return e, wt
}

// eval returns the log partial likelihood at beta and fills the score u
// and the information.
func (m *coxModel) eval(beta []float64, u []float64, info *mat.SymDense) float64 {
	p := m.p
	// The deaths' own terms: Σ w η and Σ w x, the same at every beta.
	ll := 0.0
	for j := 0; j < p; j++ {
		u[j] = m.deathX[j]
		ll += beta[j] * m.deathX[j]
	}
	im := make([]float64, p*p)
	m.sweep(beta, true, func(s *sums) {
		e, wt := m.efron(s)
		ll -= wt * e.logD
		for j := 0; j < p; j++ {
			u[j] -= wt * (s.s1[j]*e.inv - s.d1[j]*e.fInv)
		}
		for j := 0; j < p; j++ {
			for l := 0; l <= j; l++ {
				a := s.s2[j*p+l]*e.inv - s.d2[j*p+l]*e.fInv
				b := s.s1[j]*s.s1[l]*e.inv2 - (s.s1[j]*s.d1[l]+s.d1[j]*s.s1[l])*e.fInv2 + s.d1[j]*s.d1[l]*e.f2Inv2
				im[j*p+l] += wt * (a - b)
			}
		}
	})
	for j := 0; j < p; j++ {
		for l := 0; l <= j; l++ {
			info.SetSym(j, l, im[j*p+l])
		}
	}
	return ll
}
