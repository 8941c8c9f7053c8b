package datasets

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Outcome is the registry-confirmed outcome of a screening exam.
type Outcome string

// Outcomes of an exam (DESIGN.md, "Registry-confirmed outcomes of an exam").
const (
	ScreenDetected Outcome = "screen-detected"
	Interval       Outcome = "interval"
	Negative       Outcome = "negative"
	Unknown        Outcome = "unknown"
	// Excluded marks an exam of a woman who already had a breast cancer
	// diagnosed before the exam: a follow-up examination, not a screen, which
	// the European guidelines leave out of programme indicators.
	Excluded Outcome = "excluded"
)

// ParseOutcome checks an outcome label.
func ParseOutcome(s string) (Outcome, bool) {
	switch o := Outcome(s); o {
	case ScreenDetected, Interval, Negative, Unknown, Excluded:
		return o, true
	}
	return "", false
}

// Window is a length of time in calendar months plus days.
type Window struct {
	Months int
	Days   int
}

// ParseWindow parses "6m" (months), "2y" (years = 12 months) or "180d"
// (days); a bare number is months.
func ParseWindow(s string) (Window, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	unit := byte('m')
	if s != "" && (s[len(s)-1] < '0' || s[len(s)-1] > '9') {
		unit = s[len(s)-1]
		s = s[:len(s)-1]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return Window{}, fmt.Errorf("window %q: want a length such as 6m, 24m, 2y or 180d", s+string(unit))
	}
	switch unit {
	case 'm':
		return Window{Months: n}, nil
	case 'y':
		return Window{Months: 12 * n}, nil
	case 'd':
		return Window{Days: n}, nil
	}
	return Window{}, fmt.Errorf("window %q: unit must be d, m or y", s+string(unit))
}

// After returns the last day of the window that starts on d.
func (w Window) After(d Date) Date { return d.AddMonths(w.Months) + Date(w.Days) }

func (w Window) String() string {
	if w.Days != 0 {
		return fmt.Sprintf("%dd", w.Days+30*w.Months)
	}
	return fmt.Sprintf("%dm", w.Months)
}

// LinkOptions set the windows of LinkOutcomes.
type LinkOptions struct {
	// ScreenDetected is the window after a recalled exam in which a breast
	// cancer counts as screen-detected (default 6 months).
	ScreenDetected Window
	// Interval is the window after a negative exam (or a recall with a
	// benign outcome) in which a breast cancer is an interval cancer
	// (default 24 months); it ends early at the next screening exam.
	Interval Window
	// ExcludeInSitu leaves in situ tumours (D05, behaviour 2) out: only
	// invasive C50 cancers count.
	ExcludeInSitu bool
	// EndOfData is the last day of registry follow-up; NoDate means the
	// latest date found in the exams, diagnoses and persons.
	EndOfData Date
}

// DefaultLinkOptions are the windows of DESIGN.md.
func DefaultLinkOptions() LinkOptions {
	return LinkOptions{ScreenDetected: Window{Months: 6}, Interval: Window{Months: 24}, EndOfData: NoDate}
}

// LinkedExam is an exam with its registry-confirmed outcome.
type LinkedExam struct {
	Exam
	Outcome Outcome
	// DaysToDiagnosis is the time from the exam to the cancer that decided
	// the outcome, or -1.
	DaysToDiagnosis int
	DiagnosisDate   Date
	InSitu          bool
	Age             float64 // age at the exam in years (NaN without persons)
	Stage           string  // of the cancer that decided the outcome, as the diagnoses table gives it
}

// LinkSummary counts the outcomes; Exams is the sum of the others.
type LinkSummary struct {
	Exams          int    `json:"exams"`
	ScreenDetected int    `json:"screen_detected"`
	Interval       int    `json:"interval"`
	Negative       int    `json:"negative"`
	Unknown        int    `json:"unknown"`
	Excluded       int    `json:"excluded"`
	EndOfData      string `json:"end_of_data"`
	// Warnings say what the outcomes cannot show (no persons table: deaths
	// and emigrations cannot make an outcome unknown).
	Warnings []string `json:"warnings,omitempty"`
}

func (s *LinkSummary) add(o Outcome) {
	s.Exams++
	switch o {
	case ScreenDetected:
		s.ScreenDetected++
	case Interval:
		s.Interval++
	case Negative:
		s.Negative++
	case Unknown:
		s.Unknown++
	case Excluded:
		s.Excluded++
	}
}

