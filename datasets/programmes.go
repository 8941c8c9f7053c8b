package datasets

import (
	"math"
	"slices"
	"strings"
)

// The tables of the cervical (HPV) and bowel (FIT) screening programmes:
// invitations, primary tests and diagnostic follow-up. Codes are checked
// as the breast tables' are: a value outside its code list is an error
// naming file, line and column (or a reject with --lenient).

// Invitation is a row of the invitations table: a person invited to a
// round, and whether the invitation was a reminder.
type Invitation struct {
	PersonID string
	Date     Date
	Round    int // 1 = first round; 0 when unknown
	Reminder bool
}

// InvitationSchema reads invitations: person_id, invitation_date, round,
// reminder.
var InvitationSchema = &Schema[Invitation]{
	Table: "invitations",
	Columns: []Column{
		{Name: "person_id", Required: true, Want: "an id"},
		{Name: "invitation_date", Required: true, Want: "YYYY-MM-DD"},
		{Name: "round", Want: "an integer >= 1"},
		{Name: "reminder", Want: "0 or 1"},
	},
	Parse: func(f *Fields, r *Invitation) {
		r.PersonID = f.String(0, true)
		r.Date = f.Date(1, true)
		r.Round = f.Int(2, false, 1, 1000, 0)
		r.Reminder, _ = f.Flag(3, false)
	},
}

// HPV genotype groups of a test result, as the Norwegian programme reports
// them: 16, 18, the other high-risk types of the nonavalent vaccine
// (31/33/45/52/58), the remaining high-risk types (35/39/51/56/59/66/68),
// and negative.
var HPVGroups = []string{"16", "18", "hr-31-33-45-52-58", "hr-35-39-51-56-59-66-68", "negative"}

// Bethesda (2014) cytology categories: negative for intraepithelial lesion
// (NILM), the squamous (ASC-US, LSIL, ASC-H, HSIL, SCC) and glandular (AGC,
// AIS, adenocarcinoma) abnormalities, and an unsatisfactory sample.
var BethesdaCodes = []string{"NILM", "ASC-US", "LSIL", "ASC-H", "HSIL", "SCC", "AGC", "AIS", "ADC", "unsatisfactory"}

// CervicalHistology is the worst histology of a colposcopy's biopsies.
var CervicalHistology = []string{"normal", "CIN1", "CIN2", "CIN3", "AIS", "cancer"}

// CervicalTest is a row of the cervical programme's tests table: an HPV
// test (with its genotype group) or a cytology (with its Bethesda
// category), on a self-taken or clinician-taken sample.
type CervicalTest struct {
	PersonID   string
	Date       Date
	Test       string // "hpv" or "cytology"
	HPV        string // an HPVGroups code; "" for cytology
	Cytology   string // a BethesdaCodes code; "" when none was read
	Sample     string // "self" or "clinician"; "" when unknown
	Laboratory string
}

// CervicalTestSchema reads the cervical tests table: person_id, test_date,
// test, hpv, cytology, sample, laboratory. An HPV test needs its result.
var CervicalTestSchema = &Schema[CervicalTest]{
	Table: "tests",
	Columns: []Column{
		{Name: "person_id", Required: true, Want: "an id"},
		{Name: "test_date", Required: true, Want: "YYYY-MM-DD"},
		{Name: "test", Required: true, Want: "hpv or cytology"},
		{Name: "hpv", Want: "an HPV genotype group: " + strings.Join(HPVGroups, ", ")},
		{Name: "cytology", Want: "a Bethesda category: " + strings.Join(BethesdaCodes, ", ")},
		{Name: "sample", Want: "self or clinician"},
		{Name: "laboratory", Want: "text"},
	},
	Parse: func(f *Fields, r *CervicalTest) {
		r.PersonID = f.String(0, true)
		r.Date = f.Date(1, true)
		r.Test = code(f, 2, true, []string{"hpv", "cytology"})
		r.HPV = code(f, 3, r.Test == "hpv", HPVGroups)
		r.Cytology = code(f, 4, false, BethesdaCodes)
		r.Sample = code(f, 5, false, []string{"self", "clinician"})
		r.Laboratory = f.String(6, false)
		if r.Test == "cytology" && r.HPV != "" {
			f.Fail(3, ErrBadCode, "no HPV result on a cytology row (an HPV test is a row of its own)")
		}
	},
}

