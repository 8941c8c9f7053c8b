package screening

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/report/suppress"
)

// ScreeningRow holds the screening indicators of one group of exams
// (European guidelines for quality assurance in breast cancer screening,
// Perry et al. 2006):
//
//	consensus_rate = exams discussed at consensus / exams
//	recall_rate    = recalls / exams
//	cdr            = 1000 × screen-detected / exams
//	interval_rate  = 1000 × interval cancers / exams
//	ppv            = screen-detected / recalls
//	sensitivity    = screen-detected / (screen-detected + interval)
//	specificity    = true negatives / (true negatives + false positives)
//
// where a false positive is a recall without a screen-detected or interval
// cancer, and a true negative an exam neither recalled nor followed by a
// cancer. Exams of unknown outcome count as without cancer. Each rate has a
// confidence interval for a binomial proportion (Wilson or exact).
type ScreeningRow struct {
	Group groups.Key `json:"-"`
	// Counts are float64 so that a published table can mask them (NaN,
	// written as null).
	Exams              float64 `json:"exams"`
	Consensus          float64 `json:"consensus"`
	Recalls            float64 `json:"recalls"`
	ScreenDetected     float64 `json:"screen_detected"`
	Interval           float64 `json:"interval"`
	Unknown            float64 `json:"unknown"`
	ConsensusRate      float64 `json:"consensus_rate"`
	ConsensusRateLower float64 `json:"consensus_rate_lower"`
	ConsensusRateUpper float64 `json:"consensus_rate_upper"`
	RecallRate         float64 `json:"recall_rate"`
	RecallRateLower    float64 `json:"recall_rate_lower"`
	RecallRateUpper    float64 `json:"recall_rate_upper"`
	CDR                float64 `json:"cdr"`
	CDRLower           float64 `json:"cdr_lower"`
	CDRUpper           float64 `json:"cdr_upper"`
	IntervalRate       float64 `json:"interval_rate"`
	IntervalRateLower  float64 `json:"interval_rate_lower"`
	IntervalRateUpper  float64 `json:"interval_rate_upper"`
	PPV                float64 `json:"ppv"`
	PPVLower           float64 `json:"ppv_lower"`
	PPVUpper           float64 `json:"ppv_upper"`
	Sensitivity        float64 `json:"sensitivity"`
	SensitivityLower   float64 `json:"sensitivity_lower"`
	SensitivityUpper   float64 `json:"sensitivity_upper"`
	Specificity        float64 `json:"specificity"`
	SpecificityLower   float64 `json:"specificity_lower"`
	SpecificityUpper   float64 `json:"specificity_upper"`
	// Suppressed says which counts disclosure control hides and why
	// (primary or complementary; Suppress); every rate derived from one is
	// hidden too. "specificity" is hidden on its own when it would give
	// away a small count (the interval cancers after a recall). A rate
	// that is NaN while none of its counts is suppressed is not defined
	// (no denominator).
	Suppressed suppress.Labels `json:"suppressed,omitempty"`
}

// derivedFrom names the counts each rate derives from.
var derivedFrom = map[string][]string{
	"consensus_rate": {"consensus"}, "recall_rate": {"recalls"}, "cdr": {"screen_detected"},
	"interval_rate": {"interval"}, "ppv": {"recalls", "screen_detected"}, "sensitivity": {"screen_detected", "interval"},
	"specificity": {"recalls", "screen_detected", "interval", "specificity"},
}

// IsSuppressed reports whether a count or rate (by its JSON name) is hidden
// by disclosure control rather than not defined.
func (r *ScreeningRow) IsSuppressed(field string) bool {
	field = strings.TrimSuffix(strings.TrimSuffix(field, "_lower"), "_upper")
	for s := range r.Suppressed {
		if s == "exams" || s == field {
			return true
		}
		for _, c := range derivedFrom[field] {
			if s == c {
				return true
			}
		}
	}
	return false
}

// ScreeningReport is the result of ScreeningMetrics.
type ScreeningReport struct {
	Rows []ScreeningRow `json:"rows"`
	// Excluded counts exams left out because a breast cancer preceded them.
	Excluded int                 `json:"excluded"`
	Level    float64             `json:"level"`
	CIMethod evaluation.CIMethod `json:"ci_method"`
}

// Units are the scales of the rates that are not proportions
// (render.Uniter).
func (*ScreeningReport) Units() map[string]string {
	return map[string]string{"cdr": "per 1000 exams", "interval_rate": "per 1000 exams"}
}

