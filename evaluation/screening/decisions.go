package screening

import (
	"fmt"
	"math"
	"slices"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/survival"
)

// FITSweepRow is the programme at one f-Hb threshold.
type FITSweepRow struct {
	Threshold float64 `json:"threshold"`
	Positive  int     `json:"positive"`
	// Positivity is the share positive; ColonoscopiesPer1000 the
	// colonoscopies per 1000 screened at the programme's observed uptake.
	Positivity           float64 `json:"positivity"`
	ColonoscopiesPer1000 float64 `json:"colonoscopies_per_1000"`
	// Cancers within two years of the test (registry C18-C20, known
	// whatever the test showed) at or above the threshold (detected) and
	// below it (missed).
	CancersDetected int     `json:"cancers_detected"`
	CancersMissed   int     `json:"cancers_missed"`
	Sensitivity     float64 `json:"sensitivity"`
	// Advanced adenomas found at colonoscopy at or above the threshold;
	// missed are those between the programme's threshold and this one.
	// Below the programme's threshold nobody had a colonoscopy, so both
	// are unknown (NaN) there.
	AdvancedAdenomasDetected float64 `json:"advanced_adenomas_detected"`
	AdvancedAdenomasMissed   float64 `json:"advanced_adenomas_missed"`
	// ColonoscopiesPerCancer: positives per cancer detected.
	ColonoscopiesPerCancer float64 `json:"colonoscopies_per_cancer"`
}

// FITSweep is a threshold sweep of a bowel programme.
type FITSweep struct {
	Screened           int           `json:"screened"`
	ProgrammeThreshold float64       `json:"programme_threshold"`
	Uptake             float64       `json:"colonoscopy_uptake"`
	Cancers            int           `json:"cancers_2y"`
	Rows               []FITSweepRow `json:"rows"`
}

// MainTable is the table CSV output writes.
func (*FITSweep) MainTable() string { return "rows" }

// SweepFIT recomputes a bowel programme at other f-Hb thresholds from its
// linked episodes (fhb, result, crc_2y, colonoscopy, advanced_adenoma,
// positive): at each threshold the positives (the colonoscopies the
// programme would need, at its observed uptake), the cancers within two
// years detected and missed, and the advanced adenomas found and missed,
// as far as the data can tell (see FITSweepRow).
func SweepFIT(episodes *datasets.Frame, thresholds []float64, programmeThreshold float64) (*FITSweep, error) {
	if len(thresholds) == 0 {
		return nil, fmt.Errorf("fit sweep: no thresholds")
	}
	col := func(name string) ([]float64, error) { return episodes.Floats(name, true) }
	fhb, err := col("fhb")
	if err != nil {
		return nil, err
	}
	var crc, colo, aa, pos []float64
	for _, c := range []struct {
		name string
		dst  *[]float64
	}{{"crc_2y", &crc}, {"colonoscopy", &colo}, {"advanced_adenoma", &aa}, {"positive", &pos}} {
		if *c.dst, err = col(c.name); err != nil {
			return nil, err
		}
	}
	res := &FITSweep{ProgrammeThreshold: programmeThreshold}
	nPos, nColo := 0, 0
	for i, f := range fhb {
		if math.IsNaN(f) {
			continue
		}
		if f < 0 {
			return nil, episodes.Fail("fhb", i, datasets.ErrOutOfRange, "an f-Hb >= 0")
		}
		res.Screened++
		if crc[i] == 1 {
			res.Cancers++
		}
		if pos[i] == 1 {
			nPos++
			if colo[i] == 1 {
				nColo++
			}
		}
	}
	if res.Screened == 0 {
		return nil, fmt.Errorf("fit sweep: no episode has an f-Hb")
	}
	res.Uptake = math.NaN()
	if nPos > 0 {
		res.Uptake = float64(nColo) / float64(nPos)
	}
	ts := slices.Clone(thresholds)
	slices.Sort(ts)
	for _, t := range ts {
		r := FITSweepRow{Threshold: t}
		var aaFound, aaMissed float64
		for i, f := range fhb {
			if math.IsNaN(f) {
				continue
			}
			if f >= t {
				r.Positive++
				if crc[i] == 1 {
					r.CancersDetected++
				}
				if aa[i] == 1 {
					aaFound++
				}
			} else {
				if crc[i] == 1 {
					r.CancersMissed++
				}
				if aa[i] == 1 {
					aaMissed++
				}
			}
		}
		r.Positivity = float64(r.Positive) / float64(res.Screened)
		r.ColonoscopiesPer1000 = 1000 * r.Positivity * res.Uptake
		r.Sensitivity = math.NaN()
		if res.Cancers > 0 {
			r.Sensitivity = float64(r.CancersDetected) / float64(res.Cancers)
		}
		r.AdvancedAdenomasDetected, r.AdvancedAdenomasMissed = aaFound, aaMissed
		if t < programmeThreshold {
			r.AdvancedAdenomasDetected, r.AdvancedAdenomasMissed = math.NaN(), math.NaN()
		}
		r.ColonoscopiesPerCancer = math.NaN()
		if r.CancersDetected > 0 {
			r.ColonoscopiesPerCancer = float64(r.Positive) / float64(r.CancersDetected)
		}
		res.Rows = append(res.Rows, r)
	}
	return res, nil
}

