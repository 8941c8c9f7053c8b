package glm

import (
	"encoding/json"
	"math"
	"os"
	"runtime"
	"testing"
)

// reference holds R's glm results on the data of testdata/make_glm.R.
type reference struct {
	Binomial struct {
		X        [][]float64 `json:"x"`
		Y        []float64   `json:"y"`
		Coef, SE []float64
		P        []float64 `json:"p"`
		Deviance float64   `json:"deviance"`
	} `json:"binomial"`
	Offset struct {
		Offset   []float64 `json:"offset"`
		Coef, SE float64
		Deviance float64 `json:"deviance"`
	} `json:"offset"`
	Poisson struct {
		X        [][]float64 `json:"x"`
		Y        []float64   `json:"y"`
		Offset   []float64   `json:"offset"`
		Coef, SE []float64
		Deviance float64 `json:"deviance"`
	} `json:"poisson"`
}

func load(t *testing.T) *reference {
	t.Helper()
	raw, err := os.ReadFile("testdata/glm.json")
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func flat(rows [][]float64) ([]float64, int) {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out, len(rows[0])
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, R %.12g", what, got, want)
	}
}

// Values from R 4.2 glm(case ~ age + parity + spontaneous + induced,
// binomial, infert), glm(cases ~ 0 + age + year + offset(log(py)),
// poisson) and an intercept with an offset (testdata/make_glm.R).
func TestFitAgainstR(t *testing.T) {
	ref := load(t)
	b := ref.Binomial
	x, p := flat(b.X)
	fit, err := Fit(Binomial, x, p, b.Y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !fit.Converged {
		t.Fatal("binomial: not converged")
	}
	for j := range b.Coef {
		se, _, pv, lo, hi := fit.Wald(j, 0.95)
		near(t, "binomial coef", fit.Coef[j], b.Coef[j], 1e-8)
		near(t, "binomial se", se, b.SE[j], 1e-7)
		near(t, "binomial p", pv, b.P[j], 1e-6)
		if !(lo < fit.Coef[j] && fit.Coef[j] < hi) {
			t.Errorf("interval (%g, %g) does not hold %g", lo, hi, fit.Coef[j])
		}
	}
	near(t, "binomial deviance", fit.Deviance, b.Deviance, 1e-10)

	o := ref.Offset
	ones := make([]float64, len(b.Y))
	for i := range ones {
		ones[i] = 1
	}
	fit, err = Fit(Binomial, ones, 1, b.Y, Options{Offset: o.Offset})
	if err != nil {
		t.Fatal(err)
	}
	se, _, _, _, _ := fit.Wald(0, 0)
	near(t, "offset intercept", fit.Coef[0], o.Coef, 1e-8)
	near(t, "offset se", se, o.SE, 1e-7)
	near(t, "offset deviance", fit.Deviance, o.Deviance, 1e-10)

	ps := ref.Poisson
	x, p = flat(ps.X)
	fit, err = Fit(Poisson, x, p, ps.Y, Options{Offset: ps.Offset})
	if err != nil {
		t.Fatal(err)
	}
	for j := range ps.Coef {
		se, _, _, _, _ := fit.Wald(j, 0.95)
		near(t, "poisson coef", fit.Coef[j], ps.Coef[j], 1e-8)
		near(t, "poisson se", se, ps.SE[j], 1e-7)
	}
	near(t, "poisson deviance", fit.Deviance, ps.Deviance, 1e-10)
}

// A wider level gives a wider interval; a tiny ridge penalty changes
// nothing, a heavy one shrinks the slopes toward 0.
func TestLevelAndPenalty(t *testing.T) {
	ref := load(t)
	b := ref.Binomial
	x, p := flat(b.X)
	fit, _ := Fit(Binomial, x, p, b.Y, Options{})
	_, _, _, lo95, hi95 := fit.Wald(1, 0.95)
	_, _, _, lo99, hi99 := fit.Wald(1, 0.99)
	if !(lo99 < lo95 && hi95 < hi99) {
		t.Errorf("99%% (%g, %g) not wider than 95%% (%g, %g)", lo99, hi99, lo95, hi95)
	}
	pen := make([]float64, p)
	for j := 1; j < p; j++ {
		pen[j] = 1e-9
	}
	tiny, _ := Fit(Binomial, x, p, b.Y, Options{L2: pen})
	for j := 1; j < p; j++ {
		pen[j] = 1e4
	}
	heavy, _ := Fit(Binomial, x, p, b.Y, Options{L2: pen})
	for j := 1; j < p; j++ {
		near(t, "tiny penalty", tiny.Coef[j], fit.Coef[j], 1e-6)
		if math.Abs(heavy.Coef[j]) >= math.Abs(fit.Coef[j]) {
			t.Errorf("coef %d: heavy penalty %g not shrunk from %g", j, heavy.Coef[j], fit.Coef[j])
		}
	}
}

// Complete separation: as in R, the deviance settles near 0 while the
// slope runs away, and the result says the fit reached the boundary.
// A fit cut short says it did not converge; neither loops forever.
func TestSeparationAndNonConvergence(t *testing.T) {
	x := []float64{1, -2, 1, -1, 1, 1, 1, 2}
	y := []float64{0, 0, 1, 1}
	fit, err := Fit(Binomial, x, 2, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !fit.Boundary || fit.Coef[1] < 10 {
		t.Errorf("separated data: boundary %v, slope %g", fit.Boundary, fit.Coef[1])
	}
	ref := load(t)
	bx, p := flat(ref.Binomial.X)
	short, err := Fit(Binomial, bx, p, ref.Binomial.Y, Options{MaxIter: 1})
	if err != nil {
		t.Fatal(err)
	}
	if short.Converged || short.Iterations != 1 || short.Boundary {
		t.Errorf("one iteration: converged %v after %d, boundary %v", short.Converged, short.Iterations, short.Boundary)
	}
}

// Bad input is an error, not a panic or a NaN.
func TestBadResponse(t *testing.T) {
	if _, err := Fit(Binomial, []float64{1, 1}, 1, []float64{0, 2}, Options{}); err == nil {
		t.Error("binomial y = 2: no error")
	}
	if _, err := Fit(Poisson, []float64{1, 1}, 1, []float64{1, -1}, Options{}); err == nil {
		t.Error("Poisson y = -1: no error")
	}
}

// A nil design with p = 1 is the intercept alone: the same fit as a
// column of ones, with and without an offset, in one chunk and in several.
func TestInterceptWithoutDesign(t *testing.T) {
	for _, n := range []int{50, 3*chunkRows + 7} {
		y, off, ones := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range y {
			off[i] = math.Sin(float64(i))
			if math.Cos(float64(i)*1.7) > 0.3 {
				y[i] = 1
			}
			ones[i] = 1
		}
		for _, o := range []Options{{}, {Offset: off}} {
			a, err := Fit(Binomial, ones, 1, y, o)
			if err != nil {
				t.Fatal(err)
			}
			b, err := Fit(Binomial, nil, 1, y, o)
			if err != nil {
				t.Fatal(err)
			}
			if a.Coef[0] != b.Coef[0] || a.Deviance != b.Deviance || a.Iterations != b.Iterations {
				t.Errorf("n %d offset %v: %v %v, with ones %v %v", n, o.Offset != nil, b.Coef, b.Deviance, a.Coef, a.Deviance)
			}
		}
	}
}

// The chunked sums do not depend on the number of cores: the same bits on
// one and on several.
func TestSameOnAnyCores(t *testing.T) {
	n := 4*chunkRows + 3
	x, y := make([]float64, 2*n), make([]float64, n)
	for i := range y {
		x[2*i], x[2*i+1] = 1, math.Sin(float64(i)*0.37)
		if math.Cos(float64(i)) > x[2*i+1] {
			y[i] = 1
		}
	}
	fit := func(procs int) *Result {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		r, err := Fit(Binomial, x, 2, y, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	one, many := fit(1), fit(4)
	if one.Coef[0] != many.Coef[0] || one.Coef[1] != many.Coef[1] || one.Deviance != many.Deviance {
		t.Errorf("1 core %v %v, 4 cores %v %v", one.Coef, one.Deviance, many.Coef, many.Deviance)
	}
}
