package datasets

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const personsCSV = `person_id,birth_date,sex,death_date,emigration_date,region
P1,1950-03-01,F,,,west
P2,1955-06-15,F,2015-01-10,,west
P3,1960-01-01,F,,2012-05-05,north
`

const examsHeader = "exam_id,person_id,exam_date,screening_unit,round,density,reader1_recall,reader2_recall,consensus,recall,ai_score\n"

const diagnosesHeader = "person_id,diagnosis_date,icd10,behaviour,stage,hospital\n"

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func loadDir(dir string, lenient bool, tables ...string) (*Registry, error) {
	files := RegistryFiles{}
	for _, t := range tables {
		p := filepath.Join(dir, t+".csv")
		switch t {
		case "persons":
			files.Persons = p
		case "exams":
			files.Exams = p
		case "diagnoses":
			files.Diagnoses = p
		case "images":
			files.Images = p
		}
	}
	return LoadRegistry(files, LoadOptions{Lenient: lenient})
}

// TestValidationErrors pins one case of every class of validation error,
// compared as whole *RowError values, and its message.
func TestValidationErrors(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		want    *RowError
		message string
	}{
		{
			name:    "bad exam date",
			files:   map[string]string{"exams.csv": examsHeader + "E1,P1,2019-13-01,SU1,1,b,0,0,,0,0.1\n"},
			want:    &RowError{File: "exams.csv", Line: 2, Column: 3, Field: "exam_date", Value: "2019-13-01", Want: "a date YYYY-MM-DD", Err: ErrBadDate},
			message: `exams.csv:2:3: exam_date "2019-13-01": want a date YYYY-MM-DD`,
		},
		{
			name:  "missing required column",
			files: map[string]string{"exams.csv": "exam_id,person_id,recall\nE1,P1,0\n"},
			want: &RowError{File: "exams.csv", Line: 1, Err: ErrMissingColumn,
				Want: `a column "exam_date" (YYYY-MM-DD); the header has exam_id,person_id,recall`},
			message: `exams.csv:1: want a column "exam_date" (YYYY-MM-DD); the header has exam_id,person_id,recall`,
		},
		{
			name:    "wrong number of fields",
			files:   map[string]string{"exams.csv": examsHeader + "E1,P1,2019-01-01,SU1,1,b,0,0,,0\n"},
			want:    &RowError{File: "exams.csv", Line: 2, Err: ErrFieldCount, Want: "11 fields as in the header, got 10"},
			message: `exams.csv:2: want 11 fields as in the header, got 10`,
		},
		{
			name:  "bare quote",
			files: map[string]string{"exams.csv": examsHeader + "E1,P\"1,2019-01-01,SU1,1,b,0,0,,0,0.1\n"},
			want: &RowError{File: "exams.csv", Line: 2, Column: 5, Value: "E1,P\"1,2019-01-01,SU1,1,b,0,0,,0,0.1",
				Err: &syntaxError{`a stray quote at character 5, inside an unquoted field (quote the whole field and write a quote as "")`}},
			message: `exams.csv:2:5: a stray quote at character 5, inside an unquoted field (quote the whole field and write a quote as "")`,
		},
		{
			name:    "empty required field",
			files:   map[string]string{"exams.csv": examsHeader + "E1,,2019-01-01,SU1,1,b,0,0,,0,0.1\n"},
			want:    &RowError{File: "exams.csv", Line: 2, Column: 2, Field: "person_id", Value: "", Want: "a value", Err: ErrRequired},
			message: `exams.csv:2:2: person_id "": want a value`,
		},
		{
			name:  "bad flag",
			files: map[string]string{"exams.csv": examsHeader + "E1,P1,2019-01-01,SU1,1,b,0,0,,maybe,0.1\n"},
			want:  &RowError{File: "exams.csv", Line: 2, Column: 10, Field: "recall", Value: "maybe", Want: "0 or 1", Err: ErrBadCode},
		},
		{
			name:  "bad number",
			files: map[string]string{"exams.csv": examsHeader + "E1,P1,2019-01-01,SU1,1,b,0,0,,0,high\n"},
			want:  &RowError{File: "exams.csv", Line: 2, Column: 11, Field: "ai_score", Value: "high", Want: "a number", Err: ErrBadNumber},
		},
		{
			name:  "round out of range",
			files: map[string]string{"exams.csv": examsHeader + "E1,P1,2019-01-01,SU1,0,b,0,0,,0,0.1\n"},
			want:  &RowError{File: "exams.csv", Line: 2, Column: 5, Field: "round", Value: "0", Want: "an integer 1..1000", Err: ErrOutOfRange},
		},
		{
			name:  "bad density",
			files: map[string]string{"exams.csv": examsHeader + "E1,P1,2019-01-01,SU1,1,e,0,0,,0,0.1\n"},
			want:  &RowError{File: "exams.csv", Line: 2, Column: 6, Field: "density", Value: "e", Want: "BI-RADS density a, b, c or d (or 1..4)", Err: ErrBadCode},
		},
		{
			name:  "bad sex",
			files: map[string]string{"persons.csv": "person_id,birth_date,sex\nP1,1950-01-01,X\n"},
			want:  &RowError{File: "persons.csv", Line: 2, Column: 3, Field: "sex", Value: "X", Want: "F or M (or ISO 5218 1 = male, 2 = female)", Err: ErrBadCode},
		},
		{
			name:  "death before birth",
			files: map[string]string{"persons.csv": "person_id,birth_date,sex,death_date\nP1,1950-01-01,F,1949-12-31\n"},
			want:  &RowError{File: "persons.csv", Line: 2, Column: 4, Field: "death_date", Value: "1949-12-31", Want: "a death date on or after the birth date 1950-01-01", Err: ErrDateOrder},
		},
		{
			name:  "bad ICD-10",
			files: map[string]string{"diagnoses.csv": diagnosesHeader + "P1,2010-01-01,C5,3,I,H1\n"},
			want: &RowError{File: "diagnoses.csv", Line: 2, Column: 3, Field: "icd10", Value: "C5",
				Want: "an ICD-10 code: a letter, two digits, optionally a dot and one or two digits (C50, C50.9, C509)", Err: ErrBadCode},
		},
		{
			name:  "bad behaviour",
			files: map[string]string{"diagnoses.csv": diagnosesHeader + "P1,2010-01-01,C50.9,5,I,H1\n"},
			want:  &RowError{File: "diagnoses.csv", Line: 2, Column: 4, Field: "behaviour", Value: "5", Want: "an ICD-O behaviour code 0, 1, 2, 3, 6 or 9", Err: ErrBadCode},
		},
		{
			name:  "D05 coded invasive",
			files: map[string]string{"diagnoses.csv": diagnosesHeader + "P1,2010-01-01,D05.1,3,0,H1\n"},
			want:  &RowError{File: "diagnoses.csv", Line: 2, Column: 4, Field: "behaviour", Value: "3", Want: "behaviour 2 (in situ) for D05", Err: ErrBadCode},
		},
		{
			name:  "bad laterality",
			files: map[string]string{"images.csv": "exam_id,laterality,view,path\nE1,B,CC,a.dcm\n"},
			want:  &RowError{File: "images.csv", Line: 2, Column: 2, Field: "laterality", Value: "B", Want: "L or R", Err: ErrBadCode},
		},
		{
			name:  "bad view",
			files: map[string]string{"images.csv": "exam_id,laterality,view,path\nE1,L,ML,a.dcm\n"},
			want:  &RowError{File: "images.csv", Line: 2, Column: 3, Field: "view", Value: "ML", Want: "CC or MLO", Err: ErrBadCode},
		},
		{
			name:  "duplicate person id",
			files: map[string]string{"persons.csv": personsCSV + "P2,1956-01-01,F,,,west\n"},
			want:  &RowError{File: "persons.csv", Line: 5, Column: 1, Field: "person_id", Value: "P2", Want: "a unique person id (also on line 3)", Err: ErrDuplicateID},
		},
		{
			name: "duplicate exam id",
			files: map[string]string{"persons.csv": personsCSV, "exams.csv": examsHeader +
				"E1,P1,2010-01-01,SU1,1,b,0,0,,0,0.1\nE1,P1,2012-01-01,SU1,2,b,0,0,,0,0.1\n"},
			want: &RowError{File: "exams.csv", Line: 3, Column: 1, Field: "exam_id", Value: "E1", Want: "a unique exam id (also on line 2)", Err: ErrDuplicateID},
		},
		{
			name:    "exam of unknown person",
			files:   map[string]string{"persons.csv": personsCSV, "exams.csv": examsHeader + "E1,P9,2010-01-01,SU1,1,b,0,0,,0,0.1\n"},
			want:    &RowError{File: "exams.csv", Line: 2, Column: 2, Field: "person_id", Value: "P9", Want: "a person id listed in persons.csv", Err: ErrUnknownPerson},
			message: `exams.csv:2:2: person_id (value withheld: an identifier; --show-rows shows it): want a person id listed in persons.csv`,
		},
		{
			name:  "exam after death",
			files: map[string]string{"persons.csv": personsCSV, "exams.csv": examsHeader + "E1,P2,2015-01-11,SU1,1,b,0,0,,0,0.1\n"},
			want:  &RowError{File: "exams.csv", Line: 2, Column: 3, Field: "exam_date", Value: "2015-01-11", Want: "an exam date on or before death (2015-01-10)", Err: ErrDateOrder},
		},
		{
			name:  "exam after emigration",
			files: map[string]string{"persons.csv": personsCSV, "exams.csv": examsHeader + "E1,P3,2013-01-01,SU1,1,b,0,0,,0,0.1\n"},
			want:  &RowError{File: "exams.csv", Line: 2, Column: 3, Field: "exam_date", Value: "2013-01-01", Want: "an exam date on or before emigration (2012-05-05)", Err: ErrDateOrder},
		},
		{
			name:  "exam before birth",
			files: map[string]string{"persons.csv": personsCSV, "exams.csv": examsHeader + "E1,P1,1940-01-01,SU1,1,b,0,0,,0,0.1\n"},
			want:  &RowError{File: "exams.csv", Line: 2, Column: 3, Field: "exam_date", Value: "1940-01-01", Want: "an exam date on or after birth (1950-03-01)", Err: ErrDateOrder},
		},
		{
			name:  "diagnosis before birth",
			files: map[string]string{"persons.csv": personsCSV, "diagnoses.csv": diagnosesHeader + "P1,1949-01-01,C50.9,3,I,H1\n"},
			want:  &RowError{File: "diagnoses.csv", Line: 2, Column: 2, Field: "diagnosis_date", Value: "1949-01-01", Want: "a diagnosis date on or after birth (1950-03-01)", Err: ErrDateOrder},
		},
		{
			name:  "diagnosis of unknown person",
			files: map[string]string{"persons.csv": personsCSV, "diagnoses.csv": diagnosesHeader + "P7,2010-01-01,C50.9,3,I,H1\n"},
			want:  &RowError{File: "diagnoses.csv", Line: 2, Column: 1, Field: "person_id", Value: "P7", Want: "a person id listed in persons.csv", Err: ErrUnknownPerson},
		},
		{
			name: "image of unknown exam",
			files: map[string]string{"exams.csv": examsHeader + "E1,P1,2010-01-01,SU1,1,b,0,0,,0,0.1\n",
				"images.csv": "exam_id,laterality,view,path\nE1,L,CC,a.dcm\nE2,L,CC,b.dcm\n"},
			want: &RowError{File: "images.csv", Line: 3, Column: 1, Field: "exam_id", Value: "E2", Want: "an exam id listed in exams.csv", Err: ErrUnknownExam},
		},
		{
			name: "duplicate image",
			files: map[string]string{"exams.csv": examsHeader + "E1,P1,2010-01-01,SU1,1,b,0,0,,0,0.1\n",
				"images.csv": "exam_id,laterality,view,path\nE1,L,CC,a.dcm\nE1,L,CC,b.dcm\n"},
			want: &RowError{File: "images.csv", Line: 3, Column: 3, Field: "view", Value: "CC", Want: "one image per exam, laterality and view (also on line 2)", Err: ErrDuplicateID},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			var tables []string
			for _, name := range []string{"persons", "exams", "diagnoses", "images"} {
				if _, ok := tt.files[name+".csv"]; ok {
					tables = append(tables, name)
				}
			}
			_, err := loadDir(dir, false, tables...)
			var got *RowError
			if !errors.As(err, &got) {
				t.Fatalf("error %v (%T), want a *RowError", err, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
			sentinel := tt.want.Err
			if _, ok := sentinel.(*syntaxError); ok {
				sentinel = ErrSyntax
			}
			if !errors.Is(err, sentinel) {
				t.Errorf("errors.Is(err, %v) is false", sentinel)
			}
			if tt.message != "" && err.Error() != tt.message {
				t.Errorf("message %q, want %q", err.Error(), tt.message)
			}
		})
	}
}

