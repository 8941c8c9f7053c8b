package screening

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/groups"
)

// CoverageOptions set Coverage.
type CoverageOptions struct {
	// AsOf is the date coverage is measured at (required).
	AsOf datasets.Date
	// Windows are the look-back windows in years (default 3.5 and 5.5, the
	// cervical programme's: 3 years for cytology at 25-33 and 5 for HPV at
	// 34-69, each with 6 months' grace).
	Windows []float64
	// MinAge and MaxAge bound the target population: age at AsOf in
	// [MinAge, MaxAge) (default 25 and 70).
	MinAge, MaxAge float64
	// AgeSplit, when positive, adds "coverage", each person's window
	// chosen by age: the first window below AgeSplit, the last from it
	// (default 34).
	AgeSplit float64
	// Sex keeps persons of one sex ("F", "M"; "" all). The cervical
	// programme's target population is women.
	Sex string
	// By groups by age_group (5-year bands at AsOf), region or sex.
	By    []string
	Level float64
	CI    evaluation.CIMethod
	// Suppress hides a group's counts below it (at least 3).
	Suppress int
}

// CoverageRow is a group's coverage: persons in the target population and,
// per window, the share with a test in it (coverage_3_5y, …, and
// "coverage" with each person's window chosen by age).
type CoverageRow = ProgrammeRow

// CoverageReport is coverage by group as of a date.
type CoverageReport struct {
	AsOf    string        `json:"as_of"`
	Windows []float64     `json:"windows_years"`
	MinAge  float64       `json:"min_age"`
	MaxAge  float64       `json:"max_age"`
	Sex     string        `json:"sex,omitempty"`
	Level   float64       `json:"level"`
	Rows    []CoverageRow `json:"rows"`
}

// MainTable is the table CSV output writes.
func (*CoverageReport) MainTable() string { return "rows" }

