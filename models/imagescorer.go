package models

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"strings"

	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/models/onnx"
)

// ImageScorer scores preprocessed exams (four views each, ViewNames
// order): screenlab's CNN (Scorer) or an ONNX model. Not safe for
// concurrent use: give each goroutine its own.
type ImageScorer interface {
	Score(exams []Exam) ([]ExamScore, error)
}

// ONNX convolutions use the CNN's matrix product (see onnx.Gemm).
func init() { onnx.Gemm = gemmRows }

// IsImage reports whether the file holds an image model (a CNN or an
// ONNX model), which scores exams' images rather than table rows.
func (f *File) IsImage() bool { return f.CNN != nil || f.ONNX != nil }

// NewImageScorer returns a scorer of batches of up to batch exams.
func (f *File) NewImageScorer(batch int) (ImageScorer, error) {
	switch {
	case f.CNN != nil:
		return f.CNN.NewScorer(batch)
	case f.ONNX != nil:
		return &onnxScorer{m: f.ONNX, batch: batch}, nil
	}
	return nil, fmt.Errorf("a %s model does not score images", f.Kind)
}

// IsONNX reports whether path names an ONNX model (by its extension).
func IsONNX(path string) bool { return strings.EqualFold(filepath.Ext(path), ".onnx") }

// LoadONNX loads an ONNX model and its sidecar (path + ".json" when
// sidecar is ""), verified against each other, as a File of kind "onnx":
// its ParamsHash is the model file's SHA-256, its ImagePrep the sidecar's
// preprocessing.
func LoadONNX(path, sidecar string) (*File, error) {
	m, err := onnx.Load(path, sidecar)
	if err != nil {
		return nil, err
	}
	prep := m.Sidecar.Preprocessing
	return &File{Kind: "onnx", Target: "cancer", ImagePrep: &prep, ONNX: m, ParamsHash: m.SHA256,
		Screenlab: m.Sidecar.Name}, nil
}

// JournalKey identifies what a scoring run computes with: the parameter
// hash, and for an ONNX model its sidecar too (a sidecar changed between
// an interrupted run and its resumption must not mix two scorings).
func (f *File) JournalKey() string {
	if f.ONNX == nil {
		return f.ParamsHash
	}
	b, _ := json.Marshal(f.ONNX.Sidecar)
	h := sha256.Sum256(b)
	return f.ParamsHash + " sidecar " + hex.EncodeToString(h[:])
}

// onnxScorer runs an ONNX model on exams' views and combines them as its
// sidecar says.
type onnxScorer struct {
	m     *onnx.Model
	batch int
	input []float32
}

func (s *onnxScorer) Score(exams []Exam) ([]ExamScore, error) {
	sc := &s.m.Sidecar
	size := sc.Input.Height * sc.Input.Width
	out := make([]ExamScore, 0, len(exams))
	for lo := 0; lo < len(exams); lo += s.batch {
		hi := min(len(exams), lo+s.batch)
		n := 4 * (hi - lo)
		s.input = s.input[:0]
		for _, e := range exams[lo:hi] {
			for v := 0; v < 4; v++ {
				if len(e[v]) != size {
					return nil, fmt.Errorf("onnx: a view of %d values for an input of %d×%d", len(e[v]), sc.Input.Width, sc.Input.Height)
				}
				s.input = append(s.input, e[v]...)
			}
		}
		if sc.Scale != nil {
			mean, std := float32(sc.Scale.Mean), float32(sc.Scale.Std)
			for i, x := range s.input {
				s.input[i] = (x - mean) / std
			}
		}
		y, err := s.m.Run(s.input, n)
		if err != nil {
			return nil, err
		}
		for e := 0; e < hi-lo; e++ {
			es, err := combine(sc, y[4*e:4*e+4])
			if err != nil {
				return nil, err
			}
			out = append(out, es)
		}
	}
	return out, nil
}