// CervicalFollowup is a colposcopy and the worst histology of its
// biopsies ("" when none was taken).
type CervicalFollowup struct {
	PersonID  string
	Date      Date
	Histology string
}

// CervicalFollowupSchema reads the cervical follow-ups table: person_id,
// colposcopy_date, histology.
var CervicalFollowupSchema = &Schema[CervicalFollowup]{
	Table: "followups",
	Columns: []Column{
		{Name: "person_id", Required: true, Want: "an id"},
		{Name: "colposcopy_date", Required: true, Want: "YYYY-MM-DD"},
		{Name: "histology", Want: "the worst histology: " + strings.Join(CervicalHistology, ", ") + ", or empty (no biopsy)"},
	},
	Parse: func(f *Fields, r *CervicalFollowup) {
		r.PersonID = f.String(0, true)
		r.Date = f.Date(1, true)
		r.Histology = code(f, 2, false, CervicalHistology)
	},
}

// FITTest is a faecal immunochemical test: its faecal haemoglobin in µg
// Hb/g faeces, or an inadequate sample (no result).
type FITTest struct {
	PersonID   string
	Date       Date
	FHb        float64 // µg Hb/g faeces; NaN when inadequate
	Inadequate bool
}

// FITTestSchema reads the bowel tests table: person_id, test_date, fhb,
// inadequate. A test needs an f-Hb >= 0 unless its sample was inadequate.
var FITTestSchema = &Schema[FITTest]{
	Table: "tests",
	Columns: []Column{
		{Name: "person_id", Required: true, Want: "an id"},
		{Name: "test_date", Required: true, Want: "YYYY-MM-DD"},
		{Name: "fhb", Want: "faecal haemoglobin in µg Hb/g, a number >= 0"},
		{Name: "inadequate", Want: "0 or 1"},
	},
	Parse: func(f *Fields, r *FITTest) {
		r.PersonID = f.String(0, true)
		r.Date = f.Date(1, true)
		r.Inadequate, _ = f.Flag(3, false)
		r.FHb = f.Float(2, !r.Inadequate, 0, math.Inf(1))
	},
}

// ColonoscopyFindings are a colonoscopy's worst finding, in order.
var ColonoscopyFindings = []string{"none", "non-advanced-adenoma", "advanced-adenoma", "cancer"}

// Colonoscopy is a row of the bowel programme's follow-ups table.
type Colonoscopy struct {
	PersonID            string
	Date                Date
	Caecum              bool // completed to the caecum
	PreparationAdequate bool
	Finding             string // a ColonoscopyFindings code
	PolypsRemoved       int
}

// ColonoscopySchema reads the bowel follow-ups table: person_id,
// colonoscopy_date, caecum, preparation_adequate, finding, polyps_removed.
var ColonoscopySchema = &Schema[Colonoscopy]{
	Table: "followups",
	Columns: []Column{
		{Name: "person_id", Required: true, Want: "an id"},
		{Name: "colonoscopy_date", Required: true, Want: "YYYY-MM-DD"},
		{Name: "caecum", Want: "0 or 1"},
		{Name: "preparation_adequate", Want: "0 or 1"},
		{Name: "finding", Required: true, Want: "the worst finding: " + strings.Join(ColonoscopyFindings, ", ")},
		{Name: "polyps_removed", Want: "an integer >= 0"},
	},
	Parse: func(f *Fields, r *Colonoscopy) {
		r.PersonID = f.String(0, true)
		r.Date = f.Date(1, true)
		r.Caecum, _ = f.Flag(2, false)
		r.PreparationAdequate, _ = f.Flag(3, false)
		r.Finding = code(f, 4, true, ColonoscopyFindings)
		r.PolypsRemoved = f.Int(5, false, 0, 1000, 0)
	},
}

