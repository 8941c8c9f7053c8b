package survival

import (
	"container/heap"
	"math"
)

// cellSweep keeps the patients at risk grouped by their life-table cell.
// A patient in a cell with hazard h since time s has 1/S_i(t) =
// a_i·e^{h t} with a_i = e^{Λ_i(s) − h s}, so the cell contributes
// e^{h t}·Σa_i to W(t) = Σ 1/S_i(t): W costs one exponential per occupied
// cell, not one per patient. A patient changes cell at each birthday and
// new year; those changes are events in a heap.
type cellSweep struct {
	lt        *LifeTable
	age, year []float64
	sex       []int

	// per patient
	in   []bool
	cell []int
	a    []float64 // e^{Λ(s) − h s}
	cum  []float64 // Λ at s
	s    []float64 // time of the last cell change
	next []float64 // time of the next cell change

	// per cell
	sumA     []float64
	count    []int
	slot     []int // position in occupied, −1 when empty
	haz      []float64
	occupied []int

	queue  changeQueue
	active int
	hsum   float64 // Σ h over patients at risk
	now    float64
}

type change struct {
	t float64
	i int
}

type changeQueue []change

func (q changeQueue) Len() int           { return len(q) }
func (q changeQueue) Less(a, b int) bool { return q[a].t < q[b].t }
func (q changeQueue) Swap(a, b int)      { q[a], q[b] = q[b], q[a] }
func (q *changeQueue) Push(x any)        { *q = append(*q, x.(change)) }
func (q *changeQueue) Pop() any          { o := *q; x := o[len(o)-1]; *q = o[:len(o)-1]; return x }

func newCellSweep(lt *LifeTable, age, year []float64, sex []int) *cellSweep {
	n := len(age)
	nc := len(lt.haz)
	sw := &cellSweep{lt: lt, age: age, year: year, sex: sex,
		in: make([]bool, n), cell: make([]int, n), a: make([]float64, n), cum: make([]float64, n),
		s: make([]float64, n), next: make([]float64, n),
		sumA: make([]float64, nc), count: make([]int, nc), slot: make([]int, nc), haz: lt.haz}
	for c := range sw.slot {
		sw.slot[c] = -1
	}
	return sw
}

// locate returns patient i's cell at follow-up time t and the time of its
// next cell change.
func (sw *cellSweep) locate(i int, t float64) (int, float64, error) {
	a, y := sw.age[i]+t, sw.year[i]+t
	if _, err := sw.lt.hazard(sw.sex[i], a, y); err != nil {
		return 0, 0, &InputError{Row: i, Msg: err.Error()}
	}
	ai := min(int(math.Floor(a)), sw.lt.maxAge)
	c := sw.lt.index(sw.sex[i], int(math.Floor(y)), ai)
	da := math.Floor(a) + 1 - a
	if int(math.Floor(a)) >= sw.lt.maxAge {
		da = math.Inf(1)
	}
	dy := math.Floor(y) + 1 - y
	return c, t + math.Min(da, dy), nil
}

func (sw *cellSweep) addToCell(i int) {
	c := sw.cell[i]
	sw.sumA[c] += sw.a[i]
	sw.count[c]++
	sw.hsum += sw.haz[c]
	if sw.slot[c] < 0 {
		sw.slot[c] = len(sw.occupied)
		sw.occupied = append(sw.occupied, c)
	}
}

func (sw *cellSweep) removeFromCell(i int) {
	c := sw.cell[i]
	sw.sumA[c] -= sw.a[i]
	sw.count[c]--
	sw.hsum -= sw.haz[c]
	if sw.count[c] == 0 {
		sw.sumA[c] = 0 // no rounding residue in an empty cell
		k := sw.slot[c]
		last := sw.occupied[len(sw.occupied)-1]
		sw.occupied[k], sw.slot[last] = last, k
		sw.occupied = sw.occupied[:len(sw.occupied)-1]
		sw.slot[c] = -1
	}
}

// join puts patient i at risk at follow-up time at.
func (sw *cellSweep) join(i int, at float64) error {
	t, cum := 0.0, 0.0
	for {
		c, next, err := sw.locate(i, t)
		if err != nil {
			return err
		}
		if next > at {
			sw.cell[i], sw.next[i], sw.s[i] = c, next, at
			cum += sw.haz[c] * (at - t)
			sw.cum[i] = cum
			sw.a[i] = math.Exp(cum - sw.haz[c]*at)
			break
		}
		cum += sw.haz[c] * (next - t)
		t = next
	}
	sw.in[i] = true
	sw.active++
	sw.addToCell(i)
	heap.Push(&sw.queue, change{sw.next[i], i})
	return nil
}

// leave takes patient i out of the risk set.
func (sw *cellSweep) leave(i int, t float64) {
	sw.removeFromCell(i)
	sw.in[i] = false
	sw.active--
}

// e returns 1/S_i(t) for a patient at risk (t at or after its last change).
func (sw *cellSweep) e(i int, t float64) float64 {
	return sw.a[i] * math.Exp(sw.haz[sw.cell[i]]*t)
}

// advance applies every cell change up to t and returns Σ over the
// patients at risk of Λ_i(t) − Λ_i(now).
func (sw *cellSweep) advance(t float64) (float64, error) {
	integ := 0.0
	last := sw.now
	for len(sw.queue) > 0 && sw.queue[0].t <= t {
		ch := heap.Pop(&sw.queue).(change)
		i := ch.i
		if !sw.in[i] || ch.t != sw.next[i] {
			continue // left the risk set
		}
		integ += sw.hsum * (ch.t - last)
		last = ch.t
		old := sw.cell[i]
		e := sw.a[i] * math.Exp(sw.haz[old]*ch.t)
		cum := sw.cum[i] + sw.haz[old]*(ch.t-sw.s[i])
		sw.removeFromCell(i)
		c, next, err := sw.locate(i, ch.t)
		if err != nil {
			return 0, err
		}
		sw.cell[i], sw.next[i], sw.s[i], sw.cum[i] = c, next, ch.t, cum
		sw.a[i] = e * math.Exp(-sw.haz[c]*ch.t)
		sw.addToCell(i)
		heap.Push(&sw.queue, change{next, i})
	}
	integ += sw.hsum * (t - last)
	sw.now = t
	return integ, nil
}

// w returns W(t) = Σ 1/S_i(t) over the patients at risk.
func (sw *cellSweep) w(t float64) float64 {
	total := 0.0
	for _, c := range sw.occupied {
		total += sw.sumA[c] * math.Exp(sw.haz[c]*t)
	}
	return total
}
