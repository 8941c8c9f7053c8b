package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/prom"
)

func newCmdProm(f *factory) *cobra.Command {
	cmd := &cobra.Command{Use: "prom <command>", Short: "Patient-reported outcomes: score questionnaires, build and compare with norms"}
	cmd.AddCommand(newCmdPromScore(f), newCmdPromNorms(f))
	return cmd
}

func newCmdPromScore(f *factory) *cobra.Command {
	var job prom.ScoreJob
	var flags []string
	cmd := &cobra.Command{
		Use:   "score --instrument qlq-c30|epic-26 --data F --id COL --out F",
		Short: "Score EORTC QLQ-C30 or EPIC-26 questionnaires as their manuals say",
		Long: `Score each respondent's questionnaire as its manual says.

qlq-c30: the EORTC QLQ-C30 version 3.0 by the EORTC scoring manual (Fayers et
al. 2001): the 15 scales (ql; pf, rf, ef, cf, sf; fa, nv, pa, dy, sl, ap, co,
di, fi) from the mean of the answered items when at least half are answered, on
0-100, and the summary score c30_summary (Giesinger et al. 2016) when all 13 of
its scales are scored. Items q1 ... q30, answers 1-4 (q29, q30: 1-7).

epic-26: the Expanded Prostate Cancer Index Composite short form by its scoring
instructions (Szymanski et al. 2010): five domains (urinary_incontinence,
urinary_irritative, bowel, sexual, hormonal), each answer recoded to 0-100
(higher is better), a domain the mean of its answered items unless more than
20% are missing. Items q1, q2, q3, q4a ... q4e, q5, q6a ... q6e, q7, q8a, q8b,
q9 ... q12, q13a ... q13e as numbered on the form.

--items sets the prefix (q); an answer outside its item's range is an error
naming file, line and column. Each respondent's scores go to --out (the --id
column, the --keep columns, answered, each score, each --flag); the command
prints how many were scored and each score's mean.

  --flag poor_ui=urinary_incontinence<60  adds a 0/1 column (empty when the score
      is not scored): a PROM indicator per hospital, case-mix adjusted with
      screenlab casemix --data OUT --unit hospital --outcome poor_ui --covariates age,stage
  --eligible F   (a table with the --id column: the patients asked) adds the response rate
  --baseline F   (earlier questionnaires) adds each score's change: improved, stable or
      deteriorated by at least --mid points (10: a moderate change, Osoba et al. 1998)
  --norms F --sex COL --age COL   compares each score with population norms of the
      respondent's sex and age (a table: score, sex, age_from, age_to, mean, sd, n;
      screenlab prom norms builds one from a reference sample)`,
		Example: `  screenlab prom score --instrument qlq-c30 --data proms.csv --id person_id --out scores.csv \
    --norms norms.csv --sex sex --age age
  screenlab prom score --instrument epic-26 --data proms_epic26.csv --id person_id --out epic.csv \
    --keep hospital,age,stage --flag poor_ui=urinary_incontinence<60`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := prom.Lookup(job.Instrument); err != nil {
				return flagErrorf("--instrument: %v", err)
			}
			if job.Data == "" || job.ID == "" || job.Out == "" {
				return flagErrorf("--data, --id and --out are required")
			}
			for _, s := range flags {
				fl, err := prom.ParseFlag(s)
				if err != nil {
					return flagErrorf("--flag: %v", err)
				}
				job.Flags = append(job.Flags, fl)
			}
			res, err := job.Run()
			if err != nil {
				return err
			}
			f.IO.Notef("scored %d questionnaires into %s", res.Respondents, job.Out)
			return f.write(res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&job.Instrument, "instrument", "qlq-c30", "the questionnaire: qlq-c30 or epic-26")
	fl.StringVar(&job.Data, "data", "", "answers `FILE`, one row per questionnaire")
	fl.StringVar(&job.ID, "id", "", "the `COL` naming the respondent")
	fl.StringVar(&job.Prefix, "items", "q", "the items' column `PREFIX` (q: q1, q2, ...)")
	fl.StringSliceVar(&job.Keep, "keep", nil, "carry these `COLS` (hospital, age, ...) to --out")
	fl.StringArrayVar(&flags, "flag", nil, "add a 0/1 column `NAME=SCORE<VALUE` (< <= > >=)")
	fl.StringVar(&job.Out, "out", "", "write each respondent's scores to `FILE`")
	fl.StringVar(&job.Eligible, "eligible", "", "the patients asked, a `FILE` with the --id column (adds the response rate)")
	fl.StringVar(&job.Baseline, "baseline", "", "baseline questionnaires `FILE` (adds the change per score)")
	fl.Float64Var(&job.MID, "mid", 10, "minimal important difference in `POINTS`")
	fl.StringVar(&job.Norms, "norms", "", "population norms `FILE` by sex and age")
	fl.StringVar(&job.Sex, "sex", "", "the respondents' sex `COL` (with --norms)")
	fl.StringVar(&job.Age, "age", "", "the respondents' age `COL` in years (with --norms)")
	fl.Float64Var(&job.Level, "level", 0.95, "confidence level of the differences from the norms")
	return cmd
}

func newCmdPromNorms(f *factory) *cobra.Command {
	var job prom.NormsJob
	var bands []string
	cmd := &cobra.Command{
		Use:   "norms --instrument qlq-c30 --data F --id COL --sex COL --age COL --out F",
		Short: "Build a population norms table by sex and age from a reference sample",
		Long: `Score a general-population reference sample and write, per score, sex and age
band, the mean, SD and number scored: the table prom score --norms reads (the way
Hjermstad et al. 1998 gave Norwegian QLQ-C30 reference values). A published
table can be typed into the same columns: score, sex, age_from, age_to, mean,
sd, n. Bands are given by their lower ages (--bands 18,30,40,50,60,70; the last
runs to 120); a band with fewer than two scored has no SD and is left out;
respondents without sex or age, or younger than the first band, are counted in
left_out.`,
		Example: `  screenlab prom norms --instrument qlq-c30 --data population_qlq_c30.csv --id person_id \
    --sex sex --age age --out norms.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := prom.Lookup(job.Instrument); err != nil {
				return flagErrorf("--instrument: %v", err)
			}
			if job.Data == "" || job.ID == "" || job.Sex == "" || job.Age == "" || job.Out == "" {
				return flagErrorf("--data, --id, --sex, --age and --out are required")
			}
			var err error
			if job.Bands, err = prom.ParseAges(bands); err != nil {
				return flagErrorf("--bands: %v", err)
			}
			res, err := job.Run()
			if err != nil {
				return err
			}
			f.IO.Notef("wrote %d norms rows to %s", len(res.Rows), job.Out)
			return f.write(res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&job.Instrument, "instrument", "qlq-c30", "the questionnaire: qlq-c30 or epic-26")
	fl.StringVar(&job.Data, "data", "", "the reference sample's answers `FILE`")
	fl.StringVar(&job.ID, "id", "", "the `COL` naming the respondent")
	fl.StringVar(&job.Prefix, "items", "q", "the items' column `PREFIX`")
	fl.StringVar(&job.Sex, "sex", "", "sex `COL`")
	fl.StringVar(&job.Age, "age", "", "age `COL` in years")
	fl.StringSliceVar(&bands, "bands", []string{"18", "30", "40", "50", "60", "70"}, "lower `AGES` of the bands")
	fl.StringVar(&job.Out, "out", "", "write the norms table to `FILE`")
	return cmd
}
