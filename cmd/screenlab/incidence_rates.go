package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/incidence"
)

type ratesOptions struct {
	f *factory
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

func newCmdIncidenceRates(f *factory, runF func(*ratesOptions) error) *cobra.Command {
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

--suppress N (at least 3) hides counts below N ("primary"), then
"complementary" age groups until no hidden count can be worked out from the row
total and the bounds the labels give away; a row with a hidden age group hides
its standardised and cumulative rates too ("derived": with the total they would
solve for the hidden groups). Each hidden figure says why.`,
		Example: `  screenlab incidence rates --cases cases.csv --population population.csv --by period --standard segi1960 --per 100000
  screenlab incidence rates --cases cases.csv --population pop.csv --by sex,year --standard nordic --ages 0-74 --suppress 5 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Cases == "" || opts.Population == "" {
				return flagErrorf("--cases and --population are required")
			}
			if opts.WeightsFile == "" {
				if _, err := incidence.LookupStandard(opts.Standard); err != nil {
					return &flagError{Err: err}
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
	out, err := incidenceRates(opts)
	if err != nil {
		return err
	}
	return opts.f.write(out)
}

// incidenceRates computes the (standardised) rates the options describe.
func incidenceRates(opts *ratesOptions) (*incidence.RateTable, error) {
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
	tab, err := opts.join(opts.By)
	if err != nil {
		return nil, err
	}
	return incidence.Rates(tab, std, incidence.RateOptions{Level: opts.Level, Per: opts.Per, CI: incidence.CIMethod(opts.CI),
		Ages: ages, AgesLabel: opts.Ages, Suppress: opts.Suppress})
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

// join reads the --cases and --population files (the by columns, age
// group, counts and person-years) and joins them.
func (c *countFlags) join(by []string) (*incidence.CountTable, error) {
	cf, err := datasets.ReadFrameColumns(c.Cases, append(append([]string(nil), by...), c.AgeCol, c.CasesCol)...)
	if err != nil {
		return nil, err
	}
	pf, err := datasets.ReadFrameColumns(c.Population, append(append([]string(nil), by...), c.AgeCol, c.PYCol)...)
	if err != nil {
		return nil, err
	}
	return incidence.JoinCounts(cf, pf, incidence.CountColumns{By: by, AgeGroup: c.AgeCol, Cases: c.CasesCol, PersonYears: c.PYCol})
}
