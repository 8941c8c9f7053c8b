package screening

import (
	"fmt"
	"math"
	"strconv"

	"github.com/screenlab/screenlab/datasets"
)

// Achievement levels, as the Norwegian national results sites for the
// clinical quality registries show them (green, yellow, red), and why a
// unit may have none.
const (
	LevelHigh        = "high"
	LevelModerate    = "moderate"
	LevelLow         = "low"
	LevelLowN        = "low N"
	LevelLowCoverage = "low coverage"
	LevelSuppressed  = "suppressed"
)

// HasLevels reports whether the definition sets achievement levels.
func (ind *Indicator) HasLevels() bool { return ind.High != nil }

// minDenominator is the denominator below which a unit's value is not
// shown: the definition's, 5 by default where it has levels, else 0.
func (ind *Indicator) minDenominator() int {
	if ind.MinDenominator > 0 || !ind.HasLevels() {
		return ind.MinDenominator
	}
	return 5
}

func (ind *Indicator) minCoverage() float64 {
	if ind.MinCoverage > 0 {
		return ind.MinCoverage
	}
	return 0.6
}

// checkLevels validates the level fields of a definition.
func (ind *Indicator) checkLevels() error {
	if ind.High == nil && ind.Moderate == nil && ind.Direction == "" {
		return nil
	}
	if ind.High == nil || ind.Moderate == nil || (ind.Direction != "higher" && ind.Direction != "lower") {
		return fmt.Errorf("indicator %s: levels need a direction (higher or lower), high and moderate", ind.Name)
	}
	if ind.Direction == "higher" && *ind.High < *ind.Moderate || ind.Direction == "lower" && *ind.High > *ind.Moderate {
		return fmt.Errorf("indicator %s: with direction %s the high level %g must be on the good side of the moderate %g", ind.Name, ind.Direction, *ind.High, *ind.Moderate)
	}
	return nil
}

// level sets a row's level: low coverage (its value hidden: the data are
// too incomplete to judge the unit) when the completeness column says so,
// low N when the denominator is below the minimum (its counts are hidden
// by disclosure control, see ComputeIndicators), else high, moderate or
// low by the value against the levels in the desired direction.
func (ind *Indicator) level(r *IndicatorRow, hasCoverage bool) {
	if !ind.HasLevels() && !hasCoverage {
		return
	}
	switch {
	case hasCoverage && r.Completeness < ind.minCoverage():
		r.Level = LevelLowCoverage
		r.Value, r.Lower, r.Upper = math.NaN(), math.NaN(), math.NaN()
		r.TargetMet, r.Confidently = nil, nil
		r.Funnel = LevelLowCoverage
		return
	case !ind.HasLevels():
		return
	case r.Denominator > 0 && r.Denominator < float64(ind.minDenominator()):
		r.Level = LevelLowN
		return
	case math.IsNaN(r.Value):
		return
	}
	good := func(v, level float64) bool {
		if ind.Direction == "lower" {
			return v <= level
		}
		return v >= level
	}
	switch {
	case good(r.Value, *ind.High):
		r.Level = LevelHigh
	case good(r.Value, *ind.Moderate):
		r.Level = LevelModerate
	default:
		r.Level = LevelLow
	}
}

// disclosureThreshold is the threshold ComputeIndicators protects the
// table at: the user's, or the largest minimum denominator of the
// definitions (a unit shown as "low N" must not be recoverable from the
// national total either).
func disclosureThreshold(defs []Indicator, minCount int) int {
	n := minCount
	for i := range defs {
		n = max(n, defs[i].minDenominator())
	}
	if n > 0 && n < 3 {
		n = 3
	}
	return n
}

// relabel marks hidden rows after disclosure control: low N stays, other
// hidden rows become "suppressed".
func relabel(res *IndicatorsResult) {
	if res == nil {
		return
	}
	for _, ind := range res.Indicators {
		if !ind.HasLevels() {
			continue
		}
		for u := range ind.Units {
			r := &ind.Units[u]
			if r.Suppressed != nil && r.Level != LevelLowN {
				r.Level = LevelSuppressed
			}
		}
	}
}

// ContextUnit is the unit column of a context (e.g. "treating" or
// "catchment") in the definitions: the same cases counted by the hospital
// that treated them or by the patient's catchment area.
func ContextUnit(defs []Indicator, context string) (string, error) {
	for _, d := range defs {
		if col, ok := d.Contexts[context]; ok {
			return col, nil
		}
	}
	var known []string
	for _, d := range defs {
		for k := range d.Contexts {
			known = append(known, k)
		}
	}
	return "", fmt.Errorf("indicators: no context %q in the definitions (they have: %v)", context, known)
}

// LastCompleteYear is the latest year in a year column before the
// calendar year of today: the default year of a published indicator.
func LastCompleteYear(fr *datasets.Frame, col string, today datasets.Date) (int, error) {
	years, err := fr.Floats(col, true)
	if err != nil {
		return 0, err
	}
	ty, _, _ := today.Civil()
	best := math.MinInt
	for _, y := range years {
		if !math.IsNaN(y) && int(y) < ty && int(y) > best {
			best = int(y)
		}
	}
	if best == math.MinInt {
		return 0, fmt.Errorf("indicators: no complete year before %d in column %s", ty, col)
	}
	return best, nil
}

// ForYear restricts definitions with a year column to one year (added to
// their Where).
func ForYear(defs []Indicator, year int) []Indicator {
	out := make([]Indicator, len(defs))
	for i, d := range defs {
		if d.Year != "" {
			cond := d.Year + "=" + strconv.Itoa(year)
			if d.Where == "" {
				d.Where = cond
			} else {
				d.Where += "&" + cond
			}
		}
		out[i] = d
	}
	return out
}

// YearColumn is the year column the definitions name ("" when none): with
// one, a published table is of one year (ForYear, LastCompleteYear).
func YearColumn(defs []Indicator) string {
	for _, d := range defs {
		if d.Year != "" {
			return d.Year
		}
	}
	return ""
}
