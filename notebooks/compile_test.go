package notebooks

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// program assembles a notebook's Go cells into one program, as GoNB runs
// them: shell lines (!…) dropped, declarations (cells, and the part of a
// cell before %%) at the top level, and each %% body as a function of its
// own, so that every cell type-checks against the library without Jupyter.
func program(nb *notebook) string {
	var decls, bodies strings.Builder
	for i, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		var decl, body []string
		isMain := false
		for _, l := range strings.Split(source(c.Source), "\n") {
			switch {
			case strings.HasPrefix(strings.TrimSpace(l), "!"):
			case strings.TrimSpace(l) == "%%":
				isMain = true
			case isMain:
				body = append(body, l)
			default:
				decl = append(decl, l)
			}
		}
		decls.WriteString(strings.Join(decl, "\n") + "\n")
		if isMain {
			fmt.Fprintf(&bodies, "func cell%d() {\n%s\n}\n\n", i, strings.Join(body, "\n"))
		}
	}
	return "package main\n\n" + decls.String() + "\n" + bodies.String() + "func main() {}\n"
}

// gonbuiStub stands in for GoNB's display helpers.
const gonbuiStub = `package gonbui

func DisplaySVG(svg string)   {}
func DisplayHTML(html string) {}
`

// TestNotebooksCompile: every cell of every notebook compiles against this
// checkout (go vet), so a change to the library that breaks a notebook
// fails here even where Jupyter is not installed.
func TestNotebooksCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every notebook")
	}
	paths, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("testdata", "compile")
	t.Cleanup(func() { os.RemoveAll(root) })
	stub := filepath.Join(root, "gonbui")
	if err := os.MkdirAll(stub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stub, "gonbui.go"), []byte(gonbuiStub), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		name := strings.TrimSuffix(p, ".ipynb")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			var nb notebook
			if err := json.Unmarshal(raw, &nb); err != nil {
				t.Fatal(err)
			}
			src := strings.ReplaceAll(program(&nb), `"github.com/janpfeifer/gonb/gonbui"`, `"github.com/screenlab/screenlab/notebooks/testdata/compile/gonbui"`)
			dir := filepath.Join(root, "nb"+strings.NewReplacer("-", "_").Replace(name))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("go", "vet", "./"+filepath.ToSlash(dir)).CombinedOutput()
			if err != nil {
				t.Errorf("%s does not compile:\n%s", p, out)
			}
		})
	}
}
