package main

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/shlex"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
	"github.com/screenlab/screenlab/internal/golden"
)

// timing matches the fields that measure speed, not results (seconds,
// images per second): the contract pins them as 0.
var timing = regexp.MustCompile(`"(\w*seconds|\w*per_second)": [-0-9.e+]+`)

// TestContract pins the CLI's output, JSON field names and values, on fixed
// inputs (testdata/contract/in, made once by make_inputs.sh): the cases in
// testdata/contract/commands.txt run in order in one scratch copy of the
// inputs, and each one's standard output must equal its golden file byte
// for byte. go test -run TestContract -update rewrites the golden files.
func TestContract(t *testing.T) {
	if testing.Short() {
		t.Skip("the contract runs every command (about 20 s)")
	}
	root, err := filepath.Abs(filepath.Join("testdata", "contract"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	if err := os.CopyFS(work, os.DirFS(filepath.Join(root, "in"))); err != nil {
		t.Fatal(err)
	}
	// os.CopyFS keeps read-only modes; later cases write beside the inputs.
	filepath.WalkDir(work, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	t.Chdir(work)
	cases, err := os.Open(filepath.Join(root, "commands.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer cases.Close()
	sc := bufio.NewScanner(cases)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, args, ok := strings.Cut(line, ": ")
		if !ok {
			t.Fatalf("commands.txt: %q: want NAME: ARGUMENTS", line)
		}
		argv, err := shlex.Split(args)
		if err != nil {
			t.Fatal(err)
		}
		io, _, out, errOut := ui.Test()
		io.Quiet = true
		if code := run(argv, io); code != 0 {
			t.Errorf("%s: exit %d: %s", name, code, errOut)
			continue
		}
		got := bytes.ReplaceAll(out.Bytes(), []byte(version()), []byte("VERSION"))
		got = timing.ReplaceAll(got, []byte(`"$1": 0`))
		// later cases may read a result (screenlab report)
		if err := os.WriteFile(name+".json", got, 0o644); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join(root, name+".golden"), got)
	}
}
