package datasets

import (
	"fmt"
	"io"
	"path/filepath"
)

// RegistryFiles names the table files of a registry; empty names are not
// read. Columns maps a table name (persons, exams, images, diagnoses) to its
// column map.
type RegistryFiles struct {
	Persons   string
	Exams     string
	Images    string
	Diagnoses string
	// The tables of the cervical or bowel programme (Programme "cervical"
	// or "bowel"): invitations, tests and follow-ups.
	Programme   string
	Invitations string
	Tests       string
	Followups   string
	Columns     map[string]ColumnMap
}

// LoadOptions control LoadRegistry.
type LoadOptions struct {
	// Lenient writes rejected rows to "<file>.rejects.csv" and goes on.
	Lenient bool
	// Progress, when set, is told which table is being read and how far.
	Progress func(table string, offset int64)
	// CheckOnly validates exams, diagnoses and images without keeping their
	// rows (persons are kept for the cross-table checks), to validate
	// national tables in little memory.
	CheckOnly bool
	// AsOf is the last date the tables may hold (ReadOptions.AsOf).
	AsOf Date
}

// Registry holds the tables of a registry in memory, validated within and
// across tables.
type Registry struct {
	Persons   []Person
	Exams     []Exam
	ExamExtra []string // the exams file's columns beyond ExamSchema
	Images    []Image
	Diagnoses []Diagnosis
	// The programme tables (cervical or bowel), each in file order.
	Invitations       []Invitation
	CervicalTests     []CervicalTest
	CervicalFollowups []CervicalFollowup
	FITTests          []FITTest
	Colonoscopies     []Colonoscopy
	Stats             []Stats // one per table read, in reading order

	personIndex map[string]int
	examLines   map[string]int // exam id -> line, for the images check
	checkOnly   bool
}

// Person returns the person with an id, or nil.
func (r *Registry) Person(id string) *Person {
	if i, ok := r.personIndex[id]; ok {
		return &r.Persons[i]
	}
	return nil
}

// LoadRegistry reads the named tables and checks them within and across
// tables: duplicate person and exam ids, exams and diagnoses of unknown
// persons, exams before birth or after death or emigration, diagnoses before
// birth or after death, images of unknown exams and duplicate images of one
// view. Cross-table checks need the persons (and, for images, the exams)
// table; without it they are skipped.
func LoadRegistry(files RegistryFiles, opts LoadOptions) (*Registry, error) {
	reg := &Registry{checkOnly: opts.CheckOnly}
	ro := func(table string) ReadOptions {
		o := ReadOptions{Columns: files.Columns[table], Lenient: opts.Lenient, AsOf: opts.AsOf}
		if opts.Progress != nil {
			o.Progress = func(off int64) { opts.Progress(table, off) }
		}
		return o
	}
	if files.Persons != "" {
		if err := reg.readPersons(files.Persons, ro("persons")); err != nil {
			return reg, err
		}
	}
	if files.Exams != "" {
		if err := reg.readExams(files.Exams, ro("exams")); err != nil {
			return reg, err
		}
	}
	if files.Diagnoses != "" {
		if err := reg.readDiagnoses(files.Diagnoses, ro("diagnoses")); err != nil {
			return reg, err
		}
	}
	if files.Images != "" {
		if err := reg.readImages(files.Images, ro("images"), files.Exams != ""); err != nil {
			return reg, err
		}
	}
	if err := reg.readProgramme(files, ro); err != nil {
		return reg, err
	}
	return reg, nil
}

func finish[T any](reg *Registry, r *TableReader[T], err error) error {
	if err != nil {
		r.Abort() // no rejects file for a table not read through
	} else {
		err = r.Close()
	}
	reg.Stats = append(reg.Stats, r.Stats())
	return err
}

func (reg *Registry) readPersons(path string, opts ReadOptions) error {
	r, err := OpenTable(path, PersonSchema, opts)
	if err != nil {
		return err
	}
	reg.personIndex = map[string]int{}
	firstLine := map[string]int{}
	for {
		var p Person
		line, err := r.Next(&p)
		if err == io.EOF {
			break
		}
		if err != nil {
			return finish(reg, r, err)
		}
		if prev, dup := firstLine[p.ID]; dup {
			if err := r.RejectCurrent(PersonID, ErrDuplicateID, fmt.Sprintf("a unique person id (also on line %d)", prev)); err != nil {
				return finish(reg, r, err)
			}
			continue
		}
		firstLine[p.ID] = line
		reg.personIndex[p.ID] = len(reg.Persons)
		reg.Persons = append(reg.Persons, p)
	}
	return finish(reg, r, nil)
}

