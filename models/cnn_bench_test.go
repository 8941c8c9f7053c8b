package models

import (
	"math/rand/v2"
	"testing"
)

// benchExams makes n exams of four size×size views of noise.
func benchExams(n, size int) ([]Exam, []bool) {
	r := rand.New(rand.NewPCG(5, 5))
	ex := make([]Exam, n)
	y := make([]bool, n)
	for i := range ex {
		for v := range ex[i] {
			ex[i][v] = make([]float32, size*size)
			for k := range ex[i][v] {
				ex[i][v][k] = float32(r.NormFloat64())
			}
		}
		y[i] = i%2 == 0
	}
	return ex, y
}

// BenchmarkCNNTrain64: training steps of the triage CNN at 64×64, 8 exams
// (32 images) per step, as models/testdata/cnn_torch.py does in PyTorch.
func BenchmarkCNNTrain64(b *testing.B) {
	ex, y := benchExams(64, 64)
	const steps = 40
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		if _, err := TrainCNN(ex, y, ex[:8], y[:8], CNNOptions{Size: 64, Batch: 8, Steps: steps, EvalEvery: steps, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(steps*8*4*b.N)/b.Elapsed().Seconds(), "images/s")
}

// BenchmarkCNNInfer64: scoring exams at 64×64 in batches of 16 exams (64
// images) on one goroutine.
func BenchmarkCNNInfer64(b *testing.B) {
	ex, _ := benchExams(16, 64)
	c, err := NewCNN(64, 1)
	if err != nil {
		b.Fatal(err)
	}
	s, err := c.NewScorer(16)
	if err != nil {
		b.Fatal(err)
	}
	const rounds = 20
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for k := 0; k < rounds; k++ {
			if _, err := s.Score(ex); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(rounds*16*4*b.N)/b.Elapsed().Seconds(), "images/s")
}
