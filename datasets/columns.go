package datasets

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/groups"
)

// Events returns a 0/1 (or true/false) column as booleans: 1 an event (or
// a positive outcome), 0 censored (or negative). Anything else is an error
// naming the row.
func (f *Frame) Events(name string) ([]bool, error) {
	return f.EventsCoded(name, EventCodes{})
}

// EventCodes say how a status column codes censored and event: "0/1" (the
// default, also false/true) or "1/2" (R's Surv convention for 1/2 data:
// 1 censored, 2 event).
type EventCodes struct{ Censored, Event string }

// ParseEventCodes reads "0/1" or "1/2" (any two codes, censored first).
func ParseEventCodes(s string) (EventCodes, error) {
	a, b, ok := strings.Cut(s, "/")
	if !ok || a == "" || b == "" || a == b {
		return EventCodes{}, fmt.Errorf("event codes %q: want CENSORED/EVENT, e.g. 0/1 or 1/2", s)
	}
	return EventCodes{Censored: a, Event: b}, nil
}

// EventsCoded is Events with the status coded by codes (zero: 0/1).
func (f *Frame) EventsCoded(name string, codes EventCodes) ([]bool, error) {
	c, err := f.col(name)
	if err != nil {
		return nil, err
	}
	n := c.len()
	out := make([]bool, n)
	if codes.Censored == "" || codes == (EventCodes{"0", "1"}) {
		for i := 0; i < n; i++ {
			if c.nums != nil && (c.null == nil || !c.null[i]) { // Parquet numbers
				if x := c.nums[i]; x == 1 || x == 0 && !math.Signbit(x) { // (−0 is text "-0": an error below)
					out[i] = x == 1
					continue
				}
			}
			s := c.value(i)
			switch s {
			case "1":
				out[i] = true
				continue
			case "0":
				continue
			}
			switch strings.ToLower(s) {
			case "1", "true":
				out[i] = true
			case "0", "false":
			default:
				want := "an event code 0 (censored) or 1 (event)"
				if s == "2" {
					want += "; a status coded 1/2 (as R's Surv takes it) needs --event-codes 1/2"
				}
				return nil, f.Fail(name, i, ErrBadCode, want)
			}
		}
		return out, nil
	}
	for i := 0; i < n; i++ {
		switch s := c.value(i); s {
		case codes.Event:
			out[i] = true
		case codes.Censored:
		default:
			return nil, f.Fail(name, i, ErrBadCode, fmt.Sprintf("an event code %s (censored) or %s (event)", codes.Censored, codes.Event))
		}
	}
	return out, nil
}

// Levels returns a text column's distinct values in the order of
// groups.Less and each row's code. A missing value is an error.
func (f *Frame) Levels(name string) (levels []string, codes []int, err error) {
	vals, err := f.RequiredStrings(name)
	if err != nil {
		return nil, nil, err
	}
	levels, codes = groups.Levels(vals)
	return levels, codes, nil
}

// RequiredStrings is Strings of a column that may not have a missing value
// (empty or NA): the first is an error at its file, line and column.
func (f *Frame) RequiredStrings(name string) ([]string, error) {
	vals, err := f.Strings(name)
	if err != nil {
		return nil, err
	}
	for i, v := range vals {
		if v == "" || v == "NA" {
			return nil, f.Fail(name, i, ErrRequired, "a value (missing values are not allowed here; --missing drop leaves such rows out)")
		}
	}
	return vals, nil
}

// EpiYears reads a column of dates or decimal years as decimal years, with
// dates converted by EpiYear (popEpi's get.yrs convention).
func (f *Frame) EpiYears(name string) ([]float64, error) {
	vals, err := f.Strings(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(vals))
	for i, s := range vals {
		if d, err := ParseDate(s); err == nil && d != NoDate {
			out[i] = d.EpiYear()
			continue
		}
		x, ok := ParseNumber(s)
		if !ok {
			return nil, f.Fail(name, i, ErrBadDate, "a date YYYY-MM-DD or a decimal year")
		}
		out[i] = x
	}
	return out, nil
}

