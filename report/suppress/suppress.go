package suppress

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
)

// Small reports whether a count must be masked: 0 < c < n (zeros are
// published; they reveal nothing about a person).
func Small(c, n float64) bool { return c > 0 && c < n }

// Reason says why a cell is hidden; it is published with the table.
type Reason string

const (
	// Primary: the count is below the threshold.
	Primary Reason = "primary"
	// Complementary: hidden so that a primary cell cannot be worked out.
	Complementary Reason = "complementary"
	// Group: hidden with every other figure of its group (a row of a
	// table by group), because one of them is small or to protect another
	// group's; the label does not say which, so a reader knows only that
	// the count is 0 or more.
	Group Reason = "group"
	// Derived: a figure computed from hidden cells (a standardised rate),
	// hidden because it would reveal them; not a cell of the table.
	Derived Reason = "derived"
)

// Cell is one figure of a table. Value is the count (NaN when a published
// table hides it). Eligible cells are counts of persons or events that
// primary suppression applies to; Implicit cells are never printed but
// follow from printed ones through the relations (e.g. the interval cancers
// after a recall that a specificity gives away): they are audited only when
// small. Cost orders the choice of complementary cells (lower first, then
// the smaller count). A cell with Follows is a figure computed from those
// cells too (a specificity from the recalls): Protect hides it (Derived)
// whenever one of them is hidden.
type Cell struct {
	Name     string
	Value    float64
	Hidden   bool
	Reason   Reason
	Eligible bool
	Implicit bool
	Cost     float64
	Follows  []int
}

// derive hides every cell that follows a hidden cell, and shows again a
// derived cell none of whose sources is hidden.
func (t *Table) derive() {
	for changed := true; changed; {
		changed = false
		for i := range t.Cells {
			c := &t.Cells[i]
			if len(c.Follows) == 0 || c.Hidden && c.Reason != Derived {
				continue
			}
			hide := false
			for _, f := range c.Follows {
				hide = hide || t.Cells[f].Hidden
			}
			if hide != c.Hidden {
				c.Hidden, c.Reason, changed = hide, map[bool]Reason{true: Derived}[hide], true
			}
		}
	}
}

// set hides or shows a cell and what follows it.
func (t *Table) set(i int, hidden bool, why Reason) {
	t.Cells[i].Hidden, t.Cells[i].Reason = hidden, why
	t.derive()
}

// Term is coef × cell.
type Term struct {
	Cell int
	Coef float64
}

// Relation is Σ coef·cell + Const = 0, or ≤ 0 when LessEq. Tol is how far
// from 0 the shown figures may leave it (their rounding); 0 is 1e-9 of its
// size.
type Relation struct {
	Terms  []Term
	Const  float64
	LessEq bool
	Tol    float64
}

// Table is what a published table tells a reader.
type Table struct {
	Cells     []Cell
	Relations []Relation
}

// Add appends a cell and returns its index.
func (t *Table) Add(c Cell) int {
	t.Cells = append(t.Cells, c)
	return len(t.Cells) - 1
}

// Sum adds the relation total = Σ parts.
func (t *Table) Sum(total int, parts ...int) {
	r := Relation{Terms: []Term{{total, -1}}}
	for _, p := range parts {
		r.Terms = append(r.Terms, Term{p, 1})
	}
	t.Relations = append(t.Relations, r)
}

// AtMost adds the relation a ≤ b.
func (t *Table) AtMost(a, b int) {
	t.Relations = append(t.Relations, Relation{Terms: []Term{{a, 1}, {b, -1}}, LessEq: true})
}

// Exposure is a hidden cell that a reader can work out: every value the
// table allows lies in [Min, Max], which holds one integer.
type Exposure struct {
	Cell     int
	Name     string
	Min, Max float64
}

func (e Exposure) String() string {
	return fmt.Sprintf("%s is %g (the table allows [%g, %g])", e.Name, math.Round(e.Min), e.Min, e.Max)
}

// ErrThreshold is returned for thresholds below 3: a cell hidden as below
// 2 is known to be 1.
var ErrThreshold = errors.New("a suppression threshold must be at least 3 (a count hidden as below 2 is known to be 1)")

