package strategy

import (
	"math"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/report/suppress"
)

func readExam(r1, r2 string, f1, f2 bool, o datasets.Outcome) datasets.LinkedExam {
	var e datasets.LinkedExam
	e.Reader1Recall, e.Reader2Recall, e.Outcome, e.ScreeningUnit = f1, f2, o, "SU01"
	e.Extra = []string{r1, r2}
	return e
}

// TestReadersByHand: six exams, counted by hand.
//
//	E1 A flags, B not; screen-detected      E4 C, B, no flags; interval
//	E2 A, C, no flags; negative             E5 A, B; unknown (left out)
//	E3 B and A flag; negative               E6 C flags, no second id; screen-detected
//
// A: 3 reads, 2 flags, 1 flagged cancer, cancers of its exams 1 (SD) →
// recall 2/3, detection 1/3, PPV 1/2, sensitivity 1/1. B: 3 reads, 1 flag
// (E3), no flagged cancer, SD 1 of cancers 2 (E1, E4). C: 3 reads, 1 flag,
// 1 flagged cancer (E6), SD 1 of 2 (E6, E4).
func TestReadersByHand(t *testing.T) {
	ex := []datasets.LinkedExam{
		readExam("A", "B", true, false, datasets.ScreenDetected),
		readExam("A", "C", false, false, datasets.Negative),
		readExam("B", "A", true, true, datasets.Negative),
		readExam("C", "B", false, false, datasets.Interval),
		readExam("A", "B", true, true, datasets.Unknown),
		readExam("C", "", true, false, datasets.ScreenDetected),
	}
	audit, left, err := Readers(ex, []string{"reader1_id", "reader2_id"}, "reader1_id", "reader2_id", screening.IndicatorOptions{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if left.UnknownOutcome != 1 || left.NoReader != 1 {
		t.Errorf("left %+v", left)
	}
	want := map[string]map[string][2]float64{ // reader → indicator → numerator, denominator
		"A": {"recall_rate": {2, 3}, "detection_rate": {1, 3}, "ppv": {1, 2}, "sensitivity": {1, 1}},
		"B": {"recall_rate": {1, 3}, "detection_rate": {0, 3}, "ppv": {0, 1}, "sensitivity": {1, 2}},
		"C": {"recall_rate": {1, 3}, "detection_rate": {1, 3}, "ppv": {1, 1}, "sensitivity": {1, 2}},
	}
	for _, ind := range audit.Indicators {
		for _, u := range ind.Units {
			w := want[u.Unit][ind.Name]
			if u.Numerator != w[0] || u.Denominator != w[1] {
				t.Errorf("%s %s: %g/%g, want %g/%g", u.Unit, ind.Name, u.Numerator, u.Denominator, w[0], w[1])
			}
			if per := ind.Per; math.Abs(u.Value-w[0]/w[1]*per) > 1e-9 {
				t.Errorf("%s %s: value %g", u.Unit, ind.Name, u.Value)
			}
		}
		if ind.Name == "recall_rate" && (ind.National.Numerator != 4 || ind.National.Denominator != 9) {
			t.Errorf("programme recall %g/%g, want 4/9 reads", ind.National.Numerator, ind.National.Denominator)
		}
	}
	if _, _, err := Readers(ex, []string{"r1", "r2"}, "reader1_id", "reader2_id", screening.IndicatorOptions{}, 0); err == nil {
		t.Error("missing reader columns accepted")
	}
}

// TestReadersSuppressionAudited: readers with few flags or cancers have
// their small counts hidden, and nothing hidden can be worked out from
// what the audit shows (suppress.Audit over the indicators' relations).
func TestReadersSuppressionAudited(t *testing.T) {
	var ex []datasets.LinkedExam
	add := func(r1, r2 string, n int, f1, f2 bool, o datasets.Outcome) {
		for range n {
			ex = append(ex, readExam(r1, r2, f1, f2, o))
		}
	}
	add("A", "B", 60, false, false, datasets.Negative)
	add("B", "C", 50, false, false, datasets.Negative)
	add("C", "A", 40, false, false, datasets.Negative)
	add("A", "B", 8, true, true, datasets.ScreenDetected)
	add("B", "C", 2, true, false, datasets.ScreenDetected) // B flags 2 more cancers, C none: small
	add("C", "A", 6, true, true, datasets.Negative)
	add("A", "C", 1, false, false, datasets.Interval)
	extra := []string{"reader1_id", "reader2_id"}
	res, _, err := Readers(ex, extra, "reader1_id", "reader2_id", screening.IndicatorOptions{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	hidden := 0
	for _, ind := range res.Indicators {
		for _, u := range ind.Units {
			if len(u.Suppressed) > 0 {
				hidden++
			}
		}
	}
	if hidden == 0 {
		t.Fatal("no small count hidden")
	}
	fr, _, _ := ReaderReads(ex, extra, "reader1_id", "reader2_id")
	rel, err := screening.IndicatorRelations(fr, ReaderIndicators)
	if err != nil {
		t.Fatal(err)
	}
	tab, _ := screening.IndicatorsTable(res, rel)
	if exposed, err := suppress.Audit(tab, 5); err != nil || len(exposed) > 0 {
		t.Errorf("audit: %v %v", exposed, err)
	}
}
