package datasets

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Frame is a table read as text, column by column, for analyses whose
// columns the user names (survival, incidence, evaluation). Values are
// checked when a column is asked for in a type, so that an error names the
// file, line and column of the bad value.
type Frame struct {
	File   string
	Header []string
	Cols   [][]string
	Lines  []int // the line (CSV) or row (Parquet) of each row
	index  map[string]int
}

// ReadFrame reads every column of a table file as text.
func ReadFrame(path string) (*Frame, error) {
	src, err := OpenSource(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return readFrame(src)
}

// ReadFrameFrom reads CSV text; name is used in messages.
func ReadFrameFrom(r io.Reader, name string) (*Frame, error) {
	src, err := NewCSVSource(r, name)
	if err != nil {
		return nil, err
	}
	return readFrame(src)
}

func readFrame(src Source) (*Frame, error) {
	f := &Frame{File: src.Name(), Header: src.Header(), index: map[string]int{}}
	f.Cols = make([][]string, len(f.Header))
	for i, h := range f.Header {
		if _, dup := f.index[h]; dup {
			return nil, &RowError{File: f.File, Line: 1, Column: i + 1, Field: "header", Value: h, Err: ErrDuplicateID, Want: "unique column names"}
		}
		f.index[h] = i
	}
	for {
		rec, line, err := src.Next()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return nil, err
		}
		for i := range f.Cols {
			f.Cols[i] = append(f.Cols[i], strings.Clone(rec[i]))
		}
		f.Lines = append(f.Lines, line)
	}
}

// Len is the number of rows.
func (f *Frame) Len() int { return len(f.Lines) }

// Has reports whether the frame has a column.
func (f *Frame) Has(name string) bool { _, ok := f.index[name]; return ok }

// Strings returns a column's text.
func (f *Frame) Strings(name string) ([]string, error) {
	i, ok := f.index[name]
	if !ok {
		return nil, &RowError{File: f.File, Line: 1, Err: ErrMissingColumn,
			Want: fmt.Sprintf("a column %q; the header has %s", name, strings.Join(f.Header, ","))}
	}
	return f.Cols[i], nil
}

// Fail returns a *RowError for row r of a column.
func (f *Frame) Fail(name string, r int, err error, want string) *RowError {
	i := f.index[name]
	return &RowError{File: f.File, Line: f.Lines[r], Column: i + 1, Field: name, Value: f.Cols[i][r], Want: want, Err: err}
}

// Floats returns a column as numbers. An empty field (or NA) is an error
// unless allowMissing, when it gives NaN.
func (f *Frame) Floats(name string, allowMissing bool) ([]float64, error) {
	col, err := f.Strings(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(col))
	for r, s := range col {
		if s == "" || s == "NA" {
			if !allowMissing {
				return nil, f.Fail(name, r, ErrRequired, "a number (missing values are not allowed here)")
			}
			out[r] = math.NaN()
			continue
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, f.Fail(name, r, ErrBadNumber, "a number")
		}
		out[r] = x
	}
	return out, nil
}

// Dates returns a column of YYYY-MM-DD dates.
func (f *Frame) Dates(name string) ([]Date, error) {
	col, err := f.Strings(name)
	if err != nil {
		return nil, err
	}
	out := make([]Date, len(col))
	for r, s := range col {
		d, err := ParseDate(s)
		if err != nil || d == NoDate {
			return nil, f.Fail(name, r, ErrBadDate, "a date YYYY-MM-DD")
		}
		out[r] = d
	}
	return out, nil
}

// IsNumeric reports whether every non-empty value of a column parses as a
// number.
func (f *Frame) IsNumeric(name string) bool {
	col, err := f.Strings(name)
	if err != nil {
		return false
	}
	for _, s := range col {
		if s == "" || s == "NA" {
			continue
		}
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return false
		}
	}
	return true
}
