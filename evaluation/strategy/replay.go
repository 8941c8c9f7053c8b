package strategy

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/screenlab/screenlab/datasets"
)

// ReplayOptions control Replay: the strategies (as ParseStrategyRule reads
// them, with Threshold the rule of steps that name none), the bootstrap,
// and an optional threshold sweep of one strategy kind.
type ReplayOptions struct {
	Strategies  []string
	Threshold   string
	Bootstrap   int
	Seed        uint64
	Level       float64
	ScoreName   string
	Sweep       string
	SweepPoints int
	// CalibrateOn and EvaluateOn (ParseExamFilter: "year<=2021",
	// "year>=2022") fix the threshold rules on one set of exams and replay
	// the strategies on another.
	CalibrateOn, EvaluateOn string
	Extra                   []string // the linked table's extra columns, for the filters
	// Score2 gives each exam's second score (fast-track-suspicious).
	Score2     func(int) float64
	Score2Name string
	// Review gives interval cancers' review classes by the exam_id of
	// their last screen (ReviewClasses); it adds a "reviewed" row to every
	// strategy and the scores by class.
	Review map[string]string
	// By (ExamColumn: vendor, ai_version, density, age_group, round_type,
	// …) adds every strategy by subgroup with interaction tests.
	By string
}

// SpecError is a strategy or sweep the options name wrongly (a usage
// error).
type SpecError struct{ Err error }

func (e *SpecError) Error() string { return e.Err.Error() }
func (e *SpecError) Unwrap() error { return e.Err }

// Replay replays linked exams under reading strategies: it checks the
// exams (TriageInput, with score giving each exam's score; NaN = missing),
// runs SimulateTriage, and, when asked, TriageSweep. The report counts the
// exams left out and why.
func Replay(linked []datasets.LinkedExam, score func(int) float64, opts ReplayOptions) (*TriageReport, error) {
	var calib []TriageExam
	if opts.CalibrateOn != "" || opts.EvaluateOn != "" {
		if opts.CalibrateOn == "" || opts.EvaluateOn == "" {
			return nil, &SpecError{fmt.Errorf("--calibrate-on and --evaluate-on go together")}
		}
		cal, err := selectExams(linked, opts.CalibrateOn, opts.Extra)
		if err != nil {
			return nil, &SpecError{fmt.Errorf("--calibrate-on: %v", err)}
		}
		ev, err := selectExams(linked, opts.EvaluateOn, opts.Extra)
		if err != nil {
			return nil, &SpecError{fmt.Errorf("--evaluate-on: %v", err)}
		}
		calib, _ = triageInputOf(linked, cal, score, opts.Score2)
		if len(calib) == 0 {
			return nil, &SpecError{fmt.Errorf("--calibrate-on %s: no exam with an outcome and a score", opts.CalibrateOn)}
		}
		sub := make([]datasets.LinkedExam, len(ev))
		for k, i := range ev {
			sub[k] = linked[i]
		}
		s, s2 := score, opts.Score2
		score = func(k int) float64 { return s(ev[k]) }
		if s2 != nil {
			opts.Score2 = func(k int) float64 { return s2(ev[k]) }
		}
		linked = sub
	}
	all := make([]int, len(linked))
	for i := range all {
		all[i] = i
	}
	exams, left := triageInputOf(linked, all, score, opts.Score2)
	if opts.Review != nil {
		for i := range exams {
			if exams[i].Outcome == datasets.Interval {
				exams[i].Review = opts.Review[linked[exams[i].Index].ID]
			}
		}
	}
	var specs []StrategySpec
	for _, s := range opts.Strategies {
		sp, err := ParseStrategyRule(s, opts.Threshold)
		if err != nil {
			return nil, &SpecError{fmt.Errorf("--strategies: %v", err)}
		}
		specs = append(specs, sp)
	}
	rep, err := SimulateTriage(exams, specs, TriageOptions{Bootstrap: opts.Bootstrap, Seed: opts.Seed, Level: opts.Level, Calibrate: calib})
	if err != nil {
		return nil, fmt.Errorf("%w (left out: %d without outcome, %d without a score, %d inconsistent)", err, left.NoOutcome, left.MissingScore, left.InconsistentRdr)
	}
	rep.Excluded = left
	rep.Score = opts.ScoreName
	rep.CalibrateOn, rep.EvaluateOn, rep.Score2 = opts.CalibrateOn, opts.EvaluateOn, opts.Score2Name
	if opts.Review != nil {
		rep.Reviews = ReviewScores(exams)
	}
	if opts.By != "" {
		get, err := ExamColumn(opts.By, opts.Extra)
		if err != nil {
			return nil, &SpecError{fmt.Errorf("--by: %v", err)}
		}
		group := make([]string, len(exams))
		for i := range exams {
			group[i] = get(&linked[exams[i].Index])
		}
		if rep.Subgroups, err = Subgroups(exams, group, opts.By, specs, calib); err != nil {
			return nil, &SpecError{err}
		}
	}
	if opts.Sweep != "" {
		if rep.Sweep, err = TriageSweep(exams, opts.Sweep, opts.SweepPoints); err != nil {
			return nil, &SpecError{fmt.Errorf("--sweep: %v", err)}
		}
		rep.SweepStrategy = opts.Sweep
	}
	return rep, nil
}

