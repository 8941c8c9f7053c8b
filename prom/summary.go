package prom

import "math"

// ScaleSummary describes one scale over respondents.
type ScaleSummary struct {
	Scale  string  `json:"scale"`
	Label  string  `json:"label"`
	Scored int     `json:"scored"` // respondents with the scale scored
	Mean   float64 `json:"mean"`
	SD     float64 `json:"sd"`
}

// Scored is a scoring run: how many respondents, and each scale's
// summary (the scores of each respondent go to a file, not the screen).
type Scored struct {
	Instrument  string         `json:"instrument"`
	Respondents int            `json:"respondents"`
	Complete    int            `json:"complete"` // every item answered
	Scales      []ScaleSummary `json:"scales"`
	// With a list of the eligible: how many of them answered.
	Eligible     int     `json:"eligible,omitempty"`
	Answered     int     `json:"answered,omitempty"`
	ResponseRate float64 `json:"response_rate,omitempty"`
	// With baseline questionnaires: change per scale against the minimal
	// important difference MID.
	MID    float64         `json:"mid,omitempty"`
	Change []ChangeSummary `json:"change,omitempty"`
	// With population norms: each score against the norms of the
	// respondents' sex and age.
	Norms       []NormComparison `json:"norms,omitempty"`
	NormsSource string           `json:"norms_source,omitempty"`
	Output      string           `json:"output,omitempty"`
}

// MainTable is the table CSV output writes.
func (*Scored) MainTable() string { return "scales" }

// Summarise summarises scored respondents per score (mean and sample SD
// of those scored).
func (in *Instrument) Summarise(rows []Row) *Scored {
	res := &Scored{Instrument: in.Name, Respondents: len(rows)}
	for _, r := range rows {
		if r.Answered == len(in.Items) {
			res.Complete++
		}
	}
	for s, def := range in.Scores {
		var x []float64
		for _, r := range rows {
			if v := r.Scores[s]; !math.IsNaN(v) {
				x = append(x, v)
			}
		}
		ss := ScaleSummary{Scale: def.Name, Label: def.Label, Scored: len(x)}
		ss.Mean, ss.SD = meanSD(x)
		res.Scales = append(res.Scales, ss)
	}
	return res
}

// meanSD is the mean (NaN for none) and sample SD (NaN for fewer than 2).
func meanSD(x []float64) (mean, sd float64) {
	mean, sd = math.NaN(), math.NaN()
	if len(x) > 0 {
		m := 0.0
		for _, v := range x {
			m += v
		}
		mean = m / float64(len(x))
	}
	if len(x) > 1 {
		q := 0.0
		for _, v := range x {
			q += (v - mean) * (v - mean)
		}
		sd = math.Sqrt(q / float64(len(x)-1))
	}
	return mean, sd
}