// combine turns four view outputs into view probabilities and the exam's:
// logits through the logistic function, and the exam as the sidecar says
// (the log-sum-exp of the logits, or the maximum or mean probability).
func combine(sc *onnx.Sidecar, y []float32) (ExamScore, error) {
	var es ExamScore
	for v, z := range y {
		if math.IsNaN(float64(z)) || math.IsInf(float64(z), 0) {
			return es, fmt.Errorf("onnx: the model gave %v for view %s", z, features.ViewNames[v])
		}
		if sc.Output.Kind == "logit" {
			es.Views[v] = sigmoid(z)
		} else {
			if z < 0 || z > 1 {
				return es, fmt.Errorf("onnx: the model gave %v for view %s, not a probability (is the output a logit?)", z, features.ViewNames[v])
			}
			es.Views[v] = float64(z)
		}
	}
	switch sc.ExamScore {
	case onnx.ExamLogSumExp:
		hi := math.Inf(-1)
		for _, z := range y {
			hi = math.Max(hi, float64(z))
		}
		var s float64
		for _, z := range y {
			s += math.Exp(float64(z) - hi)
		}
		es.Exam = 1 / (1 + math.Exp(-(hi + math.Log(s))))
	case onnx.ExamMax:
		es.Exam = max(es.Views[0], es.Views[1], es.Views[2], es.Views[3])
	case onnx.ExamMean:
		es.Exam = (es.Views[0] + es.Views[1] + es.Views[2] + es.Views[3]) / 4
	}
	return es, nil
}

// DescribeONNX describes an ONNX model file, with its sidecar (path +
// ".json") when one is there and fits the model.
func DescribeONNX(path string) (*onnx.Description, error) {
	m, err := onnx.Open(path)
	if err != nil {
		return nil, err
	}
	if full, err := onnx.Load(path, ""); err == nil {
		m = full
	}
	d := m.Describe()
	return &d, nil
}

// Verification is what `models verify` reports of a model that passed.
type Verification struct {
	Model   string   `json:"model"`
	Kind    string   `json:"kind"`
	SHA256  string   `json:"sha256"`
	Sidecar string   `json:"sidecar,omitempty"`
	Checked []string `json:"checked"`
	OK      bool     `json:"ok"`
}

// Verify checks that a model file can score: a screenlab model's format
// and checksums; an ONNX model with its sidecar (sidecar, or path +
// ".json"), against each other (onnx.Model.Verify). It returns an error
// naming the first failed check.
func Verify(path, sidecar string) (*Verification, error) {
	if IsONNX(path) {
		if sidecar == "" {
			sidecar = path + ".json"
		}
		m, err := onnx.Load(path, sidecar)
		if err != nil {
			return nil, err
		}
		return &Verification{Model: path, Kind: "onnx", SHA256: m.SHA256, Sidecar: sidecar, OK: true, Checked: []string{
			"the model parses (ONNX protobuf)",
			fmt.Sprintf("opset %d; every operator is run by screenlab", onnx.Opset),
			"the sidecar is well formed and was written for this model (model_sha256)",
			fmt.Sprintf("input %s is float N×1×%d×%d, as the preprocessing makes", m.Sidecar.Input.Name, m.Sidecar.Input.Height, m.Sidecar.Input.Width),
			fmt.Sprintf("output %s exists (a %s per view; exam score: %s)", m.Sidecar.Output.Name, m.Sidecar.Output.Kind, m.Sidecar.ExamScore),
			"a batch of blank images runs to finite values",
		}}, nil
	}
	if sidecar != "" {
		return nil, fmt.Errorf("--sidecar goes with an ONNX model (.onnx); %s is a screenlab model", path)
	}
	f, err := Load(path)
	if err != nil {
		return nil, err
	}
	return &Verification{Model: path, Kind: f.Kind, SHA256: f.ParamsHash, OK: true, Checked: []string{
		"the file's format and SHA-256 checksum", "the parameters' hash (params_sha256)"}}, nil
}