// Protect hides, in a table of true values, every eligible shown count
// below n (primary) and then complementary cells until Audit finds nothing.
// For each disclosed cell it tries the shown non-zero cells that share a
// relation with it, cheapest first (lowest Cost, then smallest count), and
// hides the first that leaves the cell more than one value (else the
// cheapest, and goes on); where no shown cell shares a relation with it,
// the cells of the relations linked to it are tried. Last, every
// complementary cell the table can show again without a disclosure is
// shown. It returns the number of cells hidden.
func Protect(t *Table, n float64) (int, error) {
	if n < 3 {
		return 0, ErrThreshold
	}
	hidden := 0
	for i := range t.Cells {
		c := &t.Cells[i]
		if !c.Hidden && c.Eligible && !c.Implicit && Small(c.Value, n) {
			c.Hidden, c.Reason = true, Primary
			hidden++
		}
	}
	t.derive()
	byCell := t.relationsOf()
	for {
		exposed, err := Audit(t, n)
		if err != nil {
			return hidden, err
		}
		if len(exposed) == 0 {
			return t.showBack(n, hidden)
		}
		progress := false
		for _, e := range exposed {
			if still, err := t.disclosed(e.Cell, n); err != nil {
				return hidden, err
			} else if !still {
				continue
			}
			cands := t.candidates(byCell[e.Cell])
			if len(cands) == 0 {
				cands = t.candidates(t.linked(e.Cell, byCell))
			}
			if len(cands) == 0 {
				continue
			}
			pick := cands[0]
			for _, c := range cands[:min(len(cands), 8)] {
				t.set(c, true, Complementary)
				still, err := t.disclosed(e.Cell, n)
				t.set(c, false, "")
				if err != nil {
					return hidden, err
				}
				if !still {
					pick = c
					break
				}
			}
			t.set(pick, true, Complementary)
			hidden++
			progress = true
		}
		if !progress {
			return hidden, fmt.Errorf("suppression: no complementary cell can protect %s", exposed[0])
		}
	}
}

// showBack shows again, latest first, every complementary cell that the
// table no longer needs (the greedy choice can overshoot), and returns the
// number of cells left hidden.
func (t *Table) showBack(n float64, hidden int) (int, error) {
	byCell := t.relationsOf()
	for i := len(t.Cells) - 1; i >= 0; i-- {
		c := &t.Cells[i]
		if !c.Hidden || c.Reason != Complementary {
			continue
		}
		t.set(i, false, "")
		// Only the hidden cells it shared a relation with can change.
		near := map[int]bool{}
		for _, r := range t.linked(i, byCell) {
			for _, term := range t.Relations[r].Terms {
				near[term.Cell] = true
			}
		}
		exposed, err := t.audit(n, near)
		if err != nil {
			return hidden, err
		}
		if len(exposed) > 0 {
			t.set(i, true, Complementary)
		} else {
			hidden--
		}
	}
	return hidden, nil
}

// disclosed reports whether a hidden cell has a unique value.
func (t *Table) disclosed(cell int, n float64) (bool, error) {
	for _, comp := range t.components() {
		if indexOf(comp, cell) < 0 {
			continue
		}
		ranges, err := t.solve(comp, n, cell, false)
		if err != nil {
			return false, err
		}
		r := ranges[indexOf(comp, cell)]
		c := &t.Cells[cell]
		return unique(r[0], r[1]) && (!c.Implicit || Small(math.Round(r[0]), n)), nil
	}
	return false, nil
}

// linked returns every relation reachable from a cell through hidden
// cells.
func (t *Table) linked(cell int, byCell [][]int) []int {
	seenRel, seenCell := map[int]bool{}, map[int]bool{cell: true}
	var out []int
	queue := []int{cell}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		for _, r := range byCell[c] {
			if seenRel[r] {
				continue
			}
			seenRel[r] = true
			out = append(out, r)
			for _, term := range t.Relations[r].Terms {
				if t.Cells[term.Cell].Hidden && !seenCell[term.Cell] {
					seenCell[term.Cell] = true
					queue = append(queue, term.Cell)
				}
			}
		}
	}
	return out
}

// relationsOf lists, per cell, the relations it appears in.
func (t *Table) relationsOf() [][]int {
	by := make([][]int, len(t.Cells))
	for r, rel := range t.Relations {
		for _, term := range rel.Terms {
			if !slices.Contains(by[term.Cell], r) {
				by[term.Cell] = append(by[term.Cell], r)
			}
		}
	}
	return by
}

// candidates returns the shown, printed, non-zero cells of the relations,
// cheapest first: lowest cost, then smallest value, then first.
func (t *Table) candidates(rels []int) []int {
	var out []int
	seen := map[int]bool{}
	for _, r := range rels {
		for _, term := range t.Relations[r].Terms {
			c := &t.Cells[term.Cell]
			if c.Hidden || c.Implicit || !(c.Value > 0) || seen[term.Cell] {
				continue
			}
			seen[term.Cell] = true
			out = append(out, term.Cell)
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		ca, cb := &t.Cells[out[a]], &t.Cells[out[b]]
		if ca.Cost != cb.Cost {
			return ca.Cost < cb.Cost
		}
		if ca.Value != cb.Value {
			return ca.Value < cb.Value
		}
		return out[a] < out[b]
	})
	return out
}

// Labels says, per published field of a row, why it is hidden (the
// "suppressed" object of a table's JSON).
type Labels map[string]Reason

// Set records why a field is hidden.
func (l *Labels) Set(field string, why Reason) {
	if *l == nil {
		*l = Labels{}
	}
	(*l)[field] = why
}

// Has reports whether a field is hidden by suppression.
func (l Labels) Has(field string) bool { _, ok := l[field]; return ok }
