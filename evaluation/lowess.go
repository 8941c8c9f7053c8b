package evaluation

import (
	"math"

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
	w := make([]float64, n)
	rw := make([]float64, n)
	res := make([]float64, n)
	for it := 1; it <= iter+1; it++ {
		nleft, nright := 0, ns-1
		last := -1
		i := 0
		for {
			if nright < n-1 {
				// Move the window right while that shrinks its radius.
				if xs[i]-xs[nleft] > xs[nright+1]-xs[i] {
					nleft++
					nright++
					continue
				}
			}
			v, ok := lowestFit(xs, yy, xs[i], nleft, nright, w, it > 1, rw)
			if ok {
				ys[i] = v
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
			last = i
			cut := xs[last] + delta
			for i = last + 1; i < n; i++ {
				if xs[i] > cut {
					break
				}
				if xs[i] == xs[last] {
					ys[i] = ys[last]
					last = i
				}
			}
			i = max(last+1, i-1)
			if last >= n-1 {
				break
			}
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
	for j := nleft; j <= nrt; j++ {
		w[j] /= a
	}
	if h > 0 {
		a = 0
		for j := nleft; j <= nrt; j++ {
			a += w[j] * x[j]
		}
		b := xv - a
		c := 0.0
		for j := nleft; j <= nrt; j++ {
			c += w[j] * (x[j] - a) * (x[j] - a)
		}
		if math.Sqrt(c) > 0.001*rng {
			b /= c
			for j := nleft; j <= nrt; j++ {
				w[j] *= b*(x[j]-a) + 1
			}
		}
	}
	ys := 0.0
	for j := nleft; j <= nrt; j++ {
		ys += w[j] * y[j]
	}
	return ys, true
}
