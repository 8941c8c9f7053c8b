package datasets

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sampleExams() []Exam {
	return []Exam{
		{ID: "E1", PersonID: "P1", Date: DateOf(2010, 3, 1), ScreeningUnit: "SU01", Round: 1, Density: "b",
			Reader1Recall: true, Consensus: 1, Recall: true, AIScore: 0.9731},
		{ID: "E2", PersonID: "P1", Date: DateOf(2012, 2, 29), ScreeningUnit: "Unit, \"north\"", Round: 2, Density: "",
			Consensus: -1, AIScore: math.NaN()},
		{ID: "E3", PersonID: "P2", Date: DateOf(2012, 12, 31), Round: 0, Density: "d", Reader2Recall: true, Consensus: 0, AIScore: 1e-7},
	}
}

func sameExam(a, b Exam) bool {
	if math.IsNaN(a.AIScore) && math.IsNaN(b.AIScore) {
		a.AIScore, b.AIScore = 0, 0
	}
	a.Extra, b.Extra = nil, nil
	return reflect.DeepEqual(a, b)
}

// TestExamsRoundTrip writes exams as CSV, gzip CSV and Parquet and reads
// them back unchanged.
func TestExamsRoundTrip(t *testing.T) {
	for _, ext := range []string{".csv", ".csv.gz", ".parquet"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "exams"+ext)
			w, err := CreateTable(path, ExamColumns)
			if err != nil {
				t.Fatal(err)
			}
			in := sampleExams()
			for i := range in {
				w.WriteExamFields(&in[i])
				if err := w.EndRow(); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			got, extra, st, err := ReadAll(path, ExamSchema, ReadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(extra) != 0 || st.Read != 3 || st.Accepted != 3 {
				t.Errorf("extra %v, stats %+v", extra, st)
			}
			for i := range in {
				if !sameExam(got[i], in[i]) {
					t.Errorf("row %d: got %+v, want %+v", i, got[i], in[i])
				}
			}
		})
	}
}

// TestExtraColumnsKept: columns the schema does not know survive reading.
func TestExtraColumnsKept(t *testing.T) {
	src, err := NewCSVSource(strings.NewReader(examsHeader[:len(examsHeader)-1]+",bmi,note\nE1,P1,2010-01-01,SU1,1,b,0,0,,0,0.1,27.5,\"a, b\"\n"), "x.csv")
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewTableReader(src, ExamSchema, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var e Exam
	if _, err := r.Next(&e); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.ExtraColumns(), []string{"bmi", "note"}) || !reflect.DeepEqual(e.Extra, []string{"27.5", "a, b"}) {
		t.Errorf("extra columns %v, values %v", r.ExtraColumns(), e.Extra)
	}
}

