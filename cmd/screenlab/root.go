package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/internal/atomicfile"
	"github.com/screenlab/screenlab/internal/buildinfo"
	"github.com/screenlab/screenlab/report/render"
)

// version returns screenlab's version (internal/buildinfo).
func version() string { return buildinfo.Version() }

// factory carries the global flags and the streams to every command.
type factory struct {
	IO     *ui.Streams
	Format string
	Output string
	Seed   uint64
	// Table picks a table of a result with several (--table); Rename
	// renames columns in CSV and tables (set by a command: "group" → the
	// column the user grouped by).
	Table  string
	Rename map[string]string
	// Units label columns of tables for people with their unit (set by a
	// command that knows it: survival times from dates).
	Units map[string]string
	// CPUProfile, when set, receives a CPU profile of the command.
	CPUProfile string
	// MemProfile, when set, receives the command's allocations.
	MemProfile string
	profile    *os.File
	// Missing is "error" (a missing value is an error naming it) or
	// "drop" (rows missing a value the command uses are left out).
	Missing string
}

// startProfile starts the --cpuprofile profile.
func (f *factory) startProfile() error {
	if f.CPUProfile == "" {
		return nil
	}
	file, err := os.Create(f.CPUProfile)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(file); err != nil {
		file.Close()
		return err
	}
	f.profile = file
	return nil
}

// stopProfile ends the --cpuprofile profile and writes --memprofile.
func (f *factory) stopProfile() {
	if f.profile != nil {
		pprof.StopCPUProfile()
		f.profile.Close()
		f.profile = nil
	}
	if f.MemProfile != "" {
		if file, err := os.Create(f.MemProfile); err == nil {
			runtime.GC() // the profile holds the allocations up to the last collection
			pprof.Lookup("allocs").WriteTo(file, 0)
			file.Close()
		}
	}
}

// flagError is a usage error: the command prints its usage hint with it.
type flagError struct{ Err error }

func (e *flagError) Error() string { return e.Err.Error() }
func (e *flagError) Unwrap() error { return e.Err }

// flagErrorf returns a *flagError.
func flagErrorf(format string, args ...any) error {
	return &flagError{Err: fmt.Errorf(format, args...)}
}

// write writes a result in the chosen format to --output or standard
// output. A file is written atomically (temporary file, sync, rename).
func (f *factory) write(v any) error {
	format, err := render.ParseFormat(f.Format)
	if err != nil {
		return &flagError{Err: err}
	}
	f.IO.ClearStatus()
	opts := render.Options{Table: f.Table, Rename: f.Rename, Units: f.Units, Version: version()}
	if f.Output == "" || f.Output == "-" {
		err := render.WriteWith(f.IO.Out, format, v, opts)
		if errors.Is(err, render.ErrNoTable) {
			return &flagError{Err: fmt.Errorf("--table: %w", err)}
		}
		return err
	}
	return writeFileAtomic(f.Output, func(w io.Writer) error { return render.WriteWith(w, format, v, opts) })
}

// writeFileAtomic writes a file through internal/atomicfile.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.WriteFile(path, write)
}

// newRootCmd builds the command tree.
func newRootCmd(f *factory) *cobra.Command {
	showRows, encoding, delim := false, "utf-8", ","
	root := &cobra.Command{
		Use:   "screenlab <group> <command> [flags]",
		Short: "Screening, survival and incidence statistics and models on cancer registry data",
		Long: `screenlab trains and validates risk-prediction and mammography-triage models on
registry data and images, estimates survival and incidence, and reports model
performance and screening indicators against registry-confirmed cancers.

Every command takes --format table|json|csv and --output FILE; --seed makes
every random step reproducible. Messages name the file, line and column of a
problem but never an identifier's value (a person or exam id, a birth date)
unless you add --show-rows.`,
		Example: `  screenlab generate --out reg --persons 20000
  screenlab link --exams reg/exams.csv --diagnoses reg/diagnoses.csv --persons reg/persons.csv --out reg/linked.csv
  screenlab screening metrics --data reg/linked.csv --by screening_unit`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			datasets.ShowRows.Store(showRows)
			datasets.Stdin = f.IO.In // --data -
			if f.Missing != "error" && f.Missing != "drop" {
				return flagErrorf("--missing %q: want error or drop", f.Missing)
			}
			if err := datasets.SetInputFormat(delim, encoding); err != nil {
				return &flagError{Err: err}
			}
			if _, err := render.ParseFormat(f.Format); err != nil {
				return &flagError{Err: fmt.Errorf("--format: %w", err)}
			}
			if err := checkPaths(cmd, args); err != nil {
				return err
			}
			return f.startProfile()
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&f.Format, "format", "table", "output format: table, json or csv")
	pf.StringVar(&f.Table, "table", "", "which `TABLE` of a result with several to write as csv or a table (e.g. groups.at; default: the main one)")
	pf.StringVarP(&f.Output, "output", "o", "", "write the result to `FILE` instead of standard output")
	markOutputs(root, "output")
	pf.Uint64Var(&f.Seed, "seed", 1, "seed for every random step (same seed, same bytes)")
	pf.BoolVarP(&f.IO.Quiet, "quiet", "q", false, "no progress bars or notes on standard error")
	pf.StringVar(&f.Missing, "missing", "error", "commands that fit or evaluate: `error` on a missing value, or drop the rows that miss one (R's na.omit)")
	pf.StringVar(&delim, "delim", ",", "field separator of CSV inputs: one character, e.g. ; (a comma-decimal spreadsheet) or tab")
	pf.StringVar(&encoding, "encoding", "utf-8", "text encoding of CSV inputs: utf-8 or latin1 (ISO 8859-1)")
	pf.BoolVar(&showRows, "show-rows", false, "let error messages show identifiers (person and exam ids, birth dates)")
	pf.StringVar(&f.CPUProfile, "cpuprofile", "", "write a CPU profile of the command to `FILE` (go tool pprof)")
	pf.StringVar(&f.MemProfile, "memprofile", "", "write the command's memory allocations to `FILE` (go tool pprof -sample_index=alloc_space)")
	markOutputs(root, "cpuprofile")
	root.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return render.Formats, cobra.ShellCompDirectiveNoFileComp
	})
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return &flagError{Err: err} })

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
		newCmdReadImages(f),
		newCmdTriage(f),
		newCmdIndicators(f, nil),
		newCmdProm(f),
		newCmdExport(f),
		newCmdCaseMix(f),
		newCmdCompleteness(f),
		newCmdDataQuality(f),
		newCmdReport(f, nil),
		newCmdRecalibrate(f),
		newCmdDemo(f, nil),
	)
	markFiles(root)
	return root
}

// run runs the command line and returns the exit status: 0 on success, 1
// on failure, 2 on a usage error.
func run(args []string, io *ui.Streams) int {
	f := &factory{IO: io}
	root := newRootCmd(f)
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.ErrOut)
	cmd, err := root.ExecuteC()
	f.stopProfile()
	io.ClearStatus()
	if err == nil {
		return 0
	}
	fmt.Fprintf(io.ErrOut, "screenlab: %v\n", err)
	var fe *flagError
	if errors.As(err, &fe) || strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintf(io.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
		return 2
	}
	return 1
}

func newCmdVersion(f *factory) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print screenlab's version",
		Example: "  screenlab version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.Format == "table" {
				fmt.Fprintln(f.IO.Out, "screenlab", version())
				return nil
			}
			return f.write(struct {
				Version string `json:"version"`
			}{version()})
		},
	}
}
