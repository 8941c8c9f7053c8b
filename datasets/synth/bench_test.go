package synth

import "testing"

// BenchmarkGenerate writes a registry of 1,000,000 persons (CSV) per op.
func BenchmarkGenerate(b *testing.B) {
	const persons = 1_000_000
	for i := 0; i < b.N; i++ {
		if _, err := Generate(b.TempDir(), Config{Persons: persons, Seed: uint64(i + 1)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(persons*b.N)/b.Elapsed().Seconds(), "persons/s")
}
