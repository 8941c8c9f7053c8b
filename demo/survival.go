package demo

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/survival"
)

// asWritten rounds x to prec decimals, as a table file holds it, so that
// the analyses run on exactly what the cohort files publish (a user who
// runs screenlab survival on them gets the same numbers).
func asWritten(x float64, prec int) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', prec, 64), 64)
	return v
}

// patients is each woman's first invasive breast cancer (C50, behaviour 3)
// with a known stage, followed from diagnosis to death (the event),
// emigration or the end of data.
type patients struct {
	id, sex, stage []string
	age, year      []float64 // at diagnosis; decimal years (datasets.EpiYear)
	years          []float64 // follow-up
	dead           []bool
}

func cohortOfPatients(reg *datasets.Registry, end datasets.Date) *patients {
	first := map[string]*datasets.Diagnosis{}
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		if !strings.HasPrefix(d.ICD10, "C50") || d.Behaviour != 3 || d.Stage == "" {
			continue
		}
		if f := first[d.PersonID]; f == nil || d.Date < f.Date {
			first[d.PersonID] = d
		}
	}
	c := &patients{}
	for i := range reg.Persons {
		p := &reg.Persons[i]
		d := first[p.ID]
		if d == nil {
			continue
		}
		exit, dead := end, false
		if x := p.ExitDate(); x != datasets.NoDate && x <= end {
			exit = x
			dead = x == p.DeathDate
		}
		if exit < d.Date {
			continue
		}
		years := max(datasets.YearsBetween(d.Date, exit), 0.5/365.25) // a death on the day of diagnosis: half a day
		c.id, c.sex, c.stage = append(c.id, p.ID), append(c.sex, string(p.Sex)), append(c.stage, d.Stage)
		c.age = append(c.age, asWritten(datasets.YearsBetween(p.BirthDate, d.Date), 4))
		c.year = append(c.year, asWritten(d.Date.EpiYear(), 4))
		c.years, c.dead = append(c.years, asWritten(years, 5)), append(c.dead, dead)
	}
	return c
}

