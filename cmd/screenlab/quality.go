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

func newCmdCompleteness(f *factory) *cobra.Command {
	var cases, reports string
	var opts screening.CompletenessOptions
	cmd := &cobra.Command{
		Use:   "completeness --cases F --reports F [--suppress N]",
		Short: "Completeness of clinical reporting per hospital and year, against the 80% target",
		Long: `Link the clinical reports (person_id, report_date, icd10) to the registry's
cases (person_id, diagnosis_date, icd10, hospital): a report belongs to the case of
the same person and ICD-10 site dated from 90 days before to 365 days after the
diagnosis. Per hospital and year of diagnosis (and in all): the share of cases
with a report (Wilson interval) against --target (0.8), and the median days from
diagnosis to report. --suppress N hides a hospital-year with a count (cases,
reported, unreported) below N, whole, and a second in the year with a lone one.`,
		Example: `  screenlab completeness --cases diagnoses.csv --reports clinical_reports.csv --suppress 5`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cases == "" || reports == "" {
				return flagErrorf("--cases and --reports are required")
			}
			cf, err := datasets.ReadFrame(cases)
			if err != nil {
				return err
			}
			rf, err := datasets.ReadFrame(reports)
			if err != nil {
				return err
			}
			res, err := screening.ReportCompleteness(cf, rf, opts)
			if err != nil {
				return err
			}
			return f.write(res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&cases, "cases", "", "the registry's cases `FILE` (person_id, diagnosis_date, icd10, hospital)")
	fl.StringVar(&reports, "reports", "", "clinical reports `FILE` (person_id, report_date, icd10)")
	fl.Float64Var(&opts.Target, "target", 0.8, "the share of cases with a report asked for")
	fl.IntVar(&opts.Suppress, "suppress", 0, "hide hospital-years with a count below `N` (at least 3)")
	return cmd
}

func newCmdDataQuality(f *factory) *cobra.Command {
	var cases, deaths string
	cmd := &cobra.Command{
		Use:   "data-quality --cases F [--deaths F]",
		Short: "Microscopic verification, death-certificate-only share and mortality:incidence per site and year",
		Long: `The registry's data-quality measures per ICD-10 site and year, as the Nordic
registries publish them: the share of cases microscopically verified and the share
known from a death certificate only, from the cases' basis of diagnosis (column
basis, ENCR codes: 0 death certificate only, 1 clinical, 2 clinical investigation,
4 tumour markers, 5 cytology, 6 histology of a metastasis, 7 histology of the
primary, 9 unknown), and with --deaths (death_date, cause) the
mortality:incidence ratio.`,
		Example: `  screenlab data-quality --cases diagnoses.csv --deaths deaths.csv --format csv`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if cases == "" {
				return flagErrorf("--cases is required")
			}
			cf, err := datasets.ReadFrame(cases)
			if err != nil {
				return err
			}
			var df *datasets.Frame
			if deaths != "" {
				if df, err = datasets.ReadFrame(deaths); err != nil {
					return err
				}
			}
			res, err := screening.DataQuality(cf, df)
			if err != nil {
				return err
			}
			return f.write(res)
		},
	}
	cmd.Flags().StringVar(&cases, "cases", "", "cases `FILE` (icd10, diagnosis_date, basis)")
	cmd.Flags().StringVar(&deaths, "deaths", "", "deaths `FILE` (death_date, cause)")
	return cmd
}
