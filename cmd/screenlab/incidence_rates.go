package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/incidence"
	"github.com/screenlab/screenlab/report/suppress"
)

type ratesOptions struct {
	f *Factory
	countFlags
	By          []string
	Standard    string
	WeightsFile string
	Ages        string
	Per         float64
	CI          string
	Level       float64
	Suppress    int
}

// RateRow is one row of screenlab incidence rates.
type RateRow struct {
	Group groups.Key `json:"-"`
	incidence.DirectResult
	Suppressed bool `json:"suppressed,omitempty"`
}

// RatesOutput is the JSON of screenlab incidence rates.
type RatesOutput struct {
	Rows     []RateRow `json:"rows"`
	Standard string    `json:"standard"`
	Citation string    `json:"citation,omitempty"`
	Per      float64   `json:"per"`
	CI       string    `json:"ci"`
	Level    float64   `json:"level"`
	Ages     string    `json:"ages,omitempty"`
	Suppress int       `json:"suppress,omitempty"`
}

func newCmdIncidenceRates(f *Factory, runF func(*ratesOptions) error) *cobra.Command {
	opts := &ratesOptions{f: f}
	cmd := &cobra.Command{
		Use:   "rates --cases F --population F --by COLS [--standard segi1960]",
		Short: "Crude, age-specific and age-standardised incidence rates",
		Long: `Crude and age-specific rates, and rates directly standardised to a standard
population with the gamma interval of Fay & Feuer (1997, as
epitools::ageadjust.direct) or its Tiwari (2006) modification (--ci tiwari), the
cumulative rate and cumulative risk 0-74 (Cancer Incidence in Five Continents),
by any --by columns.

--cases has the --by columns, the age group (--age-col, default agegroup: 0-4,
5-9, ..., 85+) and the case count (--cases-col); --population the --by columns,
the age group and person-years or mid-year population (--py-col). Age groups
absent from --cases have 0 cases. Built-in standards: segi1960 (world), who2000,
esp2013, esp1976, nordic; or --weights FILE (agegroup, weight). --ages 35-64 gives
a truncated rate over the groups within that range.

--suppress N masks counts below N and every rate derived from them; where a row
then shows only one masked age group, the next smallest is masked too, so the
total does not reveal it.`,
		Example: `  screenlab incidence rates --cases cases.csv --population population.csv --by period --standard segi1960 --per 100000
  screenlab incidence rates --cases cases.csv --population pop.csv --by sex,year --standard nordic --ages 0-74 --suppress 5 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Cases == "" || opts.Population == "" {
				return flagErrorf("--cases and --population are required")
			}
			if opts.WeightsFile == "" {
				if _, err := incidence.LookupStandard(opts.Standard); err != nil {
					return &FlagError{Err: err}
				}
			}
			if opts.CI != "fay-feuer" && opts.CI != "tiwari" {
				return flagErrorf("--ci %q: want fay-feuer or tiwari", opts.CI)
			}
			if _, err := parseAges(opts.Ages); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runIncidenceRates(opts)
		},
	}
	fl := cmd.Flags()
	opts.countFlags.add(cmd, "case counts `FILE` by the --by columns and age group", "person-years `FILE` by the --by columns and age group")
	fl.StringSliceVar(&opts.By, "by", nil, "group by these `COLS`")
	fl.StringVar(&opts.Standard, "standard", "segi1960", "standard population: "+strings.Join(incidence.StandardNames(), ", "))
	fl.StringVar(&opts.WeightsFile, "weights", "", "user standard `FILE` with agegroup and weight columns")
	fl.StringVar(&opts.Ages, "ages", "", "truncate to age groups within `LO-HI`, e.g. 35-64")
	fl.Float64Var(&opts.Per, "per", 100000, "rates per this many person-years")
	fl.StringVar(&opts.CI, "ci", "fay-feuer", "interval: fay-feuer or tiwari")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.IntVar(&opts.Suppress, "suppress", 0, "mask counts below `N` (and what derives from them)")
	return cmd
}

func parseAges(s string) (*[2]int, error) {
	if s == "" {
		return nil, nil
	}
	lo, hi, ok := datasets.ParseAgeGroup(s)
	if !ok || hi < 0 {
		return nil, flagErrorf("--ages %q: want LO-HI, e.g. 35-64", s)
	}
	return &[2]int{lo, hi}, nil
}

func runIncidenceRates(opts *ratesOptions) error {
	out, err := IncidenceRates(opts)
	if err != nil {
		return err
	}
	return opts.f.Render(out)
}

// IncidenceRates computes the (standardised) rates the options describe.
func IncidenceRates(opts *ratesOptions) (*RatesOutput, error) {
	var std incidence.Standard
	if opts.WeightsFile != "" {
		wf, err := datasets.ReadFrameColumns(opts.WeightsFile, "agegroup", "weight")
		if err != nil {
			return nil, err
		}
		grps, _ := wf.Strings("agegroup")
		weights, err := wf.Floats("weight", false)
		if err != nil {
			return nil, err
		}
		std = incidence.Standard{Name: "user", Title: "user weights from " + opts.WeightsFile}
		for i, g := range grps {
			lo, _, ok := datasets.ParseAgeGroup(g)
			if !ok {
				return nil, wf.Fail("agegroup", i, datasets.ErrBadCode, "an age group such as 50-54 or 85+")
			}
			std.Lower = append(std.Lower, lo)
			std.Weights = append(std.Weights, weights[i])
		}
	} else {
		std, _ = incidence.LookupStandard(opts.Standard)
	}
	ages, _ := parseAges(opts.Ages)
	by := opts.By
	tab, err := opts.join(by)
	if err != nil {
		return nil, err
	}
	order, groupVals, byGroup, pf := tab.order, tab.vals, tab.cells, tab.pop
	ci := incidence.FayFeuer
	if opts.CI == "tiwari" {
		ci = incidence.Tiwari
	}
	out := RatesOutput{Standard: std.Name, Citation: std.Citation, Per: opts.Per, CI: opts.CI, Level: opts.Level, Ages: opts.Ages, Suppress: opts.Suppress}
	for _, g := range order {
		var grps []incidence.AgeRate
		for _, c := range byGroup[g] {
			grps = append(grps, *c)
		}
		res, err := incidence.DirectRate(grps, std, opts.Level, opts.Per, ci, ages)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", pf.File, strings.Join(groupVals[g], ", "), err)
		}
		out.Rows = append(out.Rows, RateRow{Group: groups.Key{Names: by, Values: groupVals[g]}, DirectResult: *res})
	}
	if opts.Suppress > 0 {
		suppressRates(out.Rows, float64(opts.Suppress))
	}
	return &out, nil
}

// incidenceTable is cases joined to person-years by group and age group.
type incidenceTable struct {
	order []string                        // group keys in order
	vals  map[string][]string             // group values by key
	cells map[string][]*incidence.AgeRate // age groups by key
	pop   *datasets.Frame
}

// countFlags are the case-count and person-years inputs shared by
// incidence rates, sir and trend.
type countFlags struct {
	Cases, Population       string
	AgeCol, CasesCol, PYCol string
}

// add declares --cases, --population, --age-col, --cases-col and --py-col.
func (c *countFlags) add(cmd *cobra.Command, casesHelp, populationHelp string) {
	fl := cmd.Flags()
	fl.StringVar(&c.Cases, "cases", "", casesHelp)
	fl.StringVar(&c.Population, "population", "", populationHelp)
	fl.StringVar(&c.AgeCol, "age-col", "agegroup", "age group `COL` (0-4 ... 85+)")
	fl.StringVar(&c.CasesCol, "cases-col", "cases", "case count `COL`")
	fl.StringVar(&c.PYCol, "py-col", "person_years", "person-years (or mid-year population) `COL`")
}

// join reads the --population file (by columns, age group,
// person-years) and adds the cases file's counts; age groups absent from
// the cases have 0 cases, cases for a group or age the population lacks are
// an error.
func (c *countFlags) join(by []string) (*incidenceTable, error) {
	casesFile, popFile, ageCol, casesCol, pyCol := c.Cases, c.Population, c.AgeCol, c.CasesCol, c.PYCol
	cf, err := datasets.ReadFrameColumns(casesFile, append(append([]string(nil), by...), ageCol, casesCol)...)
	if err != nil {
		return nil, err
	}
	pf, err := datasets.ReadFrameColumns(popFile, append(append([]string(nil), by...), ageCol, pyCol)...)
	if err != nil {
		return nil, err
	}
	type key struct{ group, age string }
	colsOf := func(fr *datasets.Frame) [][]string {
		out := make([][]string, len(by))
		for k, b := range by {
			out[k], _ = fr.Strings(b)
		}
		return out
	}
	groupKey := func(cols [][]string, r int) string {
		parts := make([]string, len(cols))
		for k := range cols {
			parts[k] = cols[k][r]
		}
		return strings.Join(parts, "\x00")
	}
	pCols, cCols := colsOf(pf), colsOf(cf)
	pAge, _ := pf.Strings(ageCol)
	py, err := pf.Floats(pyCol, false)
	if err != nil {
		return nil, err
	}
	t := &incidenceTable{vals: map[string][]string{}, cells: map[string][]*incidence.AgeRate{}, pop: pf}
	cells := map[key]*incidence.AgeRate{}
	for r := range py {
		lo, _, ok := datasets.ParseAgeGroup(pAge[r])
		if !ok {
			return nil, pf.Fail(ageCol, r, datasets.ErrBadCode, "an age group such as 50-54 or 85+")
		}
		if py[r] < 0 {
			return nil, pf.Fail(pyCol, r, datasets.ErrOutOfRange, "person-years >= 0")
		}
		g := groupKey(pCols, r)
		k := key{g, pAge[r]}
		if _, dup := cells[k]; dup {
			return nil, pf.Fail(ageCol, r, datasets.ErrDuplicateID, "one row per group and age group")
		}
		c := &incidence.AgeRate{AgeGroup: pAge[r], Lower: lo, PersonYears: py[r]}
		cells[k] = c
		if _, seen := t.cells[g]; !seen {
			t.order = append(t.order, g)
			vals := make([]string, len(by))
			for j := range by {
				vals[j] = pCols[j][r]
			}
			t.vals[g] = vals
		}
		t.cells[g] = append(t.cells[g], c)
	}
	cAge, _ := cf.Strings(ageCol)
	cases, err := cf.Floats(casesCol, false)
	if err != nil {
		return nil, err
	}
	for r := range cases {
		c, ok := cells[key{groupKey(cCols, r), cAge[r]}]
		if !ok {
			return nil, cf.Fail(ageCol, r, datasets.ErrUnknownPerson, "a group and age group that the population file has")
		}
		if cases[r] < 0 {
			return nil, cf.Fail(casesCol, r, datasets.ErrOutOfRange, "a count >= 0")
		}
		c.Cases += cases[r]
	}
	sortGroups(t.order, t.vals)
	return t, nil
}

// sortGroups orders group keys by their values (numbers numerically).
func sortGroups(order []string, vals map[string][]string) {
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && lessLevels(vals[order[j]], vals[order[j-1]]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
}

func lessLevels(a, b []string) bool {
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		x, e1 := datasets.ParseNumber(a[i])
		y, e2 := datasets.ParseNumber(b[i])
		if e1 && e2 {
			return x < y
		}
		return a[i] < b[i]
	}
	return false
}

// suppressRates masks age-specific counts below n, with complementary
// suppression along each row (its total, cases, is shown), and a row's
// totals and rates when its total is below n.
func suppressRates(rows []RateRow, n float64) {
	grid := make([][]float64, len(rows))
	for r := range rows {
		for _, a := range rows[r].AgeSpecific {
			grid[r] = append(grid[r], a.Cases)
		}
	}
	mask := suppress.Mask(grid, n, true, false)
	nan := math.NaN()
	for r := range rows {
		row := &rows[r]
		for c := range row.AgeSpecific {
			if mask[r][c] {
				row.AgeSpecific[c].Cases, row.AgeSpecific[c].Rate = nan, nan
				row.Suppressed = true
			}
		}
		if suppress.Small(row.Cases, n) {
			row.Cases, row.Crude, row.ASR, row.ASRLower, row.ASRUpper, row.CumRate, row.CumRisk = nan, nan, nan, nan, nan, nan, nan
			row.Suppressed = true
		}
	}
}