func (c *patients) write(path string) error {
	cols := []datasets.ColumnSpec{{Name: "person_id"}, {Name: "sex"}, {Name: "age", Kind: datasets.KindFloat},
		{Name: "year", Kind: datasets.KindFloat}, {Name: "stage"}, {Name: "years", Kind: datasets.KindFloat}, {Name: "dead", Kind: datasets.KindInt}}
	return datasets.WriteTable(path, cols, func(w *datasets.TableWriter) error {
		for i := range c.id {
			w.String(c.id[i])
			w.String(c.sex[i])
			w.Float(c.age[i], 4)
			w.Float(c.year[i], 4)
			w.String(c.stage[i])
			w.Float(c.years[i], 5)
			dead := 0
			if c.dead[i] {
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

// screened is each woman followed from her first screen to her first
// invasive breast cancer (status 1), death without one (status 2, the
// competing risk), or emigration or the end of data (0), with the breast
// density of the first screen (a-d, or unknown). Women with a breast
// cancer on or before the day of their first screen are left out.
type screened struct {
	id, density []string
	years       []float64
	status      []int
}

func cohortOfScreened(reg *datasets.Registry, end datasets.Date) *screened {
	first := map[string]*datasets.Exam{}
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
	cancer := map[string]datasets.Date{}
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		if !strings.HasPrefix(d.ICD10, "C50") || d.Behaviour != 3 {
			continue
		}
		if c, ok := cancer[d.PersonID]; !ok || d.Date < c {
			cancer[d.PersonID] = d.Date
		}
	}
	c := &screened{}
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
		if x := p.ExitDate(); x != datasets.NoDate && x <= end {
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
		c.id, c.density = append(c.id, id), append(c.density, density)
		c.years = append(c.years, asWritten(max(datasets.YearsBetween(e.Date, exit), 0.5/365.25), 5))
		c.status = append(c.status, status)
	}
	return c
}

func (c *screened) write(path string) error {
	cols := []datasets.ColumnSpec{{Name: "person_id"}, {Name: "density"}, {Name: "years", Kind: datasets.KindFloat}, {Name: "status", Kind: datasets.KindInt}}
	return datasets.WriteTable(path, cols, func(w *datasets.TableWriter) error {
		for i := range c.id {
			w.String(c.id[i])
			w.String(c.density[i])
			w.Float(c.years[i], 5)
			w.Int(c.status[i])
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}

// lifeTable reads the registry's life table.
func lifeTable(path string) (*survival.LifeTable, error) {
	rows, _, _, err := datasets.ReadAll(path, datasets.LifeTableSchema, datasets.ReadOptions{})
	if err != nil {
		return nil, err
	}
	sx, yr, ag, hz := make([]byte, len(rows)), make([]int, len(rows)), make([]int, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		sx[i], yr[i], ag[i], hz[i] = r.Sex, r.Year, r.Age, r.Haz
	}
	lt, err := survival.NewLifeTable(sx, yr, ag, hz)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return lt, nil
}

// survivalAnalyses: Kaplan-Meier by stage with the log-rank test, a Cox
// model of stage and age, Pohar Perme net survival against the life table,
// and the cumulative incidence of breast cancer after a first screen by
// density with death competing.
func survivalAnalyses(dir, regDir string, reg *datasets.Registry, end datasets.Date) (*report.DemoSurvival, []string, error) {
	pt := cohortOfPatients(reg, end)
	cohortPath := filepath.Join(dir, "cohort.csv")
	if err := pt.write(cohortPath); err != nil {
		return nil, nil, err
	}
	res := &report.DemoSurvival{Patients: len(pt.id)}
	var err error
	if res.KM, err = survival.KaplanMeierByGroup(pt.years, pt.dead, pt.stage, survival.KMGroupOptions{
		KMOptions: survival.KMOptions{ConfType: survival.Log, Level: 0.95, Times: []float64{1, 5, 10}}}); err != nil {
		return nil, nil, fmt.Errorf("survival km by stage: %w", err)
	}
	fr, err := datasets.FrameOf(cohortPath, []string{"stage", "age"}, transpose(pt.stage, formatAll(pt.age)))
	if err != nil {
		return nil, nil, err
	}
	covs := []string{"stage", "age"}
	pipe, x, err := features.CovariatesOf(fr, covs, nil)
	if err != nil {
		return nil, nil, err
	}
	var terms []survival.Term
	for c, cols := range pipe.Terms() {
		terms = append(terms, survival.Term{Name: covs[c], Cols: cols})
	}
	if res.Cox, err = survival.FitCox(survival.CoxData{Time: pt.years, Event: pt.dead, X: x, Names: pipe.Names(), Terms: terms},
		survival.CoxOptions{Ties: survival.Efron, Level: 0.95, MaxIter: 20}); err != nil {
		return nil, nil, fmt.Errorf("survival cox: %w", err)
	}
	lt, err := lifeTable(filepath.Join(regDir, "lifetable.csv"))
	if err != nil {
		return nil, nil, err
	}
	sex := make([]int, len(pt.sex))
	for i, v := range pt.sex {
		code, _ := datasets.SexCode(v)
		s, ok := lt.SexIndex(code)
		if !ok {
			return nil, nil, fmt.Errorf("net survival: the life table has no sex %s", v)
		}
		sex[i] = s
	}
	if res.Net, err = survival.EstimateNetSurvival(pt.years, pt.dead, pt.age, pt.year, sex, lt,
		survival.RelativeOptions{Method: survival.PoharPerme, Times: []float64{1, 5, 10}, Level: 0.95}, ""); err != nil {
		return nil, nil, fmt.Errorf("net survival: %w", err)
	}
	sc := cohortOfScreened(reg, end)
	screenedPath := filepath.Join(dir, "screened_cohort.csv")
	if err := sc.write(screenedPath); err != nil {
		return nil, nil, err
	}
	res.Screened = len(sc.id)
	if res.CIF, err = survival.CumulativeIncidenceByGroup(sc.years, sc.status, sc.density, survival.CIFGroupOptions{Times: []float64{5, 10, 15}, Level: 0.95}); err != nil {
		return nil, nil, fmt.Errorf("cumulative incidence by density: %w", err)
	}
	return res, []string{cohortPath, screenedPath}, nil
}

func formatAll(x []float64) []string {
	out := make([]string, len(x))
	for i, v := range x {
		out[i] = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return out
}

// transpose makes rows of columns.
func transpose(cols ...[]string) [][]string {
	if len(cols) == 0 {
		return nil
	}
	rows := make([][]string, len(cols[0]))
	for r := range rows {
		rows[r] = make([]string, len(cols))
		for c := range cols {
			rows[r][c] = cols[c][r]
		}
	}
	return rows
}
