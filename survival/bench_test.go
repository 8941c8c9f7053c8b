package survival

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

var (
	benchOnce sync.Once
	bench     struct {
		time  []float64
		event []bool
		group []int
		x     []float64 // n × 10
	}
)

const benchN = 1_000_000

// benchCohort is 1,000,000 subjects with 10 covariates, three groups and
// times in whole days (many ties, as registry data have).
func benchCohort() {
	benchOnce.Do(func() {
		r := rand.New(rand.NewPCG(1, 1))
		bench.time = make([]float64, benchN)
		bench.event = make([]bool, benchN)
		bench.group = make([]int, benchN)
		bench.x = make([]float64, benchN*10)
		for i := 0; i < benchN; i++ {
			lp := 0.0
			for j := 0; j < 10; j++ {
				v := r.NormFloat64()
				if j%3 == 2 {
					v = float64(r.IntN(2))
				}
				bench.x[i*10+j] = v
				lp += 0.1 * float64(j%4-1) * v
			}
			bench.group[i] = r.IntN(3)
			ev := r.ExpFloat64() / 0.0005 / math.Exp(lp+0.2*float64(bench.group[i]))
			c := r.Float64() * 3650
			bench.time[i] = math.Ceil(math.Min(ev, c))
			bench.event[i] = ev <= c
		}
	})
}

// BenchmarkKMLogRank: Kaplan–Meier per group and the log-rank test, 3
// groups, 1,000,000 rows.
func BenchmarkKMLogRank(b *testing.B) {
	benchCohort()
	idx := make([][]int, 3)
	for i, g := range bench.group {
		idx[g] = append(idx[g], i)
	}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		for g := 0; g < 3; g++ {
			tm := make([]float64, len(idx[g]))
			ev := make([]bool, len(idx[g]))
			for k, i := range idx[g] {
				tm[k], ev[k] = bench.time[i], bench.event[i]
			}
			if _, err := KaplanMeier(tm, ev, KMOptions{Times: []float64{365, 1825}}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := LogRank(bench.time, bench.event, bench.group, 3, LogRankOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchN*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCoxEfron10: Cox (Efron) with 10 covariates, 1,000,000 rows.
func BenchmarkCoxEfron10(b *testing.B) {
	benchCohort()
	names := []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10"}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		res, err := FitCox(CoxData{Time: bench.time, Event: bench.event, X: bench.x, Names: names}, CoxOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if !res.Converged {
			b.Fatal("did not converge")
		}
	}
	b.ReportMetric(float64(benchN*b.N)/b.Elapsed().Seconds(), "rows/s")
}
