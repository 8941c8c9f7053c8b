package survival

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/screenlab/screenlab/internal/radix"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// CIFPoint is the cumulative incidence of a cause at a time.
type CIFPoint struct {
	Time   float64 `json:"time"`
	CIF    float64 `json:"cif"`
	StdErr float64 `json:"std_err"`
	Lower  float64 `json:"lower"`
	Upper  float64 `json:"upper"`
	// NRisk is the number still under follow-up at Time (time >= Time).
	NRisk float64 `json:"n_risk"`
}

// KeyColumns names a curve's rows in a tidy table: its cause and group.
func (c CIFCurve) KeyColumns() ([]string, []string) {
	return []string{"cause", "group"}, []string{strconv.Itoa(c.Cause), c.Group}
}

// CIFCurve is the cumulative incidence of one cause in one group: its
// jumps (Table) and its values at requested times (At).
type CIFCurve struct {
	Cause    int        `json:"cause"`
	Group    string     `json:"group"`
	N        int        `json:"n"`
	Table    []CIFPoint `json:"table"`
	At       []CIFPoint `json:"at"`
	Warnings []string   `json:"warnings,omitempty"`
	lastTime float64
	sorted   []float64 // every follow-up time, increasing
	censored []float64 // censoring times
}

// AtRisk is the number still under follow-up at t (time >= t).
func (c *CIFCurve) AtRisk(t float64) float64 {
	return float64(len(c.sorted) - sort.SearchFloat64s(c.sorted, t))
}

// CensorTimes lists the times of censoring.
func (c *CIFCurve) CensorTimes() []float64 { return c.censored }

// ValueAt is F(t), the curve at the last jump at or before t.
func (c *CIFCurve) ValueAt(t float64) float64 {
	k := sort.Search(len(c.Table), func(i int) bool { return c.Table[i].Time > t }) - 1
	if k < 0 {
		return 0
	}
	return c.Table[k].CIF
}

// CumulativeIncidence estimates the cumulative incidence of cause c,
//
//	F_c(t) = Σ_{t_i ≤ t} S(t_i−) d_ci / n_i
//
// (the Aalen–Johansen estimator; Kalbfleisch & Prentice 1980), where S is
// the Kaplan–Meier curve for any event, with the asymptotic variance of
// Gray (as cmprsk::cuminc computes it, events of any cause before
// censorings at a tied time). status is 0 for censored and 1..k for the
// cause. Confidence limits are built on the log(−log F) scale.
func CumulativeIncidence(time []float64, status []int, cause int, times []float64, level float64) (*CIFCurve, error) {
	if len(status) != len(time) {
		panic("survival: slice length mismatch")
	}
	if err := checkTimes(time, nil, nil); err != nil {
		return nil, err
	}
	for i, s := range status {
		if s < 0 {
			return nil, &InputError{Row: i, Msg: fmt.Sprintf("status %d: want 0 (censored) or a cause 1..k", s)}
		}
	}
	if level == 0 {
		level = 0.95
	}
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	order := radix.SortedIndex(time)
	n := len(time)
	cur := &CIFCurve{Cause: cause}
	sPrev := 1.0 // S(t−), any cause
	f := 0.0     // F_c(t)
	v1, v2, v3 := 0.0, 0.0, 0.0
	for a := 0; a < n; {
		t := time[order[a]]
		b := a
		var d1, d2 float64
		for ; b < n && time[order[b]] == t; b++ {
			switch s := status[order[b]]; {
			case s == cause:
				d1++
			case s > 0:
				d2++
			}
		}
		rs := float64(n - a)
		if d1+d2 > 0 {
			sNext := sPrev * (rs - d1 - d2) / rs
			if d1 > 0 {
				f += sPrev * d1 / rs
			}
			// Competing causes: their contribution to the variance.
			if d2 > 0 && sNext > 0 {
				t6 := sPrev * sPrev * tieFactor(d2, rs) * d2 / (rs * rs)
				inv, g := 1/sNext, f/sNext
				v1 += g * g * t6
				v2 += inv * g * t6
				v3 += inv * inv * t6
			}
			if d1 > 0 {
				t6 := sPrev * sPrev * tieFactor(d1, rs) * d1 / (rs * rs)
				inv := 0.0
				if sNext > 0 {
					inv = 1 / sNext
				}
				g := 1 + inv*f
				v1 += g * g * t6
				v2 += inv * g * t6
				v3 += inv * inv * t6
				v := v1 + f*f*v3 - 2*f*v2
				p := CIFPoint{Time: t, CIF: f, StdErr: math.Sqrt(v), NRisk: rs}
				p.Lower, p.Upper = cifLimits(f, p.StdErr, z)
				cur.Table = append(cur.Table, p)
			}
			sPrev = sNext
		}
		a = b
	}
	if n > 0 {
		cur.lastTime = time[order[n-1]]
	}
	cur.N = n
	cur.sorted = make([]float64, n)
	for k, i := range order {
		cur.sorted[k] = time[i]
		if status[i] == 0 {
			cur.censored = append(cur.censored, time[i])
		}
	}
	for _, t := range times {
		if t > cur.lastTime {
			cur.Warnings = append(cur.Warnings, fmt.Sprintf("time %g is after the last follow-up time %g: not reported", t, cur.lastTime))
			continue
		}
		k := sort.Search(len(cur.Table), func(i int) bool { return cur.Table[i].Time > t }) - 1
		p := CIFPoint{Time: t, Lower: math.NaN(), Upper: math.NaN(), NRisk: cur.AtRisk(t)}
		if k >= 0 {
			p.CIF, p.StdErr, p.Lower, p.Upper = cur.Table[k].CIF, cur.Table[k].StdErr, cur.Table[k].Lower, cur.Table[k].Upper
		}
		cur.At = append(cur.At, p)
	}
	return cur, nil
}

