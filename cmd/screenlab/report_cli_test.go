package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/internal/browser"
	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/report/render"
)

// TestReportFromResults runs the commands a registry statistician would on
// a small synthetic registry, saves their JSON, and builds one page from
// all of them with screenlab report: every result is recognised, read
// back without loss, and becomes its section with its plots; suppressed
// cells stay suppressed; an unknown file is refused by name.
func TestReportFromResults(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a registry")
	}
	dir := t.TempDir()
	run := func(args string) string {
		t.Helper()
		code, out, errOut := runCLI(t, args)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", args, code, errOut)
		}
		return out
	}
	save := func(name, args string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(run(args+" --format json")), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	reg := filepath.Join(dir, "reg")
	run("generate -q --persons 8000 --seed 5 --out " + reg)
	linked, feat := filepath.Join(dir, "linked.csv"), filepath.Join(dir, "features.csv")
	run("link -q --exams " + reg + "/exams.csv --diagnoses " + reg + "/diagnoses.csv --persons " + reg + "/persons.csv --out " + linked)
	run("features -q --linked " + linked + " --out " + feat)

	var files []string
	files = append(files,
		save("screening.json", "screening metrics -q --data "+linked+" --by screening_unit"),
		save("risk.json", "train -q --data "+feat+" --target cancer --features age,density,family_history --model logistic --cv 3 --split-by screening_unit --validate SU07,SU08 --out "+filepath.Join(dir, "risk.model")),
		save("ai.json", "evaluate -q --data "+feat+" --score ai_score --outcome cancer"),
		save("strategies.json", "triage simulate -q --data "+linked+" --bootstrap 20 --sweep rule-out --sweep-points 5"),
		save("indicators.json", "indicators -q --data "+linked+" --unit screening_unit --definitions screening --suppress 5"))
	km := write("km.csv", "time,dead,arm,status\n2,1,a,1\n5,0,a,0\n12,1,b,2\n1,1,b,1\n24,0,a,0\n8.5,1,b,1\n3,1,a,2\n15,0,b,0\n")
	files = append(files,
		save("km.json", "survival km -q --data "+km+" --time time --event dead --group arm --times 3,12"),
		save("cox.json", "survival cox -q --data "+km+" --time time --event dead --covariates arm"),
		save("cif.json", "survival cif -q --data "+km+" --time time --status status --group arm --times 3,12"))
	ages := []string{"40-44", "45-49", "50-54", "55-59"}
	var cases, pop, ref strings.Builder
	cases.WriteString("year,agegroup,cases\n")
	pop.WriteString("year,agegroup,person_years\n")
	ref.WriteString("agegroup,rate\n")
	for _, y := range []string{"2020", "2021", "2022"} {
		for i, a := range ages {
			c := 20 + 10*i
			if y == "2021" && i == 0 {
				c = 2 // suppressed below 5
			}
			cases.WriteString(y + "," + a + "," + itoa(c) + "\n")
			pop.WriteString(y + "," + a + ",10000\n")
		}
	}
	for _, a := range ages {
		ref.WriteString(a + ",0.003\n")
	}
	cf, pf, rf := write("cases.csv", cases.String()), write("pop.csv", pop.String()), write("ref.csv", ref.String())
	files = append(files,
		save("rates.json", "incidence rates -q --cases "+cf+" --population "+pf+" --by year --standard esp2013 --ages 40-59 --suppress 5"),
		save("trend.json", "incidence trend -q --cases "+cf+" --population "+pf+" --year year"),
		save("sir.json", "incidence sir -q --cases "+cf+" --population "+pf+" --reference "+rf+" --by year"))

	// Each result reads back into its type without loss.
	for _, f := range files {
		data, _ := os.ReadFile(f)
		kind, v, err := report.ReadResult(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var back bytes.Buffer
		// The result says which screenlab made it; the type does not hold it.
		if err := render.WriteWith(&back, render.JSON, v, render.Options{Version: version()}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(back.Bytes(), data) {
			t.Errorf("%s read as %s does not write back the same JSON", filepath.Base(f), kind)
		}
	}

	page := filepath.Join(dir, "report.html")
	out := run("report --format json --title Registry --out " + page + " " + strings.Join(files, " "))
	for _, kind := range []string{"screening", "risk-model", "evaluation", "reading-strategies", "quality-indicators", "kaplan-meier", "cox",
		"cumulative-incidence", "incidence-rates", "incidence-trend", "sir"} {
		if !strings.Contains(out, `"kind": "`+kind+`"`) {
			t.Errorf("report output lacks kind %s:\n%s", kind, out)
		}
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	for _, want := range []string{"<h1>Registry</h1>", "<h2>Screening indicators</h2>", "<h2>Risk model: risk</h2>", "<h2>Model performance: ai</h2>",
		"<h2>AI-assisted reading strategies</h2>", "<h2>Quality indicators by screening_unit</h2>", "<h2>Kaplan–Meier survival: km</h2>",
		"<h2>Cox model: cox</h2>", "<h2>Cumulative incidence: cif</h2>", "<h2>Incidence rates: rates</h2>", "<h2>Incidence trend: trend</h2>",
		"<h2>Standardised incidence ratios: sir</h2>", "Calibration in the validation units", "Decision curve (Vickers", "Threshold sweep of rule-out",
		"Funnel plot of sensitivity", "Age-standardised rates by year", "cumulative-incidence, SHA-256", "<td>suppressed</td>"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Calibration + decision curve (train), the same (evaluate), the
	// strategy comparison and the sweep, 4 funnels, KM, the CIF of 2
	// causes, and the rates by year.
	if n := strings.Count(s, "<svg"); n != 14 {
		t.Errorf("%d plots, want 14", n)
	}
	if bin := browser.Find(); bin != "" {
		msgs, err := browser.Open(bin, page, filepath.Join(dir, "report.png"), t.TempDir())
		if err != nil || len(msgs) > 0 {
			t.Errorf("report in Chromium: %v, console %q", err, msgs)
		}
	}

	// Refusals name the file.
	odd := write("odd.json", `{"hello": 1}`)
	code, _, errOut := runCLI(t, "report --out "+filepath.Join(dir, "x.html")+" "+files[0]+" "+odd)
	if code == 0 || !strings.Contains(errOut, "odd.json: not a result screenlab report knows (keys hello)") || !strings.Contains(errOut, "screenlab survival km") {
		t.Errorf("unknown result: exit %d, %s", code, errOut)
	}
	bad := write("bad.json", strings.Replace(string(mustRead(t, files[0])), `"level": 0.95`, `"level": "high"`, 1))
	code, _, errOut = runCLI(t, "report --out "+filepath.Join(dir, "x.html")+" "+bad)
	if code == 0 || !strings.Contains(errOut, "bad.json: reading it as the output of screenlab screening") || !strings.Contains(errOut, "level: want a number, found a string") {
		t.Errorf("bad result: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.html")); err == nil {
		t.Error("a refused report was written")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
