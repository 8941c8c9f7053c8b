package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/internal/atomicfile"
)

// FormatVersion is the version of the model file this build writes; it
// reads this version and older ones.
const FormatVersion = 1

const magic = "screenlab-model"

// MaxFileSize bounds what Load reads (the triage CNN's files are a few MB).
const MaxFileSize = 1 << 30

// Errors of Load.
var (
	ErrNotModel    = errors.New("not a screenlab model file")
	ErrNewerFormat = errors.New("model file format is newer than this screenlab")
	ErrChecksum    = errors.New("model file checksum mismatch: the file is corrupted or was edited")
	ErrTruncated   = errors.New("model file is truncated")
	ErrSchema      = errors.New("data do not match the model's feature schema")
	ErrImageModel  = errors.New("a cnn model scores images (screenlab score), not table rows")
)

// File is a saved model: everything needed to apply it and to know where
// it came from.
type File struct {
	Format    int                 `json:"format"`
	Kind      string              `json:"kind"` // logistic | cox | forest | cnn
	Target    string              `json:"target"`
	Time      string              `json:"time,omitempty"`    // cox: the follow-up column
	Horizon   float64             `json:"horizon,omitempty"` // cox: risk by this time
	Features  features.Pipeline   `json:"features"`
	Hyper     map[string]string   `json:"hyperparameters"`
	Seed      uint64              `json:"seed"`
	DataPrint string              `json:"data_fingerprint"` // SHA-256 of the training rows as read
	TrainRows int                 `json:"training_rows"`
	Metrics   map[string]any      `json:"training_metrics,omitempty"`
	Logistic  *Logistic           `json:"logistic,omitempty"`
	Cox       *CoxRisk            `json:"cox,omitempty"`
	Forest    *Forest             `json:"forest,omitempty"`
	ImagePrep *features.ImagePrep `json:"image_prep,omitempty"` // cnn: how views become input
	CNN       *CNN                `json:"cnn,omitempty"`
	// External is an image model screenlab did not train (kind "onnx":
	// models/onnx.LoadFile), never saved.
	External   External `json:"-"`
	Screenlab  string   `json:"screenlab_version"`
	ParamsHash string   `json:"params_sha256"`
}

// params is the part of the file the ParamsHash covers.
func (f *File) params() ([]byte, error) {
	return json.Marshal(struct {
		F *features.Pipeline
		L *Logistic
		C *CoxRisk
		R *Forest
		I *features.ImagePrep `json:",omitempty"`
		N *CNN                `json:",omitempty"`
	}{&f.Features, f.Logistic, f.Cox, f.Forest, f.ImagePrep, f.CNN})
}

// Predict applies the model to one record's feature values (text, in the
// order of the pipeline's columns).
func (f *File) Predict(values []string, scratch []float64) (float64, []float64, error) {
	if f.IsImage() {
		return math.NaN(), scratch, ErrImageModel
	}
	x, err := f.Features.Transform(values, scratch[:0])
	if err != nil {
		return math.NaN(), x, fmt.Errorf("%w: %w", ErrSchema, err)
	}
	return f.Model().Predict(x), x, nil
}

// Save writes the model file atomically: a header line with the format,
// the JSON document, and a trailer line with the SHA-256 of both.
func Save(path string, f *File) error {
	f.Format = FormatVersion
	p, err := f.params()
	if err != nil {
		return err
	}
	h := sha256.Sum256(p)
	f.ParamsHash = hex.EncodeToString(h[:])
	body, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %d\n", magic, FormatVersion)
	b.Write(body)
	b.WriteByte('\n')
	sum := sha256.Sum256(b.Bytes())
	fmt.Fprintf(&b, "sha256 %s\n", hex.EncodeToString(sum[:]))
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(b.Bytes())
		return err
	})
}

// Load reads and verifies a model file.
//
// An ONNX model (.onnx) is loaded with its sidecar by models/onnx.LoadFile.
func Load(path string) (*File, error) {
	if IsONNX(path) {
		return nil, fmt.Errorf("%s: an ONNX model: load it with its sidecar (models/onnx.LoadFile)", path)
	}
	// A device (/dev/zero), a FIFO or a huge file is refused before reading.
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w: not a regular file", path, ErrNotModel)
	}
	if st.Size() > MaxFileSize {
		return nil, fmt.Errorf("%s: %w: %d bytes, more than a model file holds (%d)", path, ErrNotModel, st.Size(), int64(MaxFileSize))
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Parse verifies and decodes the bytes of a model file.
func Parse(raw []byte) (*File, error) {
	nl := bytes.IndexByte(raw, '\n')
	if nl < 0 || !bytes.HasPrefix(raw, []byte(magic+" ")) {
		if len(raw) < len(magic) && bytes.HasPrefix([]byte(magic), raw) {
			return nil, ErrTruncated
		}
		return nil, ErrNotModel
	}
	version, err := strconv.Atoi(strings.TrimSpace(string(raw[len(magic)+1 : nl])))
	if err != nil {
		return nil, ErrNotModel
	}
	if version > FormatVersion {
		return nil, fmt.Errorf("%w: format %d, this screenlab reads up to %d", ErrNewerFormat, version, FormatVersion)
	}
	trailer := bytes.LastIndex(raw, []byte("\nsha256 "))
	if trailer < 0 || !bytes.HasSuffix(raw, []byte("\n")) {
		return nil, ErrTruncated
	}
	want := strings.TrimSpace(string(raw[trailer+len("\nsha256 "):]))
	sum := sha256.Sum256(raw[:trailer+1])
	if hex.EncodeToString(sum[:]) != want {
		return nil, ErrChecksum
	}
	var f File
	if err := json.Unmarshal(raw[nl+1:trailer+1], &f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrChecksum, err)
	}
	p, err := f.params()
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(p)
	if hex.EncodeToString(h[:]) != f.ParamsHash {
		return nil, ErrChecksum
	}
	switch {
	case f.Kind == "logistic" && f.Logistic == nil, f.Kind == "cox" && f.Cox == nil, f.Kind == "forest" && f.Forest == nil,
		f.Kind == "cnn" && (f.CNN == nil || f.ImagePrep == nil):
		return nil, fmt.Errorf("%w: a %s model without parameters", ErrChecksum, f.Kind)
	case f.Kind != "logistic" && f.Kind != "cox" && f.Kind != "forest" && f.Kind != "cnn":
		return nil, fmt.Errorf("model kind %q: this screenlab knows logistic, cox, forest and cnn", f.Kind)
	case f.Kind == "cox" && f.Horizon != f.Cox.Horizon:
		// The hashed parameters hold the horizon the baseline hazard was
		// taken at; the file's own field must say the same.
		return nil, fmt.Errorf("%w: horizon %v, but the model's risks are by %v", ErrChecksum, f.Horizon, f.Cox.Horizon)
	}
	return &f, nil
}
