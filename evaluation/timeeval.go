package evaluation

import (
	"fmt"
	"math"
	"sort"

	"github.com/screenlab/screenlab/internal/radix"
	"github.com/screenlab/screenlab/survival"
	"gonum.org/v1/gonum/stat/distuv"
)

// TimeMetrics are measures of a risk score against survival outcomes at a
// horizon τ.
type TimeMetrics struct {
	Horizon  float64 `json:"horizon"`
	HarrellC float64 `json:"harrell_c"`
	// The C indices' standard errors are survival::concordance's
	// infinitesimal jackknife; the intervals are C ± z·SE at 95%.
	HarrellCSE    float64 `json:"harrell_c_se"`
	HarrellCLower float64 `json:"harrell_c_lower"`
	HarrellCUpper float64 `json:"harrell_c_upper"`
	UnoC          float64 `json:"uno_c"`
	UnoCSE        float64 `json:"uno_c_se"`
	UnoCLower     float64 `json:"uno_c_lower"`
	UnoCUpper     float64 `json:"uno_c_upper"`
	AUC           float64 `json:"auc"`
	// AUCSE is the AUC's influence-function standard error with the
	// censoring model's share (as riskRegression::Score); the interval is
	// AUC ± z·SE within [0, 1].
	AUCSE    float64 `json:"auc_se"`
	AUCLower float64 `json:"auc_lower"`
	AUCUpper float64 `json:"auc_upper"`
	Brier    float64 `json:"brier"`
	// CensoredBeforeHorizon counts subjects censored before τ: they stay
	// in n with weight 0 in the AUC and Brier score.
	CensoredBeforeHorizon int `json:"censored_before_horizon"`
	// OE is the Kaplan–Meier observed risk by τ over the mean predicted
	// risk; Groups compare them by fifths of predicted risk.
	OE     float64     `json:"oe"`
	Groups []RiskGroup `json:"calibration_groups"`
	// Notes say what was not computed and why.
	Notes []string `json:"notes,omitempty"`
}

// censoringSurvival is the Kaplan–Meier curve G of the censoring times,
// with events leaving the risk set before censorings at a tied time; it
// returns G(t−) and G(t) as functions.
func censoringSurvival(time []float64, event []bool) (left, right func(t float64) float64) {
	n := len(time)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return time[order[a]] < time[order[b]] })
	var ts, gs []float64
	g := 1.0
	for a := 0; a < n; {
		t := time[order[a]]
		b, cens, ev := a, 0.0, 0.0
		for ; b < n && time[order[b]] == t; b++ {
			if event[order[b]] {
				ev++
			} else {
				cens++
			}
		}
		atRisk := float64(n-a) - ev // the events at t have left
		if cens > 0 && atRisk > 0 {
			g *= 1 - cens/atRisk
			ts, gs = append(ts, t), append(gs, g)
		}
		a = b
	}
	right = func(t float64) float64 {
		k := sort.Search(len(ts), func(i int) bool { return ts[i] > t }) - 1
		if k < 0 {
			return 1
		}
		return gs[k]
	}
	left = func(t float64) float64 {
		k := sort.SearchFloat64s(ts, t) - 1 // last jump strictly before t
		if k < 0 {
			return 1
		}
		return gs[k]
	}
	return left, right
}

