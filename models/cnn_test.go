package models

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
)

// spotExams makes exams of four 32×32 views of noise; positive exams have
// a bright spot in one view (like a lesion in one breast).
func spotExams(n, s int, seed uint64) ([]Exam, []bool) {
	r := rand.New(rand.NewPCG(seed, 11))
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
			v, cx, cy := r.IntN(4), 3+r.IntN(s-6), 3+r.IntN(s-6)
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
	tr, ytr := spotExams(300, 32, 1)
	va, yva := spotExams(90, 32, 2)
	te, yte := spotExams(120, 32, 3)
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
	tr, ytr := spotExams(60, 16, 5)
	va, yva := spotExams(30, 16, 6)
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

// TestCNNCheckpointResume: training stopped after 20 steps and resumed from
// its checkpoint ends with the same weights as 40 uninterrupted steps; a
// checkpoint from other data is refused.
func TestCNNCheckpointResume(t *testing.T) {
	tr, ytr := spotExams(60, 16, 5)
	va, yva := spotExams(30, 16, 6)
	o := CNNOptions{Size: 16, Batch: 8, Steps: 40, EvalEvery: 10, Patience: 10, Seed: 3}
	whole, err := TrainCNN(tr, ytr, va, yva, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Checkpoint = t.TempDir() + "/cnn.ckpt"
	o.Steps = 20
	if _, err := TrainCNN(tr, ytr, va, yva, o); err != nil {
		t.Fatal(err)
	}
	o.Steps, o.Resume = 40, true
	resumed, err := TrainCNN(tr, ytr, va, yva, o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(whole, resumed) {
		t.Errorf("resumed run differs: best step %d AUC %.4f vs %d %.4f", resumed.Steps, resumed.BestAUC, whole.Steps, whole.BestAUC)
	}
	tr2, ytr2 := spotExams(60, 16, 7)
	if _, err := TrainCNN(tr2, ytr2, va, yva, o); !errors.Is(err, ErrCheckpointMismatch) {
		t.Errorf("other data: %v, want ErrCheckpointMismatch", err)
	}
	// The attack: the checkpoint's step moved on by hand, and then its
	// best AUC. Each edit is refused; the untouched file still resumes.
	raw, err := os.ReadFile(o.Checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	for _, edit := range []struct{ from, to string }{{`"step":40`, `"step":30`}, {`"best_auc":`, `"best_auc":0.99,"x":`}} {
		if !strings.Contains(string(raw), edit.from) {
			t.Fatalf("the checkpoint has no %s", edit.from)
		}
		os.WriteFile(o.Checkpoint, []byte(strings.Replace(string(raw), edit.from, edit.to, 1)), 0o644)
		if _, err := TrainCNN(tr, ytr, va, yva, o); !errors.Is(err, ErrCheckpointMismatch) || !strings.Contains(err.Error(), "SHA-256") {
			t.Errorf("edited %s: %v", edit.from, err)
		}
	}
}

// TestScorerBatches: scores do not depend on the batch size or on the
// other exams of a batch, and the exam score is at least each view's.
func TestScorerBatches(t *testing.T) {
	tr, ytr := spotExams(60, 16, 5)
	va, yva := spotExams(30, 16, 6)
	c, err := TrainCNN(tr, ytr, va, yva, CNNOptions{Size: 16, Batch: 8, Steps: 20, EvalEvery: 10, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	s1, _ := c.NewScorer(1)
	s7, _ := c.NewScorer(7)
	a, err := s1.Score(va)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s7.Score(va)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if math.Abs(a[i].Exam-b[i].Exam) > 1e-6 {
			t.Fatalf("exam %d: %.7f alone, %.7f in a batch of 7", i, a[i].Exam, b[i].Exam)
		}
		for v := 0; v < 4; v++ {
			if a[i].Views[v] > a[i].Exam+1e-9 {
				t.Fatalf("exam %d view %d: %.4f above the exam's %.4f", i, v, a[i].Views[v], a[i].Exam)
			}
		}
	}
	if _, err := s1.Score([]Exam{{make([]float32, 9), nil, nil, nil}}); err == nil {
		t.Error("a view of the wrong size was scored")
	}
}

// TestAugmentView: without extras a view is copied or flipped up–down
// exactly; with them, a constant view stays constant inside (times the
// contrast factor in 0.9–1.1), and the same seed gives the same view.
func TestAugmentView(t *testing.T) {
	const n = 8
	src := make([]float32, n*n)
	for i := range src {
		src[i] = float32(i)
	}
	dst := make([]float32, n*n)
	r := rand.New(rand.NewPCG(1, 1))
	for k := 0; k < 10; k++ {
		augmentView(dst, src, n, r, false)
		same, flipped := dst[0] == src[0], dst[0] == src[(n-1)*n]
		if !same && !flipped || dst[n*n-1] != src[n*n-1] && dst[n*n-1] != src[n-1] {
			t.Fatalf("plain augmentation is neither a copy nor a flip: %v", dst[:n])
		}
	}
	ones := make([]float32, n*n)
	for i := range ones {
		ones[i] = 1
	}
	a := make([]float32, n*n)
	augmentView(a, ones, n, rand.New(rand.NewPCG(2, 2)), true)
	b := make([]float32, n*n)
	augmentView(b, ones, n, rand.New(rand.NewPCG(2, 2)), true)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different augmentation")
	}
	mid := a[(n/2)*n+n/2]
	if mid < 0.9 || mid > 1.1 {
		t.Errorf("centre of a constant view %.3f, want the contrast factor in [0.9, 1.1]", mid)
	}
	for _, v := range a[2*n+2 : 2*n+n-2] {
		if math.Abs(float64(v-mid)) > 1e-5 {
			t.Errorf("interior not constant: %v", a[2*n:3*n])
			break
		}
	}
}
