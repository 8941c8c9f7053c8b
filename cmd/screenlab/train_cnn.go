package main

import (
	"fmt"
	"hash/fnv"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/features"
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

// CNNTrainResult is the JSON of screenlab train --model cnn.
type CNNTrainResult struct {
	Model         string            `json:"model"`
	Kind          string            `json:"kind"`
	Train         int               `json:"n_train"`
	TrainPos      int               `json:"n_train_positive"`
	EarlyStopping int               `json:"n_early_stopping"`
	LeftOut       map[string]int    `json:"left_out"`
	Steps         int               `json:"best_step"`
	StoppingAUC   float64           `json:"early_stopping_auc"`
	Validation    *ValidationResult `json:"validation,omitempty"`
	ValidatedOn   string            `json:"validated_on,omitempty"`
	ImagesPerSec  float64           `json:"train_images_per_second"`
}

// cnnLabel reads an exam's label from the target column: 0/1, or the
// outcome of a linked exam (screen-detected 1, negative 0; interval,
// unknown and excluded exams are left out — an interval cancer's lesion
// was not seen at the screen, and counting it either way would teach the
// network the wrong thing).
func cnnLabel(v string) (label, ok bool, reason string) {
	switch strings.ToLower(v) {
	case "1", "true", string(datasets.ScreenDetected):
		return true, true, ""
	case "0", "false", string(datasets.Negative):
		return false, true, ""
	}
	return false, false, v
}

// splitHash puts a woman (or an exam) in the early-stopping set with
// probability frac, the same way on every run.
func splitHash(key string, seed uint64, frac float64) bool {
	h := fnv.New64a()
	h.Write([]byte(key))
	x := h.Sum64() ^ seed*0x9E3779B97F4A7C15
	x ^= x >> 31
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 29
	return float64(x>>11)/(1<<53) < frac
}

// TrainCNN reads the labels and the images table, preprocesses the views
// and trains the triage CNN with early stopping on a share of the women;
// with --split-by/--validate the held-out exams are scored and evaluated.
func TrainCNN(opts *trainOptions) (*CNNTrainResult, *models.File, error) {
	c := &opts.CNN
	cols := []string{"exam_id", opts.Target}
	if opts.SplitBy != "" {
		cols = append(cols, opts.SplitBy)
	}
	fr, err := datasets.ReadFrameColumns(opts.Data, append(cols, "person_id")...)
	if err != nil {
		return nil, nil, err
	}
	ids, err := fr.Strings("exam_id")
	if err != nil {
		return nil, nil, err
	}
	target, err := fr.Strings(opts.Target)
	if err != nil {
		return nil, nil, err
	}
	persons := ids
	if fr.Has("person_id") {
		persons, _ = fr.Strings("person_id")
	}
	var split []string
	if opts.SplitBy != "" {
		if split, err = fr.Strings(opts.SplitBy); err != nil {
			return nil, nil, err
		}
	}
	images, _, _, err := datasets.ReadAll(c.Images, datasets.ImageSchema, datasets.ReadOptions{})
	if err != nil {
		return nil, nil, err
	}
	groups, err := features.GroupImages(images)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", c.Images, err)
	}
	byExam := map[string]int{}
	for i, g := range groups {
		byExam[g.ExamID] = i
	}
	hold := map[string]bool{}
	for _, v := range opts.Validate {
		hold[v] = true
	}
	res := &CNNTrainResult{Model: opts.Out, Kind: "cnn", LeftOut: map[string]int{}}
	type item struct {
		group int
		label bool
		role  byte // 't' train, 's' early stopping, 'v' validation
	}
	var items []item
	seen := map[string]bool{}
	for i, id := range ids {
		if seen[id] {
			return nil, nil, fr.Fail("exam_id", i, datasets.ErrDuplicateID, "each exam once")
		}
		seen[id] = true
		label, ok, reason := cnnLabel(target[i])
		if !ok {
			if _, known := datasets.ParseOutcome(reason); !known {
				return nil, nil, fr.Fail(opts.Target, i, datasets.ErrBadCode, "0/1 or a linked outcome (screen-detected, negative; interval, unknown and excluded are left out)")
			}
			res.LeftOut["outcome "+reason]++
			continue
		}
		g, ok := byExam[id]
		if !ok {
			res.LeftOut["no images"]++
			continue
		}
		if v := groups[g].Missing(); v != "" {
			res.LeftOut["missing a view"]++
			continue
		}
		it := item{group: g, label: label, role: 't'}
		switch {
		case split != nil && hold[split[i]]:
			it.role = 'v'
		case splitHash(persons[i], opts.f.Seed, c.ValFraction):
			it.role = 's'
		}
		items = append(items, it)
	}
	if split != nil {
		n := 0
		for _, it := range items {
			if it.role == 'v' {
				n++
			}
		}
		if n == 0 {
			return nil, nil, flagErrorf("--validate %s: no labelled exams with images have those values of %s", strings.Join(opts.Validate, ","), opts.SplitBy)
		}
	}
	prep := features.ImagePrep{Width: c.ImageSize, Height: c.ImageSize}
	want := make([]features.ExamImages, len(items))
	for k, it := range items {
		want[k] = groups[it.group]
	}
	bar := opts.f.IO.NewProgress(int64(len(want)), "reading images", false)
	var done atomic.Int64
	views, errs := prep.LoadExams(filepath.Dir(c.Images), want, c.Workers, func() { bar.Set(done.Add(1)) })
	bar.Finish()
	for _, err := range errs {
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", c.Images, err)
		}
	}
	var tr, st, va []models.Exam
	var ytr, yst, yva []bool
	for k, it := range items {
		switch it.role {
		case 't':
			tr, ytr = append(tr, views[k]), append(ytr, it.label)
			if it.label {
				res.TrainPos++
			}
		case 's':
			st, yst = append(st, views[k]), append(yst, it.label)
		default:
			va, yva = append(va, views[k]), append(yva, it.label)
		}
	}
	res.Train, res.EarlyStopping = len(tr), len(st)
	bar = opts.f.IO.NewProgress(int64(c.Steps), "training", false)
	start := time.Now()
	steps := 0
	net, err := models.TrainCNN(tr, ytr, st, yst, models.CNNOptions{Size: c.ImageSize, Batch: c.Batch, Steps: c.Steps,
		EvalEvery: c.EvalEvery, Patience: c.Patience, LearnRate: c.LearnRate, Seed: opts.f.Seed,
		Checkpoint: c.Checkpoint, Resume: c.Resume, Augment: c.Augment,
		Progress: func(step int, loss, auc float64) { steps++; bar.Set(int64(step)) }})
	bar.Finish()
	if err != nil {
		return nil, nil, err
	}
	if secs := time.Since(start).Seconds(); secs > 0 {
		res.ImagesPerSec = float64(steps*c.Batch*4) / secs
	}
	res.Steps, res.StoppingAUC = net.Steps, net.BestAUC
	file := &models.File{Kind: "cnn", Target: opts.Target, Seed: opts.f.Seed, TrainRows: len(tr), CNN: net, ImagePrep: &prep,
		Screenlab: Version(), DataPrint: examPrint(tr, ytr),
		Hyper: map[string]string{"image_size": strconv.Itoa(c.ImageSize), "batch": strconv.Itoa(c.Batch), "steps": strconv.Itoa(c.Steps),
			"learn_rate": strconv.FormatFloat(c.LearnRate, 'g', -1, 64), "augment": strconv.FormatBool(c.Augment), "channels": fmt.Sprint(net.Channels)},
		Metrics: map[string]any{"early_stopping_auc": net.BestAUC, "best_step": net.Steps}}
	if len(va) > 0 {
		sc, err := net.NewScorer(64)
		if err != nil {
			return nil, nil, err
		}
		scores, err := sc.Score(va)
		if err != nil {
			return nil, nil, err
		}
		p := make([]float64, len(scores))
		for i, s := range scores {
			p[i] = s.Exam
		}
		v := &ValidationResult{N: len(p)}
		if v.AUC, err = evaluation.AUCDeLong(p, yva, 0.95); err != nil {
			return nil, nil, fmt.Errorf("validation: %w", err)
		}
		for _, b := range yva {
			if b {
				v.Positives++
			}
		}
		v.Brier, _ = evaluation.Brier(p, yva)
		res.Validation, res.ValidatedOn = v, opts.SplitBy+" in "+strings.Join(opts.Validate, ",")
		file.Metrics["validation_auc"] = v.AUC.Estimate
	}
	return res, file, nil
}

// examPrint fingerprints the training input (pixels and labels).
func examPrint(ex []models.Exam, y []bool) string {
	h := fnv.New128a()
	var b [4]byte
	for i, e := range ex {
		for _, v := range e {
			for _, p := range v {
				u := math.Float32bits(p)
				b[0], b[1], b[2], b[3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
				h.Write(b[:])
			}
		}
		if y[i] {
			h.Write([]byte{1})
		} else {
			h.Write([]byte{0})
		}
	}
	return fmt.Sprintf("fnv128a:%x", h.Sum(nil))
}
