package screening

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/report/suppress"
)

// Indicator is a quality indicator: a numerator over a denominator per
// unit (hospital, health trust, screening unit), with a target.
//
// Numerator and Denominator are "COL" (the column summed: 0/1 flags or
// counts), "COL=V1|V2" (rows whose COL is one of the values), "rows"
// (every row), or a sum of these joined by "+". Per scales the shown
// value (1000: per 1000). Target is ">=X", ">X", "<=X" or "<X" in the
// shown scale. Where, when set, keeps only rows with COL=V1|V2 (several
// conditions joined by "&" must all hold). Table names the linked table
// the indicator reads when a programme has two: "episodes" (the default)
// or "invitations".
type Indicator struct {
	Name        string  `json:"name"`
	Description string  `json:"description,omitempty"`
	Numerator   string  `json:"numerator"`
	Denominator string  `json:"denominator"`
	Where       string  `json:"where,omitempty"`
	Per         float64 `json:"per,omitempty"`
	Target      string  `json:"target,omitempty"`
	Table       string  `json:"table,omitempty"`
	// Achievement levels as the national results sites show them (see
	// levels.go): the desired direction ("higher" or "lower"), the high
	// and moderate levels in the shown scale, the denominator below which
	// a unit's value is not shown (default 5 with levels), the 0/1 column
	// whose mean over a unit's rows is its completeness and the share
	// below which its value is not shown (default 0.6), the unit column of
	// each context (treating hospital, catchment area), the year column,
	// and where the levels come from.
	Direction      string            `json:"direction,omitempty"`
	High           *float64          `json:"high,omitempty"`
	Moderate       *float64          `json:"moderate,omitempty"`
	MinDenominator int               `json:"min_denominator,omitempty"`
	Coverage       string            `json:"coverage,omitempty"`
	MinCoverage    float64           `json:"min_coverage,omitempty"`
	Contexts       map[string]string `json:"contexts,omitempty"`
	Year           string            `json:"year,omitempty"`
	Source         string            `json:"source,omitempty"`
}

//go:embed indicators_screening.json
var builtinScreening []byte

//go:embed indicators_cervical.json
var builtinCervical []byte

//go:embed indicators_bowel.json
var builtinBowel []byte

//go:embed indicators_quality.json
var builtinQuality []byte

// BuiltinNames are the shipped definition sets.
var BuiltinNames = []string{"screening", "cervical", "bowel", "quality"}

// BuiltinIndicators returns the shipped definitions by name, and the
// file's bytes for users to copy: "screening" (breast: recall rate, cancer
// detection rate, interval cancer rate, sensitivity, on linked exams),
// "cervical" and "bowel" (the programmes' indicators on linked episodes
// and, for participation, linked invitations), "quality" (clinical quality
// registry examples with achievement levels, on the clinical registry's
// cases).
func BuiltinIndicators(name string) ([]Indicator, []byte, error) {
	var raw []byte
	switch name {
	case "screening":
		raw = builtinScreening
	case "cervical":
		raw = builtinCervical
	case "bowel":
		raw = builtinBowel
	case "quality":
		raw = builtinQuality
	default:
		return nil, nil, fmt.Errorf("indicators: no built-in definitions %q (there are: %s)", name, strings.Join(BuiltinNames, ", "))
	}
	defs, err := ParseIndicators(raw)
	return defs, raw, err
}

// ForTable keeps the definitions that read a table: "episodes" (or
// unnamed) or "invitations".
func ForTable(defs []Indicator, table string) []Indicator {
	var out []Indicator
	for _, d := range defs {
		t := d.Table
		if t == "" {
			t = "episodes"
		}
		if t == table {
			out = append(out, d)
		}
	}
	return out
}

