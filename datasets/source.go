package datasets

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"golang.org/x/text/encoding/charmap"
)

// Source yields the records of one table file, field by field as text, with
// the line (CSV) or row (Parquet) each came from. Parquet values are turned
// into the same text a CSV file would hold (dates as YYYY-MM-DD), so one
// validation path serves every format.
type Source interface {
	// Name is the file name used in error messages.
	Name() string
	// Header holds the column names in file order.
	Header() []string
	// Next returns the next record and its line. The slice is reused by the
	// following call. At the end it returns io.EOF; a malformed record gives a
	// *RowError (the source can continue after it).
	Next() (record []string, line int, err error)
	// Offset is the number of input bytes consumed so far (compressed bytes
	// for gzip; rows for Parquet), for progress reporting.
	Offset() int64
	// Size is the total that Offset counts towards, or -1 when unknown.
	Size() int64
	Close() error
}

// Format of a table file, from its name.
type Format int

const (
	CSV Format = iota
	CSVGzip
	Parquet
)

// FormatOf returns the format named by a file's extension: .csv, .csv.gz
// (or .gz) or .parquet.
func FormatOf(path string) (Format, error) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".parquet"):
		return Parquet, nil
	case strings.HasSuffix(lower, ".gz"):
		return CSVGzip, nil
	case strings.HasSuffix(lower, ".csv"), strings.HasSuffix(lower, ".txt"):
		return CSV, nil
	}
	return CSV, fmt.Errorf("%s: unknown file type: want .csv, .csv.gz or .parquet", path)
}

// Stdin is the input read for the path "-" (os.Stdin; tests replace it).
var Stdin io.Reader = os.Stdin

// OpenSource opens a table file by its extension; "-" reads CSV (plain or
// gzip, recognised by its first bytes) from standard input.
func OpenSource(path string) (Source, error) {
	if path == "-" {
		br := bufio.NewReaderSize(Stdin, 1<<16)
		var r io.Reader = br
		if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
			zr, err := gzip.NewReader(br)
			if err != nil {
				return nil, fmt.Errorf("standard input: %w", err)
			}
			r = zr
		}
		return NewCSVSource(r, "stdin")
	}
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	switch format {
	case Parquet:
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		s, err := newParquetSource(f, st.Size(), name)
		if err != nil {
			f.Close()
			return nil, err
		}
		return s, nil
	case CSVGzip:
		cr := &countingReader{r: f}
		zr, err := gzip.NewReader(bufio.NewReaderSize(cr, 1<<16))
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s, err := newCSVSource(zr, name, f, cr)
		if err != nil {
			f.Close()
			return nil, err
		}
		s.size = fileSize(f)
		return s, nil
	default:
		cr := &countingReader{r: f}
		s, err := newCSVSource(cr, name, f, cr)
		if err != nil {
			f.Close()
			return nil, err
		}
		s.size, s.plain = fileSize(f), !Latin1.Load() // Latin-1 decoding changes the byte count
		return s, nil
	}
}

// NewCSVSource reads CSV text from r; name is used in error messages.
func NewCSVSource(r io.Reader, name string) (Source, error) {
	cr := &countingReader{r: r}
	return newCSVSource(cr, name, nil, cr)
}

func fileSize(f *os.File) int64 {
	if st, err := f.Stat(); err == nil {
		return st.Size()
	}
	return -1
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type csvSource struct {
	size    int64
	plain   bool // Offset counts the bytes of the file exactly
	name    string
	r       *recordReader
	header  []string
	closer  io.Closer
	counter *countingReader
	text    string // the last record's text
}

// ErrEncoding is wrapped when a file is not UTF-8 CSV text.
var ErrEncoding = errors.New("not UTF-8 CSV text")

// checkEncoding looks at the start of a CSV file: a UTF-8 byte-order mark
// is skipped; UTF-16 (a byte-order mark or NUL bytes) and lines ended by a
// carriage return alone are named rather than read as one long garbled
// header.
func checkEncoding(br *bufio.Reader, name string) error {
	head, _ := br.Peek(1 << 16)
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		br.Discard(3)
		return nil
	case bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")) || bytes.IndexByte(head, 0) >= 0:
		return &RowError{File: name, Line: 1, Err: ErrEncoding, Want: "UTF-8 text; the file is UTF-16 or binary (save it as UTF-8 CSV)"}
	case bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0:
		return &RowError{File: name, Line: 1, Err: ErrEncoding, Want: "lines ended by LF or CRLF; they end in CR alone (an old Mac format: convert the line endings)"}
	}
	return nil
}

// Delimiter is the field separator of CSV input (screenlab --delim; ';'
// is what a spreadsheet in a comma-decimal locale writes). Zero is ','.
var Delimiter atomic.Int32

func delimiter() byte {
	if d := Delimiter.Load(); d > 0 && d < 128 {
		return byte(d)
	}
	return ','
}

