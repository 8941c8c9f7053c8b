package strategy

import (
	"math"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestDriftByHand: unit A has 20 exams in January 2021 of which 1 scores
// above 0.5 and 20 in February of which 19 do: its share over both months
// is 1/2, and P(X ≤ 1 | 20, 1/2) = 21/2^20 ≈ 2·10⁻⁵ and P(X ≥ 19) the
// same: both months are flagged. Unit B has 10 of 20 both months: none.
func TestDriftByHand(t *testing.T) {
	var ex []datasets.LinkedExam
	add := func(unit string, month, above, n int) {
		for i := range n {
			var e datasets.LinkedExam
			e.ScreeningUnit, e.Date, e.AIScore = unit, datasets.DateOf(2021, month, 10), 0.1
			if i < above {
				e.AIScore = 0.9
			}
			ex = append(ex, e)
		}
	}
	add("A", 1, 1, 20)
	add("A", 2, 19, 20)
	add("B", 1, 10, 20)
	add("B", 2, 10, 20)
	get, _ := ExamColumn("screening_unit", nil)
	rep, err := Drift(ex, func(i int) float64 { return ex[i].AIScore }, get, "screening_unit", DriftOptions{Threshold: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		g, p, flag string
		above      int
	}{{"A", "2021-01", "below 99.8%", 1}, {"A", "2021-02", "above 99.8%", 19}, {"B", "2021-01", "", 10}, {"B", "2021-02", "", 10}}
	if len(rep.Rows) != 4 || len(rep.Flagged) != 2 {
		t.Fatalf("rows %+v, flagged %v", rep.Rows, rep.Flagged)
	}
	for i, w := range want {
		r := rep.Rows[i]
		if r.Group != w.g || r.Period != w.p || r.Flag != w.flag || r.Above != w.above || r.Expected != 0.5 || math.Abs(r.Share-float64(w.above)/20) > 1e-12 {
			t.Errorf("row %d %+v, want %+v", i, r, w)
		}
	}
	if q, _ := Drift(ex, func(i int) float64 { return ex[i].AIScore }, get, "screening_unit", DriftOptions{Threshold: 0.5, Period: "quarter"}); len(q.Rows) != 2 || q.Rows[0].Period != "2021-Q1" || len(q.Flagged) != 0 {
		t.Errorf("by quarter %+v", q)
	}
}
