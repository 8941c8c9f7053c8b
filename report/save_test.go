package report

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/screenlab/screenlab/evaluation"
)

// Draw gives a plot's bytes without a file, the same bytes as the file.
func TestDraw(t *testing.T) {
	nb := []evaluation.NetBenefit{{Threshold: 0.1, Model: 0.05, TreatAll: 0.02}, {Threshold: 0.2, Model: 0.03, TreatAll: -0.05}}
	write := func(dst string) error { return WriteDecisionCurve(dst, "Decision curve", nb) }
	svg, err := Draw("svg", write)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("not an SVG: %.80q", svg)
	}
	path := filepath.Join(t.TempDir(), "dc.svg")
	if err := write(path); err != nil {
		t.Fatal(err)
	}
	if file, _ := os.ReadFile(path); !bytes.Equal(file, svg) {
		t.Error("Draw and the file differ")
	}
	png, err := Draw("png", write)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("png: %v, %.8q", err, png)
	}
	var buf bytes.Buffer
	if err := DrawTo(&buf, "svg", write); err != nil || !bytes.Equal(buf.Bytes(), svg) {
		t.Errorf("DrawTo: %v", err)
	}
	if pdf, err := Draw("pdf", write); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("pdf: %v, %.8q", err, pdf)
	}
	if _, err := Draw("jpg", write); err == nil {
		t.Error("Draw jpg: no error")
	}
	if err := WriteDecisionCurve("mem:none.svg", "x", nb); err == nil || !strings.Contains(err.Error(), "not a destination") {
		t.Errorf("unknown destination: %v", err)
	}
}

// A plot says which screenlab drew it: an SVG comment, a PNG text chunk
// that leaves the PNG valid.
func TestPlotsCarryTheVersion(t *testing.T) {
	nb := []evaluation.NetBenefit{{Threshold: 0.1, Model: 0.05, TreatAll: 0.02}, {Threshold: 0.2, Model: 0.03, TreatAll: -0.05}}
	write := func(dst string) error { return WriteDecisionCurve(dst, "Decision curve", nb) }
	svg, err := Draw("svg", write)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte("<!-- screenlab ")) {
		t.Errorf("SVG without the version: %.200s", svg)
	}
	b, err := Draw("png", write)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("tEXtSoftware\x00screenlab ")) {
		t.Error("PNG without the version")
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Errorf("the stamped PNG does not decode: %v", err)
	}
	// A PDF: the same bytes every time (its dates fixed), and an
	// incremental update whose xref the last startxref points at.
	p1, err := Draw("pdf", write)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // a new second for the PDF library's clock
	p2, _ := Draw("pdf", write)
	if !bytes.Equal(p1, p2) {
		t.Error("the same plot drawn twice as PDF differs")
	}
	if !bytes.Contains(p1, []byte("/Producer (screenlab ")) || !bytes.HasSuffix(p1, []byte("%%EOF\n")) {
		t.Errorf("PDF tail %q", p1[max(0, len(p1)-300):])
	}
	sx := bytes.LastIndex(p1, []byte("startxref\n"))
	var off int
	fmt.Sscan(string(p1[sx+len("startxref\n"):]), &off)
	if !bytes.HasPrefix(p1[off:], []byte("xref\n")) {
		t.Errorf("startxref %d points at %q", off, p1[off:min(len(p1), off+10)])
	}
}