// TestIdentifiersWithheld: a message names where an identifier is wrong,
// not its value, unless ShowRows is set; other values are shown.
func TestIdentifiersWithheld(t *testing.T) {
	for _, tt := range []struct {
		field, value string
		show         bool
		leaks        bool
	}{
		{"person_id", "19570312-4411", false, false},
		{"exam_id", "E88231", false, false},
		{"birth_date", "1957-03-12", false, false},
		{"person_id", "19570312-4411", true, true},
		{"exam_date", "2019-13-01", false, true},
	} {
		ShowRows.Store(tt.show)
		msg := (&RowError{File: "x.csv", Line: 7, Column: 2, Field: tt.field, Value: tt.value, Want: "something"}).Error()
		if strings.Contains(msg, tt.value) != tt.leaks || !strings.HasPrefix(msg, "x.csv:7:2: "+tt.field) {
			t.Errorf("%s %q (show %v): %q", tt.field, tt.value, tt.show, msg)
		}
		if id := IDText(tt.value); strings.Contains(id, tt.value) != tt.show {
			t.Errorf("IDText(%q) with show %v: %q", tt.value, tt.show, id)
		}
	}
	ShowRows.Store(false)
}

// readRejects reads a rejects file (its rows have as many fields as the
// table's header, plus five).
func readRejects(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestLenientAccounting: every bad row goes to the rejects file with its
// reason, good rows are kept, and read = accepted + rejected per table.
func TestLenientAccounting(t *testing.T) {
	exams := examsHeader +
		"E1,P1,2010-01-01,SU1,1,b,0,0,,0,0.1\n" + // good
		"E2,P1,2010-13-01,SU1,1,b,0,0,,0,0.1\n" + // bad date
		"E3,P9,2010-01-01,SU1,1,b,0,0,,0,0.1\n" + // unknown person
		"E1,P1,2012-01-01,SU1,2,b,0,0,,0,0.1\n" + // duplicate id
		"E4,P1,2012-01-01,SU1,2,b,0,0\n" + // too few fields
		"E5,P2,2016-01-01,SU1,1,b,0,0,,0,0.1\n" + // after death
		"E6,P1,2014-01-01,SU1,3,c,1,0,1,1,0.9\n" // good
	dir := writeFiles(t, map[string]string{"persons.csv": personsCSV, "exams.csv": exams})
	reg, err := loadDir(dir, true, "persons", "exams")
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Exams) != 2 || reg.Exams[0].ID != "E1" || reg.Exams[1].ID != "E6" {
		t.Fatalf("kept exams %v, want E1 and E6", reg.Exams)
	}
	st := reg.Stats[1]
	want := Stats{Table: "exams", File: "exams.csv", Read: 7, Accepted: 2, Rejected: 5, RejectsFile: filepath.Join(dir, "exams.csv.rejects.csv")}
	if st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	if st.Read != st.Accepted+st.Rejected {
		t.Errorf("read %d != accepted %d + rejected %d", st.Read, st.Accepted, st.Rejected)
	}
	rows := readRejects(t, st.RejectsFile)
	if got := strings.Join(rows[0][:6], ","); got != "line,column,field,value,reason,exam_id" {
		t.Errorf("rejects header %q", got)
	}
	wantLines := []string{"3", "4", "5", "6", "7"}
	if len(rows)-1 != len(wantLines) {
		t.Fatalf("%d rejected rows, want %d", len(rows)-1, len(wantLines))
	}
	for i, line := range wantLines {
		if rows[i+1][0] != line {
			t.Errorf("rejected row %d from line %s, want %s", i, rows[i+1][0], line)
		}
		if rows[i+1][4] == "" {
			t.Errorf("rejected row %d has no reason", i)
		}
	}
	if rows[2][4] != "unknown person: want a person id listed in persons.csv" {
		t.Errorf("reason %q", rows[2][4])
	}
}

