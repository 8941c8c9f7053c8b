package screening

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/report/suppress"
)

// unitsFrame is a round of screening in ten units, several of them small
// enough to have counts below 5 (seeded, so the same every run).
func unitsFrame(t *testing.T) *datasets.Frame {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	var b strings.Builder
	b.WriteString("unit,recall,outcome\n")
	for u := range 10 {
		exams := 150 + rng.IntN(900)
		for range exams {
			recall, outcome := 0, "negative"
			switch x := rng.Float64(); {
			case x < 0.005:
				recall, outcome = 1, "screen-detected"
			case x < 0.0065:
				outcome = "interval"
			case x < 0.0070:
				recall, outcome = 1, "interval"
			case x < 0.035:
				recall = 1
			case x < 0.05:
				outcome = "unknown"
			}
			fmt.Fprintf(&b, "U%02d,%d,%s\n", u+1, recall, outcome)
		}
	}
	fr, err := datasets.ReadFrameFrom(strings.NewReader(b.String()), "units.csv")
	if err != nil {
		t.Fatal(err)
	}
	return fr
}

// todaysIndicatorSuppression is the rule screenlab used before the audit:
// each indicator's numerators below n hidden, with one complementary unit
// per indicator for the national total; nothing else.
func todaysIndicatorSuppression(res *IndicatorsResult, n float64) {
	for _, ind := range res.Indicators {
		hidden := 0
		for i := range ind.Units {
			if suppress.Small(ind.Units[i].Numerator, n) {
				ind.Units[i].hide("numerator", suppress.Primary)
				hidden++
			}
		}
		if hidden == 1 {
			best := -1
			for i, u := range ind.Units {
				if u.Suppressed == nil && u.Numerator > 0 && (best < 0 || u.Numerator < ind.Units[best].Numerator) {
					best = i
				}
			}
			ind.Units[best].hide("numerator", suppress.Complementary)
		}
	}
}

// TestAuditCatchesTodaysIndicatorTable is the attack: with yesterday's
// suppression every hidden numerator of the built-in indicators is solved
// from the sensitivity's numerators and denominators, the published zeros
// and the "below 5" bound.
func TestAuditCatchesTodaysIndicatorTable(t *testing.T) {
	fr := unitsFrame(t)
	defs, _, err := BuiltinIndicators("screening")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ComputeIndicators(fr, "unit", defs, IndicatorOptions{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	truth, _ := IndicatorsTable(res, nil)
	todaysIndicatorSuppression(res, 5)
	rel, err := IndicatorRelations(fr, defs)
	if err != nil {
		t.Fatal(err)
	}
	tab, _ := IndicatorsTable(res, rel)
	exposed, err := suppress.Audit(tab, 5)
	if err != nil {
		t.Fatal(err)
	}
	hidden := 0
	for _, c := range tab.Cells {
		if c.Hidden {
			hidden++
		}
	}
	if hidden == 0 || len(exposed) == 0 {
		t.Fatalf("the old rule hid %d figures and the audit solved %d: the attack needs both", hidden, len(exposed))
	}
	for _, e := range exposed {
		if want := truth.Cells[e.Cell].Value; math.Round(e.Min) != want {
			t.Errorf("the audit solved %s as %g, the truth is %g", e.Name, math.Round(e.Min), want)
		}
	}
	t.Logf("the old rule hid %d figures; the audit recovers %d of them exactly, e.g. %s", hidden, len(exposed), exposed[0])
}

// TestIndicatorSuppressionHolds: with --suppress 5 nothing hidden can be
// solved for, every primary figure is below 5, every true value lies in
// the range the table allows, and what derives from a hidden figure is
// hidden too.
func TestIndicatorSuppressionHolds(t *testing.T) {
	fr := unitsFrame(t)
	defs, _, _ := BuiltinIndicators("screening")
	open, err := ComputeIndicators(fr, "unit", defs, IndicatorOptions{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	truth, _ := IndicatorsTable(open, nil)
	res, err := ComputeIndicators(fr, "unit", defs, IndicatorOptions{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := IndicatorRelations(fr, defs)
	tab, _ := IndicatorsTable(res, rel)
	exposed, err := suppress.Audit(tab, 5)
	if err != nil || len(exposed) > 0 {
		t.Fatalf("the audit solves %v (%v)", exposed, err)
	}
	ranges, _ := suppress.Range(tab, 5)
	primary, complementary := 0, 0
	for i, c := range tab.Cells {
		if !c.Hidden {
			continue
		}
		v := truth.Cells[i].Value
		switch c.Reason {
		case suppress.Primary:
			primary++
			if !suppress.Small(v, 5) {
				t.Errorf("%s = %g is primary", c.Name, v)
			}
		case suppress.Complementary:
			complementary++
		default:
			t.Errorf("%s hidden without a reason", c.Name)
		}
		if v < ranges[i][0]-1e-6 || v > ranges[i][1]+1e-6 {
			t.Errorf("%s = %g outside the range %v the table allows", c.Name, v, ranges[i])
		}
	}
	if primary == 0 || complementary == 0 {
		t.Fatalf("%d primary, %d complementary: the data must exercise both", primary, complementary)
	}
	for _, ind := range res.Indicators {
		for _, u := range append(ind.Units, ind.National) {
			if len(u.Suppressed) > 0 && (!math.IsNaN(u.Value) || !math.IsNaN(u.Lower) || u.TargetMet != nil || u.Funnel != "suppressed") {
				t.Errorf("%s %s: hidden %v but shows %+v", ind.Name, u.Unit, u.Suppressed, u)
			}
		}
	}
	// The relations are the definitions': the sensitivity's numerator is
	// the detection rate's.
	if len(rel) == 0 {
		t.Error("no relations among the built-in indicators")
	}
}

// TestScreeningSuppressionHolds: a screening table by unit with its total
// row publishes nothing solvable, including the interval cancers after a
// recall that the specificity would reveal.
func TestScreeningSuppressionHolds(t *testing.T) {
	var exams []datasets.LinkedExam
	rng := rand.New(rand.NewPCG(3, 5))
	for u := range 8 {
		exams = append(exams, examsFor(fmt.Sprintf("SU%d", u+1), 1, map[string]int{
			"sd": rng.IntN(9), "fp": 10 + rng.IntN(30), "tn": 300 + rng.IntN(500), "interval": rng.IntN(4),
			"recalled_interval": rng.IntN(2), "cons_no": rng.IntN(20), "unknown": rng.IntN(6)})...)
	}
	rep, err := ScreeningMetrics(exams, nil, ScreeningOptions{By: []string{"screening_unit"}, Total: true})
	if err != nil {
		t.Fatal(err)
	}
	truth, _ := ScreeningTable(rep, true)
	if err := Suppress(rep, 5, true); err != nil {
		t.Fatal(err)
	}
	tab, _ := ScreeningTable(rep, true)
	if exposed, err := suppress.Audit(tab, 5); err != nil || len(exposed) > 0 {
		t.Fatalf("the audit solves %v (%v)", exposed, err)
	}
	ranges, _ := suppress.Range(tab, 5)
	for i, c := range tab.Cells {
		if c.Hidden && !c.Implicit && !math.IsNaN(truth.Cells[i].Value) {
			if v := truth.Cells[i].Value; v < ranges[i][0]-1e-6 || v > ranges[i][1]+1e-6 {
				t.Errorf("%s = %g outside %v", c.Name, v, ranges[i])
			}
		}
	}
	if err := Suppress(rep, 2, true); err == nil {
		t.Error("a threshold of 2 is refused: the label gives the count away")
	}
}
