package screening

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/incidence"
	"github.com/screenlab/screenlab/internal/glm"
)

// CaseMixOptions set CaseMix.
type CaseMixOptions struct {
	Level float64 // of the intervals (default 0.95)
	// Overdispersion places units by the additive random-effects funnel
	// on O/E (Spiegelhalter 2005, square-root scale) instead of exact
	// Poisson limits.
	Overdispersion bool
	// Suppress hides a unit whose cases or observed events are below it
	// (at least 3), whole, and a second with a lone one.
	Suppress int
}

// CaseMixRow is one unit's observed and expected events.
type CaseMixRow struct {
	Unit     string  `json:"unit"`
	Cases    float64 `json:"cases"`
	Observed float64 `json:"observed"`
	Expected float64 `json:"expected"`
	OE       float64 `json:"oe"`
	OELower  float64 `json:"oe_lower"`
	OEUpper  float64 `json:"oe_upper"`
	// Adjusted is the risk-adjusted rate O/E × the national rate, with the
	// interval of O/E scaled the same way.
	Adjusted      float64 `json:"adjusted_rate"`
	AdjustedLower float64 `json:"adjusted_rate_lower"`
	AdjustedUpper float64 `json:"adjusted_rate_upper"`
	Funnel        string  `json:"funnel"`
	Suppressed    bool    `json:"suppressed,omitempty"`
}

// CaseMixResult is a case-mix adjusted indicator by unit.
type CaseMixResult struct {
	Outcome        string          `json:"outcome"`
	Covariates     []string        `json:"covariates"`
	Terms          []string        `json:"terms"`
	Coefficients   []float64       `json:"coefficients"`
	NationalRate   float64         `json:"national_rate"`
	Rows           []CaseMixRow    `json:"rows"`
	Overdispersion *Overdispersion `json:"overdispersion,omitempty"`
	Flagged        []string        `json:"flagged,omitempty"`
	// Excluded counts the cases left out for a missing outcome or
	// covariate; ExcludedWhy says which.
	Excluded    int    `json:"excluded"`
	ExcludedWhy string `json:"excluded_why,omitempty"`
}

// MainTable is the table CSV output writes.
func (*CaseMixResult) MainTable() string { return "rows" }

