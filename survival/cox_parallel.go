package survival

import (
	"runtime"
	"sync"
)

// block is the rows a death time adds to the risk set, in the descending
// sweep without delayed entry: rows [lo, hi) (the censored since the last
// death time, and all rows at this time), of which [lo+…, dEnd) die.
type block struct {
	lo, hi     int
	dLo, dEnd  int
	time       float64
	stratum    int
	firstOfStr bool
}

// parallelMinRows is the size from which the sweep runs on all cores.
var parallelMinRows = 20000

// maxBlockBytes bounds the memory of the per-block sums; beyond it (data
// with a great many distinct death times) the sweep stays sequential.
const maxBlockBytes = 256 << 20

// deathBlocks splits the sorted rows at death times, or returns nil when
// the parallel sweep would not pay or would take too much memory.
func (m *coxModel) deathBlocks() []block {
	if m.n < parallelMinRows || runtime.GOMAXPROCS(0) < 2 {
		return nil
	}
	var blocks []block
	for st := 0; st+1 < len(m.strata); st++ {
		lo, hi := m.strata[st], m.strata[st+1]
		start := lo
		first := true
		for k := lo; k < hi; {
			t := m.time[k]
			j := k
			for j < hi && m.time[j] == t {
				j++
			}
			if m.event[k] { // events sort first within a time
				dEnd := k
				for dEnd < j && m.event[dEnd] {
					dEnd++
				}
				blocks = append(blocks, block{lo: start, hi: j, dLo: k, dEnd: dEnd, time: t, stratum: st, firstOfStr: first})
				first = false
				start = j
			}
			k = j
		}
	}
	per := 2 * (1 + m.p + m.p*m.p) * 8
	if len(blocks)*per > maxBlockBytes {
		return nil
	}
	return blocks
}

// parallelRows runs f on contiguous ranges of [0, n) on every core.
func parallelRows(n int, f func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0)
	if n < 20000 || w < 2 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for i := 0; i < w; i++ {
		lo, hi := i*n/w, (i+1)*n/w
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}

// sweepBlocks is sweep without delayed entry: the sums of each death
// time's block are computed in parallel, then added up in time order.
func (m *coxModel) sweepBlocks(risk, etas []float64, needS2 bool, visit func(s *sums)) []float64 {
	p := m.p
	width := 1 + p
	if needS2 {
		width += p * p
	}
	nb := len(m.blocks)
	add := reuse(&m.blockAdd, nb*width)   // Σ over the block's rows
	dead := reuse(&m.blockDead, nb*width) // Σ over its deaths
	dw := reuse(&m.blockDeathW, nb)
	accumulate := func(dst []float64, lo, hi int) {
		for k := lo; k < hi; k++ {
			r := m.w[k] * risk[k]
			dst[0] += r
			row := m.x[k*p : k*p+p]
			s1 := dst[1 : 1+p]
			for j, v := range row {
				s1[j] += r * v
			}
			if needS2 {
				s2 := dst[1+p : 1+p+p*p]
				for j := 0; j < p; j++ {
					rj := r * row[j]
					out := s2[j*p : j*p+j+1]
					for l := range out {
						out[l] += rj * row[l]
					}
				}
			}
		}
	}
	// Split the blocks into contiguous ranges with about equal rows.
	parallelRows(m.n, func(lo, hi int) {
		for b := range m.blocks {
			bl := &m.blocks[b]
			// A block belongs to the range holding its first row.
			if bl.lo < lo || bl.lo >= hi {
				continue
			}
			accumulate(add[b*width:(b+1)*width], bl.lo, bl.hi)
			accumulate(dead[b*width:(b+1)*width], bl.dLo, bl.dEnd)
			for k := bl.dLo; k < bl.dEnd; k++ {
				dw[b] += m.w[k]
			}
		}
	})
	s := &sums{s1: make([]float64, p), d1: make([]float64, p), p: p, needS2: needS2, risk: risk, eta: etas}
	if needS2 {
		s.s2 = make([]float64, p*p)
		s.d2 = make([]float64, p*p)
	}
	for b := range m.blocks {
		bl := &m.blocks[b]
		if bl.firstOfStr {
			s.s0 = 0
			clear(s.s1)
			if needS2 {
				clear(s.s2)
			}
		}
		a := add[b*width : (b+1)*width]
		d := dead[b*width : (b+1)*width]
		s.s0 += a[0]
		s.d0 = d[0]
		for j := 0; j < p; j++ {
			s.s1[j] += a[1+j]
			s.d1[j] = d[1+j]
		}
		if needS2 {
			for j := 0; j < p*p; j++ {
				s.s2[j] += a[1+p+j]
				s.d2[j] = d[1+p+j]
			}
		}
		s.dw, s.nd = dw[b], bl.dEnd-bl.dLo
		s.lo, s.hi, s.time, s.stratum = bl.dLo, bl.dEnd, bl.time, bl.stratum
		visit(s)
	}
	return risk
}
