package survival

import (
	"math"
	"sort"

	"github.com/screenlab/screenlab/internal/numeric"
	"github.com/screenlab/screenlab/internal/radix"
)

// ConcordanceOptions control Concordance.
type ConcordanceOptions struct {
	// Weights are case weights (nil: 1): a pair weighs w_i·w_j.
	Weights []float64
	// Strata codes (nil: one stratum): pairs are compared within strata.
	Strata []int
	// Entry times for delayed entry (nil: none): j is comparable with an
	// event at T_i only when it is at risk then (entry_j < T_i).
	Entry []float64
	// MaxTime counts only events at T_i <= MaxTime (0: every event), and
	// PairWeight(T_i) weighs the pairs of an event (nil: 1) — Uno's C uses
	// MaxTime = τ and 1/G(T_i−)².
	MaxTime    float64
	PairWeight func(t float64) float64
	// Cluster codes (nil: none) sum the subjects' influences within a
	// cluster before the variance (ConcordanceSE only), as coxph does with
	// cluster().
	Cluster []int
}

// Concordance is Harrell's C of a score with survival (Harrell et al.
// 1982), as coxph and survival::concordance compute it:
//
//	C = (concordant + tied/2) / (concordant + discordant + tied)
//
// over the comparable pairs (i, j): i has an event at T_i and j is still
// under follow-up after it (T_j > T_i, or a censoring at T_j = T_i);
// concordant when score_i > score_j (the higher score fails first), tied
// when the scores are equal. Tied event times are not comparable. O(n log
// n) with a Fenwick tree over the score's ranks. It is screenlab's one
// Harrell's C: survival cox's concordance and evaluate's time metrics use
// it.
func Concordance(time []float64, event []bool, score []float64, opts ConcordanceOptions) float64 {
	c, t, d := concordanceCounts(time, event, score, opts, nil)
	return (c + t/2) / (c + t + d)
}

func (o *ConcordanceOptions) weight(i int) float64 {
	if o.Weights == nil {
		return 1
	}
	return o.Weights[i]
}

func (o *ConcordanceOptions) stratum(i int) int {
	if o.Strata == nil {
		return 0
	}
	return o.Strata[i]
}

func (o *ConcordanceOptions) maxTime() float64 {
	if o.MaxTime == 0 {
		return math.Inf(1)
	}
	return o.MaxTime
}

// concordanceCounts sorts the rows by stratum, then decreasing time with
// censorings before events at a tie, and sums the weighted concordant,
// tied and discordant pairs of every stratum; with infl set it also
// gathers each row's part of them (ConcordanceSE).
func concordanceCounts(time []float64, event []bool, score []float64, opts ConcordanceOptions, infl *[3][]float64) (conc, tied, disc float64) {
	n := len(time)
	if len(event) != n || len(score) != n {
		panic("survival: slice length mismatch")
	}
	// Stable radix passes, least significant key first.
	rows := radix.OrderBy(radix.Identity(n), func(i int) uint64 {
		if event[i] {
			return 1
		}
		return 0
	})
	rows = radix.OrderBy(rows, func(i int) uint64 { return ^radix.FloatKey(time[i] + 0) }) // (−0 + 0 = +0: they tie)
	if opts.Strata != nil {
		rows = radix.OrderBy(rows, func(i int) uint64 { return uint64(int64(opts.Strata[i])) ^ 1<<63 })
	}
	rank := make([]int32, n)
	for lo := 0; lo < n; {
		hi := lo
		for hi < n && opts.stratum(rows[hi]) == opts.stratum(rows[lo]) {
			hi++
		}
		ranks := denseRanks(rows[lo:hi], score, rank)
		c, t, d := concordanceSweep(rows[lo:hi], time, event, rank, ranks, opts, infl)
		conc, tied, disc = conc+c, tied+t, disc+d
		if infl != nil {
			laterSide(rows[lo:hi], time, event, rank, ranks, opts, infl)
		}
		lo = hi
	}
	return conc, tied, disc
}

// denseRanks sets rank[i] for the rows, ranked by score with ties sharing
// a rank, by one radix sort, and returns the number of ranks.
func denseRanks(rows []int, score []float64, rank []int32) int {
	byScore := radix.OrderBy(rows, func(i int) uint64 { return radix.FloatKey(score[i]) })
	r := int32(-1)
	for q, i := range byScore {
		if q == 0 || score[i] != score[byScore[q-1]] {
			r++
		}
		rank[i] = r
	}
	return int(r) + 1
}

// split is the weight in tree below, at and above rank r.
func split(tree *numeric.Fenwick, r32 int32) (below, same, above float64) {
	r := int(r32)
	below = tree.Below(r)
	same = tree.Below(r+1) - below
	return below, same, tree.Total - below - same
}

