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
	return cnnFlags{ImageSize: 64, Steps: 800, Batch: 16, LearnRate: 2e-3, EvalEvery: 50, Patience: 6, ValFraction: 0.2}
}

// TrainCNN reads the labels and the images table and trains the triage
// CNN the options describe.
func TrainCNN(opts *trainOptions) (*models.CNNTrainResult, *models.File, error) {
	c := &opts.CNN
	cols := []string{"exam_id", opts.Target}
	if opts.SplitBy != "" {
		cols = append(cols, opts.SplitBy)
	}
	fr, err := datasets.ReadFrameColumns(opts.Data, append(cols, "person_id")...)
	if err != nil {
		return nil, nil, err
	}
	lab := models.TriageLabels{TargetName: opts.Target,
		Fail: func(col string, row int, err error, want string) error { return fr.Fail(col, row, err, want) }}
	if lab.ExamID, err = fr.Strings("exam_id"); err != nil {
		return nil, nil, err
	}
	if lab.Target, err = fr.Strings(opts.Target); err != nil {
		return nil, nil, err
	}
	if fr.Has("person_id") {
		lab.Person, _ = fr.Strings("person_id")
	}
	if opts.SplitBy != "" {
		if lab.Split, err = fr.Strings(opts.SplitBy); err != nil {
			return nil, nil, err
		}
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
		Name: opts.Out, Version: Version(),
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
