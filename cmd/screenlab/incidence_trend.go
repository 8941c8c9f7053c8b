package main

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/incidence"
)

type trendOptions struct {
	f *factory
	countFlags
	Year  string
	By    []string
	Level float64
}

func newCmdIncidenceTrend(f *factory, runF func(*trendOptions) error) *cobra.Command {
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
	out, err := incidenceTrend(opts)
	if err != nil {
		return err
	}
	return opts.f.write(out)
}

// incidenceTrend fits the Poisson trend in the rates the options describe.
func incidenceTrend(opts *trendOptions) (*incidence.TrendTable, error) {
	keys := append(append([]string(nil), opts.By...), opts.Year)
	tab, err := opts.join(keys)
	if err != nil {
		return nil, err
	}
	out, err := incidence.Trends(tab, opts.By, opts.Level)
	if errors.Is(err, incidence.ErrYear) {
		return nil, flagErrorf("--year %s: %v", opts.Year, err)
	}
	return out, err
}
