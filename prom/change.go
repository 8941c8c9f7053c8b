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
// respondent and, for each score, counts those who improved, stayed within
// the minimal important difference mid (10 points by default: a
// "moderate" change to patients on the QLQ-C30, Osoba et al. 1998, J Clin
// Oncol 16:139), or deteriorated; better is the direction of the score's
// HigherIsBetter.
func (in *Instrument) ChangeFromBaseline(baseline, followup []Row, mid float64) []ChangeSummary {
	if mid <= 0 {
		mid = 10
	}
	base := map[string]*Row{}
	for i := range baseline {
		base[baseline[i].ID] = &baseline[i]
	}
	var out []ChangeSummary
	for s, def := range in.Scores {
		cs := ChangeSummary{Scale: def.Name}
		better := 1.0
		if !def.HigherIsBetter {
			better = -1
		}
		sum := 0.0
		for _, f := range followup {
			b, ok := base[f.ID]
			if !ok {
				continue
			}
			after, before := f.Scores[s], b.Scores[s]
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
func ResponseRate(eligible []string, rows []Row) (answered, total int) {
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
