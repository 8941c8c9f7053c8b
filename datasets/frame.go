package datasets

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

// Frame is a table read as text, column by column, for analyses whose
// columns the user names (survival, incidence, evaluation). Values are
// checked when a column is asked for in a type, so that an error names the
// file, line and column of the bad value.
//
// Each loaded column is held as one string with offsets (no pointer per
// value), so a frame of millions of rows costs the garbage collector little.
type Frame struct {
	File   string
	Header []string
	rows   rowLines
	index  map[string]int
	cols   map[string]*column
}

// rowLines is the line (CSV) or row number (Parquet) of each row: first+r
// for row r while every record is one line, which costs no memory; an
// explicit list once one is not (a record spanning lines, rows left out).
type rowLines struct {
	n, first int
	lines    []int // nil while consecutive
}

func (l *rowLines) line(r int) int {
	if l.lines != nil {
		return l.lines[r]
	}
	return l.first + r
}

// add appends the row at line.
func (l *rowLines) add(line int) {
	switch {
	case l.lines != nil:
		l.lines = append(l.lines, line)
	case l.n == 0:
		l.first = line
	case line != l.first+l.n:
		l.lines = make([]int, l.n, l.n+1024)
		for r := range l.lines {
			l.lines[r] = l.first + r
		}
		l.lines = append(l.lines, line)
	}
	l.n++
}

// Line returns the line of the file (CSV) or the row number (Parquet,
// from 1) that row r came from.
func (f *Frame) Line(r int) int { return f.rows.line(r) }

type column struct {
	data string
	off  []uint32 // value i is data[off[i]:off[i+1]]
	// nums holds a numeric column as numbers instead of text (a Parquet
	// one, or a CSV column read with ReadFrameNumbers): value i is nums[i]
	// written as the row reader writes it ("" where null[i]); finite says
	// every value is a number Floats can hand over.
	nums   []float64
	null   []bool // nil when no value is null
	bits   int    // 0: integers; 32 or 64: floating point of that size
	finite bool
	// numbers says every value is a finite number or null (a CSV column
	// read as numbers), which Floats hands over as they are.
	numbers bool
}

// len is the number of values.
func (c *column) len() int {
	if c.nums != nil {
		return len(c.nums)
	}
	return len(c.off) - 1
}

func (c *column) value(i int) string {
	if c.nums != nil {
		return c.numText(i)
	}
	return c.data[c.off[i]:c.off[i+1]]
}

// numText writes value i of a numeric column as parquetSource.valueText
// writes the Parquet value.
func (c *column) numText(i int) string {
	switch {
	case c.null != nil && c.null[i]:
		return ""
	case c.bits == 0:
		return strconv.FormatInt(int64(c.nums[i]), 10)
	}
	return strconv.FormatFloat(c.nums[i], 'g', -1, c.bits)
}

// ReadFrame reads every column of a table file.
func ReadFrame(path string) (*Frame, error) { return ReadFrameColumns(path) }

