package models

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/features"
)

// TrainData is a table read for training: one text column per feature
// (Values[c][row], in the order of TrainOptions.Specs), the 0/1 outcome,
// the follow-up time (cox) and the values of the column that splits
// training from validation rows (nil without a split).
type TrainData struct {
	Values [][]string
	Y      []bool
	Time   []float64
	Split  []string
}

// Fingerprint is the SHA-256 of the feature values and outcomes as read,
// saved in the model file as the training data's fingerprint.
func (d *TrainData) Fingerprint() string {
	h := sha256.New()
	for _, col := range d.Values {
		for _, v := range col {
			io.WriteString(h, v)
			h.Write([]byte{0})
		}
	}
	for _, v := range d.Y {
		if v {
			h.Write([]byte{1})
		} else {
			h.Write([]byte{0})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TrainOptions say which model to fit and how to validate it.
type TrainOptions struct {
	Kind    string // logistic, cox or forest
	Target  string // the outcome's name, saved in the model
	Time    string // cox: the follow-up column's name
	Horizon float64
	Specs   []features.Spec
	L2      float64 // logistic: L2 penalty
	// Level of the coefficients' intervals (default 0.95).
	Level  float64
	Forest ForestOptions
	// CV > 1 asks for stratified CV-fold cross-validation of the training
	// rows (not for cox), shuffled from Seed.
	CV   int
	Seed uint64
	// Validate lists the values of TrainData.Split whose rows are held out
	// for validation; SplitBy names that column in the result.
	SplitBy  string
	Validate []string
	// Name is what the result calls the model (its file), Version the
	// screenlab version saved in it.
	Name, Version string
}

// ErrNoValidationRows is returned when no row has a value to validate on.
var ErrNoValidationRows = errors.New("no rows to validate on")

// ValidationResult is discrimination and calibration on held-out data, in
// the JSON of screenlab evaluate.
type ValidationResult struct {
	N           int                     `json:"n"`
	Positives   int                     `json:"positives"`
	AUC         evaluation.AUC          `json:"auc"`
	Brier       float64                 `json:"brier"`
	Calibration *evaluation.Calibration `json:"calibration,omitempty"`
	// For the external validation: what its calibration plot and decision
	// curve show (screenlab report draws them).
	CalPlot       *evaluation.CalibrationData `json:"calibration_plot,omitempty"`
	DecisionCurve []evaluation.NetBenefit     `json:"decision_curve,omitempty"`
	// Notes say which rows were left out and why (a level the fitted rows
	// never had).
	Notes []string `json:"notes,omitempty"`
}

// CVResult summarises k-fold cross-validation.
type CVResult struct {
	Folds   int                `json:"folds"`
	AUC     float64            `json:"auc"`
	Slope   float64            `json:"calibration_slope"`
	PerFold []ValidationResult `json:"per_fold"`
}

// TrainResult is what training found (the JSON of screenlab train).
type TrainResult struct {
	Model        string            `json:"model"`
	Kind         string            `json:"kind"`
	Train        int               `json:"n_train"`
	Features     []string          `json:"design"`
	Coefficients []Coefficient     `json:"coefficients"`
	CV           *CVResult         `json:"cv,omitempty"`
	Validation   *ValidationResult `json:"validation,omitempty"`
	ValidatedOn  string            `json:"validated_on,omitempty"`
}

// PeopleTables are what a table for people shows of a training result:
// the coefficients and, per fold and on the validation rows, the key
// metrics (render.PeopleTabler); the curves and deciles are in JSON.
func (*TrainResult) PeopleTables() []string {
	return []string{"coefficients", "cv.per_fold"}
}

// PeopleColumns are the key metrics of each fold (render.PeopleColumner).
func (*TrainResult) PeopleColumns(table string) []string {
	if table != "cv.per_fold" {
		return nil
	}
	return []string{"n", "positives", "auc.estimate", "auc.lower", "auc.upper", "brier", "calibration.slope", "calibration.citl",
		"calibration.oe", "calibration.oe_lower", "calibration.oe_upper", "harrell_c", "uno_c", "notes"}
}

// ColumnNames name the coefficients' ratio by the model's kind: odds
// ratios of a logistic model, hazard ratios of a Cox model, and a forest's
// variable importance (render.ColumnNamer).
func (r *TrainResult) ColumnNames() map[string]string {
	ratio := map[string]string{"logistic": "odds_ratio", "cox": "hazard_ratio"}[r.Kind]
	if ratio == "" {
		if r.Kind == "forest" {
			return map[string]string{"coef": "importance"}
		}
		return map[string]string{}
	}
	return map[string]string{"ratio": ratio, "ratio_lower": ratio + "_lower", "ratio_upper": ratio + "_upper"}
}

func subset[T any](x []T, idx []int) []T {
	if x == nil {
		return nil
	}
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = x[i]
	}
	return out
}

// Train fits a model on the training rows (those whose Split value is not
// in Validate), cross-validates it on them when asked, and validates it on
// the held-out rows: discrimination (AUC, DeLong), Brier score,
// calibration, and for the external validation the calibration plot's
// data and the decision curve.
func Train(d *TrainData, opts TrainOptions) (*TrainResult, *File, error) {
	n := len(d.Y)
	var trainIdx, valIdx []int
	hold := map[string]bool{}
	for _, v := range opts.Validate {
		hold[v] = true
	}
	for i := 0; i < n; i++ {
		if d.Split != nil && hold[d.Split[i]] {
			valIdx = append(valIdx, i)
		} else {
			trainIdx = append(trainIdx, i)
		}
	}
	if d.Split != nil && len(valIdx) == 0 {
		return nil, nil, fmt.Errorf("--validate %s: %w: no rows have those values of %s", strings.Join(opts.Validate, ","), ErrNoValidationRows, opts.SplitBy)
	}
	print := d.Fingerprint()
	file, err := fitOn(d, opts, trainIdx, print)
	if err != nil {
		return nil, nil, err
	}
	res := &TrainResult{Model: opts.Name, Kind: opts.Kind, Train: len(trainIdx), Features: file.Features.Names()}
	res.Coefficients = file.Model().Terms()
	file.Metrics = map[string]any{}
	if opts.CV > 1 && opts.Kind != "cox" {
		cv, err := crossValidate(d, opts, trainIdx, print)
		if err != nil {
			return nil, nil, fmt.Errorf("cross-validation: %w", err)
		}
		res.CV = cv
		file.Metrics["cv_auc"], file.Metrics["cv_calibration_slope"] = cv.AUC, cv.Slope
	}
	if len(valIdx) > 0 && opts.Kind != "cox" {
		v, err := validateRows(file, d, valIdx, true, true)
		if err != nil {
			return nil, nil, fmt.Errorf("validation: %w", err)
		}
		res.Validation, res.ValidatedOn = v, opts.SplitBy+" in "+strings.Join(opts.Validate, ",")
		file.Metrics["validation_auc"], file.Metrics["validation_calibration_slope"] = v.AUC.Estimate, v.Calibration.Slope
	}
	return res, file, nil
}

// fitOn fits the pipeline and model on the rows idx.
func fitOn(d *TrainData, o TrainOptions, idx []int, print string) (*File, error) {
	cols := make([][]string, len(o.Specs))
	for c := range o.Specs {
		cols[c] = subset(d.Values[c], idx)
	}
	pipe, err := features.Fit(o.Specs, cols)
	if err != nil {
		return nil, err
	}
	x, err := pipe.Matrix(d.Values, idx)
	if err != nil {
		return nil, err
	}
	y := subset(d.Y, idx)
	f := &File{Kind: o.Kind, Target: o.Target, Features: *pipe, Seed: o.Seed, TrainRows: len(idx), DataPrint: print,
		Hyper: map[string]string{"l2": strconv.FormatFloat(o.L2, 'g', -1, 64)}, Screenlab: o.Version}
	switch o.Kind {
	case "logistic":
		if f.Logistic, err = FitLogistic(x, y, pipe.Names(), o.L2, o.Level); err != nil {
			return nil, err
		}
	case "cox":
		f.Time, f.Horizon = o.Time, o.Horizon
		if f.Cox, err = FitCoxRisk(subset(d.Time, idx), y, x, pipe.Names(), o.Horizon); err != nil {
			return nil, err
		}
	case "forest":
		fo := o.Forest
		fo.Seed = o.Seed
		for k, v := range map[string]int{"trees": fo.Trees, "mtry": fo.MTry, "min_leaf": fo.MinLeaf, "max_depth": fo.MaxDepth} {
			f.Hyper[k] = strconv.Itoa(v)
		}
		if f.Forest, err = FitForest(x, y, pipe.Names(), fo); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("model %q: want logistic, cox or forest", o.Kind)
	}
	return f, nil
}

// Validate scores the rows idx of d with a fitted model and measures
// discrimination and calibration; with plots, also the calibration plot's
// data and the decision curve.
func Validate(f *File, d *TrainData, idx []int, plots bool) (*ValidationResult, error) {
	return validateRows(f, d, idx, plots, false)
}

// validateRows is Validate; with skipUnseen, a row whose categorical
// level the model never saw (held out in cross-validation, or in a
// validation unit) is left out and counted in Notes instead of failing.
func validateRows(f *File, d *TrainData, idx []int, plots, skipUnseen bool) (*ValidationResult, error) {
	row := make([]string, len(d.Values))
	risk := make([]float64, 0, len(idx))
	kept := make([]int, 0, len(idx))
	unseen := map[string]int{}
	var scratch []float64
	for _, i := range idx {
		for c := range d.Values {
			row[c] = d.Values[c][i]
		}
		r, s, err := f.Predict(row, scratch)
		scratch = s
		var ve *features.ValueError
		if err != nil && skipUnseen && errors.As(err, &ve) && errors.Is(err, features.ErrUnknownLevel) {
			unseen[ve.Name+" = "+ve.Value]++
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
		risk, kept = append(risk, r), append(kept, i)
	}
	var notes []string
	for _, k := range slices.Sorted(maps.Keys(unseen)) {
		rows := "rows"
		if unseen[k] == 1 {
			rows = "row"
		}
		notes = append(notes, fmt.Sprintf("%d %s with %s left out: the fitted rows have no such level", unseen[k], rows, k))
	}
	idx = kept
	y := subset(d.Y, idx)
	auc, err := evaluation.AUCDeLong(risk, y, 0.95)
	if err != nil {
		return nil, err
	}
	v := &ValidationResult{N: len(idx), AUC: auc, Notes: notes}
	for _, b := range y {
		if b {
			v.Positives++
		}
	}
	v.Brier, _ = evaluation.Brier(risk, y)
	if v.Calibration, err = evaluation.Calibrate(risk, y, 0.95); err != nil {
		return nil, err
	}
	if plots {
		v.CalPlot = evaluation.NewCalibrationData(v.Calibration, risk)
		v.DecisionCurve = evaluation.DecisionCurve(risk, y, evaluation.DecisionThresholds(risk))
	}
	return v, nil
}

// crossValidate runs stratified K-fold cross-validation on rows idx:
// positives and negatives are shuffled (seeded) and dealt to folds in turn.
func crossValidate(d *TrainData, opts TrainOptions, idx []int, print string) (*CVResult, error) {
	r := rand.New(rand.NewPCG(opts.Seed, 0xcf))
	var pos, neg []int
	for _, i := range idx {
		if d.Y[i] {
			pos = append(pos, i)
		} else {
			neg = append(neg, i)
		}
	}
	r.Shuffle(len(pos), func(a, b int) { pos[a], pos[b] = pos[b], pos[a] })
	r.Shuffle(len(neg), func(a, b int) { neg[a], neg[b] = neg[b], neg[a] })
	fold := make(map[int]int, len(idx))
	for k, i := range pos {
		fold[i] = k % opts.CV
	}
	for k, i := range neg {
		fold[i] = k % opts.CV
	}
	cv := &CVResult{Folds: opts.CV}
	for k := 0; k < opts.CV; k++ {
		var tr, te []int
		for _, i := range idx {
			if fold[i] == k {
				te = append(te, i)
			} else {
				tr = append(tr, i)
			}
		}
		f, err := fitOn(d, opts, tr, print)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", k+1, err)
		}
		v, err := validateRows(f, d, te, false, true)
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", k+1, err)
		}
		cv.PerFold = append(cv.PerFold, *v)
		cv.AUC += v.AUC.Estimate / float64(opts.CV)
		cv.Slope += v.Calibration.Slope / float64(opts.CV)
	}
	return cv, nil
}

// RecalibrateResult is discrimination and calibration before and after a
// recalibration (logistic models).
type RecalibrateResult struct {
	Method string            `json:"method"`
	Rows   int               `json:"rows"`
	Before *ValidationResult `json:"before,omitempty"`
	After  *ValidationResult `json:"after,omitempty"`
	Output string            `json:"output"`
}

// Recalibrate adapts a model to new data in place: for logistic models
// "intercept" (refit the intercept with the linear predictor as offset) or
// "logistic" (refit intercept and slope, rescaling every coefficient;
// Steyerberg 2019, ch. 20), reporting validation before and after; for cox
// models "baseline" (rescale the baseline hazard so that the mean predicted
// risk by the horizon equals the Kaplan–Meier risk). d holds the model's
// feature columns, the outcome and (cox) the follow-up time.
func Recalibrate(m *File, d *TrainData, method string) (*RecalibrateResult, error) {
	if m.Kind == "cnn" {
		return nil, ErrImageModel
	}
	if m.Kind != "logistic" && m.Kind != "cox" {
		return nil, fmt.Errorf("recalibrate works on logistic and cox models, not on a %s model", m.Kind)
	}
	if (method == "baseline") != (m.Kind == "cox") {
		return nil, fmt.Errorf("--method %s does not apply to a %s model (logistic: intercept or logistic; cox: baseline)", method, m.Kind)
	}
	x, err := m.Features.Matrix(d.Values, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSchema, err)
	}
	idx := make([]int, len(d.Y))
	for i := range idx {
		idx[i] = i
	}
	res := &RecalibrateResult{Method: method, Rows: len(idx)}
	if m.Kind == "logistic" {
		if res.Before, err = Validate(m, d, idx, false); err != nil {
			return nil, err
		}
		if err := m.Logistic.Recalibrate(x, d.Y, method); err != nil {
			return nil, err
		}
		if res.After, err = Validate(m, d, idx, false); err != nil {
			return nil, err
		}
		return res, nil
	}
	if err := m.Cox.RecalibrateBaseline(d.Time, d.Y, x); err != nil {
		return nil, err
	}
	return res, nil
}

