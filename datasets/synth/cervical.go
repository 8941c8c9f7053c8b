package synth

import (
	"math/rand/v2"

	"github.com/screenlab/screenlab/datasets"
)

// The cervical programme's model. Women aged 25-33 are screened by
// cytology every 3 years and women aged 34-69 by HPV every 5 years, as in
// Norway since 2023. The natural history (after Kim et al. 2017 and the
// Norwegian microsimulation of Burger et al. 2012, simplified) was tuned
// (see programme_test.go) so that 50,000 women give HPV positivity
// ≈ 7-10% at 34-69.
var (
	// HPV incidence per year by age, interpolated.
	hpvIncAges = []float64{15, 20, 25, 30, 35, 45, 55, 70, 90}
	hpvIncRate = []float64{0.08, 0.20, 0.12, 0.07, 0.042, 0.03, 0.023, 0.018, 0.015}
	// Genotype group of a new infection: 16, 18, 31/33/45/52/58, the rest.
	hpvTypeShare = []float64{0.14, 0.06, 0.35, 0.45}
	// Clearance and CIN2 onset per year of an infection without a lesion.
	hpvClear = []float64{0.35, 0.45, 0.45, 0.55}
	hpvCIN2  = []float64{0.07, 0.035, 0.035, 0.015}
	// Cytology given the state: NILM, ASC-US, LSIL, ASC-H, HSIL, SCC, AGC,
	// AIS, ADC (BethesdaCodes order without "unsatisfactory").
	cytoGiven = [][]float64{
		{0.965, 0.025, 0.008, 0.001, 0.001, 0, 0, 0, 0},  // no infection
		{0.72, 0.14, 0.11, 0.02, 0.01, 0, 0, 0, 0},       // infection
		{0.25, 0.15, 0.22, 0.13, 0.23, 0, 0.01, 0.01, 0}, // CIN2
		{0.15, 0.10, 0.10, 0.20, 0.42, 0.01, 0.01, 0.01, 0},
		{0.03, 0.03, 0.02, 0.07, 0.35, 0.40, 0.03, 0.02, 0.05}, // cancer
	}
	// Histology of a colposcopy given the state: normal, CIN1, CIN2, CIN3,
	// AIS, cancer (CervicalHistology order).
	histGiven = [][]float64{
		{0.8, 0.2, 0, 0, 0, 0},
		{0.45, 0.55, 0, 0, 0, 0},
		{0, 0.12, 0.80, 0.08, 0, 0},
		{0, 0.02, 0.10, 0.85, 0.03, 0},
		{0, 0, 0, 0.05, 0, 0.95},
	}
)

const (
	cxNever      = 0.18 // women who never respond to an invitation
	cxAttend     = 0.78 // response to an invitation of the others
	cxRemind     = 0.45 // response to the reminder
	cxSelfKit    = 0.30 // non-responders (from 2021) who use a self-sampling kit
	cxTriageSelf = 0.85 // women with HPV+ self-samples who come for cytology
	cxColpo      = 0.90 // attendance at colposcopy
	cxRepeat12   = 0.80 // attendance at the 12-month repeat test
	cxRepeat36   = 0.75
)

// pathway events of the cervical model
const (
	evInvite = iota
	evReminder
	evPrimary // arg 1: self-sample
	evTriage  // cytology after an HPV+ self-sample
	evRepeat
	evColposcopy
)

type cervix struct {
	r         *rand.Rand
	pp        *programmePerson
	birth     datasets.Date
	typ       int // HPV genotype group 0-3, -1 none
	lesion    int // 0 none, 1 CIN2, 2 CIN3, 3 preclinical cancer
	onset     datasets.Date
	diagnosed bool
	lab       string
	hospital  string
}

func (c *cervix) state() int {
	switch {
	case c.lesion > 0:
		return c.lesion + 1
	case c.typ >= 0:
		return 1
	}
	return 0
}

func (c *cervix) age(d datasets.Date) float64 { return float64(d-c.birth) / daysPerYear }

func (c *cervix) hpv(d datasets.Date, sample string) string {
	pos := c.typ >= 0 && c.r.Float64() < choose(sample == "self", 0.92, 0.96)
	g := c.typ
	if !pos && c.r.Float64() < 0.008 {
		pos, g = true, 2+c.r.IntN(2)
	}
	res := "negative"
	if pos {
		res = datasets.HPVGroups[g]
	}
	c.pp.cxTests = append(c.pp.cxTests, datasets.CervicalTest{PersonID: c.pp.person.ID, Date: d, Test: "hpv", HPV: res, Sample: sample, Laboratory: c.lab})
	return res
}

func (c *cervix) cytology(d datasets.Date) string {
	res := "unsatisfactory"
	if c.r.Float64() >= 0.01 {
		res = datasets.BethesdaCodes[pick(c.r, cytoGiven[c.state()])]
	}
	c.pp.cxTests = append(c.pp.cxTests, datasets.CervicalTest{PersonID: c.pp.person.ID, Date: d, Test: "cytology", Cytology: res, Sample: "clinician", Laboratory: c.lab})
	return res
}

