package features

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/screenlab/screenlab/datasets"
)

// Matrix transforms the rows idx of value columns (values[c][row], in the
// order of the pipeline's columns; nil idx means every row) into a
// row-major design matrix, len(idx) × Width().
func (p *Pipeline) Matrix(values [][]string, idx []int) ([]float64, error) {
	if idx == nil && len(values) > 0 {
		idx = make([]int, len(values[0]))
		for i := range idx {
			idx[i] = i
		}
	}
	row := make([]string, len(values))
	x := make([]float64, 0, len(idx)*p.Width())
	var err error
	for _, i := range idx {
		for c := range values {
			row[c] = values[c][i]
		}
		if x, err = p.Transform(row, x); err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	return x, nil
}

// Terms returns, per input column, the indices of the design columns it
// produces (a categorical column's indicators form one term, as in a
// likelihood-ratio or proportional-hazards test of the whole covariate).
func (p *Pipeline) Terms() [][]int {
	out := make([][]int, len(p.Columns))
	j := 0
	for c, f := range p.Columns {
		for range f.OutputNames {
			out[c] = append(out[c], j)
			j++
		}
	}
	return out
}

// Design fits the specs on every row of values and returns the pipeline
// and the design matrix (row-major). It is the one design-matrix builder of
// screenlab: `train` (every model) and `survival cox` both use it, so a
// column gets the same encoding, reference level and names in both.
func Design(specs []Spec, values [][]string) (*Pipeline, []float64, error) {
	p, err := Fit(specs, values)
	if err != nil {
		return nil, nil, err
	}
	x, err := p.Matrix(values, nil)
	if err != nil {
		return nil, nil, err
	}
	return p, x, nil
}

// ErrReference is wrapped when a reference level names no covariate, a
// numeric one, or a level the data lack.
var ErrReference = errors.New("reference level")

// fitCategorical fits a text covariate as categorical (its levels, the
// reference refs names or the first) and returns its one-column pipeline
// and its values.
func fitCategorical(fr *datasets.Frame, name string, refs map[string]string) (*Pipeline, []string, error) {
	lv, _, err := fr.Levels(name)
	if err != nil {
		return nil, nil, err
	}
	if r, ok := refs[name]; ok && !slices.Contains(lv, r) {
		return nil, nil, fmt.Errorf("--reference %s=%s: %w: no such level; levels are %s", name, r, ErrReference, strings.Join(lv, ", "))
	}
	if len(lv) < 2 {
		return nil, nil, fmt.Errorf("covariate %s has one level (%s): no variance", name, lv[0])
	}
	text, _ := fr.Strings(name)
	one, err := Fit([]Spec{{Name: name, Kind: Categorical, Reference: refs[name]}}, [][]string{text})
	if err != nil {
		return nil, nil, err
	}
	return one, text, nil
}

// CovariateColumnsOf is CovariatesOf by columns: column j of the design is
// cols[j]. A plain numeric column is the frame's own numbers where it holds
// them (datasets.ReadFrameNumbers), taken from the frame without a copy
// (Frame.TakeFloats); so a model on a million rows and ten covariates
// needs no second copy of them before the fit's own.
func CovariateColumnsOf(fr *datasets.Frame, covs []string, refs map[string]string) (*Pipeline, [][]float64, error) {
	for k := range refs {
		if !slices.Contains(covs, k) {
			return nil, nil, fmt.Errorf("--reference %s: %w: %s is not among --covariates", k, ErrReference, k)
		}
	}
	n := fr.Len()
	p := &Pipeline{Columns: make([]Fitted, len(covs))}
	var cols [][]float64
	for c, name := range covs {
		xs, ferr := fr.TakeFloats(name, false)
		if ferr == nil {
			// Numbers: the frame's own where it holds them, fitted.
			if _, isRef := refs[name]; isRef {
				return nil, nil, fmt.Errorf("--reference %s: %w: %s is numeric, not categorical", name, ErrReference, name)
			}
			f := &p.Columns[c]
			*f = Fitted{Spec: Spec{Name: name, Kind: Numeric}}
			if err := f.fitNumeric(xs); err != nil {
				return nil, nil, err
			}
			if f.KnotValues == nil && !f.Scale && len(f.OutputNames) == 1 {
				cols = append(cols, xs)
				continue
			}
			out := make([][]float64, len(f.OutputNames))
			for k := range out {
				out[k] = make([]float64, n)
			}
			var scratch []float64
			for i, v := range xs {
				scratch = f.appendNumber(v, scratch[:0])
				for k := range out {
					out[k][i] = scratch[k]
				}
			}
			cols = append(cols, out...)
			continue
		}
		numeric, err := fr.NumericOrText(name)
		if err != nil {
			return nil, nil, err
		}
		if numeric {
			return nil, nil, ferr
		}
		one, text, err := fitCategorical(fr, name, refs)
		if err != nil {
			return nil, nil, err
		}
		p.Columns[c] = one.Columns[0]
		out := make([][]float64, len(one.Columns[0].OutputNames))
		for k := range out {
			out[k] = make([]float64, n)
		}
		val := make([]string, 1)
		var scratch []float64
		for i := range n {
			val[0] = text[i]
			if scratch, err = one.Transform(val, scratch[:0]); err != nil {
				return nil, nil, fmt.Errorf("row %d: %w", i+1, err)
			}
			for k := range out {
				out[k][i] = scratch[k]
			}
		}
		cols = append(cols, out...)
	}
	return p, cols, nil
}

// CovariatesOf builds the design of a regression on the named columns of a
// frame with Design: a numeric column as is, a text column categorical
// (levels in the order of groups.Less, the first the reference unless refs
// names another). Missing values are errors naming the row, as for R's
// coxph without na.action.
func CovariatesOf(fr *datasets.Frame, covs []string, refs map[string]string) (*Pipeline, []float64, error) {
	for k := range refs {
		if !slices.Contains(covs, k) {
			return nil, nil, fmt.Errorf("--reference %s: %w: %s is not among --covariates", k, ErrReference, k)
		}
	}
	// Numeric columns are parsed once, by the frame, straight into a
	// row-major matrix of one column per covariate (the design itself when
	// every covariate is a plain number); text columns are fitted and
	// transformed as by Design.
	n, k := fr.Len(), len(covs)
	p := &Pipeline{Columns: make([]Fitted, k)}
	first := make([]float64, n*k)
	numeric := make([]bool, k)
	texts := make([][]string, k)
	var col []float64 // one numeric column, to fit
	for c, name := range covs {
		ferr := fr.FloatsInto(name, false, first[min(c, len(first)):], k)
		isNum := ferr == nil
		if ferr != nil {
			// Not all numbers: a text column, a mostly numeric one with a
			// typo, or a numeric one with a missing value (an error, as
			// coxph without na.action).
			var err error
			if isNum, err = fr.NumericOrText(name); err != nil {
				return nil, nil, err
			}
			if isNum {
				return nil, nil, ferr
			}
		}
		if isNum {
			if _, isRef := refs[name]; isRef {
				return nil, nil, fmt.Errorf("--reference %s: %w: %s is numeric, not categorical", name, ErrReference, name)
			}
			col = col[:0]
			for i := 0; i < n; i++ {
				col = append(col, first[i*k+c])
			}
			p.Columns[c] = Fitted{Spec: Spec{Name: name, Kind: Numeric}}
			if err := p.Columns[c].fitNumeric(col); err != nil {
				return nil, nil, err
			}
			numeric[c] = true
			continue
		}
		one, text, err := fitCategorical(fr, name, refs)
		if err != nil {
			return nil, nil, err
		}
		texts[c] = text
		p.Columns[c] = one.Columns[0]
	}
	plain := func(c int) bool {
		f := &p.Columns[c]
		return numeric[c] && f.KnotValues == nil && !f.Scale && len(f.OutputNames) == 1
	}
	allPlain := true
	for c := range covs {
		allPlain = allPlain && plain(c)
	}
	if allPlain {
		return p, first, nil // the matrix is the design
	}
	width := p.Width()
	// Column by column into the row-major design: a plain numeric column is
	// a strided copy; others go through their transformation per row.
	x := make([]float64, n*width)
	one := &Pipeline{Columns: make([]Fitted, 1)}
	val := make([]string, 1)
	var scratch []float64
	at := 0
	for c := range p.Columns {
		f := &p.Columns[c]
		w := len(f.OutputNames)
		if plain(c) {
			for i := 0; i < n; i++ {
				x[i*width+at] = first[i*k+c]
			}
			at += w
			continue
		}
		one.Columns[0] = *f
		for i := 0; i < n; i++ {
			if numeric[c] {
				scratch = f.appendNumber(first[i*k+c], scratch[:0])
			} else {
				val[0] = texts[c][i]
				var err error
				if scratch, err = one.Transform(val, scratch[:0]); err != nil {
					return nil, nil, fmt.Errorf("row %d: %w", i+1, err)
				}
			}
			copy(x[i*width+at:i*width+at+w], scratch)
		}
		at += w
	}
	return p, x, nil
}
