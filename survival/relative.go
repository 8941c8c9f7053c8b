package survival

import (
	"errors"
	"fmt"
	"math"

	"github.com/screenlab/screenlab/internal/radix"
	"gonum.org/v1/gonum/stat/distuv"
)

// LifeTable is a population mortality table: the hazard per person-year by
// sex, single year of age and calendar year. The last age is open-ended
// (older ages use it, as relsurv and popEpi do); ages below the first, and
// years or sexes the table does not hold, are errors.
type LifeTable struct {
	minAge, maxAge   int
	minYear, maxYear int
	sexes            map[byte]int
	haz              []float64 // [sex][year][age]
	present          []bool
}

// NewLifeTable builds a table from rows (sex 'F' or 'M'). Every (sex, year,
// age) cell within the ranges must be present once.
func NewLifeTable(sex []byte, year, age []int, haz []float64) (*LifeTable, error) {
	if len(sex) == 0 || len(year) != len(sex) || len(age) != len(sex) || len(haz) != len(sex) {
		return nil, errors.New("life table: empty or of unequal lengths")
	}
	lt := &LifeTable{minAge: age[0], maxAge: age[0], minYear: year[0], maxYear: year[0], sexes: map[byte]int{}}
	for i := range sex {
		lt.minAge, lt.maxAge = min(lt.minAge, age[i]), max(lt.maxAge, age[i])
		lt.minYear, lt.maxYear = min(lt.minYear, year[i]), max(lt.maxYear, year[i])
		if _, ok := lt.sexes[sex[i]]; !ok {
			lt.sexes[sex[i]] = len(lt.sexes)
		}
	}
	na, ny := lt.maxAge-lt.minAge+1, lt.maxYear-lt.minYear+1
	lt.haz = make([]float64, len(lt.sexes)*ny*na)
	lt.present = make([]bool, len(lt.haz))
	for i := range sex {
		k := lt.index(lt.sexes[sex[i]], year[i], age[i])
		if lt.present[k] {
			return nil, fmt.Errorf("life table: sex %c, year %d, age %d appears twice", sex[i], year[i], age[i])
		}
		if haz[i] < 0 || math.IsNaN(haz[i]) {
			return nil, fmt.Errorf("life table: sex %c, year %d, age %d: hazard %v", sex[i], year[i], age[i], haz[i])
		}
		lt.haz[k], lt.present[k] = haz[i], true
	}
	for s, si := range lt.sexes {
		for y := lt.minYear; y <= lt.maxYear; y++ {
			for a := lt.minAge; a <= lt.maxAge; a++ {
				if !lt.present[lt.index(si, y, a)] {
					return nil, fmt.Errorf("life table: no row for sex %c, year %d, age %d (the table must hold every age %d..%d in every year %d..%d)",
						s, y, a, lt.minAge, lt.maxAge, lt.minYear, lt.maxYear)
				}
			}
		}
	}
	return lt, nil
}

func (lt *LifeTable) index(s, year, age int) int {
	na, ny := lt.maxAge-lt.minAge+1, lt.maxYear-lt.minYear+1
	return (s*ny+(year-lt.minYear))*na + (age - lt.minAge)
}

// hazard returns the hazard of a sex at an age and calendar year.
func (lt *LifeTable) hazard(s int, age, year float64) (float64, error) {
	a, y := int(math.Floor(age)), int(math.Floor(year))
	if a < lt.minAge {
		return 0, fmt.Errorf("age %.2f is below the life table's first age %d", age, lt.minAge)
	}
	if y < lt.minYear || y > lt.maxYear {
		return 0, fmt.Errorf("year %d is outside the life table's years %d..%d", y, lt.minYear, lt.maxYear)
	}
	a = min(a, lt.maxAge)
	return lt.haz[lt.index(s, y, a)], nil
}

// RelativeMethod names a net survival estimator.
type RelativeMethod string

const (
	// PoharPerme is the net survival estimator of Pohar Perme, Stare &
	// Estève (2012).
	PoharPerme RelativeMethod = "pohar-perme"
	// EdererII is the relative survival of Ederer & Heise (1959).
	EdererII RelativeMethod = "ederer2"
)

// RelativeOptions control RelativeSurvival.
type RelativeOptions struct {
	Method RelativeMethod // default PoharPerme
	// Entry times (years since diagnosis) for delayed entry; nil = 0.
	Entry []float64
	Times []float64
	Level float64 // default 0.95
}

// RelativePoint is the estimate at a time.
type RelativePoint struct {
	Time   float64 `json:"time"`
	Surv   float64 `json:"surv"`
	StdErr float64 `json:"std_err"`
	Lower  float64 `json:"lower"`
	Upper  float64 `json:"upper"`
}

// RelativeResult is a net (relative) survival curve.
type RelativeResult struct {
	Method   RelativeMethod  `json:"method"`
	N        int             `json:"n"`
	Events   int             `json:"events"`
	At       []RelativePoint `json:"at"`
	Curve    []RelativePoint `json:"-"`
	Warnings []string        `json:"warnings,omitempty"`
}

