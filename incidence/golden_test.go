package incidence

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/screenlab/screenlab/datasets"
)

// golden is testdata/golden.json, written by testdata/make_golden.R (R 4.2.2,
// Epi 2.47, popEpi 0.4.10, epitools 0.5-10.1).
func golden(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	raw, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var g map[string]json.RawMessage
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func frame(t *testing.T, name string, cols ...string) map[string][]float64 {
	t.Helper()
	fr, err := datasets.ReadFrameColumns("testdata/"+name, cols...)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for _, c := range cols {
		if out[c], err = fr.Floats(c, false); err != nil {
			if s, e2 := fr.Strings(c); e2 == nil {
				_ = s
				continue
			}
			t.Fatal(err)
		}
	}
	return out
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !scalar.EqualWithinAbsOrRel(got, want, tol, tol) {
		t.Errorf("%s = %.12g, R %.12g", what, got, want)
	}
}

// TestSplitThreeScalesGolden splits on age, period and time since entry at
// once and compares every cell with Epi::splitLexis.
func TestSplitThreeScalesGolden(t *testing.T) {
	var want struct {
		Age, Period, Since []float64
		PersonYears        []float64 `json:"person_years"`
		Events             []float64
		TotalPY            float64 `json:"total_py"`
	}
	if err := json.Unmarshal(golden(t)["split3"], &want); err != nil {
		t.Fatal(err)
	}
	fu := frame(t, "followup.csv", "birth", "entry", "exit", "status")
	ev := make([]bool, len(fu["status"]))
	for i, s := range fu["status"] {
		ev[i] = s == 1
	}
	breaks, err := ParseBreaks("age=0:10:110,period=1990:5:2015,since=0/1/5/10/30")
	if err != nil {
		t.Fatal(err)
	}
	cells, sum, err := Aggregate(fu["birth"], fu["entry"], fu["exit"], ev, breaks)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != len(want.Age) {
		t.Fatalf("%d cells, R has %d", len(cells), len(want.Age))
	}
	for i, c := range cells {
		if c.Lower[0] != want.Age[i] || c.Lower[1] != want.Period[i] || c.Lower[2] != want.Since[i] {
			t.Fatalf("cell %d is %v, R (%v, %v, %v)", i, c.Lower, want.Age[i], want.Period[i], want.Since[i])
		}
		near(t, "person-years", c.PersonYears, want.PersonYears[i], 1e-9)
		if float64(c.Events) != want.Events[i] {
			t.Errorf("cell %v: %d events, R %v", c.Lower, c.Events, want.Events[i])
		}
	}
	// Person-years are conserved: the bands add up to the follow-up.
	near(t, "total person-years", sum.PersonYears+sum.OutsidePersonYears, want.TotalPY, 1e-9)
}

func rateGroups(t *testing.T) []AgeRate {
	fr, err := datasets.ReadFrameColumns("testdata/rates.csv", "agegroup", "cases", "person_years")
	if err != nil {
		t.Fatal(err)
	}
	ag, _ := fr.Strings("agegroup")
	c, _ := fr.Floats("cases", false)
	p, _ := fr.Floats("person_years", false)
	var out []AgeRate
	for i := range ag {
		lo, _, ok := datasets.ParseAgeGroup(ag[i])
		if !ok {
			t.Fatalf("age group %q", ag[i])
		}
		out = append(out, AgeRate{AgeGroup: ag[i], Lower: lo, Cases: c[i], PersonYears: p[i]})
	}
	return out
}

// TestDirectRateEveryStandard compares with epitools::ageadjust.direct for
// each built-in standard and a truncated range.
func TestDirectRateEveryStandard(t *testing.T) {
	var want map[string]struct {
		Crude float64 `json:"crude.rate"`
		Adj   float64 `json:"adj.rate"`
		LCI   float64 `json:"lci"`
		UCI   float64 `json:"uci"`
	}
	g := golden(t)
	if err := json.Unmarshal(g["direct"], &want); err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		std, err := LookupStandard(name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := DirectRate(rateGroups(t), std, 0.95, 1e5, FayFeuer, nil)
		if err != nil {
			t.Fatal(err)
		}
		near(t, name+" crude", res.Crude, w.Crude, 1e-10)
		near(t, name+" asr", res.ASR, w.Adj, 1e-10)
		near(t, name+" lower", res.ASRLower, w.LCI, 1e-9)
		near(t, name+" upper", res.ASRUpper, w.UCI, 1e-9)
	}
	var tr struct {
		Crude float64 `json:"crude.rate"`
		Adj   float64 `json:"adj.rate"`
		LCI   float64 `json:"lci"`
		UCI   float64 `json:"uci"`
	}
	if err := json.Unmarshal(g["direct_truncated"], &tr); err != nil {
		t.Fatal(err)
	}
	res, err := DirectRate(rateGroups(t), Standards["segi1960"], 0.95, 1e5, FayFeuer, &[2]int{35, 64})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "truncated crude", res.Crude, tr.Crude, 1e-10)
	near(t, "truncated asr", res.ASR, tr.Adj, 1e-10)
	near(t, "truncated lower", res.ASRLower, tr.LCI, 1e-9)
	near(t, "truncated upper", res.ASRUpper, tr.UCI, 1e-9)
	// Cumulative rate 0-74 = 5 × Σ rates (per person) × 100.
	cum := 0.0
	for _, a := range rateGroups(t)[:15] {
		cum += 5 * a.Cases / a.PersonYears
	}
	near(t, "cumulative rate", res.CumRate, 100*cum, 1e-12)
	near(t, "cumulative risk", res.CumRisk, 100*(1-math.Exp(-cum)), 1e-12)
}

