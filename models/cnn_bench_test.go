package models

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/screenlab/screenlab/internal/hugeheap"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
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
	hugeheap.AsTheCommand() // the heap screenlab's main gives a command
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
	hugeheap.AsTheCommand() // the heap screenlab's main gives a command
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

// BenchmarkCNNOps times each op of a training step on its own, at the
// network's three layers for 32 images of 64×64 (8 exams), as
// models/testdata/cnn_torch.py --ops times PyTorch's: the convolution
// forward, its input and kernel gradients, ReLU + 2×2 pooling and its
// gradient. make bench prints the two side by side.
func BenchmarkCNNOps(b *testing.B) {
	hugeheap.AsTheCommand() // the heap screenlab's main gives a command
	r := rand.New(rand.NewPCG(9, 9))
	fill := func(shape ...int) *tensor.Dense {
		t := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(shape...))
		for i, d := 0, t.Data().([]float32); i < len(d); i++ {
			d[i] = float32(r.NormFloat64())
		}
		return t
	}
	const n = 32
	for l, s := range [][3]int{{1, 8, 64}, {8, 16, 32}, {16, 32, 16}} {
		c, o, hw := s[0], s[1], s[2]
		x, w, dy := fill(n, c, hw, hw), fill(o, c, 3, 3), fill(n, o, hw, hw)
		pooled := fill(n, o, hw/2, hw/2)
		// Each op keeps its scratch from one call to the next, as in a graph.
		pool := reluPoolOp{2, &opScratch{}, new(poolArgmax)}
		conv, dx, dw, dpool := conv3Op{&opScratch{}, true}, conv3GradX{&opScratch{}}, conv3GradW{&opScratch{}}, reluPoolGrad{2, &opScratch{}, pool.arg}
		ops := []struct {
			name string
			do   func() (G.Value, error)
		}{
			{"conv", func() (G.Value, error) { return conv.Do(x, w) }},
			{"conv_dx", func() (G.Value, error) { return dx.Do(w, dy) }},
			{"conv_dw", func() (G.Value, error) { return dw.Do(x, dy) }},
			{"relupool", func() (G.Value, error) { return pool.Do(dy) }},
			{"relupool_dx", func() (G.Value, error) { return dpool.Do(dy, pooled) }},
		}
		if _, err := pool.Do(dy); err != nil { // the argmax the gradient reads
			b.Fatal(err)
		}
		for _, op := range ops {
			if l == 0 && op.name == "conv_dx" {
				continue // the images need no gradient
			}
			b.Run(fmt.Sprintf("layer%d/%s", l+1, op.name), func(b *testing.B) {
				for b.Loop() {
					if _, err := op.do(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
