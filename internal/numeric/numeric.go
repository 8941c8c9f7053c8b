package numeric

import (
	"math"
	"sort"
)

// Fenwick is a binary indexed tree (Fenwick 1994) of weights by rank: Add
// and the prefix sum Below are O(log n). Concordance indices use it to
// count, for each event, the weight of comparable subjects ranked below.
type Fenwick struct {
	t     []float64
	Total float64
}

// NewFenwick returns a tree for ranks 0..n−1.
func NewFenwick(n int) *Fenwick { return &Fenwick{t: make([]float64, n+1)} }

// Add adds w at rank i.
func (f *Fenwick) Add(i int, w float64) {
	f.Total += w
	for i++; i < len(f.t); i += i & -i {
		f.t[i] += w
	}
}

// Below returns the total weight at ranks < i.
func (f *Fenwick) Below(i int) float64 {
	s := 0.0
	for ; i > 0; i -= i & -i {
		s += f.t[i]
	}
	return s
}

// Quantile is R's default quantile (type 7) of sorted x: linear
// interpolation between order statistics at h = (n − 1)·q.
func Quantile(sorted []float64, q float64) float64 {
	h := float64(len(sorted)-1) * q
	lo := math.Floor(h)
	if int(lo)+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[int(lo)] + (h-lo)*(sorted[int(lo)+1]-sorted[int(lo)])
}

// PercentileInterval is the bootstrap percentile interval at a confidence
// level of replicate estimates (sorted in place): the (1−level)/2 and
// (1+level)/2 quantiles, interpolated as R's quantile type 7 (Efron &
// Tibshirani 1993, ch. 13).
func PercentileInterval(replicates []float64, level float64) (lower, upper float64) {
	sort.Float64s(replicates)
	a := (1 - level) / 2
	return Quantile(replicates, a), Quantile(replicates, 1-a)
}
