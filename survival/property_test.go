package survival

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// cohort simulates n subjects with exponential event and censoring times,
// three groups with hazards 1, 1.5 and 2 (rounded to 0.1: many ties).
func cohort(n int, seed uint64) (time []float64, event []bool, group []int, x []float64) {
	r := rand.New(rand.NewPCG(seed, 7))
	time, event, group, x = make([]float64, n), make([]bool, n), make([]int, n), make([]float64, n)
	for i := range time {
		group[i] = r.IntN(3)
		x[i] = r.NormFloat64()
		ev := r.ExpFloat64() / (1 + 0.5*float64(group[i])) / math.Exp(0.3*x[i])
		c := r.ExpFloat64() * 1.5
		time[i] = math.Round(math.Min(ev, c)*10)/10 + 0.1
		event[i] = ev <= c
	}
	return
}

func TestKMProperties(t *testing.T) {
	time, event, _, _ := cohort(500, 1)
	for _, ct := range []ConfType{Plain, Log, LogLog} {
		res, err := KaplanMeier(time, event, KMOptions{ConfType: ct})
		if err != nil {
			t.Fatal(err)
		}
		prev := 1.0
		for _, r := range res.Table {
			if r.Surv > prev+1e-15 {
				t.Fatalf("%s: S rises from %v to %v at %v", ct, prev, r.Surv, r.Time)
			}
			prev = r.Surv
			if !math.IsNaN(r.Lower) && (r.Lower > r.Surv+1e-12 || r.Upper < r.Surv-1e-12) {
				t.Errorf("%s: CI (%v, %v) does not contain %v at %v", ct, r.Lower, r.Upper, r.Surv, r.Time)
			}
		}
		if !(res.MedianLower <= res.Median && res.Median <= res.MedianUpper) {
			t.Errorf("%s: median %v outside its CI (%v, %v)", ct, res.Median, res.MedianLower, res.MedianUpper)
		}
	}
}

// TestKMRowOrderAndWeights: shuffling rows changes nothing, and weight 2
// equals a duplicated row.
func TestKMRowOrderAndWeights(t *testing.T) {
	time, event, _, _ := cohort(300, 2)
	base, _ := KaplanMeier(time, event, KMOptions{Times: []float64{0.5, 1}})
	r := rand.New(rand.NewPCG(3, 3))
	perm := r.Perm(len(time))
	t2, e2 := make([]float64, len(time)), make([]bool, len(time))
	for i, j := range perm {
		t2[i], e2[i] = time[j], event[j]
	}
	shuffled, _ := KaplanMeier(t2, e2, KMOptions{Times: []float64{0.5, 1}})
	if len(shuffled.Table) != len(base.Table) {
		t.Fatal("row order changed the table")
	}
	for i := range base.Table {
		a, b := base.Table[i], shuffled.Table[i]
		if a.Surv != b.Surv || a.NRisk != b.NRisk || a.StdErr != b.StdErr {
			t.Fatalf("row order changed row %d: %+v vs %+v", i, a, b)
		}
	}
	w := make([]float64, len(time))
	dupT, dupE := append([]float64(nil), time...), append([]bool(nil), event...)
	for i := range w {
		w[i] = 1
		if i%4 == 0 {
			w[i] = 2
			dupT, dupE = append(dupT, time[i]), append(dupE, event[i])
		}
	}
	weighted, _ := KaplanMeier(time, event, KMOptions{Weights: w})
	dup, _ := KaplanMeier(dupT, dupE, KMOptions{})
	for i := range dup.Table {
		a, b := weighted.Table[i], dup.Table[i]
		if math.Abs(a.Surv-b.Surv) > 1e-12 || math.Abs(a.StdErr-b.StdErr) > 1e-12 || a.NRisk != b.NRisk {
			t.Fatalf("weight 2 differs from a duplicated row at %v: %+v vs %+v", a.Time, a, b)
		}
	}
}

