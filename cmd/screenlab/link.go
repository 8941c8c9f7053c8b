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
	// the cervical and bowel programmes
	Algorithm, InvitationsOut string
	PrintAlgorithm            bool
	Threshold                 float64
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
		Use:   "link --exams F --diagnoses F [--persons F] [--interval 24m] [--out F] | --programme cervical|bowel --tests F ...",
		Short: "Label each screening exam or episode with its registry-confirmed outcome",
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
the exams with outcome, days_to_diagnosis, diagnosis_date, in_situ and age.

With --programme cervical or bowel it builds screening episodes instead:
cervical, a primary HPV test (or cytology below 34) with its triage cytology,
the repeat tests and colposcopy the algorithm asks for (--algorithm F, a JSON
file; --print-algorithm prints the built-in Norwegian 2024 one to edit), the
worst histology, screen-detected (C53 in a referred episode) and interval
cancers (C53 after a negative episode, within the routine interval and before
the next test); bowel, a FIT (an inadequate sample and its retest are one
episode), positive at --threshold µg Hb/g, the colonoscopy within 12 months,
screen-detected and interval cancers (C18-C20 within 24 months of a negative
test). Writes the episodes to --out and each invitation with whether a test
followed within 12 months to --invitations-out.`,
		Example: `  screenlab link --exams reg/exams.csv --diagnoses reg/diagnoses.csv --persons reg/persons.csv --out reg/linked.csv
  screenlab link --exams exams.parquet --diagnoses dx.parquet --interval 2y --exclude-in-situ --format json
  screenlab link --programme cervical --persons cx/persons.csv --invitations cx/invitations.csv --tests cx/tests.csv \
    --followups cx/followups.csv --diagnoses cx/diagnoses.csv --out cx/episodes.csv --invitations-out cx/participation.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.PrintAlgorithm {
				_, raw := datasets.DefaultCervicalAlgorithm()
				_, err := opts.f.IO.Out.Write(raw)
				return err
			}
			if programme, err := opts.programmeTables(); err != nil {
				return err
			} else if programme || opts.Programme != "" {
				if opts.Tests == "" || opts.Out == "" {
					return flagErrorf("--programme needs --tests and --out (and --persons, --diagnoses, --followups, --invitations for the outcomes)")
				}
				if runF != nil {
					return runF(opts)
				}
				return runLinkProgramme(opts)
			}
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
	opts.addProgrammeFlags(cmd)
	fl.StringVar(&opts.Algorithm, "algorithm", "", "cervical: the management algorithm, a JSON `FILE` (default: Norway 2024; see --print-algorithm)")
	fl.BoolVar(&opts.PrintAlgorithm, "print-algorithm", false, "print the built-in cervical algorithm (to copy and edit)")
	fl.Float64Var(&opts.Threshold, "threshold", 15, "bowel: the f-Hb at or above which a FIT is positive, µg Hb/g")
	fl.StringVar(&opts.InvitationsOut, "invitations-out", "", "programmes: write each invitation with its participation to `FILE`")
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
