package screening

import (
	"math"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestOverdispersionAgainstR compares with testdata/overdispersion.R, an
// independent computation of Spiegelhalter's (2005) formulas (its output
// is testdata/overdispersion_R.txt).
func TestOverdispersionAgainstR(t *testing.T) {
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %.15g, R %.15g", what, got, want)
		}
	}
	num := []float64{45, 30, 80, 12, 60, 25, 95, 40, 18, 70}
	den := []float64{100, 90, 150, 50, 110, 80, 160, 75, 60, 120}
	o, err := ProportionOverdispersion(num, den, -1, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	near("proportion phi", o.Phi, 5.08968758136663)
	near("proportion tau2", o.Tau2, 0.0118537850985549)
	for i, z := range []float64{-0.549258586903887, -2.79477685366121, 1.37119632214732, -3.54691399920573, 1.42927831721654, -3.03349643604026, 2.95809506663147, 0.969582217728427, -2.83715614699187, 2.32989829003551} {
		near("z", o.Z[i], z)
	}
	for i, z := range []float64{-0.229225875259686, -1.21772866243208, 0.481424749331875, -1.93191019617461, 0.573288183142885, -1.38557553008071, 1.00949925061802, 0.454240993107908, -1.44690573579398, 0.900803051497319} {
		near("adjusted z", o.ZAdjusted[i], z)
	}
	for _, c := range []struct{ n, z, lo, hi float64 }{
		{50, 1.959963984540054, 0.236896049178063, 0.723608685794274},
		{50, 3.090232306167813, 0.125151986467606, 0.843415353459858},
		{200, 1.959963984540054, 0.262940725237954, 0.696310411014874},
		{200, 3.090232306167813, 0.158183041709428, 0.807445260190222},
	} {
		lo, hi := o.Limits(c.n, c.z, false)
		near("proportion lower", lo, c.lo)
		near("proportion upper", hi, c.hi)
	}
	r, err := RatioOverdispersion([]float64{12, 30, 8, 22, 15, 40, 9, 18}, []float64{10.5, 22.1, 9.8, 14.0, 17.2, 30.3, 12.9, 15.5}, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	near("ratio phi", r.Phi, 1.23666880979383)
	near("ratio tau2", r.Tau2, 0.00638324220060349)
	near("ratio adjusted z 2", r.ZAdjusted[1], 1.24115277715993)
	for _, c := range []struct {
		e      float64
		mult   bool
		lo, hi float64
	}{{5, false, 0.285800901203007, 2.14738690497868}, {5, true, 0.262788361486114, 2.21227286927987},
		{30, false, 0.580999234107836, 1.53206700368267}, {30, true, 0.641651577100873, 1.43752529469346}} {
		lo, hi := r.Limits(c.e, 1.959963984540054, c.mult)
		near("ratio lower", lo, c.lo)
		near("ratio upper", hi, c.hi)
	}
	// no overdispersion: identical proportions give phi 0 and tau2 0
	same, _ := ProportionOverdispersion([]float64{10, 20, 30}, []float64{100, 200, 300}, -1, 0.1)
	if same.Phi != 0 || same.Tau2 != 0 {
		t.Errorf("identical units: phi %g, tau2 %g", same.Phi, same.Tau2)
	}
}

// TestIndicatorsOverdispersed: with overdispersion the funnel widens
// (φ > 1 here), places follow the adjusted z-scores, and a hidden unit
// stays out of φ and τ² and of the flagged list.
func TestIndicatorsOverdispersed(t *testing.T) {
	var rows [][]string
	for u, c := range []struct{ n, x int }{{100, 45}, {90, 30}, {150, 80}, {50, 12}, {110, 60}, {80, 25}, {160, 95}, {75, 40}, {60, 18}, {120, 70}, {4, 1}} {
		for i := 0; i < c.n; i++ {
			rows = append(rows, []string{string(rune('A' + u)), b01(i < c.x)})
		}
	}
	fr, err := datasets.FrameOf("units.csv", []string{"unit", "y"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	defs := []Indicator{{Name: "share", Numerator: "y", Denominator: "rows", Per: 100}}
	plain, err := ComputeIndicators(fr, "unit", defs, IndicatorOptions{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	od, err := ComputeIndicators(fr, "unit", defs, IndicatorOptions{Overdispersion: true}, 5)
	if err != nil {
		t.Fatal(err)
	}
	o := od.Indicators[0].Overdispersion
	shown := 0
	for _, r := range od.Indicators[0].Units {
		if r.Suppressed == nil {
			shown++
		}
	}
	if o == nil || shown > 10 || o.Units != shown || o.Phi <= 1 || o.Tau2 <= 0 {
		t.Fatalf("overdispersion %+v: want the %d shown units, phi > 1", o, shown)
	}
	p, q := plain.Indicators[0].Limits[5], od.Indicators[0].Limits[5]
	if !(q.Upper998-q.Lower998 > p.Upper998-p.Lower998) {
		t.Errorf("limits did not widen: %+v against %+v", q, p)
	}
	for _, u := range od.Indicators[0].Flagged {
		if u == "K" {
			t.Error("the hidden unit K is flagged")
		}
	}
}