// ReadFrameColumns reads the named columns of a table file (every column
// when none is named). A named column missing from the file is an error
// that lists the header.
func ReadFrameColumns(path string, names ...string) (*Frame, error) {
	src, err := OpenSource(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return readFrame(src, names)
}

// ReadFrameFrom reads CSV text; name is used in messages.
func ReadFrameFrom(r io.Reader, name string, names ...string) (*Frame, error) {
	src, err := NewCSVSource(r, name)
	if err != nil {
		return nil, err
	}
	return readFrame(src, names)
}

// ReadFrameNumbers is ReadFrameColumns for the columns numbers and text,
// where the columns in numbers are parsed while reading and held as
// numbers (8 bytes a value, rather than their text and its offset; a
// million-row model's covariates take half the memory), for a caller that
// reads them with Floats. A numbers column with a value that is not a
// number (ParseNumber) is read again as text, so that Floats, Strings and
// NumericOrText answer as for ReadFrameColumns; so is every column of
// standard input, which cannot be read twice. Strings of a numbers column
// are its numbers formatted (strconv 'g'), as for Parquet; an empty or NA
// value reads as "".
func ReadFrameNumbers(path string, numbers []string, text ...string) (*Frame, error) {
	src, err := OpenSource(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if path == "-" {
		return readFrame(src, append(slices.Clone(text), numbers...))
	}
	return readFrameAs(src, text, numbers, func() (Source, error) { return OpenSource(path) })
}

func readFrame(src Source, names []string) (*Frame, error) { return readFrameAs(src, names, nil, nil) }

// readFrameAs reads the columns names as text and numbers as numbers;
// reopen reads the source again for a numbers column that is text.
func readFrameAs(src Source, names, numbers []string, reopen func() (Source, error)) (*Frame, error) {
	f := &Frame{File: src.Name(), Header: src.Header(), index: map[string]int{}, cols: map[string]*column{}}
	for i, h := range f.Header {
		if _, dup := f.index[h]; dup {
			return nil, &RowError{File: f.File, Line: 1, Column: i + 1, Field: "header", Value: h, Err: ErrDuplicateID, Want: "unique column names"}
		}
		f.index[h] = i
	}
	if len(names) == 0 && len(numbers) == 0 {
		names = f.Header
	}
	// Each column's text goes into one builder, grown once to the size the
	// first rows predict (so a million-row read does not copy a column as
	// it grows) and handed over without a copy.
	if ps, ok := src.(*parquetSource); ok {
		return readParquetFrame(ps, f, append(slices.Clone(names), numbers...))
	}
	if b, ok := src.(interface{ borrowRecords() }); ok {
		b.borrowRecords() // every kept value is copied into its column
	}
	var load []*building
	seen := map[string]bool{}
	for k, n := range append(slices.Clone(names), numbers...) {
		if seen[n] {
			continue
		}
		seen[n] = true
		i, ok := f.index[n]
		if !ok {
			return nil, f.missing(n)
		}
		if k >= len(names) {
			load = append(load, &building{pos: i, num: true})
			continue
		}
		load = append(load, &building{pos: i, off: []uint32{0}})
	}
	if l, ok := src.(interface{ firstFields(int) }); ok && len(load) > 0 {
		last := 0
		for _, b := range load {
			last = max(last, b.pos)
		}
		l.firstFields(last + 1) // the columns after the last one read are not split
	}
	// Room for the rows the first ones predict, once, at row 1024.
	reserve := func(grow float64) {
		if grow <= 1 || grow >= 1<<21 {
			return
		}
		more := int(float64(f.rows.n) * (grow - 1))
		for _, b := range load {
			if b.num {
				b.nums = slices.Grow(b.nums, more)
				continue
			}
			b.off = slices.Grow(b.off, more)
			b.sb.Grow(int(float64(b.sb.Len()) * (grow - 1)))
		}
	}
	parse := 0
	for _, b := range load {
		if b.num {
			parse++
		}
	}
	if parse < 4 || runtime.GOMAXPROCS(0) < 2 {
		// Little to parse: one goroutine (a second would cost more in
		// copying and handing over than it saves).
		for {
			rec, line, err := src.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if f.rows.n == 1024 {
				reserve(expectedGrowth(src))
			}
			for _, b := range load {
				if err := b.add(rec[b.pos]); err != nil {
					return nil, fmt.Errorf("%s: column %s %w", f.File, f.Header[b.pos], err)
				}
			}
			f.rows.add(line)
		}
	} else if err := readPipelined(src, f, load, reserve); err != nil {
		return nil, err
	}
	var again []string
	for _, b := range load {
		switch {
		case b.notNums:
			again = append(again, f.Header[b.pos])
		case b.num:
			f.cols[f.Header[b.pos]] = &column{nums: b.nums, null: b.null, bits: 64, finite: b.null == nil, numbers: true}
		default:
			f.cols[f.Header[b.pos]] = &column{data: b.sb.String(), off: b.off}
		}
	}
	if len(again) > 0 {
		// Columns that are not all numbers: their text, from a second read.
		src2, err := reopen()
		if err != nil {
			return nil, err
		}
		defer src2.Close()
		g, err := readFrame(src2, again)
		if err != nil {
			return nil, err
		}
		if g.rows.n != f.rows.n {
			return nil, fmt.Errorf("%s: the file changed while it was read (%d rows, then %d)", f.File, f.rows.n, g.rows.n)
		}
		maps.Copy(f.cols, g.cols)
	}
	return f, nil
}

// readPipelined reads the records of src into the columns load: records
// are split on this goroutine and their values stored on another (parsing
// numbers, copying text), in batches, which pays where there are many
// numbers to parse (a model's covariates).
func readPipelined(src Source, f *Frame, load []*building, reserve func(grow float64)) error {
	type batch struct {
		buf   []byte   // the batch's values, one after another
		ends  []uint32 // where each value ends in buf, len(load) a row
		lines []int
		grow  float64 // on the batch that holds row 1024: expectedGrowth
	}
	batches, free := make(chan *batch, 4), make(chan *batch, 6)
	for range cap(free) {
		free <- &batch{}
	}
	store := func(buf []byte, ends []uint32, lines []int, grow float64) error {
		at, e := 0, 0
		for _, line := range lines {
			if f.rows.n == 1024 {
				reserve(grow)
			}
			for _, b := range load {
				end := int(ends[e])
				v := unsafe.String(unsafe.SliceData(buf[at:]), end-at)
				at, e = end, e+1
				if err := b.add(v); err != nil {
					return fmt.Errorf("%s: column %s %w", f.File, f.Header[b.pos], err)
				}
			}
			f.rows.add(line)
		}
		return nil
	}
	var storeErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		for bt := range batches {
			if storeErr == nil {
				storeErr = store(bt.buf, bt.ends, bt.lines, bt.grow)
			}
			free <- bt
		}
	}()
	const batchRows = 4096
	bt := <-free
	var readErr error
	rows := 0
	for {
		rec, line, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		for _, b := range load {
			bt.buf = append(bt.buf, rec[b.pos]...)
			bt.ends = append(bt.ends, uint32(len(bt.buf)))
		}
		bt.lines = append(bt.lines, line)
		if rows++; rows == 1024 {
			bt.grow = expectedGrowth(src)
		}
		if len(bt.lines) == batchRows || len(bt.buf) > 1<<20 {
			batches <- bt
			bt = <-free
			bt.buf, bt.ends, bt.lines, bt.grow = bt.buf[:0], bt.ends[:0], bt.lines[:0], 0
		}
	}
	batches <- bt
	close(batches)
	<-done
	if readErr != nil {
		return readErr
	}
	return storeErr
}

// building is a column being read: its text in one builder, grown once to
// the size the first rows predict (so a million-row read does not copy a
// column as it grows) and handed over without a copy; or, for a numbers
// column, its values, which were missing (nil while none is), and whether
// one was not a number (the column is then read again as text).
type building struct {
	pos     int
	sb      strings.Builder
	off     []uint32
	num     bool
	nums    []float64
	null    []bool
	notNums bool
}

// add stores the next row's value.
func (b *building) add(v string) error {
	switch {
	case b.num:
		missing := v == "" || v == "NA"
		x, ok := 0.0, true
		if !missing {
			x, ok = ParseNumber(v)
		}
		if !ok {
			b.num, b.notNums, b.nums, b.null = false, true, nil, nil
			return nil
		}
		if missing && b.null == nil {
			b.null = make([]bool, len(b.nums), cap(b.nums))
		}
		b.nums = append(b.nums, x)
		if b.null != nil {
			b.null = append(b.null, missing)
		}
	case !b.notNums:
		b.sb.WriteString(v)
		if b.sb.Len() > math.MaxUint32 {
			return errors.New("holds more than 4 GB of text")
		}
		b.off = append(b.off, uint32(b.sb.Len()))
	}
	return nil
}

// expectedGrowth is how many times the rows read so far the whole source
// will hold, estimated from the bytes they took (5% spare); 0 when the
// size is unknown.
func expectedGrowth(src Source) float64 {
	size, off := src.Size(), src.Offset()
	if size <= 0 || off <= 0 {
		return 0
	}
	return float64(size) / float64(off) * 1.05
}

// Release drops the text of loaded columns a caller has parsed and no
// longer needs (the rows' lines stay, for messages), so that a large fit
// does not hold the text of its inputs.
func (f *Frame) Release(names ...string) {
	for _, n := range names {
		delete(f.cols, n)
	}
}

func (f *Frame) missing(name string) *RowError {
	return &RowError{File: f.File, Line: 1, Err: ErrMissingColumn,
		Want: fmt.Sprintf("a column %q; the header has %s", name, strings.Join(f.Header, ","))}
}

func (f *Frame) col(name string) (*column, error) {
	c, ok := f.cols[name]
	if !ok {
		if _, inFile := f.index[name]; inFile {
			return nil, fmt.Errorf("datasets: column %s was not loaded", name)
		}
		return nil, f.missing(name)
	}
	return c, nil
}

// Len is the number of rows.
func (f *Frame) Len() int { return f.rows.n }

// Has reports whether the frame has (and loaded) a column.
func (f *Frame) Has(name string) bool { _, ok := f.cols[name]; return ok }

// Strings returns a column's text.
func (f *Frame) Strings(name string) ([]string, error) {
	c, err := f.col(name)
	if err != nil {
		return nil, err
	}
	out := make([]string, c.len())
	for i := range out {
		out[i] = c.value(i)
	}
	return out, nil
}

// Fail returns a *RowError for row r of a column.
func (f *Frame) Fail(name string, r int, err error, want string) *RowError {
	value := ""
	if c, ok := f.cols[name]; ok && r < c.len() {
		value = c.value(r)
	}
	line := 0
	if r >= 0 && r < f.rows.n {
		line = f.rows.line(r)
	}
	return &RowError{File: f.File, Line: line, Column: f.index[name] + 1, Field: name, Value: value, Want: want, Err: err}
}

// Floats returns a column as numbers. An empty field (or NA) is an error
// unless allowMissing, when it gives NaN.
func (f *Frame) Floats(name string, allowMissing bool) ([]float64, error) {
	c, err := f.col(name)
	if err != nil {
		return nil, err
	}
	if c.finite && c.nums != nil { // Parquet numbers: nothing to parse
		return slices.Clone(c.nums), nil
	}
	out := make([]float64, c.len())
	if err := f.FloatsInto(name, allowMissing, out, 1); err != nil {
		return nil, err
	}
	return out, nil
}

// TakeFloats is Floats for a caller that needs the column no further as
// text: a column held as numbers is handed over without a copy, and the
// column is released from the frame either way (Release).
func (f *Frame) TakeFloats(name string, allowMissing bool) ([]float64, error) {
	c, err := f.col(name)
	if err != nil {
		return nil, err
	}
	if !(c.nums != nil && c.numbers && c.null == nil) {
		xs, err := f.Floats(name, allowMissing)
		if err == nil {
			f.Release(name)
		}
		return xs, err
	}
	f.Release(name)
	return c.nums, nil
}

// FloatsInto is Floats writing row r's number to dst[r*stride], for a
// caller filling a column of a row-major matrix without a copy of it; dst
// must hold (Len()−1)*stride+1 values.
func (f *Frame) FloatsInto(name string, allowMissing bool, dst []float64, stride int) error {
	c, err := f.col(name)
	if err != nil {
		return err
	}
	n := c.len()
	if n == 0 {
		return nil
	}
	if stride < 1 || len(dst) < (n-1)*stride+1 {
		return fmt.Errorf("datasets: FloatsInto %s: %d values do not fit %d rows at stride %d", name, len(dst), n, stride)
	}
	if c.nums != nil && (c.finite || c.numbers) {
		// Numbers: hand them over (a CSV numbers column holds only finite
		// numbers and missing values).
		for r, x := range c.nums {
			if c.null != nil && c.null[r] {
				if !allowMissing {
					return f.Fail(name, r, ErrRequired, "a number (missing values are not allowed here; --missing drop leaves such rows out)")
				}
				x = math.NaN()
			}
			dst[r*stride] = x
		}
		return nil
	}
	for r := range n {
		s := c.value(r)
		if s == "" || s == "NA" {
			if !allowMissing {
				return f.Fail(name, r, ErrRequired, "a number (missing values are not allowed here; --missing drop leaves such rows out)")
			}
			dst[r*stride] = math.NaN()
			continue
		}
		x, ok := ParseNumber(s)
		if !ok {
			return f.Fail(name, r, ErrBadNumber, "a number")
		}
		dst[r*stride] = x
	}
	return nil
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// ParseNumber parses a finite decimal number. Plain decimals of at most 15
// significant digits ("-12.5", "3650") take Clinger's (1990) fast path: the
// integer mantissa and the power of ten are exact doubles, so one division
// rounds correctly, the same result strconv.ParseFloat gives. Anything else
// goes to strconv.ParseFloat.
func ParseNumber(s string) (float64, bool) {
	i, neg := 0, false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var mant uint64
	digits, frac := 0, 0
	seenDot, any := false, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			any = true
			if mant == 0 && c == '0' {
				// A leading zero adds no digit ("0.0126" is 126/10⁴).
				if seenDot {
					frac++
				}
				continue
			}
			if i+8 <= len(s) && digits+8 <= 19 {
				// Eight digits at once where there are eight (Lemire's
				// SWAR parse; 19 digits still fit a uint64).
				if v, ok := eightDigits(s[i:]); ok {
					mant = mant*100000000 + v
					digits += 8
					if seenDot {
						frac += 8
					}
					i += 7
					continue
				}
			}
			mant = mant*10 + uint64(c-'0')
			digits++
			if seenDot {
				frac++
			}
		case c == '.' && !seenDot:
			seenDot = true
		default:
			return slowNumber(s)
		}
	}
	if !any || digits > 15 || frac > 22 {
		return slowNumber(s)
	}
	x := float64(mant) / pow10[frac]
	if neg {
		x = -x
	}
	return x, true
}

