package models

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/features"
)

// TriageLabels are the exams a triage CNN learns from, one entry per row
// of the label table: exam ids, the target (0/1, or a linked outcome:
// screen-detected 1, negative 0, interval, unknown and excluded left out
// and counted), the person of each exam (for the person-level early
// stopping split; nil: the exam id) and the split column's values (nil
// without a hold-out). Fail, when not nil, turns a bad row into an error
// naming its place (datasets.Frame.Fail).
type TriageLabels struct {
	ExamID, Target, Person, Split []string
	TargetName                    string
	Fail                          func(col string, row int, err error, want string) error
}

// TriageTrainOptions are the CNN's options and the data around it.
type TriageTrainOptions struct {
	CNNOptions
	// ImagesDir is the folder image paths are relative to.
	ImagesDir string
	// ValFraction is the share of persons whose exams decide early stopping
	// (hashed from the person id and Seed, so a person is never on both
	// sides).
	ValFraction float64
	// Workers read images (0: every CPU).
	Workers int
	// SplitBy names the split column, Validate its held-out values.
	SplitBy  string
	Validate []string
	// Name is what the result calls the model, Version the screenlab
	// version saved in it.
	Name, Version string
	// Stage, when not nil, reports progress: a stage ("reading images",
	// "training"), how far and how far to go.
	Stage func(stage string, done, total int64)
}

// ImagesError is a problem with the images table or an image file.
type ImagesError struct{ Err error }

func (e *ImagesError) Error() string { return e.Err.Error() }
func (e *ImagesError) Unwrap() error { return e.Err }

// ErrNoHeldOut is returned when no labelled exam with images has a value
// to validate on.
var ErrNoHeldOut = errors.New("no labelled exams with images to validate on")

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
func TrainTriage(lab TriageLabels, images []datasets.Image, opts TriageTrainOptions) (*CNNTrainResult, *File, error) {
	ids, target, persons, split := lab.ExamID, lab.Target, lab.Person, lab.Split
	if persons == nil {
		persons = ids
	}
	fail := lab.Fail
	if fail == nil {
		fail = func(col string, row int, err error, want string) error {
			return fmt.Errorf("row %d: %s: %w: want %s", row+1, col, err, want)
		}
	}
	stage := opts.Stage
	if stage == nil {
		stage = func(string, int64, int64) {}
	}
	groups, err := features.GroupImages(images)
	if err != nil {
		return nil, nil, &ImagesError{Err: err}
	}
	byExam := map[string]int{}
	for i, g := range groups {
		byExam[g.ExamID] = i
	}
	hold := map[string]bool{}
	for _, v := range opts.Validate {
		hold[v] = true
	}
	res := &CNNTrainResult{Model: opts.Name, Kind: "cnn", LeftOut: map[string]int{}}
	type item struct {
		group int
		label bool
		role  byte // 't' train, 's' early stopping, 'v' validation
	}
	var items []item
	seen := map[string]bool{}
	for i, id := range ids {
		if seen[id] {
			return nil, nil, fail("exam_id", i, datasets.ErrDuplicateID, "each exam once")
		}
		seen[id] = true
		label, ok, reason := cnnLabel(target[i])
		if !ok {
			if _, known := datasets.ParseOutcome(reason); !known {
				return nil, nil, fail(lab.TargetName, i, datasets.ErrBadCode, "0/1 or a linked outcome (screen-detected, negative; interval, unknown and excluded are left out)")
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
		case splitHash(persons[i], opts.Seed, opts.ValFraction):
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
			return nil, nil, fmt.Errorf("--validate %s: %w: none has those values of %s", strings.Join(opts.Validate, ","), ErrNoHeldOut, opts.SplitBy)
		}
	}
	prep := features.ImagePrep{Width: opts.Size, Height: opts.Size, Resize: features.ResizeFloat}
	want := make([]features.ExamImages, len(items))
	for k, it := range items {
		want[k] = groups[it.group]
	}
	var done atomic.Int64
	views, errs := prep.LoadExams(opts.ImagesDir, want, opts.Workers, func() { stage("reading images", done.Add(1), int64(len(want))) })
	for _, err := range errs {
		if err != nil {
			return nil, nil, &ImagesError{Err: err}
		}
	}
	var tr, st, va []Exam
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
	start := time.Now()
	steps := 0
	co := opts.CNNOptions
	userProgress := co.Progress
	co.Progress = func(step int, loss, auc float64) {
		steps++
		stage("training", int64(step), int64(co.Steps))
		if userProgress != nil {
			userProgress(step, loss, auc)
		}
	}
	net, err := TrainCNN(tr, ytr, st, yst, co)
	if err != nil {
		return nil, nil, err
	}
	if secs := time.Since(start).Seconds(); secs > 0 {
		res.ImagesPerSec = float64(steps*co.Batch*4) / secs
	}
	res.Steps, res.StoppingAUC = net.Steps, net.BestAUC
	file := &File{Kind: "cnn", Target: lab.TargetName, Seed: opts.Seed, TrainRows: len(tr), CNN: net, ImagePrep: &prep,
		Screenlab: opts.Version, DataPrint: examPrint(tr, ytr),
		Hyper: map[string]string{"image_size": strconv.Itoa(co.Size), "batch": strconv.Itoa(co.Batch), "steps": strconv.Itoa(co.Steps),
			"learn_rate": strconv.FormatFloat(co.LearnRate, 'g', -1, 64), "augment": strconv.FormatBool(co.Augment), "channels": fmt.Sprint(net.Channels)},
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

// examPrint fingerprints the training input: the SHA-256 of its pixels
// and labels (hashExams).
func examPrint(ex []Exam, y []bool) string {
	h := sha256.New()
	hashExams(h, ex, y)
	return hex.EncodeToString(h.Sum(nil))
}

// hashExams writes preprocessed exams (each pixel's float32 bits, little
// endian, view after view) and their labels (one byte each) to h.
func hashExams(h io.Writer, ex []Exam, y []bool) {
	var buf []byte
	for i, e := range ex {
		for _, v := range e {
			buf = buf[:0]
			for _, p := range v {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(p))
			}
			h.Write(buf)
		}
		if y[i] {
			h.Write([]byte{1})
		} else {
			h.Write([]byte{0})
		}
	}
}

// TriageLabelsFrom reads the labels of TrainTriage from a frame: exam_id,
// the target column, person_id when the frame has it, and the split column
// (when splitBy is not empty).
func TriageLabelsFrom(fr *datasets.Frame, target, splitBy string) (TriageLabels, error) {
	lab := TriageLabels{TargetName: target,
		Fail: func(col string, row int, err error, want string) error { return fr.Fail(col, row, err, want) }}
	var err error
	if lab.ExamID, err = fr.Strings("exam_id"); err != nil {
		return lab, err
	}
	if lab.Target, err = fr.Strings(target); err != nil {
		return lab, err
	}
	if fr.Has("person_id") {
		lab.Person, _ = fr.Strings("person_id")
	}
	if splitBy != "" {
		if lab.Split, err = fr.Strings(splitBy); err != nil {
			return lab, err
		}
	}
	return lab, nil
}

// DefaultTriageOptions are the triage CNN's defaults: 64×64 views, at most
// 800 steps of 16 exams (half cancers), Adam at 2e-3, an early-stopping
// AUC every 50 steps on a fifth of the women, stopping after 6 without
// improvement.
func DefaultTriageOptions() TriageTrainOptions {
	return TriageTrainOptions{CNNOptions: CNNOptions{Size: 64, Steps: 800, Batch: 16, LearnRate: 2e-3, EvalEvery: 50, Patience: 6}, ValFraction: 0.2}
}
