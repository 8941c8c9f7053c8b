package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/report"
)

type reportOptions struct {
	f     *factory
	Files []string
	Out   string
	Title string
}

func newCmdReport(f *factory, runF func(*reportOptions) error) *cobra.Command {
	opts := &reportOptions{f: f}
	cmd := &cobra.Command{
		Use:   "report RESULT.json... [--out report.html] [--title T]",
		Short: "Build a self-contained HTML report from saved JSON results",
		Long: `Build one self-contained HTML page (inline CSS and SVG plots, no network) from
the JSON results of other screenlab commands (run them with --format json and
save the output). Each file becomes a section, in the order given, with its
tables, confidence intervals and plots drawn from the results themselves:

  screenlab screening          screening indicators
  screenlab train              risk model: validation, coefficients, calibration
                               plot, decision curve
  screenlab evaluate           discrimination, calibration plot, decision curve
  screenlab survival km        survival table and Kaplan-Meier plot with numbers
                               at risk
  screenlab survival cox       hazard ratios
  screenlab survival relative  net survival
  screenlab survival cif       cumulative incidence table and plot, Gray's test
  screenlab incidence rates    rates table and, by year, the trend plot
  screenlab incidence trend    annual percent change
  screenlab incidence sir      standardised incidence ratios
  screenlab triage simulate    reading strategies and the threshold sweep
  screenlab indicators         quality indicators with funnel plots
  screenlab demo (demo.json)   the demo's whole page

The kind of each file is recognised from its fields. Suppressed cells stay
suppressed. The page ends with the SHA-256 of every input and the version.`,
		Example: `  screenlab survival km --data cohort.csv --time years --event dead --group stage --format json > km.json
  screenlab incidence rates --cases c.csv --population p.csv --by year --format json > rates.json
  screenlab report km.json rates.json --title "Breast cancer 2015-2024" --out report.html
  screenlab report out/demo/demo.json --out demo.html`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			if runF != nil {
				return runF(opts)
			}
			return runReport(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", "report.html", "HTML `FILE` to write")
	cmd.Flags().StringVar(&opts.Title, "title", "screenlab report", "the page's title")
	return cmd
}

func runReport(opts *reportOptions) error {
	page, sources, err := report.BuildReport(opts.Files, opts.Title, version())
	if err != nil {
		return err
	}
	if err := page.Write(opts.Out); err != nil {
		return err
	}
	opts.f.IO.Notef("wrote %s from %d results", opts.Out, len(sources))
	return opts.f.write(&report.BuildResult{Report: opts.Out, Sections: sources})
}
