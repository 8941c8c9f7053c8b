package screening

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/report/suppress"
)

// IndicatorRelations returns the linear relations that hold, in every unit,
// among the numerators and denominators of the definitions: vectors c over
// the figures (numerator 0, denominator 0, numerator 1, …) with
// Σ c_k figure_k = 0. Each figure is a sum over a unit's rows of a per-row
// value (a flag, a count, 1 for "rows", times the Where filter), so the
// relations are the null space of the matrix of distinct per-row values
// (from its singular value decomposition). For the built-in screening
// definitions they say, e.g., that the sensitivity's numerator is the
// detection rate's and its denominator that numerator plus the interval
// cancers. A reader who knows the definitions knows these; the audit
// assumes so.
func IndicatorRelations(fr *datasets.Frame, defs []Indicator) ([][]float64, error) {
	k := 2 * len(defs)
	per := make([][]float64, k)
	for i, d := range defs {
		num, den, keep, err := d.perRow(fr)
		if err != nil {
			return nil, err
		}
		for r := range keep {
			if keep[r] == 0 {
				num[r], den[r] = 0, 0
			}
		}
		per[2*i], per[2*i+1] = num, den
	}
	seen := map[string]bool{}
	var rows []float64
	m := 0
	for r := 0; r < fr.Len(); r++ {
		tuple := make([]float64, k)
		for j := range tuple {
			tuple[j] = per[j][r]
		}
		key := fmt.Sprint(tuple)
		if seen[key] {
			continue
		}
		seen[key] = true
		rows = append(rows, tuple...)
		m++
	}
	// Pad to at least k rows with zeros so the decomposition is full.
	for ; m < k; m++ {
		rows = append(rows, make([]float64, k)...)
	}
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(m, k, rows), mat.SVDFull) {
		return nil, fmt.Errorf("indicator relations: the decomposition failed")
	}
	sv := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	tol := 1e-9 * math.Max(1, sv[0]) * float64(max(m, k))
	var out [][]float64
	for j := 0; j < k; j++ {
		if j < len(sv) && sv[j] > tol {
			continue
		}
		c := make([]float64, k)
		for i := range c {
			if c[i] = v.At(i, j); math.Abs(c[i]) < 1e-12 {
				c[i] = 0
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// IndicatorsTable is what an indicators table tells a reader, for
// suppress.Audit and suppress.Protect: each unit's and the nation's
// numerator and denominator of every indicator (counts of persons or
// events, all eligible for primary suppression), the nation as the sum of
// the units, each numerator at most its denominator, and the relations
// among the indicators (IndicatorRelations) in every unit and nationally.
// A figure is hidden where the table shows NaN. index[i][u] holds the
// numerator's cell of indicator i in unit u (the nation last); the
// denominator's is the next.
func IndicatorsTable(res *IndicatorsResult, relations [][]float64) (t *suppress.Table, index [][]int) {
	t = &suppress.Table{}
	index = make([][]int, len(res.Indicators))
	units := 0
	for i, ind := range res.Indicators {
		rows := append(append([]IndicatorRow(nil), ind.Units...), ind.National)
		units = len(rows)
		for u, r := range rows {
			cost := 1.0
			if u == len(rows)-1 {
				cost = 5 // the nation's figures last
			}
			num := t.Add(cellOf(fmt.Sprintf("%s numerator, %s", ind.Name, r.Unit), r.Numerator, r.Suppressed["numerator"], cost))
			den := t.Add(cellOf(fmt.Sprintf("%s denominator, %s", ind.Name, r.Unit), r.Denominator, r.Suppressed["denominator"], cost+1))
			t.AtMost(num, den)
			index[i] = append(index[i], num)
		}
		for f := 0; f < 2; f++ {
			parts := make([]int, 0, len(rows)-1)
			for u := 0; u < len(rows)-1; u++ {
				parts = append(parts, index[i][u]+f)
			}
			t.Sum(index[i][len(rows)-1]+f, parts...)
		}
	}
	for u := 0; u < units; u++ {
		for _, c := range relations {
			rel := suppress.Relation{}
			scale := 0.0
			for k, coef := range c {
				if coef != 0 {
					cell := index[k/2][u] + k%2
					rel.Terms = append(rel.Terms, suppress.Term{Cell: cell, Coef: coef})
					if v := t.Cells[cell].Value; !math.IsNaN(v) {
						scale += math.Abs(coef * v)
					}
				}
			}
			// the relations come from a decomposition in floating point
			// (coefficients below 1e-12 dropped): allow for that on counts
			// of many thousands, far below the one unit a count can move
			rel.Tol = 1e-9 * (1 + scale)
			t.Relations = append(t.Relations, rel)
		}
	}
	return t, index
}

// cellOf is an eligible count, hidden when the table shows NaN.
func cellOf(name string, v float64, why suppress.Reason, cost float64) suppress.Cell {
	return suppress.Cell{Name: name, Value: v, Eligible: true, Cost: cost, Hidden: math.IsNaN(v), Reason: why}
}

// suppressIndicators hides every numerator and denominator below n and
// the complementary figures that stop a reader working them out
// (suppress.Protect on IndicatorsTable), then what derives from them: a
// unit's value, interval, target and funnel place. The funnel limits are
// drawn between the smallest and largest shown denominators, and not at
// all when a national figure is hidden (they would reveal it).
func suppressIndicators(res *IndicatorsResult, relations [][]float64, n float64, opts IndicatorOptions) error {
	t, index := IndicatorsTable(res, relations)
	if _, err := suppress.Protect(t, n); err != nil {
		return err
	}
	for i, ind := range res.Indicators {
		rows := len(ind.Units) + 1
		for u := 0; u < rows; u++ {
			r := &ind.National
			if u < len(ind.Units) {
				r = &ind.Units[u]
			}
			for f, field := range []string{"numerator", "denominator"} {
				if c := t.Cells[index[i][u]+f]; c.Hidden {
					r.hide(field, c.Reason)
				}
			}
		}
		if ind.National.Suppressed != nil {
			ind.Limits = nil
			continue
		}
		ind.Limits = funnelLimits(ind.Units, ind.National.Numerator/ind.National.Denominator, ind.Per, opts.Points)
	}
	return nil
}

// suppressGroups is disclosure control for tables by group with many
// related indicators (a programme's metrics), where suppress.Protect's
// cell-by-cell search over every group grows too slow. In three steps:
//
//  1. The national row alone goes through suppress.Protect (with the
//     relations among the indicators): its figures below n are hidden
//     (primary) and the complementary ones that would reveal them; where
//     no choice protects them (a table of few persons) the whole row is
//     hidden.
//  2. A figure hidden nationally is hidden in every group too
//     (complementary), so no sum of groups gives it back, and each group
//     row hides the same set of related figures as the national row.
//  3. A group with any other numerator or denominator below n is hidden
//     whole, every figure labelled "group" (the label does not say which
//     figure was small: a reader knows only that each is 0 or more); with a
//     lone hidden group the smallest other is hidden too.
//
// Why a hidden group cannot be worked out: the relations among the
// indicators are linear and homogeneous (Σ c·figure = 0 in every row) and
// the national row is the sum of the groups, so for two hidden groups A
// and B, moving a share ε of A's whole row to B keeps every relation,
// every sum and every bound; each figure of A above 0 can take every value
// in [0, itself], never a single one. size ranks the groups (e.g. the
// number of rows).
func suppressGroups(res *IndicatorsResult, relations [][]float64, n float64, size map[string]float64) error {
	if len(res.Indicators) == 0 {
		return nil
	}
	// 1. the national row on its own
	nat := &IndicatorsResult{Unit: res.Unit}
	for _, ind := range res.Indicators {
		one := ind.National
		one.Unit = "all"
		nat.Indicators = append(nat.Indicators, &IndicatorResult{Indicator: ind.Indicator, Units: []IndicatorRow{one}, National: ind.National})
	}
	t, index := IndicatorsTable(nat, relations)
	if _, err := suppress.Protect(t, n); err != nil {
		// no complementary choice protects the small figures (a table of
		// few persons, where the "below n" bounds pin them): hide the
		// whole national row, labelled "group" (no bounds given away)
		for i := range t.Cells {
			t.Cells[i].Hidden, t.Cells[i].Reason = true, suppress.Group
		}
	}
	for i, ind := range res.Indicators {
		for f, field := range []string{"numerator", "denominator"} {
			c := t.Cells[index[i][1]+f]
			if !c.Hidden {
				continue
			}
			ind.National.hide(field, c.Reason)
			// 2. hidden in every group
			for u := range ind.Units {
				ind.Units[u].hide(field, suppress.Complementary)
			}
		}
	}
	// 3. whole groups
	units := res.Indicators[0].Units
	hidden := map[int]bool{}
	for _, ind := range res.Indicators {
		for u := range ind.Units {
			r := &ind.Units[u]
			if suppress.Small(r.Numerator, n) || suppress.Small(r.Denominator, n) { // NaN (hidden) is not small
				hidden[u] = true
			}
		}
	}
	if len(hidden) == 1 {
		best := -1
		for u := range units {
			if !hidden[u] && (best < 0 || size[units[u].Unit] < size[units[best].Unit]) {
				best = u
			}
		}
		if best >= 0 {
			hidden[best] = true
		}
	}
	for _, ind := range res.Indicators {
		for u := range ind.Units {
			if hidden[u] {
				ind.Units[u].Suppressed = nil
				ind.Units[u].hide("numerator", suppress.Group)
				ind.Units[u].hide("denominator", suppress.Group)
			}
		}
		if ind.National.Suppressed != nil || len(hidden) > 0 {
			ind.Limits = nil
		}
	}
	return nil
}

// CountRow is one row of a table of counts hidden whole: a unit's count,
// the events among them, and whether the row is hidden.
type CountRow struct {
	Name          string
	Count, Events float64
	Hidden        bool
}

// CountRowsTable is what a reader knows of a table hidden row by row
// (completeness per hospital and year, case mix per unit), for
// suppress.Audit: each row's count, events and non-events (count = events
// + non-events), the rows summing to the total, which is taken as shown
// (a rate printed in full precision can give it away). A hidden row's
// label says only "suppressed", so its cells are known to be 0 or more.
func CountRowsTable(rows []CountRow, total CountRow) *suppress.Table {
	t := &suppress.Table{}
	add := func(r CountRow) [3]int {
		var c [3]int
		for k, v := range [3]float64{r.Count, r.Events, r.Count - r.Events} {
			cell := suppress.Cell{Name: fmt.Sprintf("%s %s", r.Name, [3]string{"count", "events", "non-events"}[k]), Value: v}
			if r.Hidden {
				cell.Hidden, cell.Reason = true, suppress.Group
			}
			c[k] = t.Add(cell)
		}
		t.Sum(c[0], c[1], c[2])
		return c
	}
	tc := add(total)
	var parts [3][]int
	for _, r := range rows {
		c := add(r)
		for k := range c {
			parts[k] = append(parts[k], c[k])
		}
	}
	for k := range parts {
		t.Sum(tc[k], parts[k]...)
	}
	return t
}
