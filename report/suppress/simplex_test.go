package suppress

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// TestTableauAgainstGonum: on random feasible programs min cᵀy, A y ≤ b,
// y ≥ 0, bounded by a row Σ y ≤ 50, the warm-started tableau finds the
// optimum gonum's Simplex finds (standard form with slacks), objective
// after objective from one basis.
func TestTableauAgainstGonum(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for trial := range 40 {
		nv, m := 2+rng.IntN(5), 2+rng.IntN(5)
		y0 := make([]float64, nv)
		for j := range y0 {
			y0[j] = float64(rng.IntN(6))
		}
		var A [][]float64
		var b []float64
		for range m {
			row := make([]float64, nv)
			v := 0.0
			for j := range row {
				row[j] = float64(rng.IntN(7) - 3)
				v += row[j] * y0[j]
			}
			A, b = append(A, row), append(b, v+float64(rng.IntN(3))) // y0 is feasible
		}
		sum := make([]float64, nv)
		for j := range sum {
			sum[j] = 1
		}
		A, b = append(A, sum), append(b, 50)
		tab, ok := newTableau(A, b, nv)
		if !ok {
			t.Fatalf("trial %d: a feasible program was called infeasible", trial)
		}
		for range 4 {
			c := make([]float64, nv)
			for j := range c {
				c[j] = float64(rng.IntN(9) - 4)
			}
			full := make([]float64, tab.cols)
			copy(full, c)
			got, unbounded := tab.minimise(full)
			if unbounded {
				t.Fatalf("trial %d: bounded program called unbounded", trial)
			}
			// gonum: [A I][y; s] = b
			rows := len(A)
			std := mat.NewDense(rows, nv+rows, nil)
			for i := range A {
				for j, v := range A[i] {
					std.Set(i, j, v)
				}
				std.Set(i, nv+i, 1)
			}
			want, _, err := lp.Simplex(append(append([]float64(nil), c...), make([]float64, rows)...), std, b, 1e-10, nil)
			if err != nil {
				t.Fatalf("trial %d: gonum: %v", trial, err)
			}
			if math.Abs(got-want) > 1e-7*(1+math.Abs(want)) {
				t.Fatalf("trial %d: min %g, gonum %g", trial, got, want)
			}
		}
	}
	if _, ok := newTableau([][]float64{{1}, {-1}}, []float64{1, -2}, 1); ok {
		t.Error("y ≤ 1 and y ≥ 2 is infeasible")
	}
	tab, _ := newTableau([][]float64{{1, -1}}, []float64{1}, 2)
	if _, unbounded := tab.minimise([]float64{-1, 0, 0}); !unbounded {
		t.Error("max y₁ with y₁ − y₂ ≤ 1 is unbounded")
	}
}
