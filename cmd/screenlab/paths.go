package main

import (
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Flags that name files a command reads or writes carry a role, so that
// every command refuses, before it writes anything, an output that is one
// of its inputs or another of its outputs.
const ioRole = "screenlab/io"

// markInputs marks flags that name files the command reads.
func markInputs(cmd *cobra.Command, names ...string) { markRole(cmd, "in", names) }

// markOutputs marks flags that name files the command writes.
func markOutputs(cmd *cobra.Command, names ...string) { markRole(cmd, "out", names) }

func markRole(cmd *cobra.Command, role string, names []string) {
	for _, n := range names {
		fl := cmd.Flags().Lookup(n)
		if fl == nil {
			fl = cmd.PersistentFlags().Lookup(n)
		}
		if fl == nil {
			panic("screenlab: no flag --" + n + " to mark")
		}
		if fl.Annotations == nil {
			fl.Annotations = map[string][]string{}
		}
		fl.Annotations[ioRole] = []string{role}
	}
}

// argsAreInputs marks a command whose arguments are files it reads.
func argsAreInputs(cmd *cobra.Command) {
	if cmd.Annotations == nil {
		cmd.Annotations = map[string]string{}
	}
	cmd.Annotations[ioRole] = "in"
}

// samePath reports whether two paths name one file: the same absolute
// path, or, when both exist, the same file (a link).
func samePath(a, b string) bool {
	pa, err1 := filepath.Abs(a)
	pb, err2 := filepath.Abs(b)
	if err1 == nil && err2 == nil && pa == pb {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// checkPaths refuses an output flag that names an input of the command or
// another of its outputs (standard input and output, "-", aside).
func checkPaths(cmd *cobra.Command, args []string) error {
	type named struct{ flag, path string }
	var ins, outs []named
	seen := map[*pflag.Flag]bool{} // a persistent flag is in both sets
	visit := func(fl *pflag.Flag) {
		role := fl.Annotations[ioRole]
		if len(role) == 0 || seen[fl] {
			return
		}
		seen[fl] = true
		var paths []string
		if sv, ok := fl.Value.(pflag.SliceValue); ok {
			paths = sv.GetSlice()
		} else {
			paths = []string{fl.Value.String()}
		}
		for _, p := range paths {
			if p == "" || p == "-" {
				continue
			}
			if role[0] == "in" {
				ins = append(ins, named{"--" + fl.Name, p})
			} else {
				outs = append(outs, named{"--" + fl.Name, p})
			}
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	if cmd.Annotations[ioRole] == "in" {
		for _, a := range args {
			ins = append(ins, named{"an argument", a})
		}
	}
	for i, o := range outs {
		for _, in := range ins {
			if samePath(o.path, in.path) {
				return flagErrorf("%s %s is also %s: screenlab does not overwrite its inputs", o.flag, o.path, in.flag)
			}
		}
		for _, other := range outs[:i] {
			if samePath(o.path, other.path) {
				return flagErrorf("%s and %s both write %s", other.flag, o.flag, o.path)
			}
		}
	}
	return nil
}

// fileFlags are the flags of each command that name files it reads (in)
// and writes (out); args marks a command whose arguments are files it
// reads. --output is an output of every command.
var fileFlags = map[string]struct {
	in, out []string
	args    bool
}{
	"screenlab generate":          {out: []string{"out"}},
	"screenlab validate":          {in: []string{"persons", "exams", "diagnoses", "images", "lifetable"}},
	"screenlab link":              {in: []string{"persons", "exams", "diagnoses"}, out: []string{"out"}},
	"screenlab screening metrics": {in: []string{"data"}},
	"screenlab survival km":       {in: []string{"data"}, out: []string{"plot"}},
	"screenlab survival cox":      {in: []string{"data"}},
	"screenlab survival cif":      {in: []string{"data"}, out: []string{"plot"}},
	"screenlab survival relative": {in: []string{"data", "lifetable"}},
	"screenlab incidence split":   {in: []string{"data"}},
	"screenlab incidence counts":  {in: []string{"persons", "diagnoses", "population"}, out: []string{"out"}},
	"screenlab incidence rates":   {in: []string{"cases", "population", "weights"}},
	"screenlab incidence sir":     {in: []string{"cases", "population", "reference"}},
	"screenlab incidence trend":   {in: []string{"cases", "population"}},
	"screenlab evaluate":          {in: []string{"data"}, out: []string{"report", "plot"}},
	"screenlab features":          {in: []string{"linked"}, out: []string{"out"}},
	"screenlab train":             {in: []string{"data", "images"}, out: []string{"out", "checkpoint"}},
	"screenlab predict":           {in: []string{"model", "data"}, out: []string{"out"}},
	"screenlab models describe":   {args: true},
	"screenlab score":             {in: []string{"model", "data"}, out: []string{"out"}},
	"screenlab score merge":       {in: []string{"data"}, out: []string{"out"}, args: true},
	"screenlab triage simulate":   {in: []string{"data", "scores"}, out: []string{"plot"}},
	"screenlab indicators":        {in: []string{"data"}, out: []string{"plot"}},
	"screenlab report":            {out: []string{"out"}, args: true},
	"screenlab recalibrate":       {in: []string{"model", "data"}, out: []string{"out"}},
	"screenlab demo":              {out: []string{"dir"}},
}

// markFiles marks the file flags of every command of the tree.
func markFiles(cmd *cobra.Command) {
	if ff, ok := fileFlags[cmd.CommandPath()]; ok {
		markInputs(cmd, ff.in...)
		markOutputs(cmd, ff.out...)
		if ff.args {
			argsAreInputs(cmd)
		}
	}
	for _, c := range cmd.Commands() {
		markFiles(c)
	}
}
