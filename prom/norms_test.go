package prom

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/datasets"
)

// qlRows makes QLQ-C30 rows with only global health status (ql) scored.
func qlRows(ql ...float64) []Row {
	rows := make([]Row, len(ql))
	for i, v := range ql {
		s := make([]float64, len(QLQC30.Scores))
		for j := range s {
			s[j] = math.NaN()
		}
		s[0] = v
		rows[i] = Row{ID: string(rune('A' + i)), Scores: s}
	}
	return rows
}

// TestCompareNormsByHand: three patients matched to norms on sex and age,
// two without a stratum, one not scored.
//
//	P1 F 45 ql 60, norm F 18–49 80 (SD 20): −20
//	P2 F 60 ql 80, norm F 50+   70 (SD 20): +10
//	P3 M 70 ql 55, norm M 50+   75 (SD 10): −20
//	P4 M 30 (no male band under 50), P5 F no age: unmatched
//	P6 F 55, ql not scored: not counted
//
// mean difference −10; SD of −20, 10, −20 is √300, SE 10; t(2, 0.975) =
// 4.302653 (R: qt(0.975, 2)); effect size −10 / mean(20, 20, 10) = −0.6.
func TestCompareNormsByHand(t *testing.T) {
	norms := []NormRow{
		{Score: "ql", Sex: "F", AgeFrom: 18, AgeTo: 49, Mean: 80, SD: 20, N: 100},
		{Score: "ql", Sex: "F", AgeFrom: 50, AgeTo: 120, Mean: 70, SD: 20, N: 100},
		{Score: "ql", Sex: "M", AgeFrom: 50, AgeTo: 120, Mean: 75, SD: 10, N: 100},
	}
	rows := qlRows(60, 80, 55, 90, 70, math.NaN())
	sex := []string{"F", "F", "M", "M", "F", "F"}
	age := []float64{45, 60, 70, 30, math.NaN(), 55}
	got := CompareNorms(QLQC30, rows, sex, age, norms, 0.95, 10)
	if len(got) != 1 {
		t.Fatalf("%d scores compared, want only ql: %+v", len(got), got)
	}
	c := got[0]
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-5 }
	if c.Score != "ql" || c.Matched != 3 || c.Unmatched != 2 || !near(c.Mean, 65) || !near(c.Expected, 75) ||
		!near(c.Difference, -10) || !near(c.Lower, -10-43.02653) || !near(c.Upper, -10+43.02653) ||
		!near(c.EffectSize, -0.6) || !c.Worse {
		t.Errorf("%+v", c)
	}
	if c.Lower > c.Difference || c.Upper < c.Difference {
		t.Errorf("interval %g–%g misses %g", c.Lower, c.Upper, c.Difference)
	}
}

// TestBuildNormsByHand: women 20 and 25 (ql 50, 70) make the 18–29 band,
// mean 60, SD √200; the lone woman of 35 and the lone man of 40 make no
// stratum (no SD); men 20 and 22 (40, 60) mean 50; a girl of 10 and a row
// without sex are left out and counted. Read back, the table is the same.
func TestBuildNormsByHand(t *testing.T) {
	rows := qlRows(50, 70, 90, 40, 60, 80, 80, 30)
	sex := []string{"F", "F", "F", "M", "M", "F", "", "M"}
	age := []float64{20, 25, 35, 20, 22, 10, 40, 40}
	got, left, err := BuildNorms(QLQC30, rows, sex, age, []int{18, 30})
	if err != nil {
		t.Fatal(err)
	}
	want := []NormRow{
		{Score: "ql", Sex: "F", AgeFrom: 18, AgeTo: 29, Mean: 60, SD: math.Sqrt(200), N: 2},
		{Score: "ql", Sex: "M", AgeFrom: 18, AgeTo: 29, Mean: 50, SD: math.Sqrt(200), N: 2},
	}
	if left != 2 || len(got) != 2 {
		t.Fatalf("left %d, got %+v", left, got)
	}
	for i := range want {
		if got[i].Score != want[i].Score || got[i].Sex != want[i].Sex || got[i].AgeFrom != want[i].AgeFrom ||
			got[i].AgeTo != want[i].AgeTo || math.Abs(got[i].Mean-want[i].Mean) > 1e-12 ||
			math.Abs(got[i].SD-want[i].SD) > 1e-12 || got[i].N != want[i].N {
			t.Errorf("row %d %+v, want %+v", i, got[i], want[i])
		}
	}
	p := filepath.Join(t.TempDir(), "norms.csv")
	if err := WriteNorms(p, got); err != nil {
		t.Fatal(err)
	}
	back, err := ReadNorms(p, QLQC30)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 2 || math.Abs(back[0].SD-got[0].SD) > 1e-12 {
		t.Errorf("read back %+v", back)
	}
	if _, _, err := BuildNorms(QLQC30, rows, sex, age, []int{30, 18}); err == nil {
		t.Error("decreasing bands accepted")
	}
}

// TestReadNormsBad: overlapping bands, an unknown score, a mean above 100.
func TestReadNormsBad(t *testing.T) {
	for _, c := range []struct{ name, body, field string }{
		{"overlap", "score,sex,age_from,age_to,mean,sd,n\nql,F,18,49,80,20,10\nql,F,40,60,70,20,10\n", "age_from"},
		{"unknown score", "score,sex,age_from,age_to,mean,sd,n\nbladder,F,18,49,80,20,10\n", "score"},
		{"mean 130", "score,sex,age_from,age_to,mean,sd,n\nql,F,18,49,130,20,10\n", "mean"},
	} {
		p := filepath.Join(t.TempDir(), "norms.csv")
		if err := os.WriteFile(p, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadNorms(p, QLQC30)
		var re *datasets.RowError
		if !errors.As(err, &re) || re.Field != c.field {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
