package groups

import (
	"reflect"
	"strconv"
	"testing"
)

func TestLevels(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   []string
	}{
		{"numbers numerically", []string{"10", "2", "1", "2"}, []string{"1", "2", "10"}},
		{"age groups by their first age", []string{"85+", "10-14", "5-9", "0-4"}, []string{"0-4", "5-9", "10-14", "85+"}},
		{"text as text", []string{"SU10", "SU02", "SU01"}, []string{"SU01", "SU02", "SU10"}},
		{"stages", []string{"IV", "I", "III", "II"}, []string{"I", "II", "III", "IV"}},
		{"decimals", []string{"1.5", "1.25", "0.5"}, []string{"0.5", "1.25", "1.5"}},
		{"mixed: numbers before letters", []string{"b", "10", "a", "9"}, []string{"9", "10", "a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, codes := Levels(tt.values)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("levels %v, want %v", got, tt.want)
			}
			for i, c := range codes {
				if got[c] != tt.values[i] {
					t.Errorf("row %d coded %d (%s), value %s", i, c, got[c], tt.values[i])
				}
			}
		})
	}
}

// The order does not depend on the order of the rows.
func TestLevelsRowOrder(t *testing.T) {
	a, _ := Levels([]string{"c", "10", "b", "9", "a"})
	b, _ := Levels([]string{"a", "9", "b", "10", "c"})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("%v vs %v", a, b)
	}
}

func TestBy(t *testing.T) {
	unit := []string{"SU02", "SU01", "SU02", "SU01", "SU02"}
	round := []string{"10", "1", "2", "1", "10"}
	got := By(unit, round)
	want := []Group{
		{Values: []string{"SU01", "1"}, Rows: []int{1, 3}},
		{Values: []string{"SU02", "2"}, Rows: []int{2}},
		{Values: []string{"SU02", "10"}, Rows: []int{0, 4}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("By = %+v, want %+v", got, want)
	}
	if By() != nil {
		t.Error("By() with no columns is not nil")
	}
}

// Past the levels looked up by comparison, the map takes over: every row
// keeps its value and the levels are sorted.
func TestLevelsMany(t *testing.T) {
	var values, want []string
	for i := 39; i >= 0; i-- {
		want = append([]string{strconv.Itoa(i)}, want...)
		values = append(values, strconv.Itoa(i), strconv.Itoa((i*7)%40))
	}
	got, codes := Levels(values)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("levels %v, want %v", got, want)
	}
	for i, c := range codes {
		if got[c] != values[i] {
			t.Fatalf("row %d coded %d (%s), value %s", i, c, got[c], values[i])
		}
	}
}
