package datasets

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// CervicalAlgorithm is the management of a cervical screening test: which
// results go to colposcopy, to a repeat test (and when), or back to
// routine screening. It is read from a JSON file the user can change;
// DefaultCervicalAlgorithm is the Norwegian 2024 algorithm.
type CervicalAlgorithm struct {
	Name          string `json:"name"`
	Description   string `json:"description,omitempty"`
	RoutineMonths struct {
		HPV      int `json:"hpv"`
		Cytology int `json:"cytology"`
	} `json:"routine_months"`
	// TriageDays is how long after the primary sample a triage test (the
	// cytology of an HPV-positive self-sample, the reflex HPV test of an
	// abnormal cytology) still belongs to it.
	TriageDays   int `json:"triage_days"`
	RepeatWindow struct {
		Before int `json:"before"`
		After  int `json:"after"`
	} `json:"repeat_window_days"`
	ColposcopyMonths int `json:"colposcopy_months"`
	// HPVPrimaryFromAge: a sample with both an HPV test and a cytology is
	// HPV-primary (the cytology its triage) from this age, and
	// cytology-primary (the HPV test its reflex triage) below it; 0 means
	// always HPV-primary.
	HPVPrimaryFromAge float64        `json:"hpv_primary_from_age"`
	PrimaryHPV        []CervicalRule `json:"primary_hpv"`
	PrimaryCytology   []CervicalRule `json:"primary_cytology"`
	Repeat            []CervicalRule `json:"repeat"`
}

// CervicalRule matches a sample's HPV and cytology results (an empty list
// matches anything; "" in a list means no result) and says what follows:
// "routine", "colposcopy", or "repeat" after Months.
type CervicalRule struct {
	HPV      []string `json:"hpv,omitempty"`
	Cytology []string `json:"cytology,omitempty"`
	Action   string   `json:"action"`
	Months   int      `json:"months,omitempty"`
}

func (r *CervicalRule) matches(hpv, cyto string) bool {
	return (len(r.HPV) == 0 || slices.Contains(r.HPV, hpv)) && (len(r.Cytology) == 0 || slices.Contains(r.Cytology, cyto))
}

//go:embed algorithms/cervical-no-2024.json
var cervicalNO2024 []byte

// DefaultCervicalAlgorithm returns the Norwegian 2024 algorithm and its
// file's bytes (for users to copy and edit).
func DefaultCervicalAlgorithm() (*CervicalAlgorithm, []byte) {
	a, err := ParseCervicalAlgorithm(cervicalNO2024)
	if err != nil {
		panic("the built-in cervical algorithm is broken: " + err.Error()) // a build error, not user input
	}
	return a, cervicalNO2024
}

// ParseCervicalAlgorithm reads and checks an algorithm file: every code a
// known HPV group or Bethesda category, every action known, every repeat
// with its months, and each rule list ending in a rule that matches
// anything (so that no result is left without an action).
func ParseCervicalAlgorithm(raw []byte) (*CervicalAlgorithm, error) {
	var a CervicalAlgorithm
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("cervical algorithm: %w", err)
	}
	if a.RoutineMonths.HPV <= 0 || a.RoutineMonths.Cytology <= 0 || a.TriageDays < 0 || a.ColposcopyMonths <= 0 ||
		a.RepeatWindow.Before < 0 || a.RepeatWindow.After <= 0 {
		return nil, fmt.Errorf("cervical algorithm %q: routine_months, colposcopy_months and repeat_window_days.after must be positive", a.Name)
	}
	for _, set := range []struct {
		name  string
		rules []CervicalRule
	}{{"primary_hpv", a.PrimaryHPV}, {"primary_cytology", a.PrimaryCytology}, {"repeat", a.Repeat}} {
		if len(set.rules) == 0 {
			return nil, fmt.Errorf("cervical algorithm %q: %s has no rules", a.Name, set.name)
		}
		for i, r := range set.rules {
			where := fmt.Sprintf("cervical algorithm %q: %s rule %d", a.Name, set.name, i+1)
			for _, h := range r.HPV {
				if h != "" && !slices.Contains(HPVGroups, h) {
					return nil, fmt.Errorf("%s: hpv %q is not one of %s", where, h, strings.Join(HPVGroups, ", "))
				}
			}
			for _, c := range r.Cytology {
				if c != "" && !slices.Contains(BethesdaCodes, c) {
					return nil, fmt.Errorf("%s: cytology %q is not one of %s", where, c, strings.Join(BethesdaCodes, ", "))
				}
			}
			switch {
			case r.Action == "repeat" && r.Months <= 0:
				return nil, fmt.Errorf("%s: a repeat needs its months", where)
			case r.Action != "repeat" && r.Action != "routine" && r.Action != "colposcopy":
				return nil, fmt.Errorf("%s: action %q: want routine, colposcopy or repeat", where, r.Action)
			}
		}
		if last := set.rules[len(set.rules)-1]; len(last.HPV) != 0 || len(last.Cytology) != 0 {
			return nil, fmt.Errorf("cervical algorithm %q: the last %s rule must match anything (no hpv, no cytology), so that every result has an action", a.Name, set.name)
		}
	}
	return &a, nil
}

