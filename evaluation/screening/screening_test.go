package screening

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/report/suppress"
)

// examsFor builds linked exams: n of each kind in a unit.
func examsFor(unit string, round int, kinds map[string]int) []datasets.LinkedExam {
	var out []datasets.LinkedExam
	add := func(k int, recall bool, consensus int8, o datasets.Outcome) {
		for i := 0; i < k; i++ {
			out = append(out, datasets.LinkedExam{Exam: datasets.Exam{ScreeningUnit: unit, Round: round,
				Recall: recall, Consensus: consensus}, Outcome: o, Age: 52})
		}
	}
	add(kinds["sd"], true, 1, datasets.ScreenDetected)
	add(kinds["fp"], true, 1, datasets.Negative)
	add(kinds["cons_no"], false, 0, datasets.Negative)
	add(kinds["tn"], false, -1, datasets.Negative)
	add(kinds["interval"], false, -1, datasets.Interval)
	add(kinds["recalled_interval"], true, 1, datasets.Interval)
	add(kinds["unknown"], false, -1, datasets.Unknown)
	add(kinds["excluded"], false, -1, datasets.Excluded)
	return out
}

func TestScreeningMetricsDefinitions(t *testing.T) {
	// 1000 exams: 6 screen-detected, 24 false-positive recalls, 1 recalled
	// exam with a later interval cancer, 2 interval cancers not recalled, 50
	// consensus discussions without recall, 10 unknown; 3 excluded.
	exams := examsFor("A", 1, map[string]int{"sd": 6, "fp": 24, "recalled_interval": 1, "interval": 2,
		"cons_no": 50, "unknown": 10, "tn": 1000 - 6 - 24 - 1 - 2 - 50 - 10, "excluded": 3})
	rep, err := ScreeningMetrics(exams, nil, ScreeningOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Rows[0]
	if rep.Excluded != 3 || r.Exams != 1000 || r.Recalls != 31 || r.Consensus != 81 || r.ScreenDetected != 6 || r.Interval != 3 || r.Unknown != 10 {
		t.Fatalf("counts %+v, excluded %d", r, rep.Excluded)
	}
	// Non-cancer exams: 1000 - 6 - 3 = 991; false positives: 24; true
	// negatives: 991 - 24 = 967.
	want := map[string]float64{
		"recall_rate": 31.0 / 1000, "consensus_rate": 81.0 / 1000, "cdr": 6, "interval_rate": 3,
		"ppv": 6.0 / 31, "sensitivity": 6.0 / 9, "specificity": 967.0 / 991,
	}
	got := map[string]float64{
		"recall_rate": r.RecallRate, "consensus_rate": r.ConsensusRate, "cdr": r.CDR, "interval_rate": r.IntervalRate,
		"ppv": r.PPV, "sensitivity": r.Sensitivity, "specificity": r.Specificity,
	}
	for k, w := range want {
		if math.Abs(got[k]-w) > 1e-12 {
			t.Errorf("%s = %v, want %v", k, got[k], w)
		}
	}
	lo, hi := evaluation.ProportionCI(6, 1000, 0.95, evaluation.Wilson)
	if r.CDRLower != 1000*lo || r.CDRUpper != 1000*hi {
		t.Errorf("cdr CI (%v, %v), want 1000 × evaluation.Wilson (%v, %v)", r.CDRLower, r.CDRUpper, 1000*lo, 1000*hi)
	}
	// Every interval contains its estimate.
	for _, tr := range [][3]float64{{r.RecallRate, r.RecallRateLower, r.RecallRateUpper}, {r.CDR, r.CDRLower, r.CDRUpper},
		{r.PPV, r.PPVLower, r.PPVUpper}, {r.Sensitivity, r.SensitivityLower, r.SensitivityUpper},
		{r.Specificity, r.SpecificityLower, r.SpecificityUpper}, {r.IntervalRate, r.IntervalRateLower, r.IntervalRateUpper}} {
		if tr[1] > tr[0] || tr[2] < tr[0] {
			t.Errorf("interval (%v, %v) does not contain %v", tr[1], tr[2], tr[0])
		}
	}
}

func TestScreeningMetricsByGroup(t *testing.T) {
	exams := append(examsFor("B", 2, map[string]int{"sd": 2, "tn": 98}), examsFor("A", 1, map[string]int{"sd": 1, "interval": 1, "tn": 48})...)
	rep, err := ScreeningMetrics(exams, nil, ScreeningOptions{By: []string{"screening_unit", "round"}, Total: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rep.Rows))
	}
	wantGroups := [][]string{{"A", "first"}, {"B", "subsequent"}, {"all", "all"}}
	wantExams := []float64{50, 100, 150}
	for i, r := range rep.Rows {
		if !reflect.DeepEqual(r.Group.Values, wantGroups[i]) || r.Exams != wantExams[i] {
			t.Errorf("row %d: group %v exams %v, want %v %v", i, r.Group.Values, r.Exams, wantGroups[i], wantExams[i])
		}
	}
	if _, err := ScreeningMetrics(exams, nil, ScreeningOptions{By: []string{"hospital"}}); err == nil {
		t.Error("an unknown --by column was accepted")
	}
	// An empty group gives NaN rates, not a division by zero.
	rep, _ = ScreeningMetrics(examsFor("A", 1, map[string]int{"tn": 5}), nil, ScreeningOptions{})
	if !math.IsNaN(rep.Rows[0].PPV) || !math.IsNaN(rep.Rows[0].Sensitivity) {
		t.Errorf("PPV %v sensitivity %v without recalls or cancers, want NaN", rep.Rows[0].PPV, rep.Rows[0].Sensitivity)
	}
}

// TestScreeningMetricsRowOrder: the result does not depend on row order.
func TestScreeningMetricsRowOrder(t *testing.T) {
	exams := append(examsFor("B", 2, map[string]int{"sd": 2, "fp": 7, "tn": 91}), examsFor("A", 1, map[string]int{"sd": 1, "interval": 1, "cons_no": 3, "tn": 45})...)
	want, _ := ScreeningMetrics(exams, nil, ScreeningOptions{By: []string{"screening_unit"}, Total: true})
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(exams), func(i, j int) { exams[i], exams[j] = exams[j], exams[i] })
	got, _ := ScreeningMetrics(exams, nil, ScreeningOptions{By: []string{"screening_unit"}, Total: true})
	if !reflect.DeepEqual(got, want) {
		t.Error("shuffling the exams changed the result")
	}
}

// TestHide: hiding a count masks every rate derived from it.
func TestHide(t *testing.T) {
	rep, _ := ScreeningMetrics(examsFor("A", 1, map[string]int{"sd": 3, "interval": 1, "fp": 20, "tn": 500}), nil, ScreeningOptions{})
	r := rep.Rows[0]
	r.hide("interval", suppress.Primary)
	for name, v := range map[string]float64{"interval": r.Interval, "interval_rate": r.IntervalRate, "sensitivity": r.Sensitivity, "specificity": r.Specificity} {
		if !math.IsNaN(v) {
			t.Errorf("%s = %v after masking interval", name, v)
		}
	}
	if math.IsNaN(r.CDR) || math.IsNaN(r.RecallRate) {
		t.Error("masking interval masked unrelated rates")
	}
}
