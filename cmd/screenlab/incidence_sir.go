package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/incidence"
)

type sirOptions struct {
	f *factory
	countFlags
	Ref       string
	By, Match []string
	RateCol   string
	Level     float64
	Suppress  int
}

func newCmdIncidenceSIR(f *factory, runF func(*sirOptions) error) *cobra.Command {
	opts := &sirOptions{f: f}
	cmd := &cobra.Command{
		Use:   "sir --cases F --population F --reference F [--by COLS] [--match COLS]",
		Short: "Standardised incidence (or mortality) ratios with exact Poisson intervals",
		Long: `Indirect standardisation: observed cases against those expected from reference
rates, SIR = O/E, with the exact Poisson interval (Ulm 1990) and the exact
two-sided p-value of R's poisson.test. Expected = sum over age groups of
person-years times the reference rate. --reference has the age group and either
a rate per person-year (--rate-col) or cases and person-years, plus any --match
columns it shares with the population (e.g. sex).`,
		Example: `  screenlab incidence sir --cases region_cases.csv --population region_pop.csv --reference national.csv --by region --match sex`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Cases == "" || opts.Population == "" || opts.Ref == "" {
				return flagErrorf("--cases, --population and --reference are required")
			}
			if runF != nil {
				return runF(opts)
			}
			return runIncidenceSIR(opts)
		},
	}
	fl := cmd.Flags()
	opts.countFlags.add(cmd, "observed case counts `FILE`", "person-years `FILE`")
	fl.StringVar(&opts.Ref, "reference", "", "reference rates `FILE`")
	fl.StringSliceVar(&opts.By, "by", nil, "one ratio per value of these `COLS`")
	fl.StringSliceVar(&opts.Match, "match", nil, "columns the reference rates depend on besides age (e.g. sex)")
	fl.StringVar(&opts.RateCol, "rate-col", "rate", "reference rate per person-year `COL` (else cases/person-years of the reference)")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.IntVar(&opts.Suppress, "suppress", 0, "hide observed counts below `N` (at least 3) and their ratios")
	return cmd
}

func runIncidenceSIR(opts *sirOptions) error {
	out, err := incidenceSIR(opts)
	if err != nil {
		return err
	}
	return opts.f.write(out)
}

// incidenceSIR computes screenlab incidence sir: observed against expected
// cases per --by group.
func incidenceSIR(opts *sirOptions) (*incidence.SIRTable, error) {
	keys := append(append([]string(nil), opts.By...), opts.Match...)
	tab, err := opts.join(keys)
	if err != nil {
		return nil, err
	}
	rf, err := datasets.ReadFrame(opts.Ref)
	if err != nil {
		return nil, err
	}
	ref, err := incidence.ReadReferenceRates(rf, opts.AgeCol, opts.RateCol, opts.CasesCol, opts.PYCol, opts.Match)
	if err != nil {
		return nil, err
	}
	return incidence.SIRs(tab, opts.By, ref, opts.Level, opts.Suppress)
}