// LinkOutcomes labels every exam of the registry with its outcome, by the
// rules of DESIGN.md:
//
//   - screen-detected: recalled, and a breast cancer diagnosed on a day in
//     [exam date, exam date + ScreenDetected];
//   - interval: not recalled, or recalled without a cancer in that window,
//     and a breast cancer diagnosed in [exam date, exam date + Interval] and
//     before the woman's next screening exam;
//   - negative: no such cancer, and follow-up (to death, emigration or the
//     end of data) reaches the end of the interval window or the next exam;
//   - unknown: no such cancer, and follow-up ends before that;
//   - excluded: a breast cancer was diagnosed before the exam date.
//
// The first qualifying cancer decides; windows end inclusively. Exams keep
// the order of reg.Exams.
func LinkOutcomes(reg *Registry, opts LinkOptions) ([]LinkedExam, LinkSummary, error) {
	if opts.ScreenDetected == (Window{}) && opts.Interval == (Window{}) {
		return nil, LinkSummary{}, fmt.Errorf("link: empty windows; start from DefaultLinkOptions")
	}
	end := opts.EndOfData
	if end == NoDate {
		end = reg.LatestDate()
	}
	var warnings []string
	if len(reg.Persons) == 0 {
		warnings = append(warnings, "no persons table: follow-up ends only at the end of data, so deaths and emigrations cannot make an outcome unknown")
	}
	cancers := map[string][]*Diagnosis{}
	for i := range reg.Diagnoses {
		d := &reg.Diagnoses[i]
		if !d.IsBreast() || (opts.ExcludeInSitu && d.InSitu()) || d.Behaviour == 0 || d.Behaviour == 1 {
			continue
		}
		cancers[d.PersonID] = append(cancers[d.PersonID], d)
	}
	for _, list := range cancers {
		sort.SliceStable(list, func(a, b int) bool { return list[a].Date < list[b].Date })
	}
	order := make([]int, len(reg.Exams))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ea, eb := &reg.Exams[order[a]], &reg.Exams[order[b]]
		if ea.PersonID != eb.PersonID {
			return ea.PersonID < eb.PersonID
		}
		return ea.Date < eb.Date
	})
	out := make([]LinkedExam, len(reg.Exams))
	var sum LinkSummary
	for k, idx := range order {
		e := &reg.Exams[idx]
		next := NoDate
		for j := k + 1; j < len(order); j++ {
			en := &reg.Exams[order[j]]
			if en.PersonID != e.PersonID {
				break
			}
			if en.Date > e.Date {
				next = en.Date
				break
			}
		}
		fuEnd := end
		age := math.NaN()
		if p := reg.Person(e.PersonID); p != nil {
			if x := p.ExitDate(); x != NoDate && x < fuEnd {
				fuEnd = x
			}
			age = YearsBetween(p.BirthDate, e.Date)
		}
		le := LinkedExam{Exam: *e, DaysToDiagnosis: -1, DiagnosisDate: NoDate, Age: age}
		le.Outcome, le.DiagnosisDate, le.InSitu, le.Stage = classify(e, cancers[e.PersonID], next, fuEnd, opts)
		if le.DiagnosisDate != NoDate {
			le.DaysToDiagnosis = int(le.DiagnosisDate - e.Date)
		}
		out[idx] = le
		sum.add(le.Outcome)
	}
	sum.EndOfData, sum.Warnings = end.String(), warnings
	return out, sum, nil
}

func classify(e *Exam, cancers []*Diagnosis, next, fuEnd Date, opts LinkOptions) (Outcome, Date, bool, string) {
	// cancers are sorted by date; the first on or after the exam decides.
	var first *Diagnosis
	if len(cancers) > 0 {
		if cancers[0].Date < e.Date {
			return Excluded, NoDate, false, ""
		}
		first = cancers[0]
	}
	if first != nil && e.Recall && first.Date <= opts.ScreenDetected.After(e.Date) {
		return ScreenDetected, first.Date, first.InSitu(), first.Stage
	}
	intEnd := opts.Interval.After(e.Date)
	if first != nil && first.Date <= intEnd && (next == NoDate || first.Date < next) {
		return Interval, first.Date, first.InSitu(), first.Stage
	}
	if (next != NoDate && next <= intEnd) || fuEnd >= intEnd {
		return Negative, NoDate, false, ""
	}
	return Unknown, NoDate, false, ""
}

