package survival

import (
	"fmt"
	"math"
	"sort"

	"github.com/screenlab/screenlab/internal/radix"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// LogRankResult is a k-sample test of equal survival.
type LogRankResult struct {
	Chisq    float64   `json:"chisq"`
	DF       int       `json:"df"`
	P        float64   `json:"p"`
	Rho      float64   `json:"rho"`
	Groups   []string  `json:"groups,omitempty"`
	Observed []float64 `json:"observed,omitempty"`
	Expected []float64 `json:"expected,omitempty"`
}

// LogRankOptions control LogRank.
type LogRankOptions struct {
	// Rho selects the Fleming–Harrington G-rho weight S(t−)^rho: 0 is the
	// log-rank test (Mantel 1966), 1 the Peto–Peto modification of the
	// Gehan–Wilcoxon test (as R's survdiff).
	Rho float64
	// Strata, when set, holds a stratum code per row: the test sums the
	// observed, expected and variance over strata.
	Strata []int
	// Entry times for delayed entry (at risk when entry < t <= time).
	Entry []float64
	// Weights are case weights (nil = 1).
	Weights []float64
}

// LogRank tests whether k groups (codes 0..k-1) have the same survival:
//
//	U_g = Σ_t w_t (d_gt − d_t n_gt / n_t)
//	V_gh = Σ_t w_t² d_t (n_t − d_t)/(n_t − 1) · (n_gt / n_t)(δ_gh − n_ht / n_t)
//	χ² = U' V⁻ U on k − 1 degrees of freedom,
//
// with w_t = S(t−)^rho from the pooled Kaplan–Meier curve of the stratum.
// As R's survdiff, groups with no expected events are left out and the
// first remaining group is dropped before solving; df = (groups with
// expected > 0) − 1.
func LogRank(time []float64, event []bool, group []int, k int, opts LogRankOptions) (*LogRankResult, error) {
	n := len(time)
	if len(event) != n || len(group) != n || (opts.Strata != nil && len(opts.Strata) != n) ||
		(opts.Entry != nil && len(opts.Entry) != n) || (opts.Weights != nil && len(opts.Weights) != n) {
		panic("survival: slice length mismatch")
	}
	if err := checkTimes(time, opts.Entry, opts.Weights); err != nil {
		return nil, err
	}
	for i, g := range group {
		if g < 0 || g >= k {
			return nil, &InputError{Row: i, Msg: fmt.Sprintf("group code %d: want 0..%d", g, k-1)}
		}
	}
	w := func(i int) float64 {
		if opts.Weights == nil {
			return 1
		}
		return opts.Weights[i]
	}
	// The rows of each stratum (one stratum, every row, without strata).
	byStratum := map[int][]int{0: nil}
	if opts.Strata != nil {
		size := map[int]int{}
		for _, s := range opts.Strata {
			size[s]++
		}
		byStratum = make(map[int][]int, len(size))
		for s, c := range size {
			byStratum[s] = make([]int, 0, c)
		}
		for i, s := range opts.Strata {
			byStratum[s] = append(byStratum[s], i)
		}
	}
	keys := make([]int, 0, len(byStratum))
	for s := range byStratum {
		keys = append(keys, s)
	}
	sort.Ints(keys)

	obs := make([]float64, k)
	exp := make([]float64, k)
	v := mat.NewSymDense(k, nil)
	nAt := make([]float64, k)
	dAt := make([]float64, k)
	for _, s := range keys {
		var rows []int
		if byStratum[s] == nil {
			rows = radix.SortedIndexDesc(time)
		} else {
			rows = radix.OrderBy(byStratum[s], func(i int) uint64 { return ^radix.FloatKey(time[i]) })
		}
		// Entries per group, sorted descending, to remove subjects with
		// entry >= t as t decreases... handled by adding when t <= entry is
		// passed: walk times downwards adding subjects at their time and
		// removing them once t <= entry.
		var byEntry []int
		if opts.Entry != nil {
			byEntry = radix.OrderBy(rows, func(i int) uint64 { return ^radix.FloatKey(opts.Entry[i]) })
		}
		// Distinct event times in decreasing order, with risk sets built
		// by a downward sweep; the pooled KM (for rho) needs increasing
		// order, so collect first.
		type step struct {
			n, d    float64
			nAt, dA []float64
		}
		var steps []step
		for g := range nAt {
			nAt[g] = 0
		}
		ePos := 0
		for a := 0; a < len(rows); {
			t := time[rows[a]]
			for g := range dAt {
				dAt[g] = 0
			}
			b := a
			for ; b < len(rows) && time[rows[b]] == t; b++ {
				i := rows[b]
				nAt[group[i]] += w(i)
				if event[i] {
					dAt[group[i]] += w(i)
				}
			}
			if byEntry != nil {
				for ePos < len(byEntry) && opts.Entry[byEntry[ePos]] >= t {
					i := byEntry[ePos]
					if time[i] >= t { // added already; remove
						nAt[group[i]] -= w(i)
					}
					ePos++
				}
			}
			d, nr := 0.0, 0.0
			for g := 0; g < k; g++ {
				d += dAt[g]
				nr += nAt[g]
			}
			if d > 0 {
				steps = append(steps, step{n: nr, d: d, nAt: append([]float64(nil), nAt...), dA: append([]float64(nil), dAt...)})
			}
			a = b
		}
		// Increasing time: S(t−) of the pooled curve.
		sPrev := 1.0
		for j := len(steps) - 1; j >= 0; j-- {
			st := steps[j]
			wt := 1.0
			if opts.Rho != 0 {
				wt = math.Pow(sPrev, opts.Rho)
			}
			for g := 0; g < k; g++ {
				obs[g] += wt * st.dA[g]
				exp[g] += wt * st.d * st.nAt[g] / st.n
			}
			if st.n > 1 {
				f := wt * wt * st.d * (st.n - st.d) / (st.n - 1) / (st.n * st.n)
				for g := 0; g < k; g++ {
					for h := g; h < k; h++ {
						x := -st.nAt[g] * st.nAt[h]
						if g == h {
							x += st.nAt[g] * st.n
						}
						v.SetSym(g, h, v.At(g, h)+f*x)
					}
				}
			}
			sPrev *= 1 - st.d/st.n
		}
	}
	res := &LogRankResult{Rho: opts.Rho, Observed: obs, Expected: exp}
	var keep []int
	for g := 0; g < k; g++ {
		if exp[g] > 0 {
			keep = append(keep, g)
		}
	}
	res.DF = len(keep) - 1
	if res.DF < 1 {
		res.Chisq, res.P = math.NaN(), math.NaN()
		return res, nil
	}
	keep = keep[1:]
	m := len(keep)
	vv := mat.NewSymDense(m, nil)
	u := mat.NewVecDense(m, nil)
	for a, g := range keep {
		u.SetVec(a, obs[g]-exp[g])
		for b := a; b < m; b++ {
			vv.SetSym(a, b, v.At(g, keep[b]))
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(vv, u); err != nil {
		return nil, fmt.Errorf("log-rank: variance matrix is singular: %w", err)
	}
	res.Chisq = mat.Dot(&x, u)
	res.P = distuv.ChiSquared{K: float64(res.DF)}.Survival(res.Chisq)
	return res, nil
}