// CaseMix adjusts an indicator for case mix by indirect standardisation:
// a national patient-level logistic regression of the 0/1 outcome on the
// covariates (numeric columns as they are, text columns as categories;
// internal/glm, checked against R's glm) gives each case its expected
// probability; a unit's expected count E is their sum, O/E has the exact
// Poisson interval of Ulm (1990), and the risk-adjusted rate is O/E times
// the national rate. Units are placed in the funnel by exact Poisson
// limits around E (the 2.5%/97.5% and 0.1%/99.9% quantiles), or by the
// overdispersed ones with opts.Overdispersion; those outside 99.8% are
// flagged.
func CaseMix(fr *datasets.Frame, unit, outcome string, covariates []string, opts CaseMixOptions) (*CaseMixResult, error) {
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	if opts.Suppress != 0 && opts.Suppress < 3 {
		return nil, fmt.Errorf("case mix: suppress %d: want at least 3", opts.Suppress)
	}
	// Cases without the outcome (a PROM score not scored) or a covariate
	// are left out of the model and the counts, as R's na.omit, and said.
	fr, missing, err := fr.DropMissing(append([]string{outcome}, covariates...)...)
	if err != nil {
		return nil, err
	}
	units, err := fr.Strings(unit)
	if err != nil {
		return nil, err
	}
	y, err := fr.Floats(outcome, false)
	if err != nil {
		return nil, err
	}
	for i, v := range y {
		if v != 0 && v != 1 {
			return nil, fr.Fail(outcome, i, datasets.ErrOutOfRange, "0 or 1")
		}
	}
	n := fr.Len()
	res := &CaseMixResult{Outcome: outcome, Covariates: covariates, Terms: []string{"(intercept)"}, Excluded: missing.Dropped}
	if missing.Dropped > 0 {
		res.ExcludedWhy = missing.String()
	}
	var x []float64
	p := 1
	if len(covariates) > 0 {
		pipe, design, err := features.CovariatesOf(fr, covariates, nil)
		if err != nil {
			return nil, err
		}
		k := len(pipe.Names())
		p = k + 1
		x = make([]float64, n*p)
		for i := 0; i < n; i++ {
			x[i*p] = 1
			copy(x[i*p+1:(i+1)*p], design[i*k:(i+1)*k])
		}
		res.Terms = append(res.Terms, pipe.Names()...)
	}
	fit, err := glm.Fit(glm.Binomial, x, p, y, glm.Options{})
	if err != nil {
		return nil, fmt.Errorf("case mix: the national model: %w", err)
	}
	if !fit.Converged {
		return nil, fmt.Errorf("case mix: the national model did not converge")
	}
	res.Coefficients = fit.Coef
	obs, exp, cases := map[string]float64{}, map[string]float64{}, map[string]float64{}
	var order []string
	totalO := 0.0
	for i := 0; i < n; i++ {
		eta := fit.Coef[0]
		for j := 1; j < p; j++ {
			eta += fit.Coef[j] * x[i*p+j]
		}
		u := units[i]
		if _, ok := cases[u]; !ok {
			order = append(order, u)
		}
		cases[u]++
		obs[u] += y[i]
		exp[u] += 1 / (1 + math.Exp(-eta))
		totalO += y[i]
	}
	groups.Sort(order)
	res.NationalRate = totalO / float64(n)
	for _, u := range order {
		r := CaseMixRow{Unit: u, Cases: cases[u], Observed: obs[u], Expected: exp[u]}
		s, err := incidence.IndirectRate(r.Observed, r.Expected, opts.Level)
		if err != nil {
			return nil, fmt.Errorf("case mix, %s: %w", u, err)
		}
		r.OE, r.OELower, r.OEUpper = s.SIR, s.Lower, s.Upper
		r.Adjusted, r.AdjustedLower, r.AdjustedUpper = r.OE*res.NationalRate, r.OELower*res.NationalRate, r.OEUpper*res.NationalRate
		r.Funnel = poissonPlace(r.Observed, r.Expected)
		res.Rows = append(res.Rows, r)
	}
	if opts.Suppress > 0 {
		suppressCaseMix(res, float64(opts.Suppress))
	}
	if opts.Overdispersion {
		var o, e []float64
		var idx []int
		for i, r := range res.Rows {
			if !r.Suppressed {
				o, e, idx = append(o, r.Observed), append(e, r.Expected), append(idx, i)
			}
		}
		if len(idx) >= 2 {
			od, err := RatioOverdispersion(o, e, 0.1)
			if err != nil {
				return nil, err
			}
			res.Overdispersion = od
			for k, i := range idx {
				res.Rows[i].Funnel = zPlace(od.ZAdjusted[k])
			}
		}
	}
	for _, r := range res.Rows {
		if !r.Suppressed && (r.Funnel == "above 99.8%" || r.Funnel == "below 99.8%") {
			res.Flagged = append(res.Flagged, r.Unit)
		}
	}
	return res, nil
}

// poissonPlace places an observed count against Poisson(expected): above
// the 97.5% (99.9%) quantile or below the 2.5% (0.1%) one.
func poissonPlace(o, e float64) string {
	pd := distuv.Poisson{Lambda: e}
	q := func(p float64) float64 {
		k := 0.0
		for pd.CDF(k) < p {
			k++
		}
		return k
	}
	switch {
	case o > q(0.999):
		return "above 99.8%"
	case o > q(0.975):
		return "above 95%"
	case o < q(0.001):
		return "below 99.8%"
	case o < q(0.025):
		return "below 95%"
	}
	return "within"
}

func zPlace(z float64) string {
	const z95, z998 = 1.959963984540054, 3.090232306167813
	switch {
	case z > z998:
		return "above 99.8%"
	case z > z95:
		return "above 95%"
	case z < -z998:
		return "below 99.8%"
	case z < -z95:
		return "below 95%"
	}
	return "within"
}

// suppressCaseMix hides units whose cases or observed events are below n,
// whole (counts, expected count, ratios), and the smallest other unit with
// a lone one, so that the national totals give none back (moving a share
// of one hidden unit's cases and events to the other keeps every total).
func suppressCaseMix(res *CaseMixResult, n float64) {
	hidden := map[int]bool{}
	for i, r := range res.Rows {
		if (r.Cases > 0 && r.Cases < n) || (r.Observed > 0 && r.Observed < n) || (r.Cases-r.Observed > 0 && r.Cases-r.Observed < n) {
			hidden[i] = true
		}
	}
	if len(hidden) == 1 {
		best := -1
		for i, r := range res.Rows {
			if !hidden[i] && (best < 0 || r.Cases < res.Rows[best].Cases) {
				best = i
			}
		}
		if best >= 0 {
			hidden[best] = true
		}
	}
	nan := math.NaN()
	for i := range hidden {
		r := &res.Rows[i]
		*r = CaseMixRow{Unit: r.Unit, Cases: nan, Observed: nan, Expected: nan, OE: nan, OELower: nan, OEUpper: nan,
			Adjusted: nan, AdjustedLower: nan, AdjustedUpper: nan, Funnel: "suppressed", Suppressed: true}
	}
}
