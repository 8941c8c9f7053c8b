package survival

import (
	"fmt"
	"math"
	"sort"

	"github.com/screenlab/screenlab/internal/radix"
	"gonum.org/v1/gonum/stat/distuv"
)

// ConfType is the scale on which a confidence interval for S(t) is built.
type ConfType string

const (
	// Plain: S ± z·se(S), clipped to [0, 1].
	Plain ConfType = "plain"
	// Log: exp(log S ± z·se(log S)), the upper limit capped at 1 (R's
	// default).
	Log ConfType = "log"
	// LogLog: exp(-exp(log(-log S) ± z·se(log S)/log S)) (Kalbfleisch &
	// Prentice 1980); undefined where S is 0 or 1.
	LogLog ConfType = "log-log"
)

// ParseConfType checks a confidence interval type.
func ParseConfType(s string) (ConfType, error) {
	switch c := ConfType(s); c {
	case Plain, Log, LogLog:
		return c, nil
	}
	return "", fmt.Errorf("confidence interval type %q: want plain, log or log-log", s)
}

// KMOptions control KaplanMeier.
type KMOptions struct {
	// Entry times for delayed entry (left truncation), as R's
	// Surv(entry, time, event): a subject is at risk at t when
	// entry < t <= time. Nil means everyone enters at time 0.
	Entry []float64
	// Weights are case weights; nil means 1.
	Weights  []float64
	ConfType ConfType // default Log
	Level    float64  // default 0.95
	// Times at which to report the curve (summary.survfit(times = …)).
	Times []float64
	// Horizon, when positive, asks for the restricted mean survival time to
	// it.
	Horizon float64
}

// KMRow is the curve at one distinct time (of an event or a censoring):
// the fields of KMAt, where StdErr is the standard error of S(t),
// S(t)·sqrt(Σ d/(n(n−d))), as summary.survfit prints it, and the
// Nelson–Aalen cumulative hazard.
type KMRow struct {
	KMAt
	// CumHaz is the Nelson–Aalen cumulative hazard Σ d/n (Nelson 1972,
	// Aalen 1978) and CumHazSE its standard error sqrt(Σ d/n²).
	CumHaz   float64 `json:"cumhaz"`
	CumHazSE float64 `json:"cumhaz_se"`

	seLog float64 // se of log S (Greenwood)
}

// KMAt is the curve at a time: at a requested one, with the events and
// censorings since the requested time before it (as R's summary(fit,
// times=)); in the table, at each distinct time.
type KMAt struct {
	Time    float64 `json:"time"`
	NRisk   float64 `json:"n_risk"`
	NEvent  float64 `json:"n_event"`
	NCensor float64 `json:"n_censor"`
	Surv    float64 `json:"surv"`
	StdErr  float64 `json:"std_err"`
	Lower   float64 `json:"lower"`
	Upper   float64 `json:"upper"`
}

// RMST is the restricted mean survival time to a horizon,
//
//	RMST(τ) = ∫₀^τ S(t) dt,  Var = Σ_{t_i ≤ τ} A_i² d_i / (n_i (n_i − d_i)),
//
// where A_i = ∫_{t_i}^τ S(t) dt (as R's print.survfit(rmean = τ)).
type RMST struct {
	Horizon float64 `json:"horizon"`
	Mean    float64 `json:"mean"`
	StdErr  float64 `json:"std_err"`
	Lower   float64 `json:"lower"`
	Upper   float64 `json:"upper"`
}

// KMResult is a Kaplan–Meier curve.
type KMResult struct {
	N           int      `json:"n"`
	Events      float64  `json:"events"`
	Median      float64  `json:"median"`
	MedianLower float64  `json:"median_lower"`
	MedianUpper float64  `json:"median_upper"`
	Table       []KMRow  `json:"table"`
	At          []KMAt   `json:"at"`
	RMST        *RMST    `json:"rmst,omitempty"`
	Warnings    []string `json:"warnings,omitempty"`
}

