package main

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/survival"
)

func newCmdSurvival(f *Factory) *cobra.Command {
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
}

func (t *timeFlags) check() error {
	switch {
	case t.Data == "":
		return flagErrorf("--data is required")
	case t.Time == "" && t.Start == "":
		return flagErrorf("name the follow-up: --time COL, or --start COL and --stop COL")
	case t.Time != "" && t.Start != "":
		return flagErrorf("--time and --start/--stop exclude each other")
	case (t.Start == "") != (t.Stop == ""):
		return flagErrorf("--start and --stop go together")
	case t.Start != "" && t.Entry != "":
		return flagErrorf("--entry goes with --time, not with --start/--stop")
	}
	switch t.TimeUnit {
	case "days", "months", "years":
	default:
		return flagErrorf("--time-unit %q: want days, months or years", t.TimeUnit)
	}
	return nil
}

// followUp is what every survival command reads.
type followUp struct {
	frame   *datasets.Frame
	time    []float64
	entry   []float64
	weights []float64
}

// read loads the follow-up columns and the extra columns a command needs
// (only those: a national file may have hundreds).
func (t *timeFlags) read(extra ...string) (*followUp, error) {
	var cols []string
	for _, c := range append([]string{t.Time, t.Entry, t.Start, t.Stop, t.Weights}, extra...) {
		if c != "" {
			cols = append(cols, c)
		}
	}
	fr, err := datasets.ReadFrameColumns(t.Data, cols...)
	if err != nil {
		return nil, err
	}
	fu := &followUp{frame: fr}
	if t.Start != "" {
		start, err := fr.Dates(t.Start)
		if err != nil {
			return nil, err
		}
		stop, err := fr.Dates(t.Stop)
		if err != nil {
			return nil, err
		}
		scale := map[string]float64{"days": 1, "months": 365.25 / 12, "years": 365.25}[t.TimeUnit]
		fu.time = make([]float64, len(start))
		for i := range start {
			if stop[i] <= start[i] {
				return nil, fr.Fail(t.Stop, i, datasets.ErrDateOrder, "a stop date after the start date "+start[i].String())
			}
			fu.time[i] = float64(stop[i]-start[i]) / scale
		}
	} else {
		if fu.time, err = fr.Floats(t.Time, false); err != nil {
			return nil, err
		}
		for i, x := range fu.time {
			if x < 0 {
				return nil, fr.Fail(t.Time, i, datasets.ErrOutOfRange, "a time >= 0")
			}
		}
	}
	if t.Entry != "" {
		if fu.entry, err = fr.Floats(t.Entry, false); err != nil {
			return nil, err
		}
		for i := range fu.entry {
			if fu.entry[i] >= fu.time[i] {
				return nil, fr.Fail(t.Entry, i, datasets.ErrDateOrder, fmt.Sprintf("an entry time before the exit time %v (start < stop)", fu.time[i]))
			}
		}
	}
	if t.Weights != "" {
		if fu.weights, err = fr.Floats(t.Weights, false); err != nil {
			return nil, err
		}
		for i, x := range fu.weights {
			if x < 0 {
				return nil, fr.Fail(t.Weights, i, datasets.ErrOutOfRange, "a weight >= 0")
			}
		}
	}
	return fu, nil
}

// events reads a 0/1 event column.
func events(fr *datasets.Frame, col string) ([]bool, error) {
	vals, err := fr.Strings(col)
	if err != nil {
		return nil, err
	}
	out := make([]bool, len(vals))
	for i, s := range vals {
		switch strings.ToLower(s) {
		case "1", "true":
			out[i] = true
		case "0", "false":
		default:
			return nil, fr.Fail(col, i, datasets.ErrBadCode, "an event code 0 (censored) or 1 (event)")
		}
	}
	return out, nil
}

// levels codes a text column: sorted levels (numerically when all parse as
// numbers) and a code per row.
func levels(fr *datasets.Frame, col string) ([]string, []int, error) {
	vals, err := fr.Strings(col)
	if err != nil {
		return nil, nil, err
	}
	set := map[string]bool{}
	for i, v := range vals {
		if v == "" || v == "NA" {
			return nil, nil, fr.Fail(col, i, datasets.ErrRequired, "a value (missing values are not allowed here)")
		}
		set[v] = true
	}
	names := make([]string, 0, len(set))
	for v := range set {
		names = append(names, v)
	}
	sortLevels(names)
	code := map[string]int{}
	for i, v := range names {
		code[v] = i
	}
	out := make([]int, len(vals))
	for i, v := range vals {
		out[i] = code[v]
	}
	return names, out, nil
}

// sortLevels sorts numerically when every level is a number, else as text.
func sortLevels(names []string) {
	nums := make([]float64, len(names))
	numeric := true
	for i, v := range names {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			numeric = false
			break
		}
		nums[i] = x
	}
	if numeric {
		sort.Slice(names, func(a, b int) bool {
			x, _ := strconv.ParseFloat(names[a], 64)
			y, _ := strconv.ParseFloat(names[b], 64)
			return x < y
		})
		return
	}
	sort.Strings(names)
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

// subset returns x at the rows idx (nil stays nil).
func subset[T any](x []T, idx []int) []T {
	if x == nil {
		return nil
	}
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = x[i]
	}
	return out
}

// rowError turns a survival.InputError (a row index into the rows idx of
// the frame, or of all rows when idx is nil) into a file:line message.
func rowError(fu *followUp, idx []int, err error) error {
	var ie *survival.InputError
	if !errors.As(err, &ie) {
		return err
	}
	r := ie.Row
	if idx != nil && r < len(idx) {
		r = idx[r]
	}
	if r < len(fu.frame.Lines) {
		return fmt.Errorf("%s:%d: %s", fu.frame.File, fu.frame.Lines[r], ie.Msg)
	}
	return err
}
