package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/incidence"
)

type sirOptions struct {
	f *Factory
	countFlags
	Ref       string
	By, Match []string
	RateCol   string
	Level     float64
	Suppress  int
}

// SIRRow is one row of screenlab incidence sir.
type SIRRow struct {
	Group groups.Key `json:"-"`
	incidence.SIR
	Suppressed bool `json:"suppressed,omitempty"`
}

// SIROutput is the JSON of screenlab incidence sir.
type SIROutput struct {
	Rows  []SIRRow `json:"rows"`
	Level float64  `json:"level"`
}

func newCmdIncidenceSIR(f *Factory, runF func(*sirOptions) error) *cobra.Command {
	opts := &sirOptions{f: f}
	cmd := &cobra.Command{
		Use:   "sir --cases F --population F --reference F [--by COLS] [--match COLS]",
		Short: "Standardised incidence (or mortality) ratios with exact Poisson intervals",
		Long: `Indirect standardisation: observed cases against those expected from reference
rates, SIR = O/E, with the exact Poisson interval (Ulm 1990) and the exact
two-sided p-value of R's poisson.test. Expected = sum over age groups of
person-years times the reference rate. --reference has the age group and either
a rate per person-year (--rate-col) or cases and person-years, plus any --match
columns it shares with the population (e.g. sex).`,
		Example: `  screenlab incidence sir --cases region_cases.csv --population region_pop.csv --reference national.csv --by region --match sex`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Cases == "" || opts.Population == "" || opts.Ref == "" {
				return flagErrorf("--cases, --population and --reference are required")
			}
			if runF != nil {
				return runF(opts)
			}
			return runIncidenceSIR(opts)
		},
	}
	fl := cmd.Flags()
	opts.countFlags.add(cmd, "observed case counts `FILE`", "person-years `FILE`")
	fl.StringVar(&opts.Ref, "reference", "", "reference rates `FILE`")
	fl.StringSliceVar(&opts.By, "by", nil, "one ratio per value of these `COLS`")
	fl.StringSliceVar(&opts.Match, "match", nil, "columns the reference rates depend on besides age (e.g. sex)")
	fl.StringVar(&opts.RateCol, "rate-col", "rate", "reference rate per person-year `COL` (else cases/person-years of the reference)")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level")
	fl.IntVar(&opts.Suppress, "suppress", 0, "mask observed counts below `N` and their ratios")
	return cmd
}

func runIncidenceSIR(opts *sirOptions) error {
	out, err := IncidenceSIR(opts)
	if err != nil {
		return err
	}
	return opts.f.Render(out)
}

// IncidenceSIR computes screenlab incidence sir: observed against expected
// cases per --by group.
func IncidenceSIR(opts *sirOptions) (*SIROutput, error) {
	keys := append(append([]string(nil), opts.By...), opts.Match...)
	tab, err := opts.join(keys)
	if err != nil {
		return nil, err
	}
	// Reference rates by match values and age group.
	rf, err := datasets.ReadFrame(opts.Ref)
	if err != nil {
		return nil, err
	}
	var rate []float64
	if rf.Has(opts.RateCol) {
		if rate, err = rf.Floats(opts.RateCol, false); err != nil {
			return nil, err
		}
	} else {
		c, err := rf.Floats(opts.CasesCol, false)
		if err != nil {
			return nil, fmt.Errorf("%s: want a %q column, or %q and %q: %w", rf.File, opts.RateCol, opts.CasesCol, opts.PYCol, err)
		}
		p, err := rf.Floats(opts.PYCol, false)
		if err != nil {
			return nil, err
		}
		rate = make([]float64, len(c))
		for i := range c {
			if p[i] <= 0 {
				return nil, rf.Fail(opts.PYCol, i, datasets.ErrOutOfRange, "person-years > 0")
			}
			rate[i] = c[i] / p[i]
		}
	}
	refAge, err := rf.Strings(opts.AgeCol)
	if err != nil {
		return nil, err
	}
	matchCols := make([][]string, len(opts.Match))
	for k, m := range opts.Match {
		if matchCols[k], err = rf.Strings(m); err != nil {
			return nil, err
		}
	}
	ref := map[string]float64{}
	for r := range rate {
		parts := []string{refAge[r]}
		for k := range opts.Match {
			parts = append(parts, matchCols[k][r])
		}
		ref[strings.Join(parts, "\x00")] = rate[r]
	}
	type acc struct {
		vals []string
		o, e float64
	}
	grps := map[string]*acc{}
	var order []string
	for _, g := range tab.order {
		vals := tab.vals[g]
		byVals, matchVals := vals[:len(opts.By)], vals[len(opts.By):]
		bk := strings.Join(byVals, "\x00")
		a := grps[bk]
		if a == nil {
			a = &acc{vals: byVals}
			grps[bk] = a
			order = append(order, bk)
		}
		for _, c := range tab.cells[g] {
			key := strings.Join(append([]string{c.AgeGroup}, matchVals...), "\x00")
			r, ok := ref[key]
			if !ok {
				return nil, fmt.Errorf("%s: no reference rate for age group %s %v", rf.File, c.AgeGroup, matchVals)
			}
			a.o += c.Cases
			a.e += c.PersonYears * r
		}
	}
	out := SIROutput{Level: opts.Level}
	for _, k := range order {
		a := grps[k]
		s, err := incidence.IndirectRate(a.o, a.e, opts.Level)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", strings.Join(a.vals, ", "), err)
		}
		row := SIRRow{Group: groups.Key{Names: opts.By, Values: a.vals}, SIR: s}
		if opts.Suppress > 0 && a.o > 0 && a.o < float64(opts.Suppress) {
			nan := nanValue()
			row.Observed, row.SIR.SIR, row.Lower, row.Upper, row.P, row.Suppressed = nan, nan, nan, nan, nan, true
		}
		out.Rows = append(out.Rows, row)
	}
	return &out, nil
}
