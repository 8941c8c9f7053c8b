package suppress

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// grid builds a table of counts with row and column totals (the last
// column and row), every cell eligible.
func grid(counts [][]float64) (*Table, [][]int) {
	t := &Table{}
	idx := make([][]int, len(counts)+1)
	width := len(counts[0])
	colSum := make([]float64, width+1)
	for r, row := range counts {
		sum := 0.0
		for c, v := range row {
			idx[r] = append(idx[r], t.Add(Cell{Name: fmt.Sprintf("r%dc%d", r, c), Value: v, Eligible: true}))
			sum += v
			colSum[c] += v
		}
		idx[r] = append(idx[r], t.Add(Cell{Name: fmt.Sprintf("r%d total", r), Value: sum, Eligible: true, Cost: 10}))
		colSum[width] += sum
		t.Sum(idx[r][width], idx[r][:width]...)
	}
	last := len(counts)
	for c := 0; c <= width; c++ {
		idx[last] = append(idx[last], t.Add(Cell{Name: fmt.Sprintf("total c%d", c), Value: colSum[c], Eligible: true, Cost: 10}))
		var parts []int
		for r := 0; r < last; r++ {
			parts = append(parts, idx[r][c])
		}
		t.Sum(idx[last][c], parts...)
	}
	return t, idx
}

func TestAuditFindsWhatTotalsAndBoundsReveal(t *testing.T) {
	tests := []struct {
		name   string
		build  func() *Table
		reveal []string
	}{
		{"a total minus the shown part", func() *Table {
			tb := &Table{}
			a := tb.Add(Cell{Name: "a", Value: 2, Eligible: true, Hidden: true, Reason: Primary})
			b := tb.Add(Cell{Name: "b", Value: 30, Eligible: true})
			tot := tb.Add(Cell{Name: "total", Value: 32})
			tb.Sum(tot, a, b)
			return tb
		}, []string{"a"}},
		{"two primary cells summing to 2 are both 1", func() *Table {
			tb := &Table{}
			a := tb.Add(Cell{Name: "a", Value: 1, Eligible: true, Hidden: true, Reason: Primary})
			b := tb.Add(Cell{Name: "b", Value: 1, Eligible: true, Hidden: true, Reason: Primary})
			c := tb.Add(Cell{Name: "c", Value: 40, Eligible: true})
			tot := tb.Add(Cell{Name: "total", Value: 42})
			tb.Sum(tot, a, b, c)
			return tb
		}, []string{"a", "b"}},
		{"a complementary cell at least n pins its primary partner", func() *Table {
			// a + b = 6, a in [1, 4], b ≥ 5 → a = 1, b = 5.
			tb := &Table{}
			a := tb.Add(Cell{Name: "a", Value: 1, Eligible: true, Hidden: true, Reason: Primary})
			b := tb.Add(Cell{Name: "b", Value: 5, Eligible: true, Hidden: true, Reason: Complementary})
			tot := tb.Add(Cell{Name: "total", Value: 6})
			tb.Sum(tot, a, b)
			return tb
		}, []string{"a", "b"}},
		{"a weighted sum and a total solve two cells", func() *Table {
			// x + y = 7 and 0.2x + 0.5y = 2.9 → x = 2, y = 5.
			tb := &Table{}
			x := tb.Add(Cell{Name: "x", Value: 2, Eligible: true, Hidden: true, Reason: Primary})
			y := tb.Add(Cell{Name: "y", Value: 5, Eligible: true, Hidden: true, Reason: Complementary})
			tot := tb.Add(Cell{Name: "total", Value: 7})
			tb.Sum(tot, x, y)
			tb.Relations = append(tb.Relations, Relation{Terms: []Term{{x, 0.2}, {y, 0.5}}, Const: -2.9})
			return tb
		}, []string{"x", "y"}},
		{"a numerator at most a denominator of 1", func() *Table {
			tb := &Table{}
			num := tb.Add(Cell{Name: "num", Value: 1, Eligible: true, Hidden: true, Reason: Primary})
			den := tb.Add(Cell{Name: "den", Value: 1})
			tb.AtMost(num, den)
			return tb
		}, []string{"num"}},
		{"a hidden cell with room is safe", func() *Table {
			tb := &Table{}
			a := tb.Add(Cell{Name: "a", Value: 2, Eligible: true, Hidden: true, Reason: Primary})
			b := tb.Add(Cell{Name: "b", Value: 30, Eligible: true, Hidden: true, Reason: Complementary})
			tot := tb.Add(Cell{Name: "total", Value: 32})
			tb.Sum(tot, a, b)
			return tb
		}, nil},
		{"an implicit small difference", func() *Table {
			// d = a − b is never printed; a and b are: d = 2 is small.
			tb := &Table{}
			a := tb.Add(Cell{Name: "a", Value: 40})
			b := tb.Add(Cell{Name: "b", Value: 38})
			d := tb.Add(Cell{Name: "d", Value: 2, Implicit: true, Hidden: true, Eligible: true})
			tb.Sum(a, b, d)
			return tb
		}, []string{"d"}},
		{"an implicit large difference is no disclosure", func() *Table {
			tb := &Table{}
			a := tb.Add(Cell{Name: "a", Value: 40})
			b := tb.Add(Cell{Name: "b", Value: 20})
			d := tb.Add(Cell{Name: "d", Value: 20, Implicit: true, Hidden: true, Eligible: true})
			tb.Sum(a, b, d)
			return tb
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Audit(tc.build(), 5)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, e := range got {
				names = append(names, e.Name)
			}
			if fmt.Sprint(names) != fmt.Sprint(tc.reveal) {
				t.Errorf("disclosed %v, want %v (%v)", names, tc.reveal, got)
			}
		})
	}
}

