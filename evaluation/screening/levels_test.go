package screening

import (
	"math"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/report/suppress"
)

// levelFrame is a small clinical registry: per case its treating hospital,
// catchment area, year, whether treatment started within the pathway time
// (the indicator) and whether a clinical report came in (completeness).
func levelFrame(t *testing.T) *datasets.Frame {
	t.Helper()
	var rows [][]string
	add := func(hosp, area, year string, n, within, reported int) {
		for i := 0; i < n; i++ {
			rows = append(rows, []string{hosp, area, year, b01(i < within), b01(i < reported)})
		}
	}
	// 2023: A 9/10 (90%, high), B 6/10 (60%, moderate), C 2/8 (25%, low),
	// D 3 cases (low N), E 10 cases of which 5 reported (low coverage)
	add("A", "north", "2023", 10, 9, 10)
	add("B", "north", "2023", 10, 6, 10)
	add("C", "south", "2023", 8, 2, 8)
	add("D", "south", "2023", 3, 2, 3)
	add("E", "south", "2023", 10, 8, 5)
	add("A", "north", "2022", 4, 1, 4)
	fr, err := datasets.FrameOf("cases.csv", []string{"hospital", "area", "year", "within", "reported"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	return fr
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func TestIndicatorLevelsHandCounted(t *testing.T) {
	high, moderate := 80.0, 50.0
	defs := []Indicator{{Name: "within_pathway_time", Numerator: "within", Denominator: "rows", Per: 100,
		Direction: "higher", High: &high, Moderate: &moderate, Coverage: "reported", Year: "year",
		Contexts: map[string]string{"treating": "hospital", "catchment": "area"}}}
	fr := levelFrame(t)
	year, err := LastCompleteYear(fr, "year", datasets.DateOf(2024, 6, 1))
	if err != nil || year != 2023 {
		t.Fatalf("last complete year %d, %v", year, err)
	}
	unit, err := ContextUnit(defs, "treating")
	if err != nil || unit != "hospital" {
		t.Fatal(unit, err)
	}
	res, err := ComputeIndicators(fr, unit, ForYear(defs, year), IndicatorOptions{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": LevelHigh, "B": LevelModerate, "C": LevelLow, "D": LevelLowN, "E": LevelLowCoverage}
	ind := res.Indicators[0]
	for _, r := range ind.Units {
		got := r.Level
		if r.Unit == "A" || r.Unit == "B" || r.Unit == "C" {
			// complementary suppression may hide one of them to protect D
			if got == LevelSuppressed {
				continue
			}
		}
		if got != want[r.Unit] {
			t.Errorf("%s: level %q, want %q (value %g, completeness %g)", r.Unit, got, want[r.Unit], r.Value, r.Completeness)
		}
	}
	for _, r := range ind.Units {
		t.Logf("%s %s %g/%g", r.Unit, r.Level, r.Numerator, r.Denominator)
	}
	byUnit := map[string]IndicatorRow{}
	for _, r := range ind.Units {
		byUnit[r.Unit] = r
	}
	if a := byUnit["A"]; a.Level == LevelHigh && (a.Value != 90 || a.Denominator != 10) {
		t.Errorf("A: %g of %g (2022 must be left out)", a.Value, a.Denominator)
	}
	if e := byUnit["E"]; !math.IsNaN(e.Value) || e.Completeness != 0.5 || e.Denominator != 10 {
		t.Errorf("E: value %g, completeness %g, denominator %g", e.Value, e.Completeness, e.Denominator)
	}
	if d := byUnit["D"]; !math.IsNaN(d.Numerator) || !math.IsNaN(d.Denominator) {
		t.Errorf("D (low N): counts %g/%g shown", d.Numerator, d.Denominator)
	}
	// the low-N unit cannot be worked out from anything shown
	rel, err := IndicatorRelations(fr, ForYear(defs, year))
	if err != nil {
		t.Fatal(err)
	}
	tab, _ := IndicatorsTable(res, rel)
	exposed, err := suppress.Audit(tab, 5)
	if err != nil || len(exposed) > 0 {
		t.Errorf("audit: %v %v", exposed, err)
	}
	// the catchment context counts the same cases by area
	res2, err := ComputeIndicators(fr, "area", ForYear(defs, year), IndicatorOptions{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := res2.Indicators[0].National.Denominator; n != 41 || res.Indicators[0].National.Denominator != 41 {
		t.Errorf("national denominators %g and %g, want 41 both ways", n, res.Indicators[0].National.Denominator)
	}
}

func TestIndicatorLevelsDirectionLower(t *testing.T) {
	high, moderate := 10.0, 20.0
	ind := Indicator{Name: "readmissions", Numerator: "x", Denominator: "rows", Per: 100, Direction: "lower", High: &high, Moderate: &moderate}
	for _, c := range []struct {
		v    float64
		want string
	}{{5, LevelHigh}, {10, LevelHigh}, {15, LevelModerate}, {25, LevelLow}} {
		r := IndicatorRow{Value: c.v, Denominator: 100}
		ind.level(&r, false)
		if r.Level != c.want {
			t.Errorf("%g%%: %s, want %s", c.v, r.Level, c.want)
		}
	}
	bad := ind
	bad.High, bad.Moderate = &moderate, &high
	if err := bad.checkLevels(); err == nil || !strings.Contains(err.Error(), "good side") {
		t.Errorf("levels the wrong way round: %v", err)
	}
}
