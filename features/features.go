package features

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/internal/numeric"
)

// Kind is how a column enters the design.
type Kind string

const (
	Numeric     Kind = "numeric"     // as is (optionally standardised or splined)
	Categorical Kind = "categorical" // one indicator per non-reference level
	Ordinal     Kind = "ordinal"     // levels in a given order coded 0, 1, 2, ...
)

// Spec describes one input column.
type Spec struct {
	Name      string   `json:"name"`
	Kind      Kind     `json:"kind"`
	Reference string   `json:"reference,omitempty"` // categorical: the reference level (default: the first in the order of groups.Less)
	Order     []string `json:"order,omitempty"`     // ordinal: the levels in order
	Knots     int      `json:"knots,omitempty"`     // numeric: restricted cubic spline with 3..7 knots
	Scale     bool     `json:"scale,omitempty"`     // numeric: standardise with the training mean and SD
}

// Fitted is a column's transformation learned on training data.
type Fitted struct {
	Spec
	Levels      []string  `json:"levels,omitempty"` // categorical: every level seen, in the order of groups.Less
	Mean        float64   `json:"mean,omitempty"`   // numeric: training mean (imputation and centring)
	SD          float64   `json:"sd,omitempty"`     // numeric: training SD (when Scale)
	KnotValues  []float64 `json:"knot_values,omitempty"`
	HasMissing  bool      `json:"has_missing,omitempty"` // add a missing indicator
	OutputNames []string  `json:"outputs"`
}

// Pipeline is the fitted transformation of every column.
type Pipeline struct {
	Columns []Fitted `json:"columns"`
}

// Names lists the design's columns.
func (p *Pipeline) Names() []string {
	var out []string
	for _, c := range p.Columns {
		out = append(out, c.OutputNames...)
	}
	return out
}

// Width is the number of design columns.
func (p *Pipeline) Width() int { return len(p.Names()) }

// missing reports an empty or NA value.
func missing(s string) bool { return s == "" || s == "NA" || s == "NaN" }

// Fit learns each column's transformation from training values
// (values[c][row] as text).
func Fit(specs []Spec, values [][]string) (*Pipeline, error) {
	if len(specs) != len(values) {
		return nil, errors.New("features: one value column per spec")
	}
	p := &Pipeline{}
	for c, s := range specs {
		f := Fitted{Spec: s}
		col := values[c]
		switch s.Kind {
		case Numeric:
			xs := make([]float64, 0, len(col))
			for r, v := range col {
				if missing(v) {
					f.HasMissing = true
					continue
				}
				x, err := strconv.ParseFloat(v, 64)
				if err != nil || math.IsInf(x, 0) {
					return nil, fmt.Errorf("column %s, row %d: %q is not a number", s.Name, r+1, v)
				}
				xs = append(xs, x)
			}
			if err := f.fitNumeric(xs); err != nil {
				return nil, err
			}
		case Categorical:
			set := map[string]bool{}
			for _, v := range col {
				if missing(v) {
					f.HasMissing = true
					continue
				}
				set[v] = true
			}
			for v := range set {
				f.Levels = append(f.Levels, v)
			}
			groups.Sort(f.Levels)
			if len(f.Levels) < 2 {
				return nil, fmt.Errorf("column %s has %d level(s): a categorical covariate needs two", s.Name, len(f.Levels))
			}
			if f.Reference == "" {
				f.Reference = f.Levels[0]
			} else if !set[f.Reference] {
				return nil, fmt.Errorf("column %s: reference level %q not in the data (levels %s)", s.Name, f.Reference, strings.Join(f.Levels, ", "))
			}
			for _, l := range f.Levels {
				if l != f.Reference {
					f.OutputNames = append(f.OutputNames, s.Name+l)
				}
			}
			if f.HasMissing {
				f.OutputNames = append(f.OutputNames, s.Name+"_missing")
			}
		case Ordinal:
			if len(s.Order) < 2 {
				return nil, fmt.Errorf("column %s: an ordinal column needs its levels in order", s.Name)
			}
			known := map[string]bool{}
			for _, o := range s.Order {
				known[o] = true
			}
			for r, v := range col {
				if missing(v) {
					f.HasMissing = true
				} else if !known[v] {
					return nil, fmt.Errorf("column %s, row %d: level %q is not among %s", s.Name, r+1, v, strings.Join(s.Order, ", "))
				}
			}
			f.OutputNames = []string{s.Name}
			if f.HasMissing {
				f.OutputNames = append(f.OutputNames, s.Name+"_missing")
			}
		default:
			return nil, fmt.Errorf("column %s: kind %q: want numeric, categorical or ordinal", s.Name, s.Kind)
		}
		p.Columns = append(p.Columns, f)
	}
	return p, nil
}

// fitNumeric learns a numeric column's mean, SD and spline knots from its
// non-missing values, and names its design columns (HasMissing set).
func (f *Fitted) fitNumeric(xs []float64) error {
	if len(xs) == 0 {
		return fmt.Errorf("column %s has no values", f.Name)
	}
	f.Mean = 0
	for _, x := range xs {
		f.Mean += x
	}
	f.Mean /= float64(len(xs))
	f.SD = 0
	for _, x := range xs {
		f.SD += (x - f.Mean) * (x - f.Mean)
	}
	f.SD = math.Sqrt(f.SD / float64(max(1, len(xs)-1)))
	if f.SD == 0 {
		return fmt.Errorf("column %s has no variance (every value is %v)", f.Name, xs[0])
	}
	f.OutputNames = nil
	if f.Knots > 0 {
		k, err := knotQuantiles(f.Knots, xs)
		if err != nil {
			return fmt.Errorf("column %s: %w", f.Name, err)
		}
		f.KnotValues = k
		f.OutputNames = append(f.OutputNames, f.Name)
		for j := 1; j < len(k)-1; j++ {
			f.OutputNames = append(f.OutputNames, f.Name+strings.Repeat("'", j))
		}
	} else {
		f.OutputNames = []string{f.Name}
	}
	if f.HasMissing {
		f.OutputNames = append(f.OutputNames, f.Name+"_missing")
	}
	return nil
}