// TestLogRankIdenticalGroups: two copies of the same data give chi-square 0.
func TestLogRankIdenticalGroups(t *testing.T) {
	time, event, _, _ := cohort(200, 4)
	n := len(time)
	tt := append(append([]float64(nil), time...), time...)
	ee := append(append([]bool(nil), event...), event...)
	g := make([]int, 2*n)
	for i := n; i < 2*n; i++ {
		g[i] = 1
	}
	res, err := LogRank(tt, ee, g, 2, LogRankOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Chisq > 1e-20 || math.Abs(res.P-1) > 1e-9 {
		t.Errorf("identical groups: chisq %v p %v, want 0 and 1", res.Chisq, res.P)
	}
}

func TestCoxRowOrderAndWeights(t *testing.T) {
	time, event, _, x := cohort(400, 5)
	// Breslow: with Efron, a weight of 2 is not a duplicated row when
	// times tie (Efron counts tied rows; R behaves the same).
	fit := func(tm []float64, ev []bool, xx []float64, w []float64) *CoxResult {
		res, err := FitCox(CoxData{Time: tm, Event: ev, X: xx, Names: []string{"x"}, Weights: w}, CoxOptions{Ties: Breslow})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	base := fit(time, event, x, nil)
	r := rand.New(rand.NewPCG(9, 9))
	perm := r.Perm(len(time))
	t2, e2, x2 := make([]float64, len(time)), make([]bool, len(time)), make([]float64, len(time))
	for i, j := range perm {
		t2[i], e2[i], x2[i] = time[j], event[j], x[j]
	}
	if sh := fit(t2, e2, x2, nil); math.Abs(sh.Beta[0]-base.Beta[0]) > 1e-12 || math.Abs(sh.LogLik[1]-base.LogLik[1]) > 1e-9 {
		t.Errorf("row order changed the fit: %v vs %v", sh.Beta, base.Beta)
	}
	w := make([]float64, len(time))
	dt, de, dx := append([]float64(nil), time...), append([]bool(nil), event...), append([]float64(nil), x...)
	for i := range w {
		w[i] = 1
		if i%3 == 0 {
			w[i] = 2
			dt, de, dx = append(dt, time[i]), append(de, event[i]), append(dx, x[i])
		}
	}
	a, b := fit(time, event, x, w), fit(dt, de, dx, nil)
	if math.Abs(a.Beta[0]-b.Beta[0]) > 1e-10 || math.Abs(a.Coefficients[0].SE-b.Coefficients[0].SE) > 1e-10 {
		t.Errorf("weight 2 differs from a duplicated row: %v/%v vs %v/%v", a.Beta, a.Coefficients[0].SE, b.Beta, b.Coefficients[0].SE)
	}
}

// TestBadInput: each bad input gives a clear error naming the row.
func TestBadInput(t *testing.T) {
	tm := []float64{1, 2, 3}
	ev := []bool{true, false, true}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"negative time", func() error { _, e := KaplanMeier([]float64{1, -2, 3}, ev, KMOptions{}); return e }(), "row 1: time -2: want a finite number >= 0"},
		{"missing time", func() error { _, e := KaplanMeier([]float64{1, math.NaN(), 3}, ev, KMOptions{}); return e }(), "row 1: time NaN: want a finite number >= 0"},
		{"stop <= start", func() error {
			_, e := KaplanMeier(tm, ev, KMOptions{Entry: []float64{0, 2, 1}})
			return e
		}(), "row 1: entry 2 is not before time 2: want start < stop"},
		{"negative weight", func() error { _, e := KaplanMeier(tm, ev, KMOptions{Weights: []float64{1, -1, 1}}); return e }(), "row 1: weight -1: want a finite number >= 0"},
		{"cif negative status", func() error { _, e := CumulativeIncidence(tm, []int{0, -1, 2}, 1, nil, 0); return e }(), "row 1: status -1: want 0 (censored) or a cause 1..k"},
		{"covariate without variance", func() error {
			_, e := FitCox(CoxData{Time: tm, Event: ev, X: []float64{5, 5, 5}, Names: []string{"age"}}, CoxOptions{})
			return e
		}(), "cox: covariate age has no variance (every value is 5)"},
		{"no events", func() error {
			_, e := FitCox(CoxData{Time: tm, Event: []bool{false, false, false}, X: []float64{1, 2, 3}, Names: []string{"x"}}, CoxOptions{})
			return e
		}(), "cox: no events"},
		{"group code out of range", func() error { _, e := LogRank(tm, ev, []int{0, 1, 2}, 2, LogRankOptions{}); return e }(), "row 2: group code 2: want 0..1"},
	} {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, c.err, c.want)
		}
	}
	var ie *InputError
	_, err := KaplanMeier([]float64{1, -2, 3}, ev, KMOptions{})
	if !errors.As(err, &ie) || ie.Row != 1 {
		t.Errorf("error %v is not an *InputError for row 1", err)
	}
}

// TestCollinear: collinear covariates give an error naming them.
func TestCollinear(t *testing.T) {
	time, event, _, x := cohort(100, 6)
	X := make([]float64, 0, 2*len(x))
	for _, v := range x {
		X = append(X, v, 2*v)
	}
	_, err := FitCox(CoxData{Time: time, Event: event, X: X, Names: []string{"x", "twice_x"}}, CoxOptions{})
	if err == nil || !strings.Contains(err.Error(), "singular") || !strings.Contains(err.Error(), "twice_x") {
		t.Errorf("collinear covariates: error %v", err)
	}
}