// FollowUpColumns names the follow-up of a survival analysis: either Time
// (with an optional Entry for delayed entry) or Start and Stop dates with
// the TimeUnit to count in ("days", "months" = 365.25/12 days or "years" =
// 365.25 days); optional case Weights.
type FollowUpColumns struct {
	Time, Entry, Start, Stop, TimeUnit, Weights string
}

// Names lists the columns to read.
func (c FollowUpColumns) Names() []string {
	var out []string
	for _, n := range []string{c.Time, c.Entry, c.Start, c.Stop, c.Weights} {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Check says what is wrong with a choice of columns.
func (c FollowUpColumns) Check() error {
	switch {
	case c.Time == "" && c.Start == "":
		return fmt.Errorf("name the follow-up: --time COL, or --start COL and --stop COL")
	case c.Time != "" && c.Start != "":
		return fmt.Errorf("--time and --start/--stop exclude each other")
	case (c.Start == "") != (c.Stop == ""):
		return fmt.Errorf("--start and --stop go together")
	case c.Start != "" && c.Entry != "":
		return fmt.Errorf("--entry goes with --time, not with --start/--stop")
	}
	switch c.TimeUnit {
	case "", "days", "months", "years":
	default:
		return fmt.Errorf("--time-unit %q: want days, months or years", c.TimeUnit)
	}
	return nil
}

// FollowUp is the follow-up read from a frame: exit times, entry times
// (nil without delayed entry) and case weights (nil without).
type FollowUp struct {
	Time, Entry, Weights []float64
}

// ReadFollowUp reads the follow-up columns of a frame, checking that times
// are >= 0, entries before exits, stops after starts and weights >= 0.
func (f *Frame) ReadFollowUp(c FollowUpColumns) (*FollowUp, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	fu := &FollowUp{}
	var err error
	if c.Start != "" {
		start, err := f.Dates(c.Start)
		if err != nil {
			return nil, err
		}
		stop, err := f.Dates(c.Stop)
		if err != nil {
			return nil, err
		}
		scale := map[string]float64{"": 1, "days": 1, "months": 365.25 / 12, "years": 365.25}[c.TimeUnit]
		fu.Time = make([]float64, len(start))
		for i := range start {
			if stop[i] < start[i] {
				return nil, f.Fail(c.Stop, i, ErrDateOrder, "a stop date on or after the start date "+start[i].String())
			}
			fu.Time[i] = float64(stop[i]-start[i]) / scale
		}
	} else {
		if fu.Time, err = f.Floats(c.Time, false); err != nil {
			return nil, err
		}
		for i, x := range fu.Time {
			if x < 0 {
				return nil, f.Fail(c.Time, i, ErrOutOfRange, "a time >= 0")
			}
		}
	}
	if c.Entry != "" {
		if fu.Entry, err = f.Floats(c.Entry, false); err != nil {
			return nil, err
		}
		for i := range fu.Entry {
			if fu.Entry[i] >= fu.Time[i] {
				return nil, f.Fail(c.Entry, i, ErrDateOrder, fmt.Sprintf("an entry time before the exit time %v (start < stop)", fu.Time[i]))
			}
		}
	}
	if c.Weights != "" {
		if fu.Weights, err = f.Floats(c.Weights, false); err != nil {
			return nil, err
		}
		for i, x := range fu.Weights {
			if x < 0 {
				return nil, f.Fail(c.Weights, i, ErrOutOfRange, "a weight >= 0")
			}
		}
	}
	return fu, nil
}

// RowLine returns the file:line of row r, for errors that estimators
// report by row index.
func (f *Frame) RowLine(r int) (string, bool) {
	if r < 0 || r >= f.rows.n {
		return "", false
	}
	return fmt.Sprintf("%s:%d", f.File, f.rows.line(r)), true
}

// AgeBand labels the band of width years that holds age, as the registry's
// tables label age groups ("50-54"); ages at or above top (when top > 0)
// share an open band ("90+"). A NaN or negative age gives "". It is
// screenlab's one age-band labeller, the inverse of ParseAgeGroup.
func AgeBand(age float64, width, top int) string {
	if math.IsNaN(age) || age < 0 || width <= 0 {
		return ""
	}
	lo := int(age) / width * width
	if top > 0 && lo >= top {
		return strconv.Itoa(top) + "+"
	}
	return strconv.Itoa(lo) + "-" + strconv.Itoa(lo+width-1)
}
