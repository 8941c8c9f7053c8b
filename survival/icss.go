package survival

import (
	"fmt"
	"math"
)

// ICSS holds the International Cancer Survival Standard weights of
// Corazziari, Quinn & Capocaccia (2004) for age at diagnosis 15–44, 45–54,
// 55–64, 65–74 and 75+: ICSS1 for cancers whose incidence rises with age,
// ICSS2 for cancers with broadly constant incidence by age, ICSS3 for
// cancers mainly of young adults.
var ICSS = map[string][5]float64{
	"icss1": {0.07, 0.12, 0.23, 0.29, 0.29},
	"icss2": {0.28, 0.17, 0.21, 0.20, 0.14},
	"icss3": {0.60, 0.10, 0.10, 0.10, 0.10},
}

// ICSSGroup returns the ICSS age group (0..4) of an age at diagnosis, or −1
// below 15.
func ICSSGroup(age float64) int {
	switch {
	case age < 15:
		return -1
	case age < 45:
		return 0
	case age < 55:
		return 1
	case age < 65:
		return 2
	case age < 75:
		return 3
	}
	return 4
}

// ICSSGroupNames label the groups.
var ICSSGroupNames = [5]string{"15-44", "45-54", "55-64", "65-74", "75+"}

// Standardize combines per-age-group estimates at the same times with the
// weights of an age standard (the International Cancer Survival Standards,
// Corazziari, Quinn & Capocaccia 2004, Eur J Cancer 40:2307):
//
//	S = Σ_g w_g S_g,  SE = sqrt(Σ_g w_g² SE_g²),  limits S · exp(±z · SE / S)
//
// (the groups are independent; the interval is the log-scale one of the
// age-specific estimates).
func Standardize(groups []*RelativeResult, weights []float64, z float64) ([]RelativePoint, error) {
	if len(groups) != len(weights) || len(groups) == 0 {
		return nil, fmt.Errorf("standardize: %d groups, %d weights", len(groups), len(weights))
	}
	nt := len(groups[0].At)
	for g, r := range groups {
		if r == nil || len(r.At) != nt {
			return nil, fmt.Errorf("standardize: age group %s has no estimate at every time (too few patients or follow-up)", ICSSGroupNames[g])
		}
	}
	out := make([]RelativePoint, nt)
	for k := 0; k < nt; k++ {
		var s, v float64
		for g, r := range groups {
			s += weights[g] * r.At[k].Surv
			v += weights[g] * weights[g] * r.At[k].StdErr * r.At[k].StdErr
		}
		se := math.Sqrt(v)
		out[k] = RelativePoint{Time: groups[0].At[k].Time, Surv: s, StdErr: se,
			Lower: s * math.Exp(-z*se/s), Upper: s * math.Exp(z*se/s)}
	}
	return out, nil
}
