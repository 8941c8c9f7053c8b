package main

import (
	"errors"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/report"
)

func newCmdTriagePriors(f *factory) *cobra.Command {
	var data, score string
	var tops []string
	var level float64
	cmd := &cobra.Command{
		Use:   "priors --data F [--score COL] [--top 0.1,0.05,0.02]",
		Short: "The AI's score of each cancer at the exam that found it and one and two rounds before",
		Long: `For every woman with a screen-detected or interval cancer, the AI score at her
index exam (where the cancer was found; the last screen before an interval
cancer) and at the one and two screening rounds before it, beside women without
cancer (their last negative exam and the rounds before): the number scored, the
mean and median score, and the share at or above each threshold with a Wilson
interval. Thresholds are given as the share of all scored exams above them
(--top 0.1: the highest score decile), as the retrospective studies in
BreastScreen Norway report how many cancers scored in the highest decile a round
earlier. Women whose every exam has an unknown outcome are counted and left out.`,
		Example: `  screenlab triage priors --data reg/linked.csv --top 0.1,0.02`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if data == "" {
				return flagErrorf("--data is required")
			}
			var tt []float64
			for _, s := range tops {
				v, err := strconv.ParseFloat(s, 64)
				if err != nil || !(v > 0 && v < 1) {
					return flagErrorf("--top %q: want shares between 0 and 1", s)
				}
				tt = append(tt, v)
			}
			linked, _, sc, err := readScored(data, score)
			if err != nil {
				return err
			}
			rep, err := strategy.Priors(linked, sc, score, tt, level)
			if err != nil {
				return err
			}
			return f.write(rep)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "linked exams `FILE` (screenlab link)")
	fl.StringVar(&score, "score", "ai_score", "AI score `COL`")
	fl.StringSliceVar(&tops, "top", []string{"0.1", "0.05", "0.02"}, "thresholds as `SHARES` of all exams above them")
	fl.Float64Var(&level, "level", 0.95, "confidence level")
	return cmd
}

func newCmdTriageReaders(f *factory) *cobra.Command {
	var data, r1, r2, plot string
	var sup int
	var level float64
	var pf plotFlags
	var format string
	cmd := &cobra.Command{
		Use:   "readers --data F [--reader1 COL --reader2 COL] [--suppress N] [--plot DIR]",
		Short: "Each radiologist's volume, recall, detection, PPV and sensitivity against the programme",
		Long: `Audit every reader of independent double reading from linked exams (screenlab
link) with the readers' ids (--reader1, --reader2: reader1_id, reader2_id): per
reader the reads, recall rate (their own flags per 100 reads), detection rate
(screen-detected cancers they flagged per 1000 reads), PPV of their flags and
the sensitivity of the exams they read (screen-detected among screen-detected
and interval cancers, per 100), each with a Wilson interval and a place in the
funnel around the programme's value (exact binomial 95% and 99.8% limits; the
programme's value counts every read, so an exam counts twice). --suppress N
hides counts below N and those that would reveal them (as screenlab
indicators). --plot DIR draws a funnel plot per indicator. Exams of unknown
outcome and reads without a reader id are counted and left out.`,
		Example: `  screenlab triage readers --data reg/linked.csv --suppress 5 --plot readers`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if data == "" {
				return flagErrorf("--data is required")
			}
			if sup != 0 && sup < 3 {
				return flagErrorf("--suppress %d: want at least 3", sup)
			}
			linked, extra, _, err := datasets.ReadAll(data, datasets.LinkedSchema, datasets.ReadOptions{})
			if err != nil {
				return err
			}
			audit, l, err := strategy.Readers(linked, extra, r1, r2, screening.IndicatorOptions{Level: level}, sup)
			if err != nil {
				return err
			}
			if plot != "" {
				po, err := pf.options()
				if err != nil {
					return err
				}
				if audit.Plots, err = report.WriteFunnelPlots(plot, audit, format, po); err != nil {
					return err
				}
			}
			if l.UnknownOutcome+l.NoReader > 0 {
				f.IO.Notef("left out: %d exams of unknown outcome, %d reads without a reader id", l.UnknownOutcome, l.NoReader)
			}
			return f.write(audit)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "linked exams `FILE` (screenlab link)")
	fl.StringVar(&r1, "reader1", "reader1_id", "first reader's id `COL`")
	fl.StringVar(&r2, "reader2", "reader2_id", "second reader's id `COL`")
	fl.IntVar(&sup, "suppress", 0, "hide counts below `N` (at least 3)")
	fl.Float64Var(&level, "level", 0.95, "confidence level")
	fl.StringVar(&plot, "plot", "", "draw a funnel plot per indicator into `DIR`")
	fl.StringVar(&format, "plot-format", "svg", "funnel plot format: svg, png or pdf")
	pf.add(cmd)
	return cmd
}

func newCmdTriageDrift(f *factory) *cobra.Command {
	var data, score, by, period, plot string
	var top float64
	var pf plotFlags
	cmd := &cobra.Command{
		Use:   "drift --data F --by COL [--period month|quarter|year] [--top 0.1] [--plot F]",
		Short: "The AI score's distribution over time by unit or vendor, with flags where it moves",
		Long: `Tabulate the AI score by group (--by: screening_unit, vendor, ai_version, or any
column of the linked exams) and period: the exams, the median score, and the
share at or above the threshold (--top 0.1: the score above which the top 10%
of all exams lie) with a Wilson interval, against the group's own share over all
its periods. A period outside the exact binomial 99.8% limits around it is
flagged (a p-chart): a unit whose scores move after a new machine or software
shows there. --plot draws the shares by period for every group.`,
		Example: `  screenlab triage drift --data reg/linked.csv --by vendor --period quarter --plot drift.svg`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if data == "" || by == "" {
				return flagErrorf("--data and --by are required")
			}
			if !(top > 0 && top < 1) {
				return flagErrorf("--top %g: want a share between 0 and 1", top)
			}
			linked, extra, sc, err := readScored(data, score)
			if err != nil {
				return err
			}
			get, err := strategy.ExamColumn(by, extra)
			if err != nil {
				return flagErrorf("--by: %v", err)
			}
			rep, err := strategy.Drift(linked, sc, get, by, strategy.DriftOptions{Period: period, Top: top})
			if err != nil {
				return flagErrorf("%v", err)
			}
			if plot != "" {
				po, err := pf.options()
				if err != nil {
					return err
				}
				if err := report.WriteDriftPlot(plot, rep, po); err != nil {
					return err
				}
			}
			if len(rep.Flagged) > 0 {
				f.IO.Notef("%d periods where a %s's scores moved (flag)", len(rep.Flagged), by)
			}
			return f.write(rep)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "linked exams `FILE` (screenlab link)")
	fl.StringVar(&score, "score", "ai_score", "AI score `COL`")
	fl.StringVar(&by, "by", "", "group `COL` (screening_unit, vendor, ai_version, …)")
	fl.StringVar(&period, "period", "month", "month, quarter or year")
	fl.Float64Var(&top, "top", 0.1, "threshold as the `SHARE` of all exams above it")
	fl.StringVar(&plot, "plot", "", "draw the shares by period to `FILE`")
	pf.add(cmd)
	return cmd
}

// readScored is strategy.ReadScored with a missing score column a usage
// error (--score).
func readScored(data, score string) ([]datasets.LinkedExam, []string, func(int) float64, error) {
	linked, extra, sc, err := strategy.ReadScored(data, score)
	var se *strategy.ScoreColumnError
	if errors.As(err, &se) {
		return nil, nil, nil, flagErrorf("--score %s: no such column in %s", score, data)
	}
	return linked, extra, sc, err
}