// TestMonotoneLikelihood: a covariate that separates events from
// censorings drives its coefficient to infinity. coxph runs out of
// iterations here and says only that (its "Loglik converged before
// variable" is for fits that converge); so do we.
func TestMonotoneLikelihood(t *testing.T) {
	time := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	event := []bool{true, true, true, true, false, false, false, false}
	x := []float64{1, 1, 1, 1, 0, 0, 0, 0}
	// Every event has x = 1 and happens before every x = 0 subject leaves:
	// the partial likelihood keeps rising with beta.
	res, err := FitCox(CoxData{Time: time, Event: event, X: x, Names: []string{"x"}}, CoxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w := strings.Join(res.Warnings, ";")
	if res.Converged || !strings.Contains(w, "did not converge") || strings.Contains(w, "infinite") || res.Beta[0] < 15 {
		t.Errorf("beta %v, converged %v, warnings %v; want coxph's: a large coefficient and only 'ran out of iterations'", res.Beta, res.Converged, res.Warnings)
	}
}

// TestNoEventsGroup: a group without events has S = 1 and no median, and
// the log-rank test leaves it out as survdiff does.
func TestNoEventsGroup(t *testing.T) {
	time := []float64{1, 2, 3, 4, 5, 6}
	event := []bool{true, true, false, false, false, false}
	res, err := KaplanMeier(time[2:], event[2:], KMOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Events != 0 || !math.IsNaN(res.Median) || res.Table[len(res.Table)-1].Surv != 1 {
		t.Errorf("no-event group: events %v median %v", res.Events, res.Median)
	}
}

// TestCoxParallelSweepMatchesSequential fits the same 40,000 rows with the
// parallel block sweep on 2, 3 and 7 goroutines and the sequential one.
func TestCoxParallelSweepMatchesSequential(t *testing.T) {
	time, event, group, x := cohort(40000, 11)
	X := make([]float64, 0, 2*len(x))
	for i := range x {
		X = append(X, x[i], float64(group[i]))
	}
	data := CoxData{Time: time, Event: event, X: X, Names: []string{"x", "g"}, Strata: nil}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	seq, err := FitCox(data, CoxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, procs := range []int{2, 3, 7} {
		runtime.GOMAXPROCS(procs)
		par, err := FitCox(data, CoxOptions{})
		if err != nil {
			t.Fatal(err)
		}
		compareCox(t, procs, par, seq)
	}
}

func compareCox(t *testing.T, procs int, par, seq *CoxResult) {
	t.Helper()
	for j := range par.Beta {
		if math.Abs(par.Beta[j]-seq.Beta[j]) > 1e-10 || math.Abs(par.Coefficients[j].SE-seq.Coefficients[j].SE) > 1e-10 {
			t.Errorf("%d goroutines, coefficient %d: parallel %v (%v), sequential %v (%v)", procs, j, par.Beta[j], par.Coefficients[j].SE, seq.Beta[j], seq.Coefficients[j].SE)
		}
	}
	if math.Abs(par.LogLik[1]-seq.LogLik[1]) > 1e-6 || math.Abs(par.PHTest[2].Chisq-seq.PHTest[2].Chisq) > 1e-8 {
		t.Errorf("%d goroutines: loglik %v vs %v, zph %v vs %v", procs, par.LogLik, seq.LogLik, par.PHTest[2].Chisq, seq.PHTest[2].Chisq)
	}
}

// TestNonConvergence: stopping Newton–Raphson early is reported, as R's
// "Ran out of iterations" warning.
func TestNonConvergence(t *testing.T) {
	time, event, _, x := cohort(300, 12)
	res, err := FitCox(CoxData{Time: time, Event: event, X: x, Names: []string{"x"}}, CoxOptions{MaxIter: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Converged || len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "did not converge") {
		t.Errorf("converged %v, warnings %v", res.Converged, res.Warnings)
	}
	full, _ := FitCox(CoxData{Time: time, Event: event, X: x, Names: []string{"x"}}, CoxOptions{})
	if !full.Converged || len(full.Warnings) != 0 {
		t.Errorf("default fit: converged %v, warnings %v", full.Converged, full.Warnings)
	}
}

// Covariates by column fit exactly as the same covariates row-major; a
// design of the wrong shape is refused.
func TestCoxColumnsAsX(t *testing.T) {
	time, event, _, x := cohort(400, 5)
	z := make([]float64, len(x))
	xz := make([]float64, 2*len(x))
	for i := range x {
		z[i] = math.Cos(float64(i)) + x[i]/3
		xz[2*i], xz[2*i+1] = x[i], z[i]
	}
	names := []string{"x", "z"}
	a, err := FitCox(CoxData{Time: time, Event: event, X: xz, Names: names}, CoxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := FitCox(CoxData{Time: time, Event: event, Columns: [][]float64{x, z}, Names: names}, CoxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	same := func(r *CoxResult) string {
		return fmt.Sprintf("%v %v %v %v %v %v %v", r.Coefficients, r.Beta, r.LogLik, r.Concordance, r.ConcordanceSE, r.PHTest, r.Score)
	}
	if same(a) != same(b) { // (NaN fields: not DeepEqual)
		t.Errorf("by columns %+v\nrow-major %+v", b.Coefficients, a.Coefficients)
	}
	defer func() {
		if recover() == nil {
			t.Error("a column of the wrong length: no panic")
		}
	}()
	FitCox(CoxData{Time: time, Event: event, Columns: [][]float64{x, z[1:]}, Names: names}, CoxOptions{})
}
