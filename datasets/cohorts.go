package datasets

import (
	"strconv"
	"strings"
)

// asWritten rounds x to prec decimals, as a table file holds it.
func asWritten(x float64, prec int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', prec, 64), 64)
	return v
}

// Patients is a cohort of cancer patients, one entry per woman in every
// column: her id, sex and stage, her age (years) and the calendar time
// (CalendarYear, for the life table) at diagnosis, the years of follow-up, and
// whether it ended in death. Values are rounded as the cohort's file holds
// them (age and year to 4 decimals, follow-up to 5), so that an analysis of
// the struct and of the written file agree to the last digit.
type Patients struct {
	PersonID, Sex, Stage []string
	Age, Year            []float64
	Years                []float64
	Dead                 []bool
}

// BreastCancerPatients follows each woman's first invasive breast cancer
// (C50, behaviour 3) with a known stage from diagnosis to death (the
// event), emigration or end (censored). A death on the day of diagnosis
// counts half a day of follow-up.
func BreastCancerPatients(reg *Registry, end Date) *Patients {
	first := map[string]*Diagnosis{}
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		if !strings.HasPrefix(d.ICD10, "C50") || d.Behaviour != 3 || d.Stage == "" {
			continue
		}
		if f := first[d.PersonID]; f == nil || d.Date < f.Date {
			first[d.PersonID] = d
		}
	}
	c := &Patients{}
	for i := range reg.Persons {
		p := &reg.Persons[i]
		d := first[p.ID]
		if d == nil {
			continue
		}
		exit, dead := end, false
		if x := p.ExitDate(); x != NoDate && x <= end {
			exit = x
			dead = x == p.DeathDate
		}
		if exit < d.Date {
			continue
		}
		years := max(YearsBetween(d.Date, exit), 0.5/365.25) // a death on the day of diagnosis: half a day
		c.PersonID, c.Sex, c.Stage = append(c.PersonID, p.ID), append(c.Sex, string(p.Sex)), append(c.Stage, d.Stage)
		c.Age = append(c.Age, asWritten(YearsBetween(p.BirthDate, d.Date), 4))
		c.Year = append(c.Year, asWritten(d.Date.CalendarYear(), 4))
		c.Years, c.Dead = append(c.Years, asWritten(years, 5)), append(c.Dead, dead)
	}
	return c
}

// Write writes the cohort (person_id, sex, age, year, stage, years, dead).
func (c *Patients) Write(path string) error {
	cols := []ColumnSpec{{Name: "person_id"}, {Name: "sex"}, {Name: "age", Kind: KindFloat},
		{Name: "year", Kind: KindFloat}, {Name: "stage"}, {Name: "years", Kind: KindFloat}, {Name: "dead", Kind: KindInt}}
	return WriteTable(path, cols, func(w *TableWriter) error {
		for i := range c.PersonID {
			w.String(c.PersonID[i])
			w.String(c.Sex[i])
			w.Float(c.Age[i], 4)
			w.Float(c.Year[i], 4)
			w.String(c.Stage[i])
			w.Float(c.Years[i], 5)
			dead := 0
			if c.Dead[i] {
				dead = 1
			}
			w.Int(dead)
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}

// Screened is a cohort of screened women for competing risks: her id, the
// breast density at her first screen (a-d, or unknown), the years from it
// to the end of follow-up (rounded to 5 decimals, as its file holds them)
// and the status there: 1 a first invasive breast cancer, 2 death without
// one (the competing risk), 0 censored.
type Screened struct {
	PersonID, Density []string
	Years             []float64
	Status            []int
}

// ScreenedWomen follows each woman from her first screen to her first
// invasive breast cancer (C50, behaviour 3), death, emigration or end.
// Women with a breast cancer on or before the day of their first screen
// are left out.
func ScreenedWomen(reg *Registry, end Date) *Screened {
	first := map[string]*Exam{}
	var order []string
	for i := range reg.Exams {
		e := &reg.Exams[i]
		if f := first[e.PersonID]; f == nil {
			order = append(order, e.PersonID)
			first[e.PersonID] = e
		} else if e.Date < f.Date {
			first[e.PersonID] = e
		}
	}
	cancer := map[string]Date{}
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		if !strings.HasPrefix(d.ICD10, "C50") || d.Behaviour != 3 {
			continue
		}
		if c, ok := cancer[d.PersonID]; !ok || d.Date < c {
			cancer[d.PersonID] = d.Date
		}
	}
	c := &Screened{}
	for _, id := range order {
		e, p := first[id], reg.Person(id)
		if p == nil || e.Date > end {
			continue
		}
		dx, hasCancer := cancer[id]
		if hasCancer && dx <= e.Date {
			continue
		}
		exit, status := end, 0
		if x := p.ExitDate(); x != NoDate && x <= end {
			exit = x
			if x == p.DeathDate {
				status = 2
			}
		}
		if hasCancer && dx <= exit {
			exit, status = dx, 1
		}
		density := e.Density
		if density == "" {
			density = "unknown"
		}
		c.PersonID, c.Density = append(c.PersonID, id), append(c.Density, density)
		c.Years = append(c.Years, asWritten(max(YearsBetween(e.Date, exit), 0.5/365.25), 5))
		c.Status = append(c.Status, status)
	}
	return c
}

// Write writes the cohort (person_id, density, years, status).
func (c *Screened) Write(path string) error {
	cols := []ColumnSpec{{Name: "person_id"}, {Name: "density"}, {Name: "years", Kind: KindFloat}, {Name: "status", Kind: KindInt}}
	return WriteTable(path, cols, func(w *TableWriter) error {
		for i := range c.PersonID {
			w.String(c.PersonID[i])
			w.String(c.Density[i])
			w.Float(c.Years[i], 5)
			w.Int(c.Status[i])
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}
