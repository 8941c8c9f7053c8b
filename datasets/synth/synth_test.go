package synth

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/screening"
)

type measured struct {
	overall screening.ScreeningRow
	r1, r2  float64 // reader flag rates
	aucSD   float64 // AI score AUC: screen-detected vs cancer-free exams
	aucInt  float64 // AI score AUC: exams before an interval cancer vs cancer-free
	sum     *Summary
}

// generateAndMeasure generates a registry, links it and measures it.
func generateAndMeasure(t testing.TB, persons int, seed uint64) measured {
	t.Helper()
	dir := t.TempDir()
	sum, err := Generate(dir, Config{Persons: persons, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := datasets.LoadRegistry(datasets.RegistryFiles{
		Persons:   filepath.Join(dir, "persons.csv"),
		Exams:     filepath.Join(dir, "exams.csv"),
		Diagnoses: filepath.Join(dir, "diagnoses.csv"),
	}, datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	linked, _, err := datasets.LinkOutcomes(reg, datasets.DefaultLinkOptions())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := screening.ScreeningMetrics(linked, reg.ExamExtra, screening.ScreeningOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := measured{overall: rep.Rows[0], sum: sum}
	var sd, iv, neg []float64
	for i := range linked {
		e := &linked[i]
		if e.Reader1Recall {
			m.r1++
		}
		if e.Reader2Recall {
			m.r2++
		}
		switch e.Outcome {
		case datasets.ScreenDetected:
			sd = append(sd, e.AIScore)
		case datasets.Interval:
			iv = append(iv, e.AIScore)
		case datasets.Negative:
			neg = append(neg, e.AIScore)
		}
	}
	m.r1 /= float64(len(linked))
	m.r2 /= float64(len(linked))
	m.aucSD, m.aucInt = rankAUC(sd, neg), rankAUC(iv, neg)
	return m
}

// rankAUC is the Mann–Whitney AUC of positives against negatives, ties one
// half, by sorting.
func rankAUC(pos, neg []float64) float64 {
	neg = append([]float64(nil), neg...)
	sort.Float64s(neg)
	sum := 0.0
	for _, p := range pos {
		lo := sort.SearchFloat64s(neg, p)
		hi := lo
		for hi < len(neg) && neg[hi] == p {
			hi++
		}
		sum += float64(lo) + 0.5*float64(hi-lo)
	}
	return sum / float64(len(pos)) / float64(len(neg))
}

// TestDefaultRegistryLooksLikeBreastScreenNorway checks the figures that the
// issue sets for the synthetic registry, on two seeds.
func TestDefaultRegistryLooksLikeBreastScreenNorway(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 100,000 persons")
	}
	for _, seed := range []uint64{1, 2} {
		m := generateAndMeasure(t, 100000, seed)
		o := m.overall
		t.Logf("seed %d: exams %.0f reader1 %.4f reader2 %.4f consensus %.4f recall %.4f cdr %.2f interval %.2f sensitivity %.3f ppv %.3f AI AUC sd %.3f interval %.3f",
			seed, o.Exams, m.r1, m.r2, o.ConsensusRate, o.RecallRate, o.CDR, o.IntervalRate, o.Sensitivity, o.PPV, m.aucSD, m.aucInt)
		checks := []struct {
			name     string
			got      float64
			min, max float64
		}{
			{"reader 1 flag rate", m.r1, 0.045, 0.065},
			{"reader 2 flag rate", m.r2, 0.045, 0.065},
			{"consensus rate", o.ConsensusRate, 0.075, 0.095},
			{"recall rate", o.RecallRate, 0.028, 0.036},
			{"cancer detection per 1000", o.CDR, 5.2, 6.8},
			{"interval cancers per 1000", o.IntervalRate, 1.3, 2.1},
			{"sensitivity", o.Sensitivity, 0.72, 0.83},
			{"AI AUC, screen-detected", m.aucSD, 0.87, 0.95},
			{"AI AUC, interval", m.aucInt, 0.55, 0.85},
		}
		for _, c := range checks {
			if c.got < c.min || c.got > c.max {
				t.Errorf("seed %d: %s = %.4f, want in [%g, %g]", seed, c.name, c.got, c.min, c.max)
			}
		}
		if m.aucInt >= m.aucSD {
			t.Errorf("seed %d: AI AUC for interval cancers %.3f should be below that for screen-detected %.3f", seed, m.aucInt, m.aucSD)
		}
	}
}

// The generator's incidence is plausible from its first year: among women
// 50–69, the invasive breast cancer rate of 1990–1992 is near that of
// 2000–2010 (it was a tenth of it while every tumour began at the
// registry's start and needed its sojourn time to surface). Counted by
// hand: diagnoses at ages 50–69 by year over person-years at those ages.
func TestIncidencePlausibleFromTheFirstYear(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 30,000 persons")
	}
	dir := t.TempDir()
	if _, err := Generate(dir, Config{Persons: 30000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	reg, err := datasets.LoadRegistry(datasets.RegistryFiles{Persons: filepath.Join(dir, "persons.csv"), Diagnoses: filepath.Join(dir, "diagnoses.csv")}, datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	birth := map[string]datasets.Date{}
	cases := map[int]float64{}
	years := map[int]float64{}
	for _, p := range reg.Persons {
		birth[p.ID] = p.BirthDate
		end := datasets.DateOf(2025, 1, 1)
		for _, d := range []datasets.Date{p.DeathDate, p.EmigrationDate} {
			if d != datasets.NoDate && d < end {
				end = d
			}
		}
		// Person-time at ages 50–69 in each calendar year.
		lo, hi := max(p.BirthDate.AddMonths(50*12), datasets.DateOf(1990, 1, 1)), min(p.BirthDate.AddMonths(70*12), end)
		for y := 1990; y <= 2024; y++ {
			a, b := max(lo, datasets.DateOf(y, 1, 1)), min(hi, datasets.DateOf(y+1, 1, 1))
			if b > a {
				years[y] += float64(b-a) / 365.25
			}
		}
	}
	for _, d := range reg.Diagnoses {
		if !strings.HasPrefix(d.ICD10, "C50") || d.Behaviour != 3 {
			continue
		}
		age := datasets.YearsBetween(birth[d.PersonID], d.Date)
		if y, _, _ := d.Date.Civil(); age >= 50 && age < 70 {
			cases[y]++
		}
	}
	rate := func(from, to int) float64 {
		c, py := 0.0, 0.0
		for y := from; y <= to; y++ {
			c, py = c+cases[y], py+years[y]
		}
		return 1e5 * c / py
	}
	early, later := rate(1990, 1992), rate(2000, 2010)
	t.Logf("per 100,000 women 50-69: 1990-1992 %.0f, 2000-2010 %.0f; 1990 alone %.0f", early, later, rate(1990, 1990))
	if early < 0.5*later || early > 1.5*later {
		t.Errorf("1990-1992 incidence %.0f per 100,000 against %.0f in 2000-2010", early, later)
	}
	if r := rate(1990, 1990); r < 100 {
		t.Errorf("1990 incidence %.0f per 100,000 women 50-69", r)
	}
}
