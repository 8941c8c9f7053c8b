package main

import (
	"math"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/incidence"
	"github.com/screenlab/screenlab/report/suppress"
)

func newCmdIncidence(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incidence <command>",
		Short: "Person-years, incidence rates, standardisation and trends",
	}
	cmd.AddCommand(newCmdIncidenceSplit(f, nil), newCmdIncidenceRates(f, nil), newCmdIncidenceSIR(f, nil), newCmdIncidenceTrend(f, nil))
	return cmd
}

type splitOptions struct {
	f                              *Factory
	Data                           string
	Entry, Exit, Birth, Status, ID string
	Breaks                         string
	Aggregate                      bool
	Suppress                       int
}

// SplitRow is one aggregated (or person-level) band: the lower limits of
// its bands by scale name, person-years and events.
type SplitRow struct {
	Group       groups.Key `json:"-"`
	PersonYears float64    `json:"person_years"`
	Events      float64    `json:"events"`
}

// bandKeys marks every column numeric except an id.
func bandKeys(names, values []string, id bool) groups.Key {
	num := make([]bool, len(names))
	for i := range num {
		num[i] = !(id && i == 0)
	}
	return groups.Key{Names: names, Values: values, Numeric: num}
}

// SplitOutput is the JSON of screenlab incidence split.
type SplitOutput struct {
	Rows    []SplitRow             `json:"rows"`
	Summary incidence.SplitSummary `json:"summary"`
}

func newCmdIncidenceSplit(f *Factory, runF func(*splitOptions) error) *cobra.Command {
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
				return &FlagError{Err: err}
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
	fl.IntVar(&opts.Suppress, "suppress", 0, "with --aggregate, mask event counts below `N` (with a complementary cell, as the summary shows the total)")
	return cmd
}

// decimalYears reads a column of dates or decimal years.
func decimalYears(fr *datasets.Frame, col string) ([]float64, error) {
	vals, err := fr.Strings(col)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(vals))
	for i, s := range vals {
		if d, err := datasets.ParseDate(s); err == nil && d != datasets.NoDate {
			out[i] = 1970 + float64(d)/365.242199
			continue
		}
		x, ok := datasets.ParseNumber(s)
		if !ok {
			return nil, fr.Fail(col, i, datasets.ErrBadDate, "a date YYYY-MM-DD or a decimal year")
		}
		out[i] = x
	}
	return out, nil
}

func formatLimit(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

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
	entry, err := decimalYears(fr, opts.Entry)
	if err != nil {
		return err
	}
	exit, err := decimalYears(fr, opts.Exit)
	if err != nil {
		return err
	}
	birth, err := decimalYears(fr, opts.Birth)
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
	names := make([]string, len(breaks))
	for s, b := range breaks {
		names[s] = b.Name
	}
	var out SplitOutput
	if opts.Aggregate {
		cells, sum, err := incidence.Aggregate(birth, entry, exit, status, breaks)
		if err != nil {
			return incidenceRowError(fr, opts, err)
		}
		out.Summary = sum
		for _, c := range cells {
			vals := make([]string, len(c.Lower))
			for s, l := range c.Lower {
				vals[s] = formatLimit(l)
			}
			out.Rows = append(out.Rows, SplitRow{Group: bandKeys(names, vals, false), PersonYears: c.PersonYears, Events: float64(c.Events)})
		}
	} else {
		var ids []string
		if opts.ID != "" {
			ids, _ = fr.Strings(opts.ID)
		}
		keyNames := append([]string{"id"}, names...)
		sum, err := incidence.SplitLexis(birth, entry, exit, status, breaks, func(sp incidence.Split) {
			vals := make([]string, 0, len(keyNames))
			if ids != nil {
				vals = append(vals, ids[sp.Person])
			} else {
				vals = append(vals, strconv.Itoa(fr.Lines[sp.Person]))
			}
			for s, b := range sp.Band {
				vals = append(vals, formatLimit(breaks[s].Limits[b]))
			}
			ev := 0
			if sp.Event {
				ev = 1
			}
			out.Rows = append(out.Rows, SplitRow{Group: bandKeys(keyNames, vals, true), PersonYears: sp.PersonYears, Events: float64(ev)})
		})
		if err != nil {
			return incidenceRowError(fr, opts, err)
		}
		out.Summary = sum
	}
	if opts.Suppress > 0 {
		if !opts.Aggregate {
			return flagErrorf("--suppress needs --aggregate: person-level rows are not for publication")
		}
		grid := make([][]float64, len(out.Rows))
		for r := range out.Rows {
			grid[r] = []float64{out.Rows[r].Events}
		}
		for r, m := range suppress.Mask(grid, float64(opts.Suppress), false, true) {
			if m[0] {
				out.Rows[r].Events = math.NaN()
			}
		}
	}
	if out.Summary.OutsidePersonYears > 0 {
		opts.f.IO.Notef("note: %.2f person-years and %d events lie outside the breaks and are left out", out.Summary.OutsidePersonYears, out.Summary.OutsideEvents)
	}
	return opts.f.Render(out)
}

func incidenceRowError(fr *datasets.Frame, opts *splitOptions, err error) error {
	if ie, ok := err.(*incidence.InputError); ok && ie.Row < len(fr.Lines) {
		return &datasets.RowError{File: fr.File, Line: fr.Lines[ie.Row], Want: ie.Msg, Err: datasets.ErrDateOrder}
	}
	return err
}

func parseNumber(s string) (float64, bool) { return datasets.ParseNumber(s) }