// cervicalAction is the Norwegian 2024 algorithm the generator follows
// (the linker reads it from a file): "colposcopy", "repeat-12",
// "repeat-36", "repeat-3" (an unsatisfactory or missing cytology) or
// "routine".
func cervicalAction(hpv, cyto string) string {
	abnormal := cyto != "" && cyto != "NILM" && cyto != "unsatisfactory"
	high := abnormal && cyto != "ASC-US" && cyto != "LSIL"
	switch {
	case hpv == "negative":
		return "routine"
	case hpv == "16" || high:
		return "colposcopy"
	case cyto == "" || cyto == "unsatisfactory":
		return "repeat-3"
	case hpv == "18" || hpv == "hr-31-33-45-52-58":
		if abnormal {
			return "colposcopy"
		}
		return "repeat-12"
	case abnormal:
		return "repeat-12"
	}
	return "repeat-36"
}

func cervicalPerson(r *rand.Rand, id string, cfg *Config, pp *programmePerson) {
	start := max(datasets.DateOf(2015, 1, 1), cfg.Start)
	end := cfg.End
	birth := datasets.DateOf(1946, 1, 1) + uniformDays(r, 0, int(datasets.DateOf(1999, 12, 31)-datasets.DateOf(1946, 1, 1)))
	county := pick(r, countyWeights())
	pp.person = datasets.Person{ID: id, BirthDate: birth, Sex: 'F', Region: counties[county].name}
	pp.person.DeathDate, pp.person.EmigrationDate = lifeExit(r, birth, start, end, 'F')
	stop := end
	if x := pp.person.ExitDate(); x != datasets.NoDate {
		stop = x
	}
	c := &cervix{r: r, pp: pp, birth: birth, typ: -1, lab: "LAB-" + counties[county].name, hospital: "HF-" + counties[county].name}
	never := r.Float64() < cxNever
	var ag agenda
	// the first invitation: in the first interval for women of screening
	// age at the start, at 25 for younger women
	a0 := c.age(start)
	switch {
	case a0 >= 25 && a0 < 70:
		iv := 5.0
		if a0 < 34 {
			iv = 3
		}
		ag.add(event{date: start + uniformDays(r, 0, int(iv*daysPerYear)), kind: evInvite, arg: 1})
	case a0 < 25:
		ag.add(event{date: birth.AddMonths(25*12) + uniformDays(r, 0, 180), kind: evInvite, arg: 1})
	}
	interval := func(d datasets.Date) datasets.Date {
		if c.age(d) < 34 {
			return d.AddMonths(36)
		}
		return d.AddMonths(60)
	}
	round := 0
	next := func(from datasets.Date) { ag.add(event{date: interval(from), kind: evInvite, arg: round + 1}) }
	var lastInvite datasets.Date
	afterTest := func(d datasets.Date, hpv, cyto string) {
		switch cervicalAction(hpv, cyto) {
		case "routine":
			next(d)
		case "colposcopy":
			if r.Float64() < cxColpo {
				ag.add(event{date: d + uniformDays(r, 20, 90), kind: evColposcopy})
			} else {
				next(d)
			}
		case "repeat-3":
			ag.add(event{date: d + uniformDays(r, 80, 120), kind: evRepeat})
		case "repeat-12":
			if r.Float64() < cxRepeat12 {
				ag.add(event{date: d.AddMonths(12) + uniformDays(r, 0, 75) - 20, kind: evRepeat})
			} else {
				next(d)
			}
		case "repeat-36":
			if r.Float64() < cxRepeat36 {
				ag.add(event{date: d.AddMonths(36) + uniformDays(r, 0, 90) - 30, kind: evRepeat})
			} else {
				next(d)
			}
		}
	}
	t := max(birth.AddMonths(15*12), start.AddMonths(-25*12))
	for t < stop && !c.diagnosed {
		tn := t + stepDays
		for {
			ev, ok := ag.pop(min(tn, stop))
			if !ok || c.diagnosed {
				break
			}
			d := ev.date
			switch ev.kind {
			case evInvite:
				if c.age(d) >= 70 || d > end {
					continue
				}
				round = ev.arg
				lastInvite = d
				pp.invitations = append(pp.invitations, datasets.Invitation{PersonID: id, Date: d, Round: round})
				if !never && r.Float64() < cxAttend {
					ag.add(event{date: d + uniformDays(r, 10, 80), kind: evPrimary})
				} else {
					ag.add(event{date: d + 90, kind: evReminder})
				}
			case evReminder:
				pp.invitations = append(pp.invitations, datasets.Invitation{PersonID: id, Date: d, Round: round, Reminder: true})
				y, _, _ := d.Civil()
				switch p := r.Float64(); {
				case p < choose(never, 0.05, cxRemind):
					ag.add(event{date: d + uniformDays(r, 10, 80), kind: evPrimary})
				case y >= 2021 && c.age(d) >= 34 && r.Float64() < choose(never, 0.15, cxSelfKit):
					ag.add(event{date: d + uniformDays(r, 10, 60), kind: evPrimary, arg: 1})
				default:
					next(lastInvite)
				}
			case evPrimary:
				if c.age(d) < 34 {
					cyto := c.cytology(d)
					switch {
					case cyto == "unsatisfactory":
						ag.add(event{date: d + uniformDays(r, 80, 120), kind: evPrimary})
					case cyto == "NILM":
						next(d)
					case cyto == "ASC-US" || cyto == "LSIL":
						if c.hpv(d, "clinician") != "negative" {
							afterTest(d, "16", cyto) // reflex HPV+: colposcopy
						} else {
							next(d)
						}
					default:
						afterTest(d, "16", cyto)
					}
					continue
				}
				if ev.arg == 1 {
					hpv := c.hpv(d, "self")
					switch {
					case hpv == "negative":
						next(d)
					case r.Float64() < cxTriageSelf:
						ag.add(event{date: d + uniformDays(r, 14, 60), kind: evTriage, arg: cxGroup(hpv)})
					default:
						next(d)
					}
					continue
				}
				hpv := c.hpv(d, "clinician")
				cyto := ""
				if hpv != "negative" {
					cyto = c.cytology(d)
				}
				afterTest(d, hpv, cyto)
			case evTriage:
				afterTest(d, datasets.HPVGroups[ev.arg], c.cytology(d))
			case evRepeat:
				hpv := c.hpv(d, "clinician")
				if hpv == "negative" {
					next(d)
					continue
				}
				c.cytology(d) // reflex cytology; persistent HPV is referred whatever it shows
				if r.Float64() < cxColpo {
					ag.add(event{date: d + uniformDays(r, 20, 90), kind: evColposcopy})
				} else {
					next(d)
				}
			case evColposcopy:
				h := datasets.CervicalHistology[pick(r, histGiven[c.state()])]
				pp.cxFollowups = append(pp.cxFollowups, datasets.CervicalFollowup{PersonID: id, Date: d, Histology: h})
				switch h {
				case "cancer":
					c.diagnose(d+uniformDays(r, 7, 30), "C53", 3, stageAfter(r, float64(d-c.onset)/daysPerYear))
				case "CIN3", "AIS":
					pp.diagnoses = append(pp.diagnoses, datasets.Diagnosis{PersonID: id, Date: d, ICD10: "D06", Behaviour: 2, Hospital: c.hospital})
					fallthrough
				case "CIN2":
					c.lesion = 0 // treated by conisation
					if r.Float64() < 0.85 {
						c.typ = -1
					}
				}
				ag.add(event{date: d.AddMonths(36), kind: evInvite, arg: round + 1})
			}
		}
		if tn > stop {
			break
		}
		c.step(t)
		t = tn
	}
}