// ScreeningOptions control ScreeningMetrics.
type ScreeningOptions struct {
	// By names the grouping columns: screening_unit, round (first or
	// subsequent), round_number, density, age_group (5-year bands of age),
	// outcome, or any extra column of the exams table (extra names those).
	By []string
	// Total adds a row over all exams (its group values are "all") when By
	// is not empty.
	Total    bool
	Level    float64             // default 0.95
	CIMethod evaluation.CIMethod // default Wilson
}

type screeningCounts struct {
	exams, consensus, recalls, sd, interval, unknown, fp, tn int
}

func (c *screeningCounts) add(e *datasets.LinkedExam) {
	c.exams++
	if e.ConsensusHeld() {
		c.consensus++
	}
	cancer := e.Outcome == datasets.ScreenDetected || e.Outcome == datasets.Interval
	if e.Recall {
		c.recalls++
		if !cancer {
			c.fp++
		}
	} else if !cancer {
		c.tn++
	}
	switch e.Outcome {
	case datasets.ScreenDetected:
		c.sd++
	case datasets.Interval:
		c.interval++
	case datasets.Unknown:
		c.unknown++
	}
}

// ScreeningMetrics computes the screening indicators of linked exams,
// overall or by groups. Excluded exams (prior breast cancer) are counted but
// left out of every indicator.
func ScreeningMetrics(exams []datasets.LinkedExam, extra []string, opts ScreeningOptions) (*ScreeningReport, error) {
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	if opts.Level <= 0 || opts.Level >= 1 {
		return nil, fmt.Errorf("screening metrics: level %g: want a number between 0 and 1", opts.Level)
	}
	if opts.CIMethod == "" {
		opts.CIMethod = evaluation.Wilson
	}
	keyers := make([]func(*datasets.LinkedExam) string, len(opts.By))
	for i, name := range opts.By {
		k, err := groupKey(name, extra)
		if err != nil {
			return nil, err
		}
		keyers[i] = k
	}
	rep := &ScreeningReport{Level: opts.Level, CIMethod: opts.CIMethod}
	counts := map[string]*screeningCounts{}
	values := map[string][]string{}
	var total screeningCounts
	for i := range exams {
		e := &exams[i]
		if e.Outcome == datasets.Excluded {
			rep.Excluded++
			continue
		}
		total.add(e)
		if len(keyers) == 0 {
			continue
		}
		vals := make([]string, len(keyers))
		for k, f := range keyers {
			vals[k] = f(e)
		}
		key := strings.Join(vals, "\x00")
		c := counts[key]
		if c == nil {
			c = &screeningCounts{}
			counts[key] = c
			values[key] = vals
		}
		c.add(e)
	}
	if len(keyers) == 0 {
		rep.Rows = []ScreeningRow{screeningRow(groups.Key{}, &total, opts)}
		return rep, nil
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool { return groups.LessKeys(values[keys[a]], values[keys[b]]) })
	for _, k := range keys {
		rep.Rows = append(rep.Rows, screeningRow(groups.Key{Names: opts.By, Values: values[k]}, counts[k], opts))
	}
	if opts.Total {
		all := make([]string, len(opts.By))
		for i := range all {
			all[i] = "all"
		}
		rep.Rows = append(rep.Rows, screeningRow(groups.Key{Names: opts.By, Values: all}, &total, opts))
	}
	return rep, nil
}

func screeningRow(g groups.Key, c *screeningCounts, opts ScreeningOptions) ScreeningRow {
	row := ScreeningRow{Group: g, Exams: float64(c.exams), Consensus: float64(c.consensus), Recalls: float64(c.recalls),
		ScreenDetected: float64(c.sd), Interval: float64(c.interval), Unknown: float64(c.unknown)}
	prop := func(x, n int, scale float64) (est, lo, hi float64) {
		if n == 0 {
			return math.NaN(), math.NaN(), math.NaN()
		}
		lo, hi = evaluation.ProportionCI(x, n, opts.Level, opts.CIMethod)
		return scale * float64(x) / float64(n), scale * lo, scale * hi
	}
	row.ConsensusRate, row.ConsensusRateLower, row.ConsensusRateUpper = prop(c.consensus, c.exams, 1)
	row.RecallRate, row.RecallRateLower, row.RecallRateUpper = prop(c.recalls, c.exams, 1)
	row.CDR, row.CDRLower, row.CDRUpper = prop(c.sd, c.exams, 1000)
	row.IntervalRate, row.IntervalRateLower, row.IntervalRateUpper = prop(c.interval, c.exams, 1000)
	row.PPV, row.PPVLower, row.PPVUpper = prop(c.sd, c.recalls, 1)
	row.Sensitivity, row.SensitivityLower, row.SensitivityUpper = prop(c.sd, c.sd+c.interval, 1)
	row.Specificity, row.SpecificityLower, row.SpecificityUpper = prop(c.tn, c.tn+c.fp, 1)
	return row
}

