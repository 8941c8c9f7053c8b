package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/prom"
)

func newCmdProm(f *factory) *cobra.Command {
	cmd := &cobra.Command{Use: "prom <command>", Short: "Patient-reported outcomes: score questionnaires"}
	cmd.AddCommand(newCmdPromScore(f))
	return cmd
}

func newCmdPromScore(f *factory) *cobra.Command {
	var instrument, data, id, items, out, baseline, eligible string
	var mid float64
	cmd := &cobra.Command{
		Use:   "score --instrument qlq-c30 --data F --id COL --out F",
		Short: "Score EORTC QLQ-C30 questionnaires as the scoring manual says",
		Long: `Score each respondent's EORTC QLQ-C30 (version 3.0) by the EORTC scoring manual
(Fayers et al. 2001): the 15 scales (global health status; physical, role,
emotional, cognitive and social functioning; fatigue, nausea and vomiting, pain,
dyspnoea, insomnia, appetite loss, constipation, diarrhoea, financial
difficulties) from the mean of the answered items when at least half are
answered, on 0-100, and the summary score (Giesinger et al. 2016) when all 13 of
its scales are scored. Items are the columns q1 ... q30 (--items sets the
prefix), answers 1-4 (items 29-30: 1-7), empty when not answered; any other
answer is an error naming file, line and column.

Each respondent's scores go to --out (the column --id, answered, ql ... fi,
c30_summary); the command prints how many were scored and each scale's mean.
--eligible F (a table with the --id column: the patients asked) adds the
response rate; --baseline F (earlier questionnaires, same columns) adds each
scale's change: the patients improved, stable or deteriorated by at least --mid
points (10: a moderate change to patients, Osoba et al. 1998).`,
		Example: `  screenlab prom score --instrument qlq-c30 --data proms.csv --id respondent --out scores.csv`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if instrument != "qlq-c30" {
				return flagErrorf("--instrument %q: only qlq-c30 is built so far", instrument)
			}
			if data == "" || id == "" || out == "" {
				return flagErrorf("--data, --id and --out are required")
			}
			fr, err := datasets.ReadFrame(data)
			if err != nil {
				return err
			}
			rows, err := prom.ScoreQLQC30Frame(fr, id, items)
			if err != nil {
				return err
			}
			if err := prom.WriteQLQC30(out, id, rows); err != nil {
				return err
			}
			res := prom.SummariseQLQC30(rows)
			res.Output = out
			if eligible != "" {
				ef, err := datasets.ReadFrame(eligible)
				if err != nil {
					return err
				}
				ids, err := ef.Strings(id)
				if err != nil {
					return err
				}
				res.Answered, res.Eligible = prom.ResponseRate(ids, rows)
				if res.Eligible > 0 {
					res.ResponseRate = float64(res.Answered) / float64(res.Eligible)
				}
			}
			if baseline != "" {
				bf, err := datasets.ReadFrame(baseline)
				if err != nil {
					return err
				}
				base, err := prom.ScoreQLQC30Frame(bf, id, items)
				if err != nil {
					return err
				}
				res.MID = mid
				res.Change = prom.ChangeFromBaseline(base, rows, mid)
			}
			f.IO.Notef("scored %d questionnaires into %s", len(rows), out)
			return f.write(res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&instrument, "instrument", "qlq-c30", "the questionnaire: qlq-c30")
	fl.StringVar(&data, "data", "", "answers `FILE`, one row per questionnaire")
	fl.StringVar(&id, "id", "", "the `COL` naming the respondent")
	fl.StringVar(&items, "items", "q", "the items' column `PREFIX` (q: q1 ... q30)")
	fl.StringVar(&out, "out", "", "write each respondent's scores to `FILE`")
	fl.StringVar(&eligible, "eligible", "", "the patients asked, a `FILE` with the --id column (adds the response rate)")
	fl.StringVar(&baseline, "baseline", "", "baseline questionnaires `FILE` (adds the change per scale)")
	fl.Float64Var(&mid, "mid", 10, "minimal important difference in `POINTS`")
	return cmd
}
