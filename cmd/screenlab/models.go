package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/report"
)

// ---- screenlab features ----

type featuresOptions struct {
	f       *Factory
	Linked  string
	Out     string
	Lenient bool
}

// FeaturesResult is the JSON of screenlab features.
type FeaturesResult struct {
	Rows    int    `json:"rows"`
	LeftOut int    `json:"left_out"`
	Output  string `json:"output"`
}

func newCmdFeatures(f *Factory, runF func(*featuresOptions) error) *cobra.Command {
	opts := &featuresOptions{f: f}
	cmd := &cobra.Command{
		Use:   "features --linked F --out F",
		Short: "Derive risk-model features from linked exams",
		Long: `Derive one row per screening exam from linked exams (screenlab link): age, prior
screens, prior recalls, prior benign biopsy, years since the last screen,
density, family history, BMI, HRT, the AI score, and the target cancer (1 for a
screen-detected or interval cancer). Exams excluded by the link and exams of
unknown outcome are left out and counted.`,
		Example: `  screenlab features --linked reg/linked.csv --out reg/features.csv`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Linked == "" || opts.Out == "" {
				return flagErrorf("--linked and --out are required")
			}
			if runF != nil {
				return runF(opts)
			}
			res, err := WriteRegistryFeatures(opts.Linked, opts.Out, opts.Lenient)
			if err != nil {
				return err
			}
			return opts.f.Render(res)
		},
	}
	cmd.Flags().StringVar(&opts.Linked, "linked", "", "linked exams `FILE`")
	cmd.Flags().StringVar(&opts.Out, "out", "", "features table `FILE` to write")
	cmd.Flags().BoolVar(&opts.Lenient, "lenient", false, "write bad rows to <input>.rejects.csv and go on")
	return cmd
}

