package models

import (
	"math/rand/v2"
	"testing"
)

// spotExams makes exams of four 32×32 views of noise; positive exams have
// a bright spot in one view (like a lesion in one breast).
func spotExams(n int, seed uint64) ([]Exam, []bool) {
	r := rand.New(rand.NewPCG(seed, 11))
	const s = 32
	var ex []Exam
	var y []bool
	for i := 0; i < n; i++ {
		var e Exam
		for v := 0; v < 4; v++ {
			e[v] = make([]float32, s*s)
			for k := range e[v] {
				e[v][k] = float32(r.NormFloat64() * 0.5)
			}
		}
		pos := i%3 == 0
		if pos {
			v, cx, cy := r.IntN(4), 6+r.IntN(20), 6+r.IntN(20)
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					e[v][(cy+dy)*s+cx+dx] += 2
				}
			}
		}
		ex, y = append(ex, e), append(y, pos)
	}
	return ex, y
}

// TestCNNLearnsSpots: on an easy problem (a bright spot in one of four
// views), held-out AUC exceeds 0.95.
func TestCNNLearnsSpots(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a network")
	}
	tr, ytr := spotExams(300, 1)
	va, yva := spotExams(90, 2)
	te, yte := spotExams(120, 3)
	c, err := TrainCNN(tr, ytr, va, yva, CNNOptions{Size: 32, Batch: 16, Steps: 150, EvalEvery: 25, Patience: 3, LearnRate: 3e-3, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	auc, err := c.AUC(te, yte)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("best validation AUC %.3f at step %d, test AUC %.3f", c.BestAUC, c.Steps, auc)
	if auc < 0.95 {
		t.Errorf("held-out AUC %.3f, want > 0.95 on this easy problem", auc)
	}
}

// TestCNNSeeded: the same seed gives the same weights.
func TestCNNSeeded(t *testing.T) {
	tr, ytr := spotExams(60, 5)
	va, yva := spotExams(30, 6)
	o := CNNOptions{Size: 16, Batch: 8, Steps: 20, EvalEvery: 10, Patience: 5, Seed: 9}
	a, err := TrainCNN(tr, ytr, va, yva, o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := TrainCNN(tr, ytr, va, yva, o)
	o.Seed = 10
	c, _ := TrainCNN(tr, ytr, va, yva, o)
	same, diff := true, false
	for k := range a.Weights {
		for i := range a.Weights[k] {
			same = same && a.Weights[k][i] == b.Weights[k][i]
			diff = diff || a.Weights[k][i] != c.Weights[k][i]
		}
	}
	if !same || !diff {
		t.Errorf("same seed equal: %v; seeds 9 and 10 differ: %v", same, diff)
	}
}
