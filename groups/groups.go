package groups

import (
	"sort"
	"strconv"
	"strings"
)

// Key holds the values of the grouping columns of one result row. The
// renderers (report/render) write them as the row's first columns, named
// after the columns the user grouped by; Numeric marks those written as
// numbers (band limits) rather than text.
type Key struct {
	Names   []string
	Values  []string
	Numeric []bool
}

// InlineColumns lets the renderers put the key's columns in the row.
func (k Key) InlineColumns() ([]string, []string) { return k.Names, k.Values }

// NumericColumns says which key columns are numbers.
func (k Key) NumericColumns() []bool { return k.Numeric }

// SetInlineColumns reads the key back from a row (render.ReadJSON).
func (k *Key) SetInlineColumns(names, values []string, numeric []bool) {
	k.Names, k.Values, k.Numeric = names, values, numeric
}

// String names the group: "sex=F, year=2020", or "all rows" for an empty
// key.
func (k Key) String() string {
	if len(k.Names) == 0 {
		return "all rows"
	}
	parts := make([]string, len(k.Names))
	for i, n := range k.Names {
		v := ""
		if i < len(k.Values) {
			v = k.Values[i]
		}
		parts[i] = n + "=" + v
	}
	return strings.Join(parts, ", ")
}

// Value returns the value of the key column name, or "".
func (k Key) Value(name string) string {
	for i, n := range k.Names {
		if n == name && i < len(k.Values) {
			return k.Values[i]
		}
	}
	return ""
}

// leadingNumber parses the digits and points a value begins with.
func leadingNumber(s string) (float64, bool) {
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.') {
		end++
	}
	if end == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s[:end], 64)
	return f, err == nil
}

// Less reports whether level a comes before level b: by their leading
// numbers when both begin with different numbers, else as text.
func Less(a, b string) bool {
	if a == b {
		return false
	}
	na, oka := leadingNumber(a)
	nb, okb := leadingNumber(b)
	if oka && okb && na != nb {
		return na < nb
	}
	return a < b
}

// LessKeys orders rows of key values column by column with Less.
func LessKeys(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return Less(a[i], b[i])
		}
	}
	return false
}

// Sort sorts levels in place with Less.
func Sort(levels []string) {
	sort.SliceStable(levels, func(i, j int) bool { return Less(levels[i], levels[j]) })
}

// Levels returns the distinct values of a column in order, and the code
// (index into levels) of each row. A row's value is looked up among the
// levels seen so far by comparison while there are few (a group column of
// a million rows has a handful), by a map beyond.
func Levels(values []string) (levels []string, codes []int) {
	const scan = 16
	codes = make([]int, len(values))
	var seen map[string]int // once there are more than scan levels
	for i, v := range values {
		c := -1
		if seen == nil {
			for k, l := range levels {
				if l == v {
					c = k
					break
				}
			}
		} else if k, ok := seen[v]; ok {
			c = k
		}
		if c < 0 {
			c = len(levels)
			levels = append(levels, v)
			if seen != nil {
				seen[v] = c
			} else if len(levels) > scan {
				seen = make(map[string]int, 2*len(levels))
				for k, l := range levels {
					seen[l] = k
				}
			}
		}
		codes[i] = c
	}
	// Sort as Sort does (stable, from the order of first appearance) and
	// renumber.
	order := make([]int, len(levels))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return Less(levels[order[a]], levels[order[b]]) })
	rank := make([]int, len(levels))
	sorted := make([]string, len(levels))
	for r, k := range order {
		rank[k] = r
		sorted[r] = levels[k]
	}
	for i, c := range codes {
		codes[i] = rank[c]
	}
	return sorted, codes
}

// Group is the rows (indices, ascending) that share the key Values.
type Group struct {
	Values []string
	Rows   []int
}

// By groups the rows 0..n-1 of equal-length key columns by their values,
// groups in the order of LessKeys. With no columns it returns nil.
func By(cols ...[]string) []Group {
	if len(cols) == 0 {
		return nil
	}
	index := map[string]int{}
	var out []Group
	parts := make([]string, len(cols))
	for r := range cols[0] {
		for k := range cols {
			parts[k] = cols[k][r]
		}
		key := strings.Join(parts, "\x00")
		g, ok := index[key]
		if !ok {
			g = len(out)
			index[key] = g
			out = append(out, Group{Values: append([]string(nil), parts...)})
		}
		out[g].Rows = append(out[g].Rows, r)
	}
	sort.SliceStable(out, func(a, b int) bool { return LessKeys(out[a].Values, out[b].Values) })
	return out
}
