package strategy

import (
	"fmt"
	"math"

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
	exams, left := TriageInput(linked, score)
	var specs []StrategySpec
	for _, s := range opts.Strategies {
		sp, err := ParseStrategyRule(s, opts.Threshold)
		if err != nil {
			return nil, &SpecError{fmt.Errorf("--strategies: %v", err)}
		}
		specs = append(specs, sp)
	}
	rep, err := SimulateTriage(exams, specs, TriageOptions{Bootstrap: opts.Bootstrap, Seed: opts.Seed, Level: opts.Level})
	if err != nil {
		return nil, fmt.Errorf("%w (left out: %d without outcome, %d without a score, %d inconsistent)", err, left.NoOutcome, left.MissingScore, left.InconsistentRdr)
	}
	rep.Excluded = left
	rep.Score = opts.ScoreName
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
