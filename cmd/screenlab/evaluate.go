package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/internal/numeric"
	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/report/render"
)

type evaluateOptions struct {
	f           *Factory
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
}

// BootstrapCI is a percentile interval from a stratified bootstrap.
type BootstrapCI struct {
	Replicates int     `json:"replicates"`
	Lower      float64 `json:"lower"`
	Upper      float64 `json:"upper"`
	Seed       uint64  `json:"seed"`
}

// EvaluateResult is the JSON of screenlab evaluate (DESIGN.md).
type EvaluateResult struct {
	N             int                           `json:"n"`
	Positives     int                           `json:"positives"`
	MissingScores int                           `json:"missing_scores"`
	AUC           *evaluation.AUC               `json:"auc,omitempty"`
	AUCBootstrap  *BootstrapCI                  `json:"auc_bootstrap,omitempty"`
	Brier         float64                       `json:"brier"`
	ScaledBrier   float64                       `json:"scaled_brier"`
	Calibration   *evaluation.Calibration       `json:"calibration,omitempty"`
	CalPlot       *report.CalibrationData       `json:"calibration_plot,omitempty"`
	Compare       *evaluation.Comparison        `json:"compare,omitempty"`
	PartialAUC    *PartialAUC                   `json:"partial_auc,omitempty"`
	AvgPrecision  float64                       `json:"average_precision"`
	Thresholds    []evaluation.ThresholdMetrics `json:"thresholds,omitempty"`
	DecisionCurve []evaluation.NetBenefit       `json:"decision_curve,omitempty"`
	roc           []evaluation.ROCPoint
	scores        []float64
	outcomes      []bool
	Time          *evaluation.TimeMetrics `json:"time,omitempty"`
	Notes         []string                `json:"notes,omitempty"`
}

// PartialAUC is the area over a range of specificities.
type PartialAUC struct {
	SpecificityFrom float64 `json:"specificity_from"`
	SpecificityTo   float64 `json:"specificity_to"`
	Area            float64 `json:"area"`
}

// EvaluateGroup is one --by subgroup.
type EvaluateGroup struct {
	Group groups.Key `json:"-"`
	EvaluateResult
}

// EvaluateOutput adds the subgroups to the overall result.
type EvaluateOutput struct {
	EvaluateResult
	By []EvaluateGroup `json:"by,omitempty"`
}

