package datasets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/screenlab/screenlab/internal/atomicfile"
)

// ColumnMap maps canonical column names (exam_date) to the names a file
// uses (screening_date). Columns not in the map keep their canonical name.
type ColumnMap map[string]string

// ParseColumnMap parses "canonical=actual,canonical=actual".
func ParseColumnMap(s string) (ColumnMap, error) {
	m := ColumnMap{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("column map %q: want canonical=actual pairs separated by commas", kv)
		}
		m[k] = v
	}
	return m, nil
}

func (m ColumnMap) name(canonical string) string {
	if v, ok := m[canonical]; ok {
		return v
	}
	return canonical
}

// Column describes one column of a table schema.
type Column struct {
	Name     string
	Required bool   // the column must be present in the file
	Want     string // what a value looks like, for messages
}

// Schema describes a registry table: its columns, and how a record becomes
// a typed row T.
type Schema[T any] struct {
	Table   string
	Columns []Column
	// Parse fills row from the fields of one record; f records the first
	// error.
	Parse func(f *Fields, row *T)
	// Extra, when set, receives the values of the file's columns that the
	// schema does not name (copied), so that they can be written back.
	Extra func(row *T, values []string)
}

// Fields gives typed access to the fields of the current record, by the
// index of the column in the schema. Each accessor validates its field and
// records the first failure as a *RowError; later accessors are then no-ops.
type Fields struct {
	file   string
	line   int
	record []string
	index  []int // schema column -> record position, -1 when absent
	names  []string
	err    *RowError
	asOf   Date // dates after it are errors (NoDate: none)
}

// Err is the first validation error of the record, or nil.
func (f *Fields) Err() *RowError { return f.err }

// Has reports whether the file has the column.
func (f *Fields) Has(col int) bool { return f.index[col] >= 0 }

// Raw returns the text of a column ("" when the column is absent).
func (f *Fields) Raw(col int) string {
	if i := f.index[col]; i >= 0 {
		return f.record[i]
	}
	return ""
}

// Fail records an error for a column (if none was recorded yet).
func (f *Fields) Fail(col int, err error, want string) {
	if f.err != nil {
		return
	}
	pos := 0
	if col >= 0 && f.index[col] >= 0 {
		pos = f.index[col] + 1
	}
	name := ""
	if col >= 0 {
		name = f.names[col]
	}
	f.err = &RowError{File: f.file, Line: f.line, Column: pos, Field: name, Value: f.Raw(col), Want: want, Err: err}
}

// String returns a text field; required fields must be non-empty.
func (f *Fields) String(col int, required bool) string {
	s := f.Raw(col)
	if required && s == "" && f.err == nil {
		f.Fail(col, ErrRequired, "a value")
	}
	return s
}

// Date parses a YYYY-MM-DD field (NoDate when empty and not required).
func (f *Fields) Date(col int, required bool) Date {
	if f.err != nil {
		return NoDate
	}
	s := f.Raw(col)
	d, err := ParseDate(s)
	if err != nil {
		want := "a date YYYY-MM-DD"
		switch {
		case len(s) >= 4 && strings.Trim(strings.TrimPrefix(s, "-"), "0123456789") == "":
			want += " (this is a whole number: a Parquet INT32 or INT64 without the DATE or TIMESTAMP type? store dates as DATE, TIMESTAMP or text)"
		case len(s) > 10 && s[10] == 'T':
			want += " (this timestamp has a time of day)"
		}
		f.Fail(col, ErrBadDate, want)
		return NoDate
	}
	if d == NoDate && required {
		f.Fail(col, ErrRequired, "a date YYYY-MM-DD")
	}
	if d != NoDate && f.asOf != NoDate && d > f.asOf {
		f.Fail(col, ErrOutOfRange, "a date not after "+f.asOf.String()+" (today, or --as-of)")
		return NoDate
	}
	return d
}

