package strategy

import (
	"fmt"
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
		var get func(*datasets.LinkedExam) string
		switch col {
		case "year":
			get = func(e *datasets.LinkedExam) string { y, _, _ := e.Date.Civil(); return strconv.Itoa(y) }
		case "date":
			if _, err := datasets.ParseDate(val); err != nil {
				return nil, fmt.Errorf("filter %q: %v", part, err)
			}
			get = func(e *datasets.LinkedExam) string { return e.Date.String() }
		case "round":
			get = func(e *datasets.LinkedExam) string { return strconv.Itoa(e.Round) }
		case "screening_unit":
			get = func(e *datasets.LinkedExam) string { return e.ScreeningUnit }
		case "density":
			get = func(e *datasets.LinkedExam) string { return e.Density }
		default:
			c := slices.Index(extra, col)
			if c < 0 {
				return nil, fmt.Errorf("filter %q: no column %s (year, date, round, screening_unit, density or a column of the table)", part, col)
			}
			get = func(e *datasets.LinkedExam) string { return e.Extra[c] }
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
