package prom

import "math"

// ChangeSummary is one scale's change from baseline over the respondents
// scored at both times.
type ChangeSummary struct {
	Scale        string  `json:"scale"`
	Paired       int     `json:"paired"`
	MeanChange   float64 `json:"mean_change"`
	Improved     int     `json:"improved"`
	Stable       int     `json:"stable"`
	Deteriorated int     `json:"deteriorated"`
}

// ChangeFromBaseline pairs follow-up and baseline questionnaires by
// respondent and, for each QLQ-C30 scale and the summary score, counts
// those who improved, stayed within the minimal important difference mid
// (10 points by default: a "moderate" change to patients, Osoba et al.
// 1998, J Clin Oncol 16:139), or deteriorated. Better is higher on the
// functional scales, global health status and the summary score, lower on
// the symptom scales.
func ChangeFromBaseline(baseline, followup []QLQC30Row, mid float64) []ChangeSummary {
	if mid <= 0 {
		mid = 10
	}
	base := map[string]*QLQC30Row{}
	for i := range baseline {
		base[baseline[i].ID] = &baseline[i]
	}
	var out []ChangeSummary
	for s := 0; s <= len(QLQC30Scales); s++ {
		cs := ChangeSummary{Scale: "c30_summary"}
		better := 1.0
		if s < len(QLQC30Scales) {
			cs.Scale = QLQC30Scales[s].Name
			if QLQC30Scales[s].Kind == Symptom {
				better = -1
			}
		}
		sum := 0.0
		for _, f := range followup {
			b, ok := base[f.ID]
			if !ok {
				continue
			}
			after, before := f.Summary, b.Summary
			if s < len(QLQC30Scales) {
				after, before = f.Scales[s], b.Scales[s]
			}
			if math.IsNaN(after) || math.IsNaN(before) {
				continue
			}
			d := after - before
			cs.Paired++
			sum += d
			switch {
			case better*d >= mid:
				cs.Improved++
			case better*d <= -mid:
				cs.Deteriorated++
			default:
				cs.Stable++
			}
		}
		cs.MeanChange = math.NaN()
		if cs.Paired > 0 {
			cs.MeanChange = sum / float64(cs.Paired)
		}
		out = append(out, cs)
	}
	return out
}

// ResponseRate is the share of the eligible who answered: the eligible
// ids with a questionnaire, over the eligible.
func ResponseRate(eligible []string, rows []QLQC30Row) (answered, total int) {
	got := map[string]bool{}
	for _, r := range rows {
		got[r.ID] = true
	}
	seen := map[string]bool{}
	for _, id := range eligible {
		if seen[id] {
			continue
		}
		seen[id] = true
		total++
		if got[id] {
			answered++
		}
	}
	return answered, total
}
