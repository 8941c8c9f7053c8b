package models

import (
	"fmt"
	"path/filepath"
	"strings"
)

// ImageScorer scores preprocessed exams (four views each, features.ViewNames
// order): screenlab's CNN (Scorer) or an external model. Not safe for
// concurrent use: give each goroutine its own.
type ImageScorer interface {
	Score(exams []Exam) ([]ExamScore, error)
}

// External is an image model screenlab did not train: an ONNX model and
// its sidecar (package models/onnx, whose LoadFile makes a File holding
// one). It is never saved in a model file.
type External interface {
	// NewImageScorer returns a scorer of batches of up to batch exams.
	NewImageScorer(batch int) (ImageScorer, error)
	// JournalKey identifies how the model scores beyond the file's hash
	// (an ONNX model's sidecar).
	JournalKey() string
}

// IsImage reports whether the file holds an image model (a CNN or an
// external one), which scores exams' images rather than table rows.
func (f *File) IsImage() bool { return f.CNN != nil || f.External != nil }

// NewImageScorer returns a scorer of batches of up to batch exams.
func (f *File) NewImageScorer(batch int) (ImageScorer, error) {
	switch {
	case f.CNN != nil:
		return f.CNN.NewScorer(batch)
	case f.External != nil:
		return f.External.NewImageScorer(batch)
	}
	return nil, fmt.Errorf("a %s model does not score images", f.Kind)
}

// JournalKey identifies what a scoring run computes with: the parameter
// hash, and for an external model what else decides its scores (a sidecar
// changed between an interrupted run and its resumption must not mix two
// scorings).
func (f *File) JournalKey() string {
	if f.External == nil {
		return f.ParamsHash
	}
	return f.ParamsHash + " " + f.External.JournalKey()
}

// IsONNX reports whether path names an ONNX model (by its extension).
func IsONNX(path string) bool { return strings.EqualFold(filepath.Ext(path), ".onnx") }

// Gemm computes Y = W·B for W (m×k), B (k×n), Y (m×n), row-major, on one
// core: the CNN's register-blocked SIMD kernel (see gemmRows), exported for
// the convolutions of models/onnx.
func Gemm(y, w, b []float32, m, k, n int) { gemmRows(y, w, b, m, k, n) }
