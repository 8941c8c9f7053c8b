package strategy_test

import (
	"fmt"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/strategy"
)

// Eight exams of double reading with consensus and an AI score. Ruling out
// the exams below the median score (no human reading) halves the reads (8
// exams × 2 readers = 16, then 4 × 2): of the two screen-detected cancers,
// the one the AI scored 0.2 is lost and surfaces as an interval cancer, so
// sensitivity falls from 2/3 (with D's interval cancer) to 1/3.
func ExampleSimulateTriage() {
	exams := []strategy.TriageExam{
		{Person: "A", Reader1: true, Reader2: true, Consensus: 1, Score: 0.9, Outcome: datasets.ScreenDetected},
		{Person: "B", Reader1: true, Reader2: false, Consensus: 1, Score: 0.2, Outcome: datasets.ScreenDetected},
		{Person: "C", Reader1: true, Reader2: false, Consensus: 0, Score: 0.7, Outcome: datasets.Negative},
		{Person: "D", Consensus: -1, Score: 0.8, Outcome: datasets.Interval},
		{Person: "E", Consensus: -1, Score: 0.1, Outcome: datasets.Negative},
		{Person: "F", Consensus: -1, Score: 0.3, Outcome: datasets.Negative},
		{Person: "G", Consensus: -1, Score: 0.6, Outcome: datasets.Negative},
		{Person: "H", Consensus: -1, Score: 0.4, Outcome: datasets.Negative},
	}
	ruleOut, err := strategy.ParseStrategy("rule-out:fraction=0.5")
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := strategy.SimulateTriage(exams, []strategy.StrategySpec{ruleOut}, strategy.TriageOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Strategies {
		fmt.Printf("%-21s %-9s reads %2d (%+.0f%%), recalls %d, screen-detected %d (%+d), sensitivity %.2f\n",
			r.Name, r.Assumption, r.Reads, 100*r.ReadsChange, r.Recalls, r.ScreenDetected, r.ScreenDetectedChange, r.Sensitivity)
	}
	// Output:
	// double                observed  reads 16 (+0%), recalls 2, screen-detected 2 (+0), sensitivity 0.67
	// rule-out:fraction=0.5 dismissed reads  8 (-50%), recalls 1, screen-detected 1 (-1), sensitivity 0.33
}
