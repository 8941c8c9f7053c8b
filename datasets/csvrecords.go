package datasets

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// recordReader splits CSV text (RFC 4180) into records itself, rather than
// with encoding/csv, so that one broken record costs that record alone: a
// record is physical lines up to the one where its quotes balance; a quote
// that does not close within maxRecordLines lines, maxRecordBytes bytes or
// the end of the file makes the record its first line only (a reject
// naming the line and the character column where the quoted field began),
// and reading goes on at the next line — encoding/csv would read the rest
// of the file into that field. Every record comes with its text, for the
// rejects file.
type recordReader struct {
	br      *bufio.Reader
	line    int      // physical lines consumed
	pending []string // lines pushed back after a broken record
	offset  int64    // bytes consumed
	eof     bool
	want    int      // fields per record (the header's), once known
	fields  []string // reused
	delim   byte     // the field separator
	// borrow makes a plain record's text a view of the read buffer, valid
	// until the next call, instead of a copy (for a reader that copies
	// what it keeps, such as a Frame).
	borrow bool
	// limit, when positive, splits a plain record only into its first
	// limit fields (a reader that needs only those); count is then the
	// record's number of fields, counted from its separators.
	limit, count int
}

const (
	maxRecordLines = 1000
	maxRecordBytes = 1 << 20
)

// recordError is a malformed record: where and why.
type recordError struct {
	line, column int // 1-based; column in characters
	msg          string
}

func (e *recordError) Error() string { return e.msg }

// physical returns the next physical line with its newline, or io.EOF.
// The bytes are valid until the next call.
func (r *recordReader) physical() ([]byte, error) {
	if n := len(r.pending); n > 0 {
		l := r.pending[0]
		r.pending = r.pending[1:]
		r.line++
		return []byte(l), nil
	}
	if r.eof {
		return nil, io.EOF
	}
	b, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull { // a line longer than the buffer
		long := append([]byte(nil), b...)
		rest, err2 := r.br.ReadBytes('\n')
		b, err = append(long, rest...), err2
	}
	r.offset += int64(len(b))
	if err == io.EOF {
		r.eof = true
		if len(b) == 0 {
			return nil, io.EOF
		}
	} else if err != nil {
		return nil, err
	}
	r.line++
	return b, nil
}

// next returns the next record's fields, its first line and its text. A
// malformed record returns a *recordError with its text. The fields are
// valid until the next call.
func (r *recordReader) next() (fields []string, start int, text string, err error) {
	b, err := r.physical()
	if err != nil {
		return nil, 0, "", err
	}
	start = r.line
	quotes := bytes.Count(b, quote)
	if quotes == 0 {
		// The common case: one line, no quotes.
		if t := trimEOL(b); r.borrow && len(t) > 0 {
			text = unsafe.String(unsafe.SliceData(t), len(t))
		} else {
			text = string(t)
		}
		if r.limit > 0 {
			r.count = strings.Count(text, string(r.delim)) + 1
			r.fields = splitFirst(r.fields[:0], text, r.delim, r.limit)
			return r.fields, start, text, nil
		}
		r.fields = splitPlain(r.fields[:0], text, r.delim)
		r.count = len(r.fields)
		return r.fields, start, text, nil
	}
	first := string(b)
	lines := []string{first}
	size := len(first)
	for quotes%2 == 1 {
		b, err := r.physical()
		if err != nil && err != io.EOF {
			return nil, 0, "", err
		}
		if err == io.EOF || len(lines) >= maxRecordLines || size+len(b) > maxRecordBytes {
			// Unbalanced: the record is its first line; the lines after it
			// are read again as records of their own.
			back := lines[1:]
			if err == nil {
				back = append(back, string(b))
			}
			r.pending = append(append([]string(nil), back...), r.pending...)
			r.line = start
			return nil, start, string(trimEOL([]byte(first))), unbalanced(first, start, "is never closed", r.delim)
		}
		l := string(b)
		lines = append(lines, l)
		size += len(l)
		quotes += bytes.Count(b, quote)
	}
	text = first
	if len(lines) > 1 {
		var sb strings.Builder
		for _, l := range lines {
			sb.WriteString(l)
		}
		text = sb.String()
	}
	text = string(trimEOL([]byte(text)))
	fields, perr := splitRecord(text, start, r.delim)
	if len(lines) > 1 && (perr != nil || r.want > 0 && len(fields) != r.want) {
		// Lines joined by two stray quotes: the first is the broken one;
		// the others are read again.
		r.pending = append(append([]string(nil), lines[1:]...), r.pending...)
		r.line = start
		return nil, start, string(trimEOL([]byte(first))), unbalanced(first, start, "does not close on its line, and the lines it would join do not make a record", r.delim)
	}
	if perr != nil {
		return nil, start, text, perr
	}
	r.count = len(fields)
	return fields, start, text, nil
}

