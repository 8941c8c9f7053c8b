package onnx

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"

	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/models"
)

// LoadFile loads an ONNX model and its sidecar (path + ".json" when
// sidecar is ""), verified against each other, as a models.File of kind
// "onnx" that models/scoring runs like screenlab's CNN: its ParamsHash is
// the model file's SHA-256, its ImagePrep the sidecar's preprocessing.
func LoadFile(path, sidecar string) (*models.File, error) {
	m, err := Load(path, sidecar)
	if err != nil {
		return nil, err
	}
	prep := m.Sidecar.Preprocessing
	return &models.File{Kind: "onnx", Target: "cancer", ImagePrep: &prep, External: m, ParamsHash: m.SHA256,
		Screenlab: m.Sidecar.Name}, nil
}

// NewImageScorer returns a scorer of batches of up to batch exams
// (models.External). Scorers share the model: each run makes its own
// operators and tensors.
func (m *Model) NewImageScorer(batch int) (models.ImageScorer, error) {
	if batch < 1 {
		return nil, fmt.Errorf("onnx: a batch of %d exams", batch)
	}
	return &scorer{m: m, batch: batch}, nil
}

// JournalKey is the SHA-256 of the sidecar (models.External): a round
// resumed with another sidecar is refused.
func (m *Model) JournalKey() string {
	b, _ := json.Marshal(m.Sidecar)
	h := sha256.Sum256(b)
	return "sidecar " + hex.EncodeToString(h[:])
}

// scorer runs the model on exams' views and combines them as the sidecar
// says.
type scorer struct {
	m     *Model
	batch int
	input []float32
}

func (s *scorer) Score(exams []models.Exam) ([]models.ExamScore, error) {
	sc := &s.m.Sidecar
	size := sc.Input.Height * sc.Input.Width
	out := make([]models.ExamScore, 0, len(exams))
	for lo := 0; lo < len(exams); lo += s.batch {
		hi := min(len(exams), lo+s.batch)
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
		y, err := s.m.Run(s.input, 4*(hi-lo))
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
func combine(sc *Sidecar, y []float32) (models.ExamScore, error) {
	var es models.ExamScore
	for v, z := range y {
		if math.IsNaN(float64(z)) || math.IsInf(float64(z), 0) {
			return es, fmt.Errorf("onnx: the model gave %v for view %s", z, features.ViewNames[v])
		}
		if sc.Output.Kind == "logit" {
			es.Views[v] = 1 / (1 + math.Exp(-float64(z)))
		} else {
			if z < 0 || z > 1 {
				return es, fmt.Errorf("onnx: the model gave %v for view %s, not a probability (is the output a logit?)", z, features.ViewNames[v])
			}
			es.Views[v] = float64(z)
		}
	}
	switch sc.ExamScore {
	case ExamLogSumExp:
		hi := math.Inf(-1)
		for _, z := range y {
			hi = math.Max(hi, float64(z))
		}
		var s float64
		for _, z := range y {
			s += math.Exp(float64(z) - hi)
		}
		es.Exam = 1 / (1 + math.Exp(-(hi + math.Log(s))))
	case ExamMax:
		es.Exam = max(es.Views[0], es.Views[1], es.Views[2], es.Views[3])
	case ExamMean:
		es.Exam = (es.Views[0] + es.Views[1] + es.Views[2] + es.Views[3]) / 4
	}
	return es, nil
}

// DescribeFile describes an ONNX model file, with its sidecar (path +
// ".json") when one is there and fits the model.
func DescribeFile(path string) (*Description, error) {
	m, err := Open(path)
	if err != nil {
		return nil, err
	}
	if sc, err := ReadSidecar(path + ".json"); err == nil {
		m.Sidecar = *sc
		if m.Verify() != nil {
			m.Sidecar = Sidecar{} // not this model's: describe the model alone
		}
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

// VerifyFile checks that a model file can score a round: an ONNX model
// with its sidecar (sidecar, or path + ".json"), against each other
// (Model.Verify); a screenlab model file, its format and checksums. It
// returns an error naming the first failed check.
func VerifyFile(path, sidecar string) (*Verification, error) {
	if !models.IsONNX(path) {
		if sidecar != "" {
			return nil, fmt.Errorf("--sidecar goes with an ONNX model (.onnx); %s is a screenlab model", path)
		}
		f, err := models.Load(path)
		if err != nil {
			return nil, err
		}
		return &Verification{Model: path, Kind: f.Kind, SHA256: f.ParamsHash, OK: true, Checked: []string{
			"the file's format and SHA-256 checksum", "the parameters' hash (params_sha256)"}}, nil
	}
	if sidecar == "" {
		sidecar = path + ".json"
	}
	m, err := Load(path, sidecar)
	if err != nil {
		return nil, err
	}
	return &Verification{Model: path, Kind: "onnx", SHA256: m.SHA256, Sidecar: sidecar, OK: true, Checked: []string{
		"the model parses (ONNX protobuf)",
		fmt.Sprintf("opset %d; every operator is run by screenlab", Opset),
		"the sidecar is well formed and was written for this model (model_sha256)",
		fmt.Sprintf("input %s is float N×1×%d×%d, as the preprocessing makes", m.Sidecar.Input.Name, m.Sidecar.Input.Height, m.Sidecar.Input.Width),
		fmt.Sprintf("output %s exists (a %s per view; exam score: %s)", m.Sidecar.Output.Name, m.Sidecar.Output.Kind, m.Sidecar.ExamScore),
		"a batch of blank images runs to finite values",
	}}, nil
}
