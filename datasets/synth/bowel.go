package synth

import (
	"math"
	"math/rand/v2"

	"github.com/screenlab/screenlab/datasets"
)

// The bowel programme's model: men and women aged 55-74 invited every two
// years to a FIT, positive at f-Hb >= 15 µg Hb/g (the Norwegian
// threshold), referred to colonoscopy. Adenomas arise with a hazard that
// rises with age (men 1.6 times women), progress to advanced adenomas
// and then to preclinical cancers that surface after a sojourn of about
// three years (after the adenoma-carcinoma models of MISCAN-Colon, Loeve
// et al. 1999, simplified). Tuned (see programme_test.go) so that 50,000
// persons give uptake ≈ 59% of women and 49% of men, FIT positivity
// ≈ 6%, and cancer in ≈ 3.5% and polyps in ≈ 58% of colonoscopies.
const (
	fitThreshold   = 15.0 // µg Hb/g
	bwNeverF       = 0.34
	bwNeverM       = 0.46
	bwAttend       = 0.78
	bwRemind       = 0.45
	bwInadequate   = 0.015
	bwColonoscopy  = 0.90
	bwAdenomaRate  = 0.010 // per year at 50, women
	bwAdenomaSlope = 0.04  // log-hazard per year of age
	bwToAdvanced   = 0.05
	bwToCancer     = 0.02
	bwSurface      = 0.35
)

// f-Hb given the worst lesion: the chance of an f-Hb of 0 (below the
// detection limit) and the log-normal of the rest.
var fhbGiven = []struct{ zero, mu, sigma float64 }{
	{0.58, math.Log(2.2), 1.3}, // no lesion
	{0.45, math.Log(4), 1.3},   // non-advanced adenoma
	{0.15, math.Log(8), 1.5},   // advanced adenoma
	{0.05, math.Log(80), 1.5},  // cancer
}

const (
	evFIT = iota + 10
	evColonoscopy
)

type bowel struct {
	r        *rand.Rand
	pp       *programmePerson
	birth    datasets.Date
	lesion   int // 0 none, 1 adenoma, 2 advanced adenoma, 3 preclinical cancer
	onset    datasets.Date
	done     bool // diagnosed with a colorectal cancer
	hospital string
}

func (b *bowel) age(d datasets.Date) float64 { return float64(d-b.birth) / daysPerYear }

func bowelPerson(r *rand.Rand, id string, cfg *Config, pp *programmePerson) {
	start := max(datasets.DateOf(2012, 1, 1), cfg.Start)
	end := cfg.End
	birth := datasets.DateOf(1940, 1, 1) + uniformDays(r, 0, int(datasets.DateOf(1969, 12, 31)-datasets.DateOf(1940, 1, 1)))
	sex := byte('F')
	if r.IntN(2) == 1 {
		sex = 'M'
	}
	county := pick(r, countyWeights())
	pp.person = datasets.Person{ID: id, BirthDate: birth, Sex: sex, Region: counties[county].name}
	pp.person.DeathDate, pp.person.EmigrationDate = lifeExit(r, birth, start, end, sex)
	stop := end
	if x := pp.person.ExitDate(); x != datasets.NoDate {
		stop = x
	}
	b := &bowel{r: r, pp: pp, birth: birth, hospital: "HF-" + counties[county].name}
	never := r.Float64() < choose(sex == 'M', bwNeverM, bwNeverF)
	var ag agenda
	switch a0 := b.age(start); {
	case a0 >= 55 && a0 < 75:
		ag.add(event{date: start + uniformDays(r, 0, 730), kind: evInvite, arg: 1})
	case a0 < 55:
		ag.add(event{date: birth.AddMonths(55*12) + uniformDays(r, 0, 365), kind: evInvite, arg: 1})
	}
	round := 0
	var lastInvite datasets.Date
	next := func(from datasets.Date) { ag.add(event{date: from.AddMonths(24), kind: evInvite, arg: round + 1}) }
	t := max(birth.AddMonths(40*12), start.AddMonths(-25*12))
	for t < stop && !b.done {
		tn := t + stepDays
		for {
			ev, ok := ag.pop(min(tn, stop))
			if !ok || b.done {
				break
			}
			d := ev.date
			switch ev.kind {
			case evInvite:
				if b.age(d) >= 75 || d > end {
					continue
				}
				round, lastInvite = ev.arg, d
				pp.invitations = append(pp.invitations, datasets.Invitation{PersonID: id, Date: d, Round: round})
				if !never && r.Float64() < bwAttend {
					ag.add(event{date: d + uniformDays(r, 5, 40), kind: evFIT})
				} else {
					ag.add(event{date: d + 42, kind: evReminder})
				}
			case evReminder:
				pp.invitations = append(pp.invitations, datasets.Invitation{PersonID: id, Date: d, Round: round, Reminder: true})
				if r.Float64() < choose(never, 0.03, bwRemind) {
					ag.add(event{date: d + uniformDays(r, 5, 40), kind: evFIT})
				} else {
					next(lastInvite)
				}
			case evFIT:
				if r.Float64() < bwInadequate {
					pp.fitTests = append(pp.fitTests, datasets.FITTest{PersonID: id, Date: d, FHb: math.NaN(), Inadequate: true})
					if r.Float64() < 0.8 {
						ag.add(event{date: d + uniformDays(r, 14, 45), kind: evFIT})
					} else {
						next(lastInvite)
					}
					continue
				}
				g := fhbGiven[b.lesion]
				fhb := 0.0
				if r.Float64() >= g.zero {
					fhb = math.Round(10*math.Exp(g.mu+g.sigma*r.NormFloat64())) / 10
				}
				pp.fitTests = append(pp.fitTests, datasets.FITTest{PersonID: id, Date: d, FHb: fhb})
				if fhb >= fitThreshold && r.Float64() < bwColonoscopy {
					wait := 12 + int(math.Round(9*(r.ExpFloat64()+r.ExpFloat64())))
					ag.add(event{date: d + datasets.Date(wait), kind: evColonoscopy})
				} else {
					next(lastInvite)
				}
			case evColonoscopy:
				b.colonoscopy(d)
				if !b.done {
					ag.add(event{date: d.AddMonths(120), kind: evInvite, arg: round + 1})
				}
			}
		}
		if tn > stop {
			break
		}
		b.step(t)
		t = tn
	}
}

