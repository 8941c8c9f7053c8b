package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/internal/browser"
)

// openInBrowser opens a page in headless Chromium (skipping the test
// without one), saves a screenshot and returns the console messages.
func openInBrowser(t *testing.T, page, shot string) []string {
	t.Helper()
	bin := browser.Find()
	if bin == "" {
		t.Skip("no Chromium (apt-get install chromium; .ci/run installs it)")
	}
	msgs, err := browser.Open(bin, page, shot, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// TestReportInBrowser opens a report page (tables and an inline plot) in
// headless Chromium: no console errors, and a screenshot is saved. A page
// with a script error is opened first, to show the check sees errors.
func TestReportInBrowser(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.html")
	os.WriteFile(bad, []byte(`<html><body><script>notDefined();</script></body></html>`), 0o644)
	if msgs := openInBrowser(t, bad, filepath.Join(dir, "bad.png")); len(msgs) == 0 {
		t.Fatal("the check saw no error on a page with one: it cannot be trusted")
	}
	roc := filepath.Join(dir, "roc.svg")
	score := []float64{0.1, 0.4, 0.35, 0.8, 0.7, 0.2}
	y := []bool{false, false, true, true, true, false}
	if err := WriteROCPlot(roc, "ROC", []string{"model"}, [][]evaluation.ROCPoint{evaluation.ROC(score, y)}, nil); err != nil {
		t.Fatal(err)
	}
	p := &Page{Title: "Browser test", Subtitle: "tables and an inline plot", Version: "test"}
	p.Section("A table", "with a note")
	p.Table([]string{"a", "b"}, [][]string{{"1", "2"}, {"<3>", "&4"}})
	if err := p.SVG(roc, "An inline plot."); err != nil {
		t.Fatal(err)
	}
	p.EndSection()
	page := filepath.Join(dir, "report.html")
	if err := p.Write(page); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")
	if msgs := openInBrowser(t, page, shot); len(msgs) > 0 {
		t.Errorf("console messages: %q", msgs)
	}
	if st, err := os.Stat(shot); err != nil || st.Size() < 1000 {
		t.Errorf("no screenshot: %v", err)
	}
	if out := os.Getenv("SCREENLAB_SCREENSHOTS"); out != "" {
		raw, _ := os.ReadFile(shot)
		os.WriteFile(filepath.Join(out, "report.png"), raw, 0o644)
	}
}
