package screening

import (
	"fmt"
	"math"
	"slices"
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
	// Suppressed lists the counts hidden by disclosure control (Suppress);
	// every rate derived from one is hidden too. A rate that is NaN while
	// none of its counts is suppressed is not defined (no denominator).
	Suppressed []string `json:"suppressed,omitempty"`
}

// derivedFrom names the counts each rate derives from.
var derivedFrom = map[string][]string{
	"consensus_rate": {"consensus"}, "recall_rate": {"recalls"}, "cdr": {"screen_detected"},
	"interval_rate": {"interval"}, "ppv": {"recalls", "screen_detected"}, "sensitivity": {"screen_detected", "interval"},
	"specificity": {"recalls", "screen_detected", "interval"},
}

// IsSuppressed reports whether a count or rate (by its JSON name) is hidden
// by disclosure control rather than not defined.
func (r *ScreeningRow) IsSuppressed(field string) bool {
	for _, s := range r.Suppressed {
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

// Masked is what SuppressCounts masks: counts below the threshold and every
// rate that derives from them.
func (r *ScreeningRow) MaskCount(field string) {
	nan := math.NaN()
	if !slices.Contains(r.Suppressed, field) {
		r.Suppressed = append(r.Suppressed, field)
	}
	switch field {
	case "exams":
		*r = ScreeningRow{Group: r.Group, Suppressed: r.Suppressed, Exams: nan, Consensus: nan, Recalls: nan, ScreenDetected: nan, Interval: nan, Unknown: nan,
			ConsensusRate: nan, ConsensusRateLower: nan, ConsensusRateUpper: nan, RecallRate: nan, RecallRateLower: nan, RecallRateUpper: nan,
			CDR: nan, CDRLower: nan, CDRUpper: nan, IntervalRate: nan, IntervalRateLower: nan, IntervalRateUpper: nan,
			PPV: nan, PPVLower: nan, PPVUpper: nan, Sensitivity: nan, SensitivityLower: nan, SensitivityUpper: nan,
			Specificity: nan, SpecificityLower: nan, SpecificityUpper: nan}
	case "consensus":
		r.Consensus, r.ConsensusRate, r.ConsensusRateLower, r.ConsensusRateUpper = nan, nan, nan, nan
	case "recalls":
		r.Recalls, r.RecallRate, r.RecallRateLower, r.RecallRateUpper = nan, nan, nan, nan
		r.PPV, r.PPVLower, r.PPVUpper = nan, nan, nan
		r.Specificity, r.SpecificityLower, r.SpecificityUpper = nan, nan, nan
	case "screen_detected":
		r.ScreenDetected, r.CDR, r.CDRLower, r.CDRUpper = nan, nan, nan, nan
		r.PPV, r.PPVLower, r.PPVUpper = nan, nan, nan
		r.Sensitivity, r.SensitivityLower, r.SensitivityUpper = nan, nan, nan
		r.Specificity, r.SpecificityLower, r.SpecificityUpper = nan, nan, nan
	case "interval":
		r.Interval, r.IntervalRate, r.IntervalRateLower, r.IntervalRateUpper = nan, nan, nan, nan
		r.Sensitivity, r.SensitivityLower, r.SensitivityUpper = nan, nan, nan
		r.Specificity, r.SpecificityLower, r.SpecificityUpper = nan, nan, nan
	case "unknown":
		r.Unknown = nan
	}
}

// CountFields names the counts of a ScreeningRow, for suppression.
var CountFields = []string{"consensus", "recalls", "screen_detected", "interval", "unknown"}

// Count returns a count by its field name.
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
	}
	return math.NaN()
}

// Suppress masks counts below n, and every rate derived from them, in a
// report's group rows: a row with fewer than n exams entirely, then each
// small count with complementary cells (suppress.Mask) so that no hidden
// count follows from the others or, when the report ends with its "all"
// row (hasTotal), from the column totals; small counts of the "all" row
// itself are masked too.
func Suppress(rep *ScreeningReport, n float64, hasTotal bool) {
	rows := rep.Rows
	if hasTotal {
		rows = rows[:len(rows)-1]
	}
	for r := range rep.Rows {
		if suppress.Small(rep.Rows[r].Exams, n) {
			rep.Rows[r].MaskCount("exams")
		}
	}
	grid := make([][]float64, len(rows))
	for r := range rows {
		for _, f := range CountFields {
			grid[r] = append(grid[r], rows[r].Count(f))
		}
	}
	mask := suppress.Mask(grid, n, false, hasTotal)
	for r := range rows {
		for c, f := range CountFields {
			if mask[r][c] {
				rows[r].MaskCount(f)
			}
		}
	}
	if hasTotal {
		total := &rep.Rows[len(rep.Rows)-1]
		for _, f := range CountFields {
			if suppress.Small(total.Count(f), n) {
				total.MaskCount(f)
			}
		}
	}
}
