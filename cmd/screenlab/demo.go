package main

import (
	"path/filepath"

	"github.com/screenlab/screenlab/demo"
	"github.com/spf13/cobra"
)

type demoOptions struct {
	f       *factory
	Dir     string
	Persons int
}

func newCmdDemo(f *factory, runF func(*demoOptions) error) *cobra.Command {
	opts := &demoOptions{f: f}
	cmd := &cobra.Command{
		Use:   "demo [--dir DIR]",
		Short: "Run the main job on a built-in synthetic registry",
		Long: `Run screenlab's main job end to end on a synthetic registry: generate the
registry with mammograms, link every exam to its registry-confirmed outcome,
compute the screening indicators overall and by screening unit, train a risk
model and validate it externally, train the triage CNN on the images of five
screening units and score the other three with screenlab score, replay
reading strategies with the AI score and with the CNN's, estimate survival
(Kaplan-Meier by stage, Cox, net survival, cumulative incidence of breast
cancer by density), incidence (standardised rates by year, trend, SIR by
region) and quality indicators with funnel plots, and write one
self-contained page, report.html. Everything is written to --dir (default
out/demo); screenlab report demo.json rebuilds the same page.`,
		Example: `  screenlab demo
  screenlab demo --dir /tmp/demo --persons 20000 --seed 3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Persons <= 0 {
				return flagErrorf("--persons must be positive, got %d", opts.Persons)
			}
			if runF != nil {
				return runF(opts)
			}
			return runDemo(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", filepath.Join("out", "demo"), "folder for the registry and results")
	cmd.Flags().IntVar(&opts.Persons, "persons", 100000, "number of women in the synthetic registry")
	return cmd
}

func runDemo(opts *demoOptions) error {
	io := opts.f.IO
	res, err := demo.Run(demo.Config{Dir: opts.Dir, Persons: opts.Persons, Seed: opts.f.Seed, Progress: func(s string) { io.Notef("demo: %s ...", s) }})
	if err != nil {
		return err
	}
	if opts.f.Format != "table" {
		return opts.f.write(res)
	}
	demo.WriteSummary(io.Out, res)
	return nil
}