// ParseIndicators reads a JSON list of indicator definitions.
func ParseIndicators(raw []byte) ([]Indicator, error) {
	var defs []Indicator
	if err := json.Unmarshal(raw, &defs); err != nil {
		return nil, fmt.Errorf("indicator definitions: %w", err)
	}
	for _, d := range defs {
		if d.Name == "" || d.Numerator == "" || d.Denominator == "" {
			return nil, fmt.Errorf("indicator definitions: %+v needs a name, a numerator and a denominator", d)
		}
		if _, _, err := parseTarget(d.Target); err != nil {
			return nil, fmt.Errorf("indicator %s: %w", d.Name, err)
		}
		if err := d.checkLevels(); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

// TargetValue is the indicator's target as an operator (">=", ">", "<=",
// "<") and a value in the shown scale; ok is false without a target.
func (ind Indicator) TargetValue() (op string, value float64, ok bool) {
	op, value, err := parseTarget(ind.Target)
	return op, value, err == nil && op != ""
}

// parseTarget reads ">=0.8" etc.; "" is no target.
func parseTarget(t string) (string, float64, error) {
	t = strings.TrimSpace(t)
	if t == "" {
		return "", math.NaN(), nil
	}
	for _, op := range []string{">=", "<=", ">", "<"} {
		if rest, ok := strings.CutPrefix(t, op); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				break
			}
			return op, v, nil
		}
	}
	return "", 0, fmt.Errorf("target %q: want >=X, >X, <=X or <X", t)
}

func meets(op string, v, x float64) bool {
	switch op {
	case ">=":
		return v >= x
	case ">":
		return v > x
	case "<=":
		return v <= x
	}
	return v < x
}

// IndicatorRow is an indicator for one unit (or the nation).
type IndicatorRow struct {
	Unit        string  `json:"unit"`
	Numerator   float64 `json:"numerator"`
	Denominator float64 `json:"denominator"`
	Value       float64 `json:"value"`
	Lower       float64 `json:"lower"`
	Upper       float64 `json:"upper"`
	// TargetMet: the estimate meets the target; Confidently: so does the
	// whole interval (nil without a target).
	TargetMet   *bool  `json:"target_met,omitempty"`
	Confidently *bool  `json:"target_met_with_confidence,omitempty"`
	Funnel      string `json:"funnel"` // within, or above/below the 95% or 99.8% limit
	// Suppressed says which of numerator and denominator disclosure
	// control hides, and why (primary or complementary).
	Suppressed suppress.Labels `json:"suppressed,omitempty"`
	// Level is the achievement level (high, moderate, low) of an
	// indicator with levels, or why none is shown: "low N", "low
	// coverage" or "suppressed"; Completeness the unit's coverage.
	Level        string  `json:"level,omitempty"`
	Completeness float64 `json:"completeness,omitempty"`
}

// FunnelPoint holds the control limits at a denominator.
type FunnelPoint struct {
	N        float64 `json:"n"`
	Lower95  float64 `json:"lower95"`
	Upper95  float64 `json:"upper95"`
	Lower998 float64 `json:"lower998"`
	Upper998 float64 `json:"upper998"`
}

// IndicatorResult is one indicator per unit and nationally.
type IndicatorResult struct {
	Indicator
	Units    []IndicatorRow `json:"units"`
	National IndicatorRow   `json:"national"`
	Limits   []FunnelPoint  `json:"funnel_limits"`
	// Overdispersion, with IndicatorOptions.Overdispersion: φ and τ²
	// of the units (Spiegelhalter 2005); the limits and places are then
	// the additive random-effects ones, and Flagged names the units
	// outside the 99.8% limits.
	Overdispersion *Overdispersion `json:"overdispersion,omitempty"`
	Flagged        []string        `json:"flagged,omitempty"`
}

// columnSum returns a per-row value for "rows", "COL" or "COL=V1|V2", or
// for a sum of these joined by "+".
func columnSum(fr *datasets.Frame, expr string) ([]float64, error) {
	if terms := strings.Split(expr, "+"); len(terms) > 1 {
		var out []float64
		for _, t := range terms {
			x, err := columnSum(fr, strings.TrimSpace(t))
			if err != nil {
				return nil, err
			}
			if out == nil {
				out = x
				continue
			}
			for i := range out {
				out[i] += x[i]
			}
		}
		return out, nil
	}
	n := fr.Len()
	out := make([]float64, n)
	if expr == "rows" {
		for i := range out {
			out[i] = 1
		}
		return out, nil
	}
	col, vals, isMatch := strings.Cut(expr, "=")
	if isMatch {
		s, err := fr.Strings(col)
		if err != nil {
			return nil, err
		}
		set := map[string]bool{}
		for _, v := range strings.Split(vals, "|") {
			set[v] = true
		}
		for i, v := range s {
			if set[v] {
				out[i] = 1
			}
		}
		return out, nil
	}
	x, err := fr.Floats(col, false)
	if err != nil {
		return nil, err
	}
	for i, v := range x {
		if v < 0 {
			return nil, fr.Fail(col, i, datasets.ErrOutOfRange, "a count (0 or more)")
		}
	}
	return x, nil
}