// KaplanMeier estimates the survival curve (Kaplan & Meier 1958)
//
//	S(t) = Π_{t_i ≤ t} (1 − d_i / n_i)
//
// with Greenwood's (1926) variance
//
//	Var log S(t) = Σ_{t_i ≤ t} d_i / (n_i (n_i − d_i)),
//
// where n_i is the (weighted) number at risk just before t_i and d_i the
// (weighted) number of events at t_i. At a time with both events and
// censorings, the censored are still at risk (R's rule). Confidence limits
// follow opts.ConfType as R's survfit does; the median and its limits follow
// quantile.survfit: the first time the curve (or its lower or upper limit)
// reaches 0.5, the midpoint of a flat stretch lying exactly at 0.5.
//
// With case weights the variance is Greenwood's with weighted counts, as R
// gives with robust = FALSE (for non-integer weights R's default is the
// infinitesimal jackknife).
//
// time, event and the optional Entry and Weights must have the same length
// (else it panics). A NaN, infinite or negative time, an entry not before its
// time, or a negative weight is an error naming the row index.
func KaplanMeier(time []float64, event []bool, opts KMOptions) (*KMResult, error) {
	if len(event) != len(time) || (opts.Entry != nil && len(opts.Entry) != len(time)) || (opts.Weights != nil && len(opts.Weights) != len(time)) {
		panic("survival: slice length mismatch")
	}
	if err := checkTimes(time, opts.Entry, opts.Weights); err != nil {
		return nil, err
	}
	if opts.ConfType == "" {
		opts.ConfType = Log
	}
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	n := len(time)
	w := func(i int) float64 {
		if opts.Weights == nil {
			return 1
		}
		return opts.Weights[i]
	}
	order := radix.SortedIndex(time)
	// Entries sorted, to remove subjects who have not yet entered.
	var entries []float64
	var entryW []float64
	if opts.Entry != nil {
		eo := radix.SortedIndex(opts.Entry)
		entries = make([]float64, n)
		entryW = make([]float64, n+1) // suffix sums of weights by entry
		for k, i := range eo {
			entries[k] = opts.Entry[i]
		}
		for k := n - 1; k >= 0; k-- {
			entryW[k] = entryW[k+1] + w(eo[k])
		}
	}
	// Weighted number with time >= t: suffix sums over the sorted times.
	res := &KMResult{N: n}
	total := 0.0
	for i := 0; i < n; i++ {
		total += w(i)
	}
	atRiskFromTime := total
	surv, varLog, cumhaz, varCH := 1.0, 0.0, 0.0, 0.0
	z := distuv.UnitNormal.Quantile(1 - (1-opts.Level)/2)
	for k := 0; k < n; {
		t := time[order[k]]
		var d, c, wsum float64
		j := k
		for ; j < n && time[order[j]] == t; j++ {
			i := order[j]
			wsum += w(i)
			if event[i] {
				d += w(i)
			} else {
				c += w(i)
			}
		}
		nrisk := atRiskFromTime
		if entries != nil {
			// Subjects with entry >= t are not yet at risk.
			nrisk -= entryW[sort.SearchFloat64s(entries, t)]
		}
		if d > 0 {
			if nrisk-d > 0 {
				varLog += d / (nrisk * (nrisk - d))
			} else {
				varLog = math.Inf(1)
			}
			surv *= 1 - d/nrisk
			cumhaz += d / nrisk
			varCH += d / (nrisk * nrisk)
			res.Events += d
		}
		row := KMRow{KMAt: KMAt{Time: t, NRisk: nrisk, NEvent: d, NCensor: c, Surv: surv}, CumHaz: cumhaz, CumHazSE: math.Sqrt(varCH), seLog: math.Sqrt(varLog)}
		row.StdErr = surv * row.seLog
		if math.IsInf(row.seLog, 1) {
			row.StdErr = math.NaN()
		}
		row.Lower, row.Upper = confInt(surv, row.seLog, opts.ConfType, z)
		res.Table = append(res.Table, row)
		atRiskFromTime -= wsum
		k = j
	}
	res.Median, res.MedianLower, res.MedianUpper = medianOf(res.Table)
	last := math.Inf(-1)
	if len(res.Table) > 0 {
		last = res.Table[len(res.Table)-1].Time
	}
	for _, t := range opts.Times {
		if t > last {
			res.Warnings = append(res.Warnings, fmt.Sprintf("time %g is after the last follow-up time %g: not reported", t, last))
			continue
		}
		a := res.at(t, time, opts, w, z)
		prev := math.Inf(-1) // the requested time before t
		for _, u := range opts.Times {
			if u < t && u > prev {
				prev = u
			}
		}
		for _, r := range res.Table {
			if r.Time > prev && r.Time <= t {
				a.NEvent += r.NEvent
				a.NCensor += r.NCensor
			}
		}
		res.At = append(res.At, a)
	}
	if opts.Horizon > 0 {
		res.RMST = rmst(res.Table, opts.Horizon, z)
	}
	return res, nil
}

