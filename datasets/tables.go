package datasets

import (
	"math"
	"strings"
)

// Person is a row of the persons table.
type Person struct {
	ID             string
	BirthDate      Date
	Sex            byte // 'F' or 'M'
	DeathDate      Date // NoDate when alive at the end of data
	EmigrationDate Date // NoDate when not emigrated
	Region         string
}

// ExitDate is the first of death and emigration (NoDate when neither).
func (p *Person) ExitDate() Date {
	switch {
	case p.DeathDate == NoDate:
		return p.EmigrationDate
	case p.EmigrationDate == NoDate || p.DeathDate <= p.EmigrationDate:
		return p.DeathDate
	}
	return p.EmigrationDate
}

// Columns of the persons table, by position in PersonSchema.
const (
	PersonID = iota
	PersonBirthDate
	PersonSex
	PersonDeathDate
	PersonEmigrationDate
	PersonRegion
)

// PersonSchema reads persons: person_id, birth_date, sex, death_date,
// emigration_date, region.
var PersonSchema = &Schema[Person]{
	Table: "persons",
	Columns: []Column{
		{Name: "person_id", Required: true, Want: "an id"},
		{Name: "birth_date", Required: true, Want: "YYYY-MM-DD"},
		{Name: "sex", Required: true, Want: "F or M"},
		{Name: "death_date", Want: "YYYY-MM-DD or empty"},
		{Name: "emigration_date", Want: "YYYY-MM-DD or empty"},
		{Name: "region", Want: "text"},
	},
	Parse: func(f *Fields, p *Person) {
		p.ID = f.String(PersonID, true)
		p.BirthDate = f.Date(PersonBirthDate, true)
		p.Sex = parseSex(f, PersonSex)
		p.DeathDate = f.Date(PersonDeathDate, false)
		p.EmigrationDate = f.Date(PersonEmigrationDate, false)
		p.Region = f.String(PersonRegion, false)
		if f.Err() != nil {
			return
		}
		if p.BirthDate < DateOf(1850, 1, 1) {
			f.Fail(PersonBirthDate, ErrOutOfRange, "a birth date from 1850")
		}
		if p.DeathDate != NoDate && p.DeathDate < p.BirthDate {
			f.Fail(PersonDeathDate, ErrDateOrder, "a death date on or after the birth date "+p.BirthDate.String())
		}
		if p.EmigrationDate != NoDate && p.EmigrationDate < p.BirthDate {
			f.Fail(PersonEmigrationDate, ErrDateOrder, "an emigration date on or after the birth date "+p.BirthDate.String())
		}
	},
}

// SexCode maps F/M, female/male, K (kvinne), W and the ISO 5218 codes 1
// (male) and 2 (female) to 'F' or 'M'.
func SexCode(s string) (byte, bool) {
	switch strings.ToUpper(s) {
	case "F", "FEMALE", "K", "2", "W":
		return 'F', true
	case "M", "MALE", "1":
		return 'M', true
	}
	return 0, false
}

func parseSex(f *Fields, col int) byte {
	s := f.String(col, true)
	if f.Err() != nil {
		return 0
	}
	if c, ok := SexCode(s); ok {
		return c
	}
	f.Fail(col, ErrBadCode, "F or M (or ISO 5218 1 = male, 2 = female)")
	return 0
}

// Exam is a row of the exams table: one screening examination.
type Exam struct {
	ID            string
	PersonID      string
	Date          Date
	ScreeningUnit string
	Round         int    // 1 = first (prevalent) screen; 0 when unknown
	Density       string // BI-RADS a..d; "" when unknown
	Reader1Recall bool
	Reader2Recall bool
	// Consensus is -1 when no consensus meeting was held, else its decision
	// (0 = no recall, 1 = recall).
	Consensus int8
	Recall    bool    // the final decision
	AIScore   float64 // NaN when missing
	Extra     []string
}