// SetInputFormat sets Delimiter and Latin1 from their names (screenlab
// --delim and --encoding): one character or "tab"; "utf-8" or "latin1".
func SetInputFormat(delim, encoding string) error {
	switch d := delim; {
	case d == "tab" || d == `\t` || d == "\t":
		Delimiter.Store('\t')
	case len(d) == 1 && d != `"` && d != "\n" && d != "\r":
		Delimiter.Store(int32(d[0]))
	default:
		return fmt.Errorf("--delim %q: want one character such as ; or tab", delim)
	}
	switch strings.ToLower(encoding) {
	case "utf-8", "utf8":
		Latin1.Store(false)
	case "latin1", "latin-1", "iso-8859-1":
		Latin1.Store(true)
	default:
		return fmt.Errorf("--encoding %q: want utf-8 or latin1", encoding)
	}
	return nil
}

// Latin1 makes CSV input read as ISO 8859-1 (Latin-1, as older registry
// exports are) rather than UTF-8: every byte is its own character
// (screenlab --encoding latin1).
var Latin1 atomic.Bool

func newCSVSource(r io.Reader, name string, closer io.Closer, counter *countingReader) (*csvSource, error) {
	if Latin1.Load() {
		r = charmap.ISO8859_1.NewDecoder().Reader(r)
	}
	br := bufio.NewReaderSize(r, 1<<18)
	if err := checkEncoding(br, name); err != nil {
		return nil, err
	}
	rr := &recordReader{br: br, delim: delimiter()}
	header, _, _, err := rr.next()
	if err == io.EOF {
		return nil, &RowError{File: name, Line: 1, Err: ErrMissingColumn, Want: "a header row"}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	header = append([]string(nil), header...)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // a UTF-8 byte-order mark
	}
	for i, h := range header {
		if !utf8.ValidString(h) {
			return nil, &RowError{File: name, Line: 1, Column: i + 1, Field: "header", Value: h, Err: ErrEncoding, Want: "UTF-8 text (this looks like Latin-1 or another 8-bit encoding: save the file as UTF-8, or read it with --encoding latin1)"}
		}
	}
	for i := range header {
		header[i] = strings.TrimSpace(header[i])
	}
	rr.want = len(header)
	return &csvSource{name: name, r: rr, header: header, closer: closer, counter: counter, size: -1}, nil
}

func (s *csvSource) Name() string     { return s.name }
func (s *csvSource) Header() []string { return s.header }
func (s *csvSource) Offset() int64 {
	if s.plain {
		return s.r.offset
	}
	return s.counter.n
}
func (s *csvSource) Size() int64 { return s.size }

// borrowRecords lets Next return fields that are views of the read
// buffer, valid until the next call (readFrame copies what it keeps).
func (s *csvSource) borrowRecords() { s.r.borrow = true }

// firstFields lets Next return only the first n fields of a record (the
// count and the encoding are still checked on the whole record).
func (s *csvSource) firstFields(n int) { s.r.limit = n }

func (s *csvSource) Next() ([]string, int, error) {
	rec, line, text, err := s.r.next()
	s.text = text
	if err != nil {
		if err == io.EOF {
			return nil, 0, io.EOF
		}
		var re *recordError
		if errors.As(err, &re) {
			return nil, line, &RowError{File: s.name, Line: re.line, Column: re.column, Err: &syntaxError{re.msg}, Value: text}
		}
		return nil, 0, fmt.Errorf("%s: %w", s.name, err)
	}
	if s.r.count != len(s.header) {
		return rec, line, &RowError{File: s.name, Line: line, Err: ErrFieldCount,
			Want: fmt.Sprintf("%d fields as in the header, got %d", len(s.header), s.r.count)}
	}
	if utf8.ValidString(text) { // the whole record at once; a field only to name it
		return rec, line, nil
	}
	all := rec
	if len(rec) < s.r.count { // split only in part (firstFields): a plain record
		all = splitPlain(nil, text, s.r.delim)
	}
	for i, f := range all {
		if !utf8.ValidString(f) {
			return rec, line, &RowError{File: s.name, Line: line, Column: i + 1, Err: ErrEncoding,
				Want: "UTF-8 text (this looks like Latin-1 or another 8-bit encoding: save the file as UTF-8, or read it with --encoding latin1)"}
		}
	}
	return rec, line, nil
}

// syntaxError is ErrSyntax with what is wrong.
type syntaxError struct{ msg string }

func (e *syntaxError) Error() string { return e.msg }
func (e *syntaxError) Unwrap() error { return ErrSyntax }

func csvError(name string, err error) error {
	var re *recordError
	if errors.As(err, &re) {
		return &RowError{File: name, Line: re.line, Column: re.column, Err: &syntaxError{re.msg}}
	}
	return fmt.Errorf("%s: %w", name, err)
}

func (s *csvSource) Close() error {
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}