// appendNumber appends a numeric column's design values for x (its
// spline basis, or x scaled or as is).
func (f *Fitted) appendNumber(x float64, dst []float64) []float64 {
	switch {
	case f.KnotValues != nil:
		dst = append(dst, x)
		return append(dst, RCSBasis(x, f.KnotValues)...)
	case f.Scale:
		return append(dst, (x-f.Mean)/f.SD)
	}
	return append(dst, x)
}

// ErrUnknownLevel is wrapped when a categorical value was not seen in
// training.
var ErrUnknownLevel = errors.New("level not seen in training")

// ValueError is a value Transform cannot use: the pipeline column (its
// index and name), the value, what was wanted and a sentinel error.
type ValueError struct {
	Column      int
	Name, Value string
	Want        string
	Err         error
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("column %s: %q: want %s", e.Name, e.Value, e.Want)
}

func (e *ValueError) Unwrap() error { return e.Err }

// ErrNotNumber is wrapped for a numeric column's value that is not a
// number.
var ErrNotNumber = errors.New("not a number")

// Transform appends the design row of one record (values in the order of
// the pipeline's columns) to dst.
func (p *Pipeline) Transform(values []string, dst []float64) ([]float64, error) {
	if len(values) != len(p.Columns) {
		return dst, fmt.Errorf("features: %d values for %d columns", len(values), len(p.Columns))
	}
	for c := range p.Columns {
		f := &p.Columns[c]
		v := values[c]
		miss := missing(v)
		switch f.Kind {
		case Numeric:
			x := f.Mean // imputed
			if !miss {
				var err error
				x, err = strconv.ParseFloat(v, 64)
				if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
					return dst, &ValueError{Column: c, Name: f.Name, Value: v, Want: "a number", Err: ErrNotNumber}
				}
			}
			dst = f.appendNumber(x, dst)
		case Categorical:
			if !miss && !contains(f.Levels, v) {
				return dst, &ValueError{Column: c, Name: f.Name, Value: v, Want: "a level seen in training: " + strings.Join(f.Levels, ", "), Err: ErrUnknownLevel}
			}
			for _, l := range f.Levels {
				if l == f.Reference {
					continue
				}
				if !miss && v == l {
					dst = append(dst, 1)
				} else {
					dst = append(dst, 0)
				}
			}
		case Ordinal:
			code := 0.0
			if !miss {
				k := indexOf(f.Order, v)
				if k < 0 {
					return dst, fmt.Errorf("column %s: %q: %w", f.Name, v, ErrUnknownLevel)
				}
				code = float64(k)
			}
			dst = append(dst, code)
		}
		if f.HasMissing {
			if miss {
				dst = append(dst, 1)
			} else {
				dst = append(dst, 0)
			}
		} else if miss {
			return dst, fmt.Errorf("column %s is missing, and the training data had no missing values for it", f.Name)
		}
	}
	return dst, nil
}

func contains(s []string, v string) bool { return indexOf(s, v) >= 0 }

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// knotQuantiles places k knots at Harrell's default quantiles (rms::rcs):
// 3: .10 .50 .90; 4: .05 .35 .65 .95; 5: .05 .275 .50 .725 .95; 6: .05
// .23 .41 .59 .77 .95; 7: .025 .1833 .3417 .5 .6583 .8167 .975 (R's
// quantile type 7).
func knotQuantiles(k int, xs []float64) ([]float64, error) {
	q := map[int][]float64{
		3: {.10, .50, .90},
		4: {.05, .35, .65, .95},
		5: {.05, .275, .50, .725, .95},
		6: {.05, .23, .41, .59, .77, .95},
		7: {.025, .18333, .34167, .50, .65833, .81667, .975},
	}[k]
	if q == nil {
		return nil, fmt.Errorf("%d knots: want 3 to 7", k)
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	out := make([]float64, k)
	for i, p := range q {
		out[i] = numeric.Quantile(s, p)
	}
	for i := 1; i < k; i++ {
		if out[i] <= out[i-1] {
			return nil, fmt.Errorf("%d knots are not distinct (%v): use fewer knots", k, out)
		}
	}
	return out, nil
}

// RCSBasis returns the k−2 nonlinear terms of a restricted cubic spline
// with knots t (Stone & Koo 1985; rms::rcspline.eval with norm = 2):
//
//	C_j(x) = [(x−t_j)₊³ − (x−t_{k−1})₊³ (t_k−t_j)/(t_k−t_{k−1})
//	          + (x−t_k)₊³ (t_{k−1}−t_j)/(t_k−t_{k−1})] / (t_k − t_1)²
func RCSBasis(x float64, t []float64) []float64 {
	k := len(t)
	cube := func(v float64) float64 {
		if v <= 0 {
			return 0
		}
		return v * v * v
	}
	norm := (t[k-1] - t[0]) * (t[k-1] - t[0])
	out := make([]float64, k-2)
	for j := 0; j < k-2; j++ {
		out[j] = (cube(x-t[j]) - cube(x-t[k-2])*(t[k-1]-t[j])/(t[k-1]-t[k-2]) + cube(x-t[k-1])*(t[k-2]-t[j])/(t[k-1]-t[k-2])) / norm
	}
	return out
}