// at evaluates the curve at t: S at the last time <= t, and the number at
// risk at t (weighted count with entry < t <= time).
func (res *KMResult) at(t float64, time []float64, opts KMOptions, w func(int) float64, z float64) KMAt {
	k := sort.Search(len(res.Table), func(i int) bool { return res.Table[i].Time > t }) - 1
	a := KMAt{Time: t, Surv: 1}
	seLog := 0.0
	if k >= 0 {
		a.Surv, a.StdErr, seLog = res.Table[k].Surv, res.Table[k].StdErr, res.Table[k].seLog
	}
	// Number at risk at t: that of the first table time >= t, else 0.
	switch {
	case k >= 0 && res.Table[k].Time == t:
		a.NRisk = res.Table[k].NRisk
	case k+1 < len(res.Table) && opts.Entry == nil:
		a.NRisk = res.Table[k+1].NRisk
	case k+1 < len(res.Table):
		// Entries between t and the next time change the risk set.
		for i := range time {
			if time[i] >= t && opts.Entry[i] < t {
				a.NRisk += w(i)
			}
		}
	}
	a.Lower, a.Upper = confInt(a.Surv, seLog, opts.ConfType, z)
	return a
}

// confInt returns the limits for S with se the standard error of log S, as
// R's survfit_confint (NaN where undefined).
func confInt(s, se float64, ct ConfType, z float64) (lo, hi float64) {
	nan := math.NaN()
	if math.IsInf(se, 1) {
		return nan, nan
	}
	switch ct {
	case Plain:
		h := z * se * s
		return math.Max(s-h, 0), math.Min(s+h, 1)
	case LogLog:
		if s == 0 || s == 1 {
			return nan, nan
		}
		h := z * se / math.Log(s)
		return math.Exp(-math.Exp(math.Log(-math.Log(s)) - h)), math.Exp(-math.Exp(math.Log(-math.Log(s)) + h))
	default:
		if s == 0 {
			return nan, nan
		}
		return math.Exp(math.Log(s) - z*se), math.Min(math.Exp(math.Log(s)+z*se), 1)
	}
}

// medianOf finds the median and its limits as quantile.survfit does.
func medianOf(table []KMRow) (median, lower, upper float64) {
	times := make([]float64, len(table))
	s, lo, hi := make([]float64, len(table)), make([]float64, len(table)), make([]float64, len(table))
	for i, r := range table {
		times[i], s[i], lo[i], hi[i] = r.Time, r.Surv, r.Lower, r.Upper
	}
	return quantileTime(times, s, 0.5), quantileTime(times, lo, 0.5), quantileTime(times, hi, 0.5)
}