// perRow returns an indicator's numerator and denominator per row of fr,
// and which rows its Where keeps (nil: every row).
func (ind *Indicator) perRow(fr *datasets.Frame) (num, den, keep []float64, err error) {
	if num, err = columnSum(fr, ind.Numerator); err != nil {
		return nil, nil, nil, err
	}
	if den, err = columnSum(fr, ind.Denominator); err != nil {
		return nil, nil, nil, err
	}
	for _, cond := range strings.Split(ind.Where, "&") {
		if cond = strings.TrimSpace(cond); cond == "" {
			continue
		}
		k, err := columnSum(fr, cond)
		if err != nil {
			return nil, nil, nil, err
		}
		if keep == nil {
			keep = k
			continue
		}
		for i := range keep {
			keep[i] *= k[i]
		}
	}
	return num, den, keep, nil
}

// Columns lists the columns an indicator reads.
func (ind *Indicator) Columns() []string {
	var cols []string
	for _, e := range []string{ind.Numerator, ind.Denominator, ind.Where, ind.Coverage} {
		for _, t := range strings.FieldsFunc(e, func(r rune) bool { return r == '+' || r == '&' }) {
			if t = strings.TrimSpace(t); t != "" && t != "rows" {
				c, _, _ := strings.Cut(t, "=")
				cols = append(cols, c)
			}
		}
	}
	return cols
}

// IndicatorOptions set ComputeIndicator.
type IndicatorOptions struct {
	Level  float64 // for the units' intervals; default 0.95
	Points int     // funnel limit points; default 60
	// CI is the interval of the units' values: Wilson (the default) or
	// exact (Clopper-Pearson).
	CI evaluation.CIMethod
	// Overdispersion (ComputeIndicators) draws the funnel limits around
	// the national value with the additive random-effects correction of
	// Spiegelhalter (2005) on z-scores 10% Winsorised (as FunnelPlotR),
	// estimated from the units shown after disclosure control, and places
	// units by them.
	Overdispersion bool
}

// ComputeIndicator sums the indicator per unit of fr's column unit:
// value = numerator/denominator × Per with a Wilson interval, whether the
// target is met, and the unit's place in a funnel plot around the national
// value with exact binomial 95% and 99.8% limits interpolated as
// Spiegelhalter (2005, Stat Med 24:1185, appendix) describes.
func ComputeIndicator(fr *datasets.Frame, unit string, ind Indicator, opts IndicatorOptions) (*IndicatorResult, error) {
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	if opts.Points == 0 {
		opts.Points = 60
	}
	if opts.CI == "" {
		opts.CI = evaluation.Wilson
	}
	if ind.Per == 0 {
		ind.Per = 1
	}
	op, target, err := parseTarget(ind.Target)
	if err != nil {
		return nil, err
	}
	units, err := fr.Strings(unit)
	if err != nil {
		return nil, err
	}
	num, den, keep, err := ind.perRow(fr)
	if err != nil {
		return nil, err
	}
	var covered []float64
	if ind.Coverage != "" {
		if covered, err = columnSum(fr, ind.Coverage); err != nil {
			return nil, err
		}
	}
	covSum, covN := map[string]float64{}, map[string]float64{}
	sums := map[string]*IndicatorRow{}
	var order []string
	nat := IndicatorRow{Unit: "national"}
	for i, u := range units {
		// every unit is listed, even one whose rows the Where leaves out
		// (no denominator), so that all indicators have the same units
		r := sums[u]
		if r == nil {
			r = &IndicatorRow{Unit: u}
			sums[u] = r
			order = append(order, u)
		}
		if keep != nil && keep[i] == 0 {
			continue
		}
		if covered != nil {
			covSum[u] += covered[i]
			covN[u]++
			covSum["\x00national"] += covered[i]
			covN["\x00national"]++
		}
		r.Numerator += num[i]
		r.Denominator += den[i]
		nat.Numerator += num[i]
		nat.Denominator += den[i]
	}
	if nat.Denominator == 0 {
		return nil, fmt.Errorf("indicator %s: the denominator is 0 everywhere", ind.Name)
	}
	groups.Sort(order)
	p0 := nat.Numerator / nat.Denominator
	res := &IndicatorResult{Indicator: ind}
	finish := func(r *IndicatorRow) error {
		if r.Numerator > r.Denominator {
			return fmt.Errorf("indicator %s, %s: numerator %g exceeds denominator %g", ind.Name, r.Unit, r.Numerator, r.Denominator)
		}
		if r.Denominator == 0 {
			r.Value, r.Lower, r.Upper, r.Funnel = math.NaN(), math.NaN(), math.NaN(), "no denominator"
			return nil
		}
		r.Value = ind.Per * r.Numerator / r.Denominator
		lo, hi := evaluation.ProportionCI(int(math.Round(r.Numerator)), int(math.Round(r.Denominator)), opts.Level, opts.CI)
		r.Lower, r.Upper = ind.Per*lo, ind.Per*hi
		if op != "" {
			met := meets(op, r.Value, target)
			conf := meets(op, r.Lower, target) && meets(op, r.Upper, target)
			r.TargetMet, r.Confidently = &met, &conf
		}
		r.Funnel = funnelPlace(r.Numerator/r.Denominator, r.Denominator, p0)
		key := r.Unit
		if r == &nat {
			key = "\x00national"
		}
		if covered != nil && covN[key] > 0 {
			r.Completeness = covSum[key] / covN[key]
		}
		ind.level(r, covered != nil)
		return nil
	}
	for _, u := range order {
		r := sums[u]
		if err := finish(r); err != nil {
			return nil, err
		}
		res.Units = append(res.Units, *r)
	}
	if err := finish(&nat); err != nil {
		return nil, err
	}
	nat.Funnel = ""
	res.National = nat
	res.Limits = funnelLimits(res.Units, p0, ind.Per, opts.Points)
	return res, nil
}

