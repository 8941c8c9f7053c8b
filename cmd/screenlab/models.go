package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/models/onnx"
)

// ---- screenlab features ----

type featuresOptions struct {
	f       *factory
	Linked  string
	Out     string
	Lenient bool
}

func newCmdFeatures(f *factory, runF func(*featuresOptions) error) *cobra.Command {
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
			res, err := features.WriteRegistryFeatures(opts.Linked, opts.Out, opts.Lenient)
			if err != nil {
				return err
			}
			return opts.f.write(res)
		},
	}
	cmd.Flags().StringVar(&opts.Linked, "linked", "", "linked exams `FILE`")
	cmd.Flags().StringVar(&opts.Out, "out", "", "features table `FILE` to write")
	cmd.Flags().BoolVar(&opts.Lenient, "lenient", false, "write bad rows to <input>.rejects.csv and go on")
	return cmd
}

// ---- screenlab train ----

type trainOptions struct {
	f           *factory
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

func newCmdTrain(f *factory, runF func(*trainOptions) error) *cobra.Command {
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
				if c.ImageSize < 16 || c.ImageSize%8 != 0 || c.ImageSize > 1024 {
					return flagErrorf("--image-size %d: want a multiple of 8 from 16 to 1024", c.ImageSize)
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

// trainData reads the training table and turns the flags into feature
// specs: text columns (and --categorical) categorical with --reference,
// --ordinal in the given order, --spline knots, --scale.
func (o *trainOptions) trainData() ([]features.Spec, *models.TrainData, error) {
	cols := models.TrainColumns{Target: o.Target, Time: o.Time, SplitBy: o.SplitBy, Features: o.Features}.Names()
	fr, err := readFrame(o.f, o.Data, cols...)
	if err != nil {
		return nil, nil, err
	}
	cat := map[string]bool{}
	for _, c := range o.Categorical {
		cat[c] = true
	}
	ch, err := features.ParseSpecChoices(o.Splines, o.Reference, o.Ordinal)
	if err != nil {
		return nil, nil, &flagError{Err: err}
	}
	return models.ReadTrainData(fr, models.TrainColumns{Target: o.Target, Time: o.Time, SplitBy: o.SplitBy, Features: o.Features,
		Categorical: cat, Reference: ch.Reference, Knots: ch.Knots, Ordinal: ch.Ordinal, Scale: o.Scale})
}

func runTrain(opts *trainOptions) error {
	var res any
	var file *models.File
	var err error
	if opts.Model == "cnn" {
		res, file, err = trainCNN(opts)
	} else {
		res, file, err = train(opts)
	}
	if err != nil {
		return err
	}
	if err := models.Save(opts.Out, file); err != nil {
		return err
	}
	opts.f.IO.Notef("wrote %s", opts.Out)
	return opts.f.write(res)
}

// train reads the table and fits, cross-validates and validates the model
// the options describe.
func train(opts *trainOptions) (*models.TrainResult, *models.File, error) {
	specs, td, err := opts.trainData()
	if err != nil {
		return nil, nil, err
	}
	res, file, err := models.Train(td, models.TrainOptions{Kind: opts.Model, Target: opts.Target, Time: opts.Time, Horizon: opts.Horizon,
		Specs: specs, L2: opts.L2, CV: opts.CV, Seed: opts.f.Seed, SplitBy: opts.SplitBy, Validate: opts.Validate,
		Forest: models.ForestOptions{Trees: opts.Trees, MTry: opts.MTry, MinLeaf: opts.MinLeaf, MaxDepth: opts.MaxDepth},
		Name:   opts.Out, Version: version()})
	if errors.Is(err, models.ErrNoValidationRows) {
		return nil, nil, flagErrorf("--validate %s: no rows have those values of %s", strings.Join(opts.Validate, ","), opts.SplitBy)
	}
	return res, file, err
}

// ---- screenlab predict ----

type predictOptions struct {
	f     *factory
	Model string
	Data  string
	Out   string
}

func newCmdPredict(f *factory, runF func(*predictOptions) error) *cobra.Command {
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
			m, err := models.Load(opts.Model)
			if err != nil {
				return err
			}
			if m.IsImage() {
				return fmt.Errorf("%s: %w", opts.Model, models.ErrImageModel)
			}
			var bar interface {
				Set(int64)
				Finish()
			}
			res, err := models.PredictFile(m, opts.Data, opts.Out, func(done, size int64) {
				if bar == nil {
					bar = opts.f.IO.NewProgress(size, "scoring", true)
				}
				bar.Set(done)
			})
			if bar != nil {
				bar.Finish()
			}
			if err != nil {
				return err
			}
			res.Model = opts.Model
			return opts.f.write(res)
		},
	}
	cmd.Flags().StringVar(&opts.Model, "model", "", "model `FILE`")
	cmd.Flags().StringVar(&opts.Data, "data", "", "table `FILE` to score")
	cmd.Flags().StringVar(&opts.Out, "out", "", "scored table `FILE` to write")
	return cmd
}

// ---- screenlab models describe ----

func newCmdModels(f *factory) *cobra.Command {
	cmd := &cobra.Command{Use: "models <command>", Short: "Inspect and verify saved and ONNX models"}
	cmd.AddCommand(&cobra.Command{
		Use:   "describe M",
		Short: "Show a model: kind, features, coefficients, provenance; an ONNX model's inputs, outputs, opset, hash",
		Long: `Show a saved model (kind, features, coefficients, preprocessing, provenance,
parameter hash), or an ONNX model (.onnx): its inputs and outputs (name, element
type, shape), opset, producer, operators, parameter count, SHA-256 and size, and
its sidecar when MODEL.onnx.json is there and fits it.`,
		Example: "  screenlab models describe risk.model\n  screenlab models describe resnet18.onnx",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if models.IsONNX(args[0]) {
				d, err := onnx.DescribeFile(args[0])
				if err != nil {
					return err
				}
				return f.write(d)
			}
			m, err := models.Load(args[0])
			if err != nil {
				return err
			}
			return f.write(models.Describe(m))
		},
	})
	var sidecar string
	verify := &cobra.Command{
		Use:   "verify M [--sidecar F]",
		Short: "Check a model file (and an ONNX model's sidecar) before a round starts",
		Long: `Check that a model can score a round, before the round starts. A screenlab
model: its format and checksums. An ONNX model: it parses, its opset is 13, every
operator is one screenlab runs; its sidecar (MODEL.onnx.json or --sidecar) is
well formed and was written for this model (its model_sha256), its input exists
with one channel and the preprocessing's size, its output exists, and a batch of
blank images runs to finite values. Prints the model's hash and what was
checked; exits non-zero with the reason when a check fails.

A sidecar (JSON) describes how a round is scored with the model:
  {"format": "screenlab-onnx-sidecar 1", "name": "resnet18-1ch",
   "model_sha256": "<sha256sum of the .onnx file>",
   "input": {"name": "image", "channels": 1, "height": 64, "width": 64},
   "output": {"name": "logit", "kind": "logit"},
   "preprocessing": {"width": 64, "height": 64, "threshold": 0.08, "resize": "lanczos-float32"},
   "exam_score": "logsumexp"}
output.kind is logit or probability; exam_score combines the four views: the
log-sum-exp of the logits (a smooth maximum), or the max or mean probability;
an optional "scale": {"mean": m, "std": s} maps each preprocessed value v to
(v − m)/s.`,
		Example: "  screenlab models verify resnet18.onnx\n  screenlab models verify resnet18.onnx --sidecar site-b.json\n  screenlab models verify triage.model",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			res, err := onnx.VerifyFile(args[0], sidecar)
			if err != nil {
				return err
			}
			return f.write(res)
		},
	}
	verify.Flags().StringVar(&sidecar, "sidecar", "", "an ONNX model's sidecar `FILE` (default: M + .json, e.g. model.onnx.json)")
	cmd.AddCommand(verify)
	return cmd
}
