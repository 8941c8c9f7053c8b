package screening

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// handCounted links a programme's hand-made registry
// (datasets/testdata/programmes) as of 2024-12-31.
func handCounted(t *testing.T, programme string) (*datasets.Registry, *datasets.Frame, *datasets.Frame) {
	t.Helper()
	dir := filepath.Join("..", "..", "datasets", "testdata", "programmes", programme)
	p := func(name string) string { return filepath.Join(dir, name+".csv") }
	reg, err := datasets.LoadRegistry(datasets.RegistryFiles{Persons: p("persons"), Diagnoses: p("diagnoses"), Programme: programme,
		Invitations: p("invitations"), Tests: p("tests"), Followups: p("followups")}, datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	end := datasets.BowelLinkOptions{ProgrammeLinkOptions: datasets.ProgrammeLinkOptions{EndOfData: datasets.DateOf(2024, 12, 31)}}
	pl, err := datasets.LinkProgramme(reg, programme, nil, end)
	if err != nil {
		t.Fatal(err)
	}
	ep, inv, err := pl.Frames()
	if err != nil {
		t.Fatal(err)
	}
	return reg, ep, inv
}

// TestProgrammeMetricsHandCounted asserts every indicator of the
// hand-made registries exactly: each fraction below is counted from
// datasets/testdata/programmes/*/expected_episodes.csv and the
// invitations (the comments name the episodes).
func TestProgrammeMetricsHandCounted(t *testing.T) {
	for _, c := range []struct {
		programme string
		want      map[string][2]float64 // numerator, denominator
		per       map[string]float64
	}{
		{"cervical", map[string][2]float64{
			"participation":               {2, 3},  // P01, P02 of P01, P02, P09
			"hpv_positivity":              {7, 9},  // all but P01's second and P05, of the 9 HPV-primary episodes
			"hpv16_positivity":            {2, 9},  // P01, P07
			"hpv18_positivity":            {3, 9},  // P02, P08, P10
			"hpv_hr5_positivity":          {1, 9},  // P03
			"hpv_hr7_positivity":          {1, 9},  // P04
			"triage_positivity":           {3, 7},  // P04 ASC-US, P07 and P10 HSIL
			"cytology_abnormal":           {1, 1},  // P06 ASC-US
			"direct_referral":             {3, 10}, // P01 (HPV16), P07, P10
			"cumulative_referral":         {4, 9},  // + P04 at the repeat; P08 pending
			"repeat_compliance":           {2, 3},  // P03, P04 done; P02 missed
			"colposcopy_compliance":       {3, 4},  // P07 had none
			"cin2plus_per_1000":           {3, 10}, // P01 CIN3, P04 CIN2, P10 cancer
			"cin3plus_per_1000":           {2, 10},
			"ppv_cin2plus":                {3, 3},
			"referral_yield":              {3, 4},
			"interval_cancers_per_100000": {1, 4}, // P05's C53 after a negative test
		}, nil},
		{"bowel", map[string][2]float64{
			"participation":               {4, 5}, // B1, B2, B7 twice; not B9
			"inadequate_rate":             {2, 9}, // B3 (retested), B8
			"positivity":                  {5, 8}, // B2, B3, B4, B5 (15 = threshold), B6
			"colonoscopy_uptake":          {4, 5}, // B4 had none
			"within_4_weeks":              {3, 4}, // 19, 42, 19, 22 days
			"caecal_intubation":           {3, 4},
			"adequate_preparation":        {3, 4},
			"adenoma_detection_rate":      {3, 4},
			"polyp_rate":                  {3, 4}, // B2 1, B3 3, B6 2; B5 none
			"ppv_cancer":                  {1, 4},
			"ppv_advanced_adenoma":        {1, 4},
			"ppv_advanced_neoplasia":      {2, 4},
			"cancer_per_1000":             {1, 8},
			"advanced_adenoma_per_1000":   {1, 8},
			"advanced_neoplasia_per_1000": {2, 8},
			"interval_cancer_proportion":  {1, 2}, // B1 interval, B2 screen-detected
			"stage_i_share":               {1, 1},
			"stage_ii_share":              {0, 1},
			"stage_iii_share":             {0, 1},
			"stage_iv_share":              {0, 1},
		}, nil},
	} {
		_, ep, inv := handCounted(t, c.programme)
		rep, err := ProgrammeMetrics(c.programme, ep, inv, ProgrammeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Rows) != 1 || len(rep.Notes) != 0 {
			t.Fatalf("%s: %d rows, notes %v", c.programme, len(rep.Rows), rep.Notes)
		}
		defs, _, _ := BuiltinIndicators(c.programme)
		if len(defs) != len(c.want) {
			t.Errorf("%s: %d built-in indicators, %d asserted", c.programme, len(defs), len(c.want))
		}
		m := rep.Rows[0].Metrics
		for _, d := range defs {
			w, ok := c.want[d.Name]
			if !ok {
				t.Errorf("%s: %s not asserted", c.programme, d.Name)
				continue
			}
			num, den, v := m.Value(d.Name+"_numerator"), m.Value(d.Name+"_denominator"), m.Value(d.Name)
			scale := d.Per // percentages are given as proportions
			if scale == 100 {
				scale = 1
			}
			if num != w[0] || den != w[1] || math.Abs(v-scale*w[0]/w[1]) > 1e-12 {
				t.Errorf("%s %s: %g/%g = %g, want %g/%g", c.programme, d.Name, num, den, v, w[0], w[1])
			}
			lo, hi := m.Value(d.Name+"_lower"), m.Value(d.Name+"_upper")
			if !(lo <= v+1e-12 && v <= hi+1e-12) {
				t.Errorf("%s %s: interval [%g, %g] does not hold %g", c.programme, d.Name, lo, hi, v)
			}
		}
		switch c.programme {
		case "cervical":
			if got := m.Value("referrals_per_cin2plus"); math.Abs(got-4.0/3) > 1e-12 {
				t.Errorf("referrals per CIN2+ %g, want 4/3", got)
			}
		case "bowel":
			if got := m.Value("wait_median_days"); got != 20.5 {
				t.Errorf("median wait %g, want 20.5 (19, 19, 22, 42)", got)
			}
		}
	}
}

// TestProgrammeMetricsByGroup: groups partition the total, and a
// suppressed table hides whole groups, at least two.
func TestProgrammeMetricsByGroup(t *testing.T) {
	_, ep, inv := handCounted(t, "bowel")
	rep, err := ProgrammeMetrics("bowel", ep, inv, ProgrammeOptions{By: []string{"sex"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 3 || rep.Rows[2].Values[0] != "all" {
		t.Fatalf("rows %v", rep.Rows)
	}
	f, m, all := rep.Rows[0].Metrics, rep.Rows[1].Metrics, rep.Rows[2].Metrics
	if f.Value("participation") != 1 || m.Value("participation") != 0.75 { // F: B2; M: B1, B7 ×2 of 4 with B9
		t.Errorf("participation F %g, M %g", f.Value("participation"), m.Value("participation"))
	}
	for _, n := range all.Names {
		if strings.HasSuffix(n, "_numerator") || strings.HasSuffix(n, "_denominator") {
			if f.Value(n)+m.Value(n) != all.Value(n) {
				t.Errorf("%s: F %g + M %g != all %g", n, f.Value(n), m.Value(n), all.Value(n))
			}
		}
	}
	sup, err := ProgrammeMetrics("bowel", ep, inv, ProgrammeOptions{By: []string{"region"}, Suppress: 3})
	if err != nil {
		t.Fatal(err)
	}
	// every count shown is 0 or at least 3; a group hidden whole shows nothing
	for _, r := range sup.Rows {
		whole := false
		for _, s := range r.Suppressed {
			whole = whole || strings.HasSuffix(s, ": group")
		}
		for i, n := range r.Metrics.Names {
			v := r.Metrics.Values[i]
			if (strings.HasSuffix(n, "_numerator") || strings.HasSuffix(n, "_denominator")) && v > 0 && v < 3 {
				t.Errorf("%s: %s = %g shown", r.Values[0], n, v)
			}
			if whole && !math.IsNaN(v) {
				t.Errorf("%s: %s shown (%g) in a group hidden whole", r.Values[0], n, v)
			}
		}
	}
}

// TestProgrammeMetricsSelected: --metrics keeps the named indicators and
// refuses an unknown one.
func TestProgrammeMetricsSelected(t *testing.T) {
	_, ep, inv := handCounted(t, "bowel")
	rep, err := ProgrammeMetrics("bowel", ep, inv, ProgrammeOptions{Metrics: []string{"positivity", "wait_median_days"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Rows[0].Metrics.Names; len(got) != 8 || got[0] != "positivity" || got[5] != "wait_median_days" {
		t.Errorf("metrics %v", got)
	}
	if _, err := ProgrammeMetrics("bowel", ep, inv, ProgrammeOptions{Metrics: []string{"recall_rate"}}); err == nil || !strings.Contains(err.Error(), `no indicator "recall_rate"`) {
		t.Errorf("unknown metric: %v", err)
	}
}

func TestCoverageHandCounted(t *testing.T) {
	reg, _, _ := handCounted(t, "cervical")
	rep, err := Coverage(reg, CoverageOptions{AsOf: datasets.DateOf(2024, 12, 31), Sex: "F"})
	if err != nil {
		t.Fatal(err)
	}
	m := rep.Rows[0].Metrics
	// 10 women aged 25-69; tested within 3.5 years: P01, P07, P08; within
	// 5.5 years also P03, P04, P06 (P02's test is 2010 days = 5.503 years
	// old); by age P06 (29) needs 3.5 years.
	for name, want := range map[string]float64{"persons": 10, "coverage_3_5y": 0.3, "coverage_5_5y": 0.6, "coverage": 0.5} {
		if got := m.Value(name); math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %g, want %g", name, got, want)
		}
	}
}

func TestFITSweepHandCounted(t *testing.T) {
	_, ep, _ := handCounted(t, "bowel")
	sw, err := SweepFIT(ep, []float64{150, 10, 20, 40}, 15)
	if err != nil {
		t.Fatal(err)
	}
	if sw.Screened != 8 || sw.Cancers != 2 || sw.Uptake != 0.8 {
		t.Fatalf("%+v", sw)
	}
	for i, want := range []struct {
		t              float64
		pos, det, miss int
		aaDet, aaMiss  float64
	}{{10, 5, 1, 1, math.NaN(), math.NaN()}, {20, 3, 1, 1, 1, 0}, {40, 2, 1, 1, 0, 1}, {150, 0, 0, 2, 0, 1}} {
		r := sw.Rows[i]
		same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
		if r.Threshold != want.t || r.Positive != want.pos || r.CancersDetected != want.det || r.CancersMissed != want.miss ||
			!same(r.AdvancedAdenomasDetected, want.aaDet) || !same(r.AdvancedAdenomasMissed, want.aaMiss) {
			t.Errorf("row %d: %+v, want %+v", i, r, want)
		}
	}
	if got := sw.Rows[1].ColonoscopiesPer1000; math.Abs(got-300) > 1e-9 {
		t.Errorf("colonoscopies per 1000 at 20: %g, want 3/8 × 0.8 × 1000", got)
	}
	// fewer positives and no more cancers found as the threshold rises
	for i := 1; i < len(sw.Rows); i++ {
		if sw.Rows[i].Positive > sw.Rows[i-1].Positive || sw.Rows[i].CancersDetected > sw.Rows[i-1].CancersDetected {
			t.Errorf("not monotone at %g", sw.Rows[i].Threshold)
		}
	}
}

func TestHPVRiskHandCounted(t *testing.T) {
	_, ep, _ := handCounted(t, "cervical")
	rt, err := HPVRisk(ep, []float64{1, 3}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]HPVRiskRow{}
	for _, r := range rt.Rows {
		got[r.Genotype+" "+r.Cytology] = r
	}
	// P01 (16, NILM): CIN3 at 43 days; P10 (18, HSIL): cancer at 32 days;
	// P02 and P08 (18, NILM): none; P07 (16, HSIL): no colposcopy.
	for key, want := range map[string]struct {
		n, events int
		risk      float64
	}{"16 NILM": {1, 1, 1}, "18 ASC-H+": {1, 1, 1}, "18 NILM": {2, 0, 0}, "16 ASC-H+": {1, 0, 0},
		"hr-31-33-45-52-58 NILM": {1, 0, 0}, "hr-35-39-51-56-59-66-68 ASC-US/LSIL": {1, 0, 0}} {
		r, ok := got[key]
		if !ok || r.N != want.n || r.Events != want.events || r.Risk[0] != want.risk {
			t.Errorf("%s: %+v, want %+v", key, r, want)
		}
	}
	if len(got) != 6 {
		t.Errorf("%d cells, want 6", len(got))
	}
}

// TestNewcombeDifference against R (testdata/newcombe.R) and Newcombe's
// (1998) example (a).
func TestNewcombeDifference(t *testing.T) {
	for _, c := range []struct {
		a, n1, b, n2 int
		d, lo, hi    float64
	}{
		{56, 70, 48, 80, 0.2000000000000001, 0.0524314724023649, 0.3338726540369059},
		{9, 10, 3, 10, 0.6, 0.170522723934503, 0.809017973535488},
		{0, 10, 0, 20, 0, -0.161125158052819, 0.277532799862889},
	} {
		d, lo, hi := NewcombeDifference(c.a, c.n1, c.b, c.n2, 0.95)
		if math.Abs(d-c.d) > 1e-12 || math.Abs(lo-c.lo) > 1e-10 || math.Abs(hi-c.hi) > 1e-10 {
			t.Errorf("%d/%d - %d/%d: %g [%g, %g], want %g [%g, %g]", c.a, c.n1, c.b, c.n2, d, lo, hi, c.d, c.lo, c.hi)
		}
	}
	med, lo, hi := MedianCI([]float64{19, 42, 19, 22, 35, 8, 61, 27, 30, 14, 25}, 0.95)
	if med != 25 || lo != 14 || hi != 42 {
		t.Errorf("median %g [%g, %g], want 25 [14, 42] (R)", med, lo, hi)
	}
}

func TestCompareSamplingHandCounted(t *testing.T) {
	_, ep, _ := handCounted(t, "cervical")
	sc, err := CompareSampling(ep, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	r := sc.Rows[0]
	// self: P03 positive; clinician: 8 HPV-primary episodes, 6 positive
	if r.Measure != "hpv_positivity" || r.SelfN != 1 || r.SelfD != 1 || r.ClinicianN != 6 || r.ClinicianD != 8 {
		t.Errorf("%+v", r)
	}
	if d, lo, hi := NewcombeDifference(1, 1, 6, 8, 0.95); r.Difference != d || r.DifferenceLower != lo || r.DifferenceUpper != hi {
		t.Errorf("difference %+v", r)
	}
}

// TestProgrammeRowJSONRoundTrip: a row reads back from its JSON as it was
// (the report rebuilds the demo page from demo.json).
func TestProgrammeRowJSONRoundTrip(t *testing.T) {
	_, ep, inv := handCounted(t, "bowel")
	rep, err := ProgrammeMetrics("bowel", ep, inv, ProgrammeOptions{By: []string{"sex"}, Suppress: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rows {
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back ProgrammeRow
		if err := back.UnmarshalJSON(b); err != nil {
			t.Fatal(err)
		}
		again, _ := back.MarshalJSON()
		if string(again) != string(b) {
			t.Errorf("round trip:\n%s\n%s", b, again)
		}
	}
}
