package evaluation

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/internal/numeric"
	"github.com/screenlab/screenlab/internal/radix"
)

// Data is a score against outcomes: Score (higher = more likely positive;
// NaN = missing), Outcome, and optionally the follow-up Time (for metrics at
// a horizon) and a second score to Compare (NaN = missing).
type Data struct {
	Score   []float64
	Outcome []bool
	Time    []float64
	Compare []float64
	// Weights are case weights (nil: none): the AUC is then the weighted
	// concordance of the score with the outcome, with its infinitesimal-
	// jackknife interval (survival::concordance(weights =)), the Brier
	// score a weighted mean, and at a horizon Harrell's C is weighted;
	// the metrics that have no weighted form here are left out with a
	// note, and those asked for by option are an error.
	Weights []float64
}

// ErrWeighted is returned for an option that has no weighted form.
var ErrWeighted = errors.New("not available with case weights")

// Options control Evaluate.
type Options struct {
	// Horizon for the time-to-event metrics (with Data.Time).
	Horizon float64
	// Level of every interval (default 0.95).
	Level float64
	// Bootstrap replicates of the AUC (0: none), drawn from Seed.
	Bootstrap int
	Seed      uint64
	// Calibration: "auto" (the default: only for scores within [0, 1],
	// else a note), "yes" (scores outside [0, 1] are an error) or "no".
	Calibration string
	// Thresholds are rules for ChooseThreshold (cutoff:0.3, top:10%,
	// sensitivity:0.9, specificity:0.95, youden), CIMethod the interval of
	// the proportions at them (default Wilson).
	Thresholds []string
	CIMethod   CIMethod
	// PartialAUC, when set, is the range of specificities {lo, hi}.
	PartialAUC *[2]float64
	// ScoreName names the score in messages.
	ScoreName string
}

// RuleError is a threshold rule that cannot be applied (a usage error).
type RuleError struct{ Err error }

func (e *RuleError) Error() string { return e.Err.Error() }
func (e *RuleError) Unwrap() error { return e.Err }

// BootstrapCI is a percentile interval from a stratified bootstrap.
type BootstrapCI struct {
	Replicates int     `json:"replicates"`
	Lower      float64 `json:"lower"`
	Upper      float64 `json:"upper"`
	Seed       uint64  `json:"seed"`
}

// PartialAUCResult is the area over a range of specificities.
type PartialAUCResult struct {
	SpecificityFrom float64 `json:"specificity_from"`
	SpecificityTo   float64 `json:"specificity_to"`
	Area            float64 `json:"area"`
}

// Result is every metric of a score against outcomes (the JSON of
// screenlab evaluate). ROC, Scores and Outcomes (the rows used) are kept
// for plots and not written.
type Result struct {
	N             int                `json:"n"`
	Positives     int                `json:"positives"`
	MissingScores int                `json:"missing_scores"`
	AUC           *AUC               `json:"auc,omitempty"`
	AUCBootstrap  *BootstrapCI       `json:"auc_bootstrap,omitempty"`
	Brier         float64            `json:"brier"`
	ScaledBrier   float64            `json:"scaled_brier"`
	Calibration   *Calibration       `json:"calibration,omitempty"`
	CalPlot       *CalibrationData   `json:"calibration_plot,omitempty"`
	Compare       *Comparison        `json:"compare,omitempty"`
	PartialAUC    *PartialAUCResult  `json:"partial_auc,omitempty"`
	AvgPrecision  float64            `json:"average_precision"`
	Thresholds    []ThresholdMetrics `json:"thresholds,omitempty"`
	DecisionCurve []NetBenefit       `json:"decision_curve,omitempty"`
	ROC           []ROCPoint         `json:"-"`
	CompareROC    []ROCPoint         `json:"-"` // the ROC curve of Data.Compare
	Scores        []float64          `json:"-"`
	Outcomes      []bool             `json:"-"`
	Time          *TimeMetrics       `json:"time,omitempty"`
	Notes         []string           `json:"notes,omitempty"`
}

// GroupResult is the result in one subgroup.
type GroupResult struct {
	Group groups.Key `json:"-"`
	Result
}

// ByGroup is the overall result and one per subgroup.
type ByGroup struct {
	Result
	By []GroupResult `json:"by,omitempty"`
}

// MainTable is one row per subgroup with --by, else the overall figures
// as one row (render.Options).
func (b *ByGroup) MainTable() string {
	if len(b.By) > 0 {
		return "by"
	}
	return "."
}

// PeopleTables shows the subgroups first to a person (render.PeopleTabler).
func (b *ByGroup) PeopleTables() []string {
	if len(b.By) > 0 {
		return []string{"by"}
	}
	return nil
}