// ConsensusHeld reports whether the exam went to a consensus meeting.
func (e *Exam) ConsensusHeld() bool { return e.Consensus >= 0 }

// Columns of the exams table, by position in ExamSchema.
const (
	ExamID = iota
	ExamPersonID
	ExamDate
	ExamScreeningUnit
	ExamRound
	ExamDensity
	ExamReader1Recall
	ExamReader2Recall
	ExamConsensus
	ExamRecall
	ExamAIScore
)

// ExamSchema reads exams: exam_id, person_id, exam_date, screening_unit,
// round, density, reader1_recall, reader2_recall, consensus, recall,
// ai_score. Density is BI-RADS a..d (1..4 are accepted and mapped to a..d).
// Columns the schema does not name are kept in Exam.Extra.
var ExamSchema = &Schema[Exam]{
	Table: "exams",
	Columns: []Column{
		{Name: "exam_id", Required: true, Want: "an id"},
		{Name: "person_id", Required: true, Want: "an id"},
		{Name: "exam_date", Required: true, Want: "YYYY-MM-DD"},
		{Name: "screening_unit", Want: "text"},
		{Name: "round", Want: "an integer >= 1"},
		{Name: "density", Want: "BI-RADS a, b, c or d"},
		{Name: "reader1_recall", Want: "0 or 1"},
		{Name: "reader2_recall", Want: "0 or 1"},
		{Name: "consensus", Want: "0, 1 or empty"},
		{Name: "recall", Required: true, Want: "0 or 1"},
		{Name: "ai_score", Want: "a number"},
	},
	Parse: func(f *Fields, e *Exam) {
		e.ID = f.String(ExamID, true)
		e.PersonID = f.String(ExamPersonID, true)
		e.Date = f.Date(ExamDate, true)
		e.ScreeningUnit = f.String(ExamScreeningUnit, false)
		e.Round = f.Int(ExamRound, false, 1, 1000, 0)
		e.Density = parseDensity(f, ExamDensity)
		e.Reader1Recall, _ = f.Flag(ExamReader1Recall, false)
		e.Reader2Recall, _ = f.Flag(ExamReader2Recall, false)
		c, held := f.Flag(ExamConsensus, false)
		switch {
		case !held:
			e.Consensus = -1
		case c:
			e.Consensus = 1
		default:
			e.Consensus = 0
		}
		e.Recall, _ = f.Flag(ExamRecall, true)
		e.AIScore = f.Float(ExamAIScore, false, math.Inf(-1), math.Inf(1))
	},
	Extra: func(e *Exam, v []string) { e.Extra = v },
}

func parseDensity(f *Fields, col int) string {
	switch s := f.Raw(col); s {
	case "", "a", "b", "c", "d":
		return s
	case "A", "B", "C", "D":
		return strings.ToLower(s)
	case "1", "2", "3", "4":
		return string('a' + s[0] - '1')
	}
	f.Fail(col, ErrBadCode, "BI-RADS density a, b, c or d (or 1..4)")
	return ""
}

// Image is a row of the images table.
type Image struct {
	ExamID     string
	Laterality byte   // 'L' or 'R'
	View       string // CC or MLO
	Path       string
}

// Columns of the images table.
const (
	ImageExamID = iota
	ImageLaterality
	ImageView
	ImagePath
)

// ImageSchema reads images: exam_id, laterality (L|R), view (CC|MLO), path.
var ImageSchema = &Schema[Image]{
	Table: "images",
	Columns: []Column{
		{Name: "exam_id", Required: true, Want: "an id"},
		{Name: "laterality", Required: true, Want: "L or R"},
		{Name: "view", Required: true, Want: "CC or MLO"},
		{Name: "path", Required: true, Want: "a file path"},
	},
	Parse: func(f *Fields, im *Image) {
		im.ExamID = f.String(ImageExamID, true)
		switch s := strings.ToUpper(f.String(ImageLaterality, true)); s {
		case "L", "R":
			im.Laterality = s[0]
		default:
			f.Fail(ImageLaterality, ErrBadCode, "L or R")
		}
		switch s := strings.ToUpper(f.String(ImageView, true)); s {
		case "CC", "MLO":
			im.View = s
		default:
			f.Fail(ImageView, ErrBadCode, "CC or MLO")
		}
		im.Path = f.String(ImagePath, true)
	},
}

