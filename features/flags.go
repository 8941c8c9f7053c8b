package features

import (
	"fmt"
	"strconv"
	"strings"
)

// SpecChoices are a user's choices of how covariates enter a design, as
// the command line writes them: splines "age:4" (column and knots),
// references "rx=Obs" (column and reference level) and ordinals
// "density=a<b<c<d" (column and levels in order).
type SpecChoices struct {
	Knots     map[string]int
	Reference map[string]string
	Ordinal   map[string][]string
}

// ParseSpecChoices reads splines, references and ordinals; an error names
// the flag and what it wants.
func ParseSpecChoices(splines, references, ordinals []string) (SpecChoices, error) {
	c := SpecChoices{Knots: map[string]int{}, Reference: map[string]string{}, Ordinal: map[string][]string{}}
	for _, s := range splines {
		col, k, ok := strings.Cut(s, ":")
		n, err := strconv.Atoi(k)
		if !ok || err != nil {
			return c, fmt.Errorf("--spline %q: want COL:KNOTS, e.g. age:4", s)
		}
		c.Knots[col] = n
	}
	for _, r := range references {
		col, l, ok := strings.Cut(r, "=")
		if !ok {
			return c, fmt.Errorf("--reference %q: want COL=LEVEL", r)
		}
		c.Reference[col] = l
	}
	for _, o := range ordinals {
		col, levels, ok := strings.Cut(o, "=")
		if !ok || !strings.Contains(levels, "<") {
			return c, fmt.Errorf("--ordinal %q: want COL=a<b<c", o)
		}
		c.Ordinal[col] = strings.Split(levels, "<")
	}
	return c, nil
}
