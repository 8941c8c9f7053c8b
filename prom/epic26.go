package prom

import "math"

// epic26Item is an EPIC-26 question: its number on the form, its answers
// and the 0–100 value of each (recode[answer-min]), as the EPIC-26 scoring
// instructions give them (University of Michigan; Szymanski et al. 2010).
type epic26Item struct {
	name     string
	min      int
	recode   []float64
	domain   int // index into EPIC26Domains, or -1 (item 5: urinary bother, in no domain)
	original int // the item's number in the 50-item EPIC (Wei et al. 2000)
}

// The five codings of the scoring instructions. The 4-answer items are
// coded 0, 33, 67, 100 as the instructions print them (not 100/3).
var (
	up5    = []float64{0, 25, 50, 75, 100} // answers 1–5, 5 best
	down5  = []float64{100, 75, 50, 25, 0} // answers 1–5, 1 best (overall problem)
	up4    = []float64{0, 33, 67, 100}     // answers 1–4, 4 best
	pads   = []float64{100, 67, 33, 0}     // answers 0–3 pads a day, 0 best
	noProb = []float64{100, 75, 50, 25, 0} // answers 0–4, 0 "no problem"
)

// EPIC26Domains are the five domain summary scores of EPIC-26, each with
// the number of its items that must be answered (more than 20% missing
// leaves a domain unscored).
var EPIC26Domains = []struct {
	Name, Label string
	Need        int
}{
	{"urinary_incontinence", "Urinary incontinence", 4},
	{"urinary_irritative", "Urinary irritative/obstructive", 4},
	{"bowel", "Bowel", 5},
	{"sexual", "Sexual", 5},
	{"hormonal", "Hormonal", 4},
}

var epic26Items = []epic26Item{
	{"1", 1, up5, 0, 23}, // leaking urine: 1 more than once a day … 5 rarely or never
	{"2", 1, up4, 0, 26}, // urinary control: 1 none … 4 total control
	{"3", 0, pads, 0, 27},
	{"4a", 0, noProb, 0, 28}, // dripping or leaking urine
	{"4b", 0, noProb, 1, 29}, // pain or burning on urination
	{"4c", 0, noProb, 1, 30}, // bleeding with urination
	{"4d", 0, noProb, 1, 31}, // weak stream or incomplete emptying
	{"4e", 0, noProb, 1, 32}, // need to urinate frequently
	{"5", 1, down5, -1, 34},  // overall urinary problem
	{"6a", 0, noProb, 2, 49},
	{"6b", 0, noProb, 2, 50},
	{"6c", 0, noProb, 2, 52},
	{"6d", 0, noProb, 2, 53},
	{"6e", 0, noProb, 2, 54},
	{"7", 1, down5, 2, 55}, // overall bowel problem
	{"8a", 1, up5, 3, 57},  // ability to have an erection
	{"8b", 1, up5, 3, 58},  // ability to reach orgasm
	{"9", 1, up4, 3, 59},   // quality of erections
	{"10", 1, up5, 3, 60},  // frequency of erections
	{"11", 1, up5, 3, 64},  // overall sexual function
	{"12", 1, down5, 3, 68},
	{"13a", 0, noProb, 4, 74}, // hot flashes
	{"13b", 0, noProb, 4, 75}, // breast tenderness/enlargement
	{"13c", 0, noProb, 4, 77}, // feeling depressed
	{"13d", 0, noProb, 4, 78}, // lack of energy
	{"13e", 0, noProb, 4, 79}, // change in body weight
}

// ScoreEPIC26 scores one EPIC-26 questionnaire: answers in the order of
// the form (1, 2, 3, 4a–4e, 5, 6a–6e, 7, 8a, 8b, 9–12, 13a–13e; NaN where
// not answered). Each answer is recoded to 0–100 (higher is better) and a
// domain is the mean of its answered items, unless more than 20% of them
// are missing (Szymanski et al. 2010, Urology 76:1245; EPIC-26 scoring
// instructions). Item 5 (overall urinary problem) is in no domain.
func ScoreEPIC26(answers []float64) []float64 {
	sum := make([]float64, len(EPIC26Domains))
	n := make([]int, len(EPIC26Domains))
	for i, it := range epic26Items {
		a := answers[i]
		if it.domain < 0 || math.IsNaN(a) {
			continue
		}
		sum[it.domain] += it.recode[int(a)-it.min]
		n[it.domain]++
	}
	out := make([]float64, len(EPIC26Domains))
	for d, dom := range EPIC26Domains {
		out[d] = math.NaN()
		if n[d] >= dom.Need {
			out[d] = sum[d] / float64(n[d])
		}
	}
	return out
}

// EPIC26 is the Expanded Prostate Cancer Index Composite short form
// (EPIC-26): items q1 … q13e as numbered on the form, five domain scores,
// higher is better.
var EPIC26 = register(&Instrument{
	Name:   "epic-26",
	Items:  epic26ItemDefs(),
	Scores: epic26Scores(),
	Score:  ScoreEPIC26,
})

func epic26ItemDefs() []Item {
	items := make([]Item, len(epic26Items))
	for i, it := range epic26Items {
		items[i] = Item{Name: it.name, Min: it.min, Max: it.min + len(it.recode) - 1}
	}
	return items
}

func epic26Scores() []ScoreDef {
	defs := make([]ScoreDef, len(EPIC26Domains))
	for i, d := range EPIC26Domains {
		defs[i] = ScoreDef{Name: d.Name, Label: d.Label, HigherIsBetter: true}
	}
	return defs
}