// code reads a field that must be one of codes (exactly; "" when empty and
// not required).
func code(f *Fields, col int, required bool, codes []string) string {
	s := f.String(col, required)
	if s == "" || f.Err() != nil {
		return ""
	}
	if !slices.Contains(codes, s) {
		f.Fail(col, ErrBadCode, "one of "+strings.Join(codes, ", "))
		return ""
	}
	return s
}

// Column lists of the programme tables as screenlab writes them, in the
// order their schemas read them.
var (
	InvitationColumns = []ColumnSpec{{"person_id", KindString}, {"invitation_date", KindDate},
		{"round", KindInt}, {"reminder", KindBool}}
	CervicalTestColumns = []ColumnSpec{{"person_id", KindString}, {"test_date", KindDate},
		{"test", KindString}, {"hpv", KindString}, {"cytology", KindString}, {"sample", KindString},
		{"laboratory", KindString}}
	CervicalFollowupColumns = []ColumnSpec{{"person_id", KindString}, {"colposcopy_date", KindDate},
		{"histology", KindString}}
	FITTestColumns = []ColumnSpec{{"person_id", KindString}, {"test_date", KindDate},
		{"fhb", KindFloat}, {"inadequate", KindBool}}
	ColonoscopyColumns = []ColumnSpec{{"person_id", KindString}, {"colonoscopy_date", KindDate},
		{"caecum", KindBool}, {"preparation_adequate", KindBool}, {"finding", KindString},
		{"polyps_removed", KindInt}}
)

// WriteInvitation writes an invitation in the order of InvitationColumns.
func (w *TableWriter) WriteInvitation(r *Invitation) error {
	w.String(r.PersonID)
	w.Date(r.Date)
	if r.Round > 0 {
		w.Int(r.Round)
	} else {
		w.Null()
	}
	w.Bool(r.Reminder)
	return w.EndRow()
}

// WriteCervicalTest writes a test in the order of CervicalTestColumns.
func (w *TableWriter) WriteCervicalTest(r *CervicalTest) error {
	w.String(r.PersonID)
	w.Date(r.Date)
	w.String(r.Test)
	w.String(r.HPV)
	w.String(r.Cytology)
	w.String(r.Sample)
	w.String(r.Laboratory)
	return w.EndRow()
}

// WriteCervicalFollowup writes a colposcopy in the order of
// CervicalFollowupColumns.
func (w *TableWriter) WriteCervicalFollowup(r *CervicalFollowup) error {
	w.String(r.PersonID)
	w.Date(r.Date)
	w.String(r.Histology)
	return w.EndRow()
}

// WriteFITTest writes a FIT in the order of FITTestColumns (f-Hb in its
// shortest form; empty when the sample was inadequate).
func (w *TableWriter) WriteFITTest(r *FITTest) error {
	w.String(r.PersonID)
	w.Date(r.Date)
	if r.Inadequate || math.IsNaN(r.FHb) {
		w.Null()
	} else {
		w.Float(r.FHb, -1)
	}
	w.Bool(r.Inadequate)
	return w.EndRow()
}

// WriteColonoscopy writes a colonoscopy in the order of ColonoscopyColumns.
func (w *TableWriter) WriteColonoscopy(r *Colonoscopy) error {
	w.String(r.PersonID)
	w.Date(r.Date)
	w.Bool(r.Caecum)
	w.Bool(r.PreparationAdequate)
	w.String(r.Finding)
	w.Int(r.PolypsRemoved)
	return w.EndRow()
}
