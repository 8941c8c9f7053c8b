package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/models"
)

type recalibrateOptions struct {
	f      *factory
	Model  string
	Data   string
	Method string
	Out    string
}

func newCmdRecalibrate(f *factory) *cobra.Command {
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
	if m.Kind != "logistic" && m.Kind != "cox" {
		return flagErrorf("%s is a %s model; recalibrate works on logistic and cox models", opts.Model, m.Kind)
	}
	if (opts.Method == "baseline") != (m.Kind == "cox") {
		return flagErrorf("--method %s does not apply to a %s model (logistic: intercept or logistic; cox: baseline)", opts.Method, m.Kind)
	}
	cols := append(m.ColumnNames(), m.Target)
	if m.Time != "" {
		cols = append(cols, m.Time)
	}
	fr, err := readFrame(opts.f, opts.Data, cols...)
	if err != nil {
		return err
	}
	td := &models.TrainData{}
	for _, c := range m.ColumnNames() {
		v, _ := fr.Strings(c)
		td.Values = append(td.Values, v)
	}
	if td.Y, err = fr.Events(m.Target); err != nil {
		return err
	}
	if m.Time != "" {
		if td.Time, err = fr.Floats(m.Time, false); err != nil {
			return err
		}
	}
	res, err := models.Recalibrate(m, td, opts.Method)
	if err != nil {
		return fmt.Errorf("%s: %w", fr.File, err)
	}
	res.Output = opts.Out
	m.Hyper["recalibrated"] = opts.Method + " on " + opts.Data
	m.Screenlab = version()
	if err := models.Save(opts.Out, m); err != nil {
		return err
	}
	return opts.f.write(res)
}
