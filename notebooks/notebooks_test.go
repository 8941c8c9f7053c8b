package notebooks

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type notebook struct {
	Metadata struct {
		Kernelspec struct {
			Name string `json:"name"`
		} `json:"kernelspec"`
	} `json:"metadata"`
	Cells []struct {
		Type    string          `json:"cell_type"`
		Source  json.RawMessage `json:"source"`
		Outputs []any           `json:"outputs"`
	} `json:"cells"`
}

func source(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var lines []string
	json.Unmarshal(raw, &lines)
	return strings.Join(lines, "")
}

// TestNotebooks: the ten notebooks exist, use the GoNB kernel, start with
// prose, call the library (screenlab packages, never the screenlab
// binary), use this checkout, show plots inline, and are committed
// without outputs.
func TestNotebooks(t *testing.T) {
	paths, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 10 {
		t.Fatalf("%d notebooks, want 10: %v", len(paths), paths)
	}
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var nb notebook
		if err := json.Unmarshal(raw, &nb); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if nb.Metadata.Kernelspec.Name != "gonb" {
			t.Errorf("%s: kernel %q, want gonb", p, nb.Metadata.Kernelspec.Name)
		}
		if len(nb.Cells) < 6 || nb.Cells[0].Type != "markdown" {
			t.Errorf("%s: want prose first and several cells", p)
			continue
		}
		var code, prose strings.Builder
		for i, c := range nb.Cells {
			if len(c.Outputs) > 0 {
				t.Errorf("%s: cell %d is committed with outputs", p, i+1)
			}
			if c.Type == "code" {
				code.WriteString(source(c.Source) + "\n")
			} else {
				prose.WriteString(source(c.Source))
			}
		}
		src := code.String()
		for _, want := range []string{`github.com/screenlab/screenlab=${GONB_DIR}/..`, `"github.com/screenlab/screenlab/`, "gonbui.DisplaySVG"} {
			if !strings.Contains(src, want) {
				t.Errorf("%s: code lacks %q", p, want)
			}
		}
		if !strings.Contains(src, "report.Draw(") && !strings.Contains(src, "demo.Run(") {
			t.Errorf("%s: code neither draws a plot in memory (report.Draw) nor runs the demo", p)
		}
		if strings.Contains(src, "os.TempDir()") {
			t.Errorf("%s: writes plots to temporary files; use report.Draw", p)
		}
		for _, bad := range []string{`"os/exec"`, "!screenlab", "bin/screenlab"} {
			if strings.Contains(src, bad) {
				t.Errorf("%s: runs the CLI (%q); notebooks call the library", p, bad)
			}
		}
		if prose.Len() < 800 {
			t.Errorf("%s: %d characters of prose; explain what it does", p, prose.Len())
		}
	}
}
