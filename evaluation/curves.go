package evaluation

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/internal/numeric"
	"github.com/screenlab/screenlab/internal/radix"
)

// ROCPoint is a point of the ROC curve: classifying score >= Threshold as
// positive.
type ROCPoint struct {
	Threshold   float64 `json:"threshold"`
	Sensitivity float64 `json:"sensitivity"`
	Specificity float64 `json:"specificity"`
	Precision   float64 `json:"precision"`
}

// ROC returns the empirical ROC curve: one point per distinct score (ties
// move the curve diagonally, as pROC), from (sensitivity 1, specificity 0)
// to (0, 1), with precision (PPV) at each threshold.
func ROC(score []float64, outcome []bool) []ROCPoint {
	return rocOrdered(radix.SortedIndex(score), score, outcome)
}

// rocOrdered is ROC from the rows in increasing order of score (shared
// with the DeLong placements: one sort for both). The points come from the
// highest score down, one per tie group, and are returned in increasing
// threshold order, as pROC reports.
func rocOrdered(order []int, score []float64, outcome []bool) []ROCPoint {
	var P, N float64
	for _, y := range outcome {
		if y {
			P++
		} else {
			N++
		}
	}
	groups := 1
	for k := 1; k < len(order); k++ {
		if score[order[k]] != score[order[k-1]] {
			groups++
		}
	}
	pts := make([]ROCPoint, groups+1)
	pts[groups] = ROCPoint{Threshold: math.Inf(1), Sensitivity: 0, Specificity: 1, Precision: math.NaN()}
	var tp, fp float64
	g := groups - 1
	for b := len(order); b > 0; {
		s := score[order[b-1]]
		a := b
		for ; a > 0 && score[order[a-1]] == s; a-- {
			if outcome[order[a-1]] {
				tp++
			} else {
				fp++
			}
		}
		pts[g] = ROCPoint{Threshold: s, Sensitivity: tp / P, Specificity: 1 - fp/N, Precision: tp / (tp + fp)}
		g--
		b = a
	}
	return pts
}

// PartialAUC is the area under the ROC curve over specificities in
// [lo, hi] (pROC's partial.auc with focus "specificity", uncorrected),
// integrating the curve's linear segments.
func PartialAUC(roc []ROCPoint, lo, hi float64) float64 {
	area := 0.0
	for k := 1; k < len(roc); k++ {
		// Segment between roc[k-1] and roc[k] in (specificity, sensitivity).
		x0, y0 := roc[k-1].Specificity, roc[k-1].Sensitivity
		x1, y1 := roc[k].Specificity, roc[k].Sensitivity
		if x1 < x0 {
			x0, x1, y0, y1 = x1, x0, y1, y0
		}
		a, b := math.Max(x0, lo), math.Min(x1, hi)
		if b <= a || x1 == x0 {
			continue
		}
		ya := y0 + (y1-y0)*(a-x0)/(x1-x0)
		yb := y0 + (y1-y0)*(b-x0)/(x1-x0)
		area += (b - a) * (ya + yb) / 2
	}
	return area
}

// AveragePrecision is Σ_n (R_n − R_{n−1}) P_n over thresholds in
// decreasing order (scikit-learn's average_precision_score).
func AveragePrecision(roc []ROCPoint) float64 {
	positives := false
	for _, p := range roc {
		positives = positives || p.Sensitivity > 0
	}
	if !positives {
		return math.NaN() // no positives: precision–recall is not defined
	}
	ap, prevR := 0.0, 0.0
	for k := len(roc) - 2; k >= 0; k-- { // from the highest real threshold down
		r := roc[k].Sensitivity
		ap += (r - prevR) * roc[k].Precision
		prevR = r
	}
	return ap
}

// ThresholdMetrics are the classification measures at a threshold.
type ThresholdMetrics struct {
	Rule        string  `json:"rule"`
	Threshold   float64 `json:"threshold"`
	Positive    int     `json:"positive"`
	TP          int     `json:"tp"`
	FP          int     `json:"fp"`
	TN          int     `json:"tn"`
	FN          int     `json:"fn"`
	Sensitivity float64 `json:"sensitivity"`
	SensLower   float64 `json:"sensitivity_lower"`
	SensUpper   float64 `json:"sensitivity_upper"`
	Specificity float64 `json:"specificity"`
	SpecLower   float64 `json:"specificity_lower"`
	SpecUpper   float64 `json:"specificity_upper"`
	PPV         float64 `json:"ppv"`
	PPVLower    float64 `json:"ppv_lower"`
	PPVUpper    float64 `json:"ppv_upper"`
	NPV         float64 `json:"npv"`
	NPVLower    float64 `json:"npv_lower"`
	NPVUpper    float64 `json:"npv_upper"`
	LRPositive  float64 `json:"lr_positive"`
	LRNegative  float64 `json:"lr_negative"`
}