var quote = []byte{'"'}

// splitFirst is splitPlain up to the first n fields.
func splitFirst(dst []string, text string, delim byte, n int) []string {
	for len(dst) < n-1 {
		i := strings.IndexByte(text, delim)
		if i < 0 {
			return append(dst, text)
		}
		dst = append(dst, text[:i])
		text = text[i+1:]
	}
	if i := strings.IndexByte(text, delim); i >= 0 {
		text = text[:i]
	}
	return append(dst, text)
}

// splitPlain splits a record without quotes at its separators.
func splitPlain(dst []string, text string, delim byte) []string {
	for {
		i := strings.IndexByte(text, delim)
		if i < 0 {
			return append(dst, text)
		}
		dst = append(dst, text[:i])
		text = text[i+1:]
	}
}

func trimEOL(s []byte) []byte {
	if n := len(s); n > 0 && s[n-1] == '\n' {
		s = s[:n-1]
		if n := len(s); n > 0 && s[n-1] == '\r' {
			s = s[:n-1]
		}
	}
	return s
}

// unbalanced describes the quote that leaves a line unbalanced (the last
// opening one): a quoted field that never closes, or a stray quote inside
// an unquoted field.
func unbalanced(line string, start int, what string, delim byte) *recordError {
	open, at, col, atFieldStart, prev := false, 0, 0, false, rune(delim)
	for _, c := range line {
		col++
		if c == '"' {
			open = !open
			if open {
				at, atFieldStart = col, prev == rune(delim)
			}
		}
		prev = c
	}
	if atFieldStart {
		return &recordError{line: start, column: at, msg: fmt.Sprintf("the quoted field that begins at character %d %s (a missing or stray \")", at, what)}
	}
	return &recordError{line: start, column: at, msg: fmt.Sprintf("a stray quote at character %d, inside an unquoted field (quote the whole field and write a quote as \"\")", at)}
}

// splitRecord splits one record's text into fields (RFC 4180: fields
// separated by delim, a comma unless Delimiter says otherwise; a quoted field may hold commas, newlines and ""
// for a quote). A quote inside an unquoted field, or text after a closing
// quote, is an error at its line and character column.
func splitRecord(text string, startLine int, delim byte) ([]string, error) {
	var fields []string
	line, col := startLine, 0 // col: characters before i on this line
	i := 0
	for {
		fieldLine, fieldCol := line, col+1
		if i < len(text) && text[i] == '"' {
			// quoted field
			var b []byte
			i++
			col++
			for {
				if i >= len(text) {
					return nil, &recordError{line: fieldLine, column: fieldCol, msg: fmt.Sprintf("the quoted field that begins on line %d at character %d is never closed", fieldLine, fieldCol)}
				}
				c := text[i]
				if c == '"' {
					if i+1 < len(text) && text[i+1] == '"' {
						b = append(b, '"')
						i += 2
						col += 2
						continue
					}
					i++
					col++
					break
				}
				if c == '\n' {
					line++
					col = 0
					if n := len(b); n > 0 && b[n-1] == '\r' {
						b[n-1] = '\n'
						i++
						continue
					}
				} else if c < utf8.RuneSelf || utf8.RuneStart(c) {
					col++
				}
				b = append(b, c)
				i++
			}
			fields = append(fields, string(b))
			if i >= len(text) {
				return fields, nil
			}
			if text[i] != delim {
				return nil, &recordError{line: line, column: col + 1, msg: fmt.Sprintf("text after the closing quote of the field that begins on line %d at character %d (a quote inside a quoted field is written \"\")", fieldLine, fieldCol)}
			}
			i++
			col++
			continue
		}
		// unquoted field
		j := i
		for j < len(text) && text[j] != delim {
			if text[j] == '"' {
				return nil, &recordError{line: line, column: col + utf8.RuneCountInString(text[i:j]) + 1, msg: "a quote inside an unquoted field (quote the whole field and write a quote as \"\")"}
			}
			j++
		}
		fields = append(fields, text[i:j])
		col += utf8.RuneCountInString(text[i:j])
		if j >= len(text) {
			return fields, nil
		}
		i = j + 1
		col++
	}
}
