package strategy

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
)

// selectExams returns the indices of the linked exams that ParseExamFilter's
// expression keeps.
func selectExams(linked []datasets.LinkedExam, expr string, extra []string) ([]int, error) {
	keep, err := ParseExamFilter(expr, extra)
	if err != nil {
		return nil, err
	}
	var idx []int
	for i := range linked {
		if keep(&linked[i]) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil, fmt.Errorf("%q keeps no exam", expr)
	}
	return idx, nil
}

// ParseExamFilter reads "COL OP VALUE" (OP one of <= >= < > = !=; several
// joined by &) over a linked exam: year (of the exam date), date
// (YYYY-MM-DD), round, screening_unit, density, or an extra column of the
// linked table. Numbers compare as numbers, the rest as text (= and !=
// only). An exam without the value is not kept.
func ParseExamFilter(expr string, extra []string) (func(*datasets.LinkedExam) bool, error) {
	var conds []func(*datasets.LinkedExam) bool
	for _, part := range strings.Split(expr, "&") {
		part = strings.TrimSpace(part)
		var col, op, val string
		for _, o := range []string{"<=", ">=", "!=", "<", ">", "="} {
			if i := strings.Index(part, o); i > 0 {
				col, op, val = strings.TrimSpace(part[:i]), o, strings.TrimSpace(part[i+len(o):])
				break
			}
		}
		if col == "" || val == "" {
			return nil, fmt.Errorf("filter %q: want COL OP VALUE, e.g. year<=2021", part)
		}
		if col == "date" {
			if _, err := datasets.ParseDate(val); err != nil {
				return nil, fmt.Errorf("filter %q: %v", part, err)
			}
		}
		get, err := ExamColumn(col, extra)
		if err != nil {
			return nil, fmt.Errorf("filter %q: %v", part, err)
		}
		want, numeric := strconv.ParseFloat(val, 64)
		isNum := numeric == nil
		if !isNum && col != "date" && op != "=" && op != "!=" {
			return nil, fmt.Errorf("filter %q: %s compares numbers; text takes = or !=", part, op)
		}
		conds = append(conds, func(e *datasets.LinkedExam) bool {
			s := get(e)
			if s == "" {
				return false
			}
			var c int
			if x, err := strconv.ParseFloat(s, 64); err == nil && isNum {
				switch {
				case x < want:
					c = -1
				case x > want:
					c = 1
				}
			} else {
				c = strings.Compare(s, val) // dates compare as text
			}
			switch op {
			case "<=":
				return c <= 0
			case ">=":
				return c >= 0
			case "<":
				return c < 0
			case ">":
				return c > 0
			case "!=":
				return c != 0
			}
			return c == 0
		})
	}
	return func(e *datasets.LinkedExam) bool {
		for _, c := range conds {
			if !c(e) {
				return false
			}
		}
		return true
	}, nil
}

// ExamColumn returns a getter of a linked exam's value of col: year (of
// the exam date), date, round, round_type (prevalent for a first round,
// incident after), screening_unit, density, age_group (50-54, 55-59, …,
// from the age at the exam), or an extra column of the linked table.
func ExamColumn(col string, extra []string) (func(*datasets.LinkedExam) string, error) {
	switch col {
	case "year":
		return func(e *datasets.LinkedExam) string { y, _, _ := e.Date.Civil(); return strconv.Itoa(y) }, nil
	case "date":
		return func(e *datasets.LinkedExam) string { return e.Date.String() }, nil
	case "round":
		return func(e *datasets.LinkedExam) string {
			if e.Round == 0 {
				return ""
			}
			return strconv.Itoa(e.Round)
		}, nil
	case "round_type":
		return func(e *datasets.LinkedExam) string {
			switch {
			case e.Round == 1:
				return "prevalent"
			case e.Round > 1:
				return "incident"
			}
			return ""
		}, nil
	case "screening_unit":
		return func(e *datasets.LinkedExam) string { return e.ScreeningUnit }, nil
	case "density":
		return func(e *datasets.LinkedExam) string { return e.Density }, nil
	case "age_group":
		return func(e *datasets.LinkedExam) string {
			if math.IsNaN(e.Age) {
				return ""
			}
			lo := 5 * int(math.Floor(e.Age/5))
			return fmt.Sprintf("%d-%d", lo, lo+4)
		}, nil
	}
	c := slices.Index(extra, col)
	if c < 0 {
		return nil, fmt.Errorf("no column %s (year, date, round, round_type, screening_unit, density, age_group or a column of the table)", col)
	}
	return func(e *datasets.LinkedExam) string { return e.Extra[c] }, nil
}
