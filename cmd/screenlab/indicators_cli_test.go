package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/report/render"
	"github.com/screenlab/screenlab/report/suppress"
)

// TestIndicatorsCLI: built-in definitions on the hand-built linked table,
// their printed copy read back as a user file, a single indicator with
// suppression (primary and complementary), funnel plots, and bad input.
func TestIndicatorsCLI(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "indicators --format json --data "+handTable+" --unit screening_unit --definitions screening --plot "+dir)
	if code != 0 {
		t.Fatal(errOut)
	}
	var res screening.IndicatorsResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Indicators) != 4 || len(res.Plots) != 4 {
		t.Fatalf("%d indicators, %d plots", len(res.Indicators), len(res.Plots))
	}
	// By hand: SU01 has 6 exams, 2 recalled (E03, E04); SU02 6 exams, 2 (E07, E08).
	// Sensitivity: SU01 2 of 3 cancers (E05 interval), SU02 1 of 3.
	rr, sens := res.Indicators[0], res.Indicators[3]
	if rr.Units[0].Numerator != 2 || rr.Units[0].Denominator != 6 || math.Abs(rr.National.Value-100*4.0/12) > 1e-9 ||
		math.Abs(sens.Units[0].Value-200.0/3) > 1e-9 || math.Abs(sens.Units[1].Value-100.0/3) > 1e-9 || *sens.Units[1].TargetMet {
		t.Errorf("hand values: %+v %+v", rr.Units[0], sens.Units)
	}
	for _, p := range res.Plots {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("plot %s: %v", p, err)
		}
	}
	// The printed definitions, as a user's file, give the same numbers.
	code, defs, _ := runCLI(t, "indicators --print-definitions")
	mine := filepath.Join(dir, "mine.json")
	os.WriteFile(mine, []byte(defs), 0o644)
	code2, out2, _ := runCLI(t, "indicators --format json --data "+handTable+" --unit screening_unit --definitions "+mine)
	var res2 screening.IndicatorsResult
	if err := json.Unmarshal([]byte(out2), &res2); err != nil || code != 0 || code2 != 0 {
		t.Fatalf("printed definitions: %d %d %v", code, code2, err)
	}
	a, errA := json.Marshal(res.Indicators)
	b, errB := json.Marshal(res2.Indicators)
	if errA != nil || errB != nil || len(a) < 100 || string(a) != string(b) {
		t.Error("the printed definitions give other results than the built-in ones")
	}
	// Suppression below 3: SU01's and SU02's 2 recalls are primary, and
	// the national 4 is hidden too: beside two counts known to be 1 or 2
	// it would give both away. The published table, read back, gives
	// nothing away to the audit.
	code, out, _ = runCLI(t, `indicators --format json --data `+handTable+` --unit screening_unit --numerator recall --denominator rows --suppress 3`)
	if code != 0 || strings.Count(out, `"numerator": "primary"`) != 2 || strings.Count(out, `"numerator": "complementary"`) != 1 || strings.Contains(out, `"numerator": 4`) {
		t.Errorf("suppression: %s", out)
	}
	var published screening.IndicatorsResult
	if err := render.ReadJSON(strings.NewReader(out), &published); err != nil {
		t.Fatal(err)
	}
	fr, err := datasets.ReadFrame(handTable)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := screening.IndicatorRelations(fr, []screening.Indicator{published.Indicators[0].Indicator})
	if err != nil {
		t.Fatal(err)
	}
	audit, _ := screening.IndicatorsTable(&published, rel)
	if exposed, err := suppress.Audit(audit, 3); err != nil || len(exposed) > 0 {
		t.Errorf("the published table gives away %v (%v)", exposed, err)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"name":"x","numerator":"recall","denominator":"rows","target":"about 5"}]`), 0o644)
	for _, c := range []struct {
		args, want string
		code       int
	}{
		{"--data " + handTable + " --unit screening_unit", "--numerator", 2},
		{"--data " + handTable + " --unit screening_unit --definitions " + bad, "about 5", 2},
		{"--data " + handTable + " --unit hospital --numerator recall --denominator rows", `"hospital"`, 1},
		{"--data " + handTable + " --unit screening_unit --numerator rows --denominator recall", "exceeds", 1},
	} {
		code, _, errOut := runCLI(t, "indicators "+c.args)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d %q, want %d and %q", c.args, code, errOut, c.code, c.want)
		}
	}
}