// ColumnScore returns each linked exam's score from the ai_score field or
// an extra column of the linked table (a value that is not a number is
// missing), and false when there is no such column.
func ColumnScore(linked []datasets.LinkedExam, extra []string, name string) (func(int) float64, bool) {
	if name == "ai_score" {
		return func(i int) float64 { return linked[i].AIScore }, true
	}
	for c, col := range extra {
		if col == name {
			return func(i int) float64 {
				v, ok := datasets.ParseNumber(linked[i].Extra[c])
				if !ok {
					return math.NaN()
				}
				return v
			}, true
		}
	}
	return nil, false
}

// JoinedScore returns each linked exam's score from a separate table of
// exam ids and scores (screenlab score's output); exams it lacks are
// missing.
func JoinedScore(linked []datasets.LinkedExam, ids []string, scores []float64) func(int) float64 {
	by := make(map[string]float64, len(ids))
	for i, id := range ids {
		by[id] = scores[i]
	}
	return func(i int) float64 {
		if v, ok := by[linked[i].ID]; ok {
			return v
		}
		return math.NaN()
	}
}

// triageInputOf is TriageInput over the linked exams at idx, with the
// second score when there is one.
func triageInputOf(linked []datasets.LinkedExam, idx []int, score, score2 func(int) float64) ([]TriageExam, TriageLeft) {
	sub := make([]datasets.LinkedExam, len(idx))
	for k, i := range idx {
		sub[k] = linked[i]
	}
	var s2 func(int) float64
	if score2 != nil {
		s2 = func(k int) float64 { return score2(idx[k]) }
	}
	exams, left := triageInput(sub, func(k int) float64 { return score(idx[k]) }, s2)
	for j := range exams {
		exams[j].Index = idx[exams[j].Index]
	}
	return exams, left
}

// ReadReviews reads interval cancer reviews: exam_id (the last screen
// before the cancer) and review (one of ReviewClasses). An unknown class
// or an exam reviewed twice is an error naming file, line and column.
func ReadReviews(path string) (map[string]string, error) {
	fr, err := datasets.ReadFrame(path)
	if err != nil {
		return nil, err
	}
	ids, err := fr.Strings("exam_id")
	if err != nil {
		return nil, err
	}
	cls, err := fr.Strings("review")
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ids))
	for r, id := range ids {
		if !slices.Contains(ReviewClasses, cls[r]) {
			return nil, fr.Fail("review", r, datasets.ErrBadCode, "true-interval, minimal-signs, missed or occult")
		}
		if _, dup := out[id]; dup {
			return nil, fr.Fail("exam_id", r, datasets.ErrDuplicateID, "one review per exam")
		}
		out[id] = cls[r]
	}
	return out, nil
}

// ReadStrategies reads strategies from a file, one a line with its
// cut-offs (rule-out:0.5312+fast-track:0.9217; blank lines and lines
// starting with # are skipped): the thresholds a programme has fixed.
func ReadStrategies(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no strategy", path)
	}
	return out, nil
}

// ScoreColumnError is a score column the linked table lacks.
type ScoreColumnError struct{ Column, File string }

func (e *ScoreColumnError) Error() string {
	return fmt.Sprintf("score %s: no such column in %s", e.Column, e.File)
}

// ReadScored reads a linked exams table (screenlab link) and the score
// column each exam is replayed with (ai_score or an extra column).
func ReadScored(path, score string) ([]datasets.LinkedExam, []string, func(int) float64, error) {
	linked, extra, _, err := datasets.ReadAll(path, datasets.LinkedSchema, datasets.ReadOptions{})
	if err != nil {
		return nil, nil, nil, err
	}
	sc, ok := ColumnScore(linked, extra, score)
	if !ok {
		return nil, nil, nil, &ScoreColumnError{score, path}
	}
	return linked, extra, sc, nil
}
