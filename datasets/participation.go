package datasets

import "slices"

// InvitationOutcome is an invitation (not a reminder) and whether the
// person took a test after it.
type InvitationOutcome struct {
	Invitation
	Age      float64
	AgeYears int // completed years
	Sex      string
	Region   string
	Reminded bool // a reminder followed before the test (or the window's end)
	// Participated: a test within the window after the invitation and
	// before the next one; Complete: the window had closed by the end of
	// data (or the person took the test), so the invitation counts.
	Participated bool
	Complete     bool
	TestDate     Date
}

// LinkInvitations labels every invitation of the registry's programme
// with whether a test followed within months (default 12) and before the
// next invitation. Reminders are not invitations of their own: they mark
// the invitation they follow as reminded.
func LinkInvitations(reg *Registry, months int, endOfData Date) []InvitationOutcome {
	if months <= 0 {
		months = 12
	}
	if endOfData == NoDate || endOfData == 0 {
		endOfData = programmeEnd(reg)
	}
	tests := map[string][]Date{}
	for i := range reg.CervicalTests {
		tests[reg.CervicalTests[i].PersonID] = append(tests[reg.CervicalTests[i].PersonID], reg.CervicalTests[i].Date)
	}
	for i := range reg.FITTests {
		tests[reg.FITTests[i].PersonID] = append(tests[reg.FITTests[i].PersonID], reg.FITTests[i].Date)
	}
	for _, d := range tests {
		slices.Sort(d)
	}
	invs := groupBy(reg.Invitations, func(t *Invitation) string { return t.PersonID }, func(t *Invitation) Date { return t.Date })
	var out []InvitationOutcome
	for _, id := range sortedIDs(invs) {
		p := reg.Person(id)
		ix := invs[id]
		for n, k := range ix {
			iv := reg.Invitations[k]
			if iv.Reminder {
				continue
			}
			o := InvitationOutcome{Invitation: iv, Age: -1, TestDate: NoDate}
			if p != nil {
				o.Age = float64(iv.Date-p.BirthDate) / DaysPerYear
				o.AgeYears = CompletedYears(p.BirthDate, iv.Date)
				o.Sex, o.Region = string(p.Sex), p.Region
			}
			end := iv.Date.AddMonths(months)
			for _, k2 := range ix[n+1:] {
				if next := reg.Invitations[k2]; !next.Reminder {
					end = min(end, next.Date-1)
					break
				}
			}
			for _, d := range tests[id] {
				if d >= iv.Date && d <= end {
					o.Participated, o.TestDate = true, d
					break
				}
			}
			last := end
			if o.Participated {
				last = o.TestDate
			}
			for _, k2 := range ix[n+1:] {
				if r := reg.Invitations[k2]; r.Reminder && r.Date <= last {
					o.Reminded = true
				}
			}
			o.Complete = o.Participated || end <= endOfData
			out = append(out, o)
		}
	}
	return out
}

// InvitationOutcomeColumns are the columns of a linked invitations table.
var InvitationOutcomeColumns = []ColumnSpec{{"person_id", KindString}, {"invitation_date", KindDate},
	{"round", KindInt}, {"age", KindFloat}, {"age_group", KindString}, {"sex", KindString},
	{"region", KindString}, {"reminded", KindBool}, {"complete", KindBool}, {"participated", KindBool},
	{"test_date", KindDate}}

// WriteInvitationOutcomes writes rows in the order of
// InvitationOutcomeColumns.
func WriteInvitationOutcomes(w *TableWriter, rows []InvitationOutcome) error {
	for i := range rows {
		o := &rows[i]
		w.String(o.PersonID)
		w.Date(o.Date)
		intOrNull(w, o.Round)
		if o.Age >= 0 {
			w.Float(o.Age, 2)
			w.String(AgeGroup(float64(o.AgeYears)))
		} else {
			w.Null()
			w.Null()
		}
		w.String(o.Sex)
		w.String(o.Region)
		w.Bool(o.Reminded)
		w.Bool(o.Complete)
		w.Bool(o.Participated)
		w.Date(o.TestDate)
		if err := w.EndRow(); err != nil {
			return err
		}
	}
	return nil
}