// Diagnosis is a row of the diagnoses table: one tumour.
type Diagnosis struct {
	PersonID  string
	Date      Date
	ICD10     string // e.g. C50.4, C509 or D05
	Behaviour int    // ICD-O-3 behaviour: 0 benign, 1 uncertain, 2 in situ, 3 invasive, 6 metastatic, 9 unknown
	Stage     string
	Hospital  string
}

// IsBreast reports whether the tumour is a breast cancer: C50 (invasive, or
// in situ when behaviour is 2) or D05 (carcinoma in situ of the breast).
func (d *Diagnosis) IsBreast() bool {
	return strings.HasPrefix(d.ICD10, "C50") || strings.HasPrefix(d.ICD10, "D05")
}

// InSitu reports whether the tumour is in situ (D05, or behaviour 2).
func (d *Diagnosis) InSitu() bool { return strings.HasPrefix(d.ICD10, "D05") || d.Behaviour == 2 }

// Columns of the diagnoses table.
const (
	DiagnosisPersonID = iota
	DiagnosisDate
	DiagnosisICD10
	DiagnosisBehaviour
	DiagnosisStage
	DiagnosisHospital
)

// DiagnosisSchema reads diagnoses: person_id, diagnosis_date, icd10,
// behaviour, stage, hospital.
var DiagnosisSchema = &Schema[Diagnosis]{
	Table: "diagnoses",
	Columns: []Column{
		{Name: "person_id", Required: true, Want: "an id"},
		{Name: "diagnosis_date", Required: true, Want: "YYYY-MM-DD"},
		{Name: "icd10", Required: true, Want: "an ICD-10 code such as C50.9"},
		{Name: "behaviour", Want: "an ICD-O behaviour code 0, 1, 2, 3, 6 or 9"},
		{Name: "stage", Want: "text"},
		{Name: "hospital", Want: "text"},
	},
	Parse: func(f *Fields, d *Diagnosis) {
		d.PersonID = f.String(DiagnosisPersonID, true)
		d.Date = f.Date(DiagnosisDate, true)
		d.ICD10 = f.String(DiagnosisICD10, true)
		if f.Err() == nil {
			up := strings.ToUpper(d.ICD10)
			if !ValidICD10(up) {
				f.Fail(DiagnosisICD10, ErrBadCode, "an ICD-10 code: a letter, two digits, optionally a dot and one or two digits (C50, C50.9, C509)")
			}
			d.ICD10 = up
		}
		d.Behaviour = f.Int(DiagnosisBehaviour, false, 0, 9, 3)
		if f.Err() == nil {
			switch d.Behaviour {
			case 0, 1, 2, 3, 6, 9:
			default:
				f.Fail(DiagnosisBehaviour, ErrBadCode, "an ICD-O behaviour code 0, 1, 2, 3, 6 or 9")
			}
			if strings.HasPrefix(d.ICD10, "D05") && f.Raw(DiagnosisBehaviour) != "" && d.Behaviour != 2 {
				f.Fail(DiagnosisBehaviour, ErrBadCode, "behaviour 2 (in situ) for D05")
			}
		}
		d.Stage = f.String(DiagnosisStage, false)
		d.Hospital = f.String(DiagnosisHospital, false)
	},
}

