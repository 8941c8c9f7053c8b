package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The attack: an output path that is one of the command's inputs (or a
// link to it), or two outputs on one path. Every such command is refused
// with a usage error before it writes anything, and the input is intact.
func TestOutputOverInputRefused(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "lung.csv")
	data := []byte("time,status,sex\n5,1,1\n8,0,2\n9,1,1\n12,1,2\n")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ args, want string }{
		{"survival km --data " + in + " --time time --event status --output " + in, "--output " + in + " is also --data"},
		{"survival km --data " + in + " --time time --event status -o " + link, "is also --data"},
		{"survival km --data " + in + " --time time --event status --plot " + dir + "/x.svg --output " + dir + "/x.svg", "--output and --plot both write"},
		{"link --exams " + in + " --diagnoses d.csv --out " + in, "--out " + in + " is also --exams"},
		{"predict --model m.model --data " + in + " --out " + in, "is also --data"},
		{"report --out " + in + " " + in, "is also an argument"},
		{"score merge --data images.csv --out " + in + " " + in, "is also an argument"},
		{"train --data " + in + " --target status --features sex --out " + in, "is also --data"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			code, _, errOut := runCLI(t, tt.args)
			if code != 2 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, %q; want exit 2 and %q", code, errOut, tt.want)
			}
			if got, _ := os.ReadFile(in); !bytes.Equal(got, data) {
				t.Errorf("the input was changed: %q", got)
			}
		})
	}
	// link's default output, linked.csv beside the exams, is refused when
	// it is the exams file itself.
	exams := filepath.Join(dir, "linked.csv")
	os.WriteFile(exams, data, 0o644)
	if code, _, errOut := runCLI(t, "link --exams "+exams+" --diagnoses d.csv"); code != 2 || !strings.Contains(errOut, "the default output") {
		t.Errorf("link's default output over its exams: exit %d %q", code, errOut)
	}
	// Other outputs are fine.
	if code, _, errOut := runCLI(t, "survival km --data "+in+" --time time --event status --output "+filepath.Join(dir, "km.txt")); code != 0 {
		t.Errorf("a fresh output: exit %d %s", code, errOut)
	}
}

// Absurd parameters are refused before anything is allocated or read.
func TestAbsurdParametersRefused(t *testing.T) {
	tests := []struct{ args, want string }{
		{"incidence split --data x.csv --entry a --exit b --birth c --breaks age=0:0.0000001:100", "at most 100000"},
		{"train --model cnn --data x.csv --target y --images i.csv --out m --image-size 100000", "--image-size 100000"},
		{"models describe /dev/zero", "not a regular file"},
		{"predict --model /dev/zero --data x.csv --out y.csv", "not a regular file"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, tt.args)
		if code == 0 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d %q, want %q", tt.args, code, errOut, tt.want)
		}
	}
}
