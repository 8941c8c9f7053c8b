package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
	"github.com/screenlab/screenlab/internal/atomicfile"
	"github.com/screenlab/screenlab/report/render"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// it comes from the module's build information.
var version = ""

// Version returns screenlab's version.
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		v := info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return strings.TrimSuffix(v, "(devel)") + "devel+" + s.Value[:12]
			}
		}
		if v != "" && v != "(devel)" {
			return v
		}
	}
	return "devel"
}

// Factory carries the global flags and the streams to every command.
type Factory struct {
	IO     *ui.Streams
	Format string
	Output string
	Seed   uint64
}

// FlagError is a usage error: the command prints its usage hint with it.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// flagErrorf returns a *FlagError.
func flagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// Render writes a result in the chosen format to --output or standard
// output. A file is written atomically (temporary file, sync, rename).
func (f *Factory) Render(v any) error {
	format, err := render.ParseFormat(f.Format)
	if err != nil {
		return &FlagError{Err: err}
	}
	if f.Output == "" || f.Output == "-" {
		return render.Write(f.IO.Out, format, v)
	}
	return writeFileAtomic(f.Output, func(w io.Writer) error { return render.Write(w, format, v) })
}

// writeFileAtomic writes a file through internal/atomicfile.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.WriteFile(path, write)
}

// NewRootCmd builds the command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "screenlab <group> <command> [flags]",
		Short: "Screening, survival and incidence statistics and models on cancer registry data",
		Long: `screenlab trains and validates risk-prediction and mammography-triage models on
registry data and images, estimates survival and incidence, and reports model
performance and screening indicators against registry-confirmed cancers.

Every command takes --format table|json|csv and --output FILE; --seed makes
every random step reproducible.`,
		Example: `  screenlab generate --out reg --persons 20000
  screenlab link --exams reg/exams.csv --diagnoses reg/diagnoses.csv --persons reg/persons.csv --out reg/linked.csv
  screenlab screening metrics --data reg/linked.csv --by screening_unit`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if _, err := render.ParseFormat(f.Format); err != nil {
				return &FlagError{Err: fmt.Errorf("--format: %w", err)}
			}
			return nil
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&f.Format, "format", "table", "output format: table, json or csv")
	pf.StringVarP(&f.Output, "output", "o", "", "write the result to `FILE` instead of standard output")
	pf.Uint64Var(&f.Seed, "seed", 1, "seed for every random step (same seed, same bytes)")
	pf.BoolVarP(&f.IO.Quiet, "quiet", "q", false, "no progress bars or notes on standard error")
	root.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return render.Formats, cobra.ShellCompDirectiveNoFileComp
	})
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return &FlagError{Err: err} })

	root.AddCommand(
		newCmdVersion(f),
		newCmdGenerate(f, nil),
		newCmdValidate(f, nil),
		newCmdLink(f, nil),
		newCmdScreening(f),
		newCmdSurvival(f),
		newCmdIncidence(f),
		newCmdEvaluate(f, nil),
		newCmdFeatures(f, nil),
		newCmdTrain(f, nil),
		newCmdPredict(f, nil),
		newCmdModels(f),
		newCmdScore(f, nil),
		newCmdTriage(f),
		newCmdIndicators(f, nil),
		newCmdReport(f, nil),
		newCmdRecalibrate(f),
		newCmdDemo(f, nil),
	)
	return root
}

// Main runs the command line and returns the exit status: 0 on success, 1
// on failure, 2 on a usage error.
func Main(args []string, io *ui.Streams) int {
	f := &Factory{IO: io}
	root := NewRootCmd(f)
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	cmd, err := root.ExecuteC()
	if err == nil {
		return 0
	}
	fmt.Fprintf(io.ErrOut, "screenlab: %v\n", err)
	var fe *FlagError
	if errors.As(err, &fe) || strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintf(io.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return 2
	}
	return 1
}

func newCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print screenlab's version",
		Example: "  screenlab version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.Format == "table" {
				fmt.Fprintln(f.IO.Out, "screenlab", Version())
				return nil
			}
			return f.Render(struct {
				Version string `json:"version"`
			}{Version()})
		},
	}
}
