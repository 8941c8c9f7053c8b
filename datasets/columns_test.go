package datasets

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
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
	read := func(o ReadOptions) error { return readPersons(text, "persons.csv", o) }
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

// The attack: a lenient read that fails part-way (here a file that ends in
// a broken quote after some rejects) must not leave a rejects file that
// looks complete; a read to the end puts it in place, neutralised.
func TestRejectsFileOnlyWhenComplete(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "persons.csv")
	os.WriteFile(good, []byte("person_id,birth_date,sex\nP1,1950-01-01,F\n=P2,1950-13-01,F\nP3,1951-01-01,F\n"), 0o644)
	if _, _, st, err := ReadAll(good, PersonSchema, ReadOptions{Lenient: true}); err != nil || st.Rejected != 1 {
		t.Fatalf("lenient read: %v, %+v", err, st)
	}
	rej, err := os.ReadFile(good + ".rejects.csv")
	if err != nil || !strings.Contains(string(rej), "'=P2") {
		t.Errorf("rejects file %q (%v): want the row, neutralised", rej, err)
	}
	bad := filepath.Join(dir, "broken.csv")
	os.WriteFile(bad, []byte("person_id,birth_date,sex\nP1,1950-13-01,F\nP2,\"1950-01-01,F\n"), 0o644)
	_, _, _, err = ReadAll(bad, PersonSchema, ReadOptions{Lenient: true})
	_, statErr := os.Stat(bad + ".rejects.csv")
	if err != nil && !os.IsNotExist(statErr) {
		t.Errorf("the read failed (%v) but left a rejects file", err)
	}
	if err == nil && statErr != nil {
		t.Errorf("the read finished but wrote no rejects file: %v", statErr)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("left a temporary file %s", e.Name())
		}
	}
}

// The attacks on a CSV reader's assumptions: each is read or named, never
// garbled into a header of one long column.
func TestCSVEncodings(t *testing.T) {
	tests := []struct {
		name, text, want string // want "" reads fine
	}{
		{"BOM before a quoted header", "\xef\xbb\xbf\"person_id\",\"birth_date\",\"sex\"\nP1,1950-01-01,F\n", ""},
		{"CRLF", "person_id,birth_date,sex\r\nP1,1950-01-01,F\r\n", ""},
		{"CR alone", "person_id,birth_date,sex\rP1,1950-01-01,F\r", "end in CR alone"},
		{"UTF-16", "\xff\xfep\x00e\x00", "UTF-16"},
		{"Latin-1 value", "person_id,birth_date,sex,region\nP1,1950-01-01,F,Tr\xf8ndelag\n", "x.csv:2:4: want UTF-8 text"},
		{"Latin-1 header", "person_id,birth_date,sex,r\xe9gion\nP1,1950-01-01,F,x\n", "x.csv:1:4: header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := readPersons(tt.text, "x.csv", ReadOptions{})
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("read: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	long := &RowError{File: "x.csv", Line: 2, Column: 2, Field: "exam_date", Value: strings.Repeat("9", 5000), Want: "a date"}
	if msg := long.Error(); len(msg) > 150 || !strings.Contains(msg, "(5000 bytes)") {
		t.Errorf("a 5000-byte value in a message: %d bytes: %.200s", len(msg), msg)
	}
}

// A typo in a column map is an error naming the table's columns, not a
// mapping silently ignored.
func TestColumnMapTypo(t *testing.T) {
	src, err := NewCSVSource(strings.NewReader("person_id,dob,sex\nP1,1950-01-01,F\n"), "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := ParseColumnMap("birth_dat=dob")
	if _, err := NewTableReader(src, PersonSchema, ReadOptions{Columns: m}); err == nil || !strings.Contains(err.Error(), `no column "birth_dat"`) {
		t.Errorf("typo: %v", err)
	}
	src, _ = NewCSVSource(strings.NewReader("person_id,dob,sex\nP1,1950-01-01,F\n"), "p.csv")
	m, _ = ParseColumnMap("birth_date=dob")
	if _, err := NewTableReader(src, PersonSchema, ReadOptions{Columns: m}); err != nil {
		t.Errorf("a right map: %v", err)
	}
}

// readPersons reads a persons table from text to its end.
func readPersons(text, name string, o ReadOptions) error {
	src, err := NewCSVSource(strings.NewReader(text), name)
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
