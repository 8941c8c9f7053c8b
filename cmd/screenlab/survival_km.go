package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/survival"
)

type kmOptions struct {
	f *factory
	timeFlags
	plotFlags
	Event    string
	Group    string
	Strata   string
	Times    string
	ConfType string
	Level    float64
	Rho      float64
	Horizon  float64
	Plot     string
}

func newCmdSurvivalKM(f *factory, runF func(*kmOptions) error) *cobra.Command {
	opts := &kmOptions{f: f}
	cmd := &cobra.Command{
		Use:   "km --data F --time COL --event COL [--group COL]",
		Short: "Kaplan-Meier survival curves, median survival and the log-rank test",
		Long: `Kaplan-Meier curves (per --group) with Greenwood standard errors and confidence
intervals (--conf-type log, R's default; plain; log-log), the survival at
--times, median survival with its confidence interval as R's quantile.survfit
computes it, the Nelson-Aalen cumulative hazard, the restricted mean survival
time to --horizon, and the log-rank test between groups (--rho 1 for
Peto-Peto; --strata for a stratified test). Delayed entry with --entry, as R's
Surv(entry, time, event); case weights with --weights.

The table lists every distinct time (of events and censorings); std_err is the
standard error of S(t), as summary.survfit prints it.`,
		Example: `  screenlab survival km --data lung.csv --time time --event status --group sex --times 180,365,730
  screenlab survival km --data cohort.csv --start diagnosis_date --stop exit_date --time-unit years --event dead --group stage --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			if opts.Event == "" {
				return flagErrorf("--event is required: a 0/1 column")
			}
			if _, err := survival.ParseConfType(opts.ConfType); err != nil {
				return &flagError{Err: err}
			}
			if opts.Level <= 0 || opts.Level >= 1 {
				return flagErrorf("--level %g: want a number between 0 and 1", opts.Level)
			}
			if _, err := parseTimes(opts.Times); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runSurvivalKM(opts)
		},
	}
	opts.timeFlags.add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.Event, "event", "", "event `COL`: 1 = event, 0 = censored")
	fl.StringVar(&opts.Group, "group", "", "one curve per value of `COL`, and a log-rank test between them")
	fl.StringVar(&opts.Strata, "strata", "", "stratify the log-rank test by `COL`")
	fl.StringVar(&opts.Times, "times", "", "report the curve at these times, e.g. 1,5,10")
	fl.StringVar(&opts.ConfType, "conf-type", "log", "confidence interval: log, log-log or plain")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.Float64Var(&opts.Rho, "rho", 0, "G-rho weight of the test: 0 log-rank, 1 Peto-Peto")
	fl.Float64Var(&opts.Horizon, "horizon", 0, "restricted mean survival time up to this time")
	fl.StringVar(&opts.Plot, "plot", "", "write the curves to `FILE` (.png, .svg or .pdf)")
	opts.plotFlags.add(cmd)
	cmd.RegisterFlagCompletionFunc("conf-type", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"log", "log-log", "plain"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runSurvivalKM(opts *kmOptions) error {
	out, err := survivalKM(opts)
	if err != nil {
		return err
	}
	if opts.Group != "" {
		opts.f.Rename = map[string]string{"group": opts.Group}
	}
	if opts.Start != "" {
		u := opts.TimeUnit
		opts.f.Units = map[string]string{"time": u, "median": u, "rmst": u}
	}
	return opts.f.write(out)
}

// survivalKM reads the follow-up and fits the curves (and draws --plot).
func survivalKM(opts *kmOptions) (*survival.KMByGroup, error) {
	fu, err := opts.read(opts.f, opts.Event, opts.Group, opts.Strata)
	if err != nil {
		return nil, err
	}
	ev, err := opts.events(fu, opts.Event)
	if err != nil {
		return nil, err
	}
	group, strata, err := groupAndStrata(fu.frame, opts.Group, opts.Strata)
	if err != nil {
		return nil, err
	}
	times, _ := parseTimes(opts.Times)
	ct, _ := survival.ParseConfType(opts.ConfType)
	out, err := survival.KaplanMeierByGroup(fu.Time, ev, group, survival.KMGroupOptions{
		KMOptions: survival.KMOptions{Entry: fu.Entry, Weights: fu.Weights, ConfType: ct, Level: opts.Level, Times: times, Horizon: opts.Horizon},
		Rho:       opts.Rho, Strata: strata})
	if err != nil {
		return nil, rowError(fu.frame, err)
	}
	if opts.Plot != "" {
		po, err := opts.plotFlags.stepOptions(&opts.timeFlags, opts.Group)
		if err != nil {
			return nil, err
		}
		if err := report.WriteKMPlot(opts.Plot, out, po); err != nil {
			return nil, err
		}
		opts.f.IO.Notef("wrote %s", opts.Plot)
	}
	return out, nil
}
