package radix

import (
	"math"
	"slices"
)

// FloatKey maps a float64 to a uint64 in the same order (negative numbers
// reversed, the sign bit flipped), so that floats can be radix sorted.
// NaN sorts after +Inf.
func FloatKey(f float64) uint64 {
	b := math.Float64bits(f)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

// OrderBy returns rows stably reordered by key, ascending, with an LSD
// radix sort on 16-bit digits; passes whose digit is the same for every
// row are skipped, so day-valued times take two passes.
func OrderBy(rows []int, key func(i int) uint64) []int {
	n := len(rows)
	keys := make([]uint64, n)
	for k, i := range rows {
		keys[k] = key(i)
	}
	pos := make([]int32, n)
	for k := range pos {
		pos[k] = int32(k)
	}
	tmp := make([]int32, n)
	count := make([]int, 1<<16)
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count)
		for _, k := range keys {
			count[(k>>shift)&0xffff]++
		}
		if n == 0 || count[(keys[0]>>shift)&0xffff] == n {
			continue
		}
		sum := 0
		for b, c := range count {
			count[b] = sum
			sum += c
		}
		for _, p := range pos {
			b := (keys[p] >> shift) & 0xffff
			tmp[count[b]] = p
			count[b]++
		}
		pos, tmp = tmp, pos
	}
	out := make([]int, n)
	for k, p := range pos {
		out[k] = rows[p]
	}
	return out
}

// Identity returns 0..n−1.
func Identity(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// SortedIndex returns the indices of x in increasing order (stable).
func SortedIndex(x []float64) []int {
	return OrderBy(Identity(len(x)), func(i int) uint64 { return FloatKey(x[i]) })
}

// SortFloat64s sorts x in increasing order in place, through SortedIndex
// (the one radix sort of this package), for the large float slices of
// calibration and evaluation; the result equals sort.Float64s' for
// numbers (NaNs, which sort.Float64s puts first, go by their sign bit
// here).
func SortFloat64s(x []float64) {
	if len(x) < 256 {
		slices.Sort(x)
		return
	}
	sorted := make([]float64, len(x))
	for k, i := range SortedIndex(x) {
		sorted[k] = x[i]
	}
	copy(x, sorted)
}
