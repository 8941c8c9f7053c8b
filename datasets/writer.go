package datasets

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/screenlab/screenlab/internal/atomicfile"
)

// Kind is the type of a column written by a TableWriter (it matters for
// Parquet; CSV holds text).
type Kind int

const (
	KindString Kind = iota
	KindInt
	KindFloat
	KindDate
	KindBool
)

// ColumnSpec names and types one output column.
type ColumnSpec struct {
	Name string
	Kind Kind
}

// TableWriter writes a table row by row, field by field, to CSV, gzip CSV
// or Parquet (by the file's extension). Files are written to a temporary
// file beside the destination and renamed into place by Close, so a reader
// never sees half a table; Abort removes the temporary file.
//
//	w.String(id); w.Date(d); w.Float(x, 4); err := w.EndRow()
type TableWriter struct {
	cols  []ColumnSpec
	field int
	err   error

	// CSV
	out  *bufio.Writer
	line []byte
	gz   *gzip.Writer

	// Parquet
	pw    *parquet.GenericWriter[any]
	leaf  []int // column -> leaf index
	row   parquet.Row
	batch []parquet.Row

	file *atomicfile.File
	path string // destination; "" for a plain writer
}

// CreateTable creates a table file at path for the columns.
func CreateTable(path string, cols []ColumnSpec) (*TableWriter, error) {
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	w := &TableWriter{cols: cols, file: f, path: path}
	switch format {
	case Parquet:
		group := parquet.Group{}
		for _, c := range cols {
			var node parquet.Node
			switch c.Kind {
			case KindInt:
				node = parquet.Int(64)
			case KindFloat:
				node = parquet.Leaf(parquet.DoubleType)
			case KindDate:
				node = parquet.Date()
			case KindBool:
				node = parquet.Leaf(parquet.BooleanType)
			default:
				node = parquet.String()
			}
			group[c.Name] = parquet.Optional(node)
		}
		schema := parquet.NewSchema(strings.TrimSuffix(filepath.Base(path), ".parquet"), group)
		w.pw = parquet.NewGenericWriter[any](f, schema)
		w.leaf = make([]int, len(cols))
		for i, c := range cols {
			leaf, ok := schema.Lookup(c.Name)
			if !ok {
				f.Abort()
				return nil, fmt.Errorf("datasets: parquet column %s not found", c.Name)
			}
			w.leaf[i] = leaf.ColumnIndex
		}
		w.row = make(parquet.Row, len(cols))
	case CSVGzip:
		w.gz, _ = gzip.NewWriterLevel(f, gzip.DefaultCompression)
		w.out = bufio.NewWriterSize(w.gz, 1<<16)
		w.writeHeader()
	default:
		w.out = bufio.NewWriterSize(f, 1<<16)
		w.writeHeader()
	}
	return w, nil
}

// NewCSVWriter writes CSV to out (Close flushes but does not close out).
func NewCSVWriter(out io.Writer, cols []ColumnSpec) *TableWriter {
	w := &TableWriter{cols: cols, out: bufio.NewWriterSize(out, 1<<16)}
	w.writeHeader()
	return w
}

func (w *TableWriter) writeHeader() {
	for i, c := range w.cols {
		if i > 0 {
			w.line = append(w.line, ',')
		}
		w.line = appendCSVField(w.line, c.Name)
	}
	w.line = append(w.line, '\n')
	_, w.err = w.out.Write(w.line)
	w.line = w.line[:0]
}

func (w *TableWriter) sep() {
	if w.field > 0 && w.out != nil {
		w.line = append(w.line, ',')
	}
}

func (w *TableWriter) put(v parquet.Value) {
	// A parquet.Row lists values in leaf-column order, which for a Group is
	// alphabetical, not the order of the columns given.
	c := w.leaf[w.field]
	if v.IsNull() {
		w.row[c] = v.Level(0, 0, c)
	} else {
		w.row[c] = v.Level(0, 1, c)
	}
	w.field++
}

// String writes a text field ("" is written as null in Parquet).
func (w *TableWriter) String(s string) {
	if w.pw != nil {
		if s == "" {
			w.put(parquet.NullValue())
		} else {
			w.put(parquet.ByteArrayValue([]byte(s)))
		}
		return
	}
	w.sep()
	w.line = appendCSVField(w.line, CSVSafe(s))
	w.field++
}

// Int writes an integer field.
func (w *TableWriter) Int(n int) {
	if w.pw != nil {
		w.put(parquet.Int64Value(int64(n)))
		return
	}
	w.sep()
	w.line = strconv.AppendInt(w.line, int64(n), 10)
	w.field++
}

