package incidence

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/groups"
)

// Counts from a registry: the cases and person-years that rates, trends
// and SIRs need, built from the registry's tables in memory.

// CaseFilter says which diagnoses of which persons count as cases.
type CaseFilter func(d *datasets.Diagnosis, p *datasets.Person) bool

// ByYearAndAge counts the cases by calendar year of diagnosis and 5-year
// age group at diagnosis (datasets.AgeBand, 90+ open) and joins them to the
// person-years of the population table pop (columns sex, year, agegroup,
// person_years) for one sex ('F' or 'M'). Age groups and years without
// cases have 0 cases.
func ByYearAndAge(reg *datasets.Registry, pop *datasets.Frame, sex byte, isCase CaseFilter) (*CountTable, error) {
	counts := map[[2]string]int{}
	var keys [][2]string
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		p := reg.Person(d.PersonID)
		if p == nil || p.Sex != sex || !isCase(d, p) {
			continue
		}
		y, _, _ := d.Date.Civil()
		k := [2]string{strconv.Itoa(y), datasets.AgeBand(datasets.YearsBetween(p.BirthDate, d.Date), 5, 90)}
		if counts[k] == 0 {
			keys = append(keys, k)
		}
		counts[k]++
	}
	var rows [][]string
	for _, k := range keys {
		rows = append(rows, []string{k[0], k[1], strconv.Itoa(counts[k])})
	}
	cases, err := datasets.FrameOf("cases", []string{"year", "agegroup", "cases"}, rows)
	if err != nil {
		return nil, err
	}
	sx, err := pop.Strings("sex")
	if err != nil {
		return nil, err
	}
	year, err := pop.Strings("year")
	if err != nil {
		return nil, err
	}
	age, err := pop.Strings("agegroup")
	if err != nil {
		return nil, err
	}
	py, err := pop.Floats("person_years", false)
	if err != nil {
		return nil, err
	}
	rows = nil
	for i := range sx {
		if code, ok := datasets.SexCode(sx[i]); ok && code == sex {
			rows = append(rows, []string{year[i], age[i], strconv.FormatFloat(py[i], 'f', -1, 64)})
		}
	}
	women, err := datasets.FrameOf(pop.File, []string{"year", "agegroup", "person_years"}, rows)
	if err != nil {
		return nil, err
	}
	return JoinCounts(cases, women, CountColumns{By: []string{"year"}, AgeGroup: "agegroup", Cases: "cases", PersonYears: "person_years"})
}

