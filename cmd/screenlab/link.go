package main

import (
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
)

type linkOptions struct {
	f *factory
	registryFlags
	Out            string
	ScreenDetected string
	Interval       string
	ExcludeInSitu  bool
	EndOfData      string
}

// linkResult is the JSON of screenlab link: the outcome counts of
// DESIGN.md, where the linked exams went, and what was read.
type linkResult struct {
	datasets.LinkSummary
	Output string           `json:"output"`
	Input  []datasets.Stats `json:"input"`
}

func newCmdLink(f *factory, runF func(*linkOptions) error) *cobra.Command {
	opts := &linkOptions{f: f}
	cmd := &cobra.Command{
		Use:   "link --exams F --diagnoses F [--persons F] [--interval 24m] [--out F]",
		Short: "Label each screening exam with its registry-confirmed outcome",
		Long: `Label each exam from the registry's breast cancers (C50 invasive, D05 in situ):

  screen-detected  recalled, and a cancer diagnosed within --screen-detected
                   (default 6 months) of the exam;
  interval         not recalled, or recalled with a benign outcome, and a
                   cancer within --interval (default 24 months) and before the
                   next screening exam;
  negative         no such cancer, and follow-up complete through the interval
                   (or up to the next exam);
  unknown          follow-up (death, emigration, end of data) ends first;
  excluded         a breast cancer was diagnosed before the exam.

Windows end inclusively; months are calendar months (Jan 31 + 1 month = end of
February). Without --persons, follow-up ends only at the end of data. Writes
the exams with outcome, days_to_diagnosis, diagnosis_date, in_situ and age.`,
		Example: `  screenlab link --exams reg/exams.csv --diagnoses reg/diagnoses.csv --persons reg/persons.csv --out reg/linked.csv
  screenlab link --exams exams.parquet --diagnoses dx.parquet --interval 2y --exclude-in-situ --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Exams == "" || opts.Diagnoses == "" {
				return flagErrorf("--exams and --diagnoses are required")
			}
			if runF != nil {
				return runF(opts)
			}
			return runLink(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Exams, "exams", "", "exams table `FILE` (.csv, .csv.gz or .parquet)")
	fl.StringVar(&opts.Diagnoses, "diagnoses", "", "diagnoses table `FILE`")
	fl.StringVar(&opts.Persons, "persons", "", "persons table `FILE`, for death, emigration and age")
	fl.StringVar(&opts.Out, "out", "", "linked exams `FILE` (default: linked.<ext> beside the exams)")
	fl.StringVar(&opts.ScreenDetected, "screen-detected", "6m", "screen-detected window after a recall (e.g. 6m, 180d)")
	fl.StringVar(&opts.Interval, "interval", "24m", "interval window after a negative screen (e.g. 24m, 2y)")
	fl.BoolVar(&opts.ExcludeInSitu, "exclude-in-situ", false, "count only invasive cancers (leave out D05 and behaviour 2)")
	fl.StringVar(&opts.EndOfData, "end-of-data", "", "last day of registry follow-up, YYYY-MM-DD (default: the latest date in the tables)")
	opts.addColumnFlags(cmd)
	return cmd
}

func (o *linkOptions) linkOptions() (datasets.LinkOptions, error) {
	lo := datasets.DefaultLinkOptions()
	var err error
	if lo.ScreenDetected, err = datasets.ParseWindow(o.ScreenDetected); err != nil {
		return lo, &flagError{Err: err}
	}
	if lo.Interval, err = datasets.ParseWindow(o.Interval); err != nil {
		return lo, &flagError{Err: err}
	}
	lo.ExcludeInSitu = o.ExcludeInSitu
	if o.EndOfData != "" {
		if lo.EndOfData, err = datasets.ParseDate(o.EndOfData); err != nil {
			return lo, flagErrorf("--end-of-data %q: want YYYY-MM-DD", o.EndOfData)
		}
	}
	return lo, nil
}

func defaultLinkedPath(exams string) string {
	ext := filepath.Ext(exams)
	if strings.HasSuffix(strings.ToLower(exams), ".csv.gz") {
		ext = ".csv.gz"
	}
	return filepath.Join(filepath.Dir(exams), "linked"+ext)
}

func runLink(opts *linkOptions) error {
	lo, err := opts.linkOptions()
	if err != nil {
		return err
	}
	if opts.Out == "" {
		opts.Out = defaultLinkedPath(opts.Exams)
		for _, in := range []string{opts.Exams, opts.Diagnoses, opts.Persons} {
			if in != "" && samePath(opts.Out, in) {
				return flagErrorf("the default output %s is an input; name another with --out", opts.Out)
			}
		}
	}
	reg, err := opts.load(opts.f.IO, false)
	if err != nil {
		return err
	}
	noteRejects(opts.f.IO, reg.Stats)
	linked, sum, err := datasets.LinkOutcomes(reg, lo)
	if err != nil {
		return err
	}
	for _, w := range sum.Warnings {
		opts.f.IO.Notef("note: %s", w)
	}
	if opts.EndOfData != "" {
		opts.f.IO.Notef("end of data %s (--end-of-data)", sum.EndOfData)
	} else {
		opts.f.IO.Notef("end of data %s: the latest date in the tables (set it with --end-of-data)", sum.EndOfData)
	}
	out := opts.Out
	if err := datasets.WriteLinkedExams(out, linked, reg.ExamExtra); err != nil {
		return err
	}
	opts.f.IO.Notef("wrote %d linked exams to %s", len(linked), out)
	return opts.f.write(linkResult{LinkSummary: sum, Output: out, Input: reg.Stats})
}
