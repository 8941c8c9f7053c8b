package screening

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/groups"
)

// CompletenessOptions set ReportCompleteness.
type CompletenessOptions struct {
	// A report belongs to a case of the same person and ICD-10 site
	// (three characters) dated from Before days before the diagnosis to
	// After days after it (defaults 90 and 365).
	Before, After int
	// Target is the share of cases with a clinical report the strategy
	// asks for (default 0.8).
	Target float64
	Level  float64
	// Suppress hides a row with cases, reported or unreported cases below
	// it, whole, and a second in the same year with a lone one.
	Suppress int
}

// CompletenessRow is a hospital's cases in one year of diagnosis.
type CompletenessRow struct {
	Hospital          string  `json:"hospital"`
	Year              int     `json:"year"`
	Cases             float64 `json:"cases"`
	Reported          float64 `json:"reported"`
	Completeness      float64 `json:"completeness"`
	CompletenessLower float64 `json:"completeness_lower"`
	CompletenessUpper float64 `json:"completeness_upper"`
	TargetMet         string  `json:"target_met"` // yes, no, or "" when hidden
	// MedianDelay is the median number of days from diagnosis to report
	// of the reported cases.
	MedianDelay float64 `json:"median_delay_days"`
	Suppressed  bool    `json:"suppressed,omitempty"`
}

// CompletenessResult is the completeness of clinical reporting by
// hospital and year (a row "all" per year).
type CompletenessResult struct {
	Target float64           `json:"target"`
	Rows   []CompletenessRow `json:"rows"`
}

// MainTable is the table CSV output writes.
func (*CompletenessResult) MainTable() string { return "rows" }

// ReportCompleteness links clinical reports (person_id, report_date,
// icd10) to the registry's cases (person_id, diagnosis_date, icd10,
// hospital) and gives, per hospital and year of diagnosis, the share of
// cases with a report (Wilson interval) against the target, and the
// median delay from diagnosis to report. A report counts once, for the
// nearest case of its person and site.
func ReportCompleteness(cases, reports *datasets.Frame, opts CompletenessOptions) (*CompletenessResult, error) {
	if opts.Before == 0 {
		opts.Before = 90
	}
	if opts.After == 0 {
		opts.After = 365
	}
	if opts.Target == 0 {
		opts.Target = 0.8
	}
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	cp, err := cases.Strings("person_id")
	if err != nil {
		return nil, err
	}
	cd, err := cases.Dates("diagnosis_date")
	if err != nil {
		return nil, err
	}
	cs, err := cases.Strings("icd10")
	if err != nil {
		return nil, err
	}
	ch, err := cases.Strings("hospital")
	if err != nil {
		return nil, err
	}
	rp, err := reports.Strings("person_id")
	if err != nil {
		return nil, err
	}
	rd, err := reports.Dates("report_date")
	if err != nil {
		return nil, err
	}
	rs, err := reports.Strings("icd10")
	if err != nil {
		return nil, err
	}
	site := func(icd string) string { return strings.ToUpper(icd[:min(3, len(icd))]) }
	byKey := map[string][]int{} // person + site -> cases
	for i := range cp {
		k := cp[i] + "\x00" + site(cs[i])
		byKey[k] = append(byKey[k], i)
	}
	delay := make([]float64, len(cp))
	for i := range delay {
		delay[i] = math.NaN()
	}
	for j := range rp {
		best, bestGap := -1, math.MaxInt
		for _, i := range byKey[rp[j]+"\x00"+site(rs[j])] {
			gap := int(rd[j] - cd[i])
			if gap < -opts.Before || gap > opts.After {
				continue
			}
			if a := max(gap, -gap); a < bestGap {
				best, bestGap = i, a
			}
		}
		if best >= 0 && (math.IsNaN(delay[best]) || float64(rd[j]-cd[best]) < delay[best]) {
			delay[best] = float64(rd[j] - cd[best])
		}
	}
	type cell struct {
		cases, reported float64
		delays          []float64
	}
	cells := map[[2]string]*cell{}
	var keys [][2]string
	for i := range cp {
		y, _, _ := cd[i].Civil()
		for _, h := range []string{ch[i], "\x00all"} {
			k := [2]string{fmt.Sprint(y), h}
			c := cells[k]
			if c == nil {
				c = &cell{}
				cells[k] = c
				keys = append(keys, k)
			}
			c.cases++
			if !math.IsNaN(delay[i]) {
				c.reported++
				c.delays = append(c.delays, delay[i])
			}
		}
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if a[0] != b[0] {
			return strings.Compare(a[0], b[0])
		}
		switch {
		case a[1] == b[1]:
			return 0
		case a[1] == "\x00all":
			return 1
		case b[1] == "\x00all":
			return -1
		case groups.Less(a[1], b[1]):
			return -1
		}
		return 1
	})
	res := &CompletenessResult{Target: opts.Target}
	for _, k := range keys {
		c := cells[k]
		r := CompletenessRow{Hospital: k[1], Cases: c.cases, Reported: c.reported}
		fmt.Sscan(k[0], &r.Year)
		if r.Hospital == "\x00all" {
			r.Hospital = "all"
		}
		r.Completeness = c.reported / c.cases
		lo, hi := evaluation.ProportionCI(int(c.reported), int(c.cases), opts.Level, evaluation.Wilson)
		r.CompletenessLower, r.CompletenessUpper = lo, hi
		r.TargetMet = map[bool]string{true: "yes", false: "no"}[r.Completeness >= opts.Target]
		r.MedianDelay = math.NaN()
		if len(c.delays) > 0 {
			r.MedianDelay, _, _ = MedianCI(c.delays, opts.Level)
		}
		res.Rows = append(res.Rows, r)
	}
	if opts.Suppress > 0 {
		suppressByYear(res.Rows, float64(opts.Suppress))
	}
	return res, nil
}

