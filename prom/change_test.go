package prom

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestChangeFromBaselineByHand: R3 (baseline) followed by R1's answers
// (every function 100, every symptom 0) and R4's by R2's (every function 0,
// every symptom 100), from the hand-scored questionnaires. R3's physical
// functioning 160/3 → 100 is +46.7 (improved); R4's 200/3 → 0 is −66.7
// (deteriorated): mean (140/3 − 200/3)/2 = −10. R3's fatigue 200/3 → 0 is
// an improvement of a symptom; R4's fatigue was not scored (not paired).
func TestChangeFromBaselineByHand(t *testing.T) {
	fr, err := datasets.ReadFrame(filepath.Join("testdata", "qlq_c30_handscored.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := QLQC30.ScoreFrame(fr, ScoreOptions{ID: "respondent"})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]Row{}
	for _, r := range rows {
		by[r.ID] = r
	}
	base := []Row{by["R3"], by["R4"]}
	r1, r2 := by["R1"], by["R2"]
	r1.ID, r2.ID = "R3", "R4"
	ch := QLQC30.ChangeFromBaseline(base, []Row{r1, r2}, 0)
	pf, fa := ch[1], ch[6]
	if pf.Scale != "pf" || pf.Paired != 2 || pf.Improved != 1 || pf.Deteriorated != 1 || math.Abs(pf.MeanChange+10) > 1e-12 {
		t.Errorf("pf %+v", pf)
	}
	if fa.Scale != "fa" || fa.Paired != 1 || fa.Improved != 1 || math.Abs(fa.MeanChange+200.0/3) > 1e-12 {
		t.Errorf("fa %+v", fa)
	}
	if a, n := ResponseRate([]string{"R1", "R2", "X9", "R1"}, rows); a != 2 || n != 3 {
		t.Errorf("response %d of %d, want 2 of 3 (R1 counted once)", a, n)
	}
}