func (reg *Registry) readExams(path string, opts ReadOptions) error {
	r, err := OpenTable(path, ExamSchema, opts)
	if err != nil {
		return err
	}
	reg.ExamExtra = r.ExtraColumns()
	personsName := ""
	for _, s := range reg.Stats {
		if s.Table == "persons" {
			personsName = s.File
		}
	}
	firstLine := map[string]int{}
	for {
		var e Exam
		line, err := r.Next(&e)
		if err == io.EOF {
			break
		}
		if err != nil {
			return finish(reg, r, err)
		}
		if len(firstLine) == 1024 {
			if n := r.EstimateRows(); n > 1024 {
				if !reg.checkOnly {
					grown := make([]Exam, len(reg.Exams), n)
					copy(grown, reg.Exams)
					reg.Exams = grown
				}
				m := make(map[string]int, n)
				for k, v := range firstLine {
					m[k] = v
				}
				firstLine = m
			}
		}
		if prev, dup := firstLine[e.ID]; dup {
			if err := r.RejectCurrent(ExamID, ErrDuplicateID, fmt.Sprintf("a unique exam id (also on line %d)", prev)); err != nil {
				return finish(reg, r, err)
			}
			continue
		}
		if reg.personIndex != nil {
			if msg, col, sentinel := reg.checkEvent(e.PersonID, e.Date, personsName, "an exam", true); msg != "" {
				if col < 0 {
					col = ExamDate
				} else {
					col = ExamPersonID
				}
				if err := r.RejectCurrent(col, sentinel, msg); err != nil {
					return finish(reg, r, err)
				}
				continue
			}
		}
		firstLine[e.ID] = line
		if !reg.checkOnly {
			reg.Exams = append(reg.Exams, e)
		}
	}
	reg.examLines = firstLine
	return finish(reg, r, nil)
}

// checkEvent checks an event of a person against the persons table: the
// person must exist, the date must not precede birth, nor (for exams, when
// afterExit) follow death or emigration; diagnoses may not follow death. col
// is 0 for the person column, -1 for the date.
func (reg *Registry) checkEvent(id string, d Date, personsName, what string, exam bool) (msg string, col int, sentinel error) {
	p := reg.Person(id)
	if p == nil {
		return fmt.Sprintf("a person id listed in %s", personsName), 0, ErrUnknownPerson
	}
	if d < p.BirthDate {
		return fmt.Sprintf("%s date on or after birth (%s)", what, p.BirthDate), -1, ErrDateOrder
	}
	if p.DeathDate != NoDate && d > p.DeathDate {
		return fmt.Sprintf("%s date on or before death (%s)", what, p.DeathDate), -1, ErrDateOrder
	}
	if exam && p.EmigrationDate != NoDate && d > p.EmigrationDate {
		return fmt.Sprintf("an exam date on or before emigration (%s)", p.EmigrationDate), -1, ErrDateOrder
	}
	return "", 0, nil
}

func (reg *Registry) readDiagnoses(path string, opts ReadOptions) error {
	r, err := OpenTable(path, DiagnosisSchema, opts)
	if err != nil {
		return err
	}
	personsName := ""
	for _, s := range reg.Stats {
		if s.Table == "persons" {
			personsName = s.File
		}
	}
	for {
		var d Diagnosis
		_, err := r.Next(&d)
		if err == io.EOF {
			break
		}
		if err != nil {
			return finish(reg, r, err)
		}
		if reg.personIndex != nil {
			if msg, col, sentinel := reg.checkEvent(d.PersonID, d.Date, personsName, "a diagnosis", false); msg != "" {
				if col < 0 {
					col = DiagnosisDate
				} else {
					col = DiagnosisPersonID
				}
				if err := r.RejectCurrent(col, sentinel, msg); err != nil {
					return finish(reg, r, err)
				}
				continue
			}
		}
		if !reg.checkOnly {
			reg.Diagnoses = append(reg.Diagnoses, d)
		}
	}
	return finish(reg, r, nil)
}

func (reg *Registry) readImages(path string, opts ReadOptions, checkExams bool) error {
	r, err := OpenTable(path, ImageSchema, opts)
	if err != nil {
		return err
	}
	exams := reg.examLines
	examsName := ""
	if checkExams {
		for _, s := range reg.Stats {
			if s.Table == "exams" {
				examsName = s.File
			}
		}
	}
	type key struct {
		exam string
		lat  byte
		view string
	}
	seen := map[key]int{}
	for {
		var im Image
		line, err := r.Next(&im)
		if err == io.EOF {
			break
		}
		if err != nil {
			return finish(reg, r, err)
		}
		if _, known := exams[im.ExamID]; checkExams && !known {
			if err := r.RejectCurrent(ImageExamID, ErrUnknownExam, "an exam id listed in "+filepath.Base(examsName)); err != nil {
				return finish(reg, r, err)
			}
			continue
		}
		k := key{im.ExamID, im.Laterality, im.View}
		if prev, dup := seen[k]; dup {
			if err := r.RejectCurrent(ImageView, ErrDuplicateID, fmt.Sprintf("one image per exam, laterality and view (also on line %d)", prev)); err != nil {
				return finish(reg, r, err)
			}
			continue
		}
		seen[k] = line
		if !reg.checkOnly {
			reg.Images = append(reg.Images, im)
		}
	}
	return finish(reg, r, nil)
}
