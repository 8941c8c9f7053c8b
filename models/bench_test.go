package models

import (
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkLogisticFit1Mx20: unpenalised logistic regression on
// 1,000,000 rows and 20 predictors.
func BenchmarkLogisticFit1Mx20(b *testing.B) {
	const n, p = 1_000_000, 20
	r := rand.New(rand.NewPCG(2, 2))
	x := make([]float64, n*p)
	y := make([]bool, n)
	names := make([]string, p)
	for j := range names {
		names[j] = "x" + string(rune('a'+j))
	}
	for i := 0; i < n; i++ {
		eta := -2.0
		for j := 0; j < p; j++ {
			v := r.NormFloat64()
			x[i*p+j] = v
			eta += 0.1 * float64(j%5-2) * v
		}
		y[i] = r.Float64() < 1/(1+math.Exp(-eta))
	}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		if _, err := FitLogistic(x, y, names, 0, 0.95); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
