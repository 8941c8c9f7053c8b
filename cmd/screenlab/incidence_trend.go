package main

import (
	"math"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/incidence"
)

type trendOptions struct {
	f *Factory
	countFlags
	Year  string
	By    []string
	Level float64
}

// TrendRow is one row of screenlab incidence trend.
type TrendRow struct {
	Group groups.Key `json:"-"`
	incidence.Trend
}

// TrendOutput is the JSON of screenlab incidence trend.
type TrendOutput struct {
	Rows  []TrendRow `json:"rows"`
	Level float64    `json:"level"`
}

func nanValue() float64 { return math.NaN() }

func newCmdIncidenceTrend(f *Factory, runF func(*trendOptions) error) *cobra.Command {
	opts := &trendOptions{f: f}
	cmd := &cobra.Command{
		Use:   "trend --cases F --population F --year COL [--by COLS]",
		Short: "Annual percent change of age-adjusted incidence (Poisson regression)",
		Long: `Fit log E[cases] = log person-years + age group + beta * year by Poisson
regression (as R's glm with an offset) and report the annual percent change
APC = 100 (exp(beta) - 1) with its confidence interval, per --by group. The
cases and population files have the year column, the age group and any --by
columns.`,
		Example: `  screenlab incidence trend --cases cases.csv --population population.csv --year year --by sex`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Cases == "" || opts.Population == "" || opts.Year == "" {
				return flagErrorf("--cases, --population and --year are required")
			}
			if runF != nil {
				return runF(opts)
			}
			return runIncidenceTrend(opts)
		},
	}
	fl := cmd.Flags()
	opts.countFlags.add(cmd, "case counts `FILE`", "person-years `FILE`")
	fl.StringVar(&opts.Year, "year", "year", "calendar year `COL`")
	fl.StringSliceVar(&opts.By, "by", nil, "one trend per value of these `COLS`")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	return cmd
}

func runIncidenceTrend(opts *trendOptions) error {
	out, err := IncidenceTrend(opts)
	if err != nil {
		return err
	}
	return opts.f.Render(out)
}

// IncidenceTrend fits the Poisson trend in the rates the options describe.
func IncidenceTrend(opts *trendOptions) (*TrendOutput, error) {
	keys := append(append([]string(nil), opts.By...), opts.Year)
	tab, err := opts.join(keys)
	if err != nil {
		return nil, err
	}
	type data struct {
		vals            []string
		cases, py, year []float64
		age             []int
		ageCode         map[int]int
	}
	grps := map[string]*data{}
	var order []string
	for _, g := range tab.order {
		vals := tab.vals[g]
		yr, ok := parseYear(vals[len(vals)-1])
		if !ok {
			return nil, flagErrorf("--year %s: value %q is not a year", opts.Year, vals[len(vals)-1])
		}
		bk := strings.Join(vals[:len(opts.By)], "\x00")
		d := grps[bk]
		if d == nil {
			d = &data{vals: vals[:len(opts.By)], ageCode: map[int]int{}}
			grps[bk] = d
			order = append(order, bk)
		}
		for _, c := range tab.cells[g] {
			code, ok := d.ageCode[c.Lower]
			if !ok {
				code = len(d.ageCode)
				d.ageCode[c.Lower] = code
			}
			d.cases, d.py, d.year, d.age = append(d.cases, c.Cases), append(d.py, c.PersonYears), append(d.year, yr), append(d.age, code)
		}
	}
	out := TrendOutput{Level: opts.Level}
	for _, k := range order {
		d := grps[k]
		tr, err := incidence.PoissonTrend(d.cases, d.py, d.year, d.age, opts.Level)
		if err != nil {
			return nil, err
		}
		out.Rows = append(out.Rows, TrendRow{Group: groups.Key{Names: opts.By, Values: d.vals}, Trend: *tr})
	}
	return &out, nil
}

func parseYear(s string) (float64, bool) {
	return parseNumber(s)
}
