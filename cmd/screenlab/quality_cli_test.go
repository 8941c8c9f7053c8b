package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQualityPROMPipeline runs the clinical registry's PROM work as a user
// would: generate, build QLQ-C30 norms from the population sample, score
// the patients against them, score EPIC-26 with a PROM indicator flag and
// adjust it for case mix per hospital.
func TestQualityPROMPipeline(t *testing.T) {
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	if code, _, errOut := runCLI(t, "generate --programme clinical --persons 4000 --seed 3 --out "+dir); code != 0 {
		t.Fatalf("generate: %s", errOut)
	}
	code, out, errOut := runCLI(t, "prom norms --data "+p("population_qlq_c30.csv")+" --id person_id --sex sex --age age --out "+p("norms.csv")+" --format json")
	if code != 0 {
		t.Fatalf("norms: %s", errOut)
	}
	var made struct {
		Respondents int `json:"respondents"`
		Rows        []struct {
			Score string `json:"score"`
			N     int    `json:"n"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &made); err != nil || made.Respondents != 4000 || len(made.Rows) != 16*2*6 {
		t.Fatalf("norms: %v %+v", err, made)
	}
	code, out, errOut = runCLI(t, "prom score --data "+p("proms.csv")+" --id person_id --out "+p("s.csv")+" --norms "+p("norms.csv")+" --sex sex --age age --format json")
	if code != 0 {
		t.Fatalf("score: %s", errOut)
	}
	var scored struct {
		Respondents int `json:"respondents"`
		Norms       []struct {
			Score      string  `json:"score"`
			Matched    int     `json:"matched"`
			Difference float64 `json:"difference"`
			Lower      float64 `json:"lower"`
			Upper      float64 `json:"upper"`
		} `json:"norms"`
	}
	if err := json.Unmarshal([]byte(out), &scored); err != nil || len(scored.Norms) != 16 {
		t.Fatalf("score: %v %s", err, out)
	}
	// the synthetic patients are in worse health than the population
	if n := scored.Norms[0]; n.Score != "ql" || n.Matched == 0 || n.Difference >= 0 || n.Lower > n.Difference || n.Upper < n.Difference {
		t.Errorf("ql against norms %+v", n)
	}
	code, _, errOut = runCLI(t, "prom score --instrument epic-26 --data "+p("proms_epic26.csv")+" --id person_id --out "+p("e.csv")+
		" --keep hospital,age,stage --flag poor_ui=urinary_incontinence<60")
	if code != 0 {
		t.Fatalf("epic: %s", errOut)
	}
	head, _ := os.ReadFile(p("e.csv"))
	if first, _, _ := strings.Cut(string(head), "\n"); first != "person_id,hospital,age,stage,answered,urinary_incontinence,urinary_irritative,bowel,sexual,hormonal,poor_ui" {
		t.Errorf("epic header %q", first)
	}
	code, out, errOut = runCLI(t, "casemix --data "+p("e.csv")+" --unit hospital --outcome poor_ui --covariates age,stage --suppress 5 --format json")
	if code != 0 {
		t.Fatalf("casemix: %s", errOut)
	}
	var cm struct {
		Excluded int `json:"excluded"`
		Rows     []struct {
			Cases float64 `json:"cases"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &cm); err != nil || cm.Excluded == 0 || len(cm.Rows) != 7 {
		t.Fatalf("casemix: %v %s", err, out)
	}
	for _, c := range []struct{ args, want string }{
		{"prom score --instrument epic-27 --data x --id a --out b", `--instrument: instrument "epic-27": want one of epic-26, qlq-c30`},
		{"prom score --data " + p("proms.csv") + " --id person_id --out " + p("x.csv") + " --flag bad=ql~3", "--flag"},
		{"prom score --data " + p("proms.csv") + " --id person_id --out " + p("x.csv") + " --norms " + p("norms.csv") + " --sex sex", "norms need the sex and age columns"},
		{"prom norms --data " + p("population_qlq_c30.csv") + " --id person_id --sex sex --age age --out " + p("n.csv") + " --bands 18,x", "--bands"},
	} {
		if code, _, errOut := runCLI(t, c.args); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, %q", c.args, code, errOut)
		}
	}
}
