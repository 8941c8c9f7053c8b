package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/models"
)

// TestTriageCNN is issue 7's acceptance test at CI size: a synthetic
// registry with images (every exam with a cancer present, 3% of the
// others), linked; the CNN trained through the CLI on screening units
// SU01–SU05 reaches AUC ≥ 0.85 for screen-detected cancers against
// negative exams on the held-out units SU06–SU08 (DeLong, evaluation
// package). Then the model scores the held-out round, and is refused by
// predict and recalibrate.
func TestTriageCNN(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a CNN (about a minute)")
	}
	dir := t.TempDir()
	if code, _, e := runCLI(t, "generate -q --persons 20000 --seed 3 --images --image-sample 0.03 --out "+dir); code != 0 {
		t.Fatal(e)
	}
	linked := filepath.Join(dir, "linked.csv")
	if code, _, e := runCLI(t, "link -q --exams "+dir+"/exams.csv --diagnoses "+dir+"/diagnoses.csv --persons "+dir+"/persons.csv --out "+linked); code != 0 {
		t.Fatal(e)
	}
	model := filepath.Join(dir, "triage.model")
	ckpt := filepath.Join(dir, "triage.ckpt")
	code, out, errOut := runCLI(t, "train -q --format json --model cnn --data "+linked+" --target outcome --images "+dir+"/images.csv"+
		" --image-size 64 --steps 500 --split-by screening_unit --validate SU06,SU07,SU08 --checkpoint "+ckpt+" --out "+model)
	if code != 0 {
		t.Fatal(errOut)
	}
	var res models.CNNTrainResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	t.Logf("train %d exams (%d cancers), early stopping on %d: AUC %.3f at step %d; held out %d exams (%d cancers): AUC %.3f (%.3f–%.3f); %.0f images/s",
		res.Train, res.TrainPos, res.EarlyStopping, res.StoppingAUC, res.Steps, res.Validation.N, res.Validation.Positives,
		res.Validation.AUC.Estimate, res.Validation.AUC.Lower, res.Validation.AUC.Upper, res.ImagesPerSec)
	if res.Validation.AUC.Estimate < 0.85 {
		t.Errorf("held-out AUC %.3f, want ≥ 0.85", res.Validation.AUC.Estimate)
	}
	if res.Validation.Positives < 50 || res.LeftOut["outcome interval"] == 0 || res.LeftOut["no images"] == 0 {
		t.Errorf("held-out cancers %d, left out %v", res.Validation.Positives, res.LeftOut)
	}
	if _, err := os.Stat(ckpt); err != nil {
		t.Errorf("no checkpoint: %v", err)
	}
	// Scoring the round: one row per exam with images.
	scores := filepath.Join(dir, "scores.csv")
	code, out, errOut = runCLI(t, "score -q --format json --model "+model+" --data "+dir+"/images.csv --out "+scores)
	if code != 0 || !strings.Contains(out, `"errors": 0`) {
		t.Fatalf("score: %s %s", out, errOut)
	}
	code, _, errOut = runCLI(t, "predict --model "+model+" --data "+linked+" --out "+filepath.Join(dir, "p.csv"))
	if code == 0 || !strings.Contains(errOut, "screenlab score") {
		t.Errorf("predict with a cnn: %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "recalibrate --model "+model+" --data "+linked+" --out "+filepath.Join(dir, "r.model"))
	if code != 2 || !strings.Contains(errOut, "cnn") {
		t.Errorf("recalibrate a cnn: %d %q", code, errOut)
	}
}
