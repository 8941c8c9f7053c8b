package strategy

import (
	"math"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestSubgroupsByHand: rule-out below 0.5 on two groups of four negative
// exams nobody flagged. X scores .1 .2 .6 .7: reads change per exam −2,
// −2, 0, 0 (mean −1, variance 4/3, SE² 1/3); Y scores .1 .6 .7 .8: −2, 0,
// 0, 0 (mean −.5, variance 1, SE² 1/4). Weights 3 and 4, weighted mean
// −5/7, Cochran's Q = 3·(2/7)² + 4·(3/14)² = 3/7 on 1 df: p =
// pchisq(3/7, 1, lower.tail = FALSE) = 0.512690... in R. Recall never
// changes (Q 0, p 1); there are no cancers (no detection test).
func TestSubgroupsByHand(t *testing.T) {
	var ex []TriageExam
	var group []string
	for g, scores := range map[string][]float64{"X": {.1, .2, .6, .7}, "Y": {.1, .6, .7, .8}} {
		for _, s := range scores {
			ex = append(ex, TriageExam{Person: g, Consensus: -1, Score: s, Score2: math.NaN(), Outcome: datasets.Negative})
			group = append(group, g)
		}
	}
	spec, _ := ParseStrategy("rule-out:0.5")
	rep, err := Subgroups(ex, group, "vendor", []StrategySpec{spec}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 2 || rep.Rows[0].Group != "X" || rep.Rows[0].ReadsChange != -0.5 || rep.Rows[1].ReadsChange != -0.25 {
		t.Fatalf("rows %+v", rep.Rows)
	}
	got := map[string]Interaction{}
	for _, in := range rep.Interactions {
		got[in.Metric] = in
	}
	if r := got["reads"]; math.Abs(r.Q-3.0/7) > 1e-9 || r.DF != 1 || math.Abs(r.P-0.512690) > 1e-6 {
		t.Errorf("reads interaction %+v", r)
	}
	if r := got["recall"]; r.Q != 0 || r.P != 1 {
		t.Errorf("recall interaction %+v", r)
	}
	if r := got["detection"]; !math.IsNaN(r.P) {
		t.Errorf("detection interaction %+v (no cancers)", r)
	}
	if _, err := Subgroups(ex, make([]string, len(ex)), "vendor", []StrategySpec{spec}, nil); err == nil {
		t.Error("no groups accepted")
	}
}
