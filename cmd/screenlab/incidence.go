package main

import (
	"errors"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/incidence"
)

func newCmdIncidence(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incidence <command>",
		Short: "Person-years, incidence rates, standardisation and trends",
	}
	cmd.AddCommand(newCmdIncidenceCounts(f), newCmdIncidenceSplit(f, nil), newCmdIncidenceRates(f, nil), newCmdIncidenceSIR(f, nil), newCmdIncidenceTrend(f, nil))
	return cmd
}

type splitOptions struct {
	f                              *factory
	Data                           string
	Entry, Exit, Birth, Status, ID string
	Breaks                         string
	Aggregate                      bool
	Suppress                       int
}

func newCmdIncidenceSplit(f *factory, runF func(*splitOptions) error) *cobra.Command {
	opts := &splitOptions{f: f}
	cmd := &cobra.Command{
		Use:   "split --data F --entry COL --exit COL --birth COL [--status COL] --breaks age=0:5:100,period=1990:1:2025 [--aggregate]",
		Short: "Split follow-up into person-years and events by age, period and time since entry",
		Long: `Split each person's follow-up (from --entry to --exit, with --birth) on several
time scales at once - attained age, calendar period, time since entry
(--breaks age=from:by:to,period=...,since=...) - as Epi::splitLexis and
popEpi::splitMulti do. An event (--status not 0) counts in the band where
follow-up ends. Dates (YYYY-MM-DD) become decimal years as popEpi::get.yrs does
(1970 + days since 1970-01-01 / 365.242199); numbers are taken as decimal years.
Follow-up outside the breaks is left out (as popEpi) and reported in the summary.

With --aggregate, one row per band with person-years and events, keyed by the
bands' lower limits; without, one row per person and band.`,
		Example: `  screenlab incidence split --data cohort.csv --entry entry --exit exit --birth birth --status status --breaks age=0:5:110,period=1990:5:2015 --aggregate
  screenlab incidence split --data reg/persons.csv --entry entry --exit exit --birth birth_date --breaks age=50:1:70,since=0:1:10 --format csv -o splits.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Data == "" || opts.Entry == "" || opts.Exit == "" || opts.Birth == "" || opts.Breaks == "" {
				return flagErrorf("--data, --entry, --exit, --birth and --breaks are required")
			}
			if _, err := incidence.ParseBreaks(opts.Breaks); err != nil {
				return &flagError{Err: err}
			}
			if runF != nil {
				return runF(opts)
			}
			return runIncidenceSplit(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Data, "data", "", "follow-up table `FILE`")
	fl.StringVar(&opts.Entry, "entry", "", "entry `COL` (date or decimal year)")
	fl.StringVar(&opts.Exit, "exit", "", "exit `COL` (date or decimal year)")
	fl.StringVar(&opts.Birth, "birth", "", "birth `COL` (date or decimal year)")
	fl.StringVar(&opts.Status, "status", "", "event status `COL` (0 = none); without it, no events")
	fl.StringVar(&opts.ID, "id", "", "person id `COL` for person-level rows (default: the row's line)")
	fl.StringVar(&opts.Breaks, "breaks", "", "band limits per scale, e.g. age=0:5:100,period=1990:1:2025,since=0:1:10")
	fl.BoolVar(&opts.Aggregate, "aggregate", false, "one row per band instead of per person and band")
	fl.IntVar(&opts.Suppress, "suppress", 0, "with --aggregate, hide event counts below `N` (at least 3) and complementary cells, so the summary's total reveals none")
	return cmd
}

func runIncidenceSplit(opts *splitOptions) error {
	breaks, _ := incidence.ParseBreaks(opts.Breaks)
	cols := []string{opts.Entry, opts.Exit, opts.Birth}
	for _, c := range []string{opts.Status, opts.ID} {
		if c != "" {
			cols = append(cols, c)
		}
	}
	fr, err := datasets.ReadFrameColumns(opts.Data, cols...)
	if err != nil {
		return err
	}
	entry, err := fr.EpiYears(opts.Entry)
	if err != nil {
		return err
	}
	exit, err := fr.EpiYears(opts.Exit)
	if err != nil {
		return err
	}
	birth, err := fr.EpiYears(opts.Birth)
	if err != nil {
		return err
	}
	var status []bool
	if opts.Status != "" {
		st, err := fr.Floats(opts.Status, false)
		if err != nil {
			return err
		}
		status = make([]bool, len(st))
		for i, v := range st {
			status[i] = v != 0
		}
	}
	so := incidence.SplitOptions{Aggregate: opts.Aggregate, Suppress: opts.Suppress}
	if opts.ID != "" {
		so.IDs, _ = fr.Strings(opts.ID)
	} else if !opts.Aggregate {
		so.IDs = make([]string, fr.Len())
		for i := range so.IDs {
			so.IDs[i] = strconv.Itoa(fr.Line(i))
		}
	}
	out, err := incidence.SplitTableOf(birth, entry, exit, status, breaks, so)
	if errors.Is(err, incidence.ErrSuppressPersons) {
		return &flagError{Err: err}
	}
	if err != nil {
		return incidenceRowError(fr, err)
	}
	if out.Summary.OutsidePersonYears > 0 {
		opts.f.IO.Notef("note: %.2f person-years and %d events lie outside the breaks and are left out", out.Summary.OutsidePersonYears, out.Summary.OutsideEvents)
	}
	return opts.f.write(out)
}

func incidenceRowError(fr *datasets.Frame, err error) error {
	if ie, ok := err.(*incidence.InputError); ok && ie.Row >= 0 && ie.Row < fr.Len() {
		return &datasets.RowError{File: fr.File, Line: fr.Line(ie.Row), Want: ie.Msg, Err: datasets.ErrDateOrder}
	}
	return err
}