// TestColumnMap reads a file whose columns have other names.
func TestColumnMap(t *testing.T) {
	dir := writeFiles(t, map[string]string{"exams.csv": "id,pid,screen_date,recall\nE1,P1,2010-01-01,1\n"})
	m, err := ParseColumnMap("exam_id=id, person_id=pid,exam_date=screen_date")
	if err != nil {
		t.Fatal(err)
	}
	reg, err := LoadRegistry(RegistryFiles{Exams: filepath.Join(dir, "exams.csv"), Columns: map[string]ColumnMap{"exams": m}}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := reg.Exams[0]
	if e.ID != "E1" || e.PersonID != "P1" || e.Date != DateOf(2010, 1, 1) || !e.Recall || e.Consensus != -1 {
		t.Errorf("exam %+v", e)
	}
	if _, err := ParseColumnMap("exam_id"); err == nil {
		t.Error("ParseColumnMap accepted a pair without =")
	}
}

// TestCheckOnly validates without keeping rows, and still runs the
// cross-table checks.
func TestCheckOnly(t *testing.T) {
	dir := writeFiles(t, map[string]string{"persons.csv": personsCSV,
		"exams.csv":  examsHeader + "E1,P1,2010-01-01,SU1,1,b,0,0,,0,0.1\n",
		"images.csv": "exam_id,laterality,view,path\nE1,L,CC,a.dcm\nE2,L,CC,b.dcm\n"})
	files := RegistryFiles{Persons: filepath.Join(dir, "persons.csv"), Exams: filepath.Join(dir, "exams.csv"), Images: filepath.Join(dir, "images.csv")}
	_, err := LoadRegistry(files, LoadOptions{CheckOnly: true})
	if !errors.Is(err, ErrUnknownExam) {
		t.Fatalf("error %v, want the unknown exam of images.csv line 3", err)
	}
	reg, err := LoadRegistry(files, LoadOptions{CheckOnly: true, Lenient: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Exams) != 0 || len(reg.Images) != 0 || len(reg.Persons) != 3 {
		t.Errorf("kept %d exams, %d images, %d persons; want 0, 0, 3", len(reg.Exams), len(reg.Images), len(reg.Persons))
	}
	if st := reg.Stats[2]; st.Read != 2 || st.Accepted != 1 || st.Rejected != 1 {
		t.Errorf("images stats %+v", st)
	}
}