func decide(rules []CervicalRule, hpv, cyto string) CervicalRule {
	for _, r := range rules {
		if r.matches(hpv, cyto) {
			return r
		}
	}
	return CervicalRule{Action: "colposcopy"} // unreachable: the last rule matches anything
}

// CervicalEpisode is a screening episode: a primary test, its triage, the
// repeat tests and colposcopies the algorithm asks for, and the outcome.
type CervicalEpisode struct {
	PersonID   string
	Date       Date // of the primary sample
	Age        float64
	AgeYears   int // completed years
	Region     string
	Round      int  // of the invitation before the test (0: none)
	Invited    bool // an invitation in the 12 months before the test
	Primary    string
	Sample     string // of the primary sample: self or clinician
	Laboratory string
	HPV        string // the primary sample's HPV group ("" when not tested)
	Cytology   string // the triage (or primary) cytology
	TriageDone bool   // an HPV-positive primary with a cytology
	Action     string // the first decision: routine, colposcopy or repeat-Nm
	// RepeatDue: a repeat test was asked for and its window has closed
	// (or it was done); RepeatDone: it was done.
	RepeatDue, RepeatDone bool
	RepeatDate            Date
	Referred              bool // referred to colposcopy, directly or after a repeat
	DirectReferral        bool
	ReferralDate          Date
	Colposcopy            bool // attended within the colposcopy window
	ColposcopyDate        Date
	Histology             string // the worst histology in the episode ("" none)
	End                   Date   // the last day of the episode
	Outcome               string // see CervicalOutcomes
	Cancer                string // screen-detected, interval or ""
	CancerDate            Date
	// CIN3Days is the time from the primary sample to the first CIN3+
	// (histology or a D06/C53 diagnosis), or to the end of follow-up when
	// CIN3Event is false.
	CIN3Days  int
	CIN3Event bool
}

// CervicalOutcomes are the episode outcomes: negative at the primary test,
// negative at a repeat test, referred (colposcopy attended), no colposcopy
// (referred but none within the window), repeat missed (a repeat test that
// never happened), and pending (a window still open at the end of data).
var CervicalOutcomes = []string{"negative", "negative-after-repeat", "referred", "no-colposcopy", "repeat-missed", "pending"}

var histRank = map[string]int{"": 0, "normal": 1, "CIN1": 2, "CIN2": 3, "CIN3": 4, "AIS": 5, "cancer": 6}

// CIN2Plus reports CIN2, CIN3, AIS or cancer; CIN3Plus CIN3, AIS or cancer.
func CIN2Plus(h string) bool { return histRank[h] >= 3 }

// CIN3Plus reports CIN3, AIS or cancer.
func CIN3Plus(h string) bool { return histRank[h] >= 4 }

// ProgrammeLinkOptions set the end of data of a programme's linking.
type ProgrammeLinkOptions struct {
	// EndOfData is the last day of follow-up (NoDate: the latest date in
	// the tables).
	EndOfData Date
}

// programmeIndex is what both linkers index: the end of data, and each
// person's invitations and diagnoses in date order.
type programmeIndex struct {
	end   Date
	invs  map[string][]int
	diags map[string][]int
}

