package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/evaluation/screening"
)

func newCmdScreening(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "screening <command>",
		Short: "Screening programme indicators",
	}
	cmd.AddCommand(newCmdScreeningMetrics(f, nil), newCmdScreeningCoverage(f), newCmdScreeningFITSweep(f),
		newCmdScreeningHPVRisk(f), newCmdScreeningSampling(f))
	return cmd
}

type screeningMetricsOptions struct {
	f           *factory
	Data        string
	By          []string
	Level       float64
	CI          string
	NoTotal     bool
	Lenient     bool
	ExamColumns string
	Suppress    int
	Programme   string
	Invitations string
	Metrics     []string
}

func newCmdScreeningMetrics(f *factory, runF func(*screeningMetricsOptions) error) *cobra.Command {
	opts := &screeningMetricsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "metrics --data F [--by COLS]",
		Short: "Recall, detection and interval cancer rates, PPV, sensitivity and specificity",
		Long: `Screening indicators of linked exams (the output of screenlab link), as the
European guidelines define them, each with a confidence interval (Wilson by
default, or exact Clopper-Pearson):

  consensus_rate  exams discussed at consensus / exams
  recall_rate     recalls / exams
  cdr             screen-detected cancers per 1000 exams
  interval_rate   interval cancers per 1000 exams
  ppv             screen-detected / recalls
  sensitivity     screen-detected / (screen-detected + interval)
  specificity     true negatives / (true negatives + false positives)

--by groups by screening_unit, round (first or subsequent), round_number,
density, age_group (5-year bands), year, outcome, or any other column of the
file; a row "all" gives the total. Excluded exams (prior breast cancer) are
counted in "excluded" and left out.

--programme cervical or bowel computes that programme's indicators from linked
episodes (--data, from screenlab link --programme) and, for participation,
linked invitations (--invitations): each <name> with <name>_lower, <name>_upper,
<name>_numerator and <name>_denominator, as proportions (per 1000 or per
100,000 where the name says so). Cervical: participation, HPV positivity
(and by genotype group), triage positivity, abnormal primary cytology, direct
and cumulative referral, repeat-test and colposcopy compliance, CIN2+ and CIN3+
per 1000, PPV for CIN2+, referrals per CIN2+, interval cancers. Bowel:
participation, inadequate tests, positivity, colonoscopy uptake, the median
wait and the share within 4 weeks, caecal intubation, adequate preparation,
adenoma detection, polyps, PPV and detection per 1000 of cancer, advanced
adenoma and advanced neoplasia, IC/(IC+SD), and the stage of screen-detected
cancers. --by takes any column (age_group, region, laboratory, sample, sex,
round); --suppress N hides whole groups with a count below N, so name the
indicators you publish with --metrics (a rare one, such as stage IV cancers by
sex, would hide every group).`,
		Example: `  screenlab screening metrics --data reg/linked.csv
  screenlab screening metrics --data reg/linked.csv --by screening_unit --format csv
  screenlab screening metrics --data reg/linked.csv --by round,age_group --ci exact
  screenlab screening metrics --programme cervical --data cx/episodes.csv --invitations cx/participation.csv --by laboratory
  screenlab screening metrics --programme bowel --data bw/episodes.csv --invitations bw/participation.csv --by sex --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Data == "" {
				return flagErrorf("--data is required: linked exams from screenlab link")
			}
			if _, err := evaluation.ParseCIMethod(opts.CI); err != nil {
				return &flagError{Err: err}
			}
			if opts.Level <= 0 || opts.Level >= 1 {
				return flagErrorf("--level %g: want a number between 0 and 1, e.g. 0.95", opts.Level)
			}
			if runF != nil {
				return runF(opts)
			}
			return runScreeningMetrics(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Data, "data", "", "linked exams `FILE` (from screenlab link), or a programme's linked episodes")
	fl.StringVar(&opts.Programme, "programme", "", "the programme of linked episodes: `cervical` or bowel (default: breast exams)")
	fl.StringVar(&opts.Invitations, "invitations", "", "with --programme: linked invitations `FILE` (link --invitations-out), for participation")
	fl.StringSliceVar(&opts.Metrics, "metrics", nil, "with --programme: only these `NAMES` (with --suppress and --by a group with any small count among them is hidden whole)")
	fl.StringSliceVar(&opts.By, "by", nil, "group by these `COLS` (comma-separated)")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.StringVar(&opts.CI, "ci", "wilson", "interval for proportions: wilson or exact")
	fl.BoolVar(&opts.NoTotal, "no-total", false, "leave out the row over all groups")
	fl.BoolVar(&opts.Lenient, "lenient", false, "write bad rows to <input>.rejects.csv and go on")
	fl.StringVar(&opts.ExamColumns, "exam-columns", "", "column names that differ, as `canonical=actual,...`")
	fl.IntVar(&opts.Suppress, "suppress", 0, "hide counts below `N` (at least 3), the rates derived from them and complementary cells, so that no hidden count can be worked out")
	cmd.RegisterFlagCompletionFunc("ci", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"wilson", "exact"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runScreeningMetrics(opts *screeningMetricsOptions) error {
	if opts.Programme != "" {
		if opts.Programme != "cervical" && opts.Programme != "bowel" {
			return flagErrorf("--programme %q: want cervical or bowel", opts.Programme)
		}
		ci, _ := evaluation.ParseCIMethod(opts.CI)
		return runProgrammeMetrics(opts, trimmed(opts.By), ci)
	}
	cols, err := datasets.ParseColumnMap(opts.ExamColumns)
	if err != nil {
		return &flagError{Err: err}
	}
	bars := newTableProgress(opts.f.IO, map[string]string{"linked exams": opts.Data})
	exams, extra, stats, err := datasets.ReadAll(opts.Data, datasets.LinkedSchema, datasets.ReadOptions{
		Columns: cols, Lenient: opts.Lenient, Progress: func(off int64) { bars.update("linked exams", off) }})
	bars.finish()
	if err != nil {
		return err
	}
	noteRejects(opts.f.IO, []datasets.Stats{stats})
	by := make([]string, 0, len(opts.By))
	for _, b := range opts.By {
		if b = strings.TrimSpace(b); b != "" {
			by = append(by, b)
		}
	}
	ci, _ := evaluation.ParseCIMethod(opts.CI)
	rep, err := screening.ScreeningMetrics(exams, extra, screening.ScreeningOptions{
		By: by, Total: !opts.NoTotal, Level: opts.Level, CIMethod: ci})
	if err != nil {
		return &flagError{Err: err}
	}
	if opts.Suppress > 0 {
		if err := screening.Suppress(rep, float64(opts.Suppress), len(by) > 0 && !opts.NoTotal); err != nil {
			return err
		}
	}
	return opts.f.write(rep)
}
