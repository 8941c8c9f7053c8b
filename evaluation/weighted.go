package evaluation

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/screenlab/screenlab/survival"
)

// evaluateWeighted fills res for weighted rows: the weighted AUC (binary)
// or Harrell's C (with time) with their infinitesimal-jackknife intervals,
// and the weighted Brier score. Options with no weighted form are an
// error; metrics without one are left out with a note.
func evaluateWeighted(res *Result, s []float64, y []bool, tm, w []float64, compare bool, level float64, opts Options) (*Result, error) {
	for _, o := range []struct {
		set  bool
		name string
	}{{compare, "--compare"}, {opts.Bootstrap > 0, "--bootstrap"}, {len(opts.Thresholds) > 0, "--threshold"},
		{opts.PartialAUC != nil, "--partial-auc"}, {opts.Calibration == "yes", "--calibration yes"}} {
		if o.set {
			return nil, fmt.Errorf("%s: %w", o.name, ErrWeighted)
		}
	}
	for i, v := range w {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("weight at row %d is %v: want a finite weight >= 0", i+1, v)
		}
	}
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	if tm != nil {
		c, se := survival.ConcordanceSE(tm, y, s, survival.ConcordanceOptions{Weights: w})
		res.Time = &TimeMetrics{Horizon: opts.Horizon, HarrellC: c, HarrellCSE: se, HarrellCLower: c - z*se, HarrellCUpper: c + z*se,
			UnoC: math.NaN(), UnoCSE: math.NaN(), UnoCLower: math.NaN(), UnoCUpper: math.NaN(),
			AUC: math.NaN(), AUCSE: math.NaN(), AUCLower: math.NaN(), AUCUpper: math.NaN(), Brier: math.NaN(), OE: math.NaN(),
			Notes: []string{"with case weights: Harrell's C only (Uno's C, the AUC and Brier score at the horizon and calibration have no weighted form here)"}}
		return res, nil
	}
	if res.Positives == 0 || res.Positives == len(y) {
		return nil, ErrOneClass
	}
	// A binary outcome as survival data: positives fail at 0, negatives
	// are followed past it, so the comparable pairs are (positive,
	// negative) and Harrell's C is the weighted AUC.
	t := make([]float64, len(y))
	for i, pos := range y {
		if !pos {
			t[i] = 1
		}
	}
	c, se := survival.ConcordanceSE(t, y, s, survival.ConcordanceOptions{Weights: w})
	res.AUC = &AUC{Estimate: c, SE: se, Lower: math.Max(0, c-z*se), Upper: math.Min(1, c+z*se), Method: "weighted concordance, infinitesimal jackknife"}
	probabilities := true
	for _, v := range s {
		probabilities = probabilities && v >= 0 && v <= 1
	}
	if probabilities && opts.Calibration != "no" {
		var num, den float64
		for i, v := range s {
			d := v
			if y[i] {
				d = 1 - v
			}
			num, den = num+w[i]*d*d, den+w[i]
		}
		res.Brier = num / den
	}
	res.Notes = append(res.Notes, "with case weights: the weighted AUC and Brier score only (calibration, the decision curve and average precision have no weighted form here)")
	return res, nil
}