// Int parses an integer in [lo, hi]; an empty optional field gives def.
func (f *Fields) Int(col int, required bool, lo, hi, def int) int {
	if f.err != nil {
		return def
	}
	s := f.Raw(col)
	if s == "" {
		if required {
			f.Fail(col, ErrRequired, fmt.Sprintf("an integer %d..%d", lo, hi))
		}
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Fail(col, ErrBadNumber, fmt.Sprintf("an integer %d..%d", lo, hi))
		return def
	}
	if n < lo || n > hi {
		f.Fail(col, ErrOutOfRange, fmt.Sprintf("an integer %d..%d", lo, hi))
		return def
	}
	return n
}

// Float parses a finite number in [lo, hi]; an empty optional field gives NaN.
func (f *Fields) Float(col int, required bool, lo, hi float64) float64 {
	if f.err != nil {
		return math.NaN()
	}
	s := f.Raw(col)
	want := "a number"
	if !math.IsInf(lo, -1) || !math.IsInf(hi, 1) {
		want = fmt.Sprintf("a number in [%g, %g]", lo, hi)
	}
	if s == "" {
		if required {
			f.Fail(col, ErrRequired, want)
		}
		return math.NaN()
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		f.Fail(col, ErrBadNumber, want)
		return math.NaN()
	}
	if x < lo || x > hi {
		f.Fail(col, ErrOutOfRange, want)
		return math.NaN()
	}
	return x
}

// Flag parses a 0/1 field (also false/true, no/yes, n/y in any case).
func (f *Fields) Flag(col int, required bool) (value, present bool) {
	if f.err != nil {
		return false, false
	}
	switch s := f.Raw(col); s {
	case "1":
		return true, true
	case "0":
		return false, true
	case "":
		if required {
			f.Fail(col, ErrRequired, "0 or 1")
		}
		return false, false
	default:
		switch strings.ToLower(s) {
		case "true", "yes", "y", "t":
			return true, true
		case "false", "no", "n", "f":
			return false, true
		}
		f.Fail(col, ErrBadCode, "0 or 1")
		return false, false
	}
}

// Stats counts what a reader saw: Read = Accepted + Rejected.
type Stats struct {
	Table       string `json:"table"`
	File        string `json:"file"`
	Read        int    `json:"read"`
	Accepted    int    `json:"accepted"`
	Rejected    int    `json:"rejected"`
	RejectsFile string `json:"rejects_file,omitempty"`
}

// ReadOptions control a table reader.
type ReadOptions struct {
	Columns ColumnMap
	// Lenient keeps going after a bad row, writing it with its reason to
	// RejectsPath (default "<input>.rejects.csv").
	Lenient     bool
	RejectsPath string
	// Progress, when set, is called now and then with the bytes consumed.
	Progress func(offset int64)
	// AsOf is the last date a table may hold: a later date (a typing error,
	// or a test row) is an error rather than a row that would move the end
	// of follow-up. The zero value means today (Today); NoDate turns the
	// check off.
	AsOf Date
}

// Today is the date now, in UTC; the default of ReadOptions.AsOf.
func Today() Date {
	y, m, d := time.Now().UTC().Date()
	return DateOf(y, int(m), d)
}

// asOf resolves the AsOf option.
func (o ReadOptions) asOf() Date {
	if o.AsOf == 0 {
		return Today()
	}
	return o.AsOf
}

// TableReader reads typed rows of one table.
type TableReader[T any] struct {
	schema     *Schema[T]
	src        Source
	fields     Fields
	extraIdx   []int
	extraNames []string
	opts       ReadOptions
	rejects    *rejectWriter
	stats      Stats
}