// HPVRiskRow is the cumulative risk of CIN3+ after an HPV-positive test in
// one genotype group and triage cytology class.
type HPVRiskRow struct {
	Genotype string `json:"genotype"`
	Cytology string `json:"cytology"`
	N        int    `json:"n"`
	Events   int    `json:"events"`
	// Risk at each of the report's Years: 1 − S(t) of Kaplan–Meier, with
	// the interval of S (log scale) turned over; NaN beyond the cell's
	// follow-up (unless every woman in it had a CIN3+ by then).
	Risk   []float64 `json:"risk"`
	Lower  []float64 `json:"risk_lower"`
	Upper  []float64 `json:"risk_upper"`
	AtRisk []float64 `json:"at_risk"`
}

// HPVRiskTable is the risk table risk-based management reads.
type HPVRiskTable struct {
	Years []float64    `json:"years"`
	Rows  []HPVRiskRow `json:"rows"`
}

// CytologyClass groups a triage cytology: "NILM", "ASC-US/LSIL",
// "ASC-H+" (ASC-H, HSIL, SCC and the glandular categories) or "none"
// (not done or unsatisfactory).
func CytologyClass(c string) string {
	switch c {
	case "NILM":
		return "NILM"
	case "ASC-US", "LSIL":
		return "ASC-US/LSIL"
	case "", "unsatisfactory":
		return "none"
	}
	return "ASC-H+"
}

// HPVRisk estimates the cumulative risk of CIN3+ (histology, or a D06/C53
// diagnosis) over follow-up after an HPV-positive primary test, by
// genotype group × triage cytology class, as 1 − S(t) of the Kaplan–Meier
// estimator (survival.KaplanMeier) on the linked episodes' cin3_days and
// cin3_event: follow-up ends at the first CIN3+, death, emigration or the
// end of data. Treatment of CIN2 censors nothing: the risk is that of the
// management the women had, as in the risk tables of Katki et al. (2013)
// and Egemen et al. (2020).
func HPVRisk(episodes *datasets.Frame, years []float64, level float64) (*HPVRiskTable, error) {
	if len(years) == 0 {
		years = []float64{1, 3, 5}
	}
	prim, err := episodes.Strings("primary")
	if err != nil {
		return nil, err
	}
	hpv, err := episodes.Strings("hpv")
	if err != nil {
		return nil, err
	}
	cyto, err := episodes.Strings("cytology")
	if err != nil {
		return nil, err
	}
	days, err := episodes.Floats("cin3_days", false)
	if err != nil {
		return nil, err
	}
	event, err := episodes.Floats("cin3_event", false)
	if err != nil {
		return nil, err
	}
	type cell struct {
		t []float64
		e []bool
	}
	cells := map[[2]string]*cell{}
	for i := range prim {
		if prim[i] != "hpv" || hpv[i] == "negative" || hpv[i] == "" {
			continue
		}
		k := [2]string{hpv[i], CytologyClass(cyto[i])}
		c := cells[k]
		if c == nil {
			c = &cell{}
			cells[k] = c
		}
		c.t = append(c.t, days[i]/datasets.DaysPerYear)
		c.e = append(c.e, event[i] == 1)
	}
	if len(cells) == 0 {
		return nil, fmt.Errorf("hpv risk: no HPV-positive primary test in %s", episodes.File)
	}
	res := &HPVRiskTable{Years: years}
	for _, g := range datasets.HPVGroups[:4] {
		for _, cc := range []string{"NILM", "ASC-US/LSIL", "ASC-H+", "none"} {
			c := cells[[2]string{g, cc}]
			if c == nil {
				continue
			}
			km, err := survival.KaplanMeier(c.t, c.e, survival.KMOptions{Times: years, Level: level})
			if err != nil {
				return nil, fmt.Errorf("hpv risk, %s with %s: %w", g, cc, err)
			}
			row := HPVRiskRow{Genotype: g, Cytology: cc, N: len(c.t)}
			for _, e := range c.e {
				if e {
					row.Events++
				}
			}
			for _, y := range years {
				// the curve at y; beyond the last follow-up it is known
				// only when it has reached 0 (every woman had a CIN3+)
				risk, lo, hi, atRisk := math.NaN(), math.NaN(), math.NaN(), 0.0
				found := false
				for _, at := range km.At {
					if at.Time == y {
						risk, lo, hi, atRisk, found = 1-at.Surv, 1-at.Upper, 1-at.Lower, at.NRisk, true
					}
				}
				if last := km.Table[len(km.Table)-1]; !found && y >= last.Time && last.Surv == 0 {
					risk, lo, hi = 1, 1-last.Upper, 1-last.Lower
				}
				row.Risk = append(row.Risk, risk)
				row.Lower = append(row.Lower, lo)
				row.Upper = append(row.Upper, hi)
				row.AtRisk = append(row.AtRisk, atRisk)
			}
			res.Rows = append(res.Rows, row)
		}
	}
	return res, nil
}