// Float writes a number with prec decimals (prec < 0: shortest exact form);
// NaN is written as an empty field (null).
func (w *TableWriter) Float(x float64, prec int) {
	if w.pw != nil {
		if math.IsNaN(x) {
			w.put(parquet.NullValue())
		} else {
			if prec >= 0 {
				x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'f', prec, 64), 64)
			}
			w.put(parquet.DoubleValue(x))
		}
		return
	}
	w.sep()
	if !math.IsNaN(x) {
		w.line = strconv.AppendFloat(w.line, x, 'f', prec, 64)
	}
	w.field++
}

// Date writes a date (NoDate as empty / null).
func (w *TableWriter) Date(d Date) {
	if w.pw != nil {
		if d == NoDate {
			w.put(parquet.NullValue())
		} else {
			w.put(parquet.Int32Value(int32(d)))
		}
		return
	}
	w.sep()
	w.line = d.AppendFormat(w.line)
	w.field++
}

// Bool writes 1 or 0.
func (w *TableWriter) Bool(b bool) {
	if w.pw != nil {
		w.put(parquet.BooleanValue(b))
		return
	}
	w.sep()
	if b {
		w.line = append(w.line, '1')
	} else {
		w.line = append(w.line, '0')
	}
	w.field++
}

// Null writes an empty field.
func (w *TableWriter) Null() {
	if w.pw != nil {
		w.put(parquet.NullValue())
		return
	}
	w.sep()
	w.field++
}

// EndRow finishes a row; it checks that every column got a value.
func (w *TableWriter) EndRow() error {
	if w.err != nil {
		return w.err
	}
	if w.field != len(w.cols) {
		return fmt.Errorf("datasets: row has %d fields, table has %d columns", w.field, len(w.cols))
	}
	w.field = 0
	if w.pw != nil {
		w.batch = append(w.batch, append(parquet.Row(nil), w.row...))
		if len(w.batch) >= 4096 {
			return w.flushParquet()
		}
		return nil
	}
	w.line = append(w.line, '\n')
	_, w.err = w.out.Write(w.line)
	w.line = w.line[:0]
	return w.err
}

func (w *TableWriter) flushParquet() error {
	if len(w.batch) == 0 {
		return nil
	}
	_, err := w.pw.WriteRows(w.batch)
	w.batch = w.batch[:0]
	if err != nil {
		w.err = err
	}
	return err
}

// Close flushes the table and, for a file, syncs it and renames it into
// place (see renameio: the fsync makes the rename durable).
func (w *TableWriter) Close() error {
	err := w.err
	if w.pw != nil {
		if e := w.flushParquet(); err == nil {
			err = e
		}
		if e := w.pw.Close(); err == nil {
			err = e
		}
	} else if w.out != nil {
		if e := w.out.Flush(); err == nil {
			err = e
		}
		if w.gz != nil {
			if e := w.gz.Close(); err == nil {
				err = e
			}
		}
	}
	if w.file == nil {
		return err
	}
	if err != nil {
		w.file.Abort()
		return fmt.Errorf("writing %s: %w", w.path, err)
	}
	return w.file.Commit()
}

// Abort discards a file being written.
func (w *TableWriter) Abort() {
	if w.file != nil {
		w.file.Abort()
	}
}

// appendCSVField appends s, quoted when it holds a comma, quote, newline or
// leading space (RFC 4180).
func appendCSVField(b []byte, s string) []byte {
	needs := s != "" && (s[0] == ' ' || s[0] == '\t')
	if !needs {
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case ',', '"', '\n', '\r':
				needs = true
			}
			if needs {
				break
			}
		}
	}
	if !needs {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// WriteTable creates a table at path, lets rows write it, and closes it;
// when rows fails, nothing is left at path (the writer is aborted).
func WriteTable(path string, cols []ColumnSpec, rows func(w *TableWriter) error) error {
	w, err := CreateTable(path, cols)
	if err != nil {
		return err
	}
	if err := rows(w); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// CSVSafe neutralises a text field that a spreadsheet would run as a
// formula (OWASP, "CSV injection"): a value beginning with =, +, -, @, a
// tab or a carriage return that is not a number gets a leading apostrophe,
// which spreadsheets show as text. Numbers (-0.5, +3) are left alone.
func CSVSafe(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, ok := ParseNumber(s); ok {
			return s
		}
		return "'" + s
	}
	return s
}