func cxGroup(hpv string) int {
	for i, g := range datasets.HPVGroups {
		if g == hpv {
			return i
		}
	}
	return 3
}

func (c *cervix) diagnose(d datasets.Date, icd string, behaviour int, stage string) {
	if c.pp.person.ExitDate() != datasets.NoDate && d > c.pp.person.ExitDate() {
		return
	}
	c.pp.diagnoses = append(c.pp.diagnoses, datasets.Diagnosis{PersonID: c.pp.person.ID, Date: d, ICD10: icd, Behaviour: behaviour, Stage: stage, Hospital: c.hospital})
	c.diagnosed = true
}

// step moves the natural history on by one step from t.
func (c *cervix) step(t datasets.Date) {
	r := c.r
	switch {
	case c.typ < 0:
		if r.Float64() < perStep(interp(hpvIncAges, hpvIncRate, c.age(t))) {
			c.typ = pick(r, hpvTypeShare)
		}
	case c.lesion == 0:
		if r.Float64() < perStep(hpvClear[c.typ]) {
			c.typ = -1
		} else if r.Float64() < perStep(hpvCIN2[c.typ]) {
			c.lesion = 1
		}
	case c.lesion == 1:
		if r.Float64() < perStep(0.25) {
			c.lesion = 0
		} else if r.Float64() < perStep(0.12) {
			c.lesion = 2
		}
	case c.lesion == 2:
		rate := 0.006
		if c.typ <= 1 {
			rate = 0.012
		}
		if r.Float64() < perStep(rate) {
			c.lesion, c.onset = 3, t
		} else if r.Float64() < perStep(0.03) {
			c.lesion = 0
		}
	case c.lesion == 3:
		if r.Float64() < perStep(0.3) {
			c.diagnose(t, "C53", 3, stageAfter(r, float64(t-c.onset)/daysPerYear))
		}
	}
}
