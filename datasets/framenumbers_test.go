package datasets

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A column read as numbers answers Floats, FloatsInto and NumericOrText as
// the same column read as text; a column that turns out to be text is read
// again and is text; errors name the same line and column.
func TestReadFrameNumbers(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "d.csv")
	text := "id,time,z,grp,age\n" +
		"1,10,-0.626453810742332,a,61\n" +
		"2,20.5,1e-3,b,\n" +
		"3,\"30\",007,3,NA\n" +
		"4,40,\"1.50\",\"two\nlines\",70\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	byText, err := ReadFrameColumns(path, "time", "z", "grp", "age")
	if err != nil {
		t.Fatal(err)
	}
	byNum, err := ReadFrameNumbers(path, []string{"time", "z", "grp", "age"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(lines(byNum), []int{2, 3, 4, 5}) || !reflect.DeepEqual(lines(byNum), lines(byText)) {
		t.Fatalf("lines %v and %v, want [2 3 4 5]", lines(byNum), lines(byText))
	}
	for _, name := range []string{"time", "z", "grp", "age"} {
		for _, allow := range []bool{false, true} {
			a, errA := byText.Floats(name, allow)
			b, errB := byNum.Floats(name, allow)
			if !sameFloats(a, b) || !sameError(errA, errB) {
				t.Errorf("%s (missing allowed %v): numbers %v %v, text %v %v", name, allow, b, errB, a, errA)
			}
		}
		a, errA := byText.NumericOrText(name)
		b, errB := byNum.NumericOrText(name)
		if a != b || !sameError(errA, errB) {
			t.Errorf("%s: NumericOrText %v %v, text %v %v", name, b, errB, a, errA)
		}
	}
	if c := byNum.cols["time"]; c.nums == nil || byNum.cols["z"].nums == nil {
		t.Error("time and z are not held as numbers")
	}
	// grp has a word: read again as text, exactly.
	if g, _ := byNum.Strings("grp"); !reflect.DeepEqual(g, []string{"a", "b", "3", "two\nlines"}) {
		t.Errorf("grp %q", g)
	}
	// Strings of a numbers column are the numbers formatted.
	if z, _ := byNum.Strings("z"); !reflect.DeepEqual(z, []string{"-0.626453810742332", "0.001", "7", "1.5"}) {
		t.Errorf("z %q", z)
	}
	// A strided write, as into a design matrix.
	dst := make([]float64, 7)
	if err := byNum.FloatsInto("time", false, dst, 2); err != nil || dst[0] != 10 || dst[2] != 20.5 || dst[4] != 30 || dst[6] != 40 {
		t.Errorf("FloatsInto %v %v", dst, err)
	}
	if err := byNum.FloatsInto("time", false, dst[:6], 2); err == nil {
		t.Error("FloatsInto into too short a slice: no error")
	}
	// --missing drop on a numbers column.
	kept, m, err := byNum.DropMissing("age")
	if err != nil || m.Dropped != 2 || !reflect.DeepEqual(lines(kept), []int{2, 5}) {
		t.Errorf("DropMissing: %v %+v lines %v", err, m, lines(kept))
	}
}

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

func sameError(a, b error) bool {
	var ra, rb *RowError
	if errors.As(a, &ra) != errors.As(b, &rb) {
		return false
	}
	if ra == nil {
		return (a == nil) == (b == nil)
	}
	return ra.Line == rb.Line && ra.Column == rb.Column && errors.Is(b, errors.Unwrap(a))
}

// Many batches: the pipelined read gives the serial read's numbers and
// lines, and a broken record in the middle is the error, with its line.
func TestReadFrameNumbersBatches(t *testing.T) {
	dir := t.TempDir()
	var sb strings.Builder
	sb.WriteString("a,b,c,d,e,note\n")
	for i := range 10000 {
		fmt.Fprintf(&sb, "%d,%.6f,-0.%08d,%d.5,%g,n%d\n", i, float64(i)/7, i*37, i%13, float64(i)*1e-9, i)
	}
	path := filepath.Join(dir, "big.csv")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cols := []string{"a", "b", "c", "d", "e"}
	byNum, err := ReadFrameNumbers(path, cols, "note")
	if err != nil {
		t.Fatal(err)
	}
	byText, err := ReadFrameColumns(path, append(cols, "note")...)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		a, _ := byText.Floats(c, false)
		b, err := byNum.Floats(c, false)
		if err != nil || !sameFloats(a, b) {
			t.Fatalf("column %s differs (%v)", c, err)
		}
	}
	if n, _ := byNum.Strings("note"); len(n) != 10000 || n[9999] != "n9999" || byNum.Line(9999) != 10001 {
		t.Fatalf("note column or lines wrong: %d rows, line %d", len(n), byNum.Line(9999))
	}
	broken := strings.Replace(sb.String(), "\n7000,", "\n7000,1,", 1)
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ReadFrameNumbers(path, cols, "note")
	var re *RowError
	if !errors.As(err, &re) || re.Line != 7002 || !errors.Is(err, ErrFieldCount) {
		t.Fatalf("broken record: %v, want a field-count error at line 7002", err)
	}
}
