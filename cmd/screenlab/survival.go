package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/survival"
)

func newCmdSurvival(f *factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "survival <command>",
		Short: "Kaplan-Meier, Cox regression and competing risks",
	}
	cmd.AddCommand(newCmdSurvivalKM(f, nil), newCmdSurvivalCox(f, nil), newCmdSurvivalCIF(f, nil), newCmdSurvivalRelative(f, nil))
	return cmd
}

// timeFlags are the follow-up columns shared by the survival commands.
type timeFlags struct {
	Data     string
	Time     string
	Entry    string
	Start    string
	Stop     string
	TimeUnit string
	Weights  string
	Codes    string // --event-codes
}

func (t *timeFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&t.Data, "data", "", "input table `FILE` (.csv, .csv.gz or .parquet)")
	fl.StringVar(&t.Time, "time", "", "follow-up time `COL` (or the exit time with --entry)")
	fl.StringVar(&t.Entry, "entry", "", "entry time `COL` for delayed entry: at risk when entry < t <= time")
	fl.StringVar(&t.Start, "start", "", "start date `COL` (YYYY-MM-DD), instead of --time")
	fl.StringVar(&t.Stop, "stop", "", "stop date `COL` (YYYY-MM-DD), with --start")
	fl.StringVar(&t.TimeUnit, "time-unit", "days", "unit of time from --start/--stop: days, months or years (years = days/365.25)")
	fl.StringVar(&t.Weights, "weights", "", "case weight `COL`")
	fl.StringVar(&t.Codes, "event-codes", "0/1", "how the status codes `CENSORED/EVENT`: 0/1, or 1/2 as R's Surv reads 1/2 data")
}

// events reads the status column by --event-codes.
func (t *timeFlags) events(fu *followUp, col string) ([]bool, error) {
	codes, err := datasets.ParseEventCodes(t.Codes)
	if err != nil {
		return nil, flagErrorf("--event-codes: %v", err)
	}
	return fu.frame.EventsCoded(col, codes)
}

func (t *timeFlags) check() error {
	if t.Data == "" {
		return flagErrorf("--data is required")
	}
	if err := t.columns().Check(); err != nil {
		return &flagError{Err: err}
	}
	return nil
}

func (t *timeFlags) columns() datasets.FollowUpColumns {
	return datasets.FollowUpColumns{Time: t.Time, Entry: t.Entry, Start: t.Start, Stop: t.Stop, TimeUnit: t.TimeUnit, Weights: t.Weights}
}

// followUp is what every survival command reads.
type followUp struct {
	frame *datasets.Frame
	*datasets.FollowUp
}

// read loads the follow-up columns and the extra columns a command needs
// (only those: a national file may have hundreds).
func (t *timeFlags) read(f *factory, extra ...string) (*followUp, error) {
	return t.readNumbers(f, nil, extra...)
}

// readNumbers is read with the columns numbers (a model's covariates) held
// as numbers, as are the follow-up times and weights.
func (t *timeFlags) readNumbers(f *factory, numbers []string, extra ...string) (*followUp, error) {
	c := t.columns()
	nums := slices.Clone(numbers)
	for _, n := range []string{c.Time, c.Entry, c.Weights} {
		if n != "" {
			nums = append(nums, n)
		}
	}
	var text []string
	for _, n := range append([]string{c.Start, c.Stop}, extra...) {
		if n != "" {
			text = append(text, n)
		}
	}
	fr, err := readFrameAs(f, t.Data, nums, text...)
	if err != nil {
		return nil, err
	}
	fu, err := fr.ReadFollowUp(c)
	if err != nil {
		return nil, err
	}
	return &followUp{frame: fr, FollowUp: fu}, nil
}

// readFrame reads the named columns of a table; with --missing drop, the
// rows missing any of them are left out (R's na.omit) and a note says how
// many and where.
func readFrame(f *factory, path string, cols ...string) (*datasets.Frame, error) {
	return readFrameAs(f, path, nil, cols...)
}

// readFrameAs is readFrame with the columns numbers held as numbers
// (datasets.ReadFrameNumbers).
func readFrameAs(f *factory, path string, numbers []string, text ...string) (*datasets.Frame, error) {
	fr, err := datasets.ReadFrameNumbers(path, numbers, text...)
	if err != nil || f.Missing != "drop" {
		return fr, err
	}
	fr, m, err := fr.DropMissing(append(slices.Clone(text), numbers...)...)
	if err != nil {
		return nil, err
	}
	if m.Dropped > 0 {
		f.IO.Notef("%s: --missing drop left out %s", fr.File, m)
	}
	return fr, nil
}

// groupAndStrata reads the --group and --strata columns (nil when not named).
func groupAndStrata(fr *datasets.Frame, group, strata string) ([]string, []string, error) {
	g, err := optionalStrings(fr, group)
	if err != nil {
		return nil, nil, err
	}
	st, err := optionalStrings(fr, strata)
	return g, st, err
}

// optionalStrings reads a column when it is named, else returns nil.
func optionalStrings(fr *datasets.Frame, col string) ([]string, error) {
	if col == "" {
		return nil, nil
	}
	return fr.RequiredStrings(col)
}

// parseTimes parses "1,5,10".
func parseTimes(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []float64
	for _, p := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || x < 0 {
			return nil, flagErrorf("--times %q: want numbers >= 0 separated by commas", s)
		}
		out = append(out, x)
	}
	return out, nil
}

// rowError turns a survival.InputError (a row index) into a file:line
// message.
func rowError(fr *datasets.Frame, err error) error {
	var ie *survival.InputError
	if !errors.As(err, &ie) {
		return err
	}
	if at, ok := fr.RowLine(ie.Row); ok {
		return fmt.Errorf("%s: %s", at, ie.Msg)
	}
	return err
}
