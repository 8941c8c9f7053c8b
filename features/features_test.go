package features

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// TestMissingValues: a column with missing training values gets an
// indicator and the training mean (learned from the training rows only);
// a column without gets an error for a missing value at prediction.
func TestMissingValues(t *testing.T) {
	p, err := Fit([]Spec{{Name: "bmi", Kind: Numeric}, {Name: "age", Kind: Numeric}, {Name: "density", Kind: Categorical, Reference: "b"}},
		[][]string{{"20", "", "30", "NA"}, {"50", "60", "70", "80"}, {"a", "b", "", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bmi", "bmi_missing", "age", "densitya", "densityc", "density_missing"}
	if !reflect.DeepEqual(p.Names(), want) {
		t.Errorf("names %v, want %v", p.Names(), want)
	}
	row, err := p.Transform([]string{"", "55", ""}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(row, []float64{25, 1, 55, 0, 0, 1}) {
		t.Errorf("imputed row %v, want bmi 25 (the training mean) with indicators", row)
	}
	if _, err := p.Transform([]string{"22", "", "a"}, nil); err == nil || !strings.Contains(err.Error(), "age is missing") {
		t.Errorf("missing age: %v", err)
	}
	if _, err := p.Transform([]string{"22", "50", "d"}, nil); !errors.Is(err, ErrUnknownLevel) {
		t.Errorf("unseen level: %v", err)
	}
}

func TestOrdinalAndScale(t *testing.T) {
	p, err := Fit([]Spec{{Name: "density", Kind: Ordinal, Order: []string{"a", "b", "c", "d"}}, {Name: "x", Kind: Numeric, Scale: true}},
		[][]string{{"a", "c", "d"}, {"1", "2", "3"}})
	if err != nil {
		t.Fatal(err)
	}
	row, _ := p.Transform([]string{"c", "3"}, nil)
	if row[0] != 2 || math.Abs(row[1]-1) > 1e-12 {
		t.Errorf("row %v, want density code 2 and x standardised to 1", row)
	}
	if _, err := Fit([]Spec{{Name: "density", Kind: Ordinal, Order: []string{"a", "b"}}}, [][]string{{"a", "e"}}); err == nil {
		t.Error("an unknown ordinal level was accepted")
	}
	if _, err := Fit([]Spec{{Name: "x", Kind: Numeric}}, [][]string{{"3", "3"}}); err == nil {
		t.Error("a constant column was accepted")
	}
}

// TestRegistryFeatures: prior screens and recalls, years since the last
// screen and the target, with excluded and unknown exams left out but
// still counted as prior screens.
func TestRegistryFeatures(t *testing.T) {
	d := func(s string) datasets.Date { x, _ := datasets.ParseDate(s); return x }
	ex := func(id, date string, recall bool, o datasets.Outcome) datasets.LinkedExam {
		return datasets.LinkedExam{Exam: datasets.Exam{ID: id, PersonID: "P1", Date: d(date), Recall: recall, Consensus: -1, AIScore: 0.5, Density: "b",
			Extra: []string{"1", "24.5", "0", "0"}}, Outcome: o, Age: 50}
	}
	exams := []datasets.LinkedExam{
		ex("E3", "2014-01-01", false, datasets.Interval),
		ex("E1", "2010-01-01", true, datasets.Negative),
		ex("E2", "2012-01-01", false, datasets.Unknown),
	}
	rows, left := RegistryFeatures(exams, []string{"family_history", "bmi", "hrt", "prior_benign_biopsy"})
	if left != 1 || len(rows) != 2 {
		t.Fatalf("%d rows, %d left out", len(rows), left)
	}
	col := func(r []string, name string) string {
		for i, c := range RegistryColumns {
			if c == name {
				return r[i]
			}
		}
		return "?"
	}
	var e3 []string
	for _, r := range rows {
		if r[0] == "E3" {
			e3 = r
		}
	}
	if col(e3, "prior_screens") != "2" || col(e3, "prior_recalls") != "1" || col(e3, "years_since_last") != "2.001" || col(e3, "cancer") != "1" || col(e3, "bmi") != "24.5" {
		t.Errorf("E3 features %v", e3)
	}
}

// CovariatesOf parses numeric columns once, through the frame; its design
// and pipeline are those of Design on the same columns as text, for
// numeric and categorical columns alike.
func TestCovariatesOfIsDesign(t *testing.T) {
	rows := [][]string{
		{"61", "1.5", "a", "x"}, {"70", "-2", "b", "z"}, {"55", "0.25", "c", "y"}, {"48", "3", "a", "x"},
		{"66", "1e-3", "b", "y"}, {"59", "7", "c", "x"},
	}
	fr, err := datasets.FrameOf("d.csv", []string{"age", "z", "grp", "site"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	covs := []string{"age", "z", "grp", "site"}
	p, x, err := CovariatesOf(fr, covs, map[string]string{"grp": "b"})
	if err != nil {
		t.Fatal(err)
	}
	values := make([][]string, len(covs))
	for c, name := range covs {
		values[c], _ = fr.Strings(name)
	}
	specs := []Spec{{Name: "age", Kind: Numeric}, {Name: "z", Kind: Numeric}, {Name: "grp", Kind: Categorical, Reference: "b"}, {Name: "site", Kind: Categorical}}
	q, y, err := Design(specs, values)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		t.Errorf("pipeline\n%+v\nwant\n%+v", p, q)
	}
	if !reflect.DeepEqual(x, y) {
		t.Errorf("design\n%v\nwant\n%v", x, y)
	}
	// Every covariate a plain number: the parsed matrix is the design.
	p, x, err = CovariatesOf(fr, covs[:2], nil)
	if err != nil {
		t.Fatal(err)
	}
	q, y, err = Design(specs[:2], values[:2])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) || !reflect.DeepEqual(x, y) {
		t.Errorf("numeric only: design\n%v\nwant\n%v", x, y)
	}
	// By columns: the same design, column j of it.
	for _, cv := range [][]string{covs, covs[:2]} {
		p, x, _ := CovariatesOf(fr, cv, nil)
		fr2, _ := datasets.FrameOf("d.csv", []string{"age", "z", "grp", "site"}, rows)
		q, cols, err := CovariateColumnsOf(fr2, cv, nil)
		if err != nil {
			t.Fatal(err)
		}
		w := p.Width()
		if !reflect.DeepEqual(p, q) || len(cols) != w {
			t.Fatalf("by columns: pipeline %+v (%d columns), want %+v", q, len(cols), p)
		}
		for j := range cols {
			for i, v := range cols[j] {
				if v != x[i*w+j] {
					t.Errorf("by columns: [%d][%d] = %v, want %v", j, i, v, x[i*w+j])
				}
			}
		}
	}
	// A numeric column with a missing value is an error naming it.
	rows[2][0] = ""
	fr, _ = datasets.FrameOf("d.csv", []string{"age", "z", "grp", "site"}, rows)
	if _, _, err := CovariatesOf(fr, covs, nil); err == nil || !strings.Contains(err.Error(), "age") {
		t.Errorf("missing age: %v", err)
	}
}
