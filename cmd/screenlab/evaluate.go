package main

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/report"
)

type evaluateOptions struct {
	f           *factory
	Data        string
	Score       string
	Outcome     string
	Time        string
	Horizon     float64
	Compare     string
	Bootstrap   int
	By          []string
	Calibration string
	Level       float64
	Thresholds  []string
	PartialAUC  string
	Report      string
	CI          string
	Plot        string
	PlotKind    string
	Weights     string
	plotFlags
}

func newCmdEvaluate(f *factory, runF func(*evaluateOptions) error) *cobra.Command {
	opts := &evaluateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "evaluate --data F --score COL --outcome COL [--time COL --horizon T] [--compare COL]",
		Short: "Discrimination and calibration of a risk score against registry outcomes",
		Long: `Evaluate any score column - screenlab's models or a vendor's AI - against outcomes:

  binary outcome   AUC with the DeLong interval (fast O(n log n), as pROC), the
                   paired DeLong test against --compare, a stratified bootstrap
                   interval (--bootstrap N, seeded by --seed), Brier score, and
                   for probabilities the calibration intercept and slope (as
                   rms::val.prob), calibration-in-the-large, O/E, ICI, E50, E90,
                   Emax, Hosmer-Lemeshow, Spiegelhalter's z and deciles;
  --time --horizon Harrell's and Uno's C, and the IPCW cumulative/dynamic AUC and
                   Brier score at the horizon (as riskRegression::Score), with the
                   outcome column as the event status.

Higher scores mean higher risk. Rows with a missing score are counted in
missing_scores and left out; --by gives every metric per subgroup.
--calibration yes makes scores outside [0, 1] an error; auto (the default)
skips calibration for scores that are not probabilities, with a note.`,
		Example: `  screenlab evaluate --data asah.csv --score s100b --outcome outcome --compare ndka
  screenlab evaluate --data validation.csv --score risk --outcome cancer --by screening_unit --bootstrap 1000
  screenlab evaluate --data validation.csv --score risk --outcome cancer --compare ai_score --plot roc.pdf
  screenlab evaluate --data lung_risk.csv --score risk365 --time time --outcome status --horizon 365`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Data == "" || opts.Score == "" || opts.Outcome == "" {
				return flagErrorf("--data, --score and --outcome are required")
			}
			if (opts.Time == "") != (opts.Horizon == 0) {
				return flagErrorf("--time and --horizon go together")
			}
			switch opts.Calibration {
			case "auto", "yes", "no":
			default:
				return flagErrorf("--calibration %q: want auto, yes or no", opts.Calibration)
			}
			if !slices.Contains(report.EvaluationPlots, opts.PlotKind) {
				return flagErrorf("--plot-kind %q: want one of %s", opts.PlotKind, strings.Join(report.EvaluationPlots, ", "))
			}
			if _, err := evaluation.ParseCIMethod(opts.CI); err != nil {
				return &flagError{Err: err}
			}
			if runF != nil {
				return runF(opts)
			}
			return runEvaluate(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Data, "data", "", "table `FILE` with scores and outcomes")
	fl.StringVar(&opts.Score, "score", "", "score `COL` (higher = more likely positive)")
	fl.StringVar(&opts.Outcome, "outcome", "", "outcome `COL`: 1 = positive (event), 0 = negative")
	fl.StringVar(&opts.Time, "time", "", "follow-up time `COL`, for time-to-event metrics at --horizon")
	fl.Float64Var(&opts.Horizon, "horizon", 0, "horizon for time-to-event metrics")
	fl.StringVar(&opts.Compare, "compare", "", "a second score `COL` for the paired DeLong test")
	fl.IntVar(&opts.Bootstrap, "bootstrap", 0, "stratified bootstrap replicates for the AUC interval")
	fl.StringSliceVar(&opts.By, "by", nil, "also evaluate per value of these `COLS`")
	fl.StringVar(&opts.Calibration, "calibration", "auto", "calibration metrics: auto, yes or no")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.StringSliceVar(&opts.Thresholds, "threshold", nil, "metrics at thresholds chosen by `RULE`s: cutoff:0.3, top:10%, sensitivity:0.9, specificity:0.95, youden")
	fl.StringVar(&opts.PartialAUC, "partial-auc", "", "partial AUC over specificities `LO-HI`, e.g. 0.8-1")
	fl.StringVar(&opts.Report, "report", "", "write ROC, calibration and decision curve plots and an HTML page to `DIR`")
	fl.StringVar(&opts.Weights, "weights", "", "case weight `COL`: the weighted AUC (or Harrell's C with --time) with its infinitesimal-jackknife interval, as survival::concordance(weights =)")
	fl.StringVar(&opts.Plot, "plot", "", "draw the overall --plot-kind plot to `FILE` (.png, .svg or .pdf)")
	fl.StringVar(&opts.PlotKind, "plot-kind", "roc", "plot to draw: "+strings.Join(report.EvaluationPlots, ", ")+" (roc has --compare's curve too)")
	opts.plotFlags.add(cmd)
	fl.StringVar(&opts.CI, "ci", "wilson", "interval for the proportions at thresholds: wilson or exact")
	return cmd
}