func indexProgramme(reg *Registry, end Date) programmeIndex {
	if end == NoDate || end == 0 {
		end = programmeEnd(reg)
	}
	return programmeIndex{end: end,
		invs:  groupBy(reg.Invitations, func(t *Invitation) string { return t.PersonID }, func(t *Invitation) Date { return t.Date }),
		diags: groupBy(reg.Diagnoses, func(t *Diagnosis) string { return t.PersonID }, func(t *Diagnosis) Date { return t.Date })}
}

// sortedIDs lists a map's person ids in order.
func sortedIDs(m map[string][]int) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// groupBy indexes rows by person, each person's in date order.
func groupBy[T any](rows []T, id func(*T) string, date func(*T) Date) map[string][]int {
	m := map[string][]int{}
	for i := range rows {
		m[id(&rows[i])] = append(m[id(&rows[i])], i)
	}
	for _, ix := range m {
		slices.SortStableFunc(ix, func(a, b int) int { return int(date(&rows[a])) - int(date(&rows[b])) })
	}
	return m
}

// LinkCervical builds every woman's screening episodes from the tests
// table and links them to colposcopies and registry diagnoses (C53
// invasive cancer; D06 carcinoma in situ counts as CIN3+), following the
// algorithm. An episode starts at a test outside any earlier episode; a
// cytology within TriageDays of an HPV-positive sample is its triage. A
// repeat test is the first test in [due − before, due + after]; a
// referral's colposcopy the first within ColposcopyMonths. The worst
// histology is over [start, end]; a C53 in a referred episode is
// screen-detected, and a C53 after a negative episode, within the routine
// interval and before the next episode, an interval cancer.
func LinkCervical(reg *Registry, alg *CervicalAlgorithm, opts ProgrammeLinkOptions) ([]CervicalEpisode, error) {
	if alg == nil {
		alg, _ = DefaultCervicalAlgorithm()
	}
	ix := indexProgramme(reg, opts.EndOfData)
	end, invs, diags := ix.end, ix.invs, ix.diags
	tests := groupBy(reg.CervicalTests, func(t *CervicalTest) string { return t.PersonID }, func(t *CervicalTest) Date { return t.Date })
	colpo := groupBy(reg.CervicalFollowups, func(t *CervicalFollowup) string { return t.PersonID }, func(t *CervicalFollowup) Date { return t.Date })
	var out []CervicalEpisode
	for _, id := range sortedIDs(tests) {
		p := reg.Person(id)
		first := len(out)
		ts := tests[id]
		for i := 0; i < len(ts); {
			birth := NoDate
			if p != nil {
				birth = p.BirthDate
			}
			ep, next := cervicalEpisode(reg, alg, ts, i, colpo[id], end, birth)
			ep.PersonID = id
			if p != nil {
				ep.Age = float64(ep.Date-p.BirthDate) / DaysPerYear
				ep.AgeYears = CompletedYears(p.BirthDate, ep.Date)
				ep.Region = p.Region
			} else {
				ep.Age = math.NaN()
			}
			ep.Round, ep.Invited = invitationBefore(reg.Invitations, invs[id], ep.Date)
			out = append(out, ep)
			i = next
		}
		cervicalOutcomes(out[first:], reg.Diagnoses, diags[id], reg.CervicalFollowups, colpo[id], alg, p, end)
	}
	return out, nil
}

// invitationBefore is the round of the last invitation (not a reminder)
// in the year before d, and whether there was one.
func invitationBefore(all []Invitation, ix []int, d Date) (int, bool) {
	round, ok := 0, false
	for _, k := range ix {
		iv := &all[k]
		if iv.Date > d {
			break
		}
		if !iv.Reminder && iv.Date >= d.AddMonths(-12) {
			round, ok = iv.Round, true
		}
	}
	return round, ok
}

