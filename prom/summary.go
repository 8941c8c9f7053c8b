package prom

import (
	"math"

	"github.com/screenlab/screenlab/datasets"
)

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
	Output string          `json:"output,omitempty"`
}

// MainTable is the table CSV output writes.
func (*Scored) MainTable() string { return "scales" }

// SummariseQLQC30 summarises scored respondents per scale (mean and
// sample SD of the scored ones).
func SummariseQLQC30(rows []QLQC30Row) *Scored {
	res := &Scored{Instrument: "qlq-c30", Respondents: len(rows)}
	for _, r := range rows {
		if r.Answered == 30 {
			res.Complete++
		}
	}
	for s := 0; s <= len(QLQC30Scales); s++ {
		name, label := "c30_summary", "QLQ-C30 summary score (Giesinger 2016)"
		if s < len(QLQC30Scales) {
			name, label = QLQC30Scales[s].Name, QLQC30Scales[s].Label
		}
		var x []float64
		for _, r := range rows {
			v := r.Summary
			if s < len(QLQC30Scales) {
				v = r.Scales[s]
			}
			if !math.IsNaN(v) {
				x = append(x, v)
			}
		}
		ss := ScaleSummary{Scale: name, Label: label, Scored: len(x), Mean: math.NaN(), SD: math.NaN()}
		if len(x) > 0 {
			m := 0.0
			for _, v := range x {
				m += v
			}
			ss.Mean = m / float64(len(x))
		}
		if len(x) > 1 {
			q := 0.0
			for _, v := range x {
				q += (v - ss.Mean) * (v - ss.Mean)
			}
			ss.SD = math.Sqrt(q / float64(len(x)-1))
		}
		res.Scales = append(res.Scales, ss)
	}
	return res
}

// QLQC30Columns are the columns WriteQLQC30 writes after the id column.
func QLQC30Columns(id string) []datasets.ColumnSpec {
	cols := []datasets.ColumnSpec{{Name: id, Kind: datasets.KindString}, {Name: "answered", Kind: datasets.KindInt}}
	for _, sc := range QLQC30Scales {
		cols = append(cols, datasets.ColumnSpec{Name: sc.Name, Kind: datasets.KindFloat})
	}
	return append(cols, datasets.ColumnSpec{Name: "c30_summary", Kind: datasets.KindFloat})
}

// WriteQLQC30 writes each respondent's scores (empty where not scored).
func WriteQLQC30(path, id string, rows []QLQC30Row) error {
	return datasets.WriteTable(path, QLQC30Columns(id), func(w *datasets.TableWriter) error {
		for _, r := range rows {
			w.String(r.ID)
			w.Int(r.Answered)
			for _, v := range append(r.Scales[:], r.Summary) {
				if math.IsNaN(v) {
					w.Null()
				} else {
					w.Float(v, -1)
				}
			}
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}
