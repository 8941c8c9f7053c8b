package models

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/features"
)

// PredictResult says what PredictFile wrote.
type PredictResult struct {
	Rows   int    `json:"rows"`
	Output string `json:"output"`
	Model  string `json:"model"`
	Kind   string `json:"kind"`
}

// ColumnNames lists the table columns a model reads, in order.
func (f *File) ColumnNames() []string {
	var out []string
	for _, c := range f.Features.Columns {
		out = append(out, c.Name)
	}
	return out
}

// PredictFile streams every row of the table data through a model and
// writes it to out with a risk column added; memory does not grow with the
// file. progress, when not nil, is called now and then with the bytes read
// so far and the file's size. A row the model cannot score is an error
// naming its line; the output is then not written.
func PredictFile(m *File, data, out string, progress func(done, size int64)) (*PredictResult, error) {
	if m.IsImage() {
		return nil, ErrImageModel
	}
	src, err := datasets.OpenSource(data)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	header := src.Header()
	pos := make([]int, len(m.Features.Columns))
	for c, col := range m.Features.Columns {
		pos[c] = -1
		for i, h := range header {
			if h == col.Name {
				pos[c] = i
			}
		}
		if pos[c] < 0 {
			return nil, fmt.Errorf("%s: %w: no column %q (the model needs %s)", src.Name(), ErrSchema, col.Name, strings.Join(m.ColumnNames(), ", "))
		}
	}
	cols := make([]datasets.ColumnSpec, 0, len(header)+1)
	for _, h := range header {
		cols = append(cols, datasets.ColumnSpec{Name: h, Kind: datasets.KindString})
	}
	cols = append(cols, datasets.ColumnSpec{Name: "risk", Kind: datasets.KindFloat})
	n := 0
	err = datasets.WriteTable(out, cols, func(w *datasets.TableWriter) error {
		row := make([]string, len(pos))
		var scratch []float64
		for {
			rec, line, err := src.Next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			for c, p := range pos {
				row[c] = rec[p]
			}
			r, s, err := m.Predict(row, scratch)
			scratch = s
			if err != nil {
				var ve *features.ValueError
				if errors.As(err, &ve) {
					return &datasets.RowError{File: src.Name(), Line: line, Column: pos[ve.Column] + 1, Field: ve.Name, Value: ve.Value, Want: ve.Want, Err: ErrSchema}
				}
				return fmt.Errorf("%s:%d: %w", src.Name(), line, err)
			}
			for _, v := range rec {
				w.String(v)
			}
			w.Float(r, -1)
			if err := w.EndRow(); err != nil {
				return err
			}
			n++
			if n&8191 == 0 && progress != nil {
				progress(src.Offset(), src.Size())
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return &PredictResult{Rows: n, Output: out, Kind: m.Kind}, nil
}

// Description is a saved model without its weights: kind, features,
// coefficients and provenance (the JSON of screenlab models describe).
type Description struct {
	Kind         string              `json:"kind"`
	Format       int                 `json:"format"`
	Target       string              `json:"target"`
	Horizon      float64             `json:"horizon,omitempty"`
	Columns      []string            `json:"columns"`
	Design       []string            `json:"design"`
	Coefficients []Coefficient       `json:"coefficients"`
	TrainRows    int                 `json:"training_rows"`
	Fingerprint  string              `json:"data_fingerprint"`
	Seed         uint64              `json:"seed"`
	Metrics      map[string]any      `json:"training_metrics,omitempty"`
	Screenlab    string              `json:"screenlab_version"`
	ParamsHash   string              `json:"params_sha256"`
	ImagePrep    *features.ImagePrep `json:"image_prep,omitempty"`
	CNN          *CNNDescription     `json:"cnn,omitempty"`
}

// CNNDescription is a CNN without its weights.
type CNNDescription struct {
	Size     int     `json:"size"`
	Channels []int   `json:"channels"`
	Params   int     `json:"parameters"`
	Steps    int     `json:"best_step"`
	AUC      float64 `json:"early_stopping_auc"`
}

// Describe describes a model.
func Describe(m *File) *Description {
	d := &Description{Kind: m.Kind, Format: m.Format, Target: m.Target, Horizon: m.Horizon, Columns: m.ColumnNames(),
		Design: m.Features.Names(), TrainRows: m.TrainRows, Fingerprint: m.DataPrint, Seed: m.Seed,
		Metrics: m.Metrics, Screenlab: m.Screenlab, ParamsHash: m.ParamsHash, ImagePrep: m.ImagePrep}
	if mm := m.Model(); mm != nil {
		d.Coefficients = mm.Terms()
	}
	if c := m.CNN; c != nil {
		d.CNN = &CNNDescription{Size: c.Size, Channels: c.Channels, Steps: c.Steps, AUC: c.BestAUC}
		for _, w := range c.Weights {
			d.CNN.Params += len(w)
		}
	}
	return d
}
