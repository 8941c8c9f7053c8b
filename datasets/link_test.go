package datasets

import (
	"math"
	"testing"
)

func d(s string) Date {
	x, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

// linkOne links the exams of one woman born 1950-01-01 and returns their
// outcomes and days to diagnosis, in exam order.
func linkOne(t *testing.T, person Person, exams []Exam, dx []Diagnosis, opts LinkOptions) ([]Outcome, []int) {
	t.Helper()
	person.ID = "P1"
	if person.BirthDate == 0 {
		person.BirthDate = d("1950-01-01")
	}
	if person.DeathDate == 0 {
		person.DeathDate = NoDate
	}
	if person.EmigrationDate == 0 {
		person.EmigrationDate = NoDate
	}
	for i := range exams {
		exams[i].PersonID = "P1"
		exams[i].ID = string(rune('A' + i))
	}
	for i := range dx {
		dx[i].PersonID = "P1"
	}
	reg := &Registry{Persons: []Person{person}, Exams: exams, Diagnoses: dx, personIndex: map[string]int{"P1": 0}}
	linked, sum, err := LinkOutcomes(reg, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Exams != len(exams) || sum.ScreenDetected+sum.Interval+sum.Negative+sum.Unknown+sum.Excluded != sum.Exams {
		t.Errorf("summary %+v does not add up", sum)
	}
	var out []Outcome
	var days []int
	for _, le := range linked {
		out = append(out, le.Outcome)
		days = append(days, le.DaysToDiagnosis)
	}
	return out, days
}

func exam(date string, recall bool) Exam {
	return Exam{Date: d(date), Recall: recall, Consensus: -1, AIScore: math.NaN()}
}

func breast(date string) Diagnosis { return Diagnosis{Date: d(date), ICD10: "C50.9", Behaviour: 3} }

func TestLinkOutcomes(t *testing.T) {
	end := d("2024-12-31")
	opts := DefaultLinkOptions()
	opts.EndOfData = end
	tests := []struct {
		name   string
		person Person
		exams  []Exam
		dx     []Diagnosis
		opts   *LinkOptions
		want   []Outcome
		days   []int
	}{
		{name: "negative with complete follow-up",
			exams: []Exam{exam("2010-03-01", false)},
			want:  []Outcome{Negative}, days: []int{-1}},
		{name: "screen-detected inside window",
			exams: []Exam{exam("2010-03-01", true)}, dx: []Diagnosis{breast("2010-04-15")},
			want: []Outcome{ScreenDetected}, days: []int{45}},
		{name: "screen-detected on the last day of the 6-month window",
			exams: []Exam{exam("2010-03-01", true)}, dx: []Diagnosis{breast("2010-09-01")},
			want: []Outcome{ScreenDetected}, days: []int{184}},
		{name: "recall, cancer the day after the window: interval",
			exams: []Exam{exam("2010-03-01", true)}, dx: []Diagnosis{breast("2010-09-02")},
			want: []Outcome{Interval}, days: []int{185}},
		{name: "month-end clamping: 2009-08-31 + 6 months = 2010-02-28",
			exams: []Exam{exam("2009-08-31", true)}, dx: []Diagnosis{breast("2010-02-28")},
			want: []Outcome{ScreenDetected}, days: []int{181}},
		{name: "interval cancer on the last day of the 24-month window",
			exams: []Exam{exam("2010-03-01", false)}, dx: []Diagnosis{breast("2012-03-01")},
			want: []Outcome{Interval}, days: []int{731}},
		{name: "cancer the day after the interval window: negative",
			exams: []Exam{exam("2010-03-01", false)}, dx: []Diagnosis{breast("2012-03-02")},
			want: []Outcome{Negative}, days: []int{-1}},
		{name: "not recalled, cancer a week later: interval",
			exams: []Exam{exam("2010-03-01", false)}, dx: []Diagnosis{breast("2010-03-08")},
			want: []Outcome{Interval}, days: []int{7}},
		{name: "next exam before the window ends: the cancer belongs to the next exam",
			exams: []Exam{exam("2010-03-01", false), exam("2011-09-01", true)}, dx: []Diagnosis{breast("2011-10-01")},
			want: []Outcome{Negative, ScreenDetected}, days: []int{-1, 30}},
		{name: "cancer on the day of the next exam belongs to the next exam",
			exams: []Exam{exam("2010-03-01", false), exam("2011-09-01", false)}, dx: []Diagnosis{breast("2011-09-01")},
			want: []Outcome{Negative, Interval}, days: []int{-1, 0}},
		{name: "death inside the window: unknown",
			person: Person{DeathDate: d("2011-01-01")},
			exams:  []Exam{exam("2010-03-01", false)},
			want:   []Outcome{Unknown}, days: []int{-1}},
		{name: "death on the window's last day: negative",
			person: Person{DeathDate: d("2012-03-01")},
			exams:  []Exam{exam("2010-03-01", false)},
			want:   []Outcome{Negative}, days: []int{-1}},
		{name: "emigration inside the window: unknown",
			person: Person{EmigrationDate: d("2011-06-30")},
			exams:  []Exam{exam("2010-03-01", false)},
			want:   []Outcome{Unknown}, days: []int{-1}},
		{name: "cancer before death inside the window: still interval",
			person: Person{DeathDate: d("2011-06-01")},
			exams:  []Exam{exam("2010-03-01", false)}, dx: []Diagnosis{breast("2011-01-10")},
			want: []Outcome{Interval}, days: []int{315}},
		{name: "end of data inside the window: unknown",
			exams: []Exam{exam("2024-01-10", false)},
			want:  []Outcome{Unknown}, days: []int{-1}},
		{name: "recalled, benign, died before the interval ended: unknown",
			person: Person{DeathDate: d("2010-06-01")},
			exams:  []Exam{exam("2010-03-01", true)},
			want:   []Outcome{Unknown}, days: []int{-1}},
		{name: "cancer before the exam: excluded",
			exams: []Exam{exam("2010-03-01", false)}, dx: []Diagnosis{breast("2008-05-01")},
			want: []Outcome{Excluded}, days: []int{-1}},
		{name: "two cancers: the first in the window decides",
			exams: []Exam{exam("2010-03-01", true)}, dx: []Diagnosis{breast("2011-01-01"), breast("2010-04-01")},
			want: []Outcome{ScreenDetected}, days: []int{31}},
		{name: "two cancers, the first before the exam: excluded",
			exams: []Exam{exam("2010-03-01", false)}, dx: []Diagnosis{breast("2009-01-01"), breast("2010-06-01")},
			want: []Outcome{Excluded}, days: []int{-1}},
		{name: "other sites do not count",
			exams: []Exam{exam("2010-03-01", true)}, dx: []Diagnosis{{Date: d("2010-04-01"), ICD10: "C18.7", Behaviour: 3}},
			want: []Outcome{Negative}, days: []int{-1}},
		{name: "in situ counts by default",
			exams: []Exam{exam("2010-03-01", true)}, dx: []Diagnosis{{Date: d("2010-04-01"), ICD10: "D05.1", Behaviour: 2}},
			want: []Outcome{ScreenDetected}, days: []int{31}},
		{name: "in situ left out with ExcludeInSitu; the later invasive cancer is an interval cancer",
			exams: []Exam{exam("2010-03-01", true)},
			dx:    []Diagnosis{{Date: d("2010-04-01"), ICD10: "C50.4", Behaviour: 2}, breast("2011-04-01")},
			opts:  &LinkOptions{ScreenDetected: Window{Months: 6}, Interval: Window{Months: 24}, ExcludeInSitu: true, EndOfData: end},
			want:  []Outcome{Interval}, days: []int{396}},
		{name: "a 12-month interval window",
			exams: []Exam{exam("2010-03-01", false)}, dx: []Diagnosis{breast("2011-06-01")},
			opts: &LinkOptions{ScreenDetected: Window{Months: 6}, Interval: Window{Months: 12}, EndOfData: end},
			want: []Outcome{Negative}, days: []int{-1}},
		{name: "exams out of date order are linked in date order",
			exams: []Exam{exam("2012-03-01", false), exam("2010-03-01", false)}, dx: []Diagnosis{breast("2013-01-01")},
			want: []Outcome{Interval, Negative}, days: []int{306, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts
			if tt.opts != nil {
				o = *tt.opts
			}
			got, days := linkOne(t, tt.person, tt.exams, tt.dx, o)
			for i := range tt.want {
				if got[i] != tt.want[i] || days[i] != tt.days[i] {
					t.Errorf("exam %d: %s, %d days; want %s, %d days", i, got[i], days[i], tt.want[i], tt.days[i])
				}
			}
		})
	}
}

func TestParseWindow(t *testing.T) {
	tests := []struct {
		in   string
		want Window
		err  bool
	}{
		{"6m", Window{Months: 6}, false},
		{"24", Window{Months: 24}, false},
		{"2y", Window{Months: 24}, false},
		{"180d", Window{Days: 180}, false},
		{"-1m", Window{}, true},
		{"6w", Window{}, true},
		{"m", Window{}, true},
	}
	for _, tt := range tests {
		got, err := ParseWindow(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseWindow(%q) = %v, %v", tt.in, got, err)
		}
	}
}
