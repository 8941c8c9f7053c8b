package survival

import (
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// deathStep holds, for one death time, the hazard increments of the Efron
// (or Breslow) fractions, for residuals and the baseline hazard.
type deathStep struct {
	time    float64
	stratum int
	lo, hi  int       // the rows dying
	a, a2   float64   // Σ_k dΛ_k and Σ_k (1 − f_k) dΛ_k
	b, b2   []float64 // Σ_k dΛ_k x̄_k and Σ_k (1 − f_k) dΛ_k x̄_k
	c       []float64 // mean over k of x̄_k (the event term)
}

// steps collects the death-time increments at beta, in decreasing time
// within each stratum.
func (m *coxModel) steps(beta []float64) ([]deathStep, []float64) {
	p := m.p
	var out []deathStep
	risk := m.sweep(beta, false, func(s *sums) {
		fr := m.fractions(s.nd)
		wt := s.dw / float64(len(fr))
		st := deathStep{time: s.time, stratum: s.stratum, lo: s.lo, hi: s.hi,
			b: make([]float64, p), b2: make([]float64, p), c: make([]float64, p)}
		for _, f := range fr {
			d2 := s.s0 - f*s.d0
			dl := wt / d2
			st.a += dl
			st.a2 += (1 - f) * dl
			for j := 0; j < p; j++ {
				xb := (s.s1[j] - f*s.d1[j]) / d2
				st.b[j] += dl * xb
				st.b2[j] += (1 - f) * dl * xb
				st.c[j] += xb / float64(len(fr))
			}
		}
		out = append(out, st)
	})
	return out, slices.Clone(risk) // the sweep's buffer is reused by the next
}

// scoreResiduals returns the score residuals (n × p, sorted rows):
//
//	r_i = δ_i (x_i − x̄(t_i)) − e^{η_i} Σ_{t_j: entry_i < t_j <= t_i} c_ij dΛ_j (x_i − x̄_j)
//
// with Efron's fractions (c_ij = 1 − k/d for the tied deaths themselves).
func (m *coxModel) scoreResiduals(beta []float64) []float64 {
	p := m.p
	steps, risk := m.steps(beta)
	res := make([]float64, m.n*p)
	// Per stratum, death steps in increasing time with cumulative sums.
	byStratum := map[int][]int{}
	for i := range steps {
		byStratum[steps[i].stratum] = append(byStratum[steps[i].stratum], i)
	}
	for st := 0; st+1 < len(m.strata); st++ {
		idx := byStratum[st]
		// idx is in decreasing time; reverse.
		for a, b := 0, len(idx)-1; a < b; a, b = a+1, b-1 {
			idx[a], idx[b] = idx[b], idx[a]
		}
		T := len(idx)
		times := make([]float64, T)
		cumA := make([]float64, T+1)
		cumB := make([]float64, (T+1)*p)
		for q, i := range idx {
			times[q] = steps[i].time
			cumA[q+1] = cumA[q] + steps[i].a
			for j := 0; j < p; j++ {
				cumB[(q+1)*p+j] = cumB[q*p+j] + steps[i].b[j]
			}
		}
		// upTo(t) = number of death times <= t.
		upTo := func(t float64) int { return sort.Search(T, func(q int) bool { return times[q] > t }) }
		for k := m.strata[st]; k < m.strata[st+1]; k++ {
			hi := upTo(m.time[k])
			lo := 0
			if m.entry != nil {
				lo = upTo(m.entry[k])
			}
			if hi <= lo {
				continue
			}
			A := cumA[hi] - cumA[lo]
			row := m.x[k*p : k*p+p]
			out := res[k*p : k*p+p]
			for j := 0; j < p; j++ {
				out[j] = -risk[k] * (A*row[j] - (cumB[hi*p+j] - cumB[lo*p+j]))
			}
			if m.event[k] {
				// Own death time: fractions (1 − f) instead of 1, and the
				// event term.
				ds := &steps[idx[hi-1]]
				for j := 0; j < p; j++ {
					out[j] += risk[k] * ((ds.a-ds.a2)*row[j] - (ds.b[j] - ds.b2[j]))
					out[j] += row[j] - ds.c[j]
				}
			}
		}
	}
	return res
}

// robustVar is the sandwich variance D'D with D the weighted dfbeta
// residuals w_i r_i V summed within clusters.
func (m *coxModel) robustVar(beta []float64, v *mat.SymDense, cluster []int) *mat.SymDense {
	p := m.p
	r := m.scoreResiduals(beta)
	sum := map[int][]float64{}
	var keys []int
	for k := 0; k < m.n; k++ {
		c := cluster[m.orig[k]]
		acc, ok := sum[c]
		if !ok {
			acc = make([]float64, p)
			sum[c] = acc
			keys = append(keys, c)
		}
		for j := 0; j < p; j++ {
			acc[j] += m.w[k] * r[k*p+j]
		}
	}
	sort.Ints(keys)
	d := mat.NewDense(len(keys), p, nil)
	for a, c := range keys {
		for j := 0; j < p; j++ {
			x := 0.0
			for l := 0; l < p; l++ {
				x += sum[c][l] * v.At(l, j)
			}
			d.Set(a, j, x)
		}
	}
	out := mat.NewSymDense(p, nil)
	out.SymOuterK(1, d.T())
	return out
}

// concordance is Harrell's C of the linear predictor as coxph reports it
// (Concordance with the case weights, within strata, with delayed entry),
// and its infinitesimal-jackknife standard error (summed within cluster
// codes of the original rows when given; NaN with delayed entry).
func (m *coxModel) concordance(beta []float64, cluster []int) (float64, float64) {
	p := m.p
	lp := make([]float64, m.n)
	for k := range lp {
		for j := 0; j < p; j++ {
			lp[k] += beta[j] * m.x[k*p+j]
		}
	}
	var strata []int // nil for one stratum
	if len(m.strata) > 2 {
		strata = make([]int, m.n)
		for st := 0; st+1 < len(m.strata); st++ {
			for k := m.strata[st]; k < m.strata[st+1]; k++ {
				strata[k] = st
			}
		}
	}
	var cl []int
	if cluster != nil {
		cl = make([]int, m.n)
		for k := range cl {
			cl[k] = cluster[m.orig[k]]
		}
	}
	return ConcordanceSE(m.time, m.event, lp, ConcordanceOptions{Weights: m.w, Strata: strata, Entry: m.entry, Cluster: cl})
}

// zph is the proportional-hazards test of cox.zph (survival 3) with the
// Kaplan–Meier transform: g(t) = 1 − S(t−) of the pooled, unweighted
// Kaplan–Meier curve, centred on its mean over the events; the score test
// at (β̂, 0) of the model with the added covariates x·g(t), per term and
// globally (Grambsch & Therneau 1994).
func (m *coxModel) zph(beta []float64) []PHTerm {
	p := m.p
	// Pooled KM over all rows (ignoring strata and weights, as cox.zph),
	// with delayed entry when there is one.
	km, err := KaplanMeier(m.time, m.event, KMOptions{Entry: m.entry})
	if err != nil {
		return nil
	}
	kmT := make([]float64, len(km.Table))
	kmS := make([]float64, len(km.Table))
	for i, r := range km.Table {
		kmT[i], kmS[i] = r.Time, r.Surv
	}
	sMinus := func(t float64) float64 { // S(t−)
		k := sort.SearchFloat64s(kmT, t) // first time >= t
		if k == 0 {
			return 1
		}
		return kmS[k-1]
	}
	// Mean of g over the events: Σ_t d_t (1 − S(t−)) / Σ_t d_t.
	mean, nev := 0.0, 0.0
	prevS := 1.0
	for _, r := range km.Table {
		mean += r.NEvent * (1 - prevS)
		nev += r.NEvent
		prevS = r.Surv
	}
	mean /= nev
	u2 := make([]float64, p)
	big := make([]float64, 4*p*p) // 2p × 2p, lower triangle used
	P := 2 * p
	m.sweep(beta, true, func(sm *sums) {
		g := 1 - sMinus(sm.time) - mean
		for q := sm.lo; q < sm.hi; q++ {
			row := m.x[q*p : q*p+p]
			for j := 0; j < p; j++ {
				u2[j] += g * m.w[q] * row[j]
			}
		}
		e, wt := m.efron(sm)
		for j := 0; j < p; j++ {
			u2[j] -= g * wt * (sm.s1[j]*e.inv - sm.d1[j]*e.fInv)
		}
		for j := 0; j < p; j++ {
			for l := 0; l <= j; l++ {
				a := sm.s2[j*p+l]*e.inv - sm.d2[j*p+l]*e.fInv
				b := sm.s1[j]*sm.s1[l]*e.inv2 - (sm.s1[j]*sm.d1[l]+sm.d1[j]*sm.s1[l])*e.fInv2 + sm.d1[j]*sm.d1[l]*e.f2Inv2
				v := wt * (a - b)
				big[j*P+l] += v
				big[(j+p)*P+l] += g * v
				big[(j+p)*P+(l+p)] += g * g * v
				if l != j {
					big[(l+p)*P+j] += g * v
				}
			}
		}
	})
	full := mat.NewSymDense(P, nil)
	for a := 0; a < P; a++ {
		for b := 0; b <= a; b++ {
			full.SetSym(a, b, big[a*P+b])
		}
	}
	test := func(cols []int) (float64, bool) {
		kk := make([]int, 0, p+len(cols))
		for j := 0; j < p; j++ {
			kk = append(kk, j)
		}
		for _, c := range cols {
			kk = append(kk, c+p)
		}
		sub := mat.NewSymDense(len(kk), nil)
		u := make([]float64, len(kk))
		for a, ka := range kk {
			if ka >= p {
				u[a] = u2[ka-p]
			}
			for b := 0; b <= a; b++ {
				sub.SetSym(a, b, full.At(ka, kk[b]))
			}
		}
		x, err := quadForm(sub, u)
		return x, err == nil
	}
	var out []PHTerm
	all := make([]int, 0, p)
	for _, t := range m.terms {
		x, ok := test(t.Cols)
		all = append(all, t.Cols...)
		if !ok {
			x = math.NaN()
		}
		out = append(out, PHTerm{Term: t.Name, Chisq: x, DF: len(t.Cols), P: distuv.ChiSquared{K: float64(len(t.Cols))}.Survival(x)})
	}
	sort.Ints(all)
	x, ok := test(all)
	if !ok {
		x = math.NaN()
	}
	out = append(out, PHTerm{Term: "GLOBAL", Chisq: x, DF: p, P: distuv.ChiSquared{K: float64(p)}.Survival(x)})
	return out
}

// baseline is the cumulative baseline hazard per stratum at covariates 0
// (Breslow's estimator with Efron's fractions, as R's basehaz(centered =
// FALSE)).
func (m *coxModel) baseline(beta []float64, d CoxData) []BaselineHazard {
	steps, _ := m.steps(beta)
	shift := 0.0
	for j, b := range beta {
		shift += b * m.means[j]
	}
	scale := math.Exp(-shift)
	out := make([]BaselineHazard, len(m.strata)-1)
	for i := len(steps) - 1; i >= 0; i-- { // increasing time within stratum
		st := &steps[i]
		bh := &out[st.stratum]
		prev := 0.0
		if n := len(bh.CumHaz); n > 0 {
			prev = bh.CumHaz[n-1]
		}
		bh.Time = append(bh.Time, st.time)
		bh.CumHaz = append(bh.CumHaz, prev+st.a*scale)
	}
	return out
}
