package strategy

import (
	"math"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// handExams reads testdata/triage_hand.csv: 12 exams of 6 women whose
// every strategy result below was counted by hand (the comments say how).
func handExams(t *testing.T) []TriageExam {
	t.Helper()
	linked, _, _, err := datasets.ReadAll("testdata/triage_hand.csv", datasets.LinkedSchema, datasets.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	exams, left := TriageInput(linked, func(i int) float64 { return linked[i].AIScore })
	if len(exams) != 12 || left != (TriageLeft{}) {
		t.Fatalf("%d exams, left out %+v", len(exams), left)
	}
	return exams
}

func specs(t *testing.T, s ...string) []StrategySpec {
	t.Helper()
	var out []StrategySpec
	for _, x := range s {
		sp, err := ParseStrategy(x)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sp)
	}
	return out
}

// TestTriageByHand: every count of every strategy on the hand-built table.
func TestTriageByHand(t *testing.T) {
	exams := handExams(t)
	rep, err := SimulateTriage(exams, specs(t, "rule-out:0.3", "ai-second-reader:cut=0.5", "triage-single:0.3", "fast-track:0.9", "rule-out:0.3+fast-track:0.9"), TriageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type counts struct {
		name, assumption                                                 string
		reads, consensus, recalls, detected, interval, missed, unobs, pd int
		falsePos                                                         int
	}
	want := []counts{
		// double: 24 reads; flagged E02 E03 E04 E07 E08 E11; recalled E03 E04 E07 E08;
		// detected E03 E04 E08; interval E05 E10 E11; false positive E07.
		{"double", Observed, 24, 6, 4, 3, 3, 0, 0, 0, 1},
		// rule-out < 0.3 drops E01 E02 E08 E10 E12 (7 exams read twice); E08 missed.
		{"rule-out:0.3", Dismissed, 14, 4, 3, 2, 3, 1, 0, 0, 1},
		// AI as reader 2 (≥ 0.5: E03 E04 E05 E09 E11): flagged E02 E03 E04 E05 E07 E09 E11,
		// E05 and E09 never discussed; E08 (reader 2 only) missed; the AI flagged
		// interval cancers E05 and E11 (potentially detectable).
		{"ai-second-reader:cut=0.5", Dismissed, 12, 7, 3, 2, 3, 1, 2, 2, 1},
		// ... recalled: E05 (interval) counts as detected, E09 a false positive.
		{"ai-second-reader:cut=0.5", Recalled, 12, 7, 5, 3, 2, 1, 2, 2, 2},
		// one reader below 0.3 (E01 E02 E08 E10 E12): 5 + 14 reads; E08 missed.
		{"triage-single:0.3", Dismissed, 19, 5, 3, 2, 3, 1, 0, 0, 1},
		// fast-track ≥ 0.9: E03 (discussed anyway) and E09 (never discussed).
		{"fast-track:0.9", Dismissed, 24, 7, 4, 3, 3, 0, 1, 0, 1},
		{"fast-track:0.9", Recalled, 24, 7, 5, 3, 3, 0, 1, 0, 2},
		{"rule-out:0.3+fast-track:0.9", Dismissed, 14, 5, 3, 2, 3, 1, 1, 0, 1},
		{"rule-out:0.3+fast-track:0.9", Recalled, 14, 5, 4, 2, 3, 1, 1, 0, 2},
	}
	if len(rep.Strategies) != len(want) {
		t.Fatalf("%d rows, want %d", len(rep.Strategies), len(want))
	}
	for i, w := range want {
		r := rep.Strategies[i]
		got := counts{r.Name, r.Assumption, r.Reads, r.Consensus, r.Recalls, r.ScreenDetected, r.Interval, r.MissedScreenDetected,
			r.Unobserved, r.PotentiallyDetect, int(math.Round((1 - r.Specificity) * 6))}
		if got != w {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got, w)
		}
		if r.Exams != 12 || r.ScreenDetectedChange != w.detected-3 || math.Abs(r.ReadsChange-(float64(w.reads)/24-1)) > 1e-12 ||
			math.Abs(r.Sensitivity-float64(w.detected)/6) > 1e-12 || math.Abs(r.RecallRate-float64(w.recalls)/12) > 1e-12 ||
			math.Abs(r.CDR-1000*float64(w.detected)/12) > 1e-9 {
			t.Errorf("row %d (%s %s): rates %+v", i, w.name, w.assumption, r)
		}
	}
	// McNemar: rule-out loses one detection (E08) and gains none: p = 1;
	// exact two-sided p for 0 vs 6 discordant pairs is 2/64.
	if p := rep.Strategies[1].DetectionMcNemarP; p != 1 {
		t.Errorf("rule-out McNemar p %g", p)
	}
	if p := mcNemarExact(0, 6); math.Abs(p-2.0/64) > 1e-12 {
		t.Errorf("McNemar(0, 6) = %g, want 1/32", p)
	}
}

// TestTriageThresholdRules: thresholds by fraction, by matching the
// reader's positive rate, and by keeping the observed sensitivity.
func TestTriageThresholdRules(t *testing.T) {
	exams := handExams(t)
	rep, err := SimulateTriage(exams, specs(t, "rule-out:fraction=0.5", "ai-second-reader:match=reader-rate", "rule-out:match=sensitivity", "ai-second-reader:match=consensus-rate"), TriageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Strategy{}
	for _, r := range rep.Strategies {
		got[r.Name] = r.Strategy
	}
	for _, c := range []struct {
		name string
		thr  float64
		want float64
	}{
		// type-7 median of the 12 scores: between 0.35 and 0.40.
		{"rule-out:fraction=0.5", got["rule-out:fraction=0.5"].RuleOut, 0.375},
		// reader 1 flags 4 of 12: the 2/3 quantile, 0.60 + (1/3)(0.70 − 0.60).
		{"ai-second-reader:match=reader-rate", got["ai-second-reader:match=reader-rate"].AISecond, 0.6 + 0.1/3},
		// E08 (score 0.25) is the lowest-scored detected cancer.
		{"rule-out:match=sensitivity", got["rule-out:match=sensitivity"].RuleOut, 0.25},
		// 6 of 12 discussed: the median.
		{"ai-second-reader:match=consensus-rate", got["ai-second-reader:match=consensus-rate"].AISecond, 0.375},
	} {
		if math.Abs(c.thr-c.want) > 1e-12 {
			t.Errorf("%s: threshold %.6f, want %.6f", c.name, c.thr, c.want)
		}
	}
}

// TestTriageInputLeftOut: exams without an outcome, without a score or
// with an inconsistent reading record are counted, not simulated.
func TestTriageInputLeftOut(t *testing.T) {
	linked, _, _, err := datasets.ReadAll("testdata/triage_hand.csv", datasets.LinkedSchema, datasets.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	linked[0].Outcome = datasets.Unknown
	linked[1].AIScore = math.NaN()
	linked[2].Consensus = -1 // flags but no consensus
	linked[4].Consensus = 0  // consensus without a flag
	exams, left := TriageInput(linked, func(i int) float64 { return linked[i].AIScore })
	if len(exams) != 8 || left != (TriageLeft{NoOutcome: 1, MissingScore: 1, InconsistentRdr: 2}) {
		t.Errorf("%d exams, left %+v", len(exams), left)
	}
	if _, err := SimulateTriage(nil, nil, TriageOptions{}); err == nil {
		t.Error("no exams: no error")
	}
	for _, bad := range []string{"rule-in", "rule-out:fraction=2", "rule-out:match=magic", "rule-out:abc"} {
		if _, err := ParseStrategy(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// TestTriageBootstrap: seeded (same seed, same intervals), the intervals
// contain the estimates, and the observed row differs from itself by 0.
func TestTriageBootstrap(t *testing.T) {
	exams := handExams(t)
	o := TriageOptions{Bootstrap: 200, Seed: 4}
	a, err := SimulateTriage(exams, specs(t, "rule-out:0.3"), o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := SimulateTriage(exams, specs(t, "rule-out:0.3"), o)
	if *a.Strategies[1].CI != *b.Strategies[1].CI {
		t.Error("same seed, different intervals")
	}
	ci := a.Strategies[1].CI
	r := a.Strategies[1]
	if r.ReadsChange < ci.ReadsChange[0] || r.ReadsChange > ci.ReadsChange[1] || ci.ReadsChange[0] >= ci.ReadsChange[1] {
		t.Errorf("reads change %.3f outside %v", r.ReadsChange, ci.ReadsChange)
	}
	if base := a.Strategies[0].CI; base.CDRDiff != [2]float64{0, 0} {
		t.Errorf("observed vs itself: %v", base.CDRDiff)
	}
}
