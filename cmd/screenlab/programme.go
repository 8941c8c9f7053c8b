package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/report"
)

// programmeLinkResult is the JSON of screenlab link --programme.
type programmeLinkResult struct {
	datasets.ProgrammeLinkSummary
	Output            string           `json:"output"`
	InvitationsOutput string           `json:"invitations_output,omitempty"`
	Input             []datasets.Stats `json:"input"`
}

func runLinkProgramme(opts *linkOptions) error {
	var alg *datasets.CervicalAlgorithm
	if opts.Algorithm != "" {
		raw, err := os.ReadFile(opts.Algorithm)
		if err != nil {
			return err
		}
		if alg, err = datasets.ParseCervicalAlgorithm(raw); err != nil {
			return &flagError{Err: err}
		}
	}
	bo := datasets.BowelLinkOptions{Threshold: opts.Threshold}
	if opts.EndOfData != "" {
		d, err := datasets.ParseDate(opts.EndOfData)
		if err != nil {
			return flagErrorf("--end-of-data %q: want YYYY-MM-DD", opts.EndOfData)
		}
		bo.EndOfData = d
	}
	reg, err := opts.load(opts.f.IO, false)
	if err != nil {
		return err
	}
	noteRejects(opts.f.IO, reg.Stats)
	pl, err := datasets.LinkProgramme(reg, opts.Programme, alg, bo)
	if err != nil {
		return err
	}
	if err := pl.Write(opts.Out, opts.InvitationsOut); err != nil {
		return err
	}
	opts.f.IO.Notef("wrote %d episodes to %s (end of data %s)", pl.Summary.Episodes, opts.Out, pl.Summary.EndOfData)
	return opts.f.write(programmeLinkResult{ProgrammeLinkSummary: pl.Summary, Output: opts.Out, InvitationsOutput: opts.InvitationsOut, Input: reg.Stats})
}

// runProgrammeMetrics is screening metrics --programme: the built-in
// indicators of linked episodes (and invitations) by group.
func runProgrammeMetrics(opts *screeningMetricsOptions, by []string, ci evaluation.CIMethod) error {
	ep, err := datasets.ReadFrame(opts.Data)
	if err != nil {
		return err
	}
	var inv *datasets.Frame
	if opts.Invitations != "" {
		if inv, err = datasets.ReadFrame(opts.Invitations); err != nil {
			return err
		}
	}
	rep, err := screening.ProgrammeMetrics(opts.Programme, ep, inv, screening.ProgrammeOptions{
		By: by, Level: opts.Level, CI: ci, NoTotal: opts.NoTotal, Suppress: opts.Suppress, Metrics: trimmed(opts.Metrics)})
	if err != nil {
		return err
	}
	for _, n := range rep.Notes {
		opts.f.IO.Notef("note: %s", n)
	}
	return opts.f.write(rep)
}

type coverageOptions struct {
	f *factory
	registryFlags
	By       []string
	Windows  []float64
	MinAge   float64
	MaxAge   float64
	Sex      string
	Level    float64
	CI       string
	Suppress int
}

