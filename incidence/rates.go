package incidence

import (
	"fmt"
	"math"
	"sort"

	"github.com/screenlab/screenlab/report/suppress"
	"gonum.org/v1/gonum/stat/distuv"
)

// CIMethod is the interval for a directly standardised rate.
type CIMethod string

const (
	// FayFeuer is the gamma interval of Fay & Feuer (1997), as
	// epitools::ageadjust.direct.
	FayFeuer CIMethod = "fay-feuer"
	// Tiwari is the modified gamma interval of Tiwari, Clegg & Zou (2006):
	// the upper limit uses the mean of w_i/n_i where Fay–Feuer uses the
	// maximum, which is less conservative.
	Tiwari CIMethod = "tiwari"
)

// AgeRate is the rate in one age group.
type AgeRate struct {
	AgeGroup    string  `json:"agegroup"`
	Lower       int     `json:"-"`
	Cases       float64 `json:"cases"`
	PersonYears float64 `json:"person_years"`
	Rate        float64 `json:"rate"`
	// Suppressed is why Cases (and Rate) is hidden.
	Suppressed suppress.Reason `json:"suppressed,omitempty"`
}

// DirectResult is a directly standardised rate, scaled by Per.
type DirectResult struct {
	Cases       float64   `json:"cases"`
	PersonYears float64   `json:"person_years"`
	Crude       float64   `json:"crude"`
	ASR         float64   `json:"asr"`
	ASRLower    float64   `json:"asr_lower"`
	ASRUpper    float64   `json:"asr_upper"`
	CumRate     float64   `json:"cum_rate_0_74"`
	CumRisk     float64   `json:"cum_risk_0_74"`
	AgeSpecific []AgeRate `json:"age_specific"`
}

// DirectRate standardises age-specific rates to a standard population:
//
//	ASR = Σ w_i c_i / n_i,  Var = Σ w_i² c_i / n_i²,  w_i = W_i / Σ W,
//
// with the gamma interval of Fay & Feuer (1997)
//
//	lower = G⁻¹(α/2; ASR²/Var, Var/ASR)
//	upper = G⁻¹(1−α/2; (ASR+w_M)²/(Var+w_M²), (Var+w_M²)/(ASR+w_M)),  w_M = max w_i/n_i
//
// (shape, scale), as epitools::ageadjust.direct; Tiwari uses the mean of
// w_i/n_i for w_M. Rates are multiplied by per. Groups are matched to the
// standard by their lower age limit; a group the standard lacks, or a
// standard group without person-years, is an error. When ages is set
// ([lo, hi] in years), only groups within it count and the weights are
// renormalised (a truncated rate). The cumulative rate 0–74 is
// 100·Σ_{groups 0–74} 5·c_i/n_i (percent) and the cumulative risk
// 100·(1 − exp(−cumulative rate/100)), as in Cancer Incidence in Five
// Continents; NaN unless all fifteen 5-year groups 0–74 are present.
func DirectRate(groups []AgeRate, std Standard, level, per float64, method CIMethod, ages *[2]int) (*DirectResult, error) {
	if level == 0 {
		level = 0.95
	}
	if per == 0 {
		per = 1
	}
	res := &DirectResult{}
	sort.Slice(groups, func(a, b int) bool { return groups[a].Lower < groups[b].Lower })
	var ws, rates, cs, ns []float64
	seen := map[int]bool{}
	for i := range groups {
		g := &groups[i]
		if g.PersonYears < 0 || g.Cases < 0 {
			return nil, fmt.Errorf("age group %s: negative cases or person-years", g.AgeGroup)
		}
		g.Rate = math.NaN()
		if g.PersonYears > 0 {
			g.Rate = per * g.Cases / g.PersonYears
		}
		res.AgeSpecific = append(res.AgeSpecific, *g)
		if ages != nil && (g.Lower < ages[0] || g.Lower > ages[1]) {
			continue
		}
		w, ok := std.WeightFor(g.Lower)
		if !ok {
			return nil, fmt.Errorf("age group %s is not in the %s standard (its groups start at %v)", g.AgeGroup, std.Name, std.Lower)
		}
		if g.PersonYears == 0 {
			return nil, fmt.Errorf("age group %s has no person-years: its rate, and so the standardised rate, is undefined", g.AgeGroup)
		}
		seen[g.Lower] = true
		res.Cases += g.Cases
		res.PersonYears += g.PersonYears
		ws, cs, ns = append(ws, w), append(cs, g.Cases), append(ns, g.PersonYears)
		rates = append(rates, g.Cases/g.PersonYears)
	}
	for _, l := range std.Lower {
		if (ages == nil || (l >= ages[0] && l <= ages[1])) && !seen[l] {
			return nil, fmt.Errorf("the data have no age group starting at %d, which the %s standard has", l, std.Name)
		}
	}
	total := 0.0
	for _, w := range ws {
		total += w
	}
	var dsr, v, wm, wbar float64
	for i := range ws {
		w := ws[i] / total
		dsr += w * rates[i]
		v += w * w * cs[i] / (ns[i] * ns[i])
		wm = math.Max(wm, w/ns[i])
		wbar += w / ns[i] / float64(len(ws))
	}
	alpha := 1 - level
	lo := 0.0
	if dsr > 0 && v > 0 {
		lo = distuv.Gamma{Alpha: dsr * dsr / v, Beta: dsr / v}.Quantile(alpha / 2)
	}
	wu := wm
	if method == Tiwari {
		wu = wbar
	}
	hi := distuv.Gamma{Alpha: (dsr + wu) * (dsr + wu) / (v + wu*wu), Beta: (dsr + wu) / (v + wu*wu)}.Quantile(1 - alpha/2)
	res.Crude = per * res.Cases / res.PersonYears
	res.ASR, res.ASRLower, res.ASRUpper = per*dsr, per*lo, per*hi
	// Cumulative rate and risk 0-74.
	cum, found := 0.0, 0
	for _, g := range groups {
		if g.Lower <= 70 && g.Lower%5 == 0 && g.PersonYears > 0 {
			cum += 5 * g.Cases / g.PersonYears
			found++
		}
	}
	res.CumRate, res.CumRisk = math.NaN(), math.NaN()
	if found == 15 {
		res.CumRate = 100 * cum
		res.CumRisk = 100 * (1 - math.Exp(-cum))
	}
	return res, nil
}
