package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/models"
)

type recalibrateOptions struct {
	f      *Factory
	Model  string
	Data   string
	Method string
	Out    string
}

// RecalibrateResult is the JSON of screenlab recalibrate.
type RecalibrateResult struct {
	Method string            `json:"method"`
	Rows   int               `json:"rows"`
	Before *ValidationResult `json:"before,omitempty"`
	After  *ValidationResult `json:"after,omitempty"`
	Output string            `json:"output"`
}

func newCmdRecalibrate(f *Factory) *cobra.Command {
	opts := &recalibrateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "recalibrate --model M --data F --method intercept|logistic|baseline --out M2",
		Short: "Adapt a saved model to new data (intercept, logistic or baseline-hazard update)",
		Long: `Update a model developed elsewhere to local data, keeping its predictors:

  intercept  logistic: refit the intercept with the linear predictor as offset
  logistic   logistic: refit intercept and slope on the linear predictor and
             rescale every coefficient (logistic recalibration)
  baseline   cox: rescale the baseline hazard so the mean predicted risk by the
             horizon equals the Kaplan-Meier risk in the new data

The new model is written to --out with its provenance; discrimination and
calibration on the data are reported before and after (logistic models).`,
		Example: `  screenlab recalibrate --model dutch.model --data reg/features.csv --method logistic --out norwegian.model`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Model == "" || opts.Data == "" || opts.Out == "" {
				return flagErrorf("--model, --data and --out are required")
			}
			switch opts.Method {
			case "intercept", "logistic", "baseline":
			default:
				return flagErrorf("--method %q: want intercept, logistic or baseline", opts.Method)
			}
			return runRecalibrate(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Model, "model", "", "model `FILE` to update")
	fl.StringVar(&opts.Data, "data", "", "new data `FILE` with the model's columns and outcome")
	fl.StringVar(&opts.Method, "method", "logistic", "intercept, logistic or baseline")
	fl.StringVar(&opts.Out, "out", "", "updated model `FILE`")
	return cmd
}

func runRecalibrate(opts *recalibrateOptions) error {
	m, err := models.Load(opts.Model)
	if err != nil {
		return err
	}
	if m.Kind == "cnn" {
		return flagErrorf("%s is a cnn model; recalibrate works on logistic, forest and cox models", opts.Model)
	}
	if (opts.Method == "baseline") != (m.Kind == "cox") {
		return flagErrorf("--method %s does not apply to a %s model (logistic: intercept or logistic; cox: baseline)", opts.Method, m.Kind)
	}
	cols := append(featureNames(m), m.Target)
	if m.Time != "" {
		cols = append(cols, m.Time)
	}
	fr, err := datasets.ReadFrameColumns(opts.Data, cols...)
	if err != nil {
		return err
	}
	td := &trainData{}
	for _, c := range featureNames(m) {
		v, _ := fr.Strings(c)
		td.values = append(td.values, v)
	}
	if td.y, err = fr.Events(m.Target); err != nil {
		return err
	}
	idx := make([]int, fr.Len())
	for i := range idx {
		idx[i] = i
	}
	x, err := design(&m.Features, td.values, idx)
	if err != nil {
		return fmt.Errorf("%s: %w: %v", fr.File, models.ErrSchema, err)
	}
	res := &RecalibrateResult{Method: opts.Method, Rows: len(idx), Output: opts.Out}
	if m.Kind == "logistic" {
		if res.Before, err = validateOn(m, td, idx, false); err != nil {
			return err
		}
		if err := m.Logistic.Recalibrate(x, td.y, opts.Method); err != nil {
			return err
		}
		if res.After, err = validateOn(m, td, idx, false); err != nil {
			return err
		}
	} else {
		tm, err := fr.Floats(m.Time, false)
		if err != nil {
			return err
		}
		if err := m.Cox.RecalibrateBaseline(tm, td.y, x); err != nil {
			return err
		}
	}
	m.Hyper["recalibrated"] = opts.Method + " on " + opts.Data
	m.Screenlab = Version()
	if err := models.Save(opts.Out, m); err != nil {
		return err
	}
	return opts.f.Render(res)
}
