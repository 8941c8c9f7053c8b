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

// TestTriagePriorsAndReadersCLI: generate, link, then the prior-round
// table and the reader audit with funnel plots and suppression; the
// generator's readers differ (its most and least recalling reader of a
// unit fall on either side of the programme's rate).
func TestTriagePriorsAndReadersCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and links a registry; run without -short")
	}
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, "generate --quiet --persons 4000 --seed 8 --out "+dir); code != 0 {
		t.Fatal(errOut)
	}
	linked := filepath.Join(dir, "linked.csv")
	if code, _, errOut := runCLI(t, "link --quiet --exams "+dir+"/exams.csv --diagnoses "+dir+"/diagnoses.csv --persons "+dir+"/persons.csv --out "+linked); code != 0 {
		t.Fatal(errOut)
	}
	code, out, errOut := runCLI(t, "triage priors --format json --data "+linked+" --top 0.1")
	if code != 0 {
		t.Fatal(errOut)
	}
	var pr strategy.PriorsReport
	if err := json.Unmarshal([]byte(out), &pr); err != nil || len(pr.Rows) != 9 {
		t.Fatalf("%v %s", err, out)
	}
	// cancers score higher at the index exam than women without cancer
	if sd, nc := pr.Rows[0], pr.Rows[6]; sd.Group != "screen-detected" || nc.Group != "no cancer" || sd.Share <= nc.Share {
		t.Errorf("screen-detected %+v, no cancer %+v", sd, nc)
	}
	plots := filepath.Join(dir, "readers")
	code, out, errOut = runCLI(t, "triage readers --format json --data "+linked+" --suppress 5 --plot "+plots)
	if code != 0 {
		t.Fatal(errOut)
	}
	var audit struct {
		Plots      []string `json:"plots"`
		Indicators []struct {
			Name  string `json:"name"`
			Units []struct {
				Unit  string  `json:"unit"`
				Value float64 `json:"value"`
			} `json:"units"`
			National struct {
				Value float64 `json:"value"`
			} `json:"national"`
		} `json:"indicators"`
	}
	if err := json.Unmarshal([]byte(out), &audit); err != nil || len(audit.Indicators) != 4 || len(audit.Plots) != 4 {
		t.Fatalf("%v %s", err, out[:min(len(out), 400)])
	}
	rr := map[string]float64{}
	for _, u := range audit.Indicators[0].Units {
		rr[u.Unit] = u.Value
	}
	if len(rr) != 48 || rr["SU01-R1"] <= rr["SU01-R6"] {
		t.Errorf("recall rates %v", rr)
	}
	// thresholds fixed on the years up to 2017, applied to 2018 on; a
	// two-score strategy on the generator's second score
	code, out, errOut = runCLI(t, "triage simulate --format json --data "+linked+" --calibrate-on year<=2017 --evaluate-on year>=2018 --score2 ai_score_suspicious"+
		" --strategies rule-out:fraction=0.5+fast-track-suspicious:fraction=0.98")
	if code != 0 {
		t.Fatal(errOut)
	}
	var rep strategy.TriageReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.CalibrationExams == 0 || rep.CalibrateOn != "year<=2017" || len(rep.Strategies) < 2 ||
		!strings.Contains(rep.Strategies[1].Threshold, "fast-track-suspicious") {
		t.Errorf("transfer: %v %s", err, out[:min(len(out), 600)])
	}
	// the same cut-offs from a file
	sf := filepath.Join(dir, "strategies.txt")
	os.WriteFile(sf, []byte("# fixed by the board\nrule-out:0.5\n\nrule-out:0.4+fast-track:0.95\n"), 0o644)
	code, out, errOut = runCLI(t, "triage simulate --format json --data "+linked+" --strategies-file "+sf)
	var fromFile strategy.TriageReport
	if code != 0 || json.Unmarshal([]byte(out), &fromFile) != nil || len(fromFile.Strategies) < 3 || fromFile.Strategies[1].Name != "rule-out:0.5" || fromFile.Strategies[2].Name != "rule-out:0.4+fast-track:0.95" {
		t.Errorf("strategies file: %d %s", code, errOut)
	}
	for _, bad := range []string{"--calibrate-on year<=2017", "--calibrate-on colour=red --evaluate-on year>=2018", "--score2 nope --strategies fast-track-suspicious:0.9"} {
		if code, _, errOut := runCLI(t, "triage simulate --data "+linked+" "+bad); code == 0 {
			t.Errorf("%s accepted: %s", bad, errOut)
		}
	}
	// interval cancer reviews: a reviewed row, scores by class, and the
	// characteristics of the cancers lost and gained
	code, out, errOut = runCLI(t, "triage simulate --format json --data "+linked+" --review "+dir+"/interval_reviews.csv --strategies rule-out:fraction=0.5+fast-track:fraction=0.98")
	if code != 0 {
		t.Fatal(errOut)
	}
	var rv strategy.TriageReport
	if err := json.Unmarshal([]byte(out), &rv); err != nil || len(rv.Reviews) < 3 || len(rv.Characteristics) == 0 {
		t.Fatalf("review %v", err)
	}
	byA := map[string]strategy.TriageRow{}
	for _, r := range rv.Strategies {
		byA[r.Assumption] = r
	}
	rec, revd, dis := byA["recalled"], byA["reviewed"], byA["dismissed"]
	if !(dis.ScreenDetected <= revd.ScreenDetected && revd.ScreenDetected <= rec.ScreenDetected) || revd.PotentiallyActionable > revd.PotentiallyDetect {
		t.Errorf("reviewed detection not between the bounds: %d %d %d", dis.ScreenDetected, revd.ScreenDetected, rec.ScreenDetected)
	}
	bad := filepath.Join(dir, "bad_reviews.csv")
	os.WriteFile(bad, []byte("exam_id,review\nX-01,sort of missed\n"), 0o644)
	if code, _, errOut := runCLI(t, "triage simulate --data "+linked+" --review "+bad); code == 0 || !strings.Contains(errOut, "bad_reviews.csv:2") {
		t.Errorf("bad review class: %d %s", code, errOut)
	}
	// drift by vendor, yearly, drawn
	drift := filepath.Join(dir, "drift.svg")
	code, out, errOut = runCLI(t, "triage drift --format json --data "+linked+" --by vendor --period year --plot "+drift)
	if code != 0 {
		t.Fatal(errOut)
	}
	var dr strategy.DriftReport
	if err := json.Unmarshal([]byte(out), &dr); err != nil || len(dr.Rows) == 0 || dr.By != "vendor" {
		t.Errorf("drift %v", err)
	}
	share := map[string][2]float64{}
	for _, r := range dr.Rows {
		s := share[r.Group]
		share[r.Group] = [2]float64{s[0] + float64(r.Above), s[1] + float64(r.Exams)}
	}
	if ge, ho := share["GE"][0]/share["GE"][1], share["Hologic"][0]/share["Hologic"][1]; ge <= ho {
		t.Errorf("GE's share above the threshold %g, Hologic's %g: the generator scores GE higher", ge, ho)
	}
	if st, err := os.Stat(drift); err != nil || st.Size() == 0 {
		t.Errorf("no drift plot: %v", err)
	}
	if code, _, errOut := runCLI(t, "triage readers --data "+linked+" --reader1 who"); code == 0 || !strings.Contains(errOut, "no who and reader2_id columns") {
		t.Errorf("missing reader column: %d %s", code, errOut)
	}
}
