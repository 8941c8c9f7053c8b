package datasets

import (
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseNumber: the fast path must give exactly what strconv gives on
// decimal notation, and refuse everything else (1_0, 0x1p-2).
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"0", "-0", "12.5", "3650", "0.1", "0.30000000000000004", "123456789012345", "1234567890123456",
		"1e5", ".5", "5.", "-", ".", "", "+7", "007", "0.000001", "99999999999999.9", "1.7976931348623157e308", "NaN", "Inf", "1_0", "0x1p-2", "0X1P2", "1e1_0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ParseNumber(s)
		want, err := strconv.ParseFloat(s, 64)
		decimal := strings.Trim(s, "0123456789.eE+-") == "" && !strings.ContainsAny(s, "xX_")
		wantOK := err == nil && !math.IsInf(want, 0) && !math.IsNaN(want) && decimal
		if ok != wantOK {
			t.Fatalf("ParseNumber(%q) ok=%v, strconv ok=%v (%v)", s, ok, wantOK, err)
		}
		if ok && math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("ParseNumber(%q) = %v (%x), strconv %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	})
}

// Go's syntax for numbers is not a registry's: underscores and hexadecimal
// floats are text.
func TestParseNumberDecimalOnly(t *testing.T) {
	for _, s := range []string{"1_0", "0x1p-2", "0x10", "1e1_0", "0b1", "Inf", "NaN"} {
		if v, ok := ParseNumber(s); ok {
			t.Errorf("ParseNumber(%q) = %v, want not a number", s, v)
		}
	}
	for s, want := range map[string]float64{"-1.5e-3": -0.0015, "+.5": 0.5, "12345678901234567": 12345678901234567} {
		if v, ok := ParseNumber(s); !ok || v != want {
			t.Errorf("ParseNumber(%q) = %v, %v", s, v, ok)
		}
	}
}

func TestFrameColumns(t *testing.T) {
	text := "a,b,c\n1,x,2020-01-01\n2.5,\"y,z\",2020-02-29\n"
	fr, err := ReadFrameFrom(strings.NewReader(text), "t.csv", "a", "b")
	if err != nil {
		t.Fatal(err)
	}
	a, err := fr.Floats("a", false)
	if err != nil || a[0] != 1 || a[1] != 2.5 {
		t.Errorf("a = %v, %v", a, err)
	}
	b, _ := fr.Strings("b")
	if b[1] != "y,z" {
		t.Errorf("b = %q", b)
	}
	if _, err := fr.Dates("c"); err == nil || !strings.Contains(err.Error(), "not loaded") {
		t.Errorf("unloaded column: %v", err)
	}
	if _, err := ReadFrameFrom(strings.NewReader(text), "t.csv", "d"); err == nil || err.Error() != `t.csv:1: want a column "d"; the header has a,b,c` {
		t.Errorf("missing column: %v", err)
	}
	all, _ := ReadFrameFrom(strings.NewReader(text), "t.csv")
	if d, err := all.Dates("c"); err != nil || d[1] != DateOf(2020, 2, 29) {
		t.Errorf("dates %v %v", d, err)
	}
	if _, err := all.Floats("b", false); err == nil || err.Error() != `t.csv:2:2: b "x": want a number` {
		t.Errorf("bad number: %v", err)
	}
}

// The attack: one typo ("abc") in a numeric covariate. It is an error at
// its file:line:column, not a categorical column with a level per value;
// a text column with a few numbers stays text.
func TestNumericOrText(t *testing.T) {
	fr, err := FrameOf("f.csv", []string{"density", "region", "age"}, [][]string{
		{"1", "north", "50"}, {"abc", "south", "51"}, {"2", "3", ""}, {"3", "east", "NA"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fr.NumericOrText("density"); err == nil || !strings.HasPrefix(err.Error(), `f.csv:3:1: density "abc": want a number, as 3 of the column's 4 values are`) {
		t.Errorf("density: %v", err)
	}
	if num, err := fr.NumericOrText("region"); num || err != nil {
		t.Errorf("region: numeric %v, %v", num, err)
	}
	if num, err := fr.NumericOrText("age"); !num || err != nil {
		t.Errorf("age: numeric %v, %v", num, err)
	}
}

// DropMissing leaves out the rows missing any named column (as na.omit on
// a model's variables), keeps each remaining row's line, and counts why.
func TestDropMissing(t *testing.T) {
	fr, err := FrameOf("d.csv", []string{"time", "age", "note"}, [][]string{
		{"5", "60", ""}, {"", "61", "x"}, {"7", "NA", ""}, {"", "", "y"}, {"9", "64", "z"},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, m, err := fr.DropMissing("time", "age")
	if err != nil {
		t.Fatal(err)
	}
	ages, _ := out.Floats("age", false)
	if m.Dropped != 3 || m.ByColumn["time"] != 2 || m.ByColumn["age"] != 2 || len(ages) != 2 || ages[1] != 64 ||
		!reflect.DeepEqual(lines(out), []int{2, 6}) || m.String() != "3 rows with a missing value (age 2, time 2)" {
		t.Errorf("dropped %+v (%s), kept lines %v ages %v", m, m, lines(out), ages)
	}
	if same, m, _ := fr.DropMissing("note"); m.Dropped != 2 || same.Len() != 3 {
		t.Errorf("note: %+v", m)
	}
}

// Reading only the first columns splits only those, but a record is still
// checked whole: a short or long row, and bad UTF-8 in a column not read,
// are errors at their line; the values read are the same as a full read's.
func TestFirstColumnsCheckWholeRecords(t *testing.T) {
	good := "a,b,c,d\n1,x,3,4\n2,\"y,\",5,6\n7,z,8,\n"
	part, err := ReadFrameFrom(strings.NewReader(good), "t.csv", "b", "a")
	if err != nil {
		t.Fatal(err)
	}
	full, _ := ReadFrameFrom(strings.NewReader(good), "t.csv")
	for _, c := range []string{"a", "b"} {
		p, _ := part.Strings(c)
		f, _ := full.Strings(c)
		if !reflect.DeepEqual(p, f) {
			t.Errorf("column %s: %q, full read %q", c, p, f)
		}
	}
	for _, c := range []struct{ text, want string }{
		{"a,b,c,d\n1,x,3,4\n2,y,5\n", "t.csv:3: want 4 fields as in the header, got 3"},
		{"a,b,c,d\n1,x,3,4,9\n", "t.csv:2: want 4 fields as in the header, got 5"},
		{"a,b,c,d\n1,x,3,\xe9\n", "t.csv:2:4"},
	} {
		_, err := ReadFrameFrom(strings.NewReader(c.text), "t.csv", "a", "b")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v, want %s…", c.text, err, c.want)
		}
	}
}

// lines is the line of every row of f.
func lines(f *Frame) []int {
	out := make([]int, f.Len())
	for r := range out {
		out[r] = f.Line(r)
	}
	return out
}

// A record spanning two lines moves the lines of the rows after it: errors
// still name the file's line.
func TestFrameLinesAfterMultilineRecord(t *testing.T) {
	fr, err := ReadFrameFrom(strings.NewReader("id,note,age\n1,plain,50\n2,\"two\nlines\",51\n3,x,old\n"), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := lines(fr); !reflect.DeepEqual(got, []int{2, 3, 5}) {
		t.Errorf("lines %v, want [2 3 5]", got)
	}
	_, err = fr.Floats("age", false)
	var re *RowError
	if !errors.As(err, &re) || re.Line != 5 || re.Column != 3 {
		t.Errorf("error %v, want line 5 column 3", err)
	}
}

// The eight-digit path and leading zeros after the point give exactly
// strconv's number.
func TestParseNumberEightDigits(t *testing.T) {
	for _, s := range []string{"12345678", "0.12345678", "123456789012345", "-0.0126361492085412", "1234567.12345678",
		"00000000.5", "1.00000000", "99999999", "9999999999999999999", "0.000000001234567", "87654321.0", "-0.626453810742332",
		"1234567812345678", "0.1234567a", "12345678.", ".12345678"} {
		want, werr := strconv.ParseFloat(s, 64)
		got, ok := ParseNumber(s)
		if ok != (werr == nil) || ok && math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("ParseNumber(%q) = %v, %v; strconv %v, %v", s, got, ok, want, werr)
		}
	}
}
