package screening

import (
	"math"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestReportCompletenessByHand: H1 has five cases in 2023: P1 reported
// after 10 days, P2 after 30, P3 after 400 (outside the year: not
// counted), P4 only for another site, P5 20 days before diagnosis (within
// 90 days: counted) → 3/5, median delay 10; H2 has four, all reported after
// 5, 15, 25, 35 days → 4/4, median 20; 2023 in all 7/9, median of
// −20, 5, 10, 15, 25, 30, 35 = 15.
func TestReportCompletenessByHand(t *testing.T) {
	cases, _ := datasets.FrameOf("cases.csv", []string{"person_id", "diagnosis_date", "icd10", "hospital"}, [][]string{
		{"P1", "2023-03-01", "C50.4", "H1"}, {"P2", "2023-04-01", "C50", "H1"}, {"P3", "2023-05-01", "C50", "H1"},
		{"P4", "2023-06-01", "C50", "H1"}, {"P5", "2023-07-01", "C509", "H1"},
		{"Q1", "2023-02-01", "C18", "H2"}, {"Q2", "2023-02-01", "C18", "H2"}, {"Q3", "2023-02-01", "C18", "H2"}, {"Q4", "2023-02-01", "C18", "H2"},
	})
	reports, _ := datasets.FrameOf("reports.csv", []string{"person_id", "report_date", "icd10"}, [][]string{
		{"P1", "2023-03-11", "C50"}, {"P2", "2023-05-01", "C50"}, {"P3", "2024-06-04", "C50"}, {"P4", "2023-06-10", "C18"},
		{"P5", "2023-06-11", "C50"}, {"Q1", "2023-02-06", "C18"}, {"Q2", "2023-02-16", "C18"}, {"Q3", "2023-02-26", "C18"}, {"Q4", "2023-03-08", "C18"},
	})
	res, err := ReportCompleteness(cases, reports, CompletenessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		hosp            string
		cases, reported float64
		met             string
		delay           float64
	}{{"H1", 5, 3, "no", 10}, {"H2", 4, 4, "yes", 20}, {"all", 9, 7, "no", 15}}
	if len(res.Rows) != len(want) {
		t.Fatalf("%d rows: %+v", len(res.Rows), res.Rows)
	}
	for i, w := range want {
		r := res.Rows[i]
		if r.Hospital != w.hosp || r.Year != 2023 || r.Cases != w.cases || r.Reported != w.reported || r.TargetMet != w.met || r.MedianDelay != w.delay {
			t.Errorf("row %d: %+v, want %+v", i, r, w)
		}
		if !(r.CompletenessLower <= r.Completeness && r.Completeness <= r.CompletenessUpper) {
			t.Errorf("row %d: interval [%g, %g] misses %g", i, r.CompletenessLower, r.CompletenessUpper, r.Completeness)
		}
	}
	sup, _ := ReportCompleteness(cases, reports, CompletenessOptions{Suppress: 3})
	// H1 has 2 unreported cases (below 3): hidden, and H2 with it; the total stays
	if !sup.Rows[0].Suppressed || !sup.Rows[1].Suppressed || sup.Rows[2].Suppressed || !math.IsNaN(sup.Rows[0].Cases) {
		t.Errorf("suppression: %+v", sup.Rows)
	}
}

// TestDataQualityByHand: C50 in 2023 has four cases, basis 7, 7, 5, 0 (MV
// 3/4, DCO 1/4) and one C50 death (M:I 1/4); C18 two cases, basis 1 and 9
// (MV 0, DCO 0) and two deaths (M:I 1).
func TestDataQualityByHand(t *testing.T) {
	cases, _ := datasets.FrameOf("cases.csv", []string{"icd10", "diagnosis_date", "basis"}, [][]string{
		{"C50.1", "2023-01-01", "7"}, {"C504", "2023-02-01", "7"}, {"C50", "2023-03-01", "5"}, {"C50", "2023-04-01", "0"},
		{"C18", "2023-01-01", "1"}, {"C18.7", "2023-05-01", "9"},
	})
	deaths, _ := datasets.FrameOf("deaths.csv", []string{"death_date", "cause"}, [][]string{
		{"2023-06-01", "C50"}, {"2023-07-01", "C18"}, {"2023-08-01", "C18.2"}, {"2023-09-01", ""}, {"2022-01-01", "C50"},
	})
	res, err := DataQuality(cases, deaths)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 {
		t.Fatalf("%+v", res.Rows)
	}
	c18, c50 := res.Rows[0], res.Rows[1]
	if c50.Site != "C50" || c50.Cases != 4 || c50.MV != 0.75 || c50.DCO != 0.25 || c50.MI != 0.25 {
		t.Errorf("C50: %+v", c50)
	}
	if c18.Site != "C18" || c18.Cases != 2 || c18.MV != 0 || c18.DCO != 0 || c18.MI != 1 {
		t.Errorf("C18: %+v", c18)
	}
	bad, _ := datasets.FrameOf("cases.csv", []string{"icd10", "diagnosis_date", "basis"}, [][]string{{"C50", "2023-01-01", "3"}})
	if _, err := DataQuality(bad, nil); err == nil {
		t.Error("basis 3 (not an ENCR code) accepted")
	}
}
