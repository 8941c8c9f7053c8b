package radix

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestSortedIndexMatchesSort: the radix order equals a stable comparison
// sort, for negative numbers, ties, zeros and infinities.
func TestSortedIndexMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 5000)
	for i := range x {
		switch i % 5 {
		case 0:
			x[i] = math.Round(r.NormFloat64() * 10)
		case 1:
			x[i] = r.NormFloat64() * 1e6
		case 2:
			x[i] = 0
		case 3:
			x[i] = math.Copysign(0, -1)
		default:
			x[i] = r.Float64()
		}
	}
	x[7], x[8] = math.Inf(1), math.Inf(-1)
	got := SortedIndex(x)
	want := Identity(len(x))
	sort.SliceStable(want, func(a, b int) bool {
		return x[want[a]] < x[want[b]] || (x[want[a]] == 0 && x[want[b]] == 0 && math.Signbit(x[want[a]]) && !math.Signbit(x[want[b]]))
	})
	for k := range got {
		if x[got[k]] != x[want[k]] {
			t.Fatalf("position %d: %v, want %v", k, x[got[k]], x[want[k]])
		}
	}
	for k := 1; k < len(got); k++ {
		if x[got[k]] == x[got[k-1]] && math.Signbit(x[got[k]]) == math.Signbit(x[got[k-1]]) && got[k] < got[k-1] {
			t.Fatalf("not stable at %d", k)
		}
	}
}

// SortFloat64s gives sort.Float64s' order on numbers of every sign,
// zeros, infinities and ties.
func TestSortFloat64s(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 100, 1000, 70000} {
		x := make([]float64, n)
		for i := range x {
			switch i % 7 {
			case 0:
				x[i] = math.Round(rng.NormFloat64()*10) / 10 // ties
			case 1:
				x[i] = math.Inf(1 - 2*(i%2))
			default:
				x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(20)-10))
			}
		}
		want := append([]float64(nil), x...)
		sort.Float64s(want)
		SortFloat64s(x)
		for i := range x {
			if x[i] != want[i] {
				t.Fatalf("n %d: at %d %v, sort.Float64s %v", n, i, x[i], want[i])
			}
		}
	}
}

// BenchmarkSortedIndex: a million probabilities, as evaluate sorts them.
func BenchmarkSortedIndex(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 1_000_000)
	for i := range x {
		x[i] = math.Round(r.Float64()*1e6) / 1e6
	}
	for b.Loop() {
		SortedIndex(x)
	}
}

// The counting sort of whole numbers gives the radix sort's order, and is
// taken exactly when the values allow it.
func TestCountingOrderMatchesRadix(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cases := []struct {
		name     string
		gen      func(i int) float64
		counting bool
	}{
		{"days", func(i int) float64 { return float64(rng.IntN(7300)) }, true},
		{"negative whole numbers", func(i int) float64 { return float64(rng.IntN(200) - 100) }, true},
		{"all the same", func(i int) float64 { return 42 }, true},
		{"wide range", func(i int) float64 { return float64(rng.IntN(1 << 30)) }, false},
		{"a fraction", func(i int) float64 {
			if i == 999 {
				return 0.5
			}
			return float64(i % 10)
		}, false},
		{"minus zero", func(i int) float64 {
			if i%7 == 0 {
				return math.Copysign(0, -1)
			}
			return float64(i % 3)
		}, false},
		{"infinity", func(i int) float64 { return math.Inf(1) }, false},
		{"NaN", func(i int) float64 {
			if i == 3 {
				return math.NaN()
			}
			return 1
		}, false},
	}
	for _, c := range cases {
		x := make([]float64, 5000)
		for i := range x {
			x[i] = c.gen(i)
		}
		want := OrderBy(Identity(len(x)), func(i int) uint64 { return FloatKey(x[i]) })
		got, ok := countingOrder(x)
		if ok != c.counting {
			t.Errorf("%s: counting sort taken %v, want %v", c.name, ok, c.counting)
		}
		if ok && !slices.Equal(got, want) {
			t.Errorf("%s: counting order differs from the radix order", c.name)
		}
		if s := SortedIndex(x); !slices.Equal(s, want) {
			t.Errorf("%s: SortedIndex differs from the radix order", c.name)
		}
		wantDesc := OrderBy(Identity(len(x)), func(i int) uint64 { return ^FloatKey(x[i]) })
		if got, ok := countingOrderDir(x, true); ok != c.counting || ok && !slices.Equal(got, wantDesc) {
			t.Errorf("%s: descending counting order (taken %v) differs from the radix order", c.name, ok)
		}
		if s := SortedIndexDesc(x); !slices.Equal(s, wantDesc) {
			t.Errorf("%s: SortedIndexDesc differs from the radix order", c.name)
		}
	}
}
