package models

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/screenlab/screenlab/evaluation"
)

// xorData: y depends on the sign of x1·x2 (no linear signal), plus noise
// features.
func xorData(n int, seed uint64) ([]float64, []bool) {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float64, n*4)
	y := make([]bool, n)
	for i := 0; i < n; i++ {
		for j := 0; j < 4; j++ {
			x[i*4+j] = r.NormFloat64()
		}
		p := 0.1
		if x[i*4]*x[i*4+1] > 0 {
			p = 0.6
		}
		y[i] = r.Float64() < p
	}
	return x, y
}

func predictAll(m Model, x []float64, p int) []float64 {
	out := make([]float64, len(x)/p)
	for i := range out {
		out[i] = m.Predict(x[i*p : (i+1)*p])
	}
	return out
}

// TestForestLearnsInteraction: on held-out data the forest ranks an
// interaction that logistic regression cannot see.
func TestForestLearnsInteraction(t *testing.T) {
	names := []string{"x1", "x2", "n1", "n2"}
	x, y := xorData(6000, 1)
	xt, yt := xorData(3000, 2)
	f, err := FitForest(x, y, names, ForestOptions{Trees: 60, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	lr, err := FitLogistic(x, y, names, 0, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	af, _ := evaluation.AUCDeLong(predictAll(f, xt, 4), yt, 0.95)
	al, _ := evaluation.AUCDeLong(predictAll(lr, xt, 4), yt, 0.95)
	if af.Estimate < 0.72 || al.Estimate > 0.6 {
		t.Errorf("held-out AUC: forest %.3f (want > 0.72), logistic %.3f (want about 0.5)", af.Estimate, al.Estimate)
	}
	for _, p := range predictAll(f, xt[:400], 4) {
		if p < 0 || p > 1 || math.IsNaN(p) {
			t.Fatalf("prediction %v outside [0, 1]", p)
		}
	}
	if f.Importance[0]+f.Importance[1] < 0.6 {
		t.Errorf("importances %v: x1 and x2 should dominate", f.Importance)
	}
}

// TestForestSeeded: the same seed gives the same forest, whatever the
// number of goroutines; another seed gives another.
func TestForestSeeded(t *testing.T) {
	names := []string{"x1", "x2", "n1", "n2"}
	x, y := xorData(2000, 3)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	a, _ := FitForest(x, y, names, ForestOptions{Trees: 20, Seed: 5})
	runtime.GOMAXPROCS(5) // trees grown on five goroutines, in another order
	b, _ := FitForest(x, y, names, ForestOptions{Trees: 20, Seed: 5})
	c, _ := FitForest(x, y, names, ForestOptions{Trees: 20, Seed: 6})
	pa, pb, pc := predictAll(a, x[:800], 4), predictAll(b, x[:800], 4), predictAll(c, x[:800], 4)
	same, diff := true, false
	for i := range pa {
		same = same && pa[i] == pb[i]
		diff = diff || pa[i] != pc[i]
	}
	if !same || !diff {
		t.Errorf("seed 5 on 1 and 5 goroutines equal: %v; seeds 5 and 6 differ: %v", same, diff)
	}
	// Save and load keep the forest byte for byte.
	dir := t.TempDir()
	file := &File{Kind: "forest", Target: "y", Forest: a, Hyper: map[string]string{}}
	p1, p2 := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := Save(p1, file); err != nil {
		t.Fatal(err)
	}
	g, err := Load(p1)
	if err != nil {
		t.Fatal(err)
	}
	Save(p2, g)
	r1, _ := os.ReadFile(p1)
	r2, _ := os.ReadFile(p2)
	if !bytes.Equal(r1, r2) || g.Forest.Predict(x[:4]) != a.Predict(x[:4]) {
		t.Error("forest save/load round trip changed it")
	}
}