// sampleAt gathers the results of the tests on one date from ts[i:]:
// the HPV group and cytology, and the index after them.
func sampleAt(reg *Registry, ts []int, i int) (hpv, cyto, sample, lab string, next int) {
	d := reg.CervicalTests[ts[i]].Date
	for next = i; next < len(ts) && reg.CervicalTests[ts[next]].Date == d; next++ {
		t := &reg.CervicalTests[ts[next]]
		if t.Test == "hpv" && hpv == "" {
			hpv, sample, lab = t.HPV, t.Sample, t.Laboratory
		}
		if t.Test == "cytology" && (cyto == "" || cyto == "unsatisfactory") {
			cyto = t.Cytology
			if sample == "" {
				sample, lab = t.Sample, t.Laboratory
			}
		}
	}
	return
}

// triage completes a sample with the missing test of its triage within
// days: a cytology for an HPV-positive sample without one, an HPV test for
// an ASC-US/LSIL cytology without one. It returns the index after what it
// used.
func triage(reg *Registry, ts []int, next int, d Date, days int, hpv, cyto *string) int {
	needCyto := *hpv != "" && *hpv != "negative" && (*cyto == "" || *cyto == "unsatisfactory")
	needHPV := *hpv == "" && (*cyto == "ASC-US" || *cyto == "LSIL")
	if !needCyto && !needHPV {
		return next
	}
	for k := next; k < len(ts); k++ {
		t := &reg.CervicalTests[ts[k]]
		if t.Date > d+Date(days) {
			break
		}
		switch {
		case needCyto && t.Test == "cytology" && t.Cytology != "":
			*cyto = t.Cytology
			return k + 1
		case needHPV && t.Test == "hpv":
			*hpv = t.HPV
			return k + 1
		}
	}
	return next
}

func cervicalEpisode(reg *Registry, alg *CervicalAlgorithm, ts []int, i int, colpo []int, end, birth Date) (CervicalEpisode, int) {
	var ep CervicalEpisode
	hpv, cyto, sample, lab, next := sampleAt(reg, ts, i)
	ep.Date = reg.CervicalTests[ts[i]].Date
	ep.Sample, ep.Laboratory = sample, lab
	ep.Primary = "cytology"
	rules := alg.PrimaryCytology
	young := birth != NoDate && float64(ep.Date-birth)/DaysPerYear < alg.HPVPrimaryFromAge
	if hpv != "" && (cyto == "" || !young) {
		ep.Primary, rules = "hpv", alg.PrimaryHPV
	}
	next = triage(reg, ts, next, ep.Date, alg.TriageDays, &hpv, &cyto)
	ep.HPV, ep.Cytology = hpv, cyto
	ep.TriageDone = ep.Primary == "hpv" && hpv != "negative" && cyto != "" && cyto != "unsatisfactory"
	rule := decide(rules, hpv, cyto)
	ep.Action = rule.Action
	if rule.Action == "repeat" {
		ep.Action = fmt.Sprintf("repeat-%dm", rule.Months)
	}
	last := ep.Date
	ep.Outcome = "negative"
	for step := 0; ; step++ {
		switch rule.Action {
		case "routine":
			if step > 0 {
				ep.Outcome = "negative-after-repeat"
			}
			ep.End = last
		case "colposcopy":
			ep.Referred, ep.DirectReferral, ep.ReferralDate = true, step == 0, last
			ep.End = last.AddMonths(alg.ColposcopyMonths)
			for _, k := range colpo {
				if d := reg.CervicalFollowups[k].Date; d >= last && d <= ep.End {
					ep.Colposcopy, ep.ColposcopyDate = true, d
					break
				}
			}
			switch {
			case ep.Colposcopy:
				ep.Outcome = "referred"
			case ep.End > end:
				ep.Outcome = "pending"
			default:
				ep.Outcome = "no-colposcopy"
			}
		case "repeat":
			due := last.AddMonths(rule.Months)
			lo, hi := due-Date(alg.RepeatWindow.Before), due+Date(alg.RepeatWindow.After)
			k := next
			for k < len(ts) && reg.CervicalTests[ts[k]].Date < lo {
				k++
			}
			if k < len(ts) && reg.CervicalTests[ts[k]].Date <= hi {
				if step == 0 {
					ep.RepeatDue, ep.RepeatDone, ep.RepeatDate = true, true, reg.CervicalTests[ts[k]].Date
				}
				var h, c string
				h, c, _, _, next = sampleAt(reg, ts, k)
				last = reg.CervicalTests[ts[k]].Date
				next = triage(reg, ts, next, last, alg.TriageDays, &h, &c)
				if step >= 8 {
					rule = CervicalRule{Action: "colposcopy"}
				} else {
					rule = decide(alg.Repeat, h, c)
				}
				continue
			}
			ep.End = hi
			if hi > end {
				ep.Outcome = "pending"
			} else {
				ep.Outcome = "repeat-missed"
				if step == 0 {
					ep.RepeatDue = true
				}
			}
		}
		break
	}
	// tests up to the end of a referral's window belong to the episode
	for next < len(ts) && reg.CervicalTests[ts[next]].Date <= ep.End && ep.Referred {
		next++
	}
	return ep, next
}