// RelativeSurvival estimates net survival against a population life table.
// time is the follow-up in years since diagnosis, age the age at diagnosis
// in years, year the calendar time of diagnosis in decimal years, sex the
// table's sex code. Each patient's expected hazard λ_i(u) = haz(sex,
// ⌊age+u⌋, ⌊year+u⌋) is piecewise constant, with S_i = exp(−Λ_i). Between
// consecutive distinct times t_{j−1} < t_j, with R_j the patients at risk at
// t_j and W_j(u) = Σ_{R_j} 1/S_i(u):
//
//	Pohar Perme: h_j = Σ_{deaths at t_j} 1/S_i(t_j) / W_j(t_j) − log(W_j(t_j)/W_j(t_{j−1}))
//	Ederer II:   h_j = (d_j − Σ_{R_j} (Λ_i(t_j) − Λ_i(t_{j−1}))) / n_j
//
// and S(t) = Π_{t_j ≤ t} (1 − h_j), as relsurv's rs.surv (which integrates
// on a daily grid; this is the exact integral). The variance of the
// cumulative hazard is Σ_j Σ_{deaths} 1/S_i(t_j)² / W_j(t_j)² (Pohar Perme)
// or Σ_j d_j / n_j² (Ederer II); std_err = S·sqrt(var), limits on the log
// scale.
func RelativeSurvival(time []float64, event []bool, age, year []float64, sex []int, lt *LifeTable, opts RelativeOptions) (*RelativeResult, error) {
	n := len(time)
	if len(event) != n || len(age) != n || len(year) != n || len(sex) != n || (opts.Entry != nil && len(opts.Entry) != n) {
		panic("survival: slice length mismatch")
	}
	if opts.Method == "" {
		opts.Method = PoharPerme
	}
	if opts.Method != PoharPerme && opts.Method != EdererII {
		return nil, fmt.Errorf("relative survival: method %q: want pohar-perme or ederer2", opts.Method)
	}
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	for i := range time {
		if !(time[i] > 0) || math.IsInf(time[i], 0) {
			return nil, &InputError{Row: i, Msg: fmt.Sprintf("time %v: want a follow-up time > 0", time[i])}
		}
		if opts.Entry != nil && !(opts.Entry[i] >= 0 && opts.Entry[i] < time[i]) {
			return nil, &InputError{Row: i, Msg: fmt.Sprintf("entry %v: want 0 <= entry < time %v", opts.Entry[i], time[i])}
		}
		if sex[i] < 0 || sex[i] >= len(lt.sexes) {
			return nil, &InputError{Row: i, Msg: "sex not in the life table"}
		}
	}
	z := distuv.UnitNormal.Quantile(1 - (1-opts.Level)/2)
	res := &RelativeResult{Method: opts.Method, N: n}

	order := radix.SortedIndex(time)
	var byEntry []int
	if opts.Entry != nil {
		byEntry = radix.SortedIndex(opts.Entry)
	}
	sw := newCellSweep(lt, age, year, sex)
	surv, varH := 1.0, 0.0
	prevT := 0.0
	ePos, oPos := 0, 0
	if byEntry == nil {
		for i := 0; i < n; i++ {
			if err := sw.join(i, 0); err != nil {
				return nil, err
			}
		}
	}
	wOld := sw.w(0)
	for oPos < n {
		t := time[order[oPos]]
		// Enter those with entry < t (at the previous time, where the sums
		// of this interval start).
		for byEntry != nil && ePos < n && opts.Entry[byEntry[ePos]] < t {
			i := byEntry[ePos]
			at := math.Max(prevT, opts.Entry[i])
			if err := sw.join(i, at); err != nil {
				return nil, err
			}
			wOld += sw.e(i, at)
			ePos++
		}
		nRisk := float64(sw.active)
		dCum, err := sw.advance(t)
		if err != nil {
			return nil, err
		}
		wNew := sw.w(t)
		var d, dE, dE2 float64
		end := oPos
		for ; end < n && time[order[end]] == t; end++ {
			i := order[end]
			if event[i] && sw.in[i] {
				d++
				e := sw.e(i, t)
				dE += e
				dE2 += e * e
			}
		}
		if nRisk > 0 {
			var h float64
			if opts.Method == PoharPerme {
				h = dE/wNew - math.Log(wNew/wOld)
				varH += dE2 / (wNew * wNew)
			} else {
				h = (d - dCum) / nRisk
				varH += d / (nRisk * nRisk)
			}
			surv *= 1 - h
			se := surv * math.Sqrt(varH)
			res.Curve = append(res.Curve, RelativePoint{Time: t, Surv: surv, StdErr: se,
				Lower: surv * math.Exp(-z*math.Sqrt(varH)), Upper: surv * math.Exp(z*math.Sqrt(varH))})
			res.Events += int(d)
		}
		for k := oPos; k < end; k++ {
			if i := order[k]; sw.in[i] {
				sw.leave(i, t)
			}
		}
		wOld = sw.w(t)
		prevT = t
		oPos = end
	}
	last := time[order[n-1]]
	for _, t := range opts.Times {
		if t > last {
			res.Warnings = append(res.Warnings, fmt.Sprintf("time %g is after the last follow-up time %g: not reported", t, last))
			continue
		}
		p := RelativePoint{Time: t, Surv: 1}
		for _, c := range res.Curve {
			if c.Time > t {
				break
			}
			p = RelativePoint{Time: t, Surv: c.Surv, StdErr: c.StdErr, Lower: c.Lower, Upper: c.Upper}
		}
		res.At = append(res.At, p)
	}
	return res, nil
}

// SexIndex returns the table's index of a sex code ('F' or 'M').
func (lt *LifeTable) SexIndex(sex byte) (int, bool) {
	i, ok := lt.sexes[sex]
	return i, ok
}
