package prom

import (
	"math"
	"strconv"
)

// Kind is how a scale's raw score becomes 0–100.
type Kind int

// Scale kinds of the QLQ-C30.
const (
	Functional Kind = iota // (1 − (RS−1)/range)·100: higher is better
	Symptom                // (RS−1)/range·100: higher is worse
	Global                 // (RS−1)/range·100: higher is better
)

// Scale is a QLQ-C30 scale: its items (numbered as the questionnaire, from
// 1) and how it is scored.
type Scale struct {
	Name  string // the manual's abbreviation, lower case (ql, pf, …)
	Label string
	Items []int
	Kind  Kind
}

// QLQC30Scales are the 15 scales in the order of the scoring manual's
// Table 1 (Fayers et al. 2001).
var QLQC30Scales = []Scale{
	{"ql", "Global health status / QoL", []int{29, 30}, Global},
	{"pf", "Physical functioning", []int{1, 2, 3, 4, 5}, Functional},
	{"rf", "Role functioning", []int{6, 7}, Functional},
	{"ef", "Emotional functioning", []int{21, 22, 23, 24}, Functional},
	{"cf", "Cognitive functioning", []int{20, 25}, Functional},
	{"sf", "Social functioning", []int{26, 27}, Functional},
	{"fa", "Fatigue", []int{10, 12, 18}, Symptom},
	{"nv", "Nausea and vomiting", []int{14, 15}, Symptom},
	{"pa", "Pain", []int{9, 19}, Symptom},
	{"dy", "Dyspnoea", []int{8}, Symptom},
	{"sl", "Insomnia", []int{11}, Symptom},
	{"ap", "Appetite loss", []int{13}, Symptom},
	{"co", "Constipation", []int{16}, Symptom},
	{"di", "Diarrhoea", []int{17}, Symptom},
	{"fi", "Financial difficulties", []int{28}, Symptom},
}

// summaryScales are the thirteen scales of the summary score (Giesinger
// et al. 2016): all but global health status and financial difficulties.
var summaryScales = []string{"pf", "rf", "sf", "ef", "cf", "fa", "pa", "nv", "dy", "sl", "ap", "co", "di"}

// itemMax is the largest answer of a QLQ-C30 item (1-based): 4, or 7 for
// items 29 and 30.
func itemMax(item int) int {
	if item >= 29 {
		return 7
	}
	return 4
}

// ScoreQLQC30 scores one questionnaire: answers[i] is item i+1 (NaN when
// not answered). It returns the 15 scale scores in QLQC30Scales order
// (NaN where fewer than half of a scale's items are answered) and the
// summary score (NaN unless all 13 of its scales are scored).
func ScoreQLQC30(answers [30]float64) (scales [15]float64, summary float64) {
	byName := map[string]float64{}
	for s, sc := range QLQC30Scales {
		sum, n := 0.0, 0
		for _, it := range sc.Items {
			if a := answers[it-1]; !math.IsNaN(a) {
				sum += a
				n++
			}
		}
		scales[s] = math.NaN()
		if 2*n >= len(sc.Items) && n > 0 { // at least half answered
			rs := sum / float64(n)
			rng := float64(itemMax(sc.Items[0]) - 1)
			if sc.Kind == Functional {
				scales[s] = (1 - (rs-1)/rng) * 100
			} else {
				scales[s] = (rs - 1) / rng * 100
			}
		}
		byName[sc.Name] = scales[s]
	}
	total := 0.0
	for _, n := range summaryScales {
		v := byName[n]
		if math.IsNaN(v) {
			return scales, math.NaN()
		}
		if n == "pf" || n == "rf" || n == "sf" || n == "ef" || n == "cf" {
			total += v
		} else {
			total += 100 - v
		}
	}
	return scales, total / float64(len(summaryScales))
}

// QLQC30 is the EORTC QLQ-C30 (version 3.0): items 1–30, the 15 scales of
// QLQC30Scales and the summary score c30_summary.
var QLQC30 = register(&Instrument{
	Name:   "qlq-c30",
	Items:  qlqc30Items(),
	Scores: qlqc30Scores(),
	Score: func(a []float64) []float64 {
		var answers [30]float64
		copy(answers[:], a)
		scales, summary := ScoreQLQC30(answers)
		return append(scales[:], summary)
	},
})

func qlqc30Items() []Item {
	items := make([]Item, 30)
	for i := range items {
		items[i] = Item{Name: strconv.Itoa(i + 1), Min: 1, Max: itemMax(i + 1)}
	}
	return items
}

func qlqc30Scores() []ScoreDef {
	var defs []ScoreDef
	for _, sc := range QLQC30Scales {
		defs = append(defs, ScoreDef{Name: sc.Name, Label: sc.Label, HigherIsBetter: sc.Kind != Symptom})
	}
	return append(defs, ScoreDef{Name: "c30_summary", Label: "QLQ-C30 summary score (Giesinger 2016)", HigherIsBetter: true})
}
