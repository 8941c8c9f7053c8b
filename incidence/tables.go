package incidence

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/report/suppress"
)

// CountColumns name the columns of a case-count table and a person-years
// table: the grouping columns By (in both), the age group (0-4 … 85+), the
// count and the person-years (or mid-year population).
type CountColumns struct {
	By                           []string
	AgeGroup, Cases, PersonYears string
}

// CountGroup is one group's age groups (cases and person-years).
type CountGroup struct {
	Values []string
	Ages   []AgeRate
}

// CountTable is case counts joined to person-years by group and age group,
// groups in the order of groups.LessKeys.
type CountTable struct {
	By     []string
	Groups []CountGroup
	// Population names the person-years table in messages.
	Population string
}

// JoinCounts joins a case-count table to a person-years table: every row
// of pop is a group and age group (once); the cases' counts are added to
// them; age groups absent from the cases have 0 cases; cases of a group or
// age group that pop lacks are an error naming the row.
func JoinCounts(cases, pop *datasets.Frame, c CountColumns) (*CountTable, error) {
	colsOf := func(fr *datasets.Frame) ([][]string, error) {
		out := make([][]string, len(c.By))
		for k, b := range c.By {
			var err error
			if out[k], err = fr.Strings(b); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	groupKey := func(cols [][]string, r int) string {
		parts := make([]string, len(cols))
		for k := range cols {
			parts[k] = cols[k][r]
		}
		return strings.Join(parts, "\x00")
	}
	pCols, err := colsOf(pop)
	if err != nil {
		return nil, err
	}
	cCols, err := colsOf(cases)
	if err != nil {
		return nil, err
	}
	pAge, err := pop.Strings(c.AgeGroup)
	if err != nil {
		return nil, err
	}
	py, err := pop.Floats(c.PersonYears, false)
	if err != nil {
		return nil, err
	}
	type key struct{ group, age string }
	cells := map[key]*AgeRate{}
	index := map[string]int{}
	var gs []CountGroup
	var ptrs [][]*AgeRate
	for r := range py {
		lo, _, ok := datasets.ParseAgeGroup(pAge[r])
		if !ok {
			return nil, pop.Fail(c.AgeGroup, r, datasets.ErrBadCode, "an age group such as 50-54 or 85+")
		}
		if py[r] < 0 {
			return nil, pop.Fail(c.PersonYears, r, datasets.ErrOutOfRange, "person-years >= 0")
		}
		g := groupKey(pCols, r)
		k := key{g, pAge[r]}
		if _, dup := cells[k]; dup {
			return nil, pop.Fail(c.AgeGroup, r, datasets.ErrDuplicateID, "one row per group and age group")
		}
		a := &AgeRate{AgeGroup: pAge[r], Lower: lo, PersonYears: py[r]}
		cells[k] = a
		i, seen := index[g]
		if !seen {
			i = len(gs)
			index[g] = i
			vals := make([]string, len(c.By))
			for j := range c.By {
				vals[j] = pCols[j][r]
			}
			gs = append(gs, CountGroup{Values: vals})
			ptrs = append(ptrs, nil)
		}
		ptrs[i] = append(ptrs[i], a)
	}
	cAge, err := cases.Strings(c.AgeGroup)
	if err != nil {
		return nil, err
	}
	n, err := cases.Floats(c.Cases, false)
	if err != nil {
		return nil, err
	}
	for r := range n {
		a, ok := cells[key{groupKey(cCols, r), cAge[r]}]
		if !ok {
			return nil, cases.Fail(c.AgeGroup, r, datasets.ErrUnknownPerson, "a group and age group that the population file has")
		}
		if n[r] < 0 {
			return nil, cases.Fail(c.Cases, r, datasets.ErrOutOfRange, "a count >= 0")
		}
		a.Cases += n[r]
	}
	for i := range gs {
		for _, a := range ptrs[i] {
			gs[i].Ages = append(gs[i].Ages, *a)
		}
	}
	// stable insertion sort: groups in the one order, ties as read
	for i := 1; i < len(gs); i++ {
		for j := i; j > 0 && groups.LessKeys(gs[j].Values, gs[j-1].Values); j-- {
			gs[j], gs[j-1] = gs[j-1], gs[j]
		}
	}
	return &CountTable{By: c.By, Groups: gs, Population: pop.File}, nil
}

// RateRow is the rates of one group.
type RateRow struct {
	Group groups.Key `json:"-"`
	DirectResult
	// Suppressed says which figures of the row disclosure control hides
	// and why: "cases" (the row total, with the crude rate) primary or
	// complementary, "asr" derived (the standardised and cumulative
	// rates, hidden with any age group they would reveal). Hidden age
	// groups carry their own reason.
	Suppressed suppress.Labels `json:"suppressed,omitempty"`
}

// IsSuppressed reports whether a figure of the row (by its JSON name) is
// hidden by disclosure control rather than not defined.
func (r *RateRow) IsSuppressed(field string) bool {
	switch field {
	case "cases", "crude":
		return r.Suppressed.Has("cases")
	case "asr", "asr_lower", "asr_upper", "cum_rate_0_74", "cum_risk_0_74":
		return r.Suppressed.Has("asr") || r.Suppressed.Has("cases")
	}
	return false
}

// RateTable is the rates of every group (the JSON of screenlab incidence
// rates).
type RateTable struct {
	Rows     []RateRow `json:"rows"`
	Standard string    `json:"standard"`
	Citation string    `json:"citation,omitempty"`
	Per      float64   `json:"per"`
	CI       string    `json:"ci"`
	Level    float64   `json:"level"`
	Ages     string    `json:"ages,omitempty"`
	Suppress int       `json:"suppress,omitempty"`
}

// Units are the rates' scale (render.Uniter): per Per person-years, and
// the cumulative rate and risk 0–74 in percent.
func (t *RateTable) Units() map[string]string {
	per := "per " + humanPer(t.Per) + " person-years"
	return map[string]string{"crude": per, "asr": per, "rate": per, "cum_rate_0_74": "%", "cum_risk_0_74": "%"}
}

// humanPer writes a rate base as people read it: 100,000.
func humanPer(per float64) string {
	s := strconv.FormatFloat(per, 'f', -1, 64)
	if per < 10000 || strings.Contains(s, ".") {
		return s
	}
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// RateOptions control Rates: DirectRate's level, rate base, interval and
// age range (Ages, named AgesLabel in the result), and Suppress, the
// smallest count shown (0: none).
type RateOptions struct {
	Level, Per float64
	CI         CIMethod
	Ages       *[2]int
	AgesLabel  string
	Suppress   int
}

// Rates computes crude, age-specific and directly standardised rates
// (DirectRate) for every group of a count table and applies disclosure
// control with Suppress (suppressRates).
func Rates(tab *CountTable, std Standard, opts RateOptions) (*RateTable, error) {
	ci := opts.CI
	if ci == "" {
		ci = FayFeuer
	}
	out := &RateTable{Standard: std.Name, Citation: std.Citation, Per: opts.Per, CI: string(ci), Level: opts.Level, Ages: opts.AgesLabel, Suppress: opts.Suppress}
	for _, g := range tab.Groups {
		res, err := DirectRate(append([]AgeRate(nil), g.Ages...), std, opts.Level, opts.Per, ci, opts.Ages)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): %w", tab.Population, strings.Join(g.Values, ", "), err)
		}
		out.Rows = append(out.Rows, RateRow{Group: groups.Key{Names: tab.By, Values: g.Values}, DirectResult: *res})
	}
	if opts.Suppress > 0 {
		if err := suppressRates(out, std, opts.Ages); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ReferenceRates are age-specific reference rates per person-year, keyed
// by the age group and the values of the match columns.
type ReferenceRates struct {
	Match []string
	rate  map[string]float64
	File  string
}

func refKey(age string, match []string) string {
	return strings.Join(append([]string{age}, match...), "\x00")
}

// ReadReferenceRates reads reference rates from a frame: the column rate
// (per person-year) or, when the frame lacks it, cases / personYears; the
// age group column and the match columns.
func ReadReferenceRates(fr *datasets.Frame, ageCol, rateCol, casesCol, pyCol string, match []string) (*ReferenceRates, error) {
	var rate []float64
	var err error
	if fr.Has(rateCol) {
		if rate, err = fr.Floats(rateCol, false); err != nil {
			return nil, err
		}
	} else {
		c, err := fr.Floats(casesCol, false)
		if err != nil {
			return nil, fmt.Errorf("%s: want a %q column, or %q and %q: %w", fr.File, rateCol, casesCol, pyCol, err)
		}
		p, err := fr.Floats(pyCol, false)
		if err != nil {
			return nil, err
		}
		rate = make([]float64, len(c))
		for i := range c {
			if p[i] <= 0 {
				return nil, fr.Fail(pyCol, i, datasets.ErrOutOfRange, "person-years > 0")
			}
			rate[i] = c[i] / p[i]
		}
	}
	age, err := fr.Strings(ageCol)
	if err != nil {
		return nil, err
	}
	cols := make([][]string, len(match))
	for k, m := range match {
		if cols[k], err = fr.Strings(m); err != nil {
			return nil, err
		}
	}
	ref := &ReferenceRates{Match: match, rate: map[string]float64{}, File: fr.File}
	vals := make([]string, len(match))
	for r := range rate {
		for k := range match {
			vals[k] = cols[k][r]
		}
		ref.rate[refKey(age[r], vals)] = rate[r]
	}
	return ref, nil
}

// SIRRow is the standardised incidence ratio of one group.
type SIRRow struct {
	Group groups.Key `json:"-"`
	SIR
	// Suppressed is {"observed": "primary"} when the observed count is
	// hidden (with its ratio, interval and p-value).
	Suppressed suppress.Labels `json:"suppressed,omitempty"`
}

// SIRTable is the SIR of every group (the JSON of screenlab incidence sir).
type SIRTable struct {
	Rows  []SIRRow `json:"rows"`
	Level float64  `json:"level"`
}

// SIRs computes the standardised incidence ratio of every group of a count
// table whose key columns are the by columns followed by the reference's
// match columns: observed = the group's cases, expected = sum over age
// groups (and match values) of person-years × reference rate, with the
// exact interval of IndirectRate. A group observing fewer than suppress
// (but some) cases is masked: no figure of the table sums observed counts,
// so nothing else reveals them (SIRsTable; suppress.Audit agrees).
func SIRs(tab *CountTable, by []string, ref *ReferenceRates, level float64, suppressBelow int) (*SIRTable, error) {
	if suppressBelow > 0 && suppressBelow < 3 {
		return nil, suppress.ErrThreshold
	}
	type acc struct {
		vals []string
		o, e float64
	}
	sums := map[string]*acc{}
	var order []string
	for _, g := range tab.Groups {
		byVals, matchVals := g.Values[:len(by)], g.Values[len(by):]
		bk := strings.Join(byVals, "\x00")
		a := sums[bk]
		if a == nil {
			a = &acc{vals: byVals}
			sums[bk] = a
			order = append(order, bk)
		}
		for _, c := range g.Ages {
			r, ok := ref.rate[refKey(c.AgeGroup, matchVals)]
			if !ok {
				return nil, fmt.Errorf("%s: no reference rate for age group %s %v", ref.File, c.AgeGroup, matchVals)
			}
			a.o += c.Cases
			a.e += c.PersonYears * r
		}
	}
	out := &SIRTable{Level: level}
	for _, k := range order {
		a := sums[k]
		s, err := IndirectRate(a.o, a.e, level)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", strings.Join(a.vals, ", "), err)
		}
		row := SIRRow{Group: groups.Key{Names: by, Values: a.vals}, SIR: s}
		if suppressBelow > 0 && a.o > 0 && a.o < float64(suppressBelow) {
			nan := math.NaN()
			row.Observed, row.SIR.SIR, row.Lower, row.Upper, row.P = nan, nan, nan, nan, nan
			row.Suppressed.Set("observed", suppress.Primary)
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// TrendRow is the trend of one group.
type TrendRow struct {
	Group groups.Key `json:"-"`
	Trend
}

// TrendTable is the trend of every group (the JSON of screenlab incidence
// trend).
type TrendTable struct {
	Rows  []TrendRow `json:"rows"`
	Level float64    `json:"level"`
}

// ErrYear is wrapped when a year column holds something else.
var ErrYear = errors.New("not a year")

// Trends fits PoissonTrend to every group of a count table whose key
// columns are the by columns followed by the year.
func Trends(tab *CountTable, by []string, level float64) (*TrendTable, error) {
	type data struct {
		vals            []string
		cases, py, year []float64
		age             []int
		ageCode         map[int]int
	}
	sums := map[string]*data{}
	var order []string
	for _, g := range tab.Groups {
		vals := g.Values
		yr, ok := datasets.ParseNumber(vals[len(vals)-1])
		if !ok {
			return nil, fmt.Errorf("value %q is %w", vals[len(vals)-1], ErrYear)
		}
		bk := strings.Join(vals[:len(by)], "\x00")
		d := sums[bk]
		if d == nil {
			d = &data{vals: vals[:len(by)], ageCode: map[int]int{}}
			sums[bk] = d
			order = append(order, bk)
		}
		for _, c := range g.Ages {
			code, ok := d.ageCode[c.Lower]
			if !ok {
				code = len(d.ageCode)
				d.ageCode[c.Lower] = code
			}
			d.cases, d.py, d.year, d.age = append(d.cases, c.Cases), append(d.py, c.PersonYears), append(d.year, yr), append(d.age, code)
		}
	}
	out := &TrendTable{Level: level}
	for _, k := range order {
		d := sums[k]
		tr, err := PoissonTrend(d.cases, d.py, d.year, d.age, level)
		if err != nil {
			return nil, err
		}
		out.Rows = append(out.Rows, TrendRow{Group: groups.Key{Names: by, Values: d.vals}, Trend: *tr})
	}
	return out, nil
}

// SplitRow is one band of a Lexis split: its key (an id and the bands'
// lower limits, by scale name), person-years and events.
type SplitRow struct {
	Group       groups.Key `json:"-"`
	PersonYears float64    `json:"person_years"`
	Events      float64    `json:"events"`
	// Suppressed is why Events is hidden (primary or complementary).
	Suppressed suppress.Reason `json:"suppressed,omitempty"`
}

// SplitTable is a Lexis split (the JSON of screenlab incidence split).
type SplitTable struct {
	Rows    []SplitRow   `json:"rows"`
	Summary SplitSummary `json:"summary"`
}

func formatLimit(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// bandKey marks every column numeric except an id.
func bandKey(names, values []string, id bool) groups.Key {
	num := make([]bool, len(names))
	for i := range num {
		num[i] = !(id && i == 0)
	}
	return groups.Key{Names: names, Values: values, Numeric: num}
}

// SplitOptions control SplitTableOf: Aggregate gives one row per band
// (else one per person and band, keyed by IDs, or the row number when IDs
// is nil), and with Aggregate, Suppress masks event counts below it and
// complementary cells, so that none follows from the summary's total
// (SplitTableCells, suppress.Protect).
type SplitOptions struct {
	Aggregate bool
	IDs       []string
	Suppress  int
}

// ErrSuppressPersons is returned when suppression is asked of person-level
// rows.
var ErrSuppressPersons = errors.New("--suppress needs --aggregate: person-level rows are not for publication")

// SplitTableOf splits follow-up on the breaks (SplitLexis, or Aggregate)
// into a table.
func SplitTableOf(birth, entry, exit []float64, event []bool, breaks []Breaks, opts SplitOptions) (*SplitTable, error) {
	if opts.Suppress > 0 && !opts.Aggregate {
		return nil, ErrSuppressPersons
	}
	names := make([]string, len(breaks))
	for s, b := range breaks {
		names[s] = b.Name
	}
	out := &SplitTable{}
	if opts.Aggregate {
		cells, sum, err := Aggregate(birth, entry, exit, event, breaks)
		if err != nil {
			return nil, err
		}
		out.Summary = sum
		for _, c := range cells {
			vals := make([]string, len(c.Lower))
			for s, l := range c.Lower {
				vals[s] = formatLimit(l)
			}
			out.Rows = append(out.Rows, SplitRow{Group: bandKey(names, vals, false), PersonYears: c.PersonYears, Events: float64(c.Events)})
		}
	} else {
		keyNames := append([]string{"id"}, names...)
		sum, err := SplitLexis(birth, entry, exit, event, breaks, func(sp Split) {
			vals := make([]string, 0, len(keyNames))
			if opts.IDs != nil {
				vals = append(vals, opts.IDs[sp.Person])
			} else {
				vals = append(vals, strconv.Itoa(sp.Person+1))
			}
			for s, b := range sp.Band {
				vals = append(vals, formatLimit(breaks[s].Limits[b]))
			}
			ev := 0
			if sp.Event {
				ev = 1
			}
			out.Rows = append(out.Rows, SplitRow{Group: bandKey(keyNames, vals, true), PersonYears: sp.PersonYears, Events: float64(ev)})
		})
		if err != nil {
			return nil, err
		}
		out.Summary = sum
	}
	if opts.Suppress > 0 {
		t := SplitTableCells(out)
		if _, err := suppress.Protect(t, float64(opts.Suppress)); err != nil {
			return nil, fmt.Errorf("incidence split: %w", err)
		}
		for r := range out.Rows {
			if c := t.Cells[r]; c.Hidden {
				out.Rows[r].Events, out.Rows[r].Suppressed = math.NaN(), c.Reason
			}
		}
	}
	return out, nil
}