// WriteRegistryFeatures reads linked exams and writes the features table.
func WriteRegistryFeatures(linked, out string, lenient bool) (*FeaturesResult, error) {
	exams, extra, _, err := datasets.ReadAll(linked, datasets.LinkedSchema, datasets.ReadOptions{Lenient: lenient})
	if err != nil {
		return nil, err
	}
	rows, left := features.RegistryFeatures(exams, extra)
	cols := make([]datasets.ColumnSpec, len(features.RegistryColumns))
	for i, c := range features.RegistryColumns {
		cols[i] = datasets.ColumnSpec{Name: c, Kind: datasets.KindString}
	}
	w, err := datasets.CreateTable(out, cols)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		for _, v := range r {
			w.String(v)
		}
		if err := w.EndRow(); err != nil {
			w.Abort()
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return &FeaturesResult{Rows: len(rows), LeftOut: left, Output: out}, nil
}

// ---- screenlab train ----

type trainOptions struct {
	f           *Factory
	Data        string
	Target      string
	Features    []string
	Categorical []string
	Splines     []string
	Reference   []string
	Ordinal     []string
	Scale       bool
	Model       string
	Time        string
	Horizon     float64
	L2          float64
	CV          int
	SplitBy     string
	Validate    []string
	Out         string
	Trees       int
	MTry        int
	MinLeaf     int
	MaxDepth    int
	CNN         cnnFlags
}

// ValidationResult is discrimination and calibration on held-out data, in
// the JSON of screenlab evaluate.
type ValidationResult struct {
	N           int                     `json:"n"`
	Positives   int                     `json:"positives"`
	AUC         evaluation.AUC          `json:"auc"`
	Brier       float64                 `json:"brier"`
	Calibration *evaluation.Calibration `json:"calibration,omitempty"`
	// For the external validation: what its calibration plot and decision
	// curve show (screenlab report draws them).
	CalPlot       *report.CalibrationData `json:"calibration_plot,omitempty"`
	DecisionCurve []evaluation.NetBenefit `json:"decision_curve,omitempty"`
}

// CVResult summarises k-fold cross-validation.
type CVResult struct {
	Folds   int                `json:"folds"`
	AUC     float64            `json:"auc"`
	Slope   float64            `json:"calibration_slope"`
	PerFold []ValidationResult `json:"per_fold"`
}

// TrainResult is the JSON of screenlab train.
type TrainResult struct {
	Model        string               `json:"model"`
	Kind         string               `json:"kind"`
	Train        int                  `json:"n_train"`
	Features     []string             `json:"design"`
	Coefficients []models.Coefficient `json:"coefficients"`
	CV           *CVResult            `json:"cv,omitempty"`
	Validation   *ValidationResult    `json:"validation,omitempty"`
	ValidatedOn  string               `json:"validated_on,omitempty"`
}

func newCmdTrain(f *Factory, runF func(*trainOptions) error) *cobra.Command {
	opts := &trainOptions{f: f}
	cmd := &cobra.Command{
		Use:   "train --data F --target COL --features a,b,c --model logistic|cox --out M",
		Short: "Train a risk model, cross-validate it and validate it on held-out units or years",
		Long: `Train a risk model on a table (for the registry, the output of screenlab features):

  logistic  logistic regression (unpenalised, with standard errors and odds ratios
            as glm; --l2 for a penalised prediction model)
  cox       Cox regression (Efron) giving the absolute risk by --horizon, with
            --time the follow-up and --target the event
  forest    a random forest of probability trees (seeded by --seed; --trees,
            --mtry, --min-leaf, --max-depth), reporting Gini importances
  cnn       the mammography triage network (gorgonia): --data has exam_id and
            --target (0/1, or the outcome of screenlab link: screen-detected 1,
            negative 0, other outcomes left out and counted), --images the
            images table; four views per exam, preprocessed to --image-size,
            class-balanced batches, early stopping on the AUC of a share of
            the women, --checkpoint/--resume to continue after a stop

Text columns are categorical (first sorted level the reference unless
--reference COL=LEVEL), --spline age:4 adds a restricted cubic spline with 4
knots (rms::rcs), and missing numeric values get an indicator plus the training
mean. --cv K reports stratified K-fold cross-validation (seeded by --seed);
--split-by screening_unit --validate SU06,SU07 trains on the other units and
validates on those (geographic or, with a year column, temporal validation).
Discrimination and calibration come from the evaluation package.`,
		Example: `  screenlab train --data reg/features.csv --target cancer --features age,density,family_history,bmi,hrt,prior_recalls --model logistic --cv 5 --split-by screening_unit --validate SU06,SU07,SU08 --out risk.model
  screenlab train --data cohort.csv --target dead --time years --horizon 5 --features age,stage --model cox --out cox.model
  screenlab train --model cnn --data reg/linked.csv --target outcome --images reg/images.csv --split-by screening_unit --validate SU06,SU07,SU08 --checkpoint triage.ckpt --resume --out triage.model`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Model == "cnn" {
				if opts.Data == "" || opts.Target == "" || opts.CNN.Images == "" || opts.Out == "" {
					return flagErrorf("--model cnn needs --data (labels), --target, --images and --out")
				}
			} else if opts.Data == "" || opts.Target == "" || len(opts.Features) == 0 || opts.Out == "" {
				return flagErrorf("--data, --target, --features and --out are required")
			}
			switch opts.Model {
			case "logistic":
			case "cox":
				if opts.Time == "" || opts.Horizon <= 0 {
					return flagErrorf("--model cox needs --time and --horizon")
				}
			case "forest":
			case "cnn":
				c := opts.CNN
				if c.ImageSize < 16 || c.ImageSize%8 != 0 {
					return flagErrorf("--image-size %d: want a multiple of 8, at least 16", c.ImageSize)
				}
				if c.ValFraction <= 0 || c.ValFraction >= 1 {
					return flagErrorf("--early-stopping-fraction %g: want a fraction in (0, 1)", c.ValFraction)
				}
				if c.Resume && c.Checkpoint == "" {
					return flagErrorf("--resume needs --checkpoint")
				}
			default:
				return flagErrorf("--model %q: want logistic, cox, forest or cnn", opts.Model)
			}
			if (opts.SplitBy == "") != (len(opts.Validate) == 0) {
				return flagErrorf("--split-by and --validate go together")
			}
			if runF != nil {
				return runF(opts)
			}
			return runTrain(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Data, "data", "", "training table `FILE`")
	fl.StringVar(&opts.Target, "target", "", "outcome `COL` (0/1; for cox the event)")
	fl.StringSliceVar(&opts.Features, "features", nil, "predictor `COLS`")
	fl.StringSliceVar(&opts.Categorical, "categorical", nil, "treat these numeric-looking `COLS` as categorical")
	fl.StringSliceVar(&opts.Splines, "spline", nil, "restricted cubic splines, `COL:KNOTS`")
	fl.StringSliceVar(&opts.Reference, "reference", nil, "reference levels, `COL=LEVEL`")
	fl.StringArrayVar(&opts.Ordinal, "ordinal", nil, "an ordinal column and its levels in order, `COL=a<b<c` (repeatable)")
	fl.BoolVar(&opts.Scale, "scale", false, "standardise numeric predictors with the training mean and SD")
	fl.StringVar(&opts.Model, "model", "logistic", "logistic, cox, forest or cnn")
	fl.StringVar(&opts.Time, "time", "", "follow-up time `COL` (cox)")
	fl.Float64Var(&opts.Horizon, "horizon", 0, "absolute risk by this time (cox)")
	fl.Float64Var(&opts.L2, "l2", 0, "L2 penalty (logistic)")
	fl.IntVar(&opts.CV, "cv", 0, "stratified K-fold cross-validation")
	fl.StringVar(&opts.SplitBy, "split-by", "", "hold out rows by the values of `COL`")
	fl.StringSliceVar(&opts.Validate, "validate", nil, "the --split-by `VALUES` to validate on")
	fl.StringVar(&opts.Out, "out", "", "model `FILE` to write")
	fl.IntVar(&opts.Trees, "trees", 200, "forest: number of trees")
	fl.IntVar(&opts.MTry, "mtry", 0, "forest: features tried per split (default: square root of the number of design columns)")
	fl.IntVar(&opts.MinLeaf, "min-leaf", 20, "forest: smallest leaf")
	fl.IntVar(&opts.MaxDepth, "max-depth", 12, "forest: deepest tree")
	fl.StringVar(&opts.CNN.Images, "images", "", "cnn: images table `FILE` (exam_id, laterality, view, path; paths relative to its folder)")
	d := defaultCNNFlags()
	fl.IntVar(&opts.CNN.ImageSize, "image-size", d.ImageSize, "cnn: input is `N`×N pixels per view")
	fl.IntVar(&opts.CNN.Steps, "steps", d.Steps, "cnn: most training steps")
	fl.IntVar(&opts.CNN.Batch, "batch", d.Batch, "cnn: exams per step (half of them cancers)")
	fl.Float64Var(&opts.CNN.LearnRate, "learn-rate", d.LearnRate, "cnn: Adam learning rate")
	fl.IntVar(&opts.CNN.EvalEvery, "eval-every", d.EvalEvery, "cnn: steps between early-stopping AUCs (and checkpoints)")
	fl.IntVar(&opts.CNN.Patience, "patience", d.Patience, "cnn: stop after this many evaluations without a better AUC")
	fl.Float64Var(&opts.CNN.ValFraction, "early-stopping-fraction", d.ValFraction, "cnn: share of women whose exams decide early stopping")
	fl.BoolVar(&opts.CNN.Augment, "augment", d.Augment, "cnn: besides up-down flips, rotate training views within ±5° and scale their contrast by 0.9-1.1")
	fl.StringVar(&opts.CNN.Checkpoint, "checkpoint", "", "cnn: save the training state to `FILE` after each evaluation")
	fl.BoolVar(&opts.CNN.Resume, "resume", false, "cnn: continue from --checkpoint when it exists")
	fl.IntVar(&opts.CNN.Workers, "workers", 0, "cnn: goroutines reading images (default: the number of CPUs)")
	return cmd
}

// trainData is a table read for training.
type trainData struct {
	values [][]string // per feature column
	y      []bool
	time   []float64
	split  []string
	print  string
}

func (o *trainOptions) specs() ([]features.Spec, *datasets.Frame, *trainData, error) {
	cols := append([]string{o.Target}, o.Features...)
	for _, c := range []string{o.Time, o.SplitBy} {
		if c != "" {
			cols = append(cols, c)
		}
	}
	fr, err := datasets.ReadFrameColumns(o.Data, cols...)
	if err != nil {
		return nil, nil, nil, err
	}
	cat := map[string]bool{}
	for _, c := range o.Categorical {
		cat[c] = true
	}
	knots := map[string]int{}
	for _, s := range o.Splines {
		c, k, ok := strings.Cut(s, ":")
		n, err := strconv.Atoi(k)
		if !ok || err != nil {
			return nil, nil, nil, flagErrorf("--spline %q: want COL:KNOTS, e.g. age:4", s)
		}
		knots[c] = n
	}
	refs := map[string]string{}
	for _, r := range o.Reference {
		c, l, ok := strings.Cut(r, "=")
		if !ok {
			return nil, nil, nil, flagErrorf("--reference %q: want COL=LEVEL", r)
		}
		refs[c] = l
	}
	ord := map[string][]string{}
	for _, o := range o.Ordinal {
		c, levels, ok := strings.Cut(o, "=")
		if !ok || !strings.Contains(levels, "<") {
			return nil, nil, nil, flagErrorf("--ordinal %q: want COL=a<b<c", o)
		}
		ord[c] = strings.Split(levels, "<")
	}
	td := &trainData{}
	var specs []features.Spec
	h := sha256.New()
	for _, c := range o.Features {
		vals, _ := fr.Strings(c)
		td.values = append(td.values, vals)
		for _, v := range vals {
			io.WriteString(h, v)
			h.Write([]byte{0})
		}
		s := features.Spec{Name: c, Kind: features.Numeric, Knots: knots[c], Scale: o.Scale}
		switch {
		case ord[c] != nil:
			s = features.Spec{Name: c, Kind: features.Ordinal, Order: ord[c]}
		case cat[c] || !fr.IsNumeric(c):
			s = features.Spec{Name: c, Kind: features.Categorical, Reference: refs[c]}
		}
		specs = append(specs, s)
	}
	if td.y, err = fr.Events(o.Target); err != nil {
		return nil, nil, nil, err
	}
	for _, v := range td.y {
		if v {
			h.Write([]byte{1})
		} else {
			h.Write([]byte{0})
		}
	}
	td.print = hex.EncodeToString(h.Sum(nil))
	if o.Time != "" {
		if td.time, err = fr.Floats(o.Time, false); err != nil {
			return nil, nil, nil, err
		}
	}
	if o.SplitBy != "" {
		td.split, _ = fr.Strings(o.SplitBy)
	}
	return specs, fr, td, nil
}

// fitOn fits the pipeline and model on the rows idx.
func (o *trainOptions) fitOn(specs []features.Spec, td *trainData, idx []int) (*models.File, error) {
	cols := make([][]string, len(specs))
	for c := range specs {
		cols[c] = subset(td.values[c], idx)
	}
	pipe, err := features.Fit(specs, cols)
	if err != nil {
		return nil, err
	}
	x, err := design(pipe, td.values, idx)
	if err != nil {
		return nil, err
	}
	y := subset(td.y, idx)
	f := &models.File{Kind: o.Model, Target: o.Target, Features: *pipe, Seed: o.f.Seed, TrainRows: len(idx), DataPrint: td.print,
		Hyper: map[string]string{"l2": strconv.FormatFloat(o.L2, 'g', -1, 64)}, Screenlab: Version()}
	switch o.Model {
	case "logistic":
		if f.Logistic, err = models.FitLogistic(x, y, pipe.Names(), o.L2); err != nil {
			return nil, err
		}
	case "cox":
		f.Time, f.Horizon = o.Time, o.Horizon
		if f.Cox, err = models.FitCoxRisk(subset(td.time, idx), y, x, pipe.Names(), o.Horizon); err != nil {
			return nil, err
		}
	case "forest":
		for k, v := range map[string]int{"trees": o.Trees, "mtry": o.MTry, "min_leaf": o.MinLeaf, "max_depth": o.MaxDepth} {
			f.Hyper[k] = strconv.Itoa(v)
		}
		if f.Forest, err = models.FitForest(x, y, pipe.Names(), models.ForestOptions{Trees: o.Trees, MTry: o.MTry,
			MinLeaf: o.MinLeaf, MaxDepth: o.MaxDepth, Seed: o.f.Seed}); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// design transforms the rows idx.
func design(pipe *features.Pipeline, values [][]string, idx []int) ([]float64, error) {
	row := make([]string, len(values))
	x := make([]float64, 0, len(idx)*pipe.Width())
	var err error
	for _, i := range idx {
		for c := range values {
			row[c] = values[c][i]
		}
		if x, err = pipe.Transform(row, x); err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	return x, nil
}

// decisionThresholds are 50 risk thresholds for a decision curve: 1% to
// 50% as usual, or, when the 99th percentile of predicted risk is below
// 10% (screening: cancer risks of a few per thousand), 50 steps up to it.
func decisionThresholds(risk []float64) []float64 {
	s := append([]float64(nil), risk...)
	sort.Float64s(s)
	top := 0.5
	if len(s) > 0 {
		if q := s[int(0.99*float64(len(s)-1))]; q < 0.1 {
			top = q
		}
	}
	step := top / 50
	if top == 0.5 {
		step = 0.01
	}
	var out []float64
	for t := step; t <= top*(1+1e-9) && len(out) < 50; t += step {
		out = append(out, t)
	}
	return out
}

// validate scores the rows idx with a fitted model.
// With plots, it also keeps the calibration plot's data and the decision
// curve.
func validateOn(f *models.File, td *trainData, idx []int, plots bool) (*ValidationResult, error) {
	row := make([]string, len(td.values))
	risk := make([]float64, len(idx))
	var scratch []float64
	for k, i := range idx {
		for c := range td.values {
			row[c] = td.values[c][i]
		}
		r, s, err := f.Predict(row, scratch)
		scratch = s
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
		risk[k] = r
	}
	y := subset(td.y, idx)
	auc, err := evaluation.AUCDeLong(risk, y, 0.95)
	if err != nil {
		return nil, err
	}
	v := &ValidationResult{N: len(idx), AUC: auc}
	for _, b := range y {
		if b {
			v.Positives++
		}
	}
	v.Brier, _ = evaluation.Brier(risk, y)
	if v.Calibration, err = evaluation.Calibrate(risk, y, 0.95); err != nil {
		return nil, err
	}
	if plots {
		v.CalPlot = report.NewCalibrationData(v.Calibration, risk)
		v.DecisionCurve = evaluation.DecisionCurve(risk, y, decisionThresholds(risk))
	}
	return v, nil
}

func runTrain(opts *trainOptions) error {
	var res any
	var file *models.File
	var err error
	if opts.Model == "cnn" {
		res, file, err = TrainCNN(opts)
	} else {
		res, file, err = Train(opts)
	}
	if err != nil {
		return err
	}
	if err := models.Save(opts.Out, file); err != nil {
		return err
	}
	opts.f.IO.Notef("wrote %s", opts.Out)
	return opts.f.Render(res)
}

// Train fits, cross-validates and validates a model as the options say.
func Train(opts *trainOptions) (*TrainResult, *models.File, error) {
	specs, _, td, err := opts.specs()
	if err != nil {
		return nil, nil, err
	}
	n := len(td.y)
	var trainIdx, valIdx []int
	hold := map[string]bool{}
	for _, v := range opts.Validate {
		hold[v] = true
	}
	for i := 0; i < n; i++ {
		if td.split != nil && hold[td.split[i]] {
			valIdx = append(valIdx, i)
		} else {
			trainIdx = append(trainIdx, i)
		}
	}
	if td.split != nil && len(valIdx) == 0 {
		return nil, nil, flagErrorf("--validate %s: no rows have those values of %s", strings.Join(opts.Validate, ","), opts.SplitBy)
	}
	file, err := opts.fitOn(specs, td, trainIdx)
	if err != nil {
		return nil, nil, err
	}
	res := &TrainResult{Model: opts.Out, Kind: opts.Model, Train: len(trainIdx), Features: file.Features.Names()}
	res.Coefficients = file.Model().Terms()
	file.Metrics = map[string]any{}
	if opts.CV > 1 && opts.Model != "cox" {
		cv, err := crossValidate(opts, specs, td, trainIdx)
		if err != nil {
			return nil, nil, fmt.Errorf("cross-validation: %w", err)
		}
		res.CV = cv
		file.Metrics["cv_auc"], file.Metrics["cv_calibration_slope"] = cv.AUC, cv.Slope
	}
	if len(valIdx) > 0 && opts.Model != "cox" {
		v, err := validateOn(file, td, valIdx, true)
		if err != nil {
			return nil, nil, fmt.Errorf("validation: %w", err)
		}
		res.Validation, res.ValidatedOn = v, opts.SplitBy+" in "+strings.Join(opts.Validate, ",")
		file.Metrics["validation_auc"], file.Metrics["validation_calibration_slope"] = v.AUC.Estimate, v.Calibration.Slope
	}
	return res, file, nil
}

// crossValidate runs stratified K-fold cross-validation on rows idx:
// positives and negatives are shuffled (seeded) and dealt to folds in turn.
func crossValidate(opts *trainOptions, specs []features.Spec, td *trainData, idx []int) (*CVResult, error) {
	r := rand.New(rand.NewPCG(opts.f.Seed, 0xcf))
	var pos, neg []int
	for _, i := range idx {
		if td.y[i] {
			pos = append(pos, i)
		} else {
			neg = append(neg, i)
		}
	}
	r.Shuffle(len(pos), func(a, b int) { pos[a], pos[b] = pos[b], pos[a] })
	r.Shuffle(len(neg), func(a, b int) { neg[a], neg[b] = neg[b], neg[a] })
	fold := make(map[int]int, len(idx))
	for k, i := range pos {
		fold[i] = k % opts.CV
	}
	for k, i := range neg {
		fold[i] = k % opts.CV
	}
	cv := &CVResult{Folds: opts.CV}
	for k := 0; k < opts.CV; k++ {
		var tr, te []int
		for _, i := range idx {
			if fold[i] == k {
				te = append(te, i)
			} else {
				tr = append(tr, i)
			}
		}
		f, err := opts.fitOn(specs, td, tr)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", k+1, err)
		}
		v, err := validateOn(f, td, te, false)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", k+1, err)
		}
		cv.PerFold = append(cv.PerFold, *v)
		cv.AUC += v.AUC.Estimate / float64(opts.CV)
		cv.Slope += v.Calibration.Slope / float64(opts.CV)
	}
	return cv, nil
}

// ---- screenlab predict ----

type predictOptions struct {
	f     *Factory
	Model string
	Data  string
	Out   string
}

// PredictResult is the JSON of screenlab predict.
type PredictResult struct {
	Rows   int    `json:"rows"`
	Output string `json:"output"`
	Model  string `json:"model"`
	Kind   string `json:"kind"`
}

func newCmdPredict(f *Factory, runF func(*predictOptions) error) *cobra.Command {
	opts := &predictOptions{f: f}
	cmd := &cobra.Command{
		Use:   "predict --model M --data F --out F",
		Short: "Score a table with a saved model (streaming, any size)",
		Long: `Apply a saved model to every row of a table, streaming (memory does not grow
with the file), and write the table with a risk column added. The model file
is verified (format, checksum) before use, and rows whose columns do not match
the model's feature schema are errors naming the line.`,
		Example: `  screenlab predict --model risk.model --data reg/features.csv --out reg/scored.csv`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Model == "" || opts.Data == "" || opts.Out == "" {
				return flagErrorf("--model, --data and --out are required")
			}
			if runF != nil {
				return runF(opts)
			}
			res, err := Predict(opts.Model, opts.Data, opts.Out, opts.f.IO.NewProgress)
			if err != nil {
				return err
			}
			return opts.f.Render(res)
		},
	}
	cmd.Flags().StringVar(&opts.Model, "model", "", "model `FILE`")
	cmd.Flags().StringVar(&opts.Data, "data", "", "table `FILE` to score")
	cmd.Flags().StringVar(&opts.Out, "out", "", "scored table `FILE` to write")
	return cmd
}

// Predict streams data through a model into out.
func Predict[P interface {
	Set(int64)
	Finish()
}](modelPath, data, out string, progress func(int64, string, bool) P) (*PredictResult, error) {
	m, err := models.Load(modelPath)
	if err != nil {
		return nil, err
	}
	if m.CNN != nil {
		return nil, fmt.Errorf("%s: %w", modelPath, models.ErrImageModel)
	}
	src, err := datasets.OpenSource(data)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	header := src.Header()
	pos := make([]int, len(m.Features.Columns))
	for c, col := range m.Features.Columns {
		pos[c] = -1
		for i, h := range header {
			if h == col.Name {
				pos[c] = i
			}
		}
		if pos[c] < 0 {
			return nil, fmt.Errorf("%s: %w: no column %q (the model needs %s)", src.Name(), models.ErrSchema, col.Name, strings.Join(featureNames(m), ", "))
		}
	}
	cols := make([]datasets.ColumnSpec, 0, len(header)+1)
	for _, h := range header {
		cols = append(cols, datasets.ColumnSpec{Name: h, Kind: datasets.KindString})
	}
	cols = append(cols, datasets.ColumnSpec{Name: "risk", Kind: datasets.KindFloat})
	w, err := datasets.CreateTable(out, cols)
	if err != nil {
		return nil, err
	}
	bar := progress(src.Size(), "scoring", true)
	defer bar.Finish()
	row := make([]string, len(pos))
	var scratch []float64
	n := 0
	for {
		rec, line, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			w.Abort()
			return nil, err
		}
		for c, p := range pos {
			row[c] = rec[p]
		}
		r, s, err := m.Predict(row, scratch)
		scratch = s
		if err != nil {
			w.Abort()
			return nil, fmt.Errorf("%s:%d: %w", src.Name(), line, err)
		}
		for _, v := range rec {
			w.String(v)
		}
		w.Float(r, -1)
		if err := w.EndRow(); err != nil {
			w.Abort()
			return nil, err
		}
		n++
		if n&8191 == 0 {
			bar.Set(src.Offset())
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return &PredictResult{Rows: n, Output: out, Model: modelPath, Kind: m.Kind}, nil
}

func featureNames(m *models.File) []string {
	var out []string
	for _, c := range m.Features.Columns {
		out = append(out, c.Name)
	}
	return out
}

// ---- screenlab models describe ----

// DescribeResult is the JSON of screenlab models describe.
type DescribeResult struct {
	Kind         string               `json:"kind"`
	Format       int                  `json:"format"`
	Target       string               `json:"target"`
	Horizon      float64              `json:"horizon,omitempty"`
	Columns      []string             `json:"columns"`
	Design       []string             `json:"design"`
	Coefficients []models.Coefficient `json:"coefficients"`
	TrainRows    int                  `json:"training_rows"`
	Fingerprint  string               `json:"data_fingerprint"`
	Seed         uint64               `json:"seed"`
	Metrics      map[string]any       `json:"training_metrics,omitempty"`
	Screenlab    string               `json:"screenlab_version"`
	ParamsHash   string               `json:"params_sha256"`
	ImagePrep    *features.ImagePrep  `json:"image_prep,omitempty"`
	CNN          *cnnDescription      `json:"cnn,omitempty"`
}

// cnnDescription is a CNN without its weights.
type cnnDescription struct {
	Size     int     `json:"size"`
	Channels []int   `json:"channels"`
	Params   int     `json:"parameters"`
	Steps    int     `json:"best_step"`
	AUC      float64 `json:"early_stopping_auc"`
}

func describeCNN(c *models.CNN) *cnnDescription {
	if c == nil {
		return nil
	}
	d := &cnnDescription{Size: c.Size, Channels: c.Channels, Steps: c.Steps, AUC: c.BestAUC}
	for _, w := range c.Weights {
		d.Params += len(w)
	}
	return d
}

func newCmdModels(f *Factory) *cobra.Command {
	cmd := &cobra.Command{Use: "models <command>", Short: "Inspect saved models"}
	cmd.AddCommand(&cobra.Command{
		Use:     "describe M",
		Short:   "Show a saved model: kind, features, coefficients, provenance",
		Example: "  screenlab models describe risk.model",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := models.Load(args[0])
			if err != nil {
				return err
			}
			d := DescribeResult{Kind: m.Kind, Format: m.Format, Target: m.Target, Horizon: m.Horizon, Columns: featureNames(m),
				Design: m.Features.Names(), TrainRows: m.TrainRows, Fingerprint: m.DataPrint, Seed: m.Seed,
				Metrics: m.Metrics, Screenlab: m.Screenlab, ParamsHash: m.ParamsHash}
			if mm := m.Model(); mm != nil {
				d.Coefficients = mm.Terms()
			}
			d.ImagePrep, d.CNN = m.ImagePrep, describeCNN(m.CNN)
			return f.Render(d)
		},
	})
	return cmd
}