func TestProtectGrid(t *testing.T) {
	counts := [][]float64{
		{10, 2, 30, 0},
		{12, 15, 40, 7},
		{11, 14, 3, 9},
	}
	tb, idx := grid(counts)
	hidden, err := Protect(tb, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !tb.Cells[idx[0][1]].Hidden || tb.Cells[idx[0][1]].Reason != Primary || tb.Cells[idx[2][2]].Reason != Primary {
		t.Errorf("the counts 2 and 3 must be primary: %+v %+v", tb.Cells[idx[0][1]], tb.Cells[idx[2][2]])
	}
	if tb.Cells[idx[0][3]].Hidden {
		t.Error("a zero is shown")
	}
	if hidden < 4 {
		t.Errorf("%d hidden: two primary cells in a table with both margins need at least two complements", hidden)
	}
	if e, err := Audit(tb, 5); err != nil || len(e) > 0 {
		t.Errorf("after Protect the audit finds %v (%v)", e, err)
	}
}

// TestProtectRandom: on random tables with both margins, nothing is
// disclosed after Protect, and every true value lies in its audited range.
func TestProtectRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 60 {
		rows, cols := 2+rng.IntN(4), 2+rng.IntN(4)
		counts := make([][]float64, rows)
		for r := range counts {
			for range cols {
				v := float64(rng.IntN(12))
				if rng.IntN(3) == 0 {
					v = float64(rng.IntN(4))
				}
				counts[r] = append(counts[r], v)
			}
		}
		tb, _ := grid(counts)
		if _, err := Protect(tb, 5); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		if e, err := Audit(tb, 5); err != nil || len(e) > 0 {
			t.Fatalf("trial %d %v: audit finds %v (%v)", trial, counts, e, err)
		}
		ranges, err := Range(tb, 5)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range tb.Cells {
			if c.Hidden && (c.Value < ranges[i][0]-1e-6 || c.Value > ranges[i][1]+1e-6) {
				t.Fatalf("trial %d: %s = %g outside its range %v", trial, c.Name, c.Value, ranges[i])
			}
			if c.Hidden && c.Value == 0 {
				t.Fatalf("trial %d: a zero was hidden", trial)
			}
		}
	}
}

func TestProtectRefusesLowThresholds(t *testing.T) {
	tb, _ := grid([][]float64{{1, 9}, {8, 7}})
	if _, err := Protect(tb, 2); !errors.Is(err, ErrThreshold) {
		t.Errorf("threshold 2: %v, want ErrThreshold", err)
	}
}

func TestAuditInconsistent(t *testing.T) {
	tb := &Table{}
	a := tb.Add(Cell{Name: "a", Value: 2, Eligible: true, Hidden: true, Reason: Primary})
	b := tb.Add(Cell{Name: "b", Value: 3, Eligible: true, Hidden: true, Reason: Primary})
	tot := tb.Add(Cell{Name: "total", Value: 100})
	tb.Sum(tot, a, b)
	if _, err := Audit(tb, 5); !errors.Is(err, ErrInconsistent) {
		t.Errorf("a total beyond its hidden parts' bounds: %v, want ErrInconsistent", err)
	}
	if !math.IsNaN(must(Range(&Table{Cells: []Cell{{Name: "x", Value: 3}}}, 5))[0][0]) {
		t.Error("a shown cell has no range")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