// Coverage is the share of the target population (alive and resident at
// AsOf, of an age in completed years in [MinAge, MaxAge)) with a test in the window before
// AsOf, for each window, with Wilson (or exact) intervals: the programme
// coverage indicator of the European guidelines (Arbyn et al. 2010),
// which counts tests in or outside the programme alike. Tests come from
// the registry's cervical or FIT tests.
func Coverage(reg *datasets.Registry, opts CoverageOptions) (*CoverageReport, error) {
	if opts.AsOf == datasets.NoDate || opts.AsOf == 0 {
		return nil, fmt.Errorf("coverage: give the date to measure it at")
	}
	if len(reg.Persons) == 0 {
		return nil, fmt.Errorf("coverage: the persons table is needed (the target population)")
	}
	if len(opts.Windows) == 0 {
		opts.Windows = []float64{3.5, 5.5}
	}
	if opts.MaxAge == 0 {
		opts.MinAge, opts.MaxAge = 25, 70
	}
	if opts.AgeSplit == 0 {
		opts.AgeSplit = 34
	}
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	if opts.CI == "" {
		opts.CI = evaluation.Wilson
	}
	for _, b := range opts.By {
		if b != "age_group" && b != "region" && b != "sex" {
			return nil, fmt.Errorf("coverage: group by %q: want age_group, region or sex", b)
		}
	}
	last := map[string]datasets.Date{} // the latest test on or before AsOf
	note := func(id string, d datasets.Date) {
		if d <= opts.AsOf && d > last[id] {
			last[id] = d
		}
	}
	for i := range reg.CervicalTests {
		note(reg.CervicalTests[i].PersonID, reg.CervicalTests[i].Date)
	}
	for i := range reg.FITTests {
		note(reg.FITTests[i].PersonID, reg.FITTests[i].Date)
	}
	type counts struct {
		persons int
		covered []int
		byAge   int
	}
	nw := len(opts.Windows)
	cells := map[string]*counts{}
	var keys []string
	add := func(key string, cov []bool, byAge bool) {
		c := cells[key]
		if c == nil {
			c = &counts{covered: make([]int, nw)}
			cells[key] = c
			keys = append(keys, key)
		}
		c.persons++
		for w, ok := range cov {
			if ok {
				c.covered[w]++
			}
		}
		if byAge {
			c.byAge++
		}
	}
	for i := range reg.Persons {
		p := &reg.Persons[i]
		if x := p.ExitDate(); x != datasets.NoDate && x <= opts.AsOf {
			continue
		}
		if opts.Sex != "" && string(p.Sex) != opts.Sex {
			continue
		}
		age := float64(datasets.CompletedYears(p.BirthDate, opts.AsOf))
		if age < opts.MinAge || age >= opts.MaxAge {
			continue
		}
		cov := make([]bool, nw)
		d, tested := last[p.ID]
		for w, years := range opts.Windows {
			cov[w] = tested && float64(opts.AsOf-d) < years*datasets.DaysPerYear
		}
		byAge := cov[nw-1]
		if age < opts.AgeSplit {
			byAge = cov[0]
		}
		var parts []string
		for _, b := range opts.By {
			switch b {
			case "age_group":
				parts = append(parts, datasets.AgeGroup(age))
			case "region":
				parts = append(parts, p.Region)
			case "sex":
				parts = append(parts, string(p.Sex))
			}
		}
		add(strings.Join(parts, groupSep), cov, byAge)
		if len(opts.By) > 0 {
			add("\x00all", cov, byAge)
		}
	}
	slices.SortStableFunc(keys, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "\x00all":
			return 1
		case b == "\x00all":
			return -1
		case groups.LessKeys(strings.Split(a, groupSep), strings.Split(b, groupSep)):
			return -1
		}
		return 1
	})
	rep := &CoverageReport{AsOf: opts.AsOf.String(), Windows: opts.Windows, MinAge: opts.MinAge, MaxAge: opts.MaxAge, Sex: opts.Sex, Level: opts.Level}
	// disclosure: a group with any count (persons, covered or not covered
	// in a window) below Suppress is hidden whole; the only sum published
	// is the total, so a second group (the smallest other) is hidden with
	// a lone one, and no hidden count follows from the total.
	hidden := map[string]bool{}
	small := func(c *counts) bool {
		if c.persons < opts.Suppress {
			return true
		}
		for _, x := range append(slices.Clone(c.covered), c.byAge) {
			if x < opts.Suppress || c.persons-x < opts.Suppress {
				return true
			}
		}
		return false
	}
	if opts.Suppress > 0 && len(opts.By) > 0 {
		for _, k := range keys {
			if k != "\x00all" && small(cells[k]) {
				hidden[k] = true
			}
		}
		if len(hidden) == 1 {
			best := ""
			for _, k := range keys {
				if k != "\x00all" && !hidden[k] && (best == "" || cells[k].persons < cells[best].persons) {
					best = k
				}
			}
			if best != "" {
				hidden[best] = true
			}
		}
	}
	for _, k := range keys {
		c := cells[k]
		r := CoverageRow{Key: groups.Key{Names: opts.By}}
		r.Metrics.add("persons", float64(c.persons))
		if hidden[k] {
			r.Metrics.Values[0] = math.NaN()
			r.Suppressed = []string{"all counts: primary or complementary"}
		}
		if len(opts.By) > 0 {
			r.Values = strings.Split(k, groupSep)
			if k == "\x00all" {
				r.Values = slices.Repeat([]string{"all"}, len(opts.By))
			}
		}
		put := func(name string, x int) {
			v := float64(x) / float64(c.persons)
			lo, hi := evaluation.ProportionCI(x, c.persons, opts.Level, opts.CI)
			num := float64(x)
			if hidden[k] {
				v, lo, hi, num = math.NaN(), math.NaN(), math.NaN(), math.NaN()
			}
			r.Metrics.add(name, v)
			r.Metrics.add(name+"_lower", lo)
			r.Metrics.add(name+"_upper", hi)
			r.Metrics.add(name+"_numerator", num)
		}
		for w, years := range opts.Windows {
			put("coverage_"+strings.ReplaceAll(strconv.FormatFloat(years, 'f', -1, 64), ".", "_")+"y", c.covered[w])
		}
		if nw > 1 {
			put("coverage", c.byAge)
		}
		rep.Rows = append(rep.Rows, r)
	}
	return rep, nil
}
