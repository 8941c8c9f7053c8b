package suppress

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// bounds returns what a reader knows of a hidden cell from its label.
func (c *Cell) bounds(n float64) (lo, hi float64) {
	switch {
	case c.Implicit:
		return math.Inf(-1), math.Inf(1)
	case c.Reason == Primary:
		return 1, n - 1
	case c.Reason == Complementary && c.Eligible:
		return n, math.Inf(1)
	case c.Reason == Complementary:
		return 1, math.Inf(1)
	}
	return 0, math.Inf(1)
}

// Audit solves, for every hidden cell, the smallest and largest value the
// published table allows: two linear programs over the hidden cells, with
// every relation and the bounds the labels give away (see the package
// documentation). A cell whose range holds a single integer is disclosed;
// an implicit cell only when that integer is below n and above 0. Cells
// not linked by any relation are solved separately (one linear program per
// connected group of hidden cells).
func Audit(t *Table, n float64) ([]Exposure, error) {
	return t.audit(n, nil)
}

// audit audits the components that hold one of the cells near (all when
// near is nil).
func (t *Table) audit(n float64, near map[int]bool) ([]Exposure, error) {
	var out []Exposure
	for _, comp := range t.components() {
		if near != nil && !slices.ContainsFunc(comp, func(c int) bool { return near[c] }) {
			continue
		}
		ranges, err := t.solve(comp, n, -1, false)
		if err != nil {
			return nil, err
		}
		for k, cell := range comp {
			lo, hi := ranges[k][0], ranges[k][1]
			c := &t.Cells[cell]
			if !unique(lo, hi) {
				continue
			}
			if c.Implicit && !Small(math.Round(lo), n) {
				continue
			}
			out = append(out, Exposure{Cell: cell, Name: c.Name, Min: lo, Max: hi})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Cell < out[b].Cell })
	return out, nil
}

// Range returns the smallest and largest value the table allows for each
// hidden cell (NaN for shown cells), for tests and reports.
func Range(t *Table, n float64) ([][2]float64, error) {
	out := make([][2]float64, len(t.Cells))
	for i := range out {
		out[i] = [2]float64{math.NaN(), math.NaN()}
	}
	for _, comp := range t.components() {
		ranges, err := t.solve(comp, n, -1, true)
		if err != nil {
			return nil, err
		}
		for k, cell := range comp {
			out[cell] = ranges[k]
		}
	}
	return out, nil
}

// components groups the hidden cells linked by relations.
func (t *Table) components() [][]int {
	parent := make([]int, len(t.Cells))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, r := range t.Relations {
		first := -1
		for _, term := range r.Terms {
			if !t.Cells[term.Cell].Hidden {
				continue
			}
			if first < 0 {
				first = term.Cell
			} else {
				parent[find(term.Cell)] = find(first)
			}
		}
	}
	groups := map[int][]int{}
	var roots []int
	for i := range t.Cells {
		if !t.Cells[i].Hidden {
			continue
		}
		r := find(i)
		if groups[r] == nil {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i)
	}
	out := make([][]int, len(roots))
	for k, r := range roots {
		out[k] = groups[r]
	}
	return out
}

// ErrInconsistent is returned when the shown cells break a relation.
var ErrInconsistent = errors.New("suppression audit: the table's figures contradict its relations")