// tieFactor is 1 − (d − 1)/(n − 1) for d > 1 tied events among n at risk.
func tieFactor(d, n float64) float64 {
	if d > 1 {
		return 1 - (d-1)/(n-1)
	}
	return 1
}

// cifLimits builds a confidence interval on the log(−log F) scale.
func cifLimits(f, se, z float64) (float64, float64) {
	if f <= 0 || f >= 1 || se == 0 || math.IsNaN(se) {
		return math.NaN(), math.NaN()
	}
	h := z * se / (f * math.Log(f))
	return math.Pow(f, math.Exp(-h)), math.Pow(f, math.Exp(h))
}

// GrayTest compares the cumulative incidence of one cause among groups
// (codes 0..k−1), Gray (1988), with the G-rho weight (1 − F(t−))^rho as
// cmprsk::cuminc; strata (optional codes) sum the scores and variances. The
// statistic s' V⁻¹ s has k − 1 degrees of freedom.
func GrayTest(time []float64, status []int, cause int, group []int, k int, strata []int, rho float64) (Test, error) {
	n := len(time)
	if len(status) != n || len(group) != n || (strata != nil && len(strata) != n) {
		panic("survival: slice length mismatch")
	}
	if k < 2 {
		return Test{}, fmt.Errorf("gray: need two or more groups")
	}
	s := make([]float64, k-1)
	v := mat.NewSymDense(k-1, nil)
	byStratum := map[int][]int{}
	for i := 0; i < n; i++ {
		st := 0
		if strata != nil {
			st = strata[i]
		}
		byStratum[st] = append(byStratum[st], i)
	}
	keys := make([]int, 0, len(byStratum))
	for st := range byStratum {
		keys = append(keys, st)
	}
	sort.Ints(keys)
	for _, st := range keys {
		rows := radix.OrderBy(byStratum[st], func(i int) uint64 { return radix.FloatKey(time[i]) })
		graySums(time, status, cause, group, k, rows, rho, s, v)
	}
	var x mat.VecDense
	if err := x.SolveVec(v, mat.NewVecDense(k-1, s)); err != nil {
		return Test{}, fmt.Errorf("gray: variance matrix is singular: %w", err)
	}
	stat := mat.Dot(&x, mat.NewVecDense(k-1, s))
	return Test{Chisq: stat, DF: k - 1, P: distuv.ChiSquared{K: float64(k - 1)}.Survival(stat)}, nil
}

