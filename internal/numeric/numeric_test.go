package numeric

import (
	"math/rand/v2"
	"testing"
)

// TestFenwick compares prefix sums with a direct sum.
func TestFenwick(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	const n = 50
	f := NewFenwick(n)
	w := make([]float64, n)
	for k := 0; k < 500; k++ {
		i, v := r.IntN(n), r.Float64()-0.3
		f.Add(i, v)
		w[i] += v
		j := r.IntN(n + 1)
		want := 0.0
		for _, x := range w[:j] {
			want += x
		}
		if d := f.Below(j) - want; d > 1e-9 || d < -1e-9 {
			t.Fatalf("Below(%d) = %v, want %v", j, f.Below(j), want)
		}
	}
}

// TestQuantile: values of R's quantile(c(1, 2, 4, 8), p) (type 7).
func TestQuantile(t *testing.T) {
	x := []float64{1, 2, 4, 8}
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.25, 1.75}, {0.5, 3}, {0.9, 6.8}, {1, 8}} {
		if got := Quantile(x, c.q); got-c.want > 1e-12 || c.want-got > 1e-12 {
			t.Errorf("Quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
}
