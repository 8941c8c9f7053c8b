package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/report"
)

type triageOptions struct {
	f           *factory
	Data        string
	Score       string
	Scores      string
	Strategies  []string
	Threshold   string
	Bootstrap   int
	Level       float64
	Sweep       string
	SweepPoints int
	Plot        string
	CalibrateOn string
	EvaluateOn  string
	Score2      string
	By          string
	Review      string
	StratFile   string
	plotFlags
}

func newCmdTriage(f *factory) *cobra.Command {
	cmd := &cobra.Command{Use: "triage <command>", Short: "AI-assisted reading strategies on past screening rounds"}
	cmd.AddCommand(newCmdTriageSimulate(f, nil), newCmdTriagePriors(f), newCmdTriageReaders(f), newCmdTriageDrift(f))
	return cmd
}

func newCmdTriageSimulate(f *factory, runF func(*triageOptions) error) *cobra.Command {
	opts := &triageOptions{f: f}
	cmd := &cobra.Command{
		Use:   "simulate --data F --score COL [--strategies ...]",
		Short: "Replay past rounds under AI-assisted reading strategies",
		Long: `Replay linked exams (screenlab link) of independent double reading with
consensus under reading strategies that use an AI score, and compare each with
the observed double reading: human reads, consensus discussions, recalls,
screen-detected and interval cancers, recall rate, cancer detection rate per
1000, PPV, sensitivity, specificity, the change in reads and in detections.

Strategies (join with + to combine; each with a threshold rule after a colon):
  ai-second-reader  reader 2 is replaced by the AI (score >= threshold)
  triage-single     exams below the threshold are read by reader 1 only
  rule-out          exams below the threshold get no human reading
  fast-track        exams at or above the threshold go to consensus

Threshold rules: a cut-off (0.3 or cut=0.3); fraction=F (the score's F
quantile: rule-out:fraction=0.5 rules out the lowest half); match=reader-rate
(the AI flags as many exams as reader 1), match=consensus-rate (as many as went
to consensus), match=sensitivity (the highest threshold keeping the observed
sensitivity). --threshold RULE applies to every step that names no rule;
otherwise ai-second-reader:match=reader-rate, triage-single and
rule-out:fraction=0.5, fast-track:fraction=0.98.

Exams that only the AI flags were never discussed at consensus: each strategy
gives a "dismissed" row (not recalled) and a "recalled" row (recalled, an
interval cancer at that exam counted as detected: the optimistic bound).
Differences from the observed strategy get exact McNemar p-values (detections
among cancers, recalls among exams) and, with --bootstrap N, percentile
intervals from resampling women (seeded by --seed). Exams of unknown outcome,
without a score, or whose reader flags and consensus disagree are counted and
left out. --sweep KIND tabulates KIND at every quantile threshold (--plot F.svg
draws workload against sensitivity and recall).

Thresholds as a programme sets them: --calibrate-on year<=2021 --evaluate-on
year>=2022 resolves every threshold rule on the first exams and replays the
strategies on the others (filters: COL OP VALUE joined by &, over year, date,
round, screening_unit, density or any column of the table). Two-score
products: --score2 COL names the second ("suspicious") score and the step
fast-track-suspicious fast-tracks exams at or above its threshold (a cut-off or
fraction=F of the second score), e.g. rule-out:0.1+fast-track-suspicious:0.9
(rule-out applies first). Thresholds a programme has fixed can come from a file:
--strategies-file F, one strategy a line with its cut-offs
(rule-out:0.5312+fast-track:0.9217; # starts a comment).

--by COL adds every strategy by subgroup (thresholds resolved once, on all the
exams or --calibrate-on's, as a programme applies one threshold everywhere): the
change in reads, recall rate and sensitivity per group, and Cochran's Q test of
whether each change differs between the groups (the interaction: does the effect
differ by vendor?). Columns: any of the table (vendor, ai_version), density,
age_group (five years), round_type (prevalent, incident), screening_unit, year.

--review F (exam_id of an interval cancer's last screen, review: true-interval,
minimal-signs, missed or occult) adds to every strategy a "reviewed" row, where
an interval cancer the AI flagged counts as detected only when its review found
it actionable (missed or minimal signs) instead of the optimistic "recalled"
bound, the number of AI-flagged interval cancers that were actionable, and the
AI's score by review class. Every strategy also counts the cancers it loses and
gains by in situ or invasive and stage (characteristics).`,
		Example: `  screenlab triage simulate --data reg/linked.csv --score ai_score --bootstrap 1000
  screenlab triage simulate --data reg/linked.csv --strategies rule-out:fraction=0.5,rule-out:0.1+fast-track:fraction=0.99 --sweep rule-out --plot sweep.svg
  screenlab triage simulate --data reg/linked.csv --scores triage_scores.csv --score exam_score
  screenlab triage simulate --data reg/linked.csv --strategies rule-out,triage-single --threshold match=sensitivity
  screenlab triage simulate --data reg/linked.csv --calibrate-on 'year<=2021' --evaluate-on 'year>=2022' \
    --score2 ai_score_suspicious --strategies 'rule-out:fraction=0.5+fast-track-suspicious:fraction=0.98'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Data == "" {
				return flagErrorf("--data is required")
			}
			if opts.Plot != "" && opts.Sweep == "" {
				return flagErrorf("--plot draws the --sweep")
			}
			if runF != nil {
				return runF(opts)
			}
			res, err := simulateTriage(opts)
			if err != nil {
				return err
			}
			return opts.f.write(res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Data, "data", "", "linked exams `FILE`")
	fl.StringVar(&opts.Score, "score", "ai_score", "AI score `COL` (of --data, or of --scores)")
	fl.StringVar(&opts.Scores, "scores", "", "take the score from this `FILE` (exam_id and --score), e.g. screenlab score's output")
	fl.StringSliceVar(&opts.Strategies, "strategies", strategy.DefaultStrategies, "strategies to simulate")
	fl.StringVar(&opts.Threshold, "threshold", "", "threshold `RULE` for the strategies that name none (default: each kind's own)")
	fl.IntVar(&opts.Bootstrap, "bootstrap", 0, "bootstrap replicates (women resampled) for intervals of the differences")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.StringVar(&opts.Sweep, "sweep", "", "sweep the thresholds of this strategy `KIND`")
	fl.IntVar(&opts.SweepPoints, "sweep-points", 50, "thresholds in the sweep")
	fl.StringVar(&opts.Plot, "plot", "", "draw the sweep to `FILE` (.png, .svg or .pdf)")
	fl.StringVar(&opts.CalibrateOn, "calibrate-on", "", "fix the thresholds on the exams of `FILTER` (e.g. year<=2021)")
	fl.StringVar(&opts.EvaluateOn, "evaluate-on", "", "replay the strategies on the exams of `FILTER` (e.g. year>=2022)")
	fl.StringVar(&opts.Score2, "score2", "", "the second (suspicious) score `COL`, for fast-track-suspicious")
	fl.StringVar(&opts.StratFile, "strategies-file", "", "read the strategies from `FILE`, one a line (# comments): thresholds a programme fixed, e.g. rule-out:0.5312+fast-track:0.9217")
	fl.StringVar(&opts.Review, "review", "", "interval cancer reviews `FILE` (exam_id of the last screen, review: true-interval, minimal-signs, missed, occult)")
	fl.StringVar(&opts.By, "by", "", "also every strategy by `COL` (vendor, ai_version, density, age_group, round_type, screening_unit, …) with interaction tests")
	opts.plotFlags.add(cmd)
	return cmd
}

// simulateTriage reads the exams and scores, replays the strategies and
// draws the sweep.
func simulateTriage(opts *triageOptions) (*strategy.TriageReport, error) {
	linked, extra, _, err := datasets.ReadAll(opts.Data, datasets.LinkedSchema, datasets.ReadOptions{})
	if err != nil {
		return nil, err
	}
	score, ok := strategy.ColumnScore(linked, extra, opts.Score)
	if opts.Scores != "" {
		fr, err := datasets.ReadFrameColumns(opts.Scores, "exam_id", opts.Score)
		if err != nil {
			return nil, err
		}
		ids, err := fr.Strings("exam_id")
		if err != nil {
			return nil, err
		}
		vals, err := fr.Floats(opts.Score, true)
		if err != nil {
			return nil, err
		}
		score, ok = strategy.JoinedScore(linked, ids, vals), true
	}
	if !ok {
		return nil, flagErrorf("--score %s: no such column in %s", opts.Score, opts.Data)
	}
	if opts.StratFile != "" {
		var err error
		if opts.Strategies, err = strategy.ReadStrategies(opts.StratFile); err != nil {
			return nil, flagErrorf("--strategies-file: %v", err)
		}
	}
	var review map[string]string
	if opts.Review != "" {
		if review, err = strategy.ReadReviews(opts.Review); err != nil {
			return nil, err
		}
	}
	var score2 func(int) float64
	if opts.Score2 != "" {
		if score2, ok = strategy.ColumnScore(linked, extra, opts.Score2); !ok {
			return nil, flagErrorf("--score2 %s: no such column in %s", opts.Score2, opts.Data)
		}
	}
	rep, err := strategy.Replay(linked, score, strategy.ReplayOptions{Strategies: opts.Strategies, Threshold: opts.Threshold,
		Bootstrap: opts.Bootstrap, Seed: opts.f.Seed, Level: opts.Level, ScoreName: opts.Score, Sweep: opts.Sweep, SweepPoints: opts.SweepPoints,
		CalibrateOn: opts.CalibrateOn, EvaluateOn: opts.EvaluateOn, Extra: extra, Score2: score2, Score2Name: opts.Score2, By: opts.By, Review: review})
	var se *strategy.SpecError
	if errors.As(err, &se) {
		return nil, &flagError{Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opts.Data, err)
	}
	if left := rep.Excluded; left.MissingScore+left.InconsistentRdr > 0 {
		opts.f.IO.Notef("left out: %d exams without a score, %d whose reader flags and consensus disagree", left.MissingScore, left.InconsistentRdr)
	}
	if opts.Plot != "" {
		po, err := opts.plotFlags.options()
		if err != nil {
			return nil, err
		}
		b := rep.Strategies[0]
		if err := report.WriteTriageSweep(opts.Plot, "Reading strategy "+opts.Sweep+": workload against detection", rep.Sweep, b.Sensitivity, b.RecallRate, po); err != nil {
			return nil, err
		}
	}
	return rep, nil
}