func newCmdScreeningCoverage(f *factory) *cobra.Command {
	opts := &coverageOptions{f: f}
	cmd := &cobra.Command{
		Use:   "coverage --persons F --tests F --programme cervical|bowel --as-of DATE [--by age_group,region]",
		Short: "Share of the target population with a test in the look-back windows",
		Long: `Coverage as of a date: of the persons alive and resident then, aged in
[--min-age, --max-age) in completed years, the share with a test (in or outside
the programme) within each --windows look-back (years), with Wilson or exact
intervals. For the cervical programme the defaults are 3.5 and 5.5 years at
25-69 (3 years for cytology at 25-33, 5 for HPV at 34-69, each with 6 months'
grace) and "coverage" takes each woman's window by her age. --suppress N hides
whole groups with a count below N (two at least, so the total reveals none).`,
		Example: `  screenlab screening coverage --programme cervical --persons cx/persons.csv --tests cx/tests.csv --as-of 2024-12-31 --by age_group
  screenlab screening coverage --programme bowel --persons bw/persons.csv --tests bw/tests.csv --as-of 2024-12-31 \
    --windows 2.5 --min-age 55 --max-age 75 --by sex`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Persons == "" || opts.Tests == "" || opts.AsOf == "" || opts.Programme == "" {
				return flagErrorf("--persons, --tests, --programme and --as-of are required")
			}
			if _, err := opts.programmeTables(); err != nil {
				return err
			}
			ci, err := evaluation.ParseCIMethod(opts.CI)
			if err != nil {
				return &flagError{Err: err}
			}
			asOf, err := opts.asOf()
			if err != nil {
				return err
			}
			reg, err := opts.load(f.IO, false)
			if err != nil {
				return err
			}
			sex := opts.Sex
			if sex == "" && opts.Programme == "cervical" {
				sex = "F"
			}
			rep, err := screening.Coverage(reg, screening.CoverageOptions{AsOf: asOf, Windows: opts.Windows, MinAge: opts.MinAge,
				MaxAge: opts.MaxAge, Sex: sex, By: opts.By, Level: opts.Level, CI: ci, Suppress: opts.Suppress})
			if err != nil {
				return &flagError{Err: err}
			}
			return f.write(rep)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Persons, "persons", "", "persons table `FILE` (the target population)")
	opts.addProgrammeFlags(cmd)
	fl.StringVar(&opts.AsOf, "as-of", "", "the date coverage is measured at, `YYYY-MM-DD`")
	fl.StringSliceVar(&opts.By, "by", nil, "group by `COLS`: age_group, region, sex")
	fl.Float64SliceVar(&opts.Windows, "windows", nil, "look-back windows in `YEARS` (default 3.5,5.5)")
	fl.Float64Var(&opts.MinAge, "min-age", 0, "youngest age of the target population (default 25)")
	fl.Float64Var(&opts.MaxAge, "max-age", 0, "age the target population ends before (default 70)")
	fl.StringVar(&opts.Sex, "sex", "", "keep one sex, F or M (cervical: F)")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.StringVar(&opts.CI, "ci", "wilson", "interval: wilson or exact")
	fl.IntVar(&opts.Suppress, "suppress", 0, "hide groups with a count below `N` (at least 3)")
	return cmd
}

type decisionOptions struct {
	f          *factory
	Data       string
	Thresholds floatList
	Programme  float64
	Years      floatList
	Level      float64
	Plot       string
	plotFlags
}

func newCmdScreeningFITSweep(f *factory) *cobra.Command {
	opts := &decisionOptions{f: f}
	cmd := newCmdEpisodes(f, opts, &cobra.Command{
		Use:   "fit-sweep --data EPISODES [--thresholds 10,15,20,...] [--plot F]",
		Short: "FIT positivity thresholds: colonoscopies against cancers and advanced adenomas found and missed",
		Long: `Recompute a bowel programme at other f-Hb thresholds from its linked episodes
(screenlab link --programme bowel): at each threshold the share positive, the
colonoscopies per 1000 screened at the observed uptake, the cancers within two
years of the test detected (f-Hb at or above) and missed (below), and the
advanced adenomas found at colonoscopy and missed. Below the programme's own
threshold nobody had a colonoscopy, so advanced adenomas there are unknown (NA).
--plot F draws colonoscopies against detections, one point per threshold.`,
		Example: `  screenlab screening fit-sweep --data bw/episodes.csv --thresholds 10,15,20,30,40,60,80 --plot out/fit-sweep.svg`,
	}, "bowel", func(ep *datasets.Frame) (any, error) {
		sw, err := screening.SweepFIT(ep, opts.Thresholds, opts.Programme)
		if err != nil || opts.Plot == "" {
			return sw, err
		}
		po, err := opts.options()
		if err != nil {
			return nil, err
		}
		if err := report.WriteFITSweepPlot(opts.Plot, sw, po); err != nil {
			return nil, err
		}
		f.IO.Notef("wrote %s", opts.Plot)
		return sw, nil
	})
	fl := cmd.Flags()
	opts.Thresholds = floatList{10, 15, 20, 30, 40, 60, 80, 100, 150}
	fl.Var(&opts.Thresholds, "thresholds", "f-Hb thresholds in µg Hb/g")
	fl.Float64Var(&opts.Programme, "programme-threshold", 15, "the threshold the programme used (µg Hb/g)")
	fl.StringVar(&opts.Plot, "plot", "", "write the sweep plot to `FILE` (.svg, .png or .pdf)")
	opts.plotFlags.add(cmd)
	return cmd
}

