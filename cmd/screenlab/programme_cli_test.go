package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgrammePipeline runs a cervical and a bowel programme through the
// commands a user runs: generate, validate, link, screening metrics,
// coverage, the decision commands and indicators.
func TestProgrammePipeline(t *testing.T) {
	for _, programme := range []string{"cervical", "bowel"} {
		dir := t.TempDir()
		p := func(name string) string { return filepath.Join(dir, name+".csv") }
		if code, _, errOut := runCLI(t, "generate --programme "+programme+" --out "+dir+" --persons 3000 --seed 5"); code != 0 {
			t.Fatalf("generate: %s", errOut)
		}
		tables := " --programme " + programme + " --persons " + p("persons") + " --invitations " + p("invitations") +
			" --tests " + p("tests") + " --followups " + p("followups") + " --diagnoses " + p("diagnoses")
		code, out, errOut := runCLI(t, "validate --format json"+tables)
		if code != 0 || !strings.Contains(out, `"valid": true`) {
			t.Fatalf("validate: %d %s %s", code, out, errOut)
		}
		code, out, errOut = runCLI(t, "link --format json --end-of-data 2024-12-31 --out "+p("episodes")+" --invitations-out "+p("participation")+tables)
		if code != 0 {
			t.Fatalf("link: %s", errOut)
		}
		var sum struct {
			Episodes    int            `json:"episodes"`
			Outcomes    map[string]int `json:"outcomes"`
			Invitations int            `json:"invitations"`
		}
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, n := range sum.Outcomes {
			total += n
		}
		if sum.Episodes == 0 || total != sum.Episodes || sum.Invitations == 0 {
			t.Errorf("%s link: %+v (outcomes must add up to the episodes)", programme, sum)
		}
		by := "age_group"
		if programme == "bowel" {
			by = "sex"
		}
		code, out, errOut = runCLI(t, "screening metrics --format json --programme "+programme+" --data "+p("episodes")+" --invitations "+p("participation")+" --by "+by)
		if code != 0 {
			t.Fatalf("metrics: %s", errOut)
		}
		var rep struct {
			Rows []map[string]any `json:"rows"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		last := rep.Rows[len(rep.Rows)-1]
		for _, name := range []string{"participation", "positivity", "hpv_positivity"} {
			if programme == "cervical" && name == "positivity" || programme == "bowel" && name == "hpv_positivity" {
				continue
			}
			v, ok1 := last[name].(float64)
			lo, ok2 := last[name+"_lower"].(float64)
			hi, ok3 := last[name+"_upper"].(float64)
			if !ok1 || !ok2 || !ok3 || !(lo <= v && v <= hi) || last[by] != "all" {
				t.Errorf("%s %s: %v [%v, %v] in row %v", programme, name, last[name], last[name+"_lower"], last[name+"_upper"], last[by])
			}
		}
		switch programme {
		case "cervical":
			for _, args := range []string{
				"screening coverage --format json --programme cervical --persons " + p("persons") + " --tests " + p("tests") + " --as-of 2024-12-31 --by age_group",
				"screening hpv-risk --format json --data " + p("episodes"),
				"screening sampling --format json --data " + p("episodes"),
				"indicators --format json --data " + p("episodes") + " --unit laboratory --definitions cervical --suppress 5",
				"indicators --format json --data " + p("participation") + " --unit region --definitions cervical",
			} {
				if code, out, errOut := runCLI(t, args); code != 0 || !strings.HasPrefix(out, "{") {
					t.Errorf("%s: %d %s", args, code, errOut)
				}
			}
		case "bowel":
			plot := filepath.Join(dir, "sweep.svg")
			code, out, errOut := runCLI(t, "screening fit-sweep --format json --data "+p("episodes")+" --thresholds 10,15,40 --plot "+plot)
			if code != 0 || !strings.Contains(out, `"threshold": 40`) {
				t.Errorf("fit-sweep: %d %s", code, errOut)
			}
			if b, err := os.ReadFile(plot); err != nil || !strings.Contains(string(b), "Colonoscopies per 1000 screened") {
				t.Errorf("fit-sweep plot: %v", err)
			}
		}
	}
}

// TestProgrammeBadInput: the errors a user sees for bad programme tables
// name the file, line and column.
func TestProgrammeBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	persons := write("persons.csv", "person_id,birth_date,sex,death_date,emigration_date,region\nW1,1970-01-01,F,,,oslo\n")
	tests := write("tests.csv", "person_id,test_date,test,hpv,cytology,sample,laboratory\nW1,2020-02-01,hpv,16,,clinician,L\n")
	for _, c := range []struct {
		name, args, want string
	}{
		{"follow-up before its test", "--programme cervical --persons " + persons + " --tests " + tests + " --followups " +
			write("fu.csv", "person_id,colposcopy_date,histology\nW1,2020-01-15,CIN3\n"), "fu.csv:2:2"},
		{"unknown genotype", "--programme cervical --tests " +
			write("t2.csv", "person_id,test_date,test,hpv,cytology,sample,laboratory\nW1,2020-02-01,hpv,HPV16,,self,L\n"), "t2.csv:2:4"},
		{"unknown Bethesda code", "--programme cervical --tests " +
			write("t3.csv", "person_id,test_date,test,hpv,cytology,sample,laboratory\nW1,2020-02-01,cytology,,CIN2,clinician,L\n"), "t3.csv:2:5"},
		{"negative f-Hb", "--programme bowel --tests " + write("f1.csv", "person_id,test_date,fhb,inadequate\nB1,2020-02-01,-3,0\n"), "f1.csv:2:3"},
		{"f-Hb not a number", "--programme bowel --tests " + write("f2.csv", "person_id,test_date,fhb,inadequate\nB1,2020-02-01,high,0\n"), "f2.csv:2:3"},
	} {
		code, _, errOut := runCLI(t, "validate "+c.args)
		if code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, %q; want an error at %s", c.name, code, errOut, c.want)
		}
		if strings.Contains(errOut, "W1") || strings.Contains(errOut, "B1") {
			t.Errorf("%s: the error names a person: %s", c.name, errOut)
		}
		code, out, _ := runCLI(t, "validate --lenient --format json "+c.args)
		if code != 0 || !strings.Contains(out, `"rejected": 1`) || !strings.Contains(out, `"valid": false`) {
			t.Errorf("%s --lenient: %d %s", c.name, code, out)
		}
	}
}
