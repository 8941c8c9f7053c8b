package main

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/survival"
)

type coxOptions struct {
	f *factory
	timeFlags
	Event      string
	Covariates []string
	Strata     string
	Cluster    string
	Ties       string
	Reference  []string
	Level      float64
	MaxIter    int
}

func newCmdSurvivalCox(f *factory, runF func(*coxOptions) error) *cobra.Command {
	opts := &coxOptions{f: f}
	cmd := &cobra.Command{
		Use:   "cox --data F --time COL --event COL --covariates a,b,c",
		Short: "Cox proportional hazards regression",
		Long: `Fit a Cox proportional hazards model by Newton-Raphson with step halving, with
Efron (default) or Breslow ties, strata (--strata), delayed entry (--entry),
case weights (--weights) and robust (sandwich) standard errors summed within
--cluster. Reports hazard ratios with confidence intervals, Wald,
likelihood-ratio and score tests, Harrell's concordance, and the
proportional-hazards test of R's cox.zph (Kaplan-Meier transform, per term and
global).

A text covariate is categorical: its levels sorted, the first is the reference
unless --reference COL=LEVEL names another, and each other level is a term
named as R names it (rx with levels Lev, Lev+5FU, Obs gives rxLev+5FU, rxObs).
Non-convergence and infinite coefficients (monotone likelihood) are reported
as warnings, as R warns.`,
		Example: `  screenlab survival cox --data lung.csv --time time --event status --covariates age,sex,ph_ecog
  screenlab survival cox --data colon.csv --time time --event status --covariates rx,age --reference rx=Obs --cluster id --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			if opts.Event == "" || len(opts.Covariates) == 0 {
				return flagErrorf("--event and --covariates are required")
			}
			if opts.Ties != "efron" && opts.Ties != "breslow" {
				return flagErrorf("--ties %q: want efron or breslow", opts.Ties)
			}
			if _, err := features.ParseSpecChoices(nil, opts.Reference, nil); err != nil {
				return &flagError{Err: err}
			}
			if runF != nil {
				return runF(opts)
			}
			return runSurvivalCox(opts)
		},
	}
	opts.timeFlags.add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.Event, "event", "", "event `COL`: 1 = event, 0 = censored")
	fl.StringSliceVar(&opts.Covariates, "covariates", nil, "covariate `COLS`, comma-separated")
	fl.StringVar(&opts.Strata, "strata", "", "stratify the baseline hazard by `COL`")
	fl.StringVar(&opts.Cluster, "cluster", "", "robust standard errors clustered by `COL`")
	fl.StringVar(&opts.Ties, "ties", "efron", "ties: efron or breslow")
	fl.StringSliceVar(&opts.Reference, "reference", nil, "reference level of a categorical covariate, `COL=LEVEL`")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.IntVar(&opts.MaxIter, "max-iter", 20, "most Newton-Raphson iterations")
	return cmd
}

// coxDesign builds the design, by columns, with
// features.CovariateColumnsOf (CovariatesOf, the builder train uses too).
func coxDesign(fr *datasets.Frame, covs []string, refs map[string]string) ([][]float64, []string, []survival.Term, error) {
	pipe, x, err := features.CovariateColumnsOf(fr, covs, refs)
	if errors.Is(err, features.ErrReference) {
		return nil, nil, nil, &flagError{Err: errors.New(strings.Replace(err.Error(), features.ErrReference.Error()+": ", "", 1))}
	}
	if err != nil {
		var re *datasets.RowError
		if errors.As(err, &re) {
			return nil, nil, nil, err
		}
		return nil, nil, nil, fmt.Errorf("cox: %w", err)
	}
	var terms []survival.Term
	for c, cols := range pipe.Terms() {
		terms = append(terms, survival.Term{Name: covs[c], Cols: cols})
	}
	return x, pipe.Names(), terms, nil
}

func runSurvivalCox(opts *coxOptions) error {
	res, err := survivalCox(opts)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		opts.f.IO.Notef("warning: %s", w)
	}
	return opts.f.write(res)
}

// survivalCox fits the Cox model the options describe.
func survivalCox(opts *coxOptions) (*survival.CoxResult, error) {
	fu, err := opts.readNumbers(opts.f, opts.Covariates, opts.Event, opts.Strata, opts.Cluster)
	if err != nil {
		return nil, err
	}
	ev, err := opts.events(fu, opts.Event)
	if err != nil {
		return nil, err
	}
	ch, _ := features.ParseSpecChoices(nil, opts.Reference, nil) // checked with the flags
	x, names, terms, err := coxDesign(fu.frame, opts.Covariates, ch.Reference)
	if err != nil {
		return nil, err
	}
	data := survival.CoxData{Time: fu.Time, Event: ev, Entry: fu.Entry, Columns: x, Names: names, Terms: terms, Weights: fu.Weights}
	if opts.Strata != "" {
		if _, data.Strata, err = fu.frame.Levels(opts.Strata); err != nil {
			return nil, err
		}
	}
	if opts.Cluster != "" {
		if _, data.Cluster, err = fu.frame.Levels(opts.Cluster); err != nil {
			return nil, err
		}
	}
	// Parsed: only the fit's arrays are needed now. Collect, so that the
	// fit reuses the input's memory rather than touch fresh pages.
	fu.frame.Release(append([]string{opts.Time, opts.Event, opts.Strata, opts.Cluster}, opts.Covariates...)...)
	runtime.GC()
	res, err := survival.FitCox(data, survival.CoxOptions{Ties: survival.Ties(opts.Ties), Level: opts.Level, MaxIter: opts.MaxIter})
	if err != nil {
		return nil, rowError(fu.frame, err)
	}
	return res, nil
}