// SamplingRow compares one measure between self- and clinician-taken
// samples.
type SamplingRow struct {
	Measure         string  `json:"measure"`
	Self            float64 `json:"self"`
	SelfN           int     `json:"self_n"`
	SelfD           int     `json:"self_d"`
	Clinician       float64 `json:"clinician"`
	ClinicianN      int     `json:"clinician_n"`
	ClinicianD      int     `json:"clinician_d"`
	Difference      float64 `json:"difference"`
	DifferenceLower float64 `json:"difference_lower"`
	DifferenceUpper float64 `json:"difference_upper"`
}

// SamplingComparison is self-sampling against clinician sampling.
type SamplingComparison struct {
	Level float64       `json:"level"`
	Rows  []SamplingRow `json:"rows"`
}

// MainTable is the table CSV output writes.
func (*SamplingComparison) MainTable() string { return "rows" }

// CompareSampling compares HPV-primary episodes on self-taken and
// clinician-taken samples: HPV positivity; follow-up attendance (of
// HPV-positive women whose follow-up is complete, those who had the
// triage, repeat test or colposcopy the algorithm asked for: outcome
// referred or negative-after-repeat, or a triage cytology with a routine
// result); and CIN2+ per 1000 screened. Differences (self − clinician)
// have Newcombe's (1998, method 10) hybrid score interval from the two
// Wilson intervals.
func CompareSampling(episodes *datasets.Frame, level float64) (*SamplingComparison, error) {
	if level == 0 {
		level = 0.95
	}
	cols := map[string][]string{}
	for _, c := range []string{"primary", "sample", "hpv_positive", "outcome", "cin2plus"} {
		s, err := episodes.Strings(c)
		if err != nil {
			return nil, err
		}
		cols[c] = s
	}
	type tally struct{ pos, n, fu, fuD, cin, scr int }
	var t [2]tally
	for i := range cols["primary"] {
		if cols["primary"][i] != "hpv" {
			continue
		}
		k := 0
		switch cols["sample"][i] {
		case "self":
		case "clinician":
			k = 1
		default:
			continue
		}
		x := &t[k]
		x.n++
		x.scr++
		if cols["cin2plus"][i] == "1" {
			x.cin++
		}
		if cols["hpv_positive"][i] != "1" {
			continue
		}
		x.pos++
		switch cols["outcome"][i] {
		case "pending":
		case "referred", "negative-after-repeat", "negative":
			x.fu++
			x.fuD++
		default:
			x.fuD++
		}
	}
	if t[0].n == 0 || t[1].n == 0 {
		return nil, fmt.Errorf("sampling: need HPV tests on both self- and clinician-taken samples (self %d, clinician %d)", t[0].n, t[1].n)
	}
	res := &SamplingComparison{Level: level}
	add := func(name string, a, n1, b, n2 int, per float64) {
		r := SamplingRow{Measure: name, SelfN: a, SelfD: n1, ClinicianN: b, ClinicianD: n2}
		r.Self, r.Clinician = per*ratio(a, n1), per*ratio(b, n2)
		d, lo, hi := NewcombeDifference(a, n1, b, n2, level)
		r.Difference, r.DifferenceLower, r.DifferenceUpper = per*d, per*lo, per*hi
		res.Rows = append(res.Rows, r)
	}
	add("hpv_positivity", t[0].pos, t[0].n, t[1].pos, t[1].n, 1)
	add("follow_up_attendance", t[0].fu, t[0].fuD, t[1].fu, t[1].fuD, 1)
	add("cin2plus_per_1000", t[0].cin, t[0].scr, t[1].cin, t[1].scr, 1000)
	return res, nil
}

func ratio(a, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return float64(a) / float64(n)
}

// NewcombeDifference is p1 − p2 = a/n1 − b/n2 with Newcombe's (1998,
// Stat Med 17:873, method 10) hybrid score interval: with Wilson limits
// (l1, u1) and (l2, u2),
//
//	lower = d − sqrt((p1 − l1)² + (u2 − p2)²)
//	upper = d + sqrt((u1 − p1)² + (p2 − l2)²).
func NewcombeDifference(a, n1, b, n2 int, level float64) (d, lo, hi float64) {
	if n1 == 0 || n2 == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	p1, p2 := float64(a)/float64(n1), float64(b)/float64(n2)
	l1, u1 := evaluation.ProportionCI(a, n1, level, evaluation.Wilson)
	l2, u2 := evaluation.ProportionCI(b, n2, level, evaluation.Wilson)
	d = p1 - p2
	lo = d - math.Sqrt((p1-l1)*(p1-l1)+(u2-p2)*(u2-p2))
	hi = d + math.Sqrt((u1-p1)*(u1-p1)+(p2-l2)*(p2-l2))
	return d, lo, hi
}
