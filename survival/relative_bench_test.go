package survival

import (
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkPoharPerme100k: Pohar Perme net survival of 100,000 patients
// followed up to 15 years (times in days), against a Gompertz life table.
func BenchmarkPoharPerme100k(b *testing.B) {
	const n = 100_000
	var sx []byte
	var yr, ag []int
	var hz []float64
	for _, s := range []byte{'F', 'M'} {
		for y := 1990; y <= 2030; y++ {
			for a := 0; a <= 100; a++ {
				sx, yr, ag = append(sx, s), append(yr, y), append(ag, a)
				hz = append(hz, 0.0002+1.42e-5*math.Exp(0.095*float64(a)))
			}
		}
	}
	lt, err := NewLifeTable(sx, yr, ag, hz)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	time, ev := make([]float64, n), make([]bool, n)
	age, year, sex := make([]float64, n), make([]float64, n), make([]int, n)
	for i := 0; i < n; i++ {
		age[i] = 40 + 45*r.Float64()
		year[i] = 2000 + 12*r.Float64()
		sex[i] = r.IntN(2)
		death := r.ExpFloat64() / (0.05 + 1.42e-5*math.Exp(0.095*age[i]))
		cens := 2024.99 - year[i]
		time[i] = math.Ceil(math.Min(death, cens)*365.241) / 365.241
		ev[i] = death < cens
	}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		if _, err := RelativeSurvival(time, ev, age, year, sex, lt, RelativeOptions{Times: []float64{1, 5, 10}}); err != nil {
			b.Fatal(err)
		}
	}
}
