package datasets

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// Sentinel errors wrapped by RowError; test with errors.Is.
var (
	ErrMissingColumn = errors.New("missing column")
	ErrFieldCount    = errors.New("wrong number of fields")
	ErrSyntax        = errors.New("malformed row")
	ErrRequired      = errors.New("required value is empty")
	ErrBadNumber     = errors.New("bad number")
	ErrBadCode       = errors.New("bad code")
	ErrOutOfRange    = errors.New("value out of range")
	ErrDuplicateID   = errors.New("duplicate id")
	ErrUnknownPerson = errors.New("unknown person")
	ErrUnknownExam   = errors.New("unknown exam")
	ErrDateOrder     = errors.New("dates out of order")
)

// RowError locates a problem in an input table. Line is the 1-based line of
// the record in a CSV file (the header is line 1), or the 1-based row number
// in a Parquet file; Column is the 1-based position of the field in the
// file's header (0 when the whole row is concerned).
//
// Its message reads
//
//	exams.csv:1043:3: exam_date "2019-13-01": want YYYY-MM-DD
type RowError struct {
	File   string
	Line   int
	Column int
	Field  string // the canonical column name, e.g. "exam_date"
	Value  string
	Want   string // what was expected, in words
	Err    error  // a sentinel such as ErrBadDate
}

func (e *RowError) Error() string {
	b := make([]byte, 0, 96)
	b = append(b, e.File...)
	if e.Line > 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(e.Line), 10)
		if e.Column > 0 {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(e.Column), 10)
		}
	}
	b = append(b, ": "...)
	if e.Field != "" {
		b = append(b, e.Field...)
		b = append(b, ' ')
		if e.Value != "" && Identifier(e.Field) && !ShowRows.Load() {
			b = append(b, withheld...)
		} else {
			b = strconv.AppendQuote(b, shortValue(e.Value))
			if len(e.Value) > maxShown {
				b = append(b, fmt.Sprintf(" (%d bytes)", len(e.Value))...)
			}
		}
		b = append(b, ": "...)
	}
	if e.Want != "" {
		b = append(b, "want "...)
		b = append(b, e.Want...)
	} else if e.Err != nil {
		b = append(b, e.Err.Error()...)
	}
	return string(b)
}

// ShowRows lets messages show identifiers (screenlab --show-rows). By
// default a message names the file, line, column and column name of a
// problem but not the value of an identifier column (Identifier), so that
// errors and logs, which travel further than the data, hold no person.
var ShowRows atomic.Bool

const withheld = "(value withheld: an identifier; --show-rows shows it)"

// Identifier reports whether a column holds values that identify a person
// or an exam: id, *_id, a national identity number, a name, a birth date.
func Identifier(field string) bool {
	f := strings.ToLower(field)
	switch f {
	case "id", "nin", "ssn", "name", "birth_date", "date_of_birth", "dob":
		return true
	}
	return strings.HasSuffix(f, "_id") || strings.HasSuffix(f, "_name")
}

// IDText is an identifier for a message: quoted with ShowRows, else a
// placeholder.
func IDText(id string) string {
	if ShowRows.Load() {
		return strconv.Quote(shortValue(id))
	}
	return "(withheld; --show-rows shows it)"
}

// maxShown is the most bytes of a bad value a message shows.
const maxShown = 60

// shortValue cuts a long value for a message (at a character boundary).
func shortValue(v string) string {
	if len(v) <= maxShown {
		return v
	}
	cut := maxShown
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return v[:cut] + "…"
}

// Unwrap returns the sentinel error.
func (e *RowError) Unwrap() error { return e.Err }

// Reason is the message without the location, for a rejects file.
func (e *RowError) Reason() string {
	if e.Want != "" {
		return fmt.Sprintf("%v: want %s", e.Err, e.Want)
	}
	if e.Err != nil {
		return e.Err.Error()
	}
	return "invalid"
}
