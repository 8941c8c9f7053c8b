package strategy

import (
	"fmt"
	"math"
	"sort"

	"github.com/screenlab/screenlab/datasets"
	"gonum.org/v1/gonum/stat/distuv"
)

// SubgroupRow is one strategy (under one assumption) in one subgroup: its
// exams and the change from the observed double reading there.
type SubgroupRow struct {
	Group      string `json:"group"`
	Strategy   string `json:"strategy"`
	Assumption string `json:"assumption"`
	Exams      int    `json:"exams"`
	Cancers    int    `json:"cancers"`
	// Per exam: reads (observed 2), recalls, and detection per cancer.
	ReadsChange        float64 `json:"reads_change"`
	RecallRate         float64 `json:"recall_rate"`
	RecallRateObserved float64 `json:"recall_rate_observed"`
	Sensitivity        float64 `json:"sensitivity"`
	SensitivityObs     float64 `json:"sensitivity_observed"`
	// The changes with Wald 95% intervals (mean ± 1.96 SE of the per-exam
	// change; exams independent).
	RecallChange           float64 `json:"recall_change"`
	RecallChangeLower      float64 `json:"recall_change_lower"`
	RecallChangeUpper      float64 `json:"recall_change_upper"`
	SensitivityChange      float64 `json:"sensitivity_change"`
	SensitivityChangeLower float64 `json:"sensitivity_change_lower"`
	SensitivityChangeUpper float64 `json:"sensitivity_change_upper"`
}

// Interaction tests whether a strategy's effect differs between subgroups:
// Cochran's Q = Σ w_g (θ_g − θ̄)² with θ_g a subgroup's mean per-exam
// change (reads; recall, as 0/1; detection, among cancers), w_g = 1/SE_g²
// and θ̄ their weighted mean, against χ² with G − 1 degrees of freedom
// (Cochran 1954). Exams are taken as independent (a woman's exams are not
// clustered).
type Interaction struct {
	Strategy   string  `json:"strategy"`
	Assumption string  `json:"assumption"`
	Metric     string  `json:"metric"` // reads, recall, detection
	Q          float64 `json:"q"`
	DF         int     `json:"df"`
	P          float64 `json:"p"`
}

// SubgroupReport is every strategy by subgroup, with interaction tests.
type SubgroupReport struct {
	By           string        `json:"by"`
	Rows         []SubgroupRow `json:"rows"`
	Interactions []Interaction `json:"interactions"`
	// NoGroup counts exams without a value of By (left out).
	NoGroup int `json:"no_group"`
}

// moments accumulates a per-exam difference.
type moments struct{ n, sum, sq float64 }

func (m *moments) add(d float64) { m.n++; m.sum += d; m.sq += d * d }
func (m moments) mean() float64  { return m.sum / m.n }
func (m moments) se() float64 {
	if m.n < 2 {
		return math.NaN()
	}
	v := (m.sq - m.sum*m.sum/m.n) / (m.n - 1)
	return math.Sqrt(math.Max(v, 0) / m.n)
}

// cochranQ is the heterogeneity test of subgroup means.
func cochranQ(ms []moments) (q float64, df int, p float64) {
	var w, wt []float64
	for _, m := range ms {
		se := m.se()
		if m.n < 2 || math.IsNaN(se) {
			continue
		}
		if se == 0 {
			se = 1e-9 // all exams alike: a precise estimate
		}
		w = append(w, 1/(se*se))
		wt = append(wt, m.mean())
	}
	if len(w) < 2 {
		return math.NaN(), 0, math.NaN()
	}
	sw, swt := 0.0, 0.0
	for i := range w {
		sw += w[i]
		swt += w[i] * wt[i]
	}
	bar := swt / sw
	for i := range w {
		q += w[i] * (wt[i] - bar) * (wt[i] - bar)
	}
	df = len(w) - 1
	return q, df, distuv.ChiSquared{K: float64(df)}.Survival(q)
}

