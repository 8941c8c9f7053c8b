package evaluation

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/screenlab/screenlab/internal/radix"
)

// Lowess smooths y against x by locally weighted linear regression
// (Cleveland 1979) as R's lowess(x, y, f, iter) with its default delta of
// 1% of the range of x: each fit uses the ⌊f·n⌋ nearest points with
// tricube weights; points within delta of the last fitted one are
// interpolated linearly instead of fitted; iter robustness iterations
// (bisquare weights of the residuals) follow. It returns x sorted (ties in
// input order) and the smoothed values.
func Lowess(x, y []float64, f float64, iter int) (xs, ys []float64) {
	return lowessOrdered(x, y, radix.SortedIndex(x), f, iter) // stable, as R's order(x) in lowess
}

// lowessOrdered is Lowess given idx, the stable ascending order of x.
func lowessOrdered(x, y []float64, idx []int, f float64, iter int) (xs, ys []float64) {
	n := len(x)
	xs, yy := make([]float64, n), make([]float64, n)
	for k, i := range idx {
		xs[k], yy[k] = x[i], y[i]
	}
	ys = make([]float64, n)
	if n < 2 {
		copy(ys, yy)
		return xs, ys
	}
	delta := 0.01 * (xs[n-1] - xs[0])
	ns := max(2, min(n, int(f*float64(n)+1e-7)))
	var rw, res []float64 // robustness weights and residuals, when iterating
	if iter > 0 {
		rw, res = make([]float64, n), make([]float64, n)
	}
	plan := lowessPlan(xs, ns, delta)
	fits := make([]float64, len(plan))
	fitted := make([]bool, len(plan))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(plan)/8))
	ws := make([][]float64, workers)
	for it := 1; it <= iter+1; it++ {
		// The fits are independent: computed in parallel, each exactly as
		// alone, then laid out and interpolated in order.
		var next atomic.Int64
		var wg sync.WaitGroup
		for k := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if ws[k] == nil {
					ws[k] = make([]float64, n)
				}
				for q := int(next.Add(1) - 1); q < len(plan); q = int(next.Add(1) - 1) {
					fp := plan[q]
					fits[q], fitted[q] = lowestFit(xs, yy, xs[fp.i], fp.nleft, fp.nright, ws[k], it > 1, rw)
				}
			}()
		}
		wg.Wait()
		last := -1
		for q, fp := range plan {
			i := fp.i
			if fitted[q] {
				ys[i] = fits[q]
			} else {
				ys[i] = yy[i]
			}
			if last < i-1 {
				denom := xs[i] - xs[last]
				for j := last + 1; j < i; j++ {
					alpha := (xs[j] - xs[last]) / denom
					ys[j] = alpha*ys[i] + (1-alpha)*ys[last]
				}
			}
			for j := i + 1; j <= fp.ties; j++ { // the same x: the same value
				ys[j] = ys[i]
			}
			last = fp.ties
		}
		for k := range res {
			res[k] = yy[k] - ys[k]
		}
		if it > iter {
			break
		}
		sc := 0.0
		for _, r := range res {
			sc += math.Abs(r)
		}
		sc /= float64(n)
		abs := make([]float64, n)
		for k, r := range res {
			abs[k] = math.Abs(r)
		}
		radix.SortFloat64s(abs)
		var cmad float64
		if n%2 == 0 {
			cmad = 3 * (abs[n/2] + abs[n/2-1])
		} else {
			cmad = 6 * abs[n/2]
		}
		if cmad < 1e-7*sc {
			break
		}
		c9, c1 := 0.999*cmad, 0.001*cmad
		for k, r := range res {
			r = math.Abs(r)
			switch {
			case r <= c1:
				rw[k] = 1
			case r <= c9:
				u := r / cmad
				rw[k] = (1 - u*u) * (1 - u*u)
			default:
				rw[k] = 0
			}
		}
	}
	return xs, ys
}

// lowessFit is one point lowess fits: row i over the window [nleft,
// nright]; rows i+1..ties have the same x and take its value.
type lowessFit struct{ i, nleft, nright, ties int }

// lowessPlan is the points R's clowess fits, in order, with their windows:
// they depend on x alone (the window slides while that shrinks its
// radius; points within delta of the last fit are interpolated), so every
// robustness iteration fits the same ones.
func lowessPlan(xs []float64, ns int, delta float64) []lowessFit {
	n := len(xs)
	var plan []lowessFit
	nleft, nright := 0, ns-1
	i := 0
	for {
		if nright < n-1 && xs[i]-xs[nleft] > xs[nright+1]-xs[i] {
			nleft++
			nright++
			continue
		}
		fp := lowessFit{i: i, nleft: nleft, nright: nright, ties: i}
		last := i
		cut := xs[last] + delta
		for i = last + 1; i < n; i++ {
			if xs[i] > cut {
				break
			}
			if xs[i] == xs[last] {
				last = i
			}
		}
		fp.ties = last
		plan = append(plan, fp)
		i = max(last+1, i-1)
		if last >= n-1 {
			return plan
		}
	}
}

// lowestFit is the local weighted linear fit at xv over the window
// [nleft, nright] (extended right over ties), as R's lowest().
func lowestFit(x, y []float64, xv float64, nleft, nright int, w []float64, userw bool, rw []float64) (float64, bool) {
	n := len(x)
	rng := x[n-1] - x[0]
	h := math.Max(xv-x[nleft], x[nright]-xv)
	h9, h1 := 0.999*h, 0.001*h
	a := 0.0
	j := nleft
	for ; j < n; j++ {
		w[j] = 0
		r := math.Abs(x[j] - xv)
		if r <= h9 {
			if r <= h1 {
				w[j] = 1
			} else {
				u := r / h
				u = 1 - u*u*u
				w[j] = u * u * u
			}
			if userw {
				w[j] *= rw[j]
			}
			a += w[j]
		} else if x[j] > xv {
			break
		}
	}
	nrt := j - 1
	if a <= 0 {
		return 0, false
	}
	// R's passes (normalise; the weighted mean; the weighted variance;
	// the slope's factor; the fitted value), with the ones that can share
	// a loop fused: each value and sum is computed by the same operations
	// in the same order as R's.
	sum := a
	if h <= 0 {
		ys := 0.0
		for j := nleft; j <= nrt; j++ {
			w[j] /= sum
			ys += w[j] * y[j]
		}
		return ys, true
	}
	a = 0
	for j := nleft; j <= nrt; j++ {
		w[j] /= sum
		a += w[j] * x[j]
	}
	b := xv - a
	c := 0.0
	for j := nleft; j <= nrt; j++ {
		c += w[j] * (x[j] - a) * (x[j] - a)
	}
	ys := 0.0
	if math.Sqrt(c) > 0.001*rng {
		b /= c
		for j := nleft; j <= nrt; j++ {
			ys += w[j] * (b*(x[j]-a) + 1) * y[j]
		}
		return ys, true
	}
	for j := nleft; j <= nrt; j++ {
		ys += w[j] * y[j]
	}
	return ys, true
}
