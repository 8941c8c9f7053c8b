package incidence

import (
	"fmt"
	"math"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/report/suppress"
)

// RatesTable is what a rate table tells a reader, for suppress.Audit and
// suppress.Protect. Per row: the age-specific cases (eligible for primary
// suppression; a shown rate with its shown person-years is the count), the
// row's cases (the sum over the age groups in the range; the crude rate
// gives it too), and, where shown, the standardised and cumulative rates,
// which are known weighted sums of the age-specific cases: ASR = Σ per·w_i
// c_i/n_i and cumulative rate = Σ 500 c_i/n_i. Their weights are found as
// a reader would, from the shown person-years and the standard (DirectRate
// of each age group alone). A figure is hidden where the table shows NaN.
// index[r] is the first cell of row r: its age groups in order, then the
// row's cases.
func RatesTable(tab *RateTable, std Standard, ages *[2]int) (t *suppress.Table, index []int, err error) {
	t = &suppress.Table{}
	for _, row := range tab.Rows {
		first := len(t.Cells)
		index = append(index, first)
		name := row.Group.String()
		for _, a := range row.AgeSpecific {
			t.Add(suppress.Cell{Name: fmt.Sprintf("cases aged %s, %s", a.AgeGroup, name), Value: a.Cases, Hidden: math.IsNaN(a.Cases),
				Reason: a.Suppressed, Eligible: true, Cost: 1})
		}
		total := t.Add(suppress.Cell{Name: "cases, " + name, Value: row.Cases, Hidden: math.IsNaN(row.Cases),
			Reason: row.Suppressed["cases"], Eligible: true, Cost: 3})
		asr := suppress.Relation{Const: -row.ASR}
		cum := suppress.Relation{Const: -row.CumRate}
		sum := suppress.Relation{Terms: []suppress.Term{{Cell: total, Coef: -1}}}
		for i := range row.AgeSpecific {
			probe := make([]AgeRate, len(row.AgeSpecific))
			for j, b := range row.AgeSpecific {
				lower := b.Lower
				if lo, _, ok := datasets.ParseAgeGroup(b.AgeGroup); ok {
					lower = lo // a table read back from JSON has the label only
				}
				probe[j] = AgeRate{AgeGroup: b.AgeGroup, Lower: lower, PersonYears: b.PersonYears}
			}
			probe[i].Cases = 1
			one, err := DirectRate(probe, std, tab.Level, tab.Per, CIMethod(tab.CI), ages)
			if err != nil {
				return nil, nil, err
			}
			if one.Cases == 1 {
				sum.Terms = append(sum.Terms, suppress.Term{Cell: first + i, Coef: 1})
			}
			if one.ASR != 0 {
				asr.Terms = append(asr.Terms, suppress.Term{Cell: first + i, Coef: one.ASR})
			}
			if one.CumRate != 0 && !math.IsNaN(one.CumRate) {
				cum.Terms = append(cum.Terms, suppress.Term{Cell: first + i, Coef: one.CumRate})
			}
		}
		t.Relations = append(t.Relations, sum)
		for _, r := range []suppress.Relation{asr, cum} {
			if !math.IsNaN(r.Const) && len(r.Terms) > 0 {
				t.Relations = append(t.Relations, r)
			}
		}
	}
	return t, index, nil
}

// suppressRates applies disclosure control to a rate table at
// tab.Suppress: every age-specific count or row total below it is hidden
// (primary) with its rate, then complementary cells until none can be
// worked out from the row totals (suppress.Protect on RatesTable), and in
// every row with a hidden age group the standardised rate, its interval
// and the cumulative rate and risk (derived: with the row total they would
// solve for the hidden groups). A hidden row total hides the crude rate.
func suppressRates(tab *RateTable, std Standard, ages *[2]int) error {
	rows := tab.Rows
	// The relations of the standardised rates are left out: they are
	// hidden wherever a cell is.
	withRates := make([]RateRow, len(rows))
	for r, row := range rows {
		withRates[r] = row
		withRates[r].ASR, withRates[r].CumRate = math.NaN(), math.NaN()
	}
	t, index, err := RatesTable(&RateTable{Rows: withRates, Per: tab.Per, Level: tab.Level, CI: tab.CI}, std, ages)
	if err != nil {
		return err
	}
	if _, err := suppress.Protect(t, float64(tab.Suppress)); err != nil {
		return fmt.Errorf("incidence rates: %w", err)
	}
	nan := math.NaN()
	for r := range rows {
		row := &rows[r]
		anyAge := false
		for i := range row.AgeSpecific {
			if c := t.Cells[index[r]+i]; c.Hidden {
				a := &row.AgeSpecific[i]
				a.Cases, a.Rate, a.Suppressed = nan, nan, c.Reason
				anyAge = true
			}
		}
		if c := t.Cells[index[r]+len(row.AgeSpecific)]; c.Hidden {
			row.Cases, row.Crude = nan, nan
			row.Suppressed.Set("cases", c.Reason)
			anyAge = true
		}
		if anyAge {
			row.ASR, row.ASRLower, row.ASRUpper, row.CumRate, row.CumRisk = nan, nan, nan, nan, nan
			row.Suppressed.Set("asr", suppress.Derived)
		}
	}
	return nil
}

// SplitTableCells is what an aggregated Lexis split tells a reader: the
// events of each band (eligible for primary suppression; cell r is row r)
// and their sum, the summary's events, which is always shown.
func SplitTableCells(tab *SplitTable) *suppress.Table {
	t := &suppress.Table{}
	sum := suppress.Relation{Const: -float64(tab.Summary.Events)}
	for _, r := range tab.Rows {
		c := t.Add(suppress.Cell{Name: "events, " + r.Group.String(), Value: r.Events, Hidden: math.IsNaN(r.Events), Reason: r.Suppressed, Eligible: true, Cost: 1})
		sum.Terms = append(sum.Terms, suppress.Term{Cell: c, Coef: 1})
	}
	t.Relations = append(t.Relations, sum)
	return t
}

// SIRsTable is what a table of standardised incidence ratios tells a
// reader: each group's observed count, with nothing that sums them.
func SIRsTable(tab *SIRTable) *suppress.Table {
	t := &suppress.Table{}
	for _, r := range tab.Rows {
		t.Add(suppress.Cell{Name: "observed, " + r.Group.String(), Value: r.Observed, Hidden: math.IsNaN(r.Observed), Reason: r.Suppressed["observed"], Eligible: true})
	}
	return t
}
