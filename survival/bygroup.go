package survival

import (
	"errors"
	"fmt"

	"github.com/screenlab/screenlab/groups"
	"gonum.org/v1/gonum/stat/distuv"
)

// subset returns x at the rows idx (nil stays nil; a nil idx is every row).
func subset[T any](x []T, idx []int) []T {
	if x == nil || idx == nil || len(idx) == len(x) {
		// Every row, in order (byGroup's rows are increasing): the
		// estimators do not write to their inputs.
		return x
	}
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = x[i]
	}
	return out
}

// inRows maps an *InputError of an estimator run on the rows idx back to
// the caller's row numbers.
func inRows(err error, idx []int) error {
	var ie *InputError
	if idx == nil || !errors.As(err, &ie) || ie.Row < 0 || ie.Row >= len(idx) {
		return err
	}
	return &InputError{Row: idx[ie.Row], Msg: ie.Msg}
}

// byGroup splits the rows by a group column: the levels in the order of
// groups.Levels and the rows of each; a nil column is one group, "all",
// whose rows are nil (every row) and codes nil.
func byGroup(n int, group []string) (names []string, codes []int, rows [][]int) {
	if group == nil {
		return []string{"all"}, nil, [][]int{nil}
	}
	names, codes = groups.Levels(group)
	count := make([]int, len(names))
	for _, g := range codes {
		count[g]++
	}
	rows = make([][]int, len(names))
	for g := range rows {
		rows[g] = make([]int, 0, count[g])
	}
	for i, g := range codes {
		rows[g] = append(rows[g], i)
	}
	return names, codes, rows
}

// KMGroup is the Kaplan–Meier curve of one group.
type KMGroup struct {
	Group string `json:"group"`
	KMResult
}

// KMByGroup is the Kaplan–Meier curve of every group and the log-rank test
// between them (nil for one group).
type KMByGroup struct {
	Groups   []KMGroup      `json:"groups"`
	LogRank  *LogRankResult `json:"logrank"`
	ConfType string         `json:"conf_type"`
	Level    float64        `json:"level"`
}

// MainTable is the curves, one row per group and time (render.Options).
func (*KMByGroup) MainTable() string { return "groups.table" }

// PeopleTables are the groups' summaries and the curves at --times; the
// whole curves are in CSV and JSON (render.PeopleTabler).
func (*KMByGroup) PeopleTables() []string { return []string{"groups", "groups.at"} }

// MainTable is the curves, one row per cause, group and time.
func (*CIFByGroup) MainTable() string { return "causes.table" }

// KMGroupOptions are KMOptions (Entry and Weights for every row) and the
// log-rank test's G-rho weight and strata (a column, nil for none).
type KMGroupOptions struct {
	KMOptions
	Rho    float64
	Strata []string
}

