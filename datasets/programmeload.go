package datasets

import (
	"fmt"
	"io"
)

// readProgramme reads the cervical or bowel programme's invitations, tests
// and follow-ups, checking each row against the persons table (a known
// person; not before birth nor after death) and each follow-up against the
// person's tests: a colposcopy or colonoscopy must follow a test of the
// same person.
func (reg *Registry) readProgramme(files RegistryFiles, ro func(string) ReadOptions) error {
	if files.Invitations == "" && files.Tests == "" && files.Followups == "" {
		return nil
	}
	switch files.Programme {
	case "cervical", "bowel":
	default:
		return fmt.Errorf("programme %q: want cervical or bowel (the invitations, tests and follow-ups tables differ)", files.Programme)
	}
	personsName := reg.tableFile("persons")
	person := func(id string, d Date, what string) (string, int, error) {
		if reg.personIndex == nil {
			return "", 0, nil
		}
		return reg.checkEvent(id, d, personsName, what, false)
	}
	if files.Invitations != "" {
		err := readChecked(reg, files.Invitations, InvitationSchema, ro("invitations"), &reg.Invitations,
			func(r *Invitation) (string, int, error) { return person(r.PersonID, r.Date, "an invitation") })
		if err != nil {
			return err
		}
	}
	// the first test of each person, for the follow-ups' check
	first := map[string]Date{}
	firstTest := func(id string, d Date) {
		if f, ok := first[id]; !ok || d < f {
			first[id] = d
		}
	}
	testsName := ""
	if files.Tests != "" {
		var err error
		if files.Programme == "cervical" {
			err = readChecked(reg, files.Tests, CervicalTestSchema, ro("tests"), &reg.CervicalTests,
				func(r *CervicalTest) (string, int, error) {
					msg, col, e := person(r.PersonID, r.Date, "a test")
					if msg == "" {
						firstTest(r.PersonID, r.Date)
					}
					return msg, col, e
				})
		} else {
			err = readChecked(reg, files.Tests, FITTestSchema, ro("tests"), &reg.FITTests,
				func(r *FITTest) (string, int, error) {
					msg, col, e := person(r.PersonID, r.Date, "a test")
					if msg == "" {
						firstTest(r.PersonID, r.Date)
					}
					return msg, col, e
				})
		}
		if err != nil {
			return err
		}
		testsName = reg.tableFile("tests")
	}
	if files.Followups == "" {
		return nil
	}
	afterTest := func(id string, d Date, what string) (string, int, error) {
		if msg, col, err := person(id, d, what); msg != "" {
			return msg, col, err
		}
		if testsName == "" {
			return "", 0, nil
		}
		f, ok := first[id]
		switch {
		case !ok:
			return fmt.Sprintf("%s of a person with a test in %s (she or he has none)", what, testsName), -1, ErrDateOrder
		case d < f:
			return fmt.Sprintf("%s date on or after the person's first test (%s in %s)", what, f, testsName), -1, ErrDateOrder
		}
		return "", 0, nil
	}
	if files.Programme == "cervical" {
		return readChecked(reg, files.Followups, CervicalFollowupSchema, ro("followups"), &reg.CervicalFollowups,
			func(r *CervicalFollowup) (string, int, error) { return afterTest(r.PersonID, r.Date, "a colposcopy") })
	}
	return readChecked(reg, files.Followups, ColonoscopySchema, ro("followups"), &reg.Colonoscopies,
		func(r *Colonoscopy) (string, int, error) { return afterTest(r.PersonID, r.Date, "a colonoscopy") })
}

// tableFile is the file a table was read from ("" when not read).
func (reg *Registry) tableFile(table string) string {
	for _, s := range reg.Stats {
		if s.Table == table {
			return s.File
		}
	}
	return ""
}

// readChecked reads a programme table whose columns 0 and 1 are the
// person and the date, rejecting rows that check finds wrong (col 0: the
// person column; -1: the date column).
func readChecked[T any](reg *Registry, path string, schema *Schema[T], opts ReadOptions, keep *[]T, check func(*T) (string, int, error)) error {
	r, err := OpenTable(path, schema, opts)
	if err != nil {
		return err
	}
	for {
		var row T
		_, err := r.Next(&row)
		if err == io.EOF {
			break
		}
		if err != nil {
			return finish(reg, r, err)
		}
		if msg, col, sentinel := check(&row); msg != "" {
			if col < 0 {
				col = 1
			}
			if err := r.RejectCurrent(col, sentinel, msg); err != nil {
				return finish(reg, r, err)
			}
			continue
		}
		if !reg.checkOnly {
			*keep = append(*keep, row)
		}
	}
	return finish(reg, r, nil)
}
