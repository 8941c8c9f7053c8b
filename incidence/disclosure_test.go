package incidence

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/screenlab/screenlab/report/suppress"
)

// smallCountTable is incidence by region over the 18 age groups of a
// standard: a registry's typical table, with small counts at young ages
// (seeded).
func smallCountTable() *CountTable {
	rng := rand.New(rand.NewPCG(9, 4))
	tab := &CountTable{By: []string{"region"}, Population: "pop.csv"}
	for r := range 4 {
		g := CountGroup{Values: []string{fmt.Sprintf("R%d", r+1)}}
		for a := 0; a < 18; a++ {
			py := 20000 + float64(rng.IntN(20000))
			mean := py * 1e-5 * math.Exp(float64(a)/3.2)
			cases := math.Floor(mean + rng.Float64()*math.Sqrt(mean+1))
			if a < 5 {
				cases = float64(rng.IntN(2)) // mostly zeros and ones
			}
			label := fmt.Sprintf("%d-%d", 5*a, 5*a+4)
			if a == 17 {
				label = "85+"
			}
			g.Ages = append(g.Ages, AgeRate{AgeGroup: label, Lower: 5 * a, Cases: cases, PersonYears: py})
		}
		tab.Groups = append(tab.Groups, g)
	}
	return tab
}

// TestAuditCatchesTodaysRateTable is the attack on yesterday's rate
// table: small age groups hidden with a complementary group in the row,
// while the row's cases, standardised rate and cumulative rate stayed
// shown; the three relations solve the hidden groups.
func TestAuditCatchesTodaysRateTable(t *testing.T) {
	std, _ := LookupStandard("esp2013")
	out, err := Rates(smallCountTable(), std, RateOptions{Level: 0.95, Per: 100000})
	if err != nil {
		t.Fatal(err)
	}
	for r := range out.Rows {
		row := &out.Rows[r]
		hidden, smallest := 0, -1
		for i, a := range row.AgeSpecific {
			if suppress.Small(a.Cases, 5) {
				row.AgeSpecific[i].Cases, row.AgeSpecific[i].Rate, row.AgeSpecific[i].Suppressed = math.NaN(), math.NaN(), suppress.Primary
				hidden++
			} else if a.Cases > 0 && (smallest < 0 || a.Cases < row.AgeSpecific[smallest].Cases) {
				smallest = i
			}
		}
		if hidden == 1 {
			a := &row.AgeSpecific[smallest]
			a.Cases, a.Rate, a.Suppressed = math.NaN(), math.NaN(), suppress.Complementary
		}
	}
	tab, _, err := RatesTable(out, std, nil)
	if err != nil {
		t.Fatal(err)
	}
	exposed, err := suppress.Audit(tab, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(exposed) == 0 {
		t.Fatal("the audit solved nothing in a table that shows the standardised rate beside hidden age groups")
	}
	t.Logf("solved %d hidden age groups, e.g. %s", len(exposed), exposed[0])
}

// TestRateSuppressionHolds: with Suppress nothing hidden can be solved
// for, the standardised rates of rows with a hidden group are hidden as
// derived, and the true counts lie in the audited ranges.
func TestRateSuppressionHolds(t *testing.T) {
	std, _ := LookupStandard("esp2013")
	truth, _ := Rates(smallCountTable(), std, RateOptions{Level: 0.95, Per: 100000})
	out, err := Rates(smallCountTable(), std, RateOptions{Level: 0.95, Per: 100000, Suppress: 5})
	if err != nil {
		t.Fatal(err)
	}
	tab, _, err := RatesTable(out, std, nil)
	if err != nil {
		t.Fatal(err)
	}
	if exposed, err := suppress.Audit(tab, 5); err != nil || len(exposed) > 0 {
		t.Fatalf("the audit solves %v (%v)", exposed, err)
	}
	truthTab, _, _ := RatesTable(truth, std, nil)
	ranges, _ := suppress.Range(tab, 5)
	hidden := 0
	for i, c := range tab.Cells {
		if c.Hidden {
			hidden++
			if v := truthTab.Cells[i].Value; v < ranges[i][0]-1e-6 || v > ranges[i][1]+1e-6 {
				t.Errorf("%s = %g outside %v", c.Name, v, ranges[i])
			}
		}
	}
	if hidden == 0 {
		t.Fatal("the table must have small counts to hide")
	}
	for _, row := range out.Rows {
		anyHidden := row.Suppressed.Has("cases")
		for _, a := range row.AgeSpecific {
			anyHidden = anyHidden || a.Suppressed != ""
		}
		if anyHidden && (!math.IsNaN(row.ASR) || !math.IsNaN(row.CumRate) || !row.Suppressed.Has("asr")) {
			t.Errorf("%v: a hidden age group beside a shown standardised rate %g", row.Group, row.ASR)
		}
	}
}

// TestSplitAndSIRSuppressionHold: the aggregated split and the SIR table
// publish nothing solvable either.
func TestSplitAndSIRSuppressionHold(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	var birth, entry, exit []float64
	var event []bool
	for range 400 {
		b := 1930 + 40*rng.Float64()
		e := 2000 + 5*rng.Float64()
		birth, entry, exit = append(birth, b), append(entry, e), append(exit, e+rng.Float64()*15)
		event = append(event, rng.Float64() < 0.05)
	}
	breaks := []Breaks{{Name: "age", Scale: Age, Limits: []float64{30, 50, 60, 70, 80, 100}}, {Name: "period", Scale: Period, Limits: []float64{2000, 2010, 2030}}}
	split, err := SplitTableOf(birth, entry, exit, event, breaks, SplitOptions{Aggregate: true, Suppress: 5})
	if err != nil {
		t.Fatal(err)
	}
	tab := SplitTableCells(split)
	hidden := 0
	for _, c := range tab.Cells {
		if c.Hidden {
			hidden++
		}
	}
	if exposed, err := suppress.Audit(tab, 5); err != nil || len(exposed) > 0 || hidden == 0 {
		t.Fatalf("split: %d hidden, the audit solves %v (%v)", hidden, exposed, err)
	}
	counts := smallCountTable()
	ref := &ReferenceRates{rate: map[string]float64{}}
	for _, a := range counts.Groups[0].Ages {
		ref.rate[refKey(a.AgeGroup, nil)] = 1e-5 * (1 + float64(a.Lower))
	}
	// Split each region's counts so that some observed totals are small.
	for g := range counts.Groups {
		for a := range counts.Groups[g].Ages {
			if g%2 == 0 {
				counts.Groups[g].Ages[a].Cases = math.Min(counts.Groups[g].Ages[a].Cases, float64(a%2))
			}
		}
	}
	sirs, err := SIRs(counts, []string{"region"}, ref, 0.95, 12)
	if err != nil {
		t.Fatal(err)
	}
	st := SIRsTable(sirs)
	hidden = 0
	for _, c := range st.Cells {
		if c.Hidden {
			hidden++
		}
	}
	if exposed, err := suppress.Audit(st, 12); err != nil || len(exposed) > 0 || hidden == 0 {
		t.Fatalf("sir: %d hidden, the audit solves %v (%v)", hidden, exposed, err)
	}
	if _, err := SIRs(counts, []string{"region"}, ref, 0.95, 2); err == nil {
		t.Error("SIRs accepted a threshold of 2")
	}
}