// LatestDate is the latest date in the registry's tables: the end of data
// when none is given.
func (reg *Registry) LatestDate() Date {
	end := Date(math.MinInt32 + 1)
	for i := range reg.Exams {
		end = max(end, reg.Exams[i].Date)
	}
	for i := range reg.Diagnoses {
		end = max(end, reg.Diagnoses[i].Date)
	}
	for i := range reg.Persons {
		end = max(end, reg.Persons[i].DeathDate, reg.Persons[i].EmigrationDate)
	}
	return end
}

// LinkedColumns are the columns that LinkOutcomes adds to the exams table.
var LinkedColumns = []ColumnSpec{{"outcome", KindString}, {"days_to_diagnosis", KindInt},
	{"diagnosis_date", KindDate}, {"in_situ", KindBool}, {"age", KindFloat}, {"stage", KindString}}

// WriteLinkedExams writes linked exams: the exam columns, the extra columns
// the exams file had (extra names them), then LinkedColumns.
func WriteLinkedExams(path string, exams []LinkedExam, extra []string) error {
	return WriteTable(path, linkedSpecs(extra), func(w *TableWriter) error { return writeLinked(w, exams, extra) })
}

// LinkedFrame is linked exams as a frame in memory, with the columns and
// text WriteLinkedExams would write (as if read from a file called name).
func LinkedFrame(name string, exams []LinkedExam, extra []string) (*Frame, error) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf, linkedSpecs(extra))
	if err := writeLinked(w, exams, extra); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return ReadFrameFrom(&buf, name)
}

func linkedSpecs(extra []string) []ColumnSpec {
	cols := append(append([]ColumnSpec(nil), ExamColumns...), extraSpecs(extra)...)
	return append(cols, LinkedColumns...)
}

func writeLinked(w *TableWriter, exams []LinkedExam, extra []string) error {
	for i := range exams {
		le := &exams[i]
		w.WriteExamFields(&le.Exam)
		for k := range extra {
			if k < len(le.Extra) {
				w.String(le.Extra[k])
			} else {
				w.Null()
			}
		}
		w.String(string(le.Outcome))
		if le.DaysToDiagnosis >= 0 {
			w.Int(le.DaysToDiagnosis)
		} else {
			w.Null()
		}
		w.Date(le.DiagnosisDate)
		if le.DiagnosisDate != NoDate {
			w.Bool(le.InSitu)
		} else {
			w.Null()
		}
		w.Float(le.Age, 2)
		w.String(le.Stage)
		if err := w.EndRow(); err != nil {
			return err
		}
	}
	return nil
}

func extraSpecs(names []string) []ColumnSpec {
	out := make([]ColumnSpec, len(names))
	for i, n := range names {
		out[i] = ColumnSpec{n, KindString}
	}
	return out
}

// Columns of LinkedSchema beyond those of ExamSchema.
const (
	LinkedOutcome = ExamAIScore + 1 + iota
	LinkedDaysToDiagnosis
	LinkedDiagnosisDate
	LinkedInSitu
	LinkedAge
	LinkedStage
)

// LinkedSchema reads a linked exams table (the output of link): the exam
// columns, then outcome (required), days_to_diagnosis, diagnosis_date,
// in_situ, age and stage (of the deciding cancer; optional).
var LinkedSchema = &Schema[LinkedExam]{
	Table: "linked exams",
	Columns: append(append([]Column(nil), ExamSchema.Columns...),
		Column{Name: "outcome", Required: true, Want: "screen-detected, interval, negative, unknown or excluded"},
		Column{Name: "days_to_diagnosis", Want: "a number of days"},
		Column{Name: "diagnosis_date", Want: "YYYY-MM-DD or empty"},
		Column{Name: "in_situ", Want: "0, 1 or empty"},
		Column{Name: "age", Want: "an age in years"},
		Column{Name: "stage", Want: "the cancer's stage as the diagnoses table gives it"}),
	Parse: func(f *Fields, le *LinkedExam) {
		ExamSchema.Parse(f, &le.Exam)
		o, ok := ParseOutcome(f.String(LinkedOutcome, true))
		if !ok && f.Err() == nil {
			f.Fail(LinkedOutcome, ErrBadCode, "screen-detected, interval, negative, unknown or excluded")
		}
		le.Outcome = o
		le.DaysToDiagnosis = f.Int(LinkedDaysToDiagnosis, false, 0, 1<<30, -1)
		le.DiagnosisDate = f.Date(LinkedDiagnosisDate, false)
		le.InSitu, _ = f.Flag(LinkedInSitu, false)
		le.Age = f.Float(LinkedAge, false, 0, 130)
		le.Stage = f.String(LinkedStage, false)
	},
	Extra: func(le *LinkedExam, v []string) { le.Extra = v },
}
