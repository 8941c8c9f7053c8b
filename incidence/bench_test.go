package incidence

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkSplitAgePeriod1M splits 1,000,000 persons' follow-up (about 12
// years each) on attained age and calendar period in 1-year bands and
// aggregates the person-years and events.
func BenchmarkSplitAgePeriod1M(b *testing.B) {
	const n = 1_000_000
	r := rand.New(rand.NewPCG(1, 2))
	birth, entry, exit := make([]float64, n), make([]float64, n), make([]float64, n)
	ev := make([]bool, n)
	for i := 0; i < n; i++ {
		birth[i] = 1920 + 50*r.Float64()
		entry[i] = max(birth[i], 1990) + 10*r.Float64()
		exit[i] = min(entry[i]+24*r.Float64(), 2024.999)
		ev[i] = r.Float64() < 0.1
	}
	breaks, _ := ParseBreaks("age=0:1:110,period=1990:1:2025")
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		if _, _, err := Aggregate(birth, entry, exit, ev, breaks); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "persons/s")
}
