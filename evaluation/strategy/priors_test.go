package strategy

import (
	"errors"
	"math"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

func linkedExam(person string, year int, o datasets.Outcome, score float64) datasets.LinkedExam {
	var e datasets.LinkedExam
	e.PersonID, e.Date, e.Outcome, e.AIScore = person, datasets.DateOf(year, 3, 1), o, score
	return e
}

// TestPriorsByHand: six women, counted by hand.
//
//	W1 2016 neg .20, 2018 neg .60, 2020 screen-detected .95
//	W6 2016 neg .90, 2018 screen-detected .99
//	W2 2018 neg .30, 2020 interval .85
//	W3 2016 neg .10, 2018 neg .40, 2020 neg .50
//	W4 2018 neg .70, 2020 neg (no score)
//	W5 2020 unknown .55                     (left out)
//
// The 12 scores sorted: .10 .20 .30 .40 .50 .55 .60 .70 .85 .90 .95 .99;
// the top quarter starts at R's quantile(x, 0.75) = .85 + .25·(.90 − .85)
// = .8625. Screen-detected at the index: .95, .99 (2 of 2 above); one
// round before: .60, .90 (1 of 2); two rounds before: .20 (0 of 1).
// Interval: .85 (0 of 1: below .8625), .30, none. No cancer: .50 (W4's
// last exam has no score), then .40 and .70 (mean .55), then .10.
func TestPriorsByHand(t *testing.T) {
	nan := math.NaN()
	ex := []datasets.LinkedExam{
		linkedExam("W1", 2016, datasets.Negative, .20), linkedExam("W1", 2020, datasets.ScreenDetected, .95), linkedExam("W1", 2018, datasets.Negative, .60),
		linkedExam("W2", 2018, datasets.Negative, .30), linkedExam("W2", 2020, datasets.Interval, .85),
		linkedExam("W3", 2016, datasets.Negative, .10), linkedExam("W3", 2018, datasets.Negative, .40), linkedExam("W3", 2020, datasets.Negative, .50),
		linkedExam("W4", 2018, datasets.Negative, .70), linkedExam("W4", 2020, datasets.Negative, nan),
		linkedExam("W5", 2020, datasets.Unknown, .55),
		linkedExam("W6", 2016, datasets.Negative, .90), linkedExam("W6", 2018, datasets.ScreenDetected, .99),
	}
	rep, err := Priors(ex, func(i int) float64 { return ex[i].AIScore }, "ai_score", []float64{0.25}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rep.Thresholds[0].Threshold-0.8625) > 1e-12 || rep.Unknown != 1 {
		t.Fatalf("threshold %g, unknown %d", rep.Thresholds[0].Threshold, rep.Unknown)
	}
	want := []struct {
		women, exams, above int
		mean                float64
	}{
		{2, 2, 2, 0.97}, {2, 2, 1, 0.75}, {2, 1, 0, 0.20},
		{1, 1, 0, 0.85}, {1, 1, 0, 0.30}, {1, 0, 0, nan},
		{2, 1, 0, 0.50}, {2, 2, 0, 0.55}, {2, 1, 0, 0.10},
	}
	if len(rep.Rows) != len(want) {
		t.Fatalf("%d rows", len(rep.Rows))
	}
	for i, w := range want {
		r := rep.Rows[i]
		if r.Women != w.women || r.Exams != w.exams || r.Above != w.above ||
			!(math.IsNaN(w.mean) && math.IsNaN(r.Mean) || math.Abs(r.Mean-w.mean) < 1e-12) {
			t.Errorf("%s lag %d: %+v, want %+v", r.Group, r.Lag, r, w)
		}
		if r.Exams > 0 && !(r.Lower <= r.Share && r.Share <= r.Upper) {
			t.Errorf("%s lag %d: interval misses the share", r.Group, r.Lag)
		}
	}
	// the order of the rows in the table does not matter
	rev := append([]datasets.LinkedExam(nil), ex...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	rep2, _ := Priors(rev, func(i int) float64 { return rev[i].AIScore }, "ai_score", []float64{0.25}, 0)
	for i := range rep.Rows {
		a, b := rep.Rows[i], rep2.Rows[i]
		if a.Exams != b.Exams || a.Above != b.Above {
			t.Errorf("row %d differs with the rows reversed", i)
		}
	}
}

// TestReadScored: the linked table with its AI score, and a missing score
// column named as such.
func TestReadScored(t *testing.T) {
	path := "testdata/triage_hand.csv"
	linked, _, score, err := ReadScored(path, "ai_score")
	if err != nil || len(linked) == 0 || math.IsNaN(score(0)) {
		t.Fatalf("%v", err)
	}
	var se *ScoreColumnError
	if _, _, _, err := ReadScored(path, "cnn_score"); !errors.As(err, &se) || se.Column != "cnn_score" {
		t.Errorf("missing column: %v", err)
	}
}
