package strategy

import (
	"math"
	"reflect"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestReviewAndCharacteristicsByHand: rule-out below .3 and fast-track at
// .7 on six exams, counted by hand.
//
//	P1 interval (reviewed missed), score .9, invasive stage II: fast-tracked, never discussed
//	P2 interval (reviewed occult), score .8, invasive stage I: fast-tracked, never discussed
//	P3 interval (true interval), score .1: ruled out
//	P4 screen-detected, both readers, score .2, in situ stage 0: ruled out, lost
//	P5 screen-detected, reader 1, score .95, invasive stage I: kept
//	P6 negative, score .5: read, not flagged
//
// The AI flagged two interval cancers, one of them actionable. Dismissed:
// P4 lost. Recalled (the optimistic bound): P1 and P2 gained. Reviewed:
// only P1 (missed) gained; P2 was occult.
func TestReviewAndCharacteristicsByHand(t *testing.T) {
	ic, sd, neg := datasets.Interval, datasets.ScreenDetected, datasets.Negative
	ex := []TriageExam{
		{Person: "P1", Consensus: -1, Score: .9, Outcome: ic, Review: ReviewMissed, Stage: "II"},
		{Person: "P2", Consensus: -1, Score: .8, Outcome: ic, Review: ReviewOccult, Stage: "I"},
		{Person: "P3", Consensus: -1, Score: .1, Outcome: ic, Review: ReviewTrueInterval, Stage: "I"},
		{Person: "P4", Reader1: true, Reader2: true, Consensus: 1, Score: .2, Outcome: sd, InSitu: true, Stage: "0"},
		{Person: "P5", Reader1: true, Consensus: 1, Score: .95, Outcome: sd, Stage: "I"},
		{Person: "P6", Consensus: -1, Score: .5, Outcome: neg},
	}
	for i := range ex {
		ex[i].Score2 = math.NaN()
	}
	spec, _ := ParseStrategy("rule-out:0.3+fast-track:0.7")
	rep, err := SimulateTriage(ex, []StrategySpec{spec}, TriageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]TriageRow{}
	for _, r := range rep.Strategies {
		rows[r.Assumption] = r
	}
	if r := rows[Reviewed]; r.PotentiallyDetect != 2 || r.PotentiallyActionable != 1 || r.Recalls != 3 || r.ScreenDetected != 2 || r.Interval != 2 {
		t.Errorf("reviewed %+v", r)
	}
	if r := rows[Recalled]; r.ScreenDetected != 3 || r.Interval != 1 {
		t.Errorf("recalled %+v", r)
	}
	got := rep.Characteristics
	want := []CharacteristicRow{
		{"rule-out:0.3+fast-track:0.7", Dismissed, "lost", "in situ", "0", 1},
		{"rule-out:0.3+fast-track:0.7", Recalled, "lost", "in situ", "0", 1},
		{"rule-out:0.3+fast-track:0.7", Recalled, "gained", "invasive", "I", 1},
		{"rule-out:0.3+fast-track:0.7", Recalled, "gained", "invasive", "II", 1},
		{"rule-out:0.3+fast-track:0.7", Reviewed, "lost", "in situ", "0", 1},
		{"rule-out:0.3+fast-track:0.7", Reviewed, "gained", "invasive", "II", 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("characteristics\n got %+v\nwant %+v", got, want)
	}
	rv := ReviewScores(ex)
	if len(rv) != 3 || rv[0].Class != ReviewTrueInterval || rv[0].Median != .1 || rv[2].Class != ReviewOccult || rv[1].Class != ReviewMissed || rv[1].Mean != .9 {
		t.Errorf("review scores %+v", rv)
	}
}
