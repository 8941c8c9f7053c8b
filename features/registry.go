package features

import (
	"sort"
	"strconv"

	"github.com/screenlab/screenlab/datasets"
)

// RegistryColumns are the features RegistryFeatures derives, then the
// target and grouping columns it carries.
var RegistryColumns = []string{"exam_id", "person_id", "screening_unit", "year", "age", "prior_screens",
	"prior_recalls", "prior_benign_biopsy", "years_since_last", "density", "family_history", "bmi", "hrt",
	"ai_score", "cancer"}

// RegistryFeatures derives one row per screening exam from linked exams:
// age at the exam, number of prior screens and prior recalls of the woman,
// a prior benign biopsy, years since her last screen (empty for a first
// screen), density, family history, BMI and HRT (from the exams' extra
// columns when present, else empty), the AI score, and the target cancer =
// 1 for a screen-detected or interval cancer. Exams excluded by the link
// (prior breast cancer) and exams of unknown outcome (follow-up too short
// to know the label) are left out; the second result counts them.
func RegistryFeatures(exams []datasets.LinkedExam, extra []string) ([][]string, int) {
	col := func(name string) int {
		for i, x := range extra {
			if x == name {
				return i
			}
		}
		return -1
	}
	fh, bmi, hrt, benign := col("family_history"), col("bmi"), col("hrt"), col("prior_benign_biopsy")
	get := func(e *datasets.LinkedExam, k int) string {
		if k < 0 || k >= len(e.Extra) {
			return ""
		}
		return e.Extra[k]
	}
	order := make([]int, len(exams))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ea, eb := &exams[order[a]], &exams[order[b]]
		if ea.PersonID != eb.PersonID {
			return ea.PersonID < eb.PersonID
		}
		return ea.Date < eb.Date
	})
	rows := make([][]string, len(exams))
	excluded := 0
	var prevPerson string
	var screens, recalls int
	var last datasets.Date
	for _, i := range order {
		e := &exams[i]
		if e.PersonID != prevPerson {
			prevPerson, screens, recalls, last = e.PersonID, 0, 0, datasets.NoDate
		}
		if e.Outcome == datasets.Excluded || e.Outcome == datasets.Unknown {
			excluded++
			screens++ // still a prior screen for her later exams
			if e.Recall {
				recalls++
			}
			last = e.Date
			continue
		}
		y, _, _ := e.Date.Civil()
		since := ""
		if last != datasets.NoDate {
			since = strconv.FormatFloat(datasets.YearsBetween(last, e.Date), 'f', 3, 64)
		}
		cancer := "0"
		if e.Outcome == datasets.ScreenDetected || e.Outcome == datasets.Interval {
			cancer = "1"
		}
		age := ""
		if e.Age == e.Age {
			age = strconv.FormatFloat(e.Age, 'f', 2, 64)
		}
		ai := ""
		if e.AIScore == e.AIScore {
			ai = strconv.FormatFloat(e.AIScore, 'g', -1, 64)
		}
		rows[i] = []string{e.ID, e.PersonID, e.ScreeningUnit, strconv.Itoa(y), age, strconv.Itoa(screens),
			strconv.Itoa(recalls), get(e, benign), since, e.Density, get(e, fh), get(e, bmi), get(e, hrt), ai, cancer}
		screens++
		if e.Recall {
			recalls++
		}
		last = e.Date
	}
	out := rows[:0]
	for _, r := range rows {
		if r != nil {
			out = append(out, r)
		}
	}
	return out, excluded
}

// FeaturesResult reports WriteRegistryFeatures (the JSON of screenlab
// features).
type FeaturesResult struct {
	Rows    int    `json:"rows"`
	LeftOut int    `json:"left_out"`
	Output  string `json:"output"`
}

// WriteRegistryFeatures reads linked exams (lenient: bad rows to the
// rejects file) and writes their RegistryFeatures table to out.
func WriteRegistryFeatures(linked, out string, lenient bool) (*FeaturesResult, error) {
	exams, extra, _, err := datasets.ReadAll(linked, datasets.LinkedSchema, datasets.ReadOptions{Lenient: lenient})
	if err != nil {
		return nil, err
	}
	rows, left := RegistryFeatures(exams, extra)
	if err := WriteRegistryRows(out, rows); err != nil {
		return nil, err
	}
	return &FeaturesResult{Rows: len(rows), LeftOut: left, Output: out}, nil
}

// WriteRegistryRows writes rows of RegistryFeatures (columns
// RegistryColumns) to path (.csv, .csv.gz or .parquet).
func WriteRegistryRows(path string, rows [][]string) error {
	cols := make([]datasets.ColumnSpec, len(RegistryColumns))
	for i, c := range RegistryColumns {
		cols[i] = datasets.ColumnSpec{Name: c, Kind: datasets.KindString}
	}
	return datasets.WriteTable(path, cols, func(w *datasets.TableWriter) error {
		for _, r := range rows {
			for _, v := range r {
				w.String(v)
			}
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}