// EvaluateAtHorizon measures a predicted risk of an event by the horizon
// τ against follow-up (time, event):
//
//   - Harrell's C over all follow-up (higher risk, shorter survival);
//   - Uno's C (Uno et al. 2011): pairs weighted 1/G(T_i−)², events up to τ;
//   - the cumulative/dynamic AUC and Brier score at τ with inverse
//     probability of censoring weights (as riskRegression::Score): cases
//     (T ≤ τ, event) weigh 1/G(T−), controls (T > τ) 1/G(τ), and subjects
//     censored before τ weigh 0 but stay in n.
//
// G is the Kaplan–Meier curve of the censoring times.
func EvaluateAtHorizon(time []float64, event []bool, risk []float64, tau float64) (*TimeMetrics, error) {
	n := len(time)
	if len(event) != n || len(risk) != n {
		panic("evaluation: slice length mismatch")
	}
	if !(tau > 0) {
		return nil, fmt.Errorf("horizon %v: want a time > 0", tau)
	}
	for i := range time {
		if math.IsNaN(time[i]) || time[i] < 0 {
			return nil, fmt.Errorf("time at row %d is %v: want a time >= 0", i, time[i])
		}
		if math.IsNaN(risk[i]) {
			return nil, fmt.Errorf("score at row %d is missing", i)
		}
	}
	gLeft, gRight := censoringSurvival(time, event)
	m := &TimeMetrics{Horizon: tau}
	m.HarrellC, m.HarrellCSE = survival.ConcordanceSE(time, event, risk, survival.ConcordanceOptions{})
	m.UnoC, m.UnoCSE = survival.ConcordanceSE(time, event, risk, survival.ConcordanceOptions{MaxTime: tau, PairWeight: func(t float64) float64 {
		g := gLeft(t)
		return 1 / (g * g)
	}})
	z := distuv.UnitNormal.Quantile(0.975)
	m.HarrellCLower, m.HarrellCUpper = m.HarrellC-z*m.HarrellCSE, m.HarrellC+z*m.HarrellCSE
	m.UnoCLower, m.UnoCUpper = m.UnoC-z*m.UnoCSE, m.UnoC+z*m.UnoCSE
	var caseRisk, caseW, ctrlRisk []float64
	gTau := gRight(tau)
	brier := 0.0
	for i := range time {
		switch {
		case time[i] <= tau && event[i]:
			w := 1 / gLeft(time[i])
			caseRisk, caseW = append(caseRisk, risk[i]), append(caseW, w)
			brier += w * (1 - risk[i]) * (1 - risk[i])
		case time[i] > tau:
			ctrlRisk = append(ctrlRisk, risk[i])
			brier += risk[i] * risk[i] / gTau
		default:
			m.CensoredBeforeHorizon++
		}
	}
	m.Brier = brier / float64(n)
	probabilities := true
	for _, r := range risk {
		if r < 0 || r > 1 {
			probabilities = false
			break
		}
	}
	if probabilities {
		m.OE, m.Groups = horizonCalibration(time, event, risk, tau)
	} else {
		// A score that is not a risk has no Brier score or calibration
		// (as the binary path skips them); its ranking still counts.
		m.Brier, m.OE = math.NaN(), math.NaN()
		m.Notes = append(m.Notes, "scores are not probabilities in [0, 1]: Brier score and calibration at the horizon skipped")
	}
	if len(caseRisk) == 0 || len(ctrlRisk) == 0 {
		m.AUC, m.AUCSE, m.AUCLower, m.AUCUpper = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return m, nil
	}
	radix.SortFloat64s(ctrlRisk)
	num, den := 0.0, 0.0
	for k, r := range caseRisk {
		lo := sort.SearchFloat64s(ctrlRisk, r)
		hi := sort.Search(len(ctrlRisk), func(i int) bool { return ctrlRisk[i] > r })
		num += caseW[k] * (float64(lo) + float64(hi-lo)/2)
		den += caseW[k] * float64(len(ctrlRisk))
	}
	m.AUC = num / den
	m.AUCSE = horizonAUCSE(time, event, risk, tau, gLeft, gTau, m.AUC)
	z = distuv.UnitNormal.Quantile(0.975)
	m.AUCLower, m.AUCUpper = math.Max(0, m.AUC-z*m.AUCSE), math.Min(1, m.AUC+z*m.AUCSE)
	return m, nil
}

// horizonCalibration compares predicted risk with the Kaplan–Meier risk
// 1 − S(τ), overall (O/E) and by fifths of predicted risk, with log-log
// limits for the observed risk; censored subjects count through the
// Kaplan–Meier estimate, not dropped.
func horizonCalibration(time []float64, event []bool, risk []float64, tau float64) (float64, []RiskGroup) {
	observed := func(idx []int) (obs, lo, hi float64) {
		t, e := make([]float64, len(idx)), make([]bool, len(idx))
		for k, i := range idx {
			t[k], e[k] = time[i], event[i]
		}
		km, err := survival.KaplanMeier(t, e, survival.KMOptions{Times: []float64{tau}, ConfType: survival.LogLog})
		if err != nil || len(km.At) == 0 {
			return math.NaN(), math.NaN(), math.NaN()
		}
		a := km.At[0]
		return 1 - a.Surv, 1 - a.Upper, 1 - a.Lower
	}
	all := make([]int, len(time))
	mean := 0.0
	for i := range all {
		all[i] = i
		mean += risk[i]
	}
	mean /= float64(len(risk))
	obsAll, _, _ := observed(all)
	order := append([]int(nil), all...)
	sort.SliceStable(order, func(a, b int) bool { return risk[order[a]] < risk[order[b]] })
	const groups = 5
	var out []RiskGroup
	for g := 0; g < groups; g++ {
		idx := order[g*len(order)/groups : (g+1)*len(order)/groups]
		if len(idx) == 0 {
			continue
		}
		pred := 0.0
		for _, i := range idx {
			pred += risk[i]
		}
		o, lo, hi := observed(idx)
		out = append(out, RiskGroup{Group: g + 1, N: len(idx), Predicted: pred / float64(len(idx)), Observed: o, Lower: lo, Upper: hi})
	}
	return obsAll / mean, out
}