type parquetSource struct {
	name   string
	file   *os.File
	pf     *parquet.File
	groups []parquet.RowGroup
	rows   parquet.Rows // of the current row group
	header []string
	kinds  []int64 // the kind of each column: plainValue, dateValue or a timestamp unit per day
	buf    []parquet.Row
	pos, n int
	rowNum int
	record []string
}

func newParquetSource(f *os.File, size int64, name string) (*parquetSource, error) {
	pf, err := parquet.OpenFile(f, size)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable Parquet file: %w", name, err)
	}
	schema := pf.Schema()
	cols := schema.Columns()
	s := &parquetSource{name: name, file: f, pf: pf, groups: pf.RowGroups(), buf: make([]parquet.Row, 256)}
	for _, path := range cols {
		if len(path) != 1 {
			return nil, fmt.Errorf("%s: nested column %s: want a flat table", name, strings.Join(path, "."))
		}
		leaf, _ := schema.Lookup(path...)
		lt := leaf.Node.Type().LogicalType()
		s.header = append(s.header, path[0])
		kind := int64(plainValue)
		switch {
		case lt != nil && lt.Date != nil:
			kind = dateValue
		case lt != nil && lt.Timestamp != nil && lt.Timestamp.Unit.Millis != nil:
			kind = millisValue
		case lt != nil && lt.Timestamp != nil && lt.Timestamp.Unit.Micros != nil:
			kind = microsValue
		case lt != nil && lt.Timestamp != nil && lt.Timestamp.Unit.Nanos != nil:
			kind = nanosValue
		}
		s.kinds = append(s.kinds, kind)
	}
	s.record = make([]string, len(s.header))
	return s, nil
}

func (s *parquetSource) Name() string     { return s.name }
func (s *parquetSource) Header() []string { return s.header }
func (s *parquetSource) Offset() int64    { return int64(s.rowNum) }
func (s *parquetSource) Size() int64      { return s.pf.NumRows() }

func (s *parquetSource) Next() ([]string, int, error) {
	for s.pos >= s.n {
		if s.rows == nil {
			if len(s.groups) == 0 {
				return nil, 0, io.EOF
			}
			s.rows = s.groups[0].Rows()
			s.groups = s.groups[1:]
		}
		n, err := s.rows.ReadRows(s.buf)
		if err != nil && err != io.EOF {
			return nil, 0, fmt.Errorf("%s: row %d: %w", s.name, s.rowNum+1, err)
		}
		if n == 0 || err == io.EOF {
			s.rows.Close()
			s.rows = nil
		}
		s.pos, s.n = 0, n
	}
	row := s.buf[s.pos]
	s.pos++
	s.rowNum++
	for i := range s.record {
		s.record[i] = ""
	}
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(s.record) || v.IsNull() {
			continue
		}
		s.record[c] = s.valueText(v, s.kinds[c])
	}
	return s.record, s.rowNum, nil
}

// Kinds of Parquet values that are dates or times (logical types).
const (
	plainValue  = 0
	dateValue   = 1 // DATE: days since 1970-01-01
	millisValue = 86_400_000
	microsValue = 86_400_000_000
	nanosValue  = 86_400_000_000_000
)

// timestampText writes a TIMESTAMP (units since 1970-01-01 UTC, perDay a
// day) as YYYY-MM-DD at midnight, else YYYY-MM-DDTHH:MM:SS (which a date
// column refuses, naming the time of day).
func timestampText(v, perDay int64) string {
	days := v / perDay
	rem := v - days*perDay
	if rem < 0 {
		days, rem = days-1, rem+perDay
	}
	d := Date(days).String()
	if rem == 0 {
		return d
	}
	sec := rem / (perDay / 86400)
	return fmt.Sprintf("%sT%02d:%02d:%02d", d, sec/3600, sec/60%60, sec%60)
}

func (s *parquetSource) valueText(v parquet.Value, kind int64) string {
	isDate := kind == dateValue
	switch v.Kind() {
	case parquet.Boolean:
		if v.Boolean() {
			return "1"
		}
		return "0"
	case parquet.Int32:
		if isDate {
			return Date(v.Int32()).String()
		}
		return strconv.FormatInt(int64(v.Int32()), 10)
	case parquet.Int64:
		if kind >= millisValue {
			return timestampText(v.Int64(), kind)
		}
		return strconv.FormatInt(v.Int64(), 10)
	case parquet.Int96:
		// A legacy (Spark, Impala) timestamp: nanoseconds of the day and
		// the Julian day.
		w := v.Int96()
		nanos := int64(w[1])<<32 | int64(w[0])
		return timestampText((int64(w[2])-2440588)*nanosValue+nanos, nanosValue)
	case parquet.Float:
		return strconv.FormatFloat(float64(v.Float()), 'g', -1, 32)
	case parquet.Double:
		return strconv.FormatFloat(v.Double(), 'g', -1, 64)
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return string(v.ByteArray())
	}
	return v.String()
}

func (s *parquetSource) Close() error {
	if s.rows != nil {
		s.rows.Close()
	}
	return s.file.Close()
}