// solve returns [min, max] of every cell of one component, or of only
// the cell only when it is not -1 (the others are then zero). Unless exact,
// a cell that the solutions found for other cells already show to take
// values 2 or more apart gets that span instead of its full range.
func (t *Table) solve(comp []int, n float64, only int, exact bool) ([][2]float64, error) {
	// Variables: x = lo + y (y ≥ 0), or x = y⁺ − y⁻ when unbounded below.
	col := map[int]int{}
	type variable struct{ lo, hi float64 }
	vars := make([]variable, len(comp))
	ncol := 0
	for k, cell := range comp {
		lo, hi := t.Cells[cell].bounds(n)
		vars[k] = variable{lo, hi}
		col[cell] = ncol
		ncol++
		if math.IsInf(lo, -1) {
			ncol++
		}
	}
	var leA [][]float64
	var leB []float64
	inComp, kOf := map[int]bool{}, map[int]int{}
	for k, c := range comp {
		inComp[c], kOf[c] = true, k
	}
	for _, r := range t.Relations {
		if !slices.ContainsFunc(r.Terms, func(term Term) bool { return inComp[term.Cell] }) {
			continue
		}
		row := make([]float64, ncol)
		b := -r.Const
		for _, term := range r.Terms {
			c := &t.Cells[term.Cell]
			if !c.Hidden {
				b -= term.Coef * c.Value
				continue
			}
			k := kOf[term.Cell]
			j := col[term.Cell]
			if lo := vars[k].lo; math.IsInf(lo, -1) {
				row[j] += term.Coef
				row[j+1] -= term.Coef
			} else {
				row[j] += term.Coef
				b -= term.Coef * lo
			}
		}
		// An equality is two inequalities a·y ≤ b + ε and −a·y ≤ −b + ε:
		// the rounding of shown figures (and of floating point) never
		// makes a true table infeasible, and every row has its own slack.
		eps := r.Tol
		if eps == 0 {
			eps = 1e-9 * math.Max(1, math.Abs(b))
		}
		if r.LessEq {
			leA, leB = append(leA, row), append(leB, b+eps)
		} else {
			neg := make([]float64, len(row))
			for j, v := range row {
				neg[j] = -v
			}
			leA, leB = append(leA, row, neg), append(leB, b+eps, -b+eps)
		}
	}
	for k, v := range vars {
		if !math.IsInf(v.hi, 1) {
			row := make([]float64, ncol)
			row[col[comp[k]]] = 1
			leA, leB = append(leA, row), append(leB, v.hi-v.lo)
		}
	}
	tab, feasible := newTableau(leA, leB, ncol)
	if !feasible {
		return nil, fmt.Errorf("%w (%s)", ErrInconsistent, t.Cells[comp[0]].Name)
	}
	// value returns cell k's value in the current solution.
	value := func(k int) float64 {
		j := col[comp[k]]
		if math.IsInf(vars[k].lo, -1) {
			return tab.value(j) - tab.value(j+1)
		}
		return vars[k].lo + tab.value(j)
	}
	// seen is the span of each cell over the solutions found so far: once
	// it is 2 or more wide the cell holds two integers and, unless exact
	// ranges are asked for, needs no program of its own.
	seen := make([][2]float64, len(comp))
	for k := range seen {
		seen[k] = [2]float64{math.Inf(1), math.Inf(-1)}
	}
	out := make([][2]float64, len(comp))
	for k, cell := range comp {
		if only >= 0 && cell != only {
			continue
		}
		j := col[cell]
		free := math.IsInf(vars[k].lo, -1)
		var bounds [2]float64
		for s, sign := range []float64{1, -1} {
			if !exact && seen[k][1]-seen[k][0] >= 2 {
				bounds = seen[k]
				break
			}
			c := make([]float64, tab.cols)
			c[j] = sign
			if free {
				c[j+1] = -sign
			}
			if _, unbounded := tab.minimise(c); unbounded {
				bounds[s] = math.Inf(-int(sign))
				continue
			}
			bounds[s] = value(k)
			for kk := range comp {
				v := value(kk)
				seen[kk] = [2]float64{math.Min(seen[kk][0], v), math.Max(seen[kk][1], v)}
			}
		}
		out[k] = bounds
	}
	return out, nil
}

func indexOf(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// unique reports whether [lo, hi] holds a single integer, allowing for
// the tolerance of the linear programs.
func unique(lo, hi float64) bool {
	return math.Floor(hi+1e-4) <= math.Ceil(lo-1e-4)
}
