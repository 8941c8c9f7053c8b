package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	var tr TrainResult
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
	if code != 1 || !strings.Contains(errOut, "bad.csv:2:") || !strings.Contains(errOut, "level not seen in training") {
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
	if code, _, errOut := runCLI(t, "train --data "+data+" --target status --features age --model forest --out "+model); code != 2 || !strings.Contains(errOut, "not in this version") {
		t.Errorf("forest: %q", errOut)
	}
}
