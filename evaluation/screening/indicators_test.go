package screening

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
)

// TestBinomialLimitScipy: funnel limits equal the same construction with
// scipy's binomial CDF (testdata/make_funnel.py).
func TestBinomialLimitScipy(t *testing.T) {
	raw, err := os.ReadFile("testdata/funnel_limits.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct{ N, P0, P, Limit float64 }
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if got := binomialLimit(c.N, c.P0, c.P); math.Abs(got-c.Limit) > 1e-9 {
			t.Errorf("n %g p0 %g p %g: %.12f, scipy %.12f", c.N, c.P0, c.P, got, c.Limit)
		}
	}
}

// TestIndicatorByHand: three units counted by hand; a target met, missed,
// and met with confidence; a unit far above the funnel's 99.8% limit.
func TestIndicatorByHand(t *testing.T) {
	var b strings.Builder
	b.WriteString("unit,recalled,outcome\n")
	add := func(unit string, n, recalls int) {
		for i := 0; i < n; i++ {
			r := "0"
			if i < recalls {
				r = "1"
			}
			b.WriteString(unit + "," + r + ",negative\n")
		}
	}
	add("A", 200, 6)  // 3%
	add("B", 300, 12) // 4%
	add("C", 500, 60) // 12%: far out
	fr, err := datasets.ReadFrameFrom(strings.NewReader(b.String()), "hand.csv")
	if err != nil {
		t.Fatal(err)
	}
	res, err := ComputeIndicator(fr, "unit", Indicator{Name: "recall_rate", Numerator: "recalled", Denominator: "rows", Per: 100, Target: "<=5"}, IndicatorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Units) != 3 || res.National.Numerator != 78 || res.National.Denominator != 1000 || math.Abs(res.National.Value-7.8) > 1e-12 {
		t.Fatalf("units %d, national %+v", len(res.Units), res.National)
	}
	want := []struct {
		value     float64
		met, conf bool
		funnel    string
	}{{3, true, false, "below 95%"}, {4, true, false, "below 95%"}, {12, false, true, "above 99.8%"}}
	for i, w := range want {
		r := res.Units[i]
		lo, hi := evaluation.ProportionCI(int(r.Numerator), int(r.Denominator), 0.95, evaluation.Wilson)
		if math.Abs(r.Value-w.value) > 1e-12 || *r.TargetMet != w.met || *r.Confidently != (w.conf && w.met) || r.Funnel != w.funnel ||
			math.Abs(r.Lower-100*lo) > 1e-12 || math.Abs(r.Upper-100*hi) > 1e-12 {
			t.Errorf("unit %s: %+v (met %v, confidently %v), want %+v", r.Unit, r, *r.TargetMet, *r.Confidently, w)
		}
	}
	// The funnel's limits narrow as units grow and contain the centre.
	for i, p := range res.Limits {
		if p.Lower998 > p.Lower95 || p.Lower95 > 7.8 || p.Upper95 < 7.8 || p.Upper95 > p.Upper998 {
			t.Fatalf("limits at n=%g: %+v", p.N, p)
		}
		if i > 0 && p.Upper998 > res.Limits[i-1].Upper998+1e-9 {
			t.Fatalf("upper limit widens from n=%g to %g", res.Limits[i-1].N, p.N)
		}
	}
	// Bad definitions and data.
	if _, err := ComputeIndicator(fr, "unit", Indicator{Name: "x", Numerator: "rows", Denominator: "recalled"}, IndicatorOptions{}); err == nil {
		t.Error("numerator above denominator accepted")
	}
	if _, err := ParseIndicators([]byte(`[{"name":"x","numerator":"a","denominator":"rows","target":"about 3"}]`)); err == nil {
		t.Error("bad target accepted")
	}
	defs, _, err := BuiltinIndicators("screening")
	if err != nil || len(defs) != 4 {
		t.Errorf("built-in definitions: %v %d", err, len(defs))
	}
}
