package suppress

import "math"

// tableau is a dense simplex tableau for min cᵀy subject to A y ≤ b,
// y ≥ 0 (Dantzig 1963, Linear Programming and Extensions, ch. 5–7). It is
// built and made feasible once (phase 1, with an artificial variable for
// every row whose b is negative), then minimises objective after objective
// from the last basis: the audit asks a dozen questions of one set of
// constraints, and each warm start takes a few pivots. Entering columns
// follow Dantzig's rule, and Bland's (1977) smallest-index rule after a run
// of degenerate pivots, so it cannot cycle.
type tableau struct {
	rows  [][]float64 // each: columns, then the right-hand side
	basis []int
	nv    int // structural columns; then one slack per row, then artificials
	cols  int
	enter []bool // columns that may enter the basis
}

const simplexTol = 1e-9

// newTableau builds the phase-1 tableau and makes it feasible; ok is false
// when A y ≤ b, y ≥ 0 has no solution.
func newTableau(A [][]float64, b []float64, nv int) (t *tableau, ok bool) {
	m := len(A)
	arts := 0
	for _, v := range b {
		if v < 0 {
			arts++
		}
	}
	t = &tableau{nv: nv, cols: nv + m + arts, basis: make([]int, m)}
	t.enter = make([]bool, t.cols)
	for j := 0; j < nv+m; j++ {
		t.enter[j] = true
	}
	art := nv + m
	phase1 := make([]float64, t.cols)
	for i := range A {
		row := make([]float64, t.cols+1)
		copy(row, A[i])
		row[nv+i] = 1
		row[t.cols] = b[i]
		if b[i] < 0 {
			for j := range row {
				row[j] = -row[j]
			}
			row[art] = 1
			phase1[art] = 1
			t.enter[art] = true
			t.basis[i] = art
			art++
		} else {
			t.basis[i] = nv + i
		}
		t.rows = append(t.rows, row)
	}
	if arts == 0 {
		return t, true
	}
	if v, _ := t.minimise(phase1); v > 1e-7*(1+t.scale()) {
		return t, false
	}
	// Artificials leave and never come back; one still basic (at zero)
	// is pivoted out where its row allows.
	for j := nv + m; j < t.cols; j++ {
		t.enter[j] = false
	}
	for i, bj := range t.basis {
		if bj < nv+m {
			continue
		}
		for j := 0; j < nv+m; j++ {
			if math.Abs(t.rows[i][j]) > simplexTol {
				t.pivot(i, j)
				break
			}
		}
	}
	return t, true
}

// scale is the largest right-hand side, for tolerances.
func (t *tableau) scale() float64 {
	s := 0.0
	for _, r := range t.rows {
		s = math.Max(s, math.Abs(r[t.cols]))
	}
	return s
}

// minimise returns min cᵀy from the current basis, or unbounded.
func (t *tableau) minimise(c []float64) (value float64, unbounded bool) {
	m := len(t.rows)
	d := make([]float64, t.cols)
	degenerate := 0
	for iter := 0; iter < 50000; iter++ {
		// reduced costs d_j = c_j − Σ_i c_basis(i) a_ij
		copy(d, c)
		for i, bj := range t.basis {
			if cb := c[bj]; cb != 0 {
				row := t.rows[i]
				for j := range d {
					d[j] -= cb * row[j]
				}
			}
		}
		bland := degenerate > 50
		enter := -1
		for j := 0; j < t.cols; j++ {
			if !t.enter[j] || d[j] >= -simplexTol {
				continue
			}
			if enter < 0 || !bland && d[j] < d[enter] {
				enter = j
				if bland {
					break
				}
			}
		}
		if enter < 0 {
			break
		}
		leave := -1
		best := math.Inf(1)
		for i := 0; i < m; i++ {
			a := t.rows[i][enter]
			if a <= simplexTol {
				continue
			}
			r := t.rows[i][t.cols] / a
			if r < best-1e-12 || r <= best+1e-12 && leave >= 0 && t.basis[i] < t.basis[leave] {
				best, leave = r, i
			}
		}
		if leave < 0 {
			return math.Inf(-1), true
		}
		if best <= 1e-12 {
			degenerate++
		} else {
			degenerate = 0
		}
		t.pivot(leave, enter)
	}
	value = 0
	for i, bj := range t.basis {
		value += c[bj] * t.rows[i][t.cols]
	}
	return value, false
}

// pivot makes column j basic in row r.
func (t *tableau) pivot(r, j int) {
	pr := t.rows[r]
	p := pr[j]
	for k := range pr {
		pr[k] /= p
	}
	for i, row := range t.rows {
		if i == r {
			continue
		}
		f := row[j]
		if f == 0 {
			continue
		}
		for k, v := range pr {
			if v != 0 {
				row[k] -= f * v
			}
		}
		row[j] = 0
	}
	t.basis[r] = j
}

// value returns structural variable j in the current solution.
func (t *tableau) value(j int) float64 {
	for i, bj := range t.basis {
		if bj == j {
			return t.rows[i][t.cols]
		}
	}
	return 0
}