// cervicalOutcomes sets the worst histology, cancers and the time to CIN3+
// of one woman's episodes.
func cervicalOutcomes(eps []CervicalEpisode, all []Diagnosis, dx []int, fus []CervicalFollowup, colpo []int, alg *CervicalAlgorithm, p *Person, end Date) {
	exit := end
	if p != nil {
		if x := p.ExitDate(); x != NoDate && x < exit {
			exit = x
		}
	}
	for e := range eps {
		ep := &eps[e]
		for _, k := range colpo {
			if d := fus[k].Date; d >= ep.Date && d <= ep.End && histRank[fus[k].Histology] > histRank[ep.Histology] {
				ep.Histology = fus[k].Histology
			}
		}
		nextStart := NoDate
		if e+1 < len(eps) {
			nextStart = eps[e+1].Date
		}
		routine := alg.RoutineMonths.HPV
		if ep.Primary == "cytology" {
			routine = alg.RoutineMonths.Cytology
		}
		// the first CIN3+ after the primary sample, for the risk tables
		ep.CIN3Days, ep.CIN3Event = int(exit-ep.Date), false
		for _, k := range colpo {
			if d := fus[k].Date; d >= ep.Date && CIN3Plus(fus[k].Histology) {
				ep.CIN3Days, ep.CIN3Event = int(d-ep.Date), true
				break
			}
		}
		for _, k := range dx {
			d := &all[k]
			cervical := strings.HasPrefix(d.ICD10, "C53")
			if d.Date >= ep.Date && (cervical || strings.HasPrefix(d.ICD10, "D06")) && (!ep.CIN3Event || int(d.Date-ep.Date) < ep.CIN3Days) && d.Date <= exit {
				ep.CIN3Days, ep.CIN3Event = int(d.Date-ep.Date), true
			}
			if !cervical || d.Date < ep.Date {
				continue
			}
			switch {
			case d.Date <= ep.End && ep.Referred:
				ep.Cancer, ep.CancerDate = "screen-detected", d.Date
				ep.Histology = "cancer"
			case d.Date <= ep.End:
				// a cancer while a repeat test was awaited
				ep.Cancer, ep.CancerDate = "interval", d.Date
			case (ep.Outcome == "negative" || ep.Outcome == "negative-after-repeat") &&
				d.Date <= ep.End.AddMonths(routine) && (nextStart == NoDate || d.Date < nextStart):
				ep.Cancer, ep.CancerDate = "interval", d.Date
			}
		}
		if ep.CIN3Days < 0 {
			ep.CIN3Days = 0
		}
	}
}

// programmeEnd is the latest date in a registry's programme tables.
func programmeEnd(reg *Registry) Date {
	end := Date(0)
	for i := range reg.Invitations {
		end = max(end, reg.Invitations[i].Date)
	}
	for i := range reg.CervicalTests {
		end = max(end, reg.CervicalTests[i].Date)
	}
	for i := range reg.CervicalFollowups {
		end = max(end, reg.CervicalFollowups[i].Date)
	}
	for i := range reg.FITTests {
		end = max(end, reg.FITTests[i].Date)
	}
	for i := range reg.Colonoscopies {
		end = max(end, reg.Colonoscopies[i].Date)
	}
	for i := range reg.Diagnoses {
		end = max(end, reg.Diagnoses[i].Date)
	}
	return end
}
