package evaluation

import (
	"math"
	"math/rand/v2"
	"testing"
)

func benchScores(n int) ([]float64, []bool) {
	r := rand.New(rand.NewPCG(1, 9))
	s, y := make([]float64, n), make([]bool, n)
	for i := range s {
		y[i] = r.Float64() < 0.1
		shift := 0.0
		if y[i] {
			shift = 1
		}
		// Rounded to 3 decimals: many ties, as AI scores have.
		s[i] = float64(int((r.NormFloat64()+shift)*1000)) / 1000
	}
	return s, y
}

// BenchmarkAUCDeLong10M: AUC with the DeLong interval on 10,000,000 scores.
func BenchmarkAUCDeLong10M(b *testing.B) {
	s, y := benchScores(10_000_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := AUCDeLong(s, y, 0.95); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(s)*b.N)/b.Elapsed().Seconds(), "scores/s")
}

// BenchmarkBinaryEvaluation1M: AUC, ROC, average precision, Brier and the
// whole calibration (lowess included) on 1,000,000 probabilities.
func BenchmarkBinaryEvaluation1M(b *testing.B) {
	s, y := benchScores(1_000_000)
	p := make([]float64, len(s))
	for i, v := range s {
		p[i] = 1 / (1 + math.Exp(-v)/0.2)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := AUCDeLong(p, y, 0.95); err != nil {
			b.Fatal(err)
		}
		AveragePrecision(ROC(p, y))
		Brier(p, y)
		if _, err := Calibrate(p, y, 0.95); err != nil {
			b.Fatal(err)
		}
	}
}