// funnelLimits returns the control limits around p0 at points denominators
// from half the smallest shown unit denominator to 1.1 times the largest.
func funnelLimits(units []IndicatorRow, p0, per float64, points int) []FunnelPoint {
	lo, hi := math.Inf(1), 0.0
	for _, r := range units {
		if r.Denominator > 0 {
			lo, hi = math.Min(lo, r.Denominator), math.Max(hi, r.Denominator)
		}
	}
	if hi == 0 {
		return nil
	}
	lo = math.Max(1, math.Floor(lo/2))
	var limits []FunnelPoint
	for k := 0; k <= points; k++ {
		n := math.Round(lo * math.Pow(hi*1.1/lo, float64(k)/float64(points)))
		if k > 0 && n == limits[len(limits)-1].N {
			continue
		}
		pt := FunnelPoint{N: n}
		pt.Lower95, pt.Upper95 = per*binomialLimit(n, p0, 0.025), per*binomialLimit(n, p0, 0.975)
		pt.Lower998, pt.Upper998 = per*binomialLimit(n, p0, 0.001), per*binomialLimit(n, p0, 0.999)
		limits = append(limits, pt)
	}
	return limits
}

// binomialLimit is the p-th control limit for a proportion out of n
// around p0: r, the smallest count with P(X ≤ r) ≥ p for X ~ Bin(n, p0),
// less the interpolation α = (P(X ≤ r) − p)/(P(X ≤ r) − P(X ≤ r−1)),
// over n (Spiegelhalter 2005, appendix A.1.1).
func binomialLimit(n, p0, p float64) float64 {
	if p0 <= 0 || p0 >= 1 {
		return p0
	}
	b := distuv.Binomial{N: n, P: p0}
	lo, hi := 0.0, n
	for lo < hi { // smallest r with CDF(r) ≥ p
		mid := math.Floor((lo + hi) / 2)
		if b.CDF(mid) >= p {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	r := lo
	cr := b.CDF(r)
	prev := 0.0
	if r > 0 {
		prev = b.CDF(r - 1)
	}
	alpha := 0.0
	if cr > prev {
		alpha = (cr - p) / (cr - prev)
	}
	return math.Min(1, math.Max(0, (r-alpha)/n)) // a proportion
}

// IsSuppressed reports whether a figure (by its JSON name) is hidden by
// disclosure control rather than not defined.
func (r *IndicatorRow) IsSuppressed(field string) bool {
	switch field {
	case "numerator", "denominator":
		return r.Suppressed.Has(field)
	case "value", "lower", "upper":
		return len(r.Suppressed) > 0
	}
	return false
}

// hide blanks a figure (numerator or denominator) of a published table and
// everything derived from it: the value, its interval, the target and the
// funnel place.
func (r *IndicatorRow) hide(field string, why suppress.Reason) {
	r.Suppressed.Set(field, why)
	nan := math.NaN()
	if field == "numerator" {
		r.Numerator = nan
	} else {
		r.Denominator = nan
	}
	r.Value, r.Lower, r.Upper = nan, nan, nan
	r.TargetMet, r.Confidently = nil, nil
	r.Funnel = "suppressed"
}

// funnelPlace says where a unit's proportion lies among the limits.
func funnelPlace(v, n, p0 float64) string {
	switch {
	case v > binomialLimit(n, p0, 0.999):
		return "above 99.8%"
	case v > binomialLimit(n, p0, 0.975):
		return "above 95%"
	case v < binomialLimit(n, p0, 0.001):
		return "below 99.8%"
	case v < binomialLimit(n, p0, 0.025):
		return "below 95%"
	}
	return "within"
}

// ErrNoIndicators is returned when nothing is asked for.
var ErrNoIndicators = errors.New("no indicators")

// KeyColumns names an indicator's rows in a tidy table.
func (r *IndicatorResult) KeyColumns() ([]string, []string) {
	return []string{"indicator"}, []string{r.Name}
}

// MainTable is every unit of every indicator (render.Options).
func (*IndicatorsResult) MainTable() string { return "indicators.units" }

// IndicatorsResult is every indicator of a table per unit (the JSON of
// screenlab indicators). Plots lists the funnel plots a caller drew.
type IndicatorsResult struct {
	Unit       string             `json:"unit"`
	Indicators []*IndicatorResult `json:"indicators"`
	Plots      []string           `json:"plots,omitempty"`
}

// wholeGroupsAbove is the size (numerators and denominators of every unit
// and the nation) above which ComputeIndicators hides whole units
// (suppressGroups) rather than searching cell by cell, whose linear
// programs grow too slow (minutes for 16 indicators by 10 units).
const wholeGroupsAbove = 120

// ComputeIndicators computes each definition per unit of the column unit
// (ComputeIndicator) and, with minCount > 0, applies disclosure control:
// every numerator or denominator below minCount is hidden (primary), and
// then complementary figures until no hidden figure can be worked out from
// the table — its national totals, the relations among the indicators
// (IndicatorRelations), numerators at most denominators, and the bounds
// the labels give away (suppress.Protect, checked by suppress.Audit);
// tables of more than wholeGroupsAbove figures hide whole units instead
// (suppressGroups).
func ComputeIndicators(fr *datasets.Frame, unit string, defs []Indicator, opts IndicatorOptions, minCount int) (res *IndicatorsResult, err error) {
	if opts.Points == 0 {
		opts.Points = 60
	}
	res = &IndicatorsResult{Unit: unit}
	for _, d := range defs {
		r, err := ComputeIndicator(fr, unit, d, opts)
		if err != nil {
			return nil, err
		}
		res.Indicators = append(res.Indicators, r)
	}
	if opts.Overdispersion {
		// after disclosure control (deferred calls run last first): only
		// shown units enter φ and τ², which could otherwise give a hidden
		// unit's value back
		defer func() {
			if res == nil {
				return
			}
			for _, ind := range res.Indicators {
				if ind.National.Suppressed == nil && ind.Limits != nil {
					if e := overdispersedFunnel(ind, ind.National.Numerator/ind.National.Denominator); e != nil && err == nil {
						err = e
					}
				}
			}
		}()
	}
	if minCount = disclosureThreshold(defs, minCount); minCount > 0 {
		defer relabel(res)
		rel, err := IndicatorRelations(fr, defs)
		if err != nil {
			return nil, err
		}
		if figures := 2 * len(defs) * (len(res.Indicators[0].Units) + 1); figures > wholeGroupsAbove {
			units, err := fr.Strings(unit)
			if err != nil {
				return nil, err
			}
			size := map[string]float64{}
			for _, u := range units {
				size[u]++
			}
			if err := suppressGroups(res, rel, float64(minCount), size); err != nil {
				return nil, fmt.Errorf("indicators: %w", err)
			}
			return res, nil
		}
		if err := suppressIndicators(res, rel, float64(minCount), opts); err != nil {
			return nil, fmt.Errorf("indicators: %w", err)
		}
	}
	return res, nil
}
