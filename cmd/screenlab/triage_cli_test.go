package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/evaluation/strategy"
)

const handTable = "../../evaluation/strategy/testdata/triage_hand.csv"

// TestTriageSimulateCLI: the hand-built table through the command (JSON
// contract fields), the sweep and its plot, scores joined from a scores
// file with some missing (counted), and bad input.
func TestTriageSimulateCLI(t *testing.T) {
	dir := t.TempDir()
	plot := filepath.Join(dir, "sweep.svg")
	code, out, errOut := runCLI(t, "triage simulate --format json --data "+handTable+" --strategies rule-out:0.3 --bootstrap 50 --sweep rule-out --sweep-points 4 --plot "+plot)
	if code != 0 {
		t.Fatal(errOut)
	}
	for _, f := range []string{`"name"`, `"threshold"`, `"assumption"`, `"reads"`, `"consensus"`, `"recalls"`, `"screen_detected"`, `"interval"`,
		`"recall_rate"`, `"cdr"`, `"sensitivity"`, `"specificity"`, `"reads_change"`, `"screen_detected_change"`, `"sweep"`} {
		if !strings.Contains(out, f) {
			t.Errorf("JSON lacks %s", f)
		}
	}
	var rep strategy.TriageReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Strategies) != 2 || rep.Strategies[1].Reads != 14 || len(rep.Sweep) != 5 || rep.Strategies[1].CI == nil {
		t.Errorf("result %s", out)
	}
	if st, err := os.Stat(plot); err != nil || st.Size() == 0 {
		t.Errorf("no plot: %v", err)
	}
	// Scores from another file, three exams without one.
	scores := filepath.Join(dir, "scores.csv")
	os.WriteFile(scores, []byte("exam_id,exam_score\nE01,0.1\nE02,0.2\nE03,0.9\nE04,0.6\nE05,0.7\nE06,0.4\nE07,0.35\nE08,0.25\nE09,\n"), 0o644)
	code, out, errOut = runCLI(t, "triage simulate --format json --data "+handTable+" --scores "+scores+" --score exam_score --strategies rule-out:0.3")
	if code != 0 || !strings.Contains(out, `"missing_score": 4`) || !strings.Contains(errOut, "4 exams without a score") {
		t.Errorf("joined scores: %d %s %s", code, out, errOut)
	}
	// --threshold for the strategies that name no rule (E08, 0.25, is the
	// lowest-scored detected cancer: match=sensitivity keeps it).
	code, out, errOut = runCLI(t, "triage simulate --format json --data "+handTable+" --strategies rule-out,triage-single:0.3 --threshold match=sensitivity")
	if code != 0 || !strings.Contains(out, "rule-out match=sensitivity → 0.25") || !strings.Contains(out, "triage-single cut=0.3 → 0.3") {
		t.Errorf("--threshold: %s %s", out, errOut)
	}
	// Bad input.
	noOutcome := filepath.Join(dir, "no_outcome.csv")
	raw, _ := os.ReadFile(handTable)
	os.WriteFile(noOutcome, []byte(strings.ReplaceAll(string(raw), ",outcome", ",result")), 0o644)
	for _, c := range []struct {
		args, want string
		code       int
	}{
		{"--data " + noOutcome, `"outcome"`, 1},
		{"--data " + handTable + " --strategies rule-in", "rule-in", 2},
		{"--data " + handTable + " --score nope", "--score nope", 2},
		{"--data " + handTable + " --plot x.svg", "--sweep", 2},
	} {
		code, _, errOut := runCLI(t, "triage simulate "+c.args)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d %q, want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}