func (b *bowel) colonoscopy(d datasets.Date) {
	r := b.r
	co := datasets.Colonoscopy{PersonID: b.pp.person.ID, Date: d}
	co.PreparationAdequate = r.Float64() < 0.92
	co.Caecum = r.Float64() < choose(co.PreparationAdequate, 0.97, 0.80)
	found := 0
	switch b.lesion {
	case 3:
		if r.Float64() < 0.97 {
			found = 3
		}
	case 2:
		switch u := r.Float64(); {
		case u < 0.9:
			found = 2
		case u < 0.95:
			found = 1
		}
	case 1:
		if r.Float64() < 0.8 {
			found = 1
		}
	}
	co.Finding = datasets.ColonoscopyFindings[found]
	switch found {
	case 3:
		if r.Float64() < 0.6 {
			co.PolypsRemoved = 1 + r.IntN(3)
		}
	case 2:
		co.PolypsRemoved = 1 + r.IntN(5)
	case 1:
		co.PolypsRemoved = 1 + r.IntN(4)
	default:
		if r.Float64() < 0.1 { // hyperplastic polyps
			co.PolypsRemoved = 1 + r.IntN(2)
		}
	}
	b.pp.colonos = append(b.pp.colonos, co)
	switch {
	case found == 3:
		b.diagnose(d + uniformDays(r, 7, 28))
	case found > 0:
		b.lesion = 0 // polypectomy
	}
}

func (b *bowel) diagnose(d datasets.Date) {
	if x := b.pp.person.ExitDate(); x != datasets.NoDate && d > x {
		return
	}
	icd := [...]string{"C18", "C19", "C20"}[pick(b.r, []float64{0.6, 0.1, 0.3})]
	b.pp.diagnoses = append(b.pp.diagnoses, datasets.Diagnosis{PersonID: b.pp.person.ID, Date: d, ICD10: icd, Behaviour: 3,
		Stage: stageAfter(b.r, float64(d-b.onset)/daysPerYear), Hospital: b.hospital})
	b.done = true
}

func (b *bowel) step(t datasets.Date) {
	r := b.r
	switch b.lesion {
	case 0:
		rate := bwAdenomaRate * math.Exp(bwAdenomaSlope*(b.age(t)-50))
		if b.pp.person.Sex == 'M' {
			rate *= 1.6
		}
		if r.Float64() < perStep(rate) {
			b.lesion = 1
		}
	case 1:
		if r.Float64() < perStep(bwToAdvanced) {
			b.lesion = 2
		}
	case 2:
		if r.Float64() < perStep(bwToCancer) {
			b.lesion, b.onset = 3, t
		}
	case 3:
		if r.Float64() < perStep(bwSurface) {
			b.diagnose(t)
		}
	}
}
