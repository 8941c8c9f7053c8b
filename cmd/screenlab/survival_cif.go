package main

import (
	"strconv"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/survival"
)

type cifOptions struct {
	f *factory
	timeFlags
	plotFlags
	Status string
	Group  string
	Strata string
	Times  string
	Level  float64
	Rho    float64
	Plot   string
}

func newCmdSurvivalCIF(f *factory, runF func(*cifOptions) error) *cobra.Command {
	opts := &cifOptions{f: f}
	cmd := &cobra.Command{
		Use:   "cif --data F --time COL --status COL [--group COL] [--times 1,3,5]",
		Short: "Cumulative incidence of competing risks and Gray's test",
		Long: `Cumulative incidence per cause (Aalen-Johansen) with the variance that
cmprsk::cuminc reports, per --group, at --times, with confidence limits on the
log(-log) scale; and Gray's test between groups for each cause (--rho for the
G-rho weight, --strata for a stratified test). --status is 0 for censored and
1..k for the cause of the event.`,
		Example: `  screenlab survival cif --data pbc.csv --time time --status status --group trt --times 1000,2000,3000
  screenlab survival cif --data cohort.csv --start dx_date --stop exit_date --time-unit years --status cause --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			if opts.Status == "" {
				return flagErrorf("--status is required: 0 censored, 1..k causes")
			}
			if opts.Entry != "" || opts.Weights != "" {
				return flagErrorf("cif does not take --entry or --weights (cmprsk::cuminc has neither)")
			}
			if _, err := parseTimes(opts.Times); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runSurvivalCIF(opts)
		},
	}
	opts.timeFlags.add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.Status, "status", "", "status `COL`: 0 censored, 1..k the cause")
	fl.StringVar(&opts.Group, "group", "", "curves per value of `COL`, and Gray's test between them")
	fl.StringVar(&opts.Strata, "strata", "", "stratify Gray's test by `COL`")
	fl.StringVar(&opts.Times, "times", "", "report the curves at these times, e.g. 1,3,5")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.Float64Var(&opts.Rho, "rho", 0, "G-rho weight of Gray's test")
	fl.StringVar(&opts.Plot, "plot", "", "write the curves to `FILE` (.png, .svg or .pdf)")
	opts.plotFlags.add(cmd)
	return cmd
}

func runSurvivalCIF(opts *cifOptions) error {
	out, err := survivalCIF(opts)
	if err != nil {
		return err
	}
	if opts.Group != "" {
		opts.f.Rename = map[string]string{"group": opts.Group}
	}
	return opts.f.write(out)
}

// survivalCIF reads the follow-up and estimates the cumulative incidence
// of each cause per group with Gray's tests (and draws --plot).
func survivalCIF(opts *cifOptions) (*survival.CIFByGroup, error) {
	fu, err := opts.read(opts.f, opts.Status, opts.Group, opts.Strata)
	if err != nil {
		return nil, err
	}
	vals, err := fu.frame.Strings(opts.Status)
	if err != nil {
		return nil, err
	}
	status := make([]int, len(vals))
	maxCause := 0
	for i, s := range vals {
		c, err := strconv.Atoi(s)
		if err != nil || c < 0 {
			return nil, fu.frame.Fail(opts.Status, i, datasets.ErrBadCode, "a status 0 (censored) or a cause 1, 2, ...")
		}
		status[i] = c
		maxCause = max(maxCause, c)
	}
	if maxCause == 0 {
		return nil, fu.frame.Fail(opts.Status, 0, datasets.ErrBadCode, "at least one event (status 1..k); every row is censored")
	}
	group, strata, err := groupAndStrata(fu.frame, opts.Group, opts.Strata)
	if err != nil {
		return nil, err
	}
	times, _ := parseTimes(opts.Times)
	out, err := survival.CumulativeIncidenceByGroup(fu.Time, status, group, survival.CIFGroupOptions{Times: times, Level: opts.Level, Rho: opts.Rho, Strata: strata})
	if err != nil {
		return nil, rowError(fu.frame, err)
	}
	if opts.Plot != "" {
		po, err := opts.plotFlags.stepOptions(&opts.timeFlags, opts.Group)
		if err != nil {
			return nil, err
		}
		if err := report.WriteCIFPlot(opts.Plot, out, po); err != nil {
			return nil, err
		}
		opts.f.IO.Notef("wrote %s", opts.Plot)
	}
	return out, nil
}
