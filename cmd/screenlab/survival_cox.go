package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/survival"
)

type coxOptions struct {
	f *Factory
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

func newCmdSurvivalCox(f *Factory, runF func(*coxOptions) error) *cobra.Command {
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
			for _, r := range opts.Reference {
				if !strings.Contains(r, "=") {
					return flagErrorf("--reference %q: want COL=LEVEL", r)
				}
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

// designMatrix builds X from numeric and categorical columns.
func designMatrix(fr *datasets.Frame, covs []string, refs map[string]string) (x []float64, names []string, terms []survival.Term, err error) {
	n := fr.Len()
	var cols [][]float64
	for _, c := range covs {
		if fr.IsNumeric(c) {
			if _, isRef := refs[c]; isRef {
				return nil, nil, nil, flagErrorf("--reference %s: %s is numeric, not categorical", c, c)
			}
			v, err := fr.Floats(c, false)
			if err != nil {
				return nil, nil, nil, err
			}
			terms = append(terms, survival.Term{Name: c, Cols: []int{len(cols)}})
			cols = append(cols, v)
			names = append(names, c)
			continue
		}
		lv, codes, err := levels(fr, c)
		if err != nil {
			return nil, nil, nil, err
		}
		ref := 0
		if r, ok := refs[c]; ok {
			ref = -1
			for i, l := range lv {
				if l == r {
					ref = i
				}
			}
			if ref < 0 {
				return nil, nil, nil, flagErrorf("--reference %s=%s: no such level; levels are %s", c, r, strings.Join(lv, ", "))
			}
		}
		if len(lv) < 2 {
			return nil, nil, nil, fmt.Errorf("cox: covariate %s has one level (%s): no variance", c, lv[0])
		}
		term := survival.Term{Name: c}
		for i, l := range lv {
			if i == ref {
				continue
			}
			v := make([]float64, n)
			for r, code := range codes {
				if code == i {
					v[r] = 1
				}
			}
			term.Cols = append(term.Cols, len(cols))
			cols = append(cols, v)
			names = append(names, c+l)
		}
		terms = append(terms, term)
	}
	for k := range refs {
		found := false
		for _, c := range covs {
			found = found || c == k
		}
		if !found {
			return nil, nil, nil, flagErrorf("--reference %s: %s is not among --covariates", k, k)
		}
	}
	p := len(cols)
	x = make([]float64, n*p)
	for j, col := range cols {
		for i, v := range col {
			x[i*p+j] = v
		}
	}
	return x, names, terms, nil
}

func runSurvivalCox(opts *coxOptions) error {
	res, err := SurvivalCox(opts)
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		opts.f.IO.Notef("warning: %s", w)
	}
	return opts.f.Render(res)
}

// SurvivalCox fits the Cox model the options describe.
func SurvivalCox(opts *coxOptions) (*survival.CoxResult, error) {
	fu, err := opts.read(append([]string{opts.Event, opts.Strata, opts.Cluster}, opts.Covariates...)...)
	if err != nil {
		return nil, err
	}
	ev, err := events(fu.frame, opts.Event)
	if err != nil {
		return nil, err
	}
	refs := map[string]string{}
	for _, r := range opts.Reference {
		k, v, _ := strings.Cut(r, "=")
		refs[k] = v
	}
	x, names, terms, err := designMatrix(fu.frame, opts.Covariates, refs)
	if err != nil {
		return nil, err
	}
	data := survival.CoxData{Time: fu.time, Event: ev, Entry: fu.entry, X: x, Names: names, Terms: terms, Weights: fu.weights}
	if opts.Strata != "" {
		if _, data.Strata, err = levels(fu.frame, opts.Strata); err != nil {
			return nil, err
		}
	}
	if opts.Cluster != "" {
		if _, data.Cluster, err = levels(fu.frame, opts.Cluster); err != nil {
			return nil, err
		}
	}
	res, err := survival.FitCox(data, survival.CoxOptions{Ties: survival.Ties(opts.Ties), Level: opts.Level, MaxIter: opts.MaxIter})
	if err != nil {
		return nil, rowError(fu, nil, err)
	}
	return res, nil
}
