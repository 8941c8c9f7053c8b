package incidence

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Scale is a time scale of a Lexis diagram: attained age, calendar period
// or time since entry.
type Scale int

const (
	Age    Scale = iota // t − birth
	Period              // t
	Since               // t − entry (time since entry)
)

// Breaks are the band limits of one scale, increasing.
type Breaks struct {
	Name   string // "age", "period" or "since" (or "tse", "fu")
	Scale  Scale
	Limits []float64
}

// MaxBands is the most bands ParseBreaks makes on one scale: a mistyped
// "by" (age=0:0.0000001:100) is refused before it allocates.
const MaxBands = 100000

// ParseBreaks parses "age=0:5:100,period=1990:1:2025,since=0:1:10" (from:by:to,
// or an explicit list "age=0/50/70/85").
func ParseBreaks(s string) ([]Breaks, error) {
	var out []Breaks
	for _, part := range strings.Split(s, ",") {
		name, spec, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("breaks %q: want name=from:by:to, e.g. age=0:5:100", part)
		}
		b := Breaks{Name: name}
		switch name {
		case "age":
			b.Scale = Age
		case "period", "per", "year":
			b.Scale = Period
		case "since", "tse", "fu", "time":
			b.Scale = Since
		default:
			return nil, fmt.Errorf("breaks %q: scale %q: want age, period or since", part, name)
		}
		if strings.Count(spec, ":") == 2 {
			f := strings.Split(spec, ":")
			from, e1 := strconv.ParseFloat(f[0], 64)
			by, e2 := strconv.ParseFloat(f[1], 64)
			to, e3 := strconv.ParseFloat(f[2], 64)
			if e1 != nil || e2 != nil || e3 != nil || by <= 0 || to <= from {
				return nil, fmt.Errorf("breaks %q: want from:by:to with by > 0 and to > from", part)
			}
			bands := math.Round((to - from) / by)
			if bands > MaxBands || math.IsNaN(bands) || math.IsInf(from, 0) || math.IsInf(to, 0) {
				return nil, fmt.Errorf("breaks %q: %.0f bands; at most %d per scale", part, bands, MaxBands)
			}
			n := int(bands)
			for k := 0; k <= n; k++ {
				b.Limits = append(b.Limits, from+float64(k)*by)
			}
		} else {
			for _, v := range strings.Split(spec, "/") {
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return nil, fmt.Errorf("breaks %q: %q is not a number", part, v)
				}
				b.Limits = append(b.Limits, x)
			}
		}
		if len(b.Limits) < 2 || !sort.Float64sAreSorted(b.Limits) {
			return nil, fmt.Errorf("breaks %q: want at least two increasing limits", part)
		}
		for _, o := range out {
			if o.Scale == b.Scale {
				return nil, fmt.Errorf("breaks: scale %s given twice", name)
			}
		}
		out = append(out, b)
	}
	return out, nil
}

// Split is one piece of a person's follow-up within one band of every
// scale.
type Split struct {
	Person      int
	Band        []int // band index per scale (−1: never happens in output)
	PersonYears float64
	Event       bool
}

// SplitSummary reports what the splitting kept and left out.
type SplitSummary struct {
	Persons            int     `json:"persons"`
	PersonYears        float64 `json:"person_years"`
	Events             int     `json:"events"`
	OutsidePersonYears float64 `json:"outside_person_years"`
	OutsideEvents      int     `json:"outside_events"`
}

