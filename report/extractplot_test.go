package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/export"
)

// TestWriteExtractPlot draws the group sizes before and after suppression
// (looked at as PNG: bars side by side, legend clear of them).
func TestWriteExtractPlot(t *testing.T) {
	m := &export.Manifest{K: 3,
		ClassesBefore: []export.ClassCount{{Size: "1", Classes: 700, Persons: 700}, {Size: "2", Classes: 120, Persons: 240}, {Size: ">=3", Classes: 40, Persons: 160}},
		ClassesAfter:  []export.ClassCount{{Size: ">=3", Classes: 250, Persons: 1090}}}
	dir := os.Getenv("SCREENLAB_PLOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, ext := range []string{"png", "svg"} {
		p := filepath.Join(dir, "extract."+ext)
		if err := WriteExtractPlot(p, m); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(p); err != nil || fi.Size() < 1000 {
			t.Errorf("%s: %v", p, err)
		}
	}
}