// eightDigits parses s[:8] when it is eight ASCII digits.
func eightDigits(s string) (uint64, bool) {
	v := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s), 8))
	if (v&0xF0F0F0F0F0F0F0F0)|(((v+0x0606060606060606)&0xF0F0F0F0F0F0F0F0)>>4) != 0x3333333333333333 {
		return 0, false
	}
	v -= 0x3030303030303030
	v = v*10 + v>>8
	v = ((v&0x000000FF000000FF)*(100+(1000000<<32)) + ((v>>16)&0x000000FF000000FF)*(1+(10000<<32))) >> 32
	return v, true
}

func slowNumber(s string) (float64, bool) {
	// Decimal notation only: Go's ParseFloat would also take 1_0 and
	// hexadecimal 0x1p-2, which no registry file means as numbers.
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return 0, false
		}
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return 0, false
	}
	return x, true
}

// Dates returns a column of YYYY-MM-DD dates.
func (f *Frame) Dates(name string) ([]Date, error) {
	c, err := f.col(name)
	if err != nil {
		return nil, err
	}
	out := make([]Date, c.len())
	for r := range out {
		d, err := ParseDate(c.value(r))
		if err != nil || d == NoDate {
			return nil, f.Fail(name, r, ErrBadDate, "a date YYYY-MM-DD")
		}
		out[r] = d
	}
	return out, nil
}

