package demo

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/incidence"
	"github.com/screenlab/screenlab/report"
)

// ageBand labels a 5-year age band as the synthetic population does
// (0-4, 5-9, …, 90+).
func ageBand(age float64) string { return datasets.AgeBand(age, 5, 90) }

// table is a small table in memory that the demo writes for the user and
// analyses as it is written.
type table struct {
	path  string
	cols  []datasets.ColumnSpec
	rows  [][]string
	frame *datasets.Frame
}

func newTable(path string, cols []datasets.ColumnSpec, rows [][]string) (*table, error) {
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	fr, err := datasets.FrameOf(path, header, rows)
	if err != nil {
		return nil, err
	}
	t := &table{path: path, cols: cols, rows: rows, frame: fr}
	return t, datasets.WriteTable(path, cols, func(w *datasets.TableWriter) error {
		for _, r := range t.rows {
			for _, v := range r {
				w.String(v)
			}
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}

func text(names ...string) []datasets.ColumnSpec {
	out := make([]datasets.ColumnSpec, len(names))
	for i, n := range names {
		out[i] = datasets.ColumnSpec{Name: n, Kind: datasets.KindString}
	}
	return out
}

func isBreastCancer(d *datasets.Diagnosis) bool {
	return strings.HasPrefix(d.ICD10, "C50") && d.Behaviour == 3
}

// incidenceTables makes the invasive breast cancers of women by year and
// age group (cases) and the women's person-years from the registry's
// population file.
func incidenceTables(reg *datasets.Registry, popPath, casesOut, popOut string) (*table, *table, error) {
	counts := map[[2]string]int{}
	var keys [][2]string
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		p := reg.Person(d.PersonID)
		if !isBreastCancer(d) || p == nil || p.Sex != 'F' {
			continue
		}
		y, _, _ := d.Date.Civil()
		k := [2]string{strconv.Itoa(y), ageBand(datasets.YearsBetween(p.BirthDate, d.Date))}
		if counts[k] == 0 {
			keys = append(keys, k)
		}
		counts[k]++
	}
	var rows [][]string
	for _, k := range keys {
		rows = append(rows, []string{k[0], k[1], strconv.Itoa(counts[k])})
	}
	cases, err := newTable(casesOut, text("year", "agegroup", "cases"), rows)
	if err != nil {
		return nil, nil, err
	}
	fr, err := datasets.ReadFrameColumns(popPath, "sex", "year", "agegroup", "person_years")
	if err != nil {
		return nil, nil, err
	}
	sex, _ := fr.Strings("sex")
	year, _ := fr.Strings("year")
	age, _ := fr.Strings("agegroup")
	py, err := fr.Floats("person_years", false)
	if err != nil {
		return nil, nil, err
	}
	rows = nil
	for i := range sex {
		if sex[i] == "F" {
			rows = append(rows, []string{year[i], age[i], strconv.FormatFloat(py[i], 'f', -1, 64)})
		}
	}
	pop, err := newTable(popOut, text("year", "agegroup", "person_years"), rows)
	return cases, pop, err
}

// incidenceAnalyses: rates by year (women 50-69, ESP 2013), the trend, and
// the SIRs by region over the last ten calendar years of data.
func incidenceAnalyses(dir, regDir string, reg *datasets.Registry, end datasets.Date) (*report.DemoIncidence, []string, error) {
	cases, pop, err := incidenceTables(reg, filepath.Join(regDir, "population.csv"),
		filepath.Join(dir, "incidence_cases.csv"), filepath.Join(dir, "incidence_women.csv"))
	if err != nil {
		return nil, nil, err
	}
	cc := incidence.CountColumns{By: []string{"year"}, AgeGroup: "agegroup", Cases: "cases", PersonYears: "person_years"}
	byYear, err := incidence.JoinCounts(cases.frame, pop.frame, cc)
	if err != nil {
		return nil, nil, err
	}
	std, _ := incidence.LookupStandard("esp2013")
	res := &report.DemoIncidence{}
	if res.Rates, err = incidence.Rates(byYear, std, incidence.RateOptions{Level: 0.95, Per: 100000, CI: incidence.FayFeuer,
		Ages: &[2]int{50, 69}, AgesLabel: "50-69"}); err != nil {
		return nil, nil, fmt.Errorf("incidence rates: %w", err)
	}
	if res.Trend, err = incidence.Trends(byYear, nil, 0.95); err != nil {
		return nil, nil, fmt.Errorf("incidence trend: %w", err)
	}
	endYear, m, d := end.Civil()
	if m == 12 && d == 31 { // data to the end of the year: that year is complete
		endYear++
	}
	from, to := endYear-10, endYear
	res.SIRPeriod = fmt.Sprintf("%d-%d", from, to-1)
	rc, rp, ref, err := regionalTables(reg, end, from, to, filepath.Join(dir, "sir_cases.csv"), filepath.Join(dir, "sir_person_years.csv"), filepath.Join(dir, "sir_reference.csv"))
	if err != nil {
		return nil, nil, err
	}
	byRegion, err := incidence.JoinCounts(rc.frame, rp.frame, incidence.CountColumns{By: []string{"region"}, AgeGroup: "agegroup", Cases: "cases", PersonYears: "person_years"})
	if err != nil {
		return nil, nil, err
	}
	rates, err := incidence.ReadReferenceRates(ref.frame, "agegroup", "rate", "cases", "person_years", nil)
	if err != nil {
		return nil, nil, err
	}
	if res.SIR, err = incidence.SIRs(byRegion, []string{"region"}, rates, 0.95, 0); err != nil {
		return nil, nil, fmt.Errorf("incidence sir by region: %w", err)
	}
	return res, []string{cases.path, pop.path, rc.path, rp.path, ref.path}, nil
}

// regionalTables makes, for women aged 50-69 in the calendar years [from,
// to), the invasive breast cancers by region and 5-year age group, the
// person-years by region and age group (Lexis-split from each woman's
// birth, death, emigration and the end of data), and the national rates by
// age group (all regions' cases over all regions' person-years), the
// reference of the SIRs.
func regionalTables(reg *datasets.Registry, end datasets.Date, from, to int, casesOut, pyOut, refOut string) (cases, py, ref *table, err error) {
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
		return nil, nil, nil, err
	}
	type key struct{ region, age string }
	years := map[key]float64{}
	counts := map[key]int{}
	var keys []key
	add := func(k key) {
		if _, ok := years[k]; !ok {
			keys = append(keys, k)
			years[k] = 0
		}
	}
	// One region at a time: Aggregate sums over everyone it is given.
	for _, g := range groups.By(region) {
		idx := g.Rows
		sub := func(x []float64) []float64 {
			out := make([]float64, len(idx))
			for k, i := range idx {
				out[k] = x[i]
			}
			return out
		}
		cells, _, err := incidence.Aggregate(sub(birth), sub(entry), sub(exit), make([]bool, len(idx)), breaks)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("person-years of region %s: %w", g.Values[0], err)
		}
		for _, c := range cells {
			k := key{g.Values[0], ageBand(c.Lower[0])}
			add(k)
			years[k] += c.PersonYears
		}
	}
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		p := reg.Person(d.PersonID)
		if !isBreastCancer(d) || p == nil || p.Sex != 'F' || d.Date < start || d.Date >= stop {
			continue
		}
		age := datasets.YearsBetween(p.BirthDate, d.Date)
		if age < 50 || age >= 70 {
			continue
		}
		k := key{p.Region, ageBand(age)}
		add(k)
		counts[k]++
	}
	var cRows, pRows [][]string
	for _, k := range keys {
		cRows = append(cRows, []string{k.region, k.age, strconv.Itoa(counts[k])})
		pRows = append(pRows, []string{k.region, k.age, strconv.FormatFloat(years[k], 'f', -1, 64)})
	}
	if cases, err = newTable(casesOut, text("region", "agegroup", "cases"), cRows); err != nil {
		return nil, nil, nil, err
	}
	if py, err = newTable(pyOut, text("region", "agegroup", "person_years"), pRows); err != nil {
		return nil, nil, nil, err
	}
	natCases, natPY := map[string]float64{}, map[string]float64{}
	var ages []string
	for _, k := range keys {
		if _, ok := natPY[k.age]; !ok {
			ages = append(ages, k.age)
		}
		natCases[k.age] += float64(counts[k])
		natPY[k.age] += years[k]
	}
	groups.Sort(ages)
	var rRows [][]string
	for _, a := range ages {
		if natPY[a] <= 0 {
			return nil, nil, nil, fmt.Errorf("no person-years in age group %s", a)
		}
		rRows = append(rRows, []string{a, strconv.FormatFloat(natCases[a]/natPY[a], 'f', -1, 64)})
	}
	ref, err = newTable(refOut, text("agegroup", "rate"), rRows)
	return cases, py, ref, err
}