// quantileTime is R's findq for the p-quantile of a curve S: on the CDF
// 1 − S (starting from 0 at time 0), the first time it reaches 1 − p; when
// it equals 1 − p within sqrt(machine epsilon) over a flat stretch, the
// midpoint of the stretch (to the last time when the curve ends flat). NaN
// values of S (undefined limits) are skipped; NaN when never reached.
func quantileTime(times, s []float64, p float64) float64 {
	const tol = 1.4901161193847656e-08 // sqrt(.Machine$double.eps)
	q := 1 - p
	x := []float64{0}
	y := []float64{0}
	for i := range times {
		if math.IsNaN(s[i]) {
			continue
		}
		v := 1 - s[i]
		if v == y[len(y)-1] { // duplicated y (a censoring): keep the first
			continue
		}
		x = append(x, times[i])
		y = append(y, v)
	}
	if y[len(y)-1] < q {
		return math.NaN()
	}
	first := func(shift float64) int {
		for j := range y {
			if y[j]+shift >= q {
				return j
			}
		}
		return -1
	}
	i1, i2 := first(tol), first(-tol)
	if math.Abs(q-y[len(y)-1]) < tol {
		// The curve ends flat at 1 - p: midpoint with the last time.
		return (x[i1] + times[len(times)-1]) / 2
	}
	if i1 < 0 || i2 < 0 {
		return math.NaN()
	}
	return (x[i1] + x[i2]) / 2
}

// rmst integrates the curve to the horizon.
func rmst(table []KMRow, tau, z float64) *RMST {
	r := &RMST{Horizon: tau}
	// Steps: S = 1 on [0, t1), S_1 on [t1, t2), ...
	prevT, prevS := 0.0, 1.0
	type ev struct{ t, d, n float64 }
	var events []ev
	for _, row := range table {
		if row.Time > tau {
			break
		}
		r.Mean += prevS * (row.Time - prevT)
		prevT, prevS = row.Time, row.Surv
		if row.NEvent > 0 {
			events = append(events, ev{row.Time, row.NEvent, row.NRisk})
		}
	}
	r.Mean += prevS * (tau - prevT)
	// A_i = area from t_i to tau.
	v := 0.0
	for _, e := range events {
		area := 0.0
		pt, ps := e.t, 0.0
		for _, row := range table {
			if row.Time < e.t {
				continue
			}
			if row.Time > tau {
				break
			}
			if row.Time == e.t {
				ps = row.Surv
				continue
			}
			area += ps * (row.Time - pt)
			pt, ps = row.Time, row.Surv
		}
		area += ps * (tau - pt)
		if e.n-e.d > 0 {
			v += area * area * e.d / (e.n * (e.n - e.d))
		}
	}
	r.StdErr = math.Sqrt(v)
	r.Lower, r.Upper = r.Mean-z*r.StdErr, r.Mean+z*r.StdErr
	return r
}

// checkTimes validates times, entries and weights.
func checkTimes(time, entry, weights []float64) error {
	for i, t := range time {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return &InputError{Row: i, Msg: fmt.Sprintf("time %v: want a finite number >= 0", t)}
		}
		if entry != nil {
			e := entry[i]
			if math.IsNaN(e) || math.IsInf(e, 0) {
				return &InputError{Row: i, Msg: fmt.Sprintf("entry %v: want a finite number", e)}
			}
			if e >= t {
				return &InputError{Row: i, Msg: fmt.Sprintf("entry %v is not before time %v: want start < stop", e, t)}
			}
		}
		if weights != nil && (math.IsNaN(weights[i]) || weights[i] < 0 || math.IsInf(weights[i], 0)) {
			return &InputError{Row: i, Msg: fmt.Sprintf("weight %v: want a finite number >= 0", weights[i])}
		}
	}
	return nil
}

// InputError reports a bad value at a row index of the input slices.
type InputError struct {
	Row int
	Msg string
}

func (e *InputError) Error() string { return fmt.Sprintf("row %d: %s", e.Row, e.Msg) }
