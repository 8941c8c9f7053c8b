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
	Patients int                 `json:"patients"`
	KM       *KMOutput           `json:"km_by_stage"`
	Cox      *survival.CoxResult `json:"cox"`
	Net      *RelativeOutput     `json:"net_survival"`
	Plot     string              `json:"km_plot"`
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
	w, err := datasets.CreateTable(path, cols)
	if err != nil {
		return 0, err
	}
	n := 0
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
		w.Float(d.Date.DecimalYear(), 4)
		w.String(d.Stage)
		w.Float(years, 5)
		w.Int(dead)
		if err := w.EndRow(); err != nil {
			w.Abort()
			return 0, err
		}
		n++
	}
	return n, w.Close()
}

// demoSurvival runs the survival analyses on the cohort.
func demoSurvival(dir, regDir string, reg *datasets.Registry, end datasets.Date) (*DemoSurvival, []string, error) {
	cohort := filepath.Join(dir, "cohort.csv")
	n, err := writeCohort(reg, end, cohort)
	if err != nil {
		return nil, nil, err
	}
	f := &Factory{IO: quietStreams()}
	tf := timeFlags{Data: cohort, Time: "years"}
	plot := filepath.Join(dir, "km_by_stage.svg")
	res := &DemoSurvival{Patients: n, Plot: plot}
	if res.KM, err = SurvivalKM(&kmOptions{f: f, timeFlags: tf, Event: "dead", Group: "stage", Times: "1,5,10", ConfType: "log", Level: 0.95, Plot: plot}); err != nil {
		return nil, nil, fmt.Errorf("survival km by stage: %w", err)
	}
	if res.Cox, err = SurvivalCox(&coxOptions{f: f, timeFlags: tf, Event: "dead", Covariates: []string{"stage", "age"}, Ties: "efron", Level: 0.95, MaxIter: 20}); err != nil {
		return nil, nil, fmt.Errorf("survival cox: %w", err)
	}
	if res.Net, err = SurvivalRelative(&relativeOptions{f: f, timeFlags: tf, Event: "dead", Age: "age", Sex: "sex", Year: "year",
		LifeTable: filepath.Join(regDir, "lifetable.csv"), Method: "pohar-perme", Times: "1,5,10", Level: 0.95}); err != nil {
		return nil, nil, fmt.Errorf("net survival: %w", err)
	}
	return res, []string{cohort, plot}, nil
}

// pText shows a p-value; below 1e-16 it says so rather than print an
// underflowed 0.
func pText(p float64) string {
	if p < 1e-16 {
		return "< 1e-16"
	}
	return fmt.Sprintf("%.2g", p)
}
