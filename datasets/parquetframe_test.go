package datasets

import (
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// A frame read from Parquet column by column (numbers kept as numbers) is
// the frame the row reader gives: the same text in every column, the same
// numbers, the same errors — for integers, doubles, floats, integers too
// large for a float64, dates, text, booleans, nulls, NaN and infinities.
func TestParquetFrameIsTheRowReaders(t *testing.T) {
	type row struct {
		ID    string   `parquet:"id"`
		Days  int64    `parquet:"days"`
		Small int32    `parquet:"small"`
		X     float64  `parquet:"x"`
		F     float32  `parquet:"f"`
		Big   int64    `parquet:"big"`
		Opt   *float64 `parquet:"opt,optional"`
		Odd   float64  `parquet:"odd"`
		Flag  bool     `parquet:"flag"`
		When  int32    `parquet:"when,date"`
		Dead  float64  `parquet:"dead"`
		Neg   float64  `parquet:"neg"`
	}
	half := 0.5
	var rows []row
	for i := 0; i < 3000; i++ {
		r := row{ID: "P" + strings.Repeat("x", i%3), Days: int64(i * 37), Small: int32(-i), X: float64(i) / 7, F: float32(i) / 3,
			Big: int64(i), Odd: float64(i) * 1e-9, Flag: i%2 == 0, When: int32(19000 + i), Dead: float64(i % 2)}
		if i == 7 {
			r.Neg = math.Copysign(0, -1) // text "-0": not an event code
		}
		if i%5 != 0 {
			r.Opt = &half
		}
		if i == 2999 {
			r.Big = 1<<62 + 1 // not a float64
			r.Odd = math.Inf(1)
		}
		rows = append(rows, r)
	}
	path := filepath.Join(t.TempDir(), "t.parquet")
	if err := parquet.WriteFile(path, rows, parquet.PageBufferSize(4096), parquet.MaxRowsPerRowGroup(1000)); err != nil {
		t.Fatal(err)
	}
	read := func(byColumn bool, names ...string) *Frame {
		t.Helper()
		src, err := OpenSource(path)
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		var s Source = src
		if !byColumn {
			s = struct{ Source }{src} // hides the Parquet reader: the row path
		}
		f, err := readFrame(s, names)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	byCol, byRow := read(true), read(false)
	if !reflect.DeepEqual(lines(byCol), lines(byRow)) || !reflect.DeepEqual(byCol.Header, byRow.Header) {
		t.Fatalf("lines or header differ")
	}
	for _, name := range byRow.Header {
		a, _ := byCol.Strings(name)
		b, _ := byRow.Strings(name)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: text %q…, row reader %q…", name, a[:3], b[:3])
		}
		ea, errA := byCol.Events(name)
		eb, errB := byRow.Events(name)
		if !reflect.DeepEqual(ea, eb) || (errA == nil) != (errB == nil) || errA != nil && errA.Error() != errB.Error() {
			t.Errorf("%s: events %v, row reader %v", name, errA, errB)
		}
		for _, allow := range []bool{false, true} {
			x, errA := byCol.Floats(name, allow)
			y, errB := byRow.Floats(name, allow)
			if (errA == nil) != (errB == nil) || errA != nil && errA.Error() != errB.Error() {
				t.Errorf("%s: error %v, row reader %v", name, errA, errB)
				continue
			}
			for i := range x {
				if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
					t.Fatalf("%s[%d]: %v, row reader %v", name, i, x[i], y[i])
				}
			}
		}
	}
	if c := byCol.cols["x"]; c.nums == nil || !c.finite {
		t.Errorf("doubles not kept as numbers")
	}
	if c := byCol.cols["big"]; c.nums != nil {
		t.Errorf("an integer beyond 2^53 kept as a float64")
	}
	// Only the columns named are read.
	some := read(true, "x", "id")
	if len(some.cols) != 2 || some.Len() != 3000 {
		t.Errorf("%d columns, %d rows", len(some.cols), some.Len())
	}
}

// The file has several row groups and pages (else the test above proves
// less than it says).
func TestParquetFrameFixtureHasGroups(t *testing.T) {
	type row struct {
		X float64 `parquet:"x"`
	}
	rows := make([]row, 3000)
	path := filepath.Join(t.TempDir(), "t.parquet")
	if err := parquet.WriteFile(path, rows, parquet.PageBufferSize(4096), parquet.MaxRowsPerRowGroup(1000)); err != nil {
		t.Fatal(err)
	}
	src, err := OpenSource(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if g := len(src.(*parquetSource).pf.RowGroups()); g < 2 {
		t.Errorf("%d row groups", g)
	}
}
