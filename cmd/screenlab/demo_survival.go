package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/survival"
)

// DemoSurvival is the demo's survival of the registry's breast cancer
// patients: Kaplan–Meier by stage with the log-rank test, a Cox model of
// stage and age, and Pohar Perme net survival against the life table.
type DemoSurvival struct {
	Patients int                   `json:"patients"`
	KM       *survival.KMByGroup   `json:"km_by_stage"`
	Cox      *survival.CoxResult   `json:"cox"`
	Net      *survival.NetSurvival `json:"net_survival"`
	// CIF is the cumulative incidence of breast cancer after a woman's
	// first screen by breast density, with death as the competing risk.
	CIF      *survival.CIFByGroup `json:"cif_by_density"`
	Screened int                  `json:"cif_women"`
}

// writeCohort writes each woman's first invasive breast cancer (C50,
// behaviour 3) with a known stage, followed from diagnosis to death (the
// event), emigration or the end of data: person_id, sex, age, year
// (decimal), stage, years, dead.
func writeCohort(reg *datasets.Registry, end datasets.Date, path string) (int, error) {
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
	cols := []datasets.ColumnSpec{{Name: "person_id"}, {Name: "sex"}, {Name: "age", Kind: datasets.KindFloat},
		{Name: "year", Kind: datasets.KindFloat}, {Name: "stage"}, {Name: "years", Kind: datasets.KindFloat}, {Name: "dead", Kind: datasets.KindInt}}
	n := 0
	err := datasets.WriteTable(path, cols, func(w *datasets.TableWriter) error {
		for i := range reg.Persons {
			p := &reg.Persons[i]
			d := first[p.ID]
			if d == nil {
				continue
			}
			exit, dead := end, 0
			if x := p.ExitDate(); x != datasets.NoDate && x <= end {
				exit = x
				if x == p.DeathDate {
					dead = 1
				}
			}
			if exit < d.Date {
				continue
			}
			years := max(datasets.YearsBetween(d.Date, exit), 0.5/365.25) // a death on the day of diagnosis: half a day
			w.String(p.ID)
			w.String(string(p.Sex))
			w.Float(datasets.YearsBetween(p.BirthDate, d.Date), 4)
			w.Float(d.Date.EpiYear(), 4)
			w.String(d.Stage)
			w.Float(years, 5)
			w.Int(dead)
			if err := w.EndRow(); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// demoSurvival runs the survival analyses on the cohort of patients, and the
// cumulative incidence of breast cancer on the cohort of screened women.
func demoSurvival(dir, regDir string, reg *datasets.Registry, end datasets.Date) (*DemoSurvival, []string, error) {
	cohort := filepath.Join(dir, "cohort.csv")
	n, err := writeCohort(reg, end, cohort)
	if err != nil {
		return nil, nil, err
	}
	f := &Factory{IO: quietStreams()}
	tf := timeFlags{Data: cohort, Time: "years"}
	res := &DemoSurvival{Patients: n}
	if res.KM, err = SurvivalKM(&kmOptions{f: f, timeFlags: tf, Event: "dead", Group: "stage", Times: "1,5,10", ConfType: "log", Level: 0.95}); err != nil {
		return nil, nil, fmt.Errorf("survival km by stage: %w", err)
	}
	if res.Cox, err = SurvivalCox(&coxOptions{f: f, timeFlags: tf, Event: "dead", Covariates: []string{"stage", "age"}, Ties: "efron", Level: 0.95, MaxIter: 20}); err != nil {
		return nil, nil, fmt.Errorf("survival cox: %w", err)
	}
	if res.Net, err = SurvivalRelative(&relativeOptions{f: f, timeFlags: tf, Event: "dead", Age: "age", Sex: "sex", Year: "year",
		LifeTable: filepath.Join(regDir, "lifetable.csv"), Method: "pohar-perme", Times: "1,5,10", Level: 0.95}); err != nil {
		return nil, nil, fmt.Errorf("net survival: %w", err)
	}
	screened := filepath.Join(dir, "screened_cohort.csv")
	if res.Screened, err = writeScreenedCohort(reg, end, screened); err != nil {
		return nil, nil, err
	}
	if res.CIF, err = SurvivalCIF(&cifOptions{f: f, timeFlags: timeFlags{Data: screened, Time: "years"}, Status: "status", Group: "density",
		Times: "5,10,15", Level: 0.95}); err != nil {
		return nil, nil, fmt.Errorf("cumulative incidence by density: %w", err)
	}
	return res, []string{cohort, screened}, nil
}

// writeScreenedCohort follows each woman from her first screen to her first
// invasive breast cancer (status 1), death without one (status 2, the
// competing risk), or emigration or the end of data (0), with the breast
// density of the first screen (a-d, or unknown). Women with a breast cancer
// on or before the day of their first screen are left out.
func writeScreenedCohort(reg *datasets.Registry, end datasets.Date, path string) (int, error) {
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
	cols := []datasets.ColumnSpec{{Name: "person_id"}, {Name: "density"}, {Name: "years", Kind: datasets.KindFloat}, {Name: "status", Kind: datasets.KindInt}}
	n := 0
	err := datasets.WriteTable(path, cols, func(w *datasets.TableWriter) error {
		for _, id := range order {
			e, p := first[id], reg.Person(id)
			if p == nil || e.Date > end {
				continue
			}
			c, hasCancer := cancer[id]
			if hasCancer && c <= e.Date {
				continue
			}
			exit, status := end, 0
			if x := p.ExitDate(); x != datasets.NoDate && x <= end {
				exit = x
				if x == p.DeathDate {
					status = 2
				}
			}
			if hasCancer && c <= exit {
				exit, status = c, 1
			}
			density := e.Density
			if density == "" {
				density = "unknown"
			}
			w.String(id)
			w.String(density)
			w.Float(max(datasets.YearsBetween(e.Date, exit), 0.5/365.25), 5)
			w.Int(status)
			if err := w.EndRow(); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// pText shows a p-value; below 1e-16 it says so rather than print an
// underflowed 0.
func pText(p float64) string {
	if p < 1e-16 {
		return "< 1e-16"
	}
	return fmt.Sprintf("%.2g", p)
}