// Missing counts the rows DropMissing left out, in all and per column (a
// row missing two values counts for both).
type Missing struct {
	Dropped  int            `json:"dropped"`
	ByColumn map[string]int `json:"by_column,omitempty"`
}

// String says what was dropped: "14 rows with a missing value (wt_loss 14)".
func (m Missing) String() string {
	names := make([]string, 0, len(m.ByColumn))
	for k := range m.ByColumn {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%s %d", k, m.ByColumn[k])
	}
	return fmt.Sprintf("%d rows with a missing value (%s)", m.Dropped, strings.Join(parts, ", "))
}

// DropMissing returns the frame without the rows where any of cols is
// missing (empty or NA), as R's na.omit on the model's variables, and what
// it left out. Row lines stay those of the file.
func (f *Frame) DropMissing(cols ...string) (*Frame, Missing, error) {
	m := Missing{ByColumn: map[string]int{}}
	var keep []int
	for r := range f.rows.n {
		ok := true
		for _, name := range cols {
			c, err := f.col(name)
			if err != nil {
				return nil, m, err
			}
			if s := c.value(r); s == "" || s == "NA" {
				m.ByColumn[name]++
				ok = false
			}
		}
		if ok {
			keep = append(keep, r)
		}
	}
	m.Dropped = f.rows.n - len(keep)
	if m.Dropped == 0 {
		return f, m, nil
	}
	out := &Frame{File: f.File, Header: f.Header, index: f.index, cols: map[string]*column{}}
	for _, r := range keep {
		out.rows.add(f.rows.line(r))
	}
	for name, c := range f.cols {
		var b strings.Builder
		off := make([]uint32, 0, len(keep)+1)
		off = append(off, 0)
		for _, r := range keep {
			b.WriteString(c.value(r))
			off = append(off, uint32(b.Len()))
		}
		out.cols[name] = &column{data: b.String(), off: off}
	}
	return out, m, nil
}

