package suppress

import (
	"reflect"
	"testing"
)

func TestMask(t *testing.T) {
	counts := [][]float64{
		{10, 2, 30, 0},
		{12, 15, 40, 7},
		{11, 14, 3, 9},
	}
	got := Mask(counts, 5, true, true)
	// Primary: 2 and 3. Row 0 then has one masked cell (2): mask 10, its
	// smallest other non-zero. Row 2 (3): mask 9. Column 1 (2) has one:
	// mask 14. Column 2 (3): mask 30. Then column 0 has one masked (10):
	// mask 11; column 3 has one (9): mask 7. Row 1 then has one (7): mask
	// 12, its smallest. Every line now has none or two or more.
	want := [][]bool{
		{true, true, true, false},
		{true, false, false, true},
		{true, true, true, true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mask\n%v\nwant\n%v", got, want)
	}
	// No total in any line reveals a masked cell: every line has zero or
	// at least two masked cells.
	for r := range got {
		n := 0
		for _, m := range got[r] {
			if m {
				n++
			}
		}
		if n == 1 {
			t.Errorf("row %d has one masked cell", r)
		}
	}
	for c := range got[0] {
		n := 0
		for r := range got {
			if got[r][c] {
				n++
			}
		}
		if n == 1 {
			t.Errorf("column %d has one masked cell", c)
		}
	}
	if m := Mask([][]float64{{0, 6, 7}}, 5, true, false); m[0][0] || m[0][1] || m[0][2] {
		t.Errorf("zeros and counts at the threshold must not be masked: %v", m)
	}
}
