package screening

import (
	"fmt"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/report/suppress"
)

// TestWholeRowSuppressionAudited: the whole-row suppression of
// completeness (per hospital and year) and of case mix (per unit) leaves
// no hidden count a reader can work out from the shown rows and the
// totals (suppress.Audit); a table with one row hidden alone is caught,
// so the check can fail.
func TestWholeRowSuppressionAudited(t *testing.T) {
	// three hospitals in 2023: H1 has 2 unreported cases (below 5)
	var cases, reports [][]string
	add := func(h string, n, reported int) {
		for i := range n {
			id := fmt.Sprintf("%s-%d", h, i)
			cases = append(cases, []string{id, "2023-03-01", "C50", h})
			if i < reported {
				reports = append(reports, []string{id, "2023-03-20", "C50"})
			}
		}
	}
	add("H1", 12, 10)
	add("H2", 30, 25)
	add("H3", 40, 31)
	cf, _ := datasets.FrameOf("cases.csv", []string{"person_id", "diagnosis_date", "icd10", "hospital"}, cases)
	rf, _ := datasets.FrameOf("reports.csv", []string{"person_id", "report_date", "icd10"}, reports)
	full, err := ReportCompleteness(cf, rf, CompletenessOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sup, err := ReportCompleteness(cf, rf, CompletenessOptions{Suppress: 5})
	if err != nil {
		t.Fatal(err)
	}
	var rows []CountRow
	var total CountRow
	hidden := 0
	for i, r := range full.Rows {
		cr := CountRow{Name: r.Hospital, Count: r.Cases, Events: r.Reported, Hidden: sup.Rows[i].Suppressed}
		if r.Hospital == "all" {
			total = cr
			continue
		}
		if cr.Hidden {
			hidden++
		}
		rows = append(rows, cr)
	}
	if hidden != 2 {
		t.Fatalf("%d hospitals hidden, want H1 and one to protect it: %+v", hidden, sup.Rows)
	}
	if exposed, err := suppress.Audit(CountRowsTable(rows, total), 5); err != nil || len(exposed) > 0 {
		t.Errorf("completeness: %v %v", exposed, err)
	}
	// the check can fail: H1 hidden alone is worked out from the total
	alone := append([]CountRow(nil), rows...)
	for i := range alone {
		alone[i].Hidden = alone[i].Name == "H1"
	}
	if exposed, _ := suppress.Audit(CountRowsTable(alone, total), 5); len(exposed) == 0 {
		t.Error("a lone hidden row passed the audit")
	}

	// case mix: unit B has 3 events
	var mix [][]string
	for u, n := range map[string][2]int{"A": {40, 12}, "B": {25, 3}, "C": {50, 15}} {
		for i := range n[0] {
			mix = append(mix, []string{u, b01(i < n[1])})
		}
	}
	fr, _ := datasets.FrameOf("cases.csv", []string{"unit", "y"}, mix)
	fullMix, err := CaseMix(fr, "unit", "y", nil, CaseMixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	supMix, err := CaseMix(fr, "unit", "y", nil, CaseMixOptions{Suppress: 5})
	if err != nil {
		t.Fatal(err)
	}
	rows, total, hidden = nil, CountRow{Name: "national"}, 0
	for i, r := range fullMix.Rows {
		cr := CountRow{Name: r.Unit, Count: r.Cases, Events: r.Observed, Hidden: supMix.Rows[i].Suppressed}
		total.Count += r.Cases
		total.Events += r.Observed
		if cr.Hidden {
			hidden++
		}
		rows = append(rows, cr)
	}
	if hidden != 2 {
		t.Fatalf("%d units hidden: %+v", hidden, supMix.Rows)
	}
	if exposed, err := suppress.Audit(CountRowsTable(rows, total), 5); err != nil || len(exposed) > 0 {
		t.Errorf("case mix: %v %v", exposed, err)
	}
}
