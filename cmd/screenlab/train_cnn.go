package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/models"
)

// cnnFlags are train's options for --model cnn.
type cnnFlags struct {
	Images      string
	ImageSize   int
	Steps       int
	Batch       int
	LearnRate   float64
	EvalEvery   int
	Patience    int
	ValFraction float64
	Checkpoint  string
	Resume      bool
	Workers     int
	Augment     bool
}

// defaultCNNFlags are train's defaults for --model cnn (and the demo's).
func defaultCNNFlags() cnnFlags {
	d := models.DefaultTriageOptions()
	return cnnFlags{ImageSize: d.Size, Steps: d.Steps, Batch: d.Batch, LearnRate: d.LearnRate, EvalEvery: d.EvalEvery, Patience: d.Patience, ValFraction: d.ValFraction}
}

// trainCNN reads the labels and the images table and trains the triage
// CNN the options describe.
func trainCNN(opts *trainOptions) (*models.CNNTrainResult, *models.File, error) {
	c := &opts.CNN
	cols := []string{"exam_id", opts.Target}
	if opts.SplitBy != "" {
		cols = append(cols, opts.SplitBy)
	}
	fr, err := datasets.ReadFrameColumns(opts.Data, append(cols, "person_id")...)
	if err != nil {
		return nil, nil, err
	}
	lab, err := models.TriageLabelsFrom(fr, opts.Target, opts.SplitBy)
	if err != nil {
		return nil, nil, err
	}
	images, _, _, err := datasets.ReadAll(c.Images, datasets.ImageSchema, datasets.ReadOptions{})
	if err != nil {
		return nil, nil, err
	}
	var bar interface {
		Set(int64)
		Finish()
	}
	stage := ""
	res, file, err := models.TrainTriage(lab, images, models.TriageTrainOptions{
		CNNOptions: models.CNNOptions{Size: c.ImageSize, Batch: c.Batch, Steps: c.Steps, EvalEvery: c.EvalEvery, Patience: c.Patience,
			LearnRate: c.LearnRate, Seed: opts.f.Seed, Checkpoint: c.Checkpoint, Resume: c.Resume, Augment: c.Augment},
		ImagesDir: filepath.Dir(c.Images), ValFraction: c.ValFraction, Workers: c.Workers, SplitBy: opts.SplitBy, Validate: opts.Validate,
		Name: opts.Out, Version: version(),
		Stage: func(s string, done, total int64) {
			if s != stage {
				if bar != nil {
					bar.Finish()
				}
				bar, stage = opts.f.IO.NewProgress(total, s, false), s
			}
			bar.Set(done)
		}})
	if bar != nil {
		bar.Finish()
	}
	var ie *models.ImagesError
	switch {
	case errors.Is(err, models.ErrNoHeldOut):
		return nil, nil, flagErrorf("--validate %s: no labelled exams with images have those values of %s", strings.Join(opts.Validate, ","), opts.SplitBy)
	case errors.As(err, &ie):
		return nil, nil, fmt.Errorf("%s: %w", c.Images, ie.Err)
	}
	return res, file, err
}
