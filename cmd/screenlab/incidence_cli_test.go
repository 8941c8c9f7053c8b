package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/incidence"
	"github.com/screenlab/screenlab/report/render"
	"github.com/screenlab/screenlab/report/suppress"
)

func TestIncidenceCommands(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	// split with dates: 2000-01-01 to 2002-01-01 for a woman born 1950-07-01.
	fu := write("fu.csv", "birth,entry,exit,status\n1950-07-01,2000-01-01,2002-01-01,1\n")
	code, out, errOut := runCLI(t, "incidence split --format json --data "+fu+" --entry entry --exit exit --birth birth --status status --breaks age=0:1:100 --aggregate")
	if code != 0 {
		t.Fatalf("split: %s", errOut)
	}
	var sp SplitOutputJSON
	json.Unmarshal([]byte(out), &sp)
	if len(sp.Rows) != 3 || sp.Summary.Events != 1 || math.Abs(sp.Summary.PersonYears-731/365.242199) > 1e-9 {
		t.Errorf("split output %s", out)
	}
	// A bad row names its line.
	bad := write("bad.csv", "birth,entry,exit\n1950,2000,2001\n1950,2003,2002\n")
	code, _, errOut = runCLI(t, "incidence split --data "+bad+" --entry entry --exit exit --birth birth --breaks age=0:5:100")
	if code == 0 || !strings.Contains(errOut, "bad.csv:3: want exit 2002 is before entry 2003") {
		t.Errorf("exit before entry: %q", errOut)
	}
	// rates with suppression, sir and trend on small tables.
	ages := []string{"0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85+"}
	var cases, pop strings.Builder
	cases.WriteString("year,agegroup,cases\n")
	pop.WriteString("year,agegroup,person_years\n")
	for _, y := range []string{"2010", "2011"} {
		for i, a := range ages {
			c := i * 3
			if i == 5 {
				c = 2 // a small count
			}
			cases.WriteString(y + "," + a + "," + itoa(c) + "\n")
			pop.WriteString(y + "," + a + ",10000\n")
		}
	}
	cf, pf := write("cases.csv", cases.String()), write("pop.csv", pop.String())
	code, out, errOut = runCLI(t, "incidence rates --format json --cases "+cf+" --population "+pf+" --by year --standard nordic --suppress 5")
	if code != 0 {
		t.Fatalf("rates: %s", errOut)
	}
	// Per row, ages 5-9 (3 cases) and 25-29 (2) are primary; their sum,
	// 5, leaves four ways to split it, so no complement is needed; the
	// standardised rate would solve them and is hidden.
	if strings.Count(out, `"suppressed": "primary"`) != 4 || strings.Contains(out, `"complementary"`) || strings.Count(out, `"cases": null`) != 4 || strings.Count(out, `"asr": "derived"`) != 2 {
		t.Errorf("suppression not applied (two small cells per row, the standardised rate derived):\n%s", out)
	}
	var published incidence.RateTable
	if err := render.ReadJSON(strings.NewReader(out), &published); err != nil {
		t.Fatal(err)
	}
	nordic, _ := incidence.LookupStandard("nordic")
	audit, _, err := incidence.RatesTable(&published, nordic, nil)
	if err != nil {
		t.Fatal(err)
	}
	if exposed, err := suppress.Audit(audit, 5); err != nil || len(exposed) > 0 {
		t.Errorf("the published rates give away %v (%v)", exposed, err)
	}
	ref := write("ref.csv", "agegroup,rate\n"+strings.Join(func() []string {
		var r []string
		for _, a := range ages {
			r = append(r, a+",0.001")
		}
		return r
	}(), "\n")+"\n")
	code, out, errOut = runCLI(t, "incidence sir --format json --cases "+cf+" --population "+pf+" --reference "+ref+" --by year")
	if code != 0 || !strings.Contains(out, `"expected": 180`) {
		t.Errorf("sir: %s %s", out, errOut)
	}
	code, out, errOut = runCLI(t, "incidence trend --format json --cases "+cf+" --population "+pf+" --year year")
	if code != 0 || !strings.Contains(out, `"apc"`) {
		t.Errorf("trend: %s %s", out, errOut)
	}
	code, _, errOut = runCLI(t, "incidence rates --cases "+cf+" --population "+pf+" --by year --standard mars")
	if code != 2 || !strings.Contains(errOut, `standard "mars": want one of esp1976, esp2013, nordic, segi1960, who2000`) {
		t.Errorf("unknown standard: %q", errOut)
	}
}

type SplitOutputJSON struct {
	Rows    []map[string]any
	Summary struct {
		PersonYears float64 `json:"person_years"`
		Events      int
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
