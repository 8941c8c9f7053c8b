package main

import (
	"bufio"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/shlex"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
)

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
		// later cases may read a result (screenlab report)
		if err := os.WriteFile(name+".json", got, 0o644); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join(root, name+".golden")
		if *update {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: %v (go test -run TestContract -update writes it)", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: output differs from %s (go test -run TestContract -update rewrites it)\n%s", name, golden, firstDiff(want, got))
		}
	}
}

// firstDiff shows the first line where two outputs differ.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n  want " + a + "\n  got  " + b
		}
	}
	return ""
}
