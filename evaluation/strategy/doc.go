// Package strategy replays past screening rounds of independent double
// reading under AI-assisted reading strategies (AI as second reader,
// triage to single reading, rule-out, fast-track), with bounds for
// decisions never observed, exact McNemar tests and women-bootstrap
// intervals, and threshold sweeps.
//
// Entry points: Replay (the whole of screenlab triage simulate: check the
// exams, simulate, sweep), ColumnScore and JoinedScore (where the score
// comes from); underneath, TriageInput, ParseStrategyRule, SimulateTriage
// and TriageSweep.
package strategy
