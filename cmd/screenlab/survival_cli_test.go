package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSurvivalBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	tests := []struct {
		args    string
		wantErr string
	}{
		{"survival km --data " + write("a.csv", "time,status\n1,1\n2,2\n") + " --time time --event status",
			`screenlab: a.csv:3:2: status "2": want an event code 0 (censored) or 1 (event); a status coded 1/2 (as R's Surv takes it) needs --event-codes 1/2` + "\n"},
		{"survival km --data " + write("b.csv", "time,status\n1,1\n-2,0\n") + " --time time --event status",
			`screenlab: b.csv:3:1: time "-2": want a time >= 0` + "\n"},
		{"survival km --data " + write("c.csv", "time,status\n1,1\n,0\n") + " --time time --event status",
			`screenlab: c.csv:3:1: time "": want a number (missing values are not allowed here; --missing drop leaves such rows out)` + "\n"},
		{"survival km --data " + write("d.csv", "start,stop,status\n2020-01-01,2021-01-01,1\n2020-05-01,2020-04-30,0\n") + " --start start --stop stop --event status",
			`screenlab: d.csv:3:2: stop "2020-04-30": want a stop date on or after the start date 2020-05-01` + "\n"},
		{"survival km --data " + write("e.csv", "entry,exit,status\n0,5,1\n3,3,0\n") + " --entry entry --time exit --event status",
			`screenlab: e.csv:3:1: entry "3": want an entry time before the exit time 3 (start < stop)` + "\n"},
		{"survival cif --data " + write("f.csv", "time,status\n1,1\n2,x\n") + " --time time --status status",
			`screenlab: f.csv:3:2: status "x": want a status 0 (censored) or a cause 1, 2, ...` + "\n"},
		{"survival cox --data " + write("g.csv", "time,status,age\n1,1,50\n2,0,50\n3,1,50\n") + " --time time --event status --covariates age",
			"screenlab: cox: column age has no variance (every value is 50)\n"},
		{"survival cox --data " + write("h.csv", "time,status,rx\n1,1,a\n2,0,b\n3,1,a\n") + " --time time --event status --covariates rx --reference rx=c",
			"screenlab: --reference rx=c: no such level; levels are a, b\nRun 'screenlab survival cox --help' for usage.\n"},
		{"survival km --data " + write("i.csv", "time,status\n1,1\n") + " --time days --event status",
			"screenlab: i.csv:1: want a column \"days\"; the header has time,status\n"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, tt.args)
		if code == 0 || errOut != tt.wantErr {
			t.Errorf("%s:\nexit %d, stderr %q\nwant %q", tt.args, code, errOut, tt.wantErr)
		}
	}
}

// TestSurvivalCommands runs km with dates, cox with a categorical
// covariate and cif on small data, checking the JSON contract's fields.
func TestSurvivalCommands(t *testing.T) {
	dir := t.TempDir()
	km := filepath.Join(dir, "km.csv")
	os.WriteFile(km, []byte("start,stop,dead,arm\n2020-01-01,2020-03-01,1,a\n2020-01-01,2020-06-01,0,a\n2020-01-01,2021-01-01,1,b\n2020-01-01,2020-02-01,1,b\n2020-01-01,2022-01-01,0,a\n2020-01-01,2020-09-15,1,b\n"), 0o644)
	code, out, errOut := runCLI(t, "survival km --format json --data "+km+" --start start --stop stop --time-unit months --event dead --group arm --times 3 --plot "+filepath.Join(dir, "km.svg"))
	if code != 0 {
		t.Fatalf("km: %s", errOut)
	}
	var kmOut struct {
		Groups []struct {
			Group string
			N     int
			Table []map[string]any
			At    []map[string]any
		}
		LogRank map[string]any
	}
	if err := json.Unmarshal([]byte(out), &kmOut); err != nil {
		t.Fatal(err)
	}
	if len(kmOut.Groups) != 2 || kmOut.Groups[0].Group != "a" || kmOut.Groups[0].N != 3 || kmOut.LogRank["df"] != 1.0 {
		t.Errorf("km output %s", out)
	}
	// 2020-01-01 to 2020-03-01 is 60 days = 60/(365.25/12) months.
	if got := kmOut.Groups[0].Table[0]["time"].(float64); got != 60/(365.25/12) {
		t.Errorf("first time %v months", got)
	}
	if st, err := os.Stat(filepath.Join(dir, "km.svg")); err != nil || st.Size() < 1000 {
		t.Errorf("no plot written: %v", err)
	}
	cox := filepath.Join(dir, "cox.csv")
	os.WriteFile(cox, []byte("time,status,rx,age\n5,1,Obs,60\n8,1,Lev,55\n3,1,Obs,70\n9,0,Lev+5FU,50\n12,1,Lev,65\n4,1,Lev+5FU,58\n15,0,Obs,62\n7,1,Lev,61\n11,0,Lev+5FU,49\n6,1,Obs,66\n"), 0o644)
	code, out, errOut = runCLI(t, "survival cox --format json --data "+cox+" --time time --event status --covariates rx,age --reference rx=Obs")
	if code != 0 {
		t.Fatalf("cox: %s", errOut)
	}
	for _, want := range []string{`"name": "rxLev"`, `"name": "rxLev+5FU"`, `"name": "age"`, `"term": "rx"`, `"term": "GLOBAL"`, `"robust_se": null`} {
		if !strings.Contains(out, want) {
			t.Errorf("cox output lacks %s:\n%s", want, out)
		}
	}
}