// PeopleColumns are the key metrics of each subgroup in a table for people:
// its size, the AUC with its interval, average precision, the Brier score,
// the calibration slope and O/E (binary outcomes), or Harrell's and Uno's
// C, AUC(t) and Brier(t) (at a horizon), and notes (render.PeopleColumner).
func (b *ByGroup) PeopleColumns(table string) []string {
	if table != "by" {
		return nil
	}
	return []string{"n", "positives", "missing_scores", "auc.estimate", "auc.lower", "auc.upper", "average_precision", "brier",
		"calibration.slope", "calibration.oe", "calibration.oe_lower", "calibration.oe_upper",
		"time.harrell_c", "time.uno_c", "time.auc", "time.brier", "notes"}
}

// Evaluate computes the metrics of a score against binary outcomes: the
// AUC with DeLong's (1988) interval, the paired DeLong test against
// Data.Compare, a stratified bootstrap interval of the AUC, the ROC curve,
// average precision, the partial AUC, metrics at thresholds, and for
// probabilities the Brier score, calibration (Calibrate) and the decision
// curve (DecisionCurve on DecisionThresholds); or, with Data.Time, the
// time-dependent metrics at Options.Horizon (EvaluateAtHorizon). Rows with
// a missing score are counted, left out, and noted.
func Evaluate(d Data, opts Options) (*Result, error) {
	return evaluateRows(d, nil, opts)
}

// EvaluateByGroup evaluates every row and then each group of rows sharing
// the values of the key columns keys (named names), groups in the order of
// groups.LessKeys. A group where a metric cannot be computed gets a note
// instead of failing the whole result.
func EvaluateByGroup(d Data, names []string, keys [][]string, opts Options) (*ByGroup, error) {
	res, err := evaluateRows(d, nil, opts)
	if err != nil {
		return nil, err
	}
	out := &ByGroup{Result: *res}
	for _, g := range groups.By(keys...) {
		r, err := evaluateRows(d, g.Rows, opts)
		if err != nil {
			var re *RuleError
			if errors.As(err, &re) {
				return nil, err
			}
			nan := math.NaN()
			r = &Result{N: len(g.Rows), Brier: nan, ScaledBrier: nan, AvgPrecision: nan, Notes: []string{err.Error()}}
		}
		out.By = append(out.By, GroupResult{Group: groups.Key{Names: names, Values: g.Values}, Result: *r})
	}
	return out, nil
}

// evaluateRows evaluates the rows idx (nil: every row).
func evaluateRows(d Data, idx []int, opts Options) (*Result, error) {
	if idx == nil {
		idx = make([]int, len(d.Score))
		for i := range idx {
			idx[i] = i
		}
	}
	level := opts.Level
	if level == 0 {
		level = 0.95
	}
	res := &Result{N: len(idx), Brier: math.NaN(), ScaledBrier: math.NaN(), AvgPrecision: math.NaN()}
	s, y := make([]float64, 0, len(idx)), make([]bool, 0, len(idx))
	var c, tm, wt []float64
	if d.Compare != nil {
		c = make([]float64, 0, len(idx))
	}
	if d.Time != nil {
		tm = make([]float64, 0, len(idx))
	}
	if d.Weights != nil {
		wt = make([]float64, 0, len(idx))
	}
	for _, i := range idx {
		if math.IsNaN(d.Score[i]) || (d.Compare != nil && math.IsNaN(d.Compare[i])) {
			res.MissingScores++
			continue
		}
		s, y = append(s, d.Score[i]), append(y, d.Outcome[i])
		if d.Compare != nil {
			c = append(c, d.Compare[i])
		}
		if d.Time != nil {
			tm = append(tm, d.Time[i])
		}
		if d.Weights != nil {
			wt = append(wt, d.Weights[i])
		}
		if d.Outcome[i] {
			res.Positives++
		}
	}
	if res.MissingScores > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d rows with a missing score are left out of every metric", res.MissingScores))
	}
	if d.Weights != nil {
		return evaluateWeighted(res, s, y, tm, wt, d.Compare != nil, level, opts)
	}
	if d.Time != nil {
		m, err := EvaluateAtHorizon(tm, y, s, opts.Horizon)
		if err != nil {
			return nil, err
		}
		res.Time = m
		return res, nil
	}
	if err := checkBinary(s, y); err != nil {
		return nil, err
	}
	order := radix.SortedIndex(s) // one sort for the AUC and the ROC curve
	auc := aucDeLongOrdered(order, s, y, level)
	res.AUC = &auc
	if d.Compare != nil {
		cmp, err := CompareAUC(s, c, y)
		if err != nil {
			return nil, err
		}
		res.Compare = &cmp
		res.CompareROC = ROC(c, y)
	}
	if opts.Bootstrap > 0 {
		res.AUCBootstrap = BootstrapAUC(s, y, opts.Bootstrap, opts.Seed, level)
	}
	res.ROC, res.Scores, res.Outcomes = rocOrdered(order, s, y), s, y
	res.AvgPrecision = AveragePrecision(res.ROC)
	if r := opts.PartialAUC; r != nil {
		res.PartialAUC = &PartialAUCResult{SpecificityFrom: r[0], SpecificityTo: r[1], Area: PartialAUC(res.ROC, r[0], r[1])}
	}
	ci := opts.CIMethod
	if ci == "" {
		ci = Wilson
	}
	for _, rule := range opts.Thresholds {
		t, err := ChooseThreshold(s, y, rule)
		if err != nil {
			return nil, &RuleError{Err: err}
		}
		res.Thresholds = append(res.Thresholds, AtThreshold(s, y, t, rule, level, ci))
	}
	probabilities := true
	for _, v := range s {
		if v < 0 || v > 1 {
			probabilities = false
			break
		}
	}
	switch {
	case opts.Calibration == "no":
	case !probabilities && opts.Calibration == "yes":
		return nil, fmt.Errorf("--calibration yes: score %s has values outside [0, 1]; calibration needs predicted probabilities", opts.ScoreName)
	case !probabilities:
		res.Notes = append(res.Notes, "scores are not probabilities in [0, 1]: Brier score and calibration skipped")
	default:
		res.Brier, res.ScaledBrier = Brier(s, y)
		cal, err := calibrate(s, y, level, order)
		if err != nil {
			return nil, err
		}
		sorted, ySorted := make([]float64, len(s)), make([]bool, len(s))
		for k, i := range order {
			sorted[k], ySorted[k] = s[i], y[i]
		}
		res.Calibration = cal
		res.CalPlot = newCalibrationData(cal, s, sorted)
		res.DecisionCurve = decisionCurveSorted(sorted, ySorted, decisionThresholds(sorted))
	}
	return res, nil
}

