package radix

import (
	"math"
	"slices"
	"unsafe"
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
	return orderBy(len(rows), rows, key)
}

// orderBy is OrderBy over rows, or over 0..n−1 when rows is nil. Its
// buffers are the keys, two int32 position lists and the 16-bit counts;
// the result reuses the keys' memory (fresh memory is what a
// million-row sort pays for most: each first touch of a page faults).
func orderBy(n int, rows []int, key func(i int) uint64) []int {
	row := func(k int) int {
		if rows == nil {
			return k
		}
		return rows[k]
	}
	if n == 0 {
		return []int{}
	}
	keys := make([]uint64, n)
	for k := range keys {
		keys[k] = key(row(k))
	}
	pos := make([]int32, n)
	for k := range pos {
		pos[k] = int32(k)
	}
	var tmp []int32
	count := make([]int, 1<<16)
	for shift := uint(0); shift < 64; shift += 16 {
		clear(count)
		for _, k := range keys {
			count[(k>>shift)&0xffff]++
		}
		if count[(keys[0]>>shift)&0xffff] == n {
			continue
		}
		if tmp == nil {
			tmp = make([]int32, n)
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
	// The keys are no longer read: their memory (8 bytes a row, like an
	// int) holds the result.
	out := unsafe.Slice((*int)(unsafe.Pointer(unsafe.SliceData(keys))), n)
	for k, p := range pos {
		out[k] = row(int(p))
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

// SortedIndex returns the indices of x in increasing order (stable). When
// every value is a whole number in a range no wider than max(n, 65,536)
// (days of follow-up, ages, counts) it is one counting-sort pass over x;
// otherwise the radix sort of OrderBy. The order is the same either way.
func SortedIndex(x []float64) []int {
	if idx, ok := countingOrder(x); ok {
		return idx
	}
	return orderBy(len(x), nil, func(i int) uint64 { return FloatKey(x[i]) })
}

// SortedIndexDesc returns the indices of x in decreasing order, ties in
// increasing index order (stable): OrderBy by ^FloatKey, through the
// counting sort where SortedIndex would use it.
func SortedIndexDesc(x []float64) []int {
	if idx, ok := countingOrderDir(x, true); ok {
		return idx
	}
	return orderBy(len(x), nil, func(i int) uint64 { return ^FloatKey(x[i]) })
}

// countingOrder is SortedIndex by a counting sort (Seward 1954), when x is
// whole numbers in a narrow range; ok is false otherwise. −0 is left to
// the radix sort, which orders it before +0.
func countingOrder(x []float64) (idx []int, ok bool) { return countingOrderDir(x, false) }

// countingOrderDir is countingOrder, in decreasing order when desc.
func countingOrderDir(x []float64, desc bool) (idx []int, ok bool) {
	if len(x) < 256 {
		return nil, false
	}
	lo, hi := x[0], x[0]
	width := float64(max(len(x), 1<<16))
	for _, v := range x {
		// Whole, finite, not −0 and not NaN (NaN fails v == Trunc(v)).
		if v != math.Trunc(v) || math.IsInf(v, 0) || (v == 0 && math.Signbit(v)) {
			return nil, false
		}
		lo, hi = min(lo, v), max(hi, v)
		if hi-lo >= width {
			return nil, false
		}
	}
	base, sign := lo, 1.0
	if desc {
		base, sign = hi, -1
	}
	count := make([]int, int(hi-lo)+1)
	for _, v := range x {
		count[int(sign*(v-base))]++
	}
	sum := 0
	for b, c := range count {
		count[b] = sum
		sum += c
	}
	idx = make([]int, len(x))
	for i, v := range x {
		b := int(sign * (v - base))
		idx[count[b]] = i
		count[b]++
	}
	return idx, true
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