// TrainColumns name the columns of a training table and how features enter
// the design: Categorical forces numeric-looking columns to be categorical
// (text columns always are), Reference names reference levels, Knots asks
// for restricted cubic splines, Ordinal gives levels in order, Scale
// standardises numeric columns.
type TrainColumns struct {
	Target, Time, SplitBy string
	Features              []string
	Categorical           map[string]bool
	Reference             map[string]string
	Knots                 map[string]int
	Ordinal               map[string][]string
	Scale                 bool
}

// Names lists the columns to read.
func (c TrainColumns) Names() []string {
	cols := append([]string{c.Target}, c.Features...)
	for _, n := range []string{c.Time, c.SplitBy} {
		if n != "" {
			cols = append(cols, n)
		}
	}
	return cols
}

// ReadTrainData reads a training table from a frame and the feature specs
// its columns imply.
func ReadTrainData(fr *datasets.Frame, c TrainColumns) ([]features.Spec, *TrainData, error) {
	d := &TrainData{}
	var specs []features.Spec
	for _, name := range c.Features {
		vals, err := fr.Strings(name)
		if err != nil {
			return nil, nil, err
		}
		d.Values = append(d.Values, vals)
		s := features.Spec{Name: name, Kind: features.Numeric, Knots: c.Knots[name], Scale: c.Scale}
		switch {
		case c.Ordinal[name] != nil:
			s = features.Spec{Name: name, Kind: features.Ordinal, Order: c.Ordinal[name]}
		case c.Categorical[name]:
			s = features.Spec{Name: name, Kind: features.Categorical, Reference: c.Reference[name]}
		default:
			numeric, err := fr.NumericOrText(name)
			if err != nil {
				return nil, nil, err
			}
			if !numeric {
				s = features.Spec{Name: name, Kind: features.Categorical, Reference: c.Reference[name]}
			}
		}
		specs = append(specs, s)
	}
	var err error
	if d.Y, err = fr.Events(c.Target); err != nil {
		return nil, nil, err
	}
	if c.Time != "" {
		if d.Time, err = fr.Floats(c.Time, false); err != nil {
			return nil, nil, err
		}
	}
	if c.SplitBy != "" {
		if d.Split, err = fr.Strings(c.SplitBy); err != nil {
			return nil, nil, err
		}
	}
	return specs, d, nil
}