// AtThreshold classifies score >= threshold as positive.
func AtThreshold(score []float64, outcome []bool, threshold float64, rule string, level float64, method CIMethod) ThresholdMetrics {
	m := ThresholdMetrics{Rule: rule, Threshold: threshold}
	for i, s := range score {
		pos := s >= threshold
		switch {
		case pos && outcome[i]:
			m.TP++
		case pos:
			m.FP++
		case outcome[i]:
			m.FN++
		default:
			m.TN++
		}
	}
	m.Positive = m.TP + m.FP
	prop := func(x, n int) (float64, float64, float64) {
		if n == 0 {
			return math.NaN(), math.NaN(), math.NaN()
		}
		lo, hi := ProportionCI(x, n, level, method)
		return float64(x) / float64(n), lo, hi
	}
	m.Sensitivity, m.SensLower, m.SensUpper = prop(m.TP, m.TP+m.FN)
	m.Specificity, m.SpecLower, m.SpecUpper = prop(m.TN, m.TN+m.FP)
	m.PPV, m.PPVLower, m.PPVUpper = prop(m.TP, m.TP+m.FP)
	m.NPV, m.NPVLower, m.NPVUpper = prop(m.TN, m.TN+m.FN)
	m.LRPositive = m.Sensitivity / (1 - m.Specificity)
	m.LRNegative = (1 - m.Sensitivity) / m.Specificity
	return m
}

// ChooseThreshold picks a threshold by a named rule:
//
//	cutoff:0.3        a fixed score
//	top:10%           flag the highest-scoring 10% of subjects
//	sensitivity:0.9   the highest threshold with sensitivity >= 0.9
//	specificity:0.95  the lowest threshold with specificity >= 0.95
//	youden            maximise sensitivity + specificity − 1
func ChooseThreshold(score []float64, outcome []bool, rule string) (float64, error) {
	name, arg, _ := strings.Cut(rule, ":")
	num := func() (float64, error) {
		a := strings.TrimSuffix(arg, "%")
		x, err := strconv.ParseFloat(a, 64)
		if err != nil {
			return 0, fmt.Errorf("threshold rule %q: %q is not a number", rule, arg)
		}
		if strings.HasSuffix(arg, "%") {
			x /= 100
		}
		return x, nil
	}
	roc := ROC(score, outcome)
	switch name {
	case "cutoff":
		return num()
	case "top":
		f, err := num()
		if err != nil || f <= 0 || f > 1 {
			return 0, fmt.Errorf("threshold rule %q: want a fraction such as top:10%%", rule)
		}
		sorted := append([]float64(nil), score...)
		sort.Sort(sort.Reverse(sort.Float64Slice(sorted)))
		k := int(math.Ceil(f*float64(len(sorted)))) - 1
		return sorted[max(k, 0)], nil
	case "sensitivity":
		target, err := num()
		if err != nil {
			return 0, err
		}
		for k := len(roc) - 1; k >= 0; k-- { // highest thresholds first
			if roc[k].Sensitivity >= target {
				return roc[k].Threshold, nil
			}
		}
	case "specificity":
		target, err := num()
		if err != nil {
			return 0, err
		}
		for k := 0; k < len(roc); k++ {
			if roc[k].Specificity >= target && !math.IsInf(roc[k].Threshold, 1) {
				return roc[k].Threshold, nil
			}
		}
	case "youden":
		// The threshold is reported as pROC reports it: the midpoint
		// between the score at which J is largest and the next lower
		// score (it classifies the same: no score lies between).
		best, bt := math.Inf(-1), 0.0
		for k, p := range roc {
			if j := p.Sensitivity + p.Specificity - 1; j > best && !math.IsInf(p.Threshold, 1) {
				best, bt = j, p.Threshold
				if k > 0 && !math.IsInf(roc[k-1].Threshold, 0) {
					bt = (p.Threshold + roc[k-1].Threshold) / 2
				}
			}
		}
		return bt, nil
	default:
		return 0, fmt.Errorf("threshold rule %q: want cutoff:X, top:X%%, sensitivity:X, specificity:X or youden", rule)
	}
	return 0, fmt.Errorf("threshold rule %q: no threshold reaches it", rule)
}

