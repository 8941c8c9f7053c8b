package export

import "strconv"

// SmallCount is the smallest count printed as it is: counts of reserved
// persons from 1 to SmallCount−1 are printed as "<5".
const SmallCount = 5

// Summary is what the export command prints: the manifest's figures, with
// small counts of reserved persons and deletion requests shown as "<5"
// (a reservation is a person's choice; a count of one can point at them).
// manifest.json keeps the exact counts for the registry's records.
type Summary struct {
	Project          string         `json:"project"`
	AsOf             string         `json:"as_of"`
	K                int            `json:"k"`
	Persons          int            `json:"persons"`
	WithheldPersons  int            `json:"withheld_persons"`
	ReservedPersons  string         `json:"reserved_persons"`
	DeletionRequests string         `json:"deletion_requests"`
	Tables           []SummaryTable `json:"tables"`
	ClassesAfter     []ClassCount   `json:"classes_after"`
	Suppressed       []Suppressed   `json:"suppressed"`
}

// SummaryTable is one table's rows.
type SummaryTable struct {
	Table      string `json:"table"`
	Exported   int    `json:"exported"`
	Reserved   string `json:"reserved"`
	Excluded   int    `json:"excluded"`
	Suppressed int    `json:"suppressed"`
}

// MainTable is the table CSV output writes.
func (*Summary) MainTable() string { return "tables" }

func small(n int) string {
	if n > 0 && n < SmallCount {
		return "<" + strconv.Itoa(SmallCount)
	}
	return strconv.Itoa(n)
}

// Summarise is the printable summary of a manifest.
func Summarise(m *Manifest) *Summary {
	s := &Summary{Project: m.Project, AsOf: m.AsOf, K: m.K, Persons: m.Persons, WithheldPersons: m.WithheldPersons, ReservedPersons: small(m.ReservedPersons),
		DeletionRequests: small(m.DeletionRequests), ClassesAfter: m.ClassesAfter, Suppressed: m.Suppressed}
	for _, t := range m.Tables {
		s.Tables = append(s.Tables, SummaryTable{Table: t.Table, Exported: t.Exported, Reserved: small(t.Reserved), Excluded: t.Excluded, Suppressed: t.Suppressed})
	}
	return s
}