// NewTableReader checks the source's header against the schema and returns
// a reader of its rows. A missing required column is a *RowError on line 1.
func NewTableReader[T any](src Source, schema *Schema[T], opts ReadOptions) (*TableReader[T], error) {
	header := src.Header()
	pos := make(map[string]int, len(header))
	for i, h := range header {
		if _, dup := pos[h]; dup {
			return nil, &RowError{File: src.Name(), Line: 1, Column: i + 1, Err: ErrDuplicateID, Field: "header", Value: h, Want: "unique column names"}
		}
		pos[h] = i
	}
	for canonical := range opts.Columns {
		known := false
		for _, col := range schema.Columns {
			known = known || col.Name == canonical
		}
		if !known {
			names := make([]string, len(schema.Columns))
			for i, col := range schema.Columns {
				names[i] = col.Name
			}
			return nil, fmt.Errorf("%s: column map %s=%s: the %s table has no column %q (its columns: %s)", src.Name(), canonical,
				opts.Columns[canonical], schema.Table, canonical, strings.Join(names, ", "))
		}
	}
	r := &TableReader[T]{schema: schema, src: src, opts: opts}
	r.fields = Fields{file: src.Name(), index: make([]int, len(schema.Columns)), names: make([]string, len(schema.Columns)), asOf: opts.asOf()}
	used := make([]bool, len(header))
	for c, col := range schema.Columns {
		r.fields.names[c] = col.Name
		name := opts.Columns.name(col.Name)
		i, ok := pos[name]
		if !ok {
			r.fields.index[c] = -1
			if col.Required {
				want := fmt.Sprintf("a column %q (%s)", name, col.Want)
				if name != col.Name {
					want = fmt.Sprintf("a column %q for %s (%s)", name, col.Name, col.Want)
				}
				return nil, &RowError{File: src.Name(), Line: 1, Err: ErrMissingColumn,
					Want: want + "; the header has " + strings.Join(header, ",")}
			}
			continue
		}
		r.fields.index[c] = i
		used[i] = true
	}
	for i, u := range used {
		if !u {
			r.extraIdx = append(r.extraIdx, i)
			r.extraNames = append(r.extraNames, header[i])
		}
	}
	r.stats = Stats{Table: schema.Table, File: src.Name()}
	if opts.Lenient {
		path := opts.RejectsPath
		if path == "" {
			return nil, errors.New("datasets: lenient reading needs a RejectsPath")
		}
		rw, err := newRejectWriter(path, header)
		if err != nil {
			return nil, err
		}
		r.rejects = rw
		r.stats.RejectsFile = path
	}
	return r, nil
}

// OpenTable opens a table file and returns a reader of its rows. In lenient
// mode rejected rows go to "<path>.rejects.csv" unless opts names a file.
func OpenTable[T any](path string, schema *Schema[T], opts ReadOptions) (*TableReader[T], error) {
	src, err := OpenSource(path)
	if err != nil {
		return nil, err
	}
	if opts.Lenient && opts.RejectsPath == "" {
		opts.RejectsPath = path + ".rejects.csv"
	}
	r, err := NewTableReader(src, schema, opts)
	if err != nil {
		src.Close()
		return nil, err
	}
	return r, nil
}

// ExtraColumns names the file's columns that the schema does not know.
func (r *TableReader[T]) ExtraColumns() []string { return r.extraNames }

// EstimateRows guesses the number of rows in the file from its size and
// the bytes per row read so far (0 when it cannot tell), for presizing.
func (r *TableReader[T]) EstimateRows() int {
	size, off := r.src.Size(), r.src.Offset()
	if size <= 0 || off <= 0 || r.stats.Read == 0 {
		return 0
	}
	return int(float64(size) / float64(off) * float64(r.stats.Read) * 1.02)
}

// Stats returns the counts so far.
func (r *TableReader[T]) Stats() Stats { return r.stats }

// Name is the file name.
func (r *TableReader[T]) Name() string { return r.src.Name() }

// Next reads the next valid row into row and returns its line. It returns
// io.EOF at the end. A strict reader returns the first bad row's *RowError;
// a lenient one writes it to the rejects file and moves on.
func (r *TableReader[T]) Next(row *T) (int, error) {
	for {
		rec, line, err := r.src.Next()
		if err == io.EOF {
			return 0, io.EOF
		}
		if r.opts.Progress != nil && r.stats.Read&4095 == 0 {
			r.opts.Progress(r.src.Offset())
		}
		var rowErr *RowError
		if err != nil {
			if !errors.As(err, &rowErr) {
				return 0, err
			}
		} else {
			var zero T
			*row = zero
			r.fields.line, r.fields.record, r.fields.err = line, rec, nil
			r.schema.Parse(&r.fields, row)
			rowErr = r.fields.err
		}
		r.stats.Read++
		if rowErr == nil {
			r.stats.Accepted++
			if r.schema.Extra != nil && len(r.extraIdx) > 0 {
				vals := make([]string, len(r.extraIdx))
				for k, i := range r.extraIdx {
					vals[k] = rec[i]
				}
				r.schema.Extra(row, vals)
			}
			return line, nil
		}
		if err := r.Reject(rowErr, rec); err != nil {
			return 0, err
		}
	}
}