// concordanceSweep counts the weighted concordant, tied and discordant
// pairs of rows sorted by decreasing time.
//
// With infl set, it also adds to infl[0..2][i] the concordant, tied and
// discordant pair weights of each row i as the event of a pair, without
// i's own weight (the derivative of the counts in w_i).
func concordanceSweep(rows []int, time []float64, event []bool, rank []int32, ranks int, opts ConcordanceOptions, infl *[3][]float64) (conc, tied, disc float64) {
	w, maxTime := opts.weight, opts.maxTime()
	tree := numeric.NewFenwick(ranks)
	var byEntry []int
	if opts.Entry != nil {
		byEntry = append([]int(nil), rows...)
		sort.SliceStable(byEntry, func(a, b int) bool { return opts.Entry[byEntry[a]] > opts.Entry[byEntry[b]] })
	}
	ePos := 0
	for k := 0; k < len(rows); {
		t := time[rows[k]]
		j := k
		for j < len(rows) && time[rows[j]] == t {
			j++
		}
		for _, i := range rows[k:j] { // censored at t count as later
			if !event[i] {
				tree.Add(int(rank[i]), w(i))
			}
		}
		// Not yet at risk at t: entry >= t.
		for byEntry != nil && ePos < len(byEntry) && opts.Entry[byEntry[ePos]] >= t {
			tree.Add(int(rank[byEntry[ePos]]), -w(byEntry[ePos]))
			ePos++
		}
		if t <= maxTime {
			pw := 1.0
			if opts.PairWeight != nil {
				pw = opts.PairWeight(t)
			}
			for _, i := range rows[k:j] {
				if !event[i] {
					continue
				}
				below, same, above := split(tree, rank[i])
				wi := pw * w(i)
				conc, tied, disc = conc+wi*below, tied+wi*same, disc+wi*above
				if infl != nil {
					infl[0][i] += pw * below
					infl[1][i] += pw * same
					infl[2][i] += pw * above
				}
			}
		}
		for _, i := range rows[k:j] {
			if event[i] {
				tree.Add(int(rank[i]), w(i))
			}
		}
		k = j
	}
	return conc, tied, disc
}

// ConcordanceSE is Concordance with its standard error by the
// infinitesimal jackknife, as survival::concordance computes it: with
// Somers' d S = (c − d)/N over the N = c + d + t comparable pair weights
// and, for each subject k, c_k, d_k, t_k the derivatives of the counts in
// its weight w_k (the pairs it is part of, as the event or as the one
// still under follow-up),
//
//	dfbeta_k = w_k [(c_k − d_k)/N − S (c_k + d_k + t_k)/N],
//	var(C) = Σ_k dfbeta_k² / 4,
//
// which treats PairWeight (Uno's 1/G²) as known; with Cluster the
// dfbeta are summed within clusters first. Delayed entry has no standard
// error here (NaN).
func ConcordanceSE(time []float64, event []bool, score []float64, opts ConcordanceOptions) (c, se float64) {
	n := len(time)
	if opts.Entry != nil || n == 0 {
		return Concordance(time, event, score, opts), math.NaN()
	}
	var infl [3][]float64
	for k := range infl {
		infl[k] = make([]float64, n)
	}
	conc, tied, disc := concordanceCounts(time, event, score, opts, &infl)
	total := conc + tied + disc
	c = (conc + tied/2) / total
	if total == 0 {
		return c, math.NaN()
	}
	somers := (conc - disc) / total
	dfbeta := infl[0] // written at k after infl[·][k] is read
	for k := 0; k < n; k++ {
		dfbeta[k] = opts.weight(k) * ((infl[0][k]-infl[2][k])/total - somers*(infl[0][k]+infl[1][k]+infl[2][k])/total)
	}
	if opts.Cluster != nil {
		sums := map[int]float64{}
		for k, d := range dfbeta {
			sums[opts.Cluster[k]] += d
		}
		dfbeta = dfbeta[:0]
		for _, d := range sums {
			dfbeta = append(dfbeta, d)
		}
		sort.Float64s(dfbeta) // a fixed order: the same bytes every run
	}
	v := 0.0
	for _, d := range dfbeta {
		v += d * d
	}
	return c, math.Sqrt(v / 4)
}

// laterSide adds to infl the pairs in which each row is the one still
// under follow-up: for row j, the events i before it (T_i < T_j, or
// T_i = T_j when j is censored) weighted w_i·PairWeight(T_i), concordant
// when score_i > score_j. rows are one stratum by decreasing time.
func laterSide(rows []int, time []float64, event []bool, rank []int32, ranks int, opts ConcordanceOptions, infl *[3][]float64) {
	tree := numeric.NewFenwick(ranks)
	query := func(j int) {
		below, same, above := split(tree, rank[j])
		infl[0][j] += above // the event's score is higher: concordant
		infl[1][j] += same
		infl[2][j] += below
	}
	for k := len(rows) - 1; k >= 0; {
		t := time[rows[k]]
		j := k
		for j >= 0 && time[rows[j]] == t {
			j--
		}
		group := rows[j+1 : k+1]
		for _, i := range group {
			if event[i] {
				query(i) // events before t only: tied event times are not comparable
			}
		}
		if t <= opts.maxTime() {
			pw := 1.0
			if opts.PairWeight != nil {
				pw = opts.PairWeight(t)
			}
			for _, i := range group {
				if event[i] {
					tree.Add(int(rank[i]), opts.weight(i)*pw)
				}
			}
		}
		for _, i := range group {
			if !event[i] {
				query(i) // a censoring at t is after the events at t
			}
		}
		k = j
	}
}