// newCmdEpisodes is a command that reads linked episodes (--data), makes
// one library call and writes its result.
func newCmdEpisodes(f *factory, opts *decisionOptions, cmd *cobra.Command, what string, run func(ep *datasets.Frame) (any, error)) *cobra.Command {
	cmd.Args = cobra.NoArgs
	cmd.RunE = func(*cobra.Command, []string) error {
		if opts.Data == "" {
			return flagErrorf("--data is required: linked %s episodes", what)
		}
		ep, err := datasets.ReadFrame(opts.Data)
		if err != nil {
			return err
		}
		res, err := run(ep)
		if err != nil {
			return err
		}
		return f.write(res)
	}
	cmd.Flags().StringVar(&opts.Data, "data", "", "linked "+what+" episodes `FILE` (screenlab link --programme "+what+")")
	if what == "cervical" {
		cmd.Flags().Float64Var(&opts.Level, "level", 0.95, "confidence level")
	}
	return cmd
}

func newCmdScreeningHPVRisk(f *factory) *cobra.Command {
	opts := &decisionOptions{f: f}
	cmd := newCmdEpisodes(f, opts, &cobra.Command{
		Use:   "hpv-risk --data EPISODES [--years 1,3,5]",
		Short: "Cumulative risk of CIN3+ after a positive HPV test, by genotype group and triage cytology",
		Long: `The risk table of risk-based management: for HPV-positive primary tests in
linked cervical episodes, the cumulative risk of CIN3+ (histology, or a D06/C53
diagnosis) 1, 3 and 5 years after the test, 1 - S(t) of Kaplan-Meier, by
genotype group (16, 18, 31/33/45/52/58, the rest) and triage cytology (NILM,
ASC-US/LSIL, ASC-H+, none), with intervals; NA beyond a cell's follow-up.`,
		Example: `  screenlab screening hpv-risk --data cx/episodes.csv --years 1,3,5 --format csv`,
	}, "cervical", func(ep *datasets.Frame) (any, error) { return screening.HPVRisk(ep, opts.Years, opts.Level) })
	opts.Years = floatList{1, 3, 5}
	cmd.Flags().Var(&opts.Years, "years", "years after the test")
	return cmd
}

func newCmdScreeningSampling(f *factory) *cobra.Command {
	opts := &decisionOptions{f: f}
	return newCmdEpisodes(f, opts, &cobra.Command{
		Use:   "sampling --data EPISODES",
		Short: "Self-sampling against clinician sampling: positivity, follow-up attendance, CIN2+ yield",
		Long: `Compare HPV-primary episodes on self-taken and clinician-taken samples: HPV
positivity, follow-up attendance of HPV-positive women (the triage, repeat test
or colposcopy the algorithm asked for, among episodes whose follow-up has
closed) and CIN2+ per 1000 screened, each difference (self - clinician) with
Newcombe's hybrid score interval.`,
		Example: `  screenlab screening sampling --data cx/episodes.csv`,
	}, "cervical", func(ep *datasets.Frame) (any, error) { return screening.CompareSampling(ep, opts.Level) })
}

// floatList is a flag of comma-separated numbers whose default reads as
// the user types it ("1,3,5").
type floatList []float64

func (l *floatList) String() string {
	parts := make([]string, len(*l))
	for i, x := range *l {
		parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strings.Join(parts, ",")
}

func (l *floatList) Set(s string) error {
	var out floatList
	for _, p := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("%q is not a number", p)
		}
		out = append(out, x)
	}
	*l = out
	return nil
}

func (l *floatList) Type() string { return "numbers" }

// trimmed drops empty entries of a comma-separated flag.
func trimmed(in []string) []string {
	out := make([]string, 0, len(in))
	for _, b := range in {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}
