package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/incidence"
)

// DemoIncidence is the demo's breast cancer incidence among women aged
// 50–69 (the screened ages): rates by year standardised to the European
// standard population 2013, and their log-linear trend.
type DemoIncidence struct {
	Rates     *incidence.RateTable  `json:"rates_by_year"`
	Trend     *incidence.TrendTable `json:"trend"`
	SIR       *incidence.SIRTable   `json:"sir_by_region"`
	SIRPeriod string                `json:"sir_period"`
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
	if err := datasets.WriteTable(casesOut, []datasets.ColumnSpec{{Name: "year"}, {Name: "agegroup"}, {Name: "cases", Kind: datasets.KindInt}}, func(w *datasets.TableWriter) error {
		for _, k := range keys {
			w.String(k[0])
			w.String(k[1])
			w.Int(counts[k])
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
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
	return datasets.WriteTable(popOut, []datasets.ColumnSpec{{Name: "year"}, {Name: "agegroup"}, {Name: "person_years", Kind: datasets.KindFloat}}, func(w *datasets.TableWriter) error {
		for i := range sex {
			if sex[i] != "F" {
				continue
			}
			w.String(year[i])
			w.String(age[i])
			w.Float(py[i], -1)
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}

// demoIncidence computes the rates, the trend, and the SIRs by region over
// the last ten calendar years of data.
func demoIncidence(dir, regDir string, reg *datasets.Registry, end datasets.Date) (*DemoIncidence, []string, error) {
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
	endYear, m, d := end.Civil()
	if m == 12 && d == 31 { // data to the end of the year: that year is complete
		endYear++
	}
	from, to := endYear-10, endYear
	res.SIRPeriod = fmt.Sprintf("%d-%d", from, to-1)
	rc, rp, ref := filepath.Join(dir, "sir_cases.csv"), filepath.Join(dir, "sir_person_years.csv"), filepath.Join(dir, "sir_reference.csv")
	if err := writeRegionalInputs(reg, end, from, to, rc, rp, ref); err != nil {
		return nil, nil, err
	}
	if res.SIR, err = IncidenceSIR(&sirOptions{f: f, countFlags: countFlags{Cases: rc, Population: rp, AgeCol: "agegroup", CasesCol: "cases", PYCol: "person_years"},
		Ref: ref, By: []string{"region"}, RateCol: "rate", Level: 0.95}); err != nil {
		return nil, nil, fmt.Errorf("incidence sir by region: %w", err)
	}
	return res, []string{cases, pop, rc, rp, ref}, nil
}

// writeRegionalInputs writes, for women aged 50-69 in the calendar years
// [from, to), the invasive breast cancers by region and 5-year age group,
// the person-years by region and age group (Lexis-split from each woman's
// birth, death, emigration and the end of data), and the national rates by
// age group (all regions' cases over all regions' person-years), the
// reference of the SIRs.
func writeRegionalInputs(reg *datasets.Registry, end datasets.Date, from, to int, casesOut, pyOut, refOut string) error {
	start, stop := datasets.DateOf(from, 1, 1), min(datasets.DateOf(to, 1, 1), end)
	var birth, entry, exit []float64
	var region []string
	for i := range reg.Persons {
		p := &reg.Persons[i]
		x := stop
		if e := p.ExitDate(); e != datasets.NoDate && e < x {
			x = e
		}
		if p.Sex != 'F' || x <= start {
			continue
		}
		birth = append(birth, p.BirthDate.EpiYear())
		entry = append(entry, max(p.BirthDate, start).EpiYear())
		exit = append(exit, x.EpiYear())
		region = append(region, p.Region)
	}
	breaks, err := incidence.ParseBreaks("age=50:5:70")
	if err != nil {
		return err
	}
	type key struct{ region, age string }
	py := map[key]float64{}
	cases := map[key]int{}
	var keys []key
	add := func(k key) {
		if _, ok := py[k]; !ok {
			keys = append(keys, k)
			py[k] = 0
		}
	}
	// One region at a time: Aggregate sums over everyone it is given.
	byRegion := map[string][]int{}
	var regions []string
	for i, r := range region {
		if byRegion[r] == nil {
			regions = append(regions, r)
		}
		byRegion[r] = append(byRegion[r], i)
	}
	sort.Strings(regions)
	for _, r := range regions {
		idx := byRegion[r]
		cells, _, err := incidence.Aggregate(subset(birth, idx), subset(entry, idx), subset(exit, idx), make([]bool, len(idx)), breaks)
		if err != nil {
			return fmt.Errorf("person-years of region %s: %w", r, err)
		}
		for _, c := range cells {
			k := key{r, ageGroup5(c.Lower[0])}
			add(k)
			py[k] += c.PersonYears
		}
	}
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		p := reg.Person(d.PersonID)
		if !strings.HasPrefix(d.ICD10, "C50") || d.Behaviour != 3 || p == nil || p.Sex != 'F' || d.Date < start || d.Date >= stop {
			continue
		}
		age := datasets.YearsBetween(p.BirthDate, d.Date)
		if age < 50 || age >= 70 {
			continue
		}
		k := key{p.Region, ageGroup5(age)}
		add(k)
		cases[k]++
	}
	cols := []datasets.ColumnSpec{{Name: "region"}, {Name: "agegroup"}, {Name: "cases", Kind: datasets.KindInt}}
	if err := datasets.WriteTable(casesOut, cols, func(w *datasets.TableWriter) error {
		for _, k := range keys {
			w.String(k.region)
			w.String(k.age)
			w.Int(cases[k])
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	cols = []datasets.ColumnSpec{{Name: "region"}, {Name: "agegroup"}, {Name: "person_years", Kind: datasets.KindFloat}}
	if err := datasets.WriteTable(pyOut, cols, func(w *datasets.TableWriter) error {
		for _, k := range keys {
			w.String(k.region)
			w.String(k.age)
			w.Float(py[k], -1)
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	natCases, natPY := map[string]float64{}, map[string]float64{}
	var ages []string
	for _, k := range keys {
		if _, ok := natPY[k.age]; !ok {
			ages = append(ages, k.age)
		}
		natCases[k.age] += float64(cases[k])
		natPY[k.age] += py[k]
	}
	sort.Strings(ages)
	cols = []datasets.ColumnSpec{{Name: "agegroup"}, {Name: "rate", Kind: datasets.KindFloat}}
	return datasets.WriteTable(refOut, cols, func(w *datasets.TableWriter) error {
		for _, a := range ages {
			if natPY[a] <= 0 {
				return fmt.Errorf("no person-years in age group %s", a)
			}
			w.String(a)
			w.Float(natCases[a]/natPY[a], -1)
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}
