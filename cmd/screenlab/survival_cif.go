package main

import (
	"strconv"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/survival"
)

type cifOptions struct {
	f *Factory
	timeFlags
	Status string
	Group  string
	Strata string
	Times  string
	Level  float64
	Rho    float64
	Plot   string
}

// GrayRow is Gray's test for one cause.
type GrayRow struct {
	Cause int     `json:"cause"`
	Stat  float64 `json:"stat"`
	DF    int     `json:"df"`
	P     float64 `json:"p"`
}

// CIFOutput is the JSON of screenlab survival cif.
type CIFOutput struct {
	Causes []survival.CIFCurve `json:"causes"`
	Gray   []GrayRow           `json:"gray"`
	Level  float64             `json:"level"`
}

func newCmdSurvivalCIF(f *Factory, runF func(*cifOptions) error) *cobra.Command {
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
	fl.StringVar(&opts.Plot, "plot", "", "write the curves to `FILE` (.png or .svg)")
	return cmd
}

func runSurvivalCIF(opts *cifOptions) error {
	out, err := SurvivalCIF(opts)
	if err != nil {
		return err
	}
	return opts.f.Render(out)
}

// SurvivalCIF computes screenlab survival cif: the cumulative incidence of
// each cause per group, Gray's tests, and the plot when asked.
func SurvivalCIF(opts *cifOptions) (*CIFOutput, error) {
	fu, err := opts.read(opts.Status, opts.Group, opts.Strata)
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
	times, _ := parseTimes(opts.Times)
	names := []string{"all"}
	codes := make([]int, len(status))
	if opts.Group != "" {
		if names, codes, err = levels(fu.frame, opts.Group); err != nil {
			return nil, err
		}
	}
	rows := make([][]int, len(names))
	for i, g := range codes {
		rows[g] = append(rows[g], i)
	}
	var strata []int
	if opts.Strata != "" {
		if _, strata, err = levels(fu.frame, opts.Strata); err != nil {
			return nil, err
		}
	}
	out := CIFOutput{Level: opts.Level}
	for cause := 1; cause <= maxCause; cause++ {
		for g, name := range names {
			idx := rows[g]
			curve, err := survival.CumulativeIncidence(subset(fu.time, idx), subset(status, idx), cause, times, opts.Level)
			if err != nil {
				return nil, rowError(fu, idx, err)
			}
			curve.Group = name
			if len(curve.Table) == 0 {
				curve.Warnings = append(curve.Warnings, "no events of this cause in this group")
			}
			out.Causes = append(out.Causes, *curve)
		}
		if len(names) > 1 {
			t, err := survival.GrayTest(fu.time, status, cause, codes, len(names), strata, opts.Rho)
			if err != nil {
				return nil, err
			}
			out.Gray = append(out.Gray, GrayRow{Cause: cause, Stat: t.Chisq, DF: t.DF, P: t.P})
		}
	}
	if opts.Plot != "" {
		if err := plotCIF(opts.Plot, out); err != nil {
			return nil, err
		}
		opts.f.IO.Notef("wrote %s", opts.Plot)
	}
	return &out, nil
}
