package strategy

import (
	"math"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// transferExams: four 2020 exams to fix thresholds on (negative, no flags,
// scores .1 .2 .3 .4), and five 2022 exams to apply them to:
//
//	A negative, no flags, score .05, second score .90
//	B negative, no flags, score .30, second score .10
//	C screen-detected, both readers flag, recalled, score .20, second .20
//	D screen-detected, reader 1 flags, recalled, score .90, second .95
//	E negative, no flags, score .24, second .85
func transferExams() ([]datasets.LinkedExam, []string) {
	mk := func(p string, year int, o datasets.Outcome, r1, r2 bool, s, s2 string) datasets.LinkedExam {
		var e datasets.LinkedExam
		e.PersonID, e.Date, e.Outcome, e.Reader1Recall, e.Reader2Recall = p, datasets.DateOf(year, 5, 1), o, r1, r2
		e.Consensus = -1
		if r1 || r2 {
			e.Consensus = 1
		}
		e.AIScore, _ = datasets.ParseNumber(s)
		e.Extra = []string{s2}
		return e
	}
	n := datasets.Negative
	return []datasets.LinkedExam{
		mk("K1", 2020, n, false, false, "0.1", ""), mk("K2", 2020, n, false, false, "0.2", ""),
		mk("K3", 2020, n, false, false, "0.3", ""), mk("K4", 2020, n, false, false, "0.4", ""),
		mk("A", 2022, n, false, false, "0.05", "0.90"), mk("B", 2022, n, false, false, "0.30", "0.10"),
		mk("C", 2022, datasets.ScreenDetected, true, true, "0.20", "0.20"),
		mk("D", 2022, datasets.ScreenDetected, true, false, "0.90", "0.95"),
		mk("E", 2022, n, false, false, "0.24", "0.85"),
	}, []string{"ai_score_suspicious"}
}

// TestThresholdTransferByHand: rule-out of the lowest half fixed on 2020
// is R's quantile(c(.1,.2,.3,.4), .5) = .25; on the 2022 exams it rules
// out A, C and E: reads 4 (B and D) of 10, C missed. Fixed on 2022 itself
// the median of .05 .20 .24 .30 .90 is .24: E is read (6 reads).
func TestThresholdTransferByHand(t *testing.T) {
	ex, extra := transferExams()
	score := func(i int) float64 { return ex[i].AIScore }
	rep, err := Replay(ex, score, ReplayOptions{Strategies: []string{"rule-out:fraction=0.5"}, CalibrateOn: "year<=2021", EvaluateOn: "year>=2022", Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	base, r := rep.Strategies[0], rep.Strategies[1]
	if rep.Exams != 5 || rep.CalibrationExams != 4 || base.Reads != 10 || r.Reads != 4 || r.MissedScreenDetected != 1 || r.ScreenDetected != 1 ||
		!strings.Contains(r.Threshold, "0.25") {
		t.Errorf("fixed on 2020: exams %d, calibration %d, base %+v, rule-out %+v", rep.Exams, rep.CalibrationExams, base, r)
	}
	self, err := Replay(ex[4:], func(i int) float64 { return ex[4+i].AIScore }, ReplayOptions{Strategies: []string{"rule-out:fraction=0.5"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := self.Strategies[1]; r.Reads != 6 || !strings.Contains(r.Threshold, "0.24") {
		t.Errorf("fixed on 2022: %+v", r)
	}
	for _, bad := range []ReplayOptions{{CalibrateOn: "year<=2021"}, {CalibrateOn: "year<=1990", EvaluateOn: "year>=2022"}, {CalibrateOn: "colour=red", EvaluateOn: "year>=2022"}} {
		bad.Strategies, bad.Extra = []string{"rule-out"}, extra
		if _, err := Replay(ex, score, bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestTwoScoreStrategiesByHand: fast-track on the second score at .80
// sends A (.90) and E (.85) to a consensus that never happened (D is
// recalled anyway): consensus 2 → 4; dismissed, recalls stay 2; recalled,
// 4 with 2 false positives. With rule-out below .25 on the first score
// first, A (.05) and E (.24) are ruled out before the fast track: no
// consensus is added, and C (.20) is lost.
func TestTwoScoreStrategiesByHand(t *testing.T) {
	ex, extra := transferExams()
	ex = ex[4:]
	score := func(i int) float64 { return ex[i].AIScore }
	s2, _ := ColumnScore(ex, extra, "ai_score_suspicious")
	rep, err := Replay(ex, score, ReplayOptions{Strategies: []string{"fast-track-suspicious:0.8", "rule-out:0.25+fast-track-suspicious:0.8"}, Score2: s2, Score2Name: "ai_score_suspicious"})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]TriageRow{}
	for _, r := range rep.Strategies {
		rows[r.Name+"/"+r.Assumption] = r
	}
	d, rc := rows["fast-track-suspicious:0.8/dismissed"], rows["fast-track-suspicious:0.8/recalled"]
	if d.Consensus != 4 || d.Recalls != 2 || d.Unobserved != 2 || rc.Recalls != 4 || math.Abs(rc.RecallRate-0.8) > 1e-12 {
		t.Errorf("fast-track: dismissed %+v, recalled %+v", d, rc)
	}
	both := rows["rule-out:0.25+fast-track-suspicious:0.8/dismissed"]
	if both.Consensus != 1 || both.Unobserved != 0 || both.MissedScreenDetected != 1 || both.Reads != 4 {
		t.Errorf("rule-out + fast-track: %+v", both)
	}
	if _, err := Replay(ex, score, ReplayOptions{Strategies: []string{"fast-track-suspicious:match=reader-rate"}, Score2: s2}); err == nil {
		t.Error("a match rule on the second score accepted")
	}
}