func runEvaluate(opts *evaluateOptions) error {
	// The scores, times and weights are held as numbers while reading.
	nums := []string{opts.Score}
	for _, c := range []string{opts.Time, opts.Compare, opts.Weights} {
		if c != "" {
			nums = append(nums, c)
		}
	}
	fr, err := readFrameAs(opts.f, opts.Data, nums, append([]string{opts.Outcome}, opts.By...)...)
	if err != nil {
		return err
	}
	var d evaluation.Data
	if d.Score, err = fr.Floats(opts.Score, true); err != nil {
		return err
	}
	if d.Outcome, err = fr.Events(opts.Outcome); err != nil {
		return err
	}
	if opts.Time != "" {
		if d.Time, err = fr.Floats(opts.Time, false); err != nil {
			return err
		}
	}
	if opts.Compare != "" {
		if d.Compare, err = fr.Floats(opts.Compare, true); err != nil {
			return err
		}
	}
	if opts.Weights != "" {
		if d.Weights, err = fr.Floats(opts.Weights, false); err != nil {
			return err
		}
	}
	keys := make([][]string, len(opts.By))
	for k, b := range opts.By {
		keys[k], _ = fr.Strings(b)
	}
	eo := evaluation.Options{Horizon: opts.Horizon, Level: opts.Level, Bootstrap: opts.Bootstrap, Seed: opts.f.Seed,
		Calibration: opts.Calibration, Thresholds: opts.Thresholds, ScoreName: opts.Score}
	eo.CIMethod, _ = evaluation.ParseCIMethod(opts.CI)
	if opts.PartialAUC != "" {
		lo, hi, err := parseRange(opts.PartialAUC)
		if err != nil {
			return err
		}
		eo.PartialAUC = &[2]float64{lo, hi}
	}
	out, err := evaluation.EvaluateByGroup(d, opts.By, keys, eo)
	if err != nil {
		var re *evaluation.RuleError
		if errors.As(err, &re) || errors.Is(err, evaluation.ErrWeighted) {
			return &flagError{Err: err}
		}
		return err
	}
	for _, n := range out.Notes {
		opts.f.IO.Notef("note: %s", n)
	}
	if opts.Report != "" {
		if err := report.WriteEvaluation(opts.Report, out, report.EvaluationInfo{Data: opts.Data, Score: opts.Score, Outcome: opts.Outcome,
			Version: version(), Bootstrap: opts.Bootstrap, Seed: opts.f.Seed, Level: opts.Level}); err != nil {
			return err
		}
		opts.f.IO.Notef("wrote %s", filepath.Join(opts.Report, "index.html"))
	}
	if opts.Plot != "" {
		po, err := opts.plotFlags.options()
		if err != nil {
			return err
		}
		if err := report.WriteEvaluationPlot(opts.Plot, opts.PlotKind, out, opts.Score, opts.Compare, po); err != nil {
			return err
		}
	}
	return opts.f.write(out)
}

// parseRange parses "0.8-1".
func parseRange(s string) (float64, float64, error) {
	a, b, ok := strings.Cut(s, "-")
	lo, ok1 := datasets.ParseNumber(a)
	hi, ok2 := datasets.ParseNumber(b)
	if !ok || !ok1 || !ok2 || lo < 0 || hi > 1 || lo >= hi {
		return 0, 0, flagErrorf("--partial-auc %q: want LO-HI within 0-1, e.g. 0.8-1", s)
	}
	return lo, hi, nil
}
