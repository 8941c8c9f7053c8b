package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/screening"
)

func newCmdCaseMix(f *factory) *cobra.Command {
	var data, unit, outcome string
	var covariates []string
	var opts screening.CaseMixOptions
	cmd := &cobra.Command{
		Use:   "casemix --data F --unit COL --outcome COL [--covariates age,stage] [--overdispersion] [--suppress N]",
		Short: "Case-mix adjusted indicators: observed against expected per hospital",
		Long: `Compare units (hospitals) fairly by indirect standardisation: a national
patient-level logistic regression of the 0/1 --outcome on --covariates (numbers
as they are, text as categories) gives each patient an expected risk; a unit's
expected count E is their sum, O/E has the exact Poisson interval (Ulm 1990), and
the risk-adjusted rate is O/E times the national rate. Units are placed by exact
Poisson funnel limits around E, or with --overdispersion by the additive
random-effects limits on the square-root scale (Spiegelhalter 2005); those
outside 99.8% are flagged. --suppress N hides units with fewer than N cases,
events or non-events, whole, and a second with a lone one.`,
		Example: `  screenlab casemix --data cases.csv --unit hospital --outcome died_30d --covariates age,stage,comorbidity --overdispersion`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if data == "" || unit == "" || outcome == "" {
				return flagErrorf("--data, --unit and --outcome are required")
			}
			fr, err := datasets.ReadFrame(data)
			if err != nil {
				return err
			}
			res, err := screening.CaseMix(fr, unit, outcome, trimmed(covariates), opts)
			if err != nil {
				return err
			}
			return f.write(res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "patients `FILE`, one row per case")
	fl.StringVar(&unit, "unit", "", "unit `COL` (treating hospital or catchment area)")
	fl.StringVar(&outcome, "outcome", "", "0/1 outcome `COL`")
	fl.StringSliceVar(&covariates, "covariates", nil, "case-mix `COLS` of the national model")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.BoolVar(&opts.Overdispersion, "overdispersion", false, "place units by overdispersed funnel limits (Spiegelhalter 2005)")
	fl.IntVar(&opts.Suppress, "suppress", 0, "hide units with fewer than `N` cases, events or non-events (at least 3)")
	return cmd
}