// NumericOrText says whether a column is numbers (every non-empty value
// parses as one) or text, for a covariate's kind. A column of numbers with
// a few values that are not (at least half of its values numbers) is an
// error naming the first such value by file, line and column: a typo must
// not turn a numeric covariate into a category with a level per value.
func (f *Frame) NumericOrText(name string) (numeric bool, err error) {
	c, err := f.col(name)
	if err != nil {
		return false, err
	}
	if c.numbers {
		return true, nil // read as numbers: every value is one or missing
	}
	n, k, first := 0, 0, -1
	for r := 0; r < c.len(); r++ {
		s := c.value(r)
		if s == "" || s == "NA" {
			continue
		}
		n++
		if _, ok := ParseNumber(s); ok {
			k++
		} else if first < 0 {
			first = r
		}
	}
	switch {
	case k == n:
		return true, nil
	case 2*k >= n:
		return false, f.Fail(name, first, ErrBadNumber, fmt.Sprintf("a number, as %d of the column's %d values are (if the column is a category, declare it categorical)", k, n))
	}
	return false, nil
}

// FrameOf makes a frame from rows of text in memory (rows[r][c] is column
// header[c] of row r), as if read from a CSV file called name: row r is
// line r+2.
func FrameOf(name string, header []string, rows [][]string) (*Frame, error) {
	f := &Frame{File: name, Header: header, index: map[string]int{}, cols: map[string]*column{}}
	for i, h := range header {
		if _, dup := f.index[h]; dup {
			return nil, &RowError{File: name, Line: 1, Column: i + 1, Field: "header", Value: h, Err: ErrDuplicateID, Want: "unique column names"}
		}
		f.index[h] = i
	}
	for c, h := range header {
		var buf []byte
		off := make([]uint32, 1, len(rows)+1)
		for _, row := range rows {
			buf = append(buf, row[c]...)
			if len(buf) > math.MaxUint32 {
				return nil, fmt.Errorf("%s: column %s holds more than 4 GB of text", name, h)
			}
			off = append(off, uint32(len(buf)))
		}
		f.cols[h] = &column{data: string(buf), off: off}
	}
	f.rows = rowLines{n: len(rows), first: 2}
	return f, nil
}

// SetStrings adds (or replaces) a text column computed from others, e.g.
// a key of several grouping columns; values must have one per row.
func (f *Frame) SetStrings(name string, values []string) error {
	if len(values) != f.rows.n {
		return fmt.Errorf("datasets: column %s has %d values for %d rows", name, len(values), f.rows.n)
	}
	var buf []byte
	off := make([]uint32, 1, len(values)+1)
	for _, v := range values {
		buf = append(buf, v...)
		if len(buf) > math.MaxUint32 {
			return fmt.Errorf("%s: column %s holds more than 4 GB of text", f.File, name)
		}
		off = append(off, uint32(len(buf)))
	}
	if _, ok := f.index[name]; !ok {
		f.index[name] = len(f.Header)
		f.Header = append(f.Header, name)
	}
	f.cols[name] = &column{data: string(buf), off: off}
	return nil
}