func newCmdEvaluate(f *Factory, runF func(*evaluateOptions) error) *cobra.Command {
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
			if _, err := evaluation.ParseCIMethod(opts.CI); err != nil {
				return &FlagError{Err: err}
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
	fl.StringVar(&opts.CI, "ci", "wilson", "interval for the proportions at thresholds: wilson or exact")
	return cmd
}

func runEvaluate(opts *evaluateOptions) error {
	cols := []string{opts.Score, opts.Outcome}
	for _, c := range append([]string{opts.Time, opts.Compare}, opts.By...) {
		if c != "" {
			cols = append(cols, c)
		}
	}
	fr, err := datasets.ReadFrameColumns(opts.Data, cols...)
	if err != nil {
		return err
	}
	score, err := fr.Floats(opts.Score, true)
	if err != nil {
		return err
	}
	outcome, err := fr.Events(opts.Outcome)
	if err != nil {
		return err
	}
	var time, compare []float64
	if opts.Time != "" {
		if time, err = fr.Floats(opts.Time, false); err != nil {
			return err
		}
	}
	if opts.Compare != "" {
		if compare, err = fr.Floats(opts.Compare, true); err != nil {
			return err
		}
	}
	all := make([]int, fr.Len())
	for i := range all {
		all[i] = i
	}
	res, err := evaluateRows(opts, all, score, outcome, time, compare)
	if err != nil {
		return err
	}
	out := EvaluateOutput{EvaluateResult: *res}
	if len(opts.By) > 0 {
		keys := make([][]string, len(opts.By))
		for k, b := range opts.By {
			keys[k], _ = fr.Strings(b)
		}
		grps := map[string][]int{}
		vals := map[string][]string{}
		var order []string
		for i := range all {
			v := make([]string, len(keys))
			for k := range keys {
				v[k] = keys[k][i]
			}
			key := strings.Join(v, "\x00")
			if _, ok := grps[key]; !ok {
				order = append(order, key)
				vals[key] = v
			}
			grps[key] = append(grps[key], i)
		}
		sortGroups(order, vals)
		for _, k := range order {
			r, err := evaluateRows(opts, grps[k], score, outcome, time, compare)
			if err != nil {
				r = &EvaluateResult{N: len(grps[k]), Notes: []string{err.Error()}}
			}
			out.By = append(out.By, EvaluateGroup{Group: groups.Key{Names: opts.By, Values: vals[k]}, EvaluateResult: *r})
		}
	}
	for _, n := range out.Notes {
		opts.f.IO.Notef("note: %s", n)
	}
	if opts.Report != "" {
		if err := writeEvaluationReport(opts, &out); err != nil {
			return err
		}
		opts.f.IO.Notef("wrote %s", filepath.Join(opts.Report, "index.html"))
	}
	return opts.f.Render(out)
}

// writeEvaluationReport writes the ROC, calibration and decision curve
// plots and an HTML page with them and the tables.
func writeEvaluationReport(opts *evaluateOptions, out *EvaluateOutput) error {
	dir := opts.Report
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	page := &report.Page{Title: "Evaluation of " + opts.Score, Version: Version(),
		Subtitle: fmt.Sprintf("%s: outcome %s, %d subjects", filepath.Base(opts.Data), opts.Outcome, out.N)}
	r := &out.EvaluateResult
	f := render.FormatNumber
	if r.Time != nil {
		page.Section("Time-to-event metrics at the horizon", "IPCW weights for censoring (Kaplan-Meier of the censoring times).")
		t := r.Time
		page.Table([]string{"horizon", "Harrell's C", "Uno's C", "AUC(t)", "Brier(t)", "O/E", "censored before horizon"},
			[][]string{{f(t.Horizon), f(t.HarrellC), f(t.UnoC), f(t.AUC), f(t.Brier), f(t.OE), fmt.Sprint(t.CensoredBeforeHorizon)}})
		var rows [][]string
		for _, g := range t.Groups {
			rows = append(rows, []string{fmt.Sprint(g.Group), fmt.Sprint(g.N), f(g.Predicted), f(g.Observed), f(g.Lower) + " - " + f(g.Upper)})
		}
		page.Table([]string{"risk fifth", "n", "predicted", "observed (KM)", "95% CI"}, rows)
		page.EndSection()
		return page.Write(filepath.Join(dir, "index.html"))
	}
	page.Section("Discrimination", "AUC with the DeLong interval; the ROC band is a stratified bootstrap of the sensitivity.")
	page.Table([]string{"n", "positives", "AUC", "95% CI", "average precision"},
		[][]string{{fmt.Sprint(r.N), fmt.Sprint(r.Positives), f(r.AUC.Estimate), f(r.AUC.Lower) + " - " + f(r.AUC.Upper), f(r.AvgPrecision)}})
	var grid []float64
	for k := 0; k <= 50; k++ {
		grid = append(grid, float64(k)/50)
	}
	reps := opts.Bootstrap
	if reps == 0 {
		reps = 200
	}
	lo, hi := evaluation.ROCBand(r.scores, r.outcomes, reps, opts.f.Seed, opts.Level, grid)
	rocPath := filepath.Join(dir, "roc.svg")
	if err := report.WriteROCPlot(rocPath, "ROC curve", []string{opts.Score}, [][]evaluation.ROCPoint{r.roc}, &report.ROCBand{Specificity: grid, Lower: lo, Upper: hi}); err != nil {
		return err
	}
	if err := page.SVG(rocPath, fmt.Sprintf("ROC curve of %s with a %d-replicate bootstrap band.", opts.Score, reps)); err != nil {
		return err
	}
	prPath := filepath.Join(dir, "precision_recall.svg")
	prev := float64(r.Positives) / float64(r.N-r.MissingScores)
	if err := report.WritePRPlot(prPath, "Precision-recall", r.roc, prev, r.AvgPrecision); err != nil {
		return err
	}
	if err := page.SVG(prPath, "Precision-recall curve; the dashed line is the prevalence (no skill)."); err != nil {
		return err
	}
	if len(r.Thresholds) > 0 {
		var rows [][]string
		for _, t := range r.Thresholds {
			rows = append(rows, []string{t.Rule, f(t.Threshold), f(t.Sensitivity), f(t.Specificity), f(t.PPV), f(t.NPV), f(t.LRPositive)})
		}
		page.Table([]string{"rule", "threshold", "sensitivity", "specificity", "PPV", "NPV", "LR+"}, rows)
	}
	page.EndSection()
	if c := r.Calibration; c != nil {
		page.Section("Calibration", "Smoothed calibration curve (lowess, as rms::val.prob), observed risk by decile with Wilson intervals, and the distribution of predictions.")
		page.Table([]string{"intercept", "slope", "calibration-in-the-large", "O/E", "ICI", "E90", "Emax", "Brier", "Hosmer-Lemeshow p"},
			[][]string{{f(c.Intercept), f(c.Slope), f(c.CITL), f(c.OE), f(c.ICI), f(c.E90), f(c.Emax), f(r.Brier), f(c.HosmerLemeshow.P)}})
		calPath := filepath.Join(dir, "calibration.svg")
		if err := report.WriteCalibrationPlot(calPath, "Calibration", c, r.scores); err != nil {
			return err
		}
		if err := page.SVG(calPath, "Calibration curve."); err != nil {
			return err
		}
		page.EndSection()
		page.Section("Decision curve", "Net benefit of acting on the model against treating all and none (Vickers & Elkin 2006).")
		dcPath := filepath.Join(dir, "decision_curve.svg")
		if err := report.WriteDecisionCurve(dcPath, "Decision curve", r.DecisionCurve); err != nil {
			return err
		}
		if err := page.SVG(dcPath, "Decision curve."); err != nil {
			return err
		}
		page.EndSection()
	}
	return page.Write(filepath.Join(dir, "index.html"))
}

// evaluateRows evaluates the rows idx.
func evaluateRows(opts *evaluateOptions, idx []int, score []float64, outcome []bool, time, compare []float64) (*EvaluateResult, error) {
	res := &EvaluateResult{N: len(idx), Brier: math.NaN(), ScaledBrier: math.NaN()}
	var s, c []float64
	var y []bool
	var tm []float64
	for _, i := range idx {
		if math.IsNaN(score[i]) || (compare != nil && math.IsNaN(compare[i])) {
			res.MissingScores++
			continue
		}
		s, y = append(s, score[i]), append(y, outcome[i])
		if compare != nil {
			c = append(c, compare[i])
		}
		if time != nil {
			tm = append(tm, time[i])
		}
		if outcome[i] {
			res.Positives++
		}
	}
	if res.MissingScores > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d rows with a missing score are left out of every metric", res.MissingScores))
	}
	if time != nil {
		m, err := evaluation.EvaluateAtHorizon(tm, y, s, opts.Horizon)
		if err != nil {
			return nil, err
		}
		res.Time = m
		return res, nil
	}
	auc, err := evaluation.AUCDeLong(s, y, opts.Level)
	if err != nil {
		return nil, err
	}
	res.AUC = &auc
	if compare != nil {
		cmp, err := evaluation.CompareAUC(s, c, y)
		if err != nil {
			return nil, err
		}
		res.Compare = &cmp
	}
	if opts.Bootstrap > 0 {
		res.AUCBootstrap = bootstrapAUC(s, y, opts.Bootstrap, opts.f.Seed, opts.Level)
	}
	res.roc, res.scores, res.outcomes = evaluation.ROC(s, y), s, y
	res.AvgPrecision = evaluation.AveragePrecision(res.roc)
	if opts.PartialAUC != "" {
		lo, hi, err := parseRange(opts.PartialAUC)
		if err != nil {
			return nil, err
		}
		res.PartialAUC = &PartialAUC{SpecificityFrom: lo, SpecificityTo: hi, Area: evaluation.PartialAUC(res.roc, lo, hi)}
	}
	for _, rule := range opts.Thresholds {
		t, err := evaluation.ChooseThreshold(s, y, rule)
		if err != nil {
			return nil, &FlagError{Err: err}
		}
		ci, _ := evaluation.ParseCIMethod(opts.CI)
		res.Thresholds = append(res.Thresholds, evaluation.AtThreshold(s, y, t, rule, opts.Level, ci))
	}
	probabilities := true
	for _, v := range s {
		if v < 0 || v > 1 {
			probabilities = false
			break
		}
	}
	switch {
	case opts.Calibration == "no":
	case !probabilities && opts.Calibration == "yes":
		return nil, fmt.Errorf("--calibration yes: score %s has values outside [0, 1]; calibration needs predicted probabilities", opts.Score)
	case !probabilities:
		res.Notes = append(res.Notes, "scores are not probabilities in [0, 1]: Brier score and calibration skipped")
	default:
		res.Brier, res.ScaledBrier = evaluation.Brier(s, y)
		cal, err := evaluation.Calibrate(s, y, opts.Level)
		if err != nil {
			return nil, err
		}
		res.Calibration = cal
		res.CalPlot = report.NewCalibrationData(cal, s)
		var pts []float64
		for k := 1; k <= 50; k++ {
			pts = append(pts, float64(k)/100)
		}
		res.DecisionCurve = evaluation.DecisionCurve(s, y, pts)
	}
	return res, nil
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

// bootstrapAUC resamples positives and negatives separately (stratified,
// as pROC's ci.auc(method = "bootstrap")) and takes percentiles.
func bootstrapAUC(s []float64, y []bool, reps int, seed uint64, level float64) *BootstrapCI {
	var pos, neg []float64
	for i := range s {
		if y[i] {
			pos = append(pos, s[i])
		} else {
			neg = append(neg, s[i])
		}
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	aucs := make([]float64, reps)
	bs := make([]float64, len(pos)+len(neg))
	by := make([]bool, len(bs))
	for k := range aucs {
		for i := range pos {
			bs[i], by[i] = pos[r.IntN(len(pos))], true
		}
		for j := range neg {
			bs[len(pos)+j], by[len(pos)+j] = neg[r.IntN(len(neg))], false
		}
		a, _ := evaluation.AUCDeLong(bs, by, level)
		aucs[k] = a.Estimate
	}
	sort.Float64s(aucs)
	alpha := (1 - level) / 2
	return &BootstrapCI{Replicates: reps, Lower: numeric.Quantile(aucs, alpha), Upper: numeric.Quantile(aucs, 1-alpha), Seed: seed}
}
