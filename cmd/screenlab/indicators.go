package main

import (
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/report"
)

type indicatorsOptions struct {
	f              *factory
	Data           string
	Unit           string
	Context        string
	Year           int
	Name           string
	Numerator      string
	Denominator    string
	Where          string
	Per            float64
	Target         string
	Definitions    string
	Print          bool
	Level          float64
	Overdispersion bool
	Suppress       int
	Plot           string
	PlotFormat     string
	plotFlags
}

func newCmdIndicators(f *factory, runF func(*indicatorsOptions) error) *cobra.Command {
	opts := &indicatorsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "indicators --data F --unit COL (--numerator N --denominator D [--target T] | --definitions F)",
		Short: "Quality indicators per unit against targets, with funnel plots",
		Long: `Compute quality indicators per unit (hospital, health trust, screening unit)
and nationally: numerator / denominator with a Wilson interval, whether the
target is met (and met with confidence: the whole interval on the right side),
and where the unit lies in a funnel plot around the national value (exact
binomial 95% and 99.8% limits, Spiegelhalter 2005).

A numerator or denominator is a column summed over rows (0/1 flags or counts),
COL=V1|V2 (rows whose COL is one of the values), or "rows". --where COL=V1|V2
keeps only those rows. --per 1000 shows the value per 1000; --target ">=80" is
in that scale. --definitions screening runs the built-in screening indicators
(recall rate, detection rate, interval cancer rate, sensitivity per unit, on
linked exams); --definitions cervical or bowel the programmes' (on linked
episodes, or participation on linked invitations: screenlab link --programme);
--definitions F runs your own (a JSON list: print the built-in
ones with --print-definitions and edit them). --suppress N (at least 3) hides
numerators and denominators below N ("primary") and then "complementary" ones
until none can be worked out from the national totals, the relations among
the indicators (the sensitivity's denominator is the detected plus the interval
cancers), zeros and the "below N" bound; each hidden figure says why. --plot
DIR writes a funnel plot per indicator.`,
		Example: `  screenlab indicators --data reg/linked.csv --unit screening_unit --definitions screening --plot out/funnels
  screenlab indicators --data reg/linked.csv --unit screening_unit --numerator recall --denominator rows --per 100 --target "<=5"
  screenlab indicators --print-definitions > my_indicators.json
  screenlab indicators --data cx/episodes.csv --unit laboratory --definitions cervical --suppress 5 --plot out/cx-funnels`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Print {
				name := opts.Definitions
				if name == "" {
					name = "screening"
				}
				_, raw, err := screening.BuiltinIndicators(name)
				if err != nil {
					return err
				}
				_, err = opts.f.IO.Out.Write(raw)
				return err
			}
			if opts.Data == "" || (opts.Unit == "") == (opts.Context == "") {
				return flagErrorf("--data is required, and one of --unit and --context")
			}
			if (opts.Definitions == "") == (opts.Numerator == "" || opts.Denominator == "") {
				return flagErrorf("give either --numerator and --denominator, or --definitions")
			}
			if runF != nil {
				return runF(opts)
			}
			res, err := indicators(opts)
			if err != nil {
				return err
			}
			return opts.f.write(res)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Data, "data", "", "table `FILE` (e.g. linked exams)")
	fl.StringVar(&opts.Unit, "unit", "", "unit `COL` (hospital, health trust, screening unit)")
	fl.StringVar(&opts.Context, "context", "", "count units by a context of the definitions instead of --unit, e.g. `treating` (hospital) or catchment (area)")
	fl.IntVar(&opts.Year, "year", 0, "with definitions that have a year column: the `YEAR` (default: the last complete year; -1: every year)")
	fl.StringVar(&opts.Name, "name", "indicator", "the indicator's name")
	fl.StringVar(&opts.Numerator, "numerator", "", "numerator: `COL`, COL=V1|V2 or rows")
	fl.StringVar(&opts.Denominator, "denominator", "", "denominator: `COL`, COL=V1|V2 or rows")
	fl.StringVar(&opts.Where, "where", "", "keep rows with `COL=V1|V2`")
	fl.Float64Var(&opts.Per, "per", 1, "show values per `N` (100: percent, 1000: per 1000)")
	fl.StringVar(&opts.Target, "target", "", `target in the shown scale, e.g. ">=80" or "<=5"`)
	fl.StringVar(&opts.Definitions, "definitions", "", "indicator definitions: `screening`, cervical or bowel (built in), or a JSON file")
	fl.BoolVar(&opts.Print, "print-definitions", false, "print the built-in definitions named by --definitions (default screening), to copy and edit")
	fl.Float64Var(&opts.Level, "level", 0.95, "confidence level of the intervals")
	fl.BoolVar(&opts.Overdispersion, "overdispersion", false, "funnel limits and places with the additive random-effects correction for overdispersion (Spiegelhalter 2005; z-scores 10% Winsorised)")
	fl.IntVar(&opts.Suppress, "suppress", 0, "hide numerators and denominators below `N` (at least 3; 0: none) and what would reveal them")
	fl.StringVar(&opts.Plot, "plot", "", "write funnel plots into `DIR` (funnel_NAME.svg)")
	fl.StringVar(&opts.PlotFormat, "plot-format", "svg", "funnel plot format: svg, png or pdf")
	opts.plotFlags.add(cmd)
	return cmd
}

