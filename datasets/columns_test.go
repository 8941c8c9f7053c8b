package datasets

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
)

func TestAgeBand(t *testing.T) {
	tests := []struct {
		age        float64
		width, top int
		want       string
	}{
		{52.9, 5, 0, "50-54"}, {55, 5, 0, "55-59"}, {0.2, 5, 90, "0-4"}, {89.99, 5, 90, "85-89"}, {90, 5, 90, "90+"},
		{104, 5, 90, "90+"}, {47, 10, 0, "40-49"}, {math.NaN(), 5, 0, ""}, {-1, 5, 0, ""},
	}
	for _, tt := range tests {
		got := AgeBand(tt.age, tt.width, tt.top)
		if got != tt.want {
			t.Errorf("AgeBand(%v, %d, %d) = %q, want %q", tt.age, tt.width, tt.top, got, tt.want)
		}
		// The label reads back as its band.
		if got != "" {
			lo, _, ok := ParseAgeGroup(got)
			if !ok || float64(lo) > tt.age {
				t.Errorf("ParseAgeGroup(%q) = %d, %v", got, lo, ok)
			}
		}
	}
}

// The attack: registry text that a spreadsheet would run. Every CSV the
// tools write neutralises it; numbers stay numbers.
func TestCSVSafe(t *testing.T) {
	tests := []struct{ in, want string }{
		{`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`}, {"+SU01", "'+SU01"}, {"-x", "'-x"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\tTAB", "'\tTAB"}, {"-0.5", "-0.5"}, {"+3", "+3"}, {"-1e-3", "-1e-3"}, {"SU01", "SU01"}, {"", ""}, {"'=x", "'=x"},
	}
	for _, tt := range tests {
		if got := CSVSafe(tt.in); got != tt.want {
			t.Errorf("CSVSafe(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	var buf bytes.Buffer
	w := NewCSVWriter(&buf, []ColumnSpec{{Name: "exam_id"}, {Name: "score", Kind: KindFloat}})
	w.String("=1+1")
	w.Float(-0.25, -1)
	if err := w.EndRow(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if got := buf.String(); got != "exam_id,score\n'=1+1,-0.25\n" {
		t.Errorf("written %q", got)
	}
}

// A date after AsOf (default today) is a row error naming the field; NoDate
// turns the check off.
func TestAsOf(t *testing.T) {
	text := "person_id,birth_date,sex\nP1,1950-01-01,F\nP2,2999-01-01,F\n"
	read := func(o ReadOptions) error {
		src, err := NewCSVSource(strings.NewReader(text), "persons.csv")
		if err != nil {
			return err
		}
		r, err := NewTableReader(src, PersonSchema, o)
		if err != nil {
			return err
		}
		for {
			var p Person
			if _, err := r.Next(&p); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
		}
	}
	err := read(ReadOptions{})
	var re *RowError
	if !errors.As(err, &re) || re.Line != 3 || re.Field != "birth_date" || !errors.Is(err, ErrOutOfRange) {
		t.Errorf("today: %v", err)
	}
	if err := read(ReadOptions{AsOf: NoDate}); err != nil {
		t.Errorf("no limit: %v", err)
	}
	if err := read(ReadOptions{AsOf: DateOf(1940, 1, 1)}); err == nil || !strings.Contains(err.Error(), "persons.csv:2:") {
		t.Errorf("as of 1940: %v", err)
	}
}
