package prom

import (
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestEPIC26HandScored scores testdata/epic_26_handscored.csv against
// scores worked out by hand from the EPIC-26 scoring instructions
// (University of Michigan; Szymanski et al. 2010, Urology 76:1245):
//
//	recode each answer to 0–100, higher better:
//	  1, 8a, 8b, 10, 11 (1–5):   0, 25, 50, 75, 100
//	  2, 9 (1–4):                0, 33, 67, 100
//	  3 (pads 0–3):              100, 67, 33, 0
//	  4a–e, 6a–e, 13a–e (0–4):   100, 75, 50, 25, 0
//	  5, 7, 12 (1–5):            100, 75, 50, 25, 0
//	domain = mean of its answered items; none if more than 20% missing
func TestEPIC26HandScored(t *testing.T) {
	nan := math.NaN()
	want := map[string]struct {
		scores   []float64
		answered int
	}{
		"E1": {[]float64{100, 100, 100, 100, 100}, 26}, // every best answer
		"E2": {[]float64{0, 0, 0, 0, 0}, 26},           // every worst answer
		// E3: UI  q1 3→50, q2 3→67, q3 1→67, q4a 1→75: 259/4
		//     UIO q4b 0→100, q4c 0→100, q4d 2→50, q4e 3→25: 275/4
		//     bowel q6a–e 1,0,2,0,1 → 75,100,50,100,75, q7 2→75: 475/6
		//     sexual q8a 2→25, q8b 3→50, q9 2→33, q10 2→25, q11 2→25, q12 4→25: 183/6
		//     hormonal 2,0,1,3,0 → 50,100,75,25,100: 350/5
		"E3": {[]float64{259. / 4, 275. / 4, 475. / 6, 183. / 6, 70}, 26},
		// E4: UI q4a missing: 1 of 4 is 25% > 20% → none
		//     UIO 1,0,1,1 → 75,100,75,75: 325/4
		//     bowel q6b missing (1 of 6, 17%): 100,75,100,100 + q7 1→100: 475/5
		//     sexual q8a, q8b missing (2 of 6, 33%) → none
		//     hormonal q13b missing (1 of 5, 20%): 75,100,50,100: 325/4
		//     item 5 missing too (in no domain): 20 of 26 answered
		"E4": {[]float64{nan, 325. / 4, 95, nan, 325. / 4}, 20},
	}
	fr, err := datasets.ReadFrame(filepath.Join("testdata", "epic_26_handscored.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := EPIC26.ScoreFrame(fr, ScoreOptions{ID: "respondent"})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := datasets.ReadFrame(filepath.Join("testdata", "epic_26_R.csv"))
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b float64) bool { return math.IsNaN(a) && math.IsNaN(b) || math.Abs(a-b) < 1e-12 }
	for i, r := range rows {
		w := want[r.ID]
		if r.Answered != w.answered {
			t.Errorf("%s: %d answered, want %d", r.ID, r.Answered, w.answered)
		}
		for s, def := range EPIC26.Scores {
			if !same(r.Scores[s], w.scores[s]) {
				t.Errorf("%s %s = %g, want %g", r.ID, def.Name, r.Scores[s], w.scores[s])
			}
			// and the independent R scoring (testdata/epic_26.R)
			col, err := ref.Floats(def.Name, true)
			if err != nil {
				t.Fatal(err)
			}
			if math.IsNaN(col[i]) != math.IsNaN(r.Scores[s]) || math.Abs(col[i]-r.Scores[s]) > 1e-9 {
				t.Errorf("%s %s = %g, R %g", r.ID, def.Name, r.Scores[s], col[i])
			}
		}
	}
	if len(rows) != len(want) {
		t.Errorf("%d rows", len(rows))
	}
}

// TestEPIC26Domains: the domains hold the items of the scoring
// instructions, by their numbers in the 50-item EPIC (Wei et al. 2000).
func TestEPIC26Domains(t *testing.T) {
	want := [][]int{{23, 26, 27, 28}, {29, 30, 31, 32}, {49, 50, 52, 53, 54, 55}, {57, 58, 59, 60, 64, 68}, {74, 75, 77, 78, 79}}
	got := make([][]int, len(EPIC26Domains))
	for _, it := range epic26Items {
		if it.domain >= 0 {
			got[it.domain] = append(got[it.domain], it.original)
		} else if it.original != 34 {
			t.Errorf("item %s (EPIC %d) in no domain", it.name, it.original)
		}
	}
	if !reflect.DeepEqual(got, want) || len(epic26Items) != 26 {
		t.Errorf("domains %v, want %v (%d items)", got, want, len(epic26Items))
	}
}

// TestEPIC26BadAnswer: 4 pads a day is out of item 3's range (0–3).
func TestEPIC26BadAnswer(t *testing.T) {
	header := []string{"id"}
	vals := []string{"A"}
	for _, it := range EPIC26.Items {
		header = append(header, "q"+it.Name)
		v := "1"
		if it.Name == "3" {
			v = "4"
		}
		vals = append(vals, v)
	}
	fr, err := datasets.FrameOf("epic.csv", header, [][]string{vals})
	if err != nil {
		t.Fatal(err)
	}
	_, err = EPIC26.ScoreFrame(fr, ScoreOptions{ID: "id"})
	var re *datasets.RowError
	if !errors.As(err, &re) || re.Line != 2 || re.Field != "q3" || re.Column != 4 {
		t.Errorf("got %v", err)
	}
}