// ByRegion counts, for persons of one sex aged ages[0] to ages[1] (whole
// 5-year bands, e.g. {50, 69}) in the calendar years [from, to) and up to
// end, the cases by region and 5-year age group at diagnosis, and the
// person-years by region and age group Lexis-split from each person's
// birth, death, emigration and end (EpiYear time scales); and the national
// rates by age group (every region's cases over every region's
// person-years), the reference of internally standardised SIRs.
func ByRegion(reg *datasets.Registry, end datasets.Date, from, to int, sex byte, ages [2]int, isCase CaseFilter) (*CountTable, *ReferenceRates, error) {
	start, stop := datasets.DateOf(from, 1, 1), min(datasets.DateOf(to, 1, 1), end)
	var birth, entry, exit []float64
	var region []string
	for i := range reg.Persons {
		p := &reg.Persons[i]
		x := stop
		if e := p.ExitDate(); e != datasets.NoDate && e < x {
			x = e
		}
		if p.Sex != sex || x <= start {
			continue
		}
		birth = append(birth, p.BirthDate.EpiYear())
		entry = append(entry, max(p.BirthDate, start).EpiYear())
		exit = append(exit, x.EpiYear())
		region = append(region, p.Region)
	}
	breaks, err := ParseBreaks(fmt.Sprintf("age=%d:5:%d", ages[0], ages[1]+1))
	if err != nil {
		return nil, nil, err
	}
	band := func(age float64) string { return datasets.AgeBand(age, 5, 0) }
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
		cells, _, err := Aggregate(sub(birth), sub(entry), sub(exit), make([]bool, len(idx)), breaks)
		if err != nil {
			return nil, nil, fmt.Errorf("person-years of region %s: %w", g.Values[0], err)
		}
		for _, c := range cells {
			k := key{g.Values[0], band(c.Lower[0])}
			add(k)
			years[k] += c.PersonYears
		}
	}
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		p := reg.Person(d.PersonID)
		if p == nil || p.Sex != sex || d.Date < start || d.Date >= stop || !isCase(d, p) {
			continue
		}
		age := datasets.YearsBetween(p.BirthDate, d.Date)
		if age < float64(ages[0]) || age >= float64(ages[1]+1) {
			continue
		}
		k := key{p.Region, band(age)}
		add(k)
		counts[k]++
	}
	var cRows, pRows [][]string
	for _, k := range keys {
		cRows = append(cRows, []string{k.region, k.age, strconv.Itoa(counts[k])})
		pRows = append(pRows, []string{k.region, k.age, strconv.FormatFloat(years[k], 'f', -1, 64)})
	}
	cf, err := datasets.FrameOf("cases", []string{"region", "agegroup", "cases"}, cRows)
	if err != nil {
		return nil, nil, err
	}
	pf, err := datasets.FrameOf("person-years", []string{"region", "agegroup", "person_years"}, pRows)
	if err != nil {
		return nil, nil, err
	}
	tab, err := JoinCounts(cf, pf, CountColumns{By: []string{"region"}, AgeGroup: "agegroup", Cases: "cases", PersonYears: "person_years"})
	if err != nil {
		return nil, nil, err
	}
	natCases, natPY := map[string]float64{}, map[string]float64{}
	for _, k := range keys {
		natCases[k.age] += float64(counts[k])
		natPY[k.age] += years[k]
	}
	ref := &ReferenceRates{rate: map[string]float64{}, File: "national rates"}
	for a, py := range natPY {
		if py <= 0 {
			return nil, nil, fmt.Errorf("no person-years in age group %s", a)
		}
		// As a table would hold it (shortest decimal), so a saved
		// reference gives the same SIRs.
		r, _ := strconv.ParseFloat(strconv.FormatFloat(natCases[a]/py, 'f', -1, 64), 64)
		ref.rate[refKey(a, nil)] = r
	}
	return tab, ref, nil
}

// Rates returns the reference rates by age group (no match columns), in
// the order of groups.Less.
func (r *ReferenceRates) Rates() (ages []string, rates []float64) {
	for k := range r.rate {
		ages = append(ages, k)
	}
	groups.Sort(ages)
	for _, a := range ages {
		rates = append(rates, r.rate[refKey(a, nil)])
	}
	return ages, rates
}