// ValidICD10 reports whether s looks like an ICD-10 code: an upper-case
// letter, two digits, then optionally a dot and one or two digits or
// letters (C50, C50.9, C509, D05.1).
func ValidICD10(s string) bool {
	if len(s) < 3 || s[0] < 'A' || s[0] > 'Z' || !isDigit(s[1]) || !isDigit(s[2]) {
		return false
	}
	rest := s[3:]
	if strings.HasPrefix(rest, ".") {
		rest = rest[1:]
		if rest == "" {
			return false
		}
	}
	if len(rest) > 2 {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if !isDigit(rest[i]) && (rest[i] < 'A' || rest[i] > 'Z') {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// LifeTableRow is a row of the population life table: the mortality hazard
// per person-year of a sex at an age (completed years) in a calendar year.
type LifeTableRow struct {
	Sex  byte
	Year int
	Age  int
	Haz  float64
}

// Columns of the life table.
const (
	LifeSex = iota
	LifeYear
	LifeAge
	LifeHaz
)

// LifeTableSchema reads life tables: sex, year, age, haz.
var LifeTableSchema = &Schema[LifeTableRow]{
	Table: "lifetable",
	Columns: []Column{
		{Name: "sex", Required: true, Want: "F or M"},
		{Name: "year", Required: true, Want: "a calendar year"},
		{Name: "age", Required: true, Want: "an age 0..130"},
		{Name: "haz", Required: true, Want: "a hazard per person-year >= 0"},
	},
	Parse: func(f *Fields, r *LifeTableRow) {
		r.Sex = parseSex(f, LifeSex)
		r.Year = f.Int(LifeYear, true, 1700, 2200, 0)
		r.Age = f.Int(LifeAge, true, 0, 130, 0)
		r.Haz = f.Float(LifeHaz, true, 0, math.Inf(1))
	},
}

// PopulationRow is a row of the population table: person-years (or the
// mid-year population) of a sex and age group in a calendar year.
type PopulationRow struct {
	Sex         byte
	Year        int
	AgeGroup    string // "50-54" or "85+"
	AgeLow      int
	AgeHigh     int // -1 for an open group
	PersonYears float64
}

// Columns of the population table.
const (
	PopSex = iota
	PopYear
	PopAgeGroup
	PopPersonYears
)

// PopulationSchema reads population tables: sex, year, agegroup,
// person_years (map the last to "population" for mid-year counts).
var PopulationSchema = &Schema[PopulationRow]{
	Table: "population",
	Columns: []Column{
		{Name: "sex", Required: true, Want: "F or M"},
		{Name: "year", Required: true, Want: "a calendar year"},
		{Name: "agegroup", Required: true, Want: "an age group such as 50-54 or 85+"},
		{Name: "person_years", Required: true, Want: "a number >= 0"},
	},
	Parse: func(f *Fields, r *PopulationRow) {
		r.Sex = parseSex(f, PopSex)
		r.Year = f.Int(PopYear, true, 1700, 2200, 0)
		r.AgeGroup = f.String(PopAgeGroup, true)
		if f.Err() == nil {
			lo, hi, ok := ParseAgeGroup(r.AgeGroup)
			if !ok {
				f.Fail(PopAgeGroup, ErrBadCode, "an age group such as 50-54, 85+ or 50")
			}
			r.AgeLow, r.AgeHigh = lo, hi
		}
		r.PersonYears = f.Float(PopPersonYears, true, 0, math.Inf(1))
	},
}

// ParseAgeGroup parses "50-54" (50 to 54 inclusive), "85+" (open, high -1)
// or a lower bound alone ("50", high -1).
func ParseAgeGroup(s string) (lo, hi int, ok bool) {
	if a, found := strings.CutSuffix(s, "+"); found {
		lo, ok = digits(a)
		return lo, -1, ok && a != "" && len(a) <= 3
	}
	a, b, found := strings.Cut(s, "-")
	if !found {
		lo, ok = digits(s)
		return lo, -1, ok && s != "" && len(s) <= 3
	}
	lo, ok1 := digits(a)
	hi, ok2 := digits(b)
	return lo, hi, ok1 && ok2 && a != "" && b != "" && len(a) <= 3 && len(b) <= 3 && lo <= hi
}
