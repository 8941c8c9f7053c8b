package survival

import (
	"math"
	"strings"
	"testing"
)

// smallTable is a flat table: hazard 0.01 at every age 30..100, years
// 2000..2010, both sexes.
func smallTable(t *testing.T, skipYear int) *LifeTable {
	t.Helper()
	var sx []byte
	var yr, ag []int
	var hz []float64
	for _, s := range []byte{'F', 'M'} {
		for y := 2000; y <= 2010; y++ {
			if y == skipYear {
				continue
			}
			for a := 30; a <= 100; a++ {
				sx, yr, ag, hz = append(sx, s), append(yr, y), append(ag, a), append(hz, 0.01)
			}
		}
	}
	lt, err := NewLifeTable(sx, yr, ag, hz)
	if err != nil {
		t.Fatal(err)
	}
	return lt
}

func TestRelativeSurvivalBadInput(t *testing.T) {
	lt := smallTable(t, 0)
	time, ev := []float64{1, 2}, []bool{true, false}
	sex := []int{0, 0}
	for _, c := range []struct {
		name      string
		age, year []float64
		want      string
	}{
		{"age below the life table", []float64{25, 60}, []float64{2001, 2001}, "row 0: age 25.00 is below the life table's first age 30"},
		{"follow-up beyond the table's years", []float64{60, 60}, []float64{2001, 2009.5}, "row 1: year 2011 is outside the life table's years 2000..2010"},
		{"diagnosis before the table's years", []float64{60, 60}, []float64{1999.5, 2001}, "row 0: year 1999 is outside the life table's years 2000..2010"},
	} {
		_, err := RelativeSurvival(time, ev, c.age, c.year, sex, lt, RelativeOptions{})
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	// A year missing from the middle of the table is an error when built.
	var sx []byte
	var yr, ag []int
	var hz []float64
	for _, y := range []int{2000, 2002} {
		for a := 30; a <= 31; a++ {
			sx, yr, ag, hz = append(sx, 'F'), append(yr, y), append(ag, a), append(hz, 0.01)
		}
	}
	if _, err := NewLifeTable(sx, yr, ag, hz); err == nil || !strings.Contains(err.Error(), "no row for sex F, year 2001") {
		t.Errorf("missing year: %v", err)
	}
	if _, err := RelativeSurvival([]float64{0, 1}, ev, []float64{60, 60}, []float64{2001, 2001}, sex, lt, RelativeOptions{}); err == nil {
		t.Error("zero follow-up was accepted")
	}
}

// TestRelativeSurvivalProperties: with a population hazard of 0, Ederer II
// and Pohar Perme equal the Kaplan–Meier curve; entry 0 for all changes
// nothing; ages past the last row use it (open-ended).
func TestRelativeSurvivalProperties(t *testing.T) {
	var sx []byte
	var yr, ag []int
	var hz []float64
	for y := 2000; y <= 2030; y++ {
		for a := 0; a <= 100; a++ {
			sx, yr, ag, hz = append(sx, 'F'), append(yr, y), append(ag, a), append(hz, 0)
		}
	}
	zero, err := NewLifeTable(sx, yr, ag, hz)
	if err != nil {
		t.Fatal(err)
	}
	time, event, _, _ := cohort(400, 21)
	n := len(time)
	age, year, sex := make([]float64, n), make([]float64, n), make([]int, n)
	for i := range age {
		age[i], year[i] = 60+float64(i%30), 2001+float64(i%7)/7
	}
	km, _ := KaplanMeier(time, event, KMOptions{Times: []float64{0.5, 1, 2}})
	for _, m := range []RelativeMethod{PoharPerme, EdererII} {
		r, err := RelativeSurvival(time, event, age, year, sex, zero, RelativeOptions{Method: m, Times: []float64{0.5, 1, 2}})
		if err != nil {
			t.Fatal(err)
		}
		for k := range r.At {
			if math.Abs(r.At[k].Surv-km.At[k].Surv) > 1e-12 {
				t.Errorf("%s with zero population hazard: %v, Kaplan-Meier %v", m, r.At[k].Surv, km.At[k].Surv)
			}
		}
	}
	lt := smallTable(t, 0)
	for i := range age {
		age[i], year[i] = 95+float64(i%10), 2001 // reaching past age 100
	}
	a, err := RelativeSurvival(time, event, age, year, sex, lt, RelativeOptions{Times: []float64{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := RelativeSurvival(time, event, age, year, sex, lt, RelativeOptions{Times: []float64{1, 2}, Entry: make([]float64, n)})
	if err != nil {
		t.Fatal(err)
	}
	for k := range a.At {
		if math.Abs(a.At[k].Surv-b.At[k].Surv) > 1e-12 {
			t.Errorf("entry 0 changed the estimate: %v vs %v", a.At[k].Surv, b.At[k].Surv)
		}
	}
}
