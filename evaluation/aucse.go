package evaluation

import (
	"math"
	"sort"

	"github.com/screenlab/screenlab/internal/radix"
)

// horizonAUCSE is the standard error of the IPCW cumulative/dynamic AUC at
// τ by its influence function (Blanche, Dartigues & Jacqmin-Gadda 2013;
// as riskRegression::Score with a Kaplan–Meier censoring model). With
// case weights W_i = 1{T_i ≤ τ, δ_i}/G(T_i−), control weights
// V_j = 1{T_j > τ}/G(τ) and K(r_i, r_j) = 1{r_i > r_j} + ½1{r_i = r_j},
// AUC = N/D with N = n⁻² Σ_i Σ_j W_i V_j K(r_i, r_j) and D the same with
// K = 1. Subject k's influence is
//
//	IF_k = [A_k − AUC·B_k]/D + n⁻¹ Σ_{cases i} (a_i − AUC·b_i) f_k(T_i−) / D,
//
// where A_k, B_k are k's parts of N and D (as a case and as a control),
// a_i = W_i n⁻¹ Σ_j V_j K(r_i, r_j), b_i = W_i n⁻¹ Σ_j V_j, and
// f_k(t) = ∫_0^t dM_k^C(s)/y(s) is the influence of the censoring
// Kaplan–Meier estimate on log G (M^C the censoring martingale, y the
// proportion at risk): the second term is what estimating G adds (the
// terms in f_k(τ) cancel in the ratio). SE = sd(IF)/√n.
func horizonAUCSE(time []float64, event []bool, risk []float64, tau float64, gLeft func(float64) float64, gTau, auc float64) float64 {
	n := len(time)
	nf := float64(n)
	w, v := make([]float64, n), make([]float64, n)
	var caseIdx, ctlIdx []int
	for i := range time {
		switch {
		case time[i] <= tau && event[i]:
			w[i] = 1 / gLeft(time[i])
			caseIdx = append(caseIdx, i)
		case time[i] > tau:
			v[i] = 1 / gTau
			ctlIdx = append(ctlIdx, i)
		}
	}
	if len(caseIdx) == 0 || len(ctlIdx) == 0 {
		return math.NaN()
	}
	// Controls' risks sorted (equal weights), cases' risks sorted with the
	// prefix sums of their weights.
	ctlR := make([]float64, len(ctlIdx))
	for k, j := range ctlIdx {
		ctlR[k] = risk[j]
	}
	radix.SortFloat64s(ctlR)
	cases := append([]int(nil), caseIdx...)
	sort.Slice(cases, func(a, b int) bool { return risk[cases[a]] < risk[cases[b]] })
	caseR := make([]float64, len(cases))
	prefix := make([]float64, len(cases)+1)
	sumW := 0.0
	for k, i := range cases {
		caseR[k] = risk[i]
		prefix[k+1] = prefix[k] + w[i]
		sumW += w[i]
	}
	sumV := float64(len(ctlIdx)) / gTau
	a, b := make([]float64, n), make([]float64, n)
	var num, den float64
	for _, i := range caseIdx {
		lo := sort.SearchFloat64s(ctlR, risk[i])
		hi := sort.Search(len(ctlR), func(q int) bool { return ctlR[q] > risk[i] })
		a[i] = w[i] * (float64(lo) + float64(hi-lo)/2) / gTau / nf
		b[i] = w[i] * sumV / nf
		num, den = num+a[i], den+b[i]
	}
	num, den = num/nf, den/nf
	// A_k and B_k of the controls: the case weights below and tied.
	ic := make([]float64, n)
	for _, i := range caseIdx {
		ic[i] = (a[i] - auc*b[i]) / den
	}
	for _, j := range ctlIdx {
		lo := sort.SearchFloat64s(caseR, risk[j])
		hi := sort.Search(len(caseR), func(q int) bool { return caseR[q] > risk[j] })
		above := sumW - prefix[hi] + (prefix[hi]-prefix[lo])/2
		ic[j] = (v[j]*above/nf - auc*v[j]*sumW/nf) / den
	}
	// The censoring term: with c_i = a_i − AUC·b_i over the cases and
	// C(t) = Σ_{cases, T_i > t} c_i,
	//   n⁻¹ Σ_i c_i f_k(T_i−) = n⁻¹ [(1−δ_k) n C(T_k)/Y(T_k) − Σ_{s ≤ T_k} n dN^C(s) C(s)/Y(s)²],
	// Y(s) = #{T ≥ s}, dN^C(s) the censorings at s.
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(p, q int) bool { return time[order[p]] < time[order[q]] })
	after := 0.0 // C(t) for t below the current time: cases at or after it
	for _, i := range caseIdx {
		after += a[i] - auc*b[i]
	}
	type step struct{ t, c, y, h float64 }
	var steps []step
	h := 0.0
	for p := 0; p < n; {
		t := time[order[p]]
		q, cens := p, 0.0
		caseAt := 0.0
		for q < n && time[order[q]] == t {
			i := order[q]
			if !event[i] {
				cens++
			}
			if time[i] <= tau && event[i] {
				caseAt += a[i] - auc*b[i]
			}
			q++
		}
		y := float64(n - p)
		cAfter := after - caseAt // cases strictly after t
		if cens > 0 {
			h += nf * cens * cAfter / (y * y)
		}
		steps = append(steps, step{t: t, c: cAfter, y: y, h: h})
		after = cAfter
		p = q
	}
	for k := 0; k < n; k++ {
		s := steps[sort.Search(len(steps), func(q int) bool { return steps[q].t >= time[k] })]
		f := -s.h
		if !event[k] {
			f += nf * s.c / s.y
		}
		ic[k] += f / nf / den
	}
	_ = num
	mean := 0.0
	for _, x := range ic {
		mean += x
	}
	mean /= nf
	ss := 0.0
	for _, x := range ic {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss/(nf-1)) / math.Sqrt(nf)
}