// SplitLexis splits each person's follow-up [entry, exit] (calendar time in
// decimal years; birth likewise) at the band limits of every scale at once,
// as Epi::splitLexis and popEpi::splitMulti do: a piece lies in one band of
// each scale, its person-years are its length, and the event (status) counts
// in the piece where follow-up ends. Follow-up outside the breaks is left
// out, as popEpi does, and reported in the summary. visit is called for each
// piece in person order.
func SplitLexis(birth, entry, exit []float64, event []bool, breaks []Breaks, visit func(Split)) (SplitSummary, error) {
	n := len(entry)
	if len(birth) != n || len(exit) != n || (event != nil && len(event) != n) {
		panic("incidence: slice length mismatch")
	}
	var sum SplitSummary
	sum.Persons = n
	cuts := make([]float64, 0, 64)
	band := make([]int, len(breaks))
	for i := 0; i < n; i++ {
		e, x, b := entry[i], exit[i], birth[i]
		if math.IsNaN(e) || math.IsNaN(x) || math.IsNaN(b) {
			return sum, &InputError{Row: i, Msg: "missing birth, entry or exit"}
		}
		if x < e {
			return sum, &InputError{Row: i, Msg: fmt.Sprintf("exit %v is before entry %v", x, e)}
		}
		if b > e {
			return sum, &InputError{Row: i, Msg: fmt.Sprintf("birth %v is after entry %v", b, e)}
		}
		ev := event != nil && event[i]
		// Cut points in calendar time, within (entry, exit).
		cuts = cuts[:0]
		cuts = append(cuts, e)
		for _, br := range breaks {
			off := offset(br.Scale, b, e)
			for _, l := range br.Limits {
				if t := l + off; t > e && t < x {
					cuts = append(cuts, t)
				}
			}
		}
		sort.Float64s(cuts[1:])
		cuts = append(cuts, x)
		for k := 0; k+1 < len(cuts); k++ {
			lo, hi := cuts[k], cuts[k+1]
			if hi <= lo && !(k+2 == len(cuts) && hi == lo && lo == e) {
				continue
			}
			inside := true
			mid := (lo + hi) / 2 // inside one band of every scale, away from rounding at the cuts
			for s, br := range breaks {
				v := mid - offset(br.Scale, b, e)
				j := sort.SearchFloat64s(br.Limits, math.Nextafter(v, math.Inf(1))) - 1
				if j < 0 || j >= len(br.Limits)-1 {
					inside = false
					break
				}
				band[s] = j
			}
			last := k+2 == len(cuts)
			py := hi - lo
			pe := ev && last
			if !inside {
				sum.OutsidePersonYears += py
				if pe {
					sum.OutsideEvents++
				}
				continue
			}
			sum.PersonYears += py
			if pe {
				sum.Events++
			}
			visit(Split{Person: i, Band: band, PersonYears: py, Event: pe})
		}
	}
	return sum, nil
}

func offset(s Scale, birth, entry float64) float64 {
	switch s {
	case Age:
		return birth
	case Since:
		return entry
	}
	return 0
}

// Cell is an aggregated band of every scale: person-years and events.
type Cell struct {
	Lower       []float64 // lower band limit per scale
	PersonYears float64
	Events      int
}

// Aggregate sums the splits into cells keyed by their bands, in band order
// (cells without person-time are absent).
func Aggregate(birth, entry, exit []float64, event []bool, breaks []Breaks) ([]Cell, SplitSummary, error) {
	dims := make([]int, len(breaks))
	size := 1
	for s, br := range breaks {
		dims[s] = len(br.Limits) - 1
		size *= dims[s]
	}
	if size > 50_000_000 {
		return nil, SplitSummary{}, fmt.Errorf("incidence: %d cells is too many; use wider bands", size)
	}
	py := make([]float64, size)
	ev := make([]int, size)
	touched := make([]bool, size)
	sum, err := SplitLexis(birth, entry, exit, event, breaks, func(sp Split) {
		k := 0
		for s, b := range sp.Band {
			k = k*dims[s] + b
		}
		py[k] += sp.PersonYears
		touched[k] = true
		if sp.Event {
			ev[k]++
		}
	})
	if err != nil {
		return nil, sum, err
	}
	var cells []Cell
	for k := 0; k < size; k++ {
		if !touched[k] || (py[k] == 0 && ev[k] == 0) {
			continue
		}
		c := Cell{Lower: make([]float64, len(breaks)), PersonYears: py[k], Events: ev[k]}
		r := k
		for s := len(breaks) - 1; s >= 0; s-- {
			c.Lower[s] = breaks[s].Limits[r%dims[s]]
			r /= dims[s]
		}
		cells = append(cells, c)
	}
	return cells, sum, nil
}

// InputError reports a bad value at a row index.
type InputError struct {
	Row int
	Msg string
}

func (e *InputError) Error() string { return fmt.Sprintf("row %d: %s", e.Row, e.Msg) }