// graySums adds the score and variance of one stratum (rows sorted by
// time) to s and v.
func graySums(time []float64, status []int, cause int, group []int, k int, rows []int, rho float64, s []float64, v *mat.SymDense) {
	rs := make([]float64, k)
	for _, i := range rows {
		rs[group[i]]++
	}
	f1m, f1 := make([]float64, k), make([]float64, k) // group CIF, left and right limits
	skmm, skm := make([]float64, k), make([]float64, k)
	for g := range skmm {
		skmm[g], skm[g] = 1, 1
	}
	c := make([]float64, k*k) // cumulative
	a := make([]float64, k*k)
	v3 := make([]float64, k)
	v2 := make([]float64, (k-1)*k)
	vv := make([]float64, (k-1)*(k-1))
	d1g, d2g := make([]float64, k), make([]float64, k)
	fm := 0.0
	n := len(rows)
	for lo := 0; lo < n; {
		t := time[rows[lo]]
		hi := lo
		clear(d1g)
		clear(d2g)
		for ; hi < n && time[rows[hi]] == t; hi++ {
			i := rows[hi]
			switch st := status[i]; {
			case st == cause:
				d1g[group[i]]++
			case st > 0:
				d2g[group[i]]++
			}
		}
		var nd1, nd2 float64
		for g := 0; g < k; g++ {
			nd1 += d1g[g]
			nd2 += d2g[g]
		}
		if nd1 > 0 || nd2 > 0 {
			tr, tq := 0.0, 0.0
			for g := 0; g < k; g++ {
				if rs[g] <= 0 {
					continue
				}
				skm[g] = skmm[g] * (rs[g] - d1g[g] - d2g[g]) / rs[g]
				f1[g] = f1m[g] + skmm[g]*d1g[g]/rs[g]
				tr += rs[g] / skmm[g]
				tq += rs[g] * (1 - f1m[g]) / skmm[g]
			}
			f := fm + nd1/tr
			fb := math.Pow(1-fm, rho)
			clear(a)
			for i := 0; i < k; i++ {
				if rs[i] <= 0 {
					continue
				}
				t1 := rs[i] / skmm[i]
				a[i*k+i] = fb * t1 * (1 - t1/tr)
				c[i*k+i] += a[i*k+i] * nd1 / (tr * (1 - fm))
				for j := i + 1; j < k; j++ {
					if rs[j] <= 0 {
						continue
					}
					a[i*k+j] = -fb * t1 * rs[j] / (skmm[j] * tr)
					c[i*k+j] += a[i*k+j] * nd1 / (tr * (1 - fm))
				}
			}
			for i := 1; i < k; i++ {
				for j := 0; j < i; j++ {
					a[i*k+j] = a[j*k+i]
					c[i*k+j] = c[j*k+i]
				}
			}
			for i := 0; i < k-1; i++ {
				if rs[i] > 0 {
					s[i] += fb * (d1g[i] - nd1*rs[i]*(1-f1m[i])/(skmm[i]*tq))
				}
			}
			if nd1 > 0 {
				for g := 0; g < k; g++ {
					if rs[g] <= 0 {
						continue
					}
					t4 := 1.0
					if skm[g] > 0 {
						t4 = 1 - (1-f)/skm[g]
					}
					t5 := 1.0
					if nd1 > 1 {
						t5 = 1 - (nd1-1)/(tr*skmm[g]-1)
					}
					t3 := t5 * skmm[g] * nd1 / (tr * rs[g])
					v3[g] += t4 * t4 * t3
					for i := 0; i < k-1; i++ {
						t1 := a[i*k+g] - t4*c[i*k+g]
						v2[i*k+g] += t1 * t4 * t3
						for j := 0; j <= i; j++ {
							vv[i*(k-1)+j] += t1 * (a[j*k+g] - t4*c[j*k+g]) * t3
						}
					}
				}
			}
			if nd2 > 0 {
				for g := 0; g < k; g++ {
					if skm[g] <= 0 || d2g[g] <= 0 {
						continue
					}
					t4 := (1 - f) / skm[g]
					t3 := tieFactor(d2g[g], rs[g]) * skmm[g] * skmm[g] * d2g[g] / (rs[g] * rs[g])
					v3[g] += t4 * t4 * t3
					for i := 0; i < k-1; i++ {
						t1 := t4 * c[i*k+g]
						v2[i*k+g] -= t1 * t4 * t3
						for j := 0; j <= i; j++ {
							vv[i*(k-1)+j] += t1 * t4 * c[j*k+g] * t3
						}
					}
				}
			}
			fm = f
		}
		for q := lo; q < hi; q++ {
			rs[group[rows[q]]]--
		}
		copy(f1m, f1)
		copy(skmm, skm)
		lo = hi
	}
	for i := 0; i < k-1; i++ {
		for j := 0; j <= i; j++ {
			x := vv[i*(k-1)+j]
			for g := 0; g < k; g++ {
				x += c[i*k+g]*c[j*k+g]*v3[g] + c[i*k+g]*v2[j*k+g] + c[j*k+g]*v2[i*k+g]
			}
			v.SetSym(i, j, v.At(i, j)+x)
		}
	}
}