// BootstrapAUC is a percentile interval of the AUC from reps stratified
// bootstrap samples (positives and negatives resampled separately, as
// pROC's ci.auc(method = "bootstrap")), drawn from seed.
func BootstrapAUC(s []float64, y []bool, reps int, seed uint64, level float64) *BootstrapCI {
	aucs := make([]float64, reps)
	stratifiedBootstrap(s, y, reps, rand.NewPCG(seed, 0x5eed), func(k int, bs []float64, by []bool) {
		a, _ := AUCDeLong(bs, by, level)
		aucs[k] = a.Estimate
	})
	lo, hi := numeric.PercentileInterval(aucs, level)
	return &BootstrapCI{Replicates: reps, Lower: lo, Upper: hi, Seed: seed}
}

// stratifiedBootstrap is screenlab's one bootstrap of a score against a
// binary outcome: reps samples, each drawing as many positives from the
// positives and negatives from the negatives, with replacement, from src;
// sample k is passed to f (its slices are reused).
func stratifiedBootstrap(score []float64, outcome []bool, reps int, src rand.Source, f func(k int, bs []float64, by []bool)) {
	var pos, neg []float64
	for i := range score {
		if outcome[i] {
			pos = append(pos, score[i])
		} else {
			neg = append(neg, score[i])
		}
	}
	r := rand.New(src)
	bs := make([]float64, len(pos)+len(neg))
	by := make([]bool, len(bs))
	for k := 0; k < reps; k++ {
		for i := range pos {
			bs[i], by[i] = pos[r.IntN(len(pos))], true
		}
		for j := range neg {
			bs[len(pos)+j], by[len(pos)+j] = neg[r.IntN(len(neg))], false
		}
		f(k, bs, by)
	}
}

// DecisionThresholds is screenlab's one grid of risk thresholds for a
// decision curve: 50 steps up to 50% (1%, 2%, … 50%), or, when the 99th
// percentile of predicted risk is below 10% (screening: cancer risks of a
// few per thousand), 50 steps up to that percentile.
func DecisionThresholds(risk []float64) []float64 {
	s := append([]float64(nil), risk...)
	radix.SortFloat64s(s)
	return decisionThresholds(s)
}

// decisionThresholds is DecisionThresholds given the risks sorted.
func decisionThresholds(s []float64) []float64 {
	top := 0.5
	if len(s) > 0 {
		if q := s[int(0.99*float64(len(s)-1))]; q < 0.1 {
			top = q
		}
	}
	if top <= 0 {
		return nil
	}
	out := make([]float64, 50)
	for k := range out {
		out[k] = float64(k+1) * top / 50
	}
	return out
}
