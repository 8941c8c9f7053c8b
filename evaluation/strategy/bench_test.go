package strategy

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// BenchmarkTriage1M: the default strategy table with 1,000 bootstrap
// replicates (women resampled) on 1,000,000 exams of 300,000 women
// (target: under 30 s).
func BenchmarkTriage1M(b *testing.B) {
	const n = 1_000_000
	r := rand.New(rand.NewPCG(8, 8))
	exams := make([]TriageExam, n)
	for i := range exams {
		e := &exams[i]
		e.Person = strconv.Itoa(i / 3)
		e.Score = r.Float64()
		e.Consensus = -1
		switch u := r.Float64(); {
		case u < 0.006:
			e.Outcome = datasets.ScreenDetected
			e.Reader1, e.Reader2, e.Consensus = true, r.IntN(2) == 0, 1
			e.Score = 0.5 + 0.5*e.Score
		case u < 0.008:
			e.Outcome = datasets.Interval
		default:
			e.Outcome = datasets.Negative
			if r.Float64() < 0.05 {
				e.Reader1, e.Consensus = true, int8(r.IntN(2))
			}
		}
	}
	var specs []StrategySpec
	for _, s := range DefaultStrategies {
		sp, err := ParseStrategy(s)
		if err != nil {
			b.Fatal(err)
		}
		specs = append(specs, sp)
	}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		if _, err := SimulateTriage(exams, specs, TriageOptions{Bootstrap: 1000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