// WriteCounts writes a count table: its grouping columns, the age group,
// cases and person-years, one row per group and age group.
func WriteCounts(path string, tab *CountTable) error {
	cols := make([]datasets.ColumnSpec, 0, len(tab.By)+3)
	for _, b := range tab.By {
		cols = append(cols, datasets.ColumnSpec{Name: b})
	}
	cols = append(cols, datasets.ColumnSpec{Name: "agegroup"}, datasets.ColumnSpec{Name: "cases", Kind: datasets.KindFloat},
		datasets.ColumnSpec{Name: "person_years", Kind: datasets.KindFloat})
	return datasets.WriteTable(path, cols, func(w *datasets.TableWriter) error {
		for _, g := range tab.Groups {
			for _, a := range g.Ages {
				for _, v := range g.Values {
					w.String(v)
				}
				w.String(a.AgeGroup)
				w.Float(a.Cases, -1)
				w.Float(a.PersonYears, -1)
				if err := w.EndRow(); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// PopulationFromPersons is the person-years of the persons table by
// calendar year and 5-year age group (0-4 … 85-89, 90+) for one sex, from
// the start of year from (or birth) to the end of year to, death,
// emigration or end, whichever is first: a population table (sex, year,
// agegroup, person_years) for ByYearAndAge when the registry has no
// population file. It covers the ages the persons lived through in those
// years; other age groups are absent.
func PopulationFromPersons(reg *datasets.Registry, from, to int, end datasets.Date, sex byte) (*datasets.Frame, error) {
	start, stop := datasets.DateOf(from, 1, 1), min(datasets.DateOf(to+1, 1, 1), end)
	var birth, entry, exit []float64
	for i := range reg.Persons {
		p := &reg.Persons[i]
		x := stop
		if e := p.ExitDate(); e != datasets.NoDate && e < x {
			x = e
		}
		if p.Sex != sex || x <= start || x <= p.BirthDate {
			continue
		}
		birth = append(birth, p.BirthDate.EpiYear())
		entry = append(entry, max(p.BirthDate, start).EpiYear())
		exit = append(exit, x.EpiYear())
	}
	if to < from || to-from > 1000 {
		return nil, fmt.Errorf("population from persons: years %d to %d", from, to)
	}
	age, period := Breaks{Name: "age", Scale: Age}, Breaks{Name: "period", Scale: Period}
	for a := 0; a <= 90; a += 5 {
		age.Limits = append(age.Limits, float64(a))
	}
	age.Limits = append(age.Limits, 200) // 90+
	for y := from; y <= to+1; y++ {
		period.Limits = append(period.Limits, float64(y))
	}
	cells, _, err := Aggregate(birth, entry, exit, make([]bool, len(birth)), []Breaks{age, period})
	if err != nil {
		return nil, err
	}
	rows := make([][]string, 0, len(cells))
	for _, c := range cells {
		rows = append(rows, []string{string(sex), strconv.Itoa(int(c.Lower[1])), datasets.AgeBand(c.Lower[0], 5, 90),
			strconv.FormatFloat(c.PersonYears, 'f', -1, 64)})
	}
	return datasets.FrameOf("persons' follow-up", []string{"sex", "year", "agegroup", "person_years"}, rows)
}

// CountsOptions choose what CountsFromRegistry counts: cancers of one sex
// ('F' or 'M') whose ICD-10 code starts with ICD (default C50) and whose
// ICD-O behaviour is Behaviour (default 3, invasive); person-years from
// Population (sex, year, agegroup, person_years) or, when it is nil, from
// the persons' follow-up in the years From … To (default: the year of the
// first diagnosis to the year of EndOfData; EndOfData NoDate: the latest
// date in the tables).
type CountsOptions struct {
	Sex        byte
	ICD        string
	Behaviour  int
	Population *datasets.Frame
	From, To   int
	EndOfData  datasets.Date
}

// CountsFromRegistry is ByYearAndAge with the cases and population that
// CountsOptions describe; it also returns the years of person-years from
// the persons ("" with a population table).
func CountsFromRegistry(reg *datasets.Registry, opts CountsOptions) (*CountTable, string, error) {
	if opts.ICD == "" {
		opts.ICD = "C50"
	}
	if opts.Behaviour == 0 {
		opts.Behaviour = 3
	}
	isCase := func(d *datasets.Diagnosis, _ *datasets.Person) bool {
		return strings.HasPrefix(d.ICD10, opts.ICD) && d.Behaviour == opts.Behaviour
	}
	pop, years := opts.Population, ""
	if pop == nil {
		end := opts.EndOfData
		if end == datasets.NoDate {
			end = reg.LatestDate()
		}
		from, to := opts.From, opts.To
		if from == 0 {
			first := end
			for i := range reg.Diagnoses {
				first = min(first, reg.Diagnoses[i].Date)
			}
			from, _, _ = first.Civil()
		}
		if to == 0 {
			to, _, _ = end.Civil()
		}
		var err error
		if pop, err = PopulationFromPersons(reg, from, to, end, opts.Sex); err != nil {
			return nil, "", err
		}
		years = fmt.Sprintf("%d-%d", from, to)
	}
	tab, err := ByYearAndAge(reg, pop, opts.Sex, isCase)
	return tab, years, err
}

// Totals are the table's cases and person-years.
func (t *CountTable) Totals() (cases, personYears float64) {
	for _, g := range t.Groups {
		for _, a := range g.Ages {
			cases += a.Cases
			personYears += a.PersonYears
		}
	}
	return cases, personYears
}