// FuzzExamsRoundTrip reads fuzzed CSV as exams; whatever is accepted must be
// written and read back to the same exams.
func FuzzExamsRoundTrip(f *testing.F) {
	f.Add(examsHeader + "E1,P1,2010-01-01,SU1,1,b,0,0,,0,0.1\n")
	f.Add(examsHeader + "E1,P1,2010-01-01,\"S,U\",2,4,1,1,1,1,1e-3\nE2,P2,2011-02-28,,,,,,0,0,\n")
	f.Add(examsHeader + "\"E\"\"1\",P1,2010-01-01,SU1,1,B,true,no,,y,-0\n")
	f.Add("exam_id,person_id,exam_date,recall\n\"a\nb\",P,2000-02-29,1\n")
	f.Add("exam_id,person_id,exam_date,screening_unit,recall\n=HYPERLINK(\"x\"),@P,2000-02-29,+SU,1\n")
	f.Fuzz(func(t *testing.T, text string) {
		src, err := NewCSVSource(strings.NewReader(text), "fuzz.csv")
		if err != nil {
			return
		}
		r, err := NewTableReader(src, ExamSchema, ReadOptions{})
		if err != nil {
			return
		}
		var in []Exam
		for {
			var e Exam
			_, err := r.Next(&e)
			if err == io.EOF {
				break
			}
			if err != nil {
				return
			}
			in = append(in, e)
		}
		var buf bytes.Buffer
		w := NewCSVWriter(&buf, ExamColumns)
		for i := range in {
			w.WriteExamFields(&in[i])
			if err := w.EndRow(); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		src2, err := NewCSVSource(&buf, "again.csv")
		if err != nil {
			t.Fatal(err)
		}
		r2, err := NewTableReader(src2, ExamSchema, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range in {
			var e Exam
			if _, err := r2.Next(&e); err != nil {
				t.Fatalf("row %d written as %q does not read back: %v", i, buf.String(), err)
			}
			// Text a spreadsheet would run as a formula comes back
			// neutralised (CSVSafe); everything else unchanged.
			want := in[i]
			want.ID, want.PersonID, want.ScreeningUnit, want.Density = CSVSafe(want.ID), CSVSafe(want.PersonID), CSVSafe(want.ScreeningUnit), CSVSafe(want.Density)
			if !sameExam(e, want) {
				t.Fatalf("row %d: %+v read back as %+v", i, want, e)
			}
		}
	})
}

// TestOtherTablesRoundTrip writes and reads back the images, life table and
// population tables.
func TestOtherTablesRoundTrip(t *testing.T) {
	for _, ext := range []string{".csv", ".parquet"} {
		dir := t.TempDir()
		images := []Image{{ExamID: "E1", Laterality: 'L', View: "CC", Path: "a/b.dcm"}, {ExamID: "E1", Laterality: 'R', View: "MLO", Path: "c,d.dcm"}}
		life := []LifeTableRow{{Sex: 'F', Year: 2000, Age: 50, Haz: 0.00213}, {Sex: 'M', Year: 2001, Age: 0, Haz: 0.003}}
		pop := []PopulationRow{{Sex: 'F', Year: 2000, AgeGroup: "50-54", AgeLow: 50, AgeHigh: 54, PersonYears: 1234.5}, {Sex: 'F', Year: 2000, AgeGroup: "85+", AgeLow: 85, AgeHigh: -1, PersonYears: 10}}
		write := func(name string, cols []ColumnSpec, n int, row func(w *TableWriter, i int) error) string {
			path := filepath.Join(dir, name+ext)
			w, err := CreateTable(path, cols)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < n; i++ {
				if err := row(w, i); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			return path
		}
		ip := write("images", ImageColumns, len(images), func(w *TableWriter, i int) error { return w.WriteImage(&images[i]) })
		lp := write("lifetable", LifeTableColumns, len(life), func(w *TableWriter, i int) error { return w.WriteLifeTableRow(&life[i]) })
		pp := write("population", PopulationColumns, len(pop), func(w *TableWriter, i int) error { return w.WritePopulationRow(&pop[i]) })
		gotI, _, _, err := ReadAll(ip, ImageSchema, ReadOptions{})
		if err != nil || !reflect.DeepEqual(gotI, images) {
			t.Errorf("%s images: %+v, %v", ext, gotI, err)
		}
		gotL, _, _, err := ReadAll(lp, LifeTableSchema, ReadOptions{})
		if err != nil || !reflect.DeepEqual(gotL, life) {
			t.Errorf("%s life table: %+v, %v", ext, gotL, err)
		}
		gotP, _, _, err := ReadAll(pp, PopulationSchema, ReadOptions{})
		if err != nil || !reflect.DeepEqual(gotP, pop) {
			t.Errorf("%s population: %+v, %v", ext, gotP, err)
		}
	}
}

// TestWriteTable: the rows are written and the file closed; when the rows
// fail, the error comes back and nothing is left at the path.
func TestWriteTable(t *testing.T) {
	dir := t.TempDir()
	cols := []ColumnSpec{{Name: "id"}, {Name: "n", Kind: KindInt}}
	ok := filepath.Join(dir, "ok.csv")
	if err := WriteTable(ok, cols, func(w *TableWriter) error {
		w.String("a")
		w.Int(1)
		return w.EndRow()
	}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(ok); err != nil || string(b) != "id,n\na,1\n" {
		t.Errorf("wrote %q (%v)", b, err)
	}
	bad := filepath.Join(dir, "bad.csv")
	want := errors.New("row failed")
	if err := WriteTable(bad, cols, func(w *TableWriter) error { return want }); err != want {
		t.Errorf("error %v, want %v", err, want)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a failed table was left at %s (%v)", bad, err)
	}
}