// Subgroups replays the strategies in each subgroup (group[i] is exam i's,
// "" none) with thresholds resolved once on calib (all the exams when nil),
// as a programme applies one threshold everywhere, and tests whether each
// effect differs between subgroups.
func Subgroups(exams []TriageExam, group []string, by string, specs []StrategySpec, calib []TriageExam) (*SubgroupReport, error) {
	if calib == nil {
		calib = exams
	}
	sorted := sortedScores(calib)
	rep := &SubgroupReport{By: by}
	var names []string
	seen := map[string]bool{}
	for i := range exams {
		g := group[i]
		if g == "" {
			rep.NoGroup++
			continue
		}
		if !seen[g] {
			seen[g] = true
			names = append(names, g)
		}
	}
	sort.Strings(names)
	if len(names) < 2 {
		return nil, fmt.Errorf("subgroups by %s: want at least two groups, found %d", by, len(names))
	}
	base := Double()
	for _, spec := range specs {
		if len(spec.Steps) == 0 {
			continue
		}
		s, _, err := resolveStrategy(spec, calib, sorted)
		if err != nil {
			return nil, err
		}
		for _, a := range []string{Dismissed, Recalled} {
			reads, recall, detect := make([]moments, len(names)), make([]moments, len(names)), make([]moments, len(names))
			rows := make([]SubgroupRow, len(names))
			unobserved := 0.0
			idx := map[string]int{}
			for gi, g := range names {
				rows[gi] = SubgroupRow{Group: g, Strategy: spec.Text, Assumption: a}
				idx[g] = gi
			}
			var rec, rec0, det, det0 = make([]float64, len(names)), make([]float64, len(names)), make([]float64, len(names)), make([]float64, len(names))
			for i := range exams {
				gi, ok := idx[group[i]]
				if !ok {
					continue
				}
				e := &exams[i]
				c0, r0, d0 := base.apply(e, Observed)
				c, r, d := s.apply(e, a)
				unobserved += c.Unobserved
				rows[gi].Exams++
				reads[gi].add(float64(c.Reads - c0.Reads))
				recall[gi].add(b01(r) - b01(r0))
				rec[gi] += b01(r)
				rec0[gi] += b01(r0)
				if e.Outcome == datasets.ScreenDetected || e.Outcome == datasets.Interval {
					rows[gi].Cancers++
					detect[gi].add(b01(d) - b01(d0))
					det[gi] += b01(d)
					det0[gi] += b01(d0)
				}
			}
			if a == Recalled && unobserved == 0 {
				continue // the same as the dismissed rows
			}
			for gi := range rows {
				n, k := float64(rows[gi].Exams), float64(rows[gi].Cancers)
				rows[gi].ReadsChange = reads[gi].sum / (2 * n)
				rows[gi].RecallRate, rows[gi].RecallRateObserved = rec[gi]/n, rec0[gi]/n
				rows[gi].Sensitivity, rows[gi].SensitivityObs = det[gi]/k, det0[gi]/k
				rows[gi].RecallChange, rows[gi].RecallChangeLower, rows[gi].RecallChangeUpper = wald(recall[gi])
				rows[gi].SensitivityChange, rows[gi].SensitivityChangeLower, rows[gi].SensitivityChangeUpper = wald(detect[gi])
			}
			rep.Rows = append(rep.Rows, rows...)
			for _, m := range []struct {
				name string
				ms   []moments
			}{{"reads", reads}, {"recall", recall}, {"detection", detect}} {
				q, df, p := cochranQ(m.ms)
				rep.Interactions = append(rep.Interactions, Interaction{Strategy: spec.Text, Assumption: a, Metric: m.name, Q: q, DF: df, P: p})
			}
		}
	}
	return rep, nil
}

func b01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// wald is a mean with its Wald 95% interval (NaN without exams).
func wald(m moments) (est, lo, hi float64) {
	if m.n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	est = m.mean()
	h := 1.959963984540054 * m.se()
	return est, est - h, est + h
}