// groupKey returns a function giving the group value of an exam.
func groupKey(name string, extra []string) (func(*datasets.LinkedExam) string, error) {
	switch name {
	case "screening_unit":
		return func(e *datasets.LinkedExam) string { return e.ScreeningUnit }, nil
	case "round":
		return func(e *datasets.LinkedExam) string {
			switch {
			case e.Round == 1:
				return "first"
			case e.Round > 1:
				return "subsequent"
			}
			return ""
		}, nil
	case "round_number":
		return func(e *datasets.LinkedExam) string {
			if e.Round <= 0 {
				return ""
			}
			return strconv.Itoa(e.Round)
		}, nil
	case "density":
		return func(e *datasets.LinkedExam) string { return e.Density }, nil
	case "outcome":
		return func(e *datasets.LinkedExam) string { return string(e.Outcome) }, nil
	case "age_group":
		return func(e *datasets.LinkedExam) string { return datasets.AgeBand(e.Age, 5, 0) }, nil
	case "year":
		return func(e *datasets.LinkedExam) string { y, _, _ := e.Date.Civil(); return strconv.Itoa(y) }, nil
	}
	for i, x := range extra {
		if x == name {
			return func(e *datasets.LinkedExam) string {
				if i < len(e.Extra) {
					return e.Extra[i]
				}
				return ""
			}, nil
		}
	}
	avail := append([]string{"screening_unit", "round", "round_number", "density", "age_group", "year", "outcome"}, extra...)
	return nil, fmt.Errorf("--by %s: no such column; available: %s", name, strings.Join(avail, ", "))
}

// hide masks a count (or the specificity) of a published row and every
// rate that derives from it.
func (r *ScreeningRow) hide(field string, why suppress.Reason) {
	nan := math.NaN()
	r.Suppressed.Set(field, why)
	spec := func() { r.Specificity, r.SpecificityLower, r.SpecificityUpper = nan, nan, nan }
	switch field {
	case "exams":
		r.Exams = nan
		r.ConsensusRate, r.ConsensusRateLower, r.ConsensusRateUpper = nan, nan, nan
		r.RecallRate, r.RecallRateLower, r.RecallRateUpper = nan, nan, nan
		r.CDR, r.CDRLower, r.CDRUpper = nan, nan, nan
		r.IntervalRate, r.IntervalRateLower, r.IntervalRateUpper = nan, nan, nan
		spec()
	case "consensus":
		r.Consensus, r.ConsensusRate, r.ConsensusRateLower, r.ConsensusRateUpper = nan, nan, nan, nan
	case "recalls":
		r.Recalls, r.RecallRate, r.RecallRateLower, r.RecallRateUpper = nan, nan, nan, nan
		r.PPV, r.PPVLower, r.PPVUpper = nan, nan, nan
		spec()
	case "screen_detected":
		r.ScreenDetected, r.CDR, r.CDRLower, r.CDRUpper = nan, nan, nan, nan
		r.PPV, r.PPVLower, r.PPVUpper = nan, nan, nan
		r.Sensitivity, r.SensitivityLower, r.SensitivityUpper = nan, nan, nan
		spec()
	case "interval":
		r.Interval, r.IntervalRate, r.IntervalRateLower, r.IntervalRateUpper = nan, nan, nan, nan
		r.Sensitivity, r.SensitivityLower, r.SensitivityUpper = nan, nan, nan
		spec()
	case "unknown":
		r.Unknown = nan
	case "specificity":
		spec()
	}
}