// suppressByYear hides, within each year, the hospitals with a count
// (cases, reported, unreported) below n, whole, and with a lone one the
// smallest other: the year's row "all" is their sum, and two hidden rows
// share one unknown sum.
func suppressByYear(rows []CompletenessRow, n float64) {
	byYear := map[int][]int{}
	for i, r := range rows {
		if r.Hospital != "all" {
			byYear[r.Year] = append(byYear[r.Year], i)
		}
	}
	small := func(x float64) bool { return x > 0 && x < n }
	nan := math.NaN()
	for _, ix := range byYear {
		hidden := map[int]bool{}
		for _, i := range ix {
			r := rows[i]
			if small(r.Cases) || small(r.Reported) || small(r.Cases-r.Reported) {
				hidden[i] = true
			}
		}
		if len(hidden) == 1 {
			best := -1
			for _, i := range ix {
				if !hidden[i] && (best < 0 || rows[i].Cases < rows[best].Cases) {
					best = i
				}
			}
			if best >= 0 {
				hidden[best] = true
			}
		}
		for i := range hidden {
			r := &rows[i]
			*r = CompletenessRow{Hospital: r.Hospital, Year: r.Year, Cases: nan, Reported: nan, Completeness: nan,
				CompletenessLower: nan, CompletenessUpper: nan, MedianDelay: nan, Suppressed: true}
		}
	}
}

// DataQualityRow is a cancer site's data-quality measures in one year.
type DataQualityRow struct {
	Site   string  `json:"site"`
	Year   int     `json:"year"`
	Cases  float64 `json:"cases"`
	MV     float64 `json:"mv"`       // share microscopically verified
	DCO    float64 `json:"dco"`      // share known from a death certificate only
	Deaths float64 `json:"deaths"`   // deaths from the site in the year
	MI     float64 `json:"mi_ratio"` // mortality:incidence
}

// DataQualityResult holds the registry's data-quality measures.
type DataQualityResult struct {
	Rows []DataQualityRow `json:"rows"`
}

// MainTable is the table CSV output writes.
func (*DataQualityResult) MainTable() string { return "rows" }

// DataQuality gives, per ICD-10 site (three characters) and year, the
// measures the Nordic registries publish (Larsen et al. 2009, Eur J
// Cancer 45:1218): the share of cases microscopically verified and the
// share known from a death certificate only, from the cases' basis of
// diagnosis in the ENCR codes (0 death certificate only; 1 clinical; 2
// clinical investigation; 4 tumour markers; 5 cytology; 6 histology of a
// metastasis; 7 histology of the primary; 9 unknown: MV is 5, 6 or 7),
// and the mortality:incidence ratio, deaths from the site (deaths:
// death_date, cause) over cases in the year. deaths may be nil.
func DataQuality(cases, deaths *datasets.Frame) (*DataQualityResult, error) {
	icd, err := cases.Strings("icd10")
	if err != nil {
		return nil, err
	}
	dd, err := cases.Dates("diagnosis_date")
	if err != nil {
		return nil, err
	}
	basis, err := cases.Strings("basis")
	if err != nil {
		return nil, err
	}
	type cell struct{ cases, mv, dco, deaths float64 }
	cells := map[[2]string]*cell{}
	var keys [][2]string
	get := func(site string, y int) *cell {
		k := [2]string{site, fmt.Sprintf("%04d", y)}
		c := cells[k]
		if c == nil {
			c = &cell{}
			cells[k] = c
			keys = append(keys, k)
		}
		return c
	}
	for i := range icd {
		switch basis[i] {
		case "0", "1", "2", "4", "5", "6", "7", "9":
		default:
			return nil, cases.Fail("basis", i, datasets.ErrBadCode, "an ENCR basis of diagnosis: 0, 1, 2, 4, 5, 6, 7 or 9")
		}
		y, _, _ := dd[i].Civil()
		c := get(strings.ToUpper(icd[i][:min(3, len(icd[i]))]), y)
		c.cases++
		switch basis[i] {
		case "5", "6", "7":
			c.mv++
		case "0":
			c.dco++
		}
	}
	if deaths != nil {
		cause, err := deaths.Strings("cause")
		if err != nil {
			return nil, err
		}
		when, err := deaths.Dates("death_date")
		if err != nil {
			return nil, err
		}
		for i := range cause {
			if cause[i] == "" {
				continue
			}
			y, _, _ := when[i].Civil()
			get(strings.ToUpper(cause[i][:min(3, len(cause[i]))]), y).deaths++
		}
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		if a[0] != b[0] {
			return strings.Compare(a[0], b[0])
		}
		return strings.Compare(a[1], b[1])
	})
	res := &DataQualityResult{}
	for _, k := range keys {
		c := cells[k]
		if c.cases == 0 {
			continue // deaths of a site without cases in the year
		}
		r := DataQualityRow{Site: k[0], Cases: c.cases, MV: c.mv / c.cases, DCO: c.dco / c.cases, Deaths: math.NaN(), MI: math.NaN()}
		fmt.Sscan(k[1], &r.Year)
		if deaths != nil {
			r.Deaths, r.MI = c.deaths, c.deaths/c.cases
		}
		res.Rows = append(res.Rows, r)
	}
	return res, nil
}