// KaplanMeierByGroup fits a Kaplan–Meier curve per value of group (nil: one
// curve, "all"), levels in the order of groups.Levels, and the log-rank
// test (Peto-Peto with Rho 1, stratified by Strata) between them. A group
// without events gets a warning, as its median is undefined. An
// *InputError names a row of the whole input.
func KaplanMeierByGroup(time []float64, event []bool, group []string, opts KMGroupOptions) (*KMByGroup, error) {
	ct := opts.ConfType
	if ct == "" {
		ct = Log
	}
	level := opts.Level
	if level == 0 {
		level = 0.95
	}
	names, codes, rows := byGroup(len(time), group)
	out := &KMByGroup{ConfType: string(ct), Level: level}
	for g, name := range names {
		idx := rows[g]
		o := opts.KMOptions
		o.Entry, o.Weights, o.ConfType, o.Level = subset(opts.Entry, idx), subset(opts.Weights, idx), ct, level
		res, err := KaplanMeier(subset(time, idx), subset(event, idx), o)
		if err != nil {
			return nil, inRows(err, idx)
		}
		if res.Events == 0 {
			res.Warnings = append(res.Warnings, "no events in this group: the curve stays at 1 and the median is undefined")
		}
		out.Groups = append(out.Groups, KMGroup{Group: name, KMResult: *res})
	}
	if len(names) > 1 {
		lo := LogRankOptions{Rho: opts.Rho, Entry: opts.Entry, Weights: opts.Weights}
		if opts.Strata != nil {
			_, lo.Strata = groups.Levels(opts.Strata)
		}
		var err error
		if out.LogRank, err = LogRank(time, event, codes, len(names), lo); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// GrayRow is Gray's test for one cause.
type GrayRow struct {
	Cause int     `json:"cause"`
	Stat  float64 `json:"stat"`
	DF    int     `json:"df"`
	P     float64 `json:"p"`
}

// CIFByGroup is the cumulative incidence of every cause in every group and
// Gray's test per cause between the groups.
type CIFByGroup struct {
	Causes []CIFCurve `json:"causes"`
	Gray   []GrayRow  `json:"gray"`
	Level  float64    `json:"level"`
}

// CIFGroupOptions are the times to report, the confidence level, and Gray's
// G-rho weight and strata (a column, nil for none).
type CIFGroupOptions struct {
	Times  []float64
	Level  float64
	Rho    float64
	Strata []string
}

// CumulativeIncidenceByGroup estimates the cumulative incidence of every
// cause 1..max(status) per value of group (nil: one group, "all") with
// CumulativeIncidence, and Gray's (1988) test between the groups for each
// cause. status is 0 for censored and the cause otherwise.
func CumulativeIncidenceByGroup(time []float64, status []int, group []string, opts CIFGroupOptions) (*CIFByGroup, error) {
	level := opts.Level
	if level == 0 {
		level = 0.95
	}
	maxCause := 0
	for i, c := range status {
		if c < 0 {
			return nil, &InputError{Row: i, Msg: "a status 0 (censored) or a cause 1, 2, ..."}
		}
		maxCause = max(maxCause, c)
	}
	if maxCause == 0 {
		return nil, &InputError{Row: 0, Msg: "at least one event (status 1..k); every row is censored"}
	}
	names, codes, rows := byGroup(len(time), group)
	var strata []int
	if opts.Strata != nil {
		_, strata = groups.Levels(opts.Strata)
	}
	out := &CIFByGroup{Level: level}
	for cause := 1; cause <= maxCause; cause++ {
		for g, name := range names {
			idx := rows[g]
			curve, err := CumulativeIncidence(subset(time, idx), subset(status, idx), cause, opts.Times, level)
			if err != nil {
				return nil, inRows(err, idx)
			}
			curve.Group = name
			if len(curve.Table) == 0 {
				curve.Warnings = append(curve.Warnings, "no events of this cause in this group")
			}
			out.Causes = append(out.Causes, *curve)
		}
		if len(names) > 1 {
			t, err := GrayTest(time, status, cause, codes, len(names), strata, opts.Rho)
			if err != nil {
				return nil, err
			}
			out.Gray = append(out.Gray, GrayRow{Cause: cause, Stat: t.Chisq, DF: t.DF, P: t.P})
		}
	}
	return out, nil
}

// RelativeAgeGroup is net survival in one ICSS age group.
type RelativeAgeGroup struct {
	AgeGroup string          `json:"age_group"`
	Weight   float64         `json:"weight"`
	N        int             `json:"n"`
	At       []RelativePoint `json:"at"`
}

// NetSurvival is net survival of a cohort, age-standardised when Standard
// names an ICSS standard (then At is the standardised estimate and ByAge
// the estimates it combines).
type NetSurvival struct {
	Method   string             `json:"method"`
	N        int                `json:"n"`
	Events   int                `json:"events"`
	Standard string             `json:"standard,omitempty"`
	At       []RelativePoint    `json:"at"`
	ByAge    []RelativeAgeGroup `json:"by_age,omitempty"`
	Warnings []string           `json:"warnings,omitempty"`
}

// EstimateNetSurvival estimates net survival with RelativeSurvival and,
// when standard is "icss1", "icss2" or "icss3", age-standardises it
// (Corazziari, Quinn & Capocaccia 2004): the estimate in each of the five
// ICSS age groups (15-44, 45-54, 55-64, 65-74, 75+) combined by Standardize
// with the standard's weights. Patients under 15 are left out of the
// standardised estimate, with a warning; an empty age group is an error.
func EstimateNetSurvival(time []float64, event []bool, age, year []float64, sex []int, lt *LifeTable, opts RelativeOptions, standard string) (*NetSurvival, error) {
	res, err := RelativeSurvival(time, event, age, year, sex, lt, opts)
	if err != nil {
		return nil, err
	}
	out := &NetSurvival{Method: string(opts.Method), N: res.N, Events: res.Events, At: res.At, Warnings: res.Warnings}
	if standard == "" {
		return out, nil
	}
	weights, ok := ICSS[standard]
	if !ok {
		return nil, fmt.Errorf("relative survival: standard %q: want icss1, icss2 or icss3", standard)
	}
	rows := make([][]int, 5)
	young := 0
	for i, a := range age {
		if g := ICSSGroup(a); g >= 0 {
			rows[g] = append(rows[g], i)
		} else {
			young++
		}
	}
	if young > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%d patients under 15 are outside the ICSS age groups and left out of the standardised estimate", young))
	}
	var results []*RelativeResult
	for g, idx := range rows {
		if len(idx) == 0 {
			return nil, fmt.Errorf("relative survival: no patients in ICSS age group %s", ICSSGroupNames[g])
		}
		o := opts
		o.Entry = subset(opts.Entry, idx)
		r, err := RelativeSurvival(subset(time, idx), subset(event, idx), subset(age, idx), subset(year, idx), subset(sex, idx), lt, o)
		if err != nil {
			return nil, inRows(err, idx)
		}
		results = append(results, r)
		out.ByAge = append(out.ByAge, RelativeAgeGroup{AgeGroup: ICSSGroupNames[g], Weight: weights[g], N: len(idx), At: r.At})
	}
	level := opts.Level
	if level == 0 {
		level = 0.95
	}
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	if out.At, err = Standardize(results, weights[:], z); err != nil {
		return nil, err
	}
	out.Standard = standard
	return out, nil
}
