package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/models"
)

// TestTrainPredictDescribe trains a logistic model with CV and split-by
// validation on a small registry, scores a table, describes the model, and
// refuses data that do not match its schema.
func TestTrainPredictDescribe(t *testing.T) {
	dir := t.TempDir()
	runCLI(t, "generate -q --persons 20000 --seed 4 --out "+dir)
	linked := filepath.Join(dir, "linked.csv")
	runCLI(t, "link -q --exams "+dir+"/exams.csv --diagnoses "+dir+"/diagnoses.csv --persons "+dir+"/persons.csv --out "+linked)
	feat := filepath.Join(dir, "features.csv")
	if code, _, e := runCLI(t, "features -q --linked "+linked+" --out "+feat); code != 0 {
		t.Fatal(e)
	}
	model := filepath.Join(dir, "m.model")
	code, out, errOut := runCLI(t, "train -q --format json --data "+feat+" --target cancer --features age,density,family_history,hrt --model logistic --cv 3 --split-by screening_unit --validate SU07,SU08 --out "+model)
	if code != 0 {
		t.Fatal(errOut)
	}
	var tr models.TrainResult
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatal(err)
	}
	if tr.CV == nil || len(tr.CV.PerFold) != 3 || tr.Validation == nil || tr.Validation.N == 0 || len(tr.Coefficients) != 7 {
		t.Fatalf("train output %s", out)
	}
	scored := filepath.Join(dir, "scored.csv")
	code, out, errOut = runCLI(t, "predict -q --format json --model "+model+" --data "+feat+" --out "+scored)
	if code != 0 || !strings.Contains(out, `"rows"`) {
		t.Fatalf("predict: %s %s", out, errOut)
	}
	head, _ := os.ReadFile(scored)
	if !strings.HasSuffix(strings.SplitN(string(head), "\n", 2)[0], ",risk") {
		t.Error("scored table lacks the risk column")
	}
	code, out, _ = runCLI(t, "models describe --format json "+model)
	if code != 0 || !strings.Contains(out, `"kind": "logistic"`) || !strings.Contains(out, `"cv_auc"`) {
		t.Errorf("describe: %s", out)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("age,density,family_history\n55,b,0\n"), 0o644)
	code, _, errOut = runCLI(t, "predict --model "+model+" --data "+bad+" --out "+filepath.Join(dir, "x.csv"))
	if code != 1 || !strings.Contains(errOut, `no column "hrt"`) {
		t.Errorf("schema mismatch: %d %q", code, errOut)
	}
	os.WriteFile(bad, []byte("age,density,family_history,hrt\n55,z,0,1\n"), 0o644)
	code, _, errOut = runCLI(t, "predict --model "+model+" --data "+bad+" --out "+filepath.Join(dir, "x.csv"))
	if code != 1 || !strings.Contains(errOut, "bad.csv:2:2: density") || !strings.Contains(errOut, "want a level seen in training: a, b, c, d") {
		t.Errorf("unknown level: %d %q", code, errOut)
	}
	raw, _ := os.ReadFile(model)
	os.WriteFile(model, raw[:len(raw)-10], 0o644)
	code, _, errOut = runCLI(t, "models describe "+model)
	if code != 1 || !strings.Contains(errOut, "checksum") && !strings.Contains(errOut, "truncated") {
		t.Errorf("corrupted model: %d %q", code, errOut)
	}
}

func TestTrainCox(t *testing.T) {
	data := "../../models/testdata/colon.csv"
	model := filepath.Join(t.TempDir(), "cox.model")
	code, out, errOut := runCLI(t, "train --format json --data "+data+" --target status --time time --horizon 1826 --features age,nodes --model cox --out "+model)
	if code != 0 || !strings.Contains(out, `"name": "nodes"`) {
		t.Fatalf("train cox: %s %s", out, errOut)
	}
	if code, _, errOut := runCLI(t, "train --data "+data+" --target status --features age --model cnn --out "+model); code != 2 || !strings.Contains(errOut, "--images") {
		t.Errorf("cnn without --images: %q", errOut)
	}
}

// TestRecalibrate: after logistic recalibration on the data, the
// calibration intercept is 0 and the slope 1, and the AUC is unchanged; a
// Cox model's baseline update makes mean risk match Kaplan–Meier.
func TestRecalibrate(t *testing.T) {
	dir := t.TempDir()
	data := "../../models/testdata/birthwt.csv"
	model := filepath.Join(dir, "m.model")
	if code, _, e := runCLI(t, "train -q --data "+data+" --target low --features age,lwt,race,smoke --model logistic --out "+model); code != 0 {
		t.Fatal(e)
	}
	code, out, errOut := runCLI(t, "recalibrate --format json --model "+model+" --data "+data+" --method logistic --out "+filepath.Join(dir, "r.model"))
	if code != 0 {
		t.Fatal(errOut)
	}
	var r models.RecalibrateResult
	json.Unmarshal([]byte(out), &r)
	if r.After == nil || math.Abs(r.After.Calibration.Intercept) > 1e-6 || math.Abs(r.After.Calibration.Slope-1) > 1e-6 || r.After.AUC.Estimate != r.Before.AUC.Estimate {
		t.Errorf("recalibration: %s", out)
	}
	if code, _, errOut := runCLI(t, "recalibrate --model "+model+" --data "+data+" --method baseline --out "+filepath.Join(dir, "x.model")); code != 2 || !strings.Contains(errOut, "does not apply") {
		t.Errorf("baseline on logistic: %q", errOut)
	}
	cox := filepath.Join(dir, "cox.model")
	colon := "../../models/testdata/colon.csv"
	runCLI(t, "train -q --data "+colon+" --target status --time time --horizon 1826 --features age,nodes --model cox --out "+cox)
	if code, _, errOut := runCLI(t, "recalibrate -q --model "+cox+" --data "+colon+" --method baseline --out "+filepath.Join(dir, "cox2.model")); code != 0 {
		t.Errorf("cox baseline recalibration: %q", errOut)
	}
}

// TestTrainForest trains a small seeded forest through the CLI and scores
// with it; the same seed gives the same model file.
func TestTrainForest(t *testing.T) {
	dir := t.TempDir()
	data := "../../models/testdata/birthwt.csv"
	a, b := filepath.Join(dir, "a.model"), filepath.Join(dir, "b.model")
	for _, m := range []string{a, b} {
		if code, _, e := runCLI(t, "train -q --seed 3 --data "+data+" --target low --features age,lwt,race,smoke --model forest --trees 25 --min-leaf 5 --cv 3 --out "+m); code != 0 {
			t.Fatal(e)
		}
	}
	ra, _ := os.ReadFile(a)
	rb, _ := os.ReadFile(b)
	if !bytes.Equal(ra, rb) {
		t.Error("the same seed gave different forest files")
	}
	code, out, errOut := runCLI(t, "predict --format json --model "+a+" --data "+data+" --out "+filepath.Join(dir, "s.csv"))
	if code != 0 || !strings.Contains(out, `"kind": "forest"`) {
		t.Errorf("predict with a forest: %s %s", out, errOut)
	}
}
