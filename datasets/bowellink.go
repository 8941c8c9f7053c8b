package datasets

import (
	"math"
	"strings"
)

// BowelLinkOptions set how FIT episodes are linked.
type BowelLinkOptions struct {
	ProgrammeLinkOptions
	// Threshold is the f-Hb at or above which a FIT is positive (µg Hb/g;
	// default 15, the Norwegian programme's).
	Threshold float64
	// RetestDays is how long after an inadequate sample a new test still
	// belongs to the episode (default 90).
	RetestDays int
	// ColonoscopyMonths is the window after a positive test in which its
	// colonoscopy, and a colorectal cancer counted as screen-detected,
	// must fall (default 12).
	ColonoscopyMonths int
	// IntervalMonths is the screening interval: a colorectal cancer within
	// it after a negative test, and before the next test, is an interval
	// cancer (default 24).
	IntervalMonths int
}

func (o *BowelLinkOptions) defaults() {
	if o.Threshold == 0 {
		o.Threshold = 15
	}
	if o.RetestDays == 0 {
		o.RetestDays = 90
	}
	if o.ColonoscopyMonths == 0 {
		o.ColonoscopyMonths = 12
	}
	if o.IntervalMonths == 0 {
		o.IntervalMonths = 24
	}
}

// BowelEpisode is a FIT screening episode: the test (after any inadequate
// samples), the colonoscopy a positive test leads to, and the outcome.
type BowelEpisode struct {
	PersonID   string
	Date       Date // of the first sample
	Age        float64
	AgeYears   int // completed years
	Sex        string
	Region     string
	Round      int
	Invited    bool
	Inadequate bool    // the first sample was inadequate
	Result     bool    // the episode has an f-Hb
	FHb        float64 // µg Hb/g; NaN without a result
	ResultDate Date
	Positive   bool
	// The colonoscopy within ColonoscopyMonths of a positive test.
	Colonoscopy         bool
	ColonoscopyDate     Date
	WaitDays            int // test to colonoscopy; -1 without one
	Caecum              bool
	PreparationAdequate bool
	Finding             string // a ColonoscopyFindings code, "" without one
	Polyps              int
	End                 Date
	Outcome             string // see BowelOutcomes
	Cancer              string // screen-detected, interval or ""
	CancerDate          Date
	Stage               string
	// CRC2Years: a colorectal cancer within two years of the test (for
	// threshold sweeps: it is known whatever the test showed).
	CRC2Years bool
}

// BowelOutcomes are the episode outcomes: negative, positive with a
// colonoscopy, positive without one (within the window), inadequate (no
// result), and pending (a window open at the end of data).
var BowelOutcomes = []string{"negative", "colonoscopy", "no-colonoscopy", "no-result", "pending"}

// IsColorectal reports C18, C19 or C20.
func IsColorectal(icd string) bool {
	return strings.HasPrefix(icd, "C18") || strings.HasPrefix(icd, "C19") || strings.HasPrefix(icd, "C20")
}

// LinkBowel builds every person's FIT episodes and links them to
// colonoscopies and registry colorectal cancers (C18-C20). An inadequate
// sample and the test that replaces it (within RetestDays) are one
// episode. A positive test (f-Hb >= Threshold) is followed by the first
// colonoscopy within ColonoscopyMonths; a colorectal cancer in that window
// is screen-detected, and one after a negative test within
// IntervalMonths, before the next test, an interval cancer.
func LinkBowel(reg *Registry, opts BowelLinkOptions) ([]BowelEpisode, error) {
	opts.defaults()
	ix := indexProgramme(reg, opts.EndOfData)
	end, invs, diags := ix.end, ix.invs, ix.diags
	tests := groupBy(reg.FITTests, func(t *FITTest) string { return t.PersonID }, func(t *FITTest) Date { return t.Date })
	colos := groupBy(reg.Colonoscopies, func(t *Colonoscopy) string { return t.PersonID }, func(t *Colonoscopy) Date { return t.Date })
	var out []BowelEpisode
	for _, id := range sortedIDs(tests) {
		p := reg.Person(id)
		ts := tests[id]
		first := len(out)
		for i := 0; i < len(ts); {
			t := &reg.FITTests[ts[i]]
			ep := BowelEpisode{PersonID: id, Date: t.Date, Inadequate: t.Inadequate, FHb: math.NaN(), WaitDays: -1}
			next := i + 1
			for k := i; k < len(ts) && reg.FITTests[ts[k]].Date <= t.Date+Date(opts.RetestDays); k++ {
				next = k + 1
				if tk := &reg.FITTests[ts[k]]; !tk.Inadequate {
					ep.Result, ep.FHb, ep.ResultDate = true, tk.FHb, tk.Date
					break
				}
			}
			if p != nil {
				ep.Age = float64(ep.Date-p.BirthDate) / DaysPerYear
				ep.AgeYears = CompletedYears(p.BirthDate, ep.Date)
				ep.Sex, ep.Region = string(p.Sex), p.Region
			} else {
				ep.Age = math.NaN()
			}
			ep.Round, ep.Invited = invitationBefore(reg.Invitations, invs[id], ep.Date)
			switch {
			case !ep.Result:
				ep.Outcome, ep.End = "no-result", ts2(reg, ts, next-1)
			case ep.FHb >= opts.Threshold:
				ep.Positive = true
				ep.End = ep.ResultDate.AddMonths(opts.ColonoscopyMonths)
				for _, k := range colos[id] {
					c := &reg.Colonoscopies[k]
					if c.Date >= ep.ResultDate && c.Date <= ep.End {
						ep.Colonoscopy, ep.ColonoscopyDate, ep.WaitDays = true, c.Date, int(c.Date-ep.ResultDate)
						ep.Caecum, ep.PreparationAdequate, ep.Finding, ep.Polyps = c.Caecum, c.PreparationAdequate, c.Finding, c.PolypsRemoved
						break
					}
				}
				switch {
				case ep.Colonoscopy:
					ep.Outcome = "colonoscopy"
				case ep.End > end:
					ep.Outcome = "pending"
				default:
					ep.Outcome = "no-colonoscopy"
				}
				for next < len(ts) && reg.FITTests[ts[next]].Date <= ep.End {
					next++
				}
			default:
				ep.Outcome, ep.End = "negative", ep.ResultDate
			}
			out = append(out, ep)
			i = next
		}
		eps := out[first:]
		for e := range eps {
			ep := &eps[e]
			nextStart := NoDate
			if e+1 < len(eps) {
				nextStart = eps[e+1].Date
			}
			for _, k := range diags[id] {
				d := &reg.Diagnoses[k]
				if !IsColorectal(d.ICD10) || d.Date < ep.Date {
					continue
				}
				if d.Date <= ep.Date.AddMonths(24) {
					ep.CRC2Years = true
				}
				if ep.Cancer != "" {
					continue
				}
				switch {
				case ep.Positive && d.Date <= ep.End:
					ep.Cancer = "screen-detected"
				case ep.Outcome == "negative" && d.Date <= ep.End.AddMonths(opts.IntervalMonths) && (nextStart == NoDate || d.Date < nextStart):
					ep.Cancer = "interval"
				default:
					continue
				}
				ep.CancerDate, ep.Stage = d.Date, d.Stage
			}
		}
	}
	return out, nil
}

func ts2(reg *Registry, ts []int, k int) Date { return reg.FITTests[ts[k]].Date }