// NetBenefit is a decision curve point (Vickers & Elkin 2006): at a risk
// threshold p_t, net benefit = TP/n − FP/n · p_t/(1 − p_t), against
// treating all (prevalence − (1 − prevalence)·p_t/(1 − p_t)) and none (0).
type NetBenefit struct {
	Threshold float64 `json:"threshold"`
	Model     float64 `json:"model"`
	TreatAll  float64 `json:"treat_all"`
	TreatNone float64 `json:"treat_none"`
}

// DecisionCurve computes the net benefit of acting on the risk at each
// threshold p_t (Vickers & Elkin 2006, Med Decis Making 26:565):
//
//	NB_model(p_t) = TP/n − FP/n · p_t / (1 − p_t)
//	NB_all(p_t)   = π − (1 − π) · p_t / (1 − p_t),  NB_none = 0,
//
// where TP and FP count the positives and negatives with risk ≥ p_t and π
// is the prevalence: the harm of a false positive weighed by the odds at
// which a patient would accept treatment. DecisionThresholds gives
// screenlab's one grid of thresholds.
func DecisionCurve(risk []float64, outcome []bool, thresholds []float64) []NetBenefit {
	n := float64(len(risk))
	prev := 0.0
	for _, y := range outcome {
		if y {
			prev++
		}
	}
	prev /= n
	out := make([]NetBenefit, len(thresholds))
	for k, pt := range thresholds {
		var tp, fp float64
		for i, r := range risk {
			if r >= pt {
				if outcome[i] {
					tp++
				} else {
					fp++
				}
			}
		}
		odds := pt / (1 - pt)
		out[k] = NetBenefit{Threshold: pt, Model: tp/n - fp/n*odds, TreatAll: prev - (1-prev)*odds}
	}
	return out
}

// decisionCurveSorted is DecisionCurve given the risks sorted ascending
// (outcomes in the same order): the counts at or above each threshold come
// from a binary search and the positives above each position.
func decisionCurveSorted(risk []float64, outcome []bool, thresholds []float64) []NetBenefit {
	n := len(risk)
	above := make([]int, n+1) // positives at positions k… n−1
	for k := n - 1; k >= 0; k-- {
		above[k] = above[k+1]
		if outcome[k] {
			above[k]++
		}
	}
	fn := float64(n)
	prev := float64(above[0]) / fn
	out := make([]NetBenefit, len(thresholds))
	for t, pt := range thresholds {
		k := sort.SearchFloat64s(risk, pt) // the first risk ≥ pt
		tp, fp := float64(above[k]), float64(n-k-above[k])
		odds := pt / (1 - pt)
		out[t] = NetBenefit{Threshold: pt, Model: tp/fn - fp/fn*odds, TreatAll: prev - (1-prev)*odds}
	}
	return out
}

// ROCBand is a stratified bootstrap band for the ROC curve: at each
// specificity of grid, the percentile interval of the sensitivity (the
// highest sensitivity reached at that specificity or more), as pROC's
// ci.se. Replicates draw from a PCG seeded with seed.
func ROCBand(score []float64, outcome []bool, reps int, seed uint64, level float64, grid []float64) (lower, upper []float64) {
	sens := make([][]float64, len(grid))
	stratifiedBootstrap(score, outcome, reps, rand.NewPCG(seed, 0xb0b), func(_ int, bs []float64, by []bool) {
		roc := ROC(bs, by)
		for g, spec := range grid {
			best := 0.0
			for _, pt := range roc {
				if pt.Specificity >= spec && pt.Sensitivity > best {
					best = pt.Sensitivity
				}
			}
			sens[g] = append(sens[g], best)
		}
	})
	for g := range grid {
		lo, hi := numeric.PercentileInterval(sens[g], level)
		lower, upper = append(lower, lo), append(upper, hi)
	}
	return lower, upper
}
