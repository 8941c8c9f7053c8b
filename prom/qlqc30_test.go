package prom

import (
	"errors"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestQLQC30HandScored scores testdata/qlq_c30_handscored.csv, whose
// answers were written by hand, against scores worked out by hand from the
// EORTC QLQ-C30 Scoring Manual (Fayers et al. 2001, 3rd ed., section 4):
//
//	RS = mean of the answered items (at least half answered)
//	functional  S = (1 − (RS − 1)/range)·100
//	symptom, QL S = (RS − 1)/range·100,  range 3 (items 1–28) or 6 (29–30)
//
// and the summary score of Giesinger et al. (2016): the mean of PF, RF,
// SF, EF, CF and 100 − FA, PA, NV, DY, SL, AP, CO, DI, when all 13 exist.
func TestQLQC30HandScored(t *testing.T) {
	nan := math.NaN()
	// R3, scale by scale (answers in the CSV):
	//   QL  q29 5, q30 4: RS 4.5, (3.5/6)·100 = 175/3
	//   PF  q1–q5 1,2,3,4,2: RS 2.4, (1 − 1.4/3)·100 = 160/3
	//   RF  q6 2, q7 3: RS 2.5, (1 − 1.5/3)·100 = 50
	//   EF  q21–q24 1,1,2,2: RS 1.5, (1 − 0.5/3)·100 = 250/3
	//   CF  q20 2, q25 3: RS 2.5 → 50
	//   SF  q26 3, q27 4: RS 3.5, (1 − 2.5/3)·100 = 50/3
	//   FA  q10 2, q12 3, q18 4: RS 3, (2/3)·100 = 200/3
	//   NV  q14 1, q15 2: RS 1.5 → 50/3; PA q9 3, q19 1: RS 2 → 100/3
	//   DY q8 2 → 100/3; SL q11 1 → 0; AP q13 4 → 100; CO q16 3 → 200/3
	//   DI q17 2 → 100/3; FI q28 2 → 100/3
	r3 := [15]float64{175. / 3, 160. / 3, 50, 250. / 3, 50, 50. / 3, 200. / 3, 50. / 3, 100. / 3, 100. / 3, 0, 100, 200. / 3, 100. / 3, 100. / 3}
	r3sum := (160./3 + 50 + 50./3 + 250./3 + 50 + (100 - 200./3) + (100 - 100./3) + (100 - 50./3) + (100 - 100./3) + 100 + 0 + (100 - 200./3) + (100 - 100./3)) / 13
	// R4, with items missing:
	//   QL  q29 6, q30 missing: 1 of 2 is half → RS 6 → 250/3
	//   PF  q3–q5 2,2,2 (q1, q2 missing): 3 of 5 → RS 2 → 200/3
	//   RF  q7 3 only: 1 of 2 → RS 3 → 100/3
	//   EF  q23 1, q24 1: 2 of 4 → 100;  CF q20 1: 1 of 2 → 100
	//   SF  q26 1, q27 1 → 100
	//   FA  q18 2 only: 1 of 3 is less than half → NA
	//   NV  q14 1, q15 1 → 0;  PA q9 2 (q19 missing): 1 of 2 → RS 2 → 100/3
	//   DY  q8 missing → NA;  SL, AP, CO, DI answered 1 → 0;  FI q28 missing → NA
	//   summary: FA and DY missing → NA
	r4 := [15]float64{250. / 3, 200. / 3, 100. / 3, 100, 100, 100, nan, 0, 100. / 3, nan, 0, 0, 0, 0, nan}
	want := map[string]struct {
		scales   [15]float64
		summary  float64
		answered int
	}{
		"R1": {[15]float64{100, 100, 100, 100, 100, 100}, 100, 30}, // best answers: symptoms 0
		"R2": {[15]float64{0, 0, 0, 0, 0, 0, 100, 100, 100, 100, 100, 100, 100, 100, 100}, 0, 30},
		"R3": {r3, r3sum, 30},
		"R4": {r4, nan, 18}, // q3-q5, q7, q9, q11, q13-q18, q20, q23, q24, q26, q27, q29
	}
	fr, err := datasets.ReadFrame(filepath.Join("testdata", "qlq_c30_handscored.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := QLQC30.ScoreFrame(fr, ScoreOptions{ID: "respondent"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows", len(rows))
	}
	same := func(a, b float64) bool { return math.IsNaN(a) && math.IsNaN(b) || math.Abs(a-b) < 1e-12 }
	for _, r := range rows {
		w := want[r.ID]
		if r.Answered != w.answered {
			t.Errorf("%s: %d answered, want %d", r.ID, r.Answered, w.answered)
		}
		for s, sc := range QLQC30Scales {
			if !same(r.Scores[s], w.scales[s]) {
				t.Errorf("%s %s = %g, want %g", r.ID, sc.Name, r.Scores[s], w.scales[s])
			}
		}
		if !same(r.Scores[15], w.summary) {
			t.Errorf("%s summary = %g, want %g", r.ID, r.Scores[15], w.summary)
		}
	}
}

// TestQLQC30BadAnswers: an answer out of its item's range or not a whole
// number is an error at its line and column.
func TestQLQC30BadAnswers(t *testing.T) {
	var cols []string
	for i := 1; i <= 30; i++ {
		cols = append(cols, "q"+strconv.Itoa(i))
	}
	for _, c := range []struct {
		name, value string
		item        int
	}{{"5 on a 1-4 item", "5", 3}, {"8 on a 1-7 item", "8", 29}, {"not whole", "2.5", 10}, {"zero", "0", 1}} {
		vals := make([]string, 30)
		for i := range vals {
			vals[i] = "1"
		}
		vals[c.item-1] = c.value
		fr, err := datasets.FrameOf("answers.csv", append([]string{"id"}, cols...), [][]string{append([]string{"A"}, vals...)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = QLQC30.ScoreFrame(fr, ScoreOptions{ID: "id"})
		var re *datasets.RowError
		if !errors.As(err, &re) || re.Line != 2 || !strings.Contains(err.Error(), "q"+strconv.Itoa(c.item)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestQLQC30AgainstR compares with testdata/qlq_c30_R.csv, written by an
// independent R implementation of the manual (testdata/qlq_c30.R).
func TestQLQC30AgainstR(t *testing.T) {
	fr, err := datasets.ReadFrame(filepath.Join("testdata", "qlq_c30_handscored.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := QLQC30.ScoreFrame(fr, ScoreOptions{ID: "respondent"})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := datasets.ReadFrame(filepath.Join("testdata", "qlq_c30_R.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for s, sc := range append(append([]Scale(nil), QLQC30Scales...), Scale{Name: "c30_summary"}) {
		col, err := ref.Floats(sc.Name, true)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			got := r.Scores[s]
			if math.IsNaN(got) != math.IsNaN(col[i]) || math.Abs(got-col[i]) > 1e-9 {
				t.Errorf("%s %s: %g, R %g", r.ID, sc.Name, got, col[i])
			}
		}
	}
}