// Count returns a count by its field name ("specificity": the true
// negatives it gives away; NaN when it is hidden).
func (r *ScreeningRow) Count(field string) float64 {
	switch field {
	case "exams":
		return r.Exams
	case "consensus":
		return r.Consensus
	case "recalls":
		return r.Recalls
	case "screen_detected":
		return r.ScreenDetected
	case "interval":
		return r.Interval
	case "unknown":
		return r.Unknown
	case "specificity":
		// the true negatives it gives away
		if r.Suppressed.Has("specificity") {
			return math.NaN()
		}
		if cancerFree := r.Exams - r.ScreenDetected - r.Interval; cancerFree == 0 {
			return 0
		} else {
			return math.Round(r.Specificity * cancerFree)
		}
	}
	return math.NaN()
}

// ScreeningTable is what a screening table tells a reader, for
// suppress.Audit and suppress.Protect. Per row: the counts (exams,
// consensus, recalls, screen-detected, interval, unknown; all eligible for
// primary suppression), each at most the exams, the outcomes together at
// most the exams, and the true negatives that a shown specificity gives
// away (tn = specificity × (exams − screen-detected − interval)), with the
// count it reveals in turn: the interval cancers after a recall, recalls −
// false positives − screen-detected = recalls − exams + interval + tn
// (implicit: never printed, protected when small); the true negatives are
// hidden with any of the counts the specificity derives from. With hasTotal, the last
// row is the column totals of the others. A figure is hidden where the
// table shows NaN. index[r] is the first cell of row r, in the order of
// screeningFields.
func ScreeningTable(rep *ScreeningReport, hasTotal bool) (t *suppress.Table, index []int) {
	t = &suppress.Table{}
	last := len(rep.Rows) - 1
	for i := range rep.Rows {
		r := &rep.Rows[i]
		cost := 1.0
		if hasTotal && i == last {
			cost = 5
		}
		first := len(t.Cells)
		index = append(index, first)
		name := r.Group.String()
		for _, f := range screeningFields {
			c := cellOf(f+", "+name, r.Count(f), r.Suppressed[f], cost)
			switch f {
			case "exams":
				c.Cost = cost + 2
			case "specificity":
				c.Cost = cost - 0.5 // the cheapest to hide: it only adds a rate
				// hidden with any count it derives from
				c.Follows = []int{first, first + 2, first + 3, first + 4}
			}
			t.Add(c)
		}
		ri := t.Add(suppress.Cell{Name: "interval cancers after a recall, " + name, Value: math.NaN(), Implicit: true, Hidden: true, Eligible: true})
		exams, recalls, sd, interval, unknown, tn := first, first+2, first+3, first+4, first+5, first+6
		for _, c := range []int{first + 1, recalls, sd, interval, unknown, tn} {
			t.AtMost(c, exams)
		}
		t.Relations = append(t.Relations,
			suppress.Relation{Terms: []suppress.Term{{Cell: sd, Coef: 1}, {Cell: interval, Coef: 1}, {Cell: unknown, Coef: 1}, {Cell: exams, Coef: -1}}, LessEq: true},
			suppress.Relation{Terms: []suppress.Term{{Cell: ri, Coef: -1}, {Cell: recalls, Coef: 1}, {Cell: exams, Coef: -1}, {Cell: interval, Coef: 1}, {Cell: tn, Coef: 1}}})
	}
	if hasTotal {
		for f := range screeningFields {
			parts := make([]int, 0, last)
			for r := 0; r < last; r++ {
				parts = append(parts, index[r]+f)
			}
			t.Sum(index[last]+f, parts...)
		}
	}
	return t, index
}

// screeningFields are the cells of a row of ScreeningTable.
var screeningFields = []string{"exams", "consensus", "recalls", "screen_detected", "interval", "unknown", "specificity"}

// Suppress applies disclosure control to a report's rows: every count
// below n is hidden (primary), then complementary figures until no hidden
// count can be worked out from the table (suppress.Protect on
// ScreeningTable: the column totals of the "all" row when hasTotal, the
// counts' bounds, and what a shown specificity gives away), and every rate
// derived from a hidden count. It fails for n below 3.
func Suppress(rep *ScreeningReport, n float64, hasTotal bool) error {
	t, index := ScreeningTable(rep, hasTotal)
	if _, err := suppress.Protect(t, n); err != nil {
		return fmt.Errorf("screening metrics: %w", err)
	}
	for r := range rep.Rows {
		for f, field := range screeningFields {
			if c := t.Cells[index[r]+f]; c.Hidden {
				rep.Rows[r].hide(field, c.Reason)
			}
		}
	}
	return nil
}