// indicators computes the asked indicators.
func indicators(opts *indicatorsOptions) (*screening.IndicatorsResult, error) {
	var defs []screening.Indicator
	switch {
	case slices.Contains(screening.BuiltinNames, opts.Definitions):
		d, _, err := screening.BuiltinIndicators(opts.Definitions)
		if err != nil {
			return nil, err
		}
		defs = d
		if opts.Definitions == "cervical" || opts.Definitions == "bowel" {
			// a programme's linked invitations (participation) or episodes
			fr, err := datasets.ReadFrame(opts.Data)
			if err != nil {
				return nil, err
			}
			table := "episodes"
			if fr.Has("participated") {
				table = "invitations"
			}
			defs = screening.ForTable(defs, table)
		}
	case opts.Definitions != "":
		raw, err := os.ReadFile(opts.Definitions)
		if err != nil {
			return nil, err
		}
		if defs, err = screening.ParseIndicators(raw); err != nil {
			return nil, flagErrorf("%s: %v", opts.Definitions, err)
		}
	default:
		defs = []screening.Indicator{{Name: opts.Name, Numerator: opts.Numerator, Denominator: opts.Denominator,
			Where: opts.Where, Per: opts.Per, Target: opts.Target}}
	}
	if opts.Context != "" {
		u, err := screening.ContextUnit(defs, opts.Context)
		if err != nil {
			return nil, &flagError{Err: err}
		}
		opts.Unit = u
	}
	if yearCol := screening.YearColumn(defs); yearCol != "" && opts.Year != -1 {
		if opts.Year == 0 {
			fr, err := datasets.ReadFrameColumns(opts.Data, yearCol)
			if err != nil {
				return nil, err
			}
			if opts.Year, err = screening.LastCompleteYear(fr, yearCol, datasets.Today()); err != nil {
				return nil, err
			}
			opts.f.IO.Notef("year %d, the last complete year in %s (set another with --year)", opts.Year, opts.Data)
		}
		defs = screening.ForYear(defs, opts.Year)
	}
	cols := []string{opts.Unit}
	for i := range defs {
		cols = append(cols, defs[i].Columns()...)
	}
	fr, err := datasets.ReadFrameColumns(opts.Data, cols...)
	if err != nil {
		return nil, err
	}
	res, err := screening.ComputeIndicators(fr, opts.Unit, defs, screening.IndicatorOptions{Level: opts.Level, Overdispersion: opts.Overdispersion}, opts.Suppress)
	if err != nil {
		return nil, err
	}
	if opts.Plot != "" {
		po, err := opts.plotFlags.options()
		if err != nil {
			return nil, err
		}
		if res.Plots, err = report.WriteFunnelPlots(opts.Plot, res, opts.PlotFormat, po); err != nil {
			return nil, err
		}
	}
	return res, nil
}
