package onnx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/screenlab/screenlab/features"
)

// SidecarFormat is the format line of a sidecar this version reads.
const SidecarFormat = "screenlab-onnx-sidecar 1"

// Sidecar describes how screenlab runs an ONNX model on a screening
// round: which tensor takes a view and how the view is prepared, which
// output is its score, and how an exam's four view scores combine.
//
//	{
//	  "format": "screenlab-onnx-sidecar 1",
//	  "name": "resnet18-1ch",
//	  "model_sha256": "…",                      // the .onnx file's SHA-256
//	  "input": {"name": "image", "channels": 1, "height": 64, "width": 64},
//	  "output": {"name": "logit", "kind": "logit"},  // or "probability"
//	  "preprocessing": {"width": 64, "height": 64, "threshold": 0.08, "resize": "lanczos-float32"},
//	  "exam_score": "logsumexp"                 // or "max", "mean"
//	}
//
// Preprocessing is screenlab's own (features.ImagePrep: oriented chest
// wall left, cropped to the breast, resized keeping the aspect ratio,
// z-scored within the breast); Scale, when set, then maps each value v to
// (v − mean)/std.
type Sidecar struct {
	Format        string             `json:"format"`
	Name          string             `json:"name"`
	Description   string             `json:"description,omitempty"`
	ModelSHA256   string             `json:"model_sha256"`
	Input         InputSpec          `json:"input"`
	Output        OutputSpec         `json:"output"`
	Preprocessing features.ImagePrep `json:"preprocessing"`
	Scale         *Scale             `json:"scale,omitempty"`
	ExamScore     string             `json:"exam_score"`
}

// InputSpec names the image input: N × Channels × Height × Width float32.
type InputSpec struct {
	Name     string `json:"name"`
	Channels int    `json:"channels"`
	Height   int    `json:"height"`
	Width    int    `json:"width"`
}

// OutputSpec names the output giving one value per view: a logit or a
// probability of cancer.
type OutputSpec struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Scale is an affine map applied after preprocessing.
type Scale struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
}

// Exam score combinations: of the view logits, their log-sum-exp (a
// smooth maximum, as screenlab's CNN); the maximum or the mean of the
// view probabilities.
const (
	ExamLogSumExp = "logsumexp"
	ExamMax       = "max"
	ExamMean      = "mean"
)

// ReadSidecar reads a sidecar file; unknown fields are errors (a typo
// must not silently change how a round is scored).
func ReadSidecar(path string) (*Sidecar, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("the model's sidecar: %w (every ONNX model needs one: see `screenlab models verify --help`)", err)
	}
	if !st.Mode().IsRegular() || st.Size() > 1<<20 {
		return nil, fmt.Errorf("%s: %w: not a sidecar file (a regular file under 1 MiB)", path, ErrSidecar)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var sc Sidecar
	if err := dec.Decode(&sc); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrSidecar, err)
	}
	if err := sc.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &sc, nil
}

// check validates the sidecar on its own.
func (sc *Sidecar) check() error {
	switch {
	case sc.Format != SidecarFormat:
		return fmt.Errorf("%w: format %q (want %q)", ErrSidecar, sc.Format, SidecarFormat)
	case len(sc.ModelSHA256) != 64:
		return fmt.Errorf("%w: model_sha256 %q is not a SHA-256", ErrSidecar, sc.ModelSHA256)
	case sc.Input.Name == "" || sc.Output.Name == "":
		return fmt.Errorf("%w: the input and output names are required", ErrSidecar)
	case sc.Input.Channels != 1:
		return fmt.Errorf("%w: %d input channels (a mammogram view is one)", ErrSidecar, sc.Input.Channels)
	case sc.Input.Height < 8 || sc.Input.Width < 8 || sc.Input.Height > 4096 || sc.Input.Width > 4096:
		return fmt.Errorf("%w: an input of %d×%d", ErrSidecar, sc.Input.Width, sc.Input.Height)
	case sc.Preprocessing.Width != sc.Input.Width || sc.Preprocessing.Height != sc.Input.Height:
		return fmt.Errorf("%w: preprocessing to %d×%d for an input of %d×%d", ErrSidecar, sc.Preprocessing.Width, sc.Preprocessing.Height, sc.Input.Width, sc.Input.Height)
	case sc.Preprocessing.Resize != "" && sc.Preprocessing.Resize != features.ResizeFloat:
		return fmt.Errorf("%w: preprocessing resize %q (want %q or none)", ErrSidecar, sc.Preprocessing.Resize, features.ResizeFloat)
	case sc.Output.Kind != "logit" && sc.Output.Kind != "probability":
		return fmt.Errorf("%w: output kind %q (want logit or probability)", ErrSidecar, sc.Output.Kind)
	case sc.ExamScore != ExamLogSumExp && sc.ExamScore != ExamMax && sc.ExamScore != ExamMean:
		return fmt.Errorf("%w: exam_score %q (want logsumexp, max or mean)", ErrSidecar, sc.ExamScore)
	case sc.ExamScore == ExamLogSumExp && sc.Output.Kind != "logit":
		return fmt.Errorf("%w: exam_score logsumexp combines logits; the output is a probability", ErrSidecar)
	case sc.Scale != nil && !(sc.Scale.Std > 0):
		return fmt.Errorf("%w: scale std %v", ErrSidecar, sc.Scale.Std)
	}
	return nil
}