// Reject counts a row as rejected: a strict reader returns err, a lenient one
// writes the row and its reason to the rejects file and returns nil. Callers
// use it for checks that span rows (duplicate ids, unknown persons).
func (r *TableReader[T]) Reject(err *RowError, record []string) error {
	if r.rejects == nil {
		return err
	}
	r.stats.Rejected++
	return r.rejects.write(err, record)
}

// Unaccept moves a row that Next accepted to the rejected count (for checks
// that span rows); in strict mode it returns err.
func (r *TableReader[T]) Unaccept(err *RowError, record []string) error {
	if r.rejects == nil {
		return err
	}
	r.stats.Accepted--
	return r.Reject(err, record)
}

// RejectCurrent rejects the row that Next returned last, for a check that
// spans rows or tables (an unknown person, a duplicate id): col is the
// schema column at fault. A strict reader returns the *RowError; a lenient
// one writes the row to the rejects file, moves it from the accepted to the
// rejected count and returns nil, and the caller drops the row.
func (r *TableReader[T]) RejectCurrent(col int, err error, want string) error {
	r.fields.err = nil
	r.fields.Fail(col, err, want)
	return r.Unaccept(r.fields.err, r.fields.record)
}

// Abort closes the input and discards the rejects file, for a table that
// was not read through.
func (r *TableReader[T]) Abort() {
	if r.rejects != nil {
		r.rejects.abort()
	}
	r.src.Close()
}

// Close closes the input and puts the rejects file in place.
func (r *TableReader[T]) Close() error {
	err := r.src.Close()
	if r.rejects != nil {
		if e := r.rejects.close(); err == nil {
			err = e
		}
	}
	return err
}

// ReadAll reads every row of a table file. Extra holds the names of columns
// the schema does not know.
func ReadAll[T any](path string, schema *Schema[T], opts ReadOptions) (rows []T, extra []string, stats Stats, err error) {
	r, err := OpenTable(path, schema, opts)
	if err != nil {
		return nil, nil, Stats{Table: schema.Table, File: path}, err
	}
	defer r.Close()
	for {
		var row T
		_, err := r.Next(&row)
		if err == io.EOF {
			break
		}
		if err != nil {
			r.Abort()
			return nil, nil, r.Stats(), err
		}
		rows = append(rows, row)
	}
	return rows, r.ExtraColumns(), r.Stats(), r.Close()
}

// rejectWriter writes rejected rows to a temporary file that takes its
// final name only when the table was read to the end (close): a run that
// fails or is killed leaves no half-written rejects file.
type rejectWriter struct {
	f    *atomicfile.File
	w    *csv.Writer
	done bool
}

func newRejectWriter(path string, header []string) (*rejectWriter, error) {
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(f)
	w.Write(append([]string{"line", "column", "field", "value", "reason"}, header...))
	return &rejectWriter{f: f, w: w}, nil
}

func (r *rejectWriter) write(e *RowError, record []string) error {
	row := []string{strconv.Itoa(e.Line), strconv.Itoa(e.Column), e.Field, CSVSafe(e.Value), e.Reason()}
	for _, v := range record {
		row = append(row, CSVSafe(v))
	}
	return r.w.Write(row)
}

// close puts the rejects file in place (once).
func (r *rejectWriter) close() error {
	if r.done {
		return nil
	}
	r.done = true
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		r.f.Abort()
		return err
	}
	return r.f.Commit()
}

// abort discards the rejects file of a table that was not read through.
func (r *rejectWriter) abort() {
	if !r.done {
		r.done = true
		r.f.Abort()
	}
}
