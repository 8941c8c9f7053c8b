package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
)

// DemoIncidence is the demo's breast cancer incidence among women aged
// 50–69 (the screened ages): rates by year standardised to the European
// standard population 2013, and their log-linear trend.
type DemoIncidence struct {
	Rates *RatesOutput `json:"rates_by_year"`
	Trend *TrendOutput `json:"trend"`
}

// ageGroup5 labels a 5-year age band as the synthetic population does
// (0-4, 5-9, …, 90+).
func ageGroup5(age float64) string {
	g := int(age) / 5
	if g >= 18 {
		return "90+"
	}
	return strconv.Itoa(5*g) + "-" + strconv.Itoa(5*g+4)
}

// writeIncidenceInputs writes the invasive breast cancers of women by
// year and age group (cases) and the women's person-years from the
// registry's population file.
func writeIncidenceInputs(reg *datasets.Registry, popPath, casesOut, popOut string) error {
	counts := map[[2]string]int{}
	var keys [][2]string
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		p := reg.Person(d.PersonID)
		if !strings.HasPrefix(d.ICD10, "C50") || d.Behaviour != 3 || p == nil || p.Sex != 'F' {
			continue
		}
		y, _, _ := d.Date.Civil()
		k := [2]string{strconv.Itoa(y), ageGroup5(datasets.YearsBetween(p.BirthDate, d.Date))}
		if counts[k] == 0 {
			keys = append(keys, k)
		}
		counts[k]++
	}
	w, err := datasets.CreateTable(casesOut, []datasets.ColumnSpec{{Name: "year"}, {Name: "agegroup"}, {Name: "cases", Kind: datasets.KindInt}})
	if err != nil {
		return err
	}
	for _, k := range keys {
		w.String(k[0])
		w.String(k[1])
		w.Int(counts[k])
		if err := w.EndRow(); err != nil {
			w.Abort()
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	fr, err := datasets.ReadFrameColumns(popPath, "sex", "year", "agegroup", "person_years")
	if err != nil {
		return err
	}
	sex, _ := fr.Strings("sex")
	year, _ := fr.Strings("year")
	age, _ := fr.Strings("agegroup")
	py, err := fr.Floats("person_years", false)
	if err != nil {
		return err
	}
	pw, err := datasets.CreateTable(popOut, []datasets.ColumnSpec{{Name: "year"}, {Name: "agegroup"}, {Name: "person_years", Kind: datasets.KindFloat}})
	if err != nil {
		return err
	}
	for i := range sex {
		if sex[i] != "F" {
			continue
		}
		pw.String(year[i])
		pw.String(age[i])
		pw.Float(py[i], -1)
		if err := pw.EndRow(); err != nil {
			pw.Abort()
			return err
		}
	}
	return pw.Close()
}

// demoIncidence computes the rates and the trend.
func demoIncidence(dir, regDir string, reg *datasets.Registry) (*DemoIncidence, []string, error) {
	cases, pop := filepath.Join(dir, "incidence_cases.csv"), filepath.Join(dir, "incidence_women.csv")
	if err := writeIncidenceInputs(reg, filepath.Join(regDir, "population.csv"), cases, pop); err != nil {
		return nil, nil, err
	}
	f := &Factory{IO: quietStreams()}
	cf := countFlags{Cases: cases, Population: pop, AgeCol: "agegroup", CasesCol: "cases", PYCol: "person_years"}
	res := &DemoIncidence{}
	var err error
	if res.Rates, err = IncidenceRates(&ratesOptions{f: f, countFlags: cf, By: []string{"year"}, Standard: "esp2013", Ages: "50-69",
		Per: 100000, CI: "fay-feuer", Level: 0.95}); err != nil {
		return nil, nil, fmt.Errorf("incidence rates: %w", err)
	}
	if res.Trend, err = IncidenceTrend(&trendOptions{f: f, countFlags: cf, Year: "year", Level: 0.95}); err != nil {
		return nil, nil, fmt.Errorf("incidence trend: %w", err)
	}
	return res, []string{cases, pop}, nil
}