func TestSIRGolden(t *testing.T) {
	var want []struct{ O, E, Lower, Upper, P float64 }
	if err := json.Unmarshal(golden(t)["sir"], &want); err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		s, err := IndirectRate(w.O, w.E, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		near(t, "sir lower", s.Lower, w.Lower, 1e-9)
		near(t, "sir upper", s.Upper, w.Upper, 1e-9)
		near(t, "sir p", s.P, w.P, 1e-9)
	}
}

func TestTrendGolden(t *testing.T) {
	var want struct{ Beta, SE, Deviance, DF float64 }
	if err := json.Unmarshal(golden(t)["trend"], &want); err != nil {
		t.Fatal(err)
	}
	d := frame(t, "trend.csv", "year", "age", "py", "cases")
	age := make([]int, len(d["age"]))
	for i, a := range d["age"] {
		age[i] = int(a)
	}
	tr, err := PoissonTrend(d["cases"], d["py"], d["year"], age, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "beta", tr.Beta, want.Beta, 1e-8)
	near(t, "se", tr.SE, want.SE, 1e-7)
	near(t, "deviance", tr.Deviance, want.Deviance, 1e-6)
	if float64(tr.DF) != want.DF {
		t.Errorf("df %d, R %v", tr.DF, want.DF)
	}
}

func TestIncidenceBadInput(t *testing.T) {
	b, _ := ParseBreaks("age=0:5:100")
	_, _, err := Aggregate([]float64{1950}, []float64{2010}, []float64{2009}, nil, b)
	if err == nil || err.Error() != "row 0: exit 2009 is before entry 2010" {
		t.Errorf("exit before entry: %v", err)
	}
	_, _, err = Aggregate([]float64{2011}, []float64{2010}, []float64{2012}, nil, b)
	if err == nil || err.Error() != "row 0: birth 2011 is after entry 2010" {
		t.Errorf("birth after entry: %v", err)
	}
	groups := rateGroups(t)
	groups[17].Lower = 90 // an age group the standard lacks
	if _, err := DirectRate(groups, Standards["segi1960"], 0.95, 1e5, FayFeuer, nil); err == nil {
		t.Error("an age group missing from the standard was accepted")
	}
	if _, err := DirectRate(rateGroups(t)[:17], Standards["segi1960"], 0.95, 1e5, FayFeuer, nil); err == nil {
		t.Error("a standard age group missing from the data was accepted")
	}
	for _, bad := range []string{"age", "age=5:0:10", "height=0:1:2", "age=0:5:10,age=0:1:2"} {
		if _, err := ParseBreaks(bad); err == nil {
			t.Errorf("ParseBreaks(%q) accepted", bad)
		}
	}
}

// TestSplitConservesPersonYears: for random follow-up, the split pieces
// add up to the follow-up, whatever the breaks.
func TestSplitConservesPersonYears(t *testing.T) {
	fu := frame(t, "followup.csv", "birth", "entry", "exit", "status")
	total := 0.0
	for i := range fu["entry"] {
		total += fu["exit"][i] - fu["entry"][i]
	}
	for _, spec := range []string{"age=0:1:120", "period=1900:1:2100", "age=0:1:120,period=1900:1:2100,since=0:0.5:60"} {
		b, _ := ParseBreaks(spec)
		sum, err := SplitLexis(fu["birth"], fu["entry"], fu["exit"], nil, b, func(Split) {})
		if err != nil {
			t.Fatal(err)
		}
		if sum.OutsidePersonYears != 0 || math.Abs(sum.PersonYears-total) > 1e-7 {
			t.Errorf("%s: %v person-years (+%v outside), follow-up %v", spec, sum.PersonYears, sum.OutsidePersonYears, total)
		}
	}
}
