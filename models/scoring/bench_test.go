package scoring

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/internal/hugeheap"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/imageio"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/models"
)

// BenchmarkScoreFullField scores a round of full-field 12-bit views
// (3328×4096 DICOM, four per exam) with the triage CNN at 64×64, the whole
// of Score: the journal, reading, decoding and preprocessing on every
// core, inference, the output. exams/s projects a national round (make
// bench prints the hours for 250,000 exams). The files are one image
// linked under every name, so they come from the page cache: the figure
// leaves out the disk (about 27 MB a view).
func BenchmarkScoreFullField(b *testing.B) {
	hugeheap.AsTheCommand() // the heap screenlab's main gives a command
	const w, h, exams, batch = 3328, 4096, 16, 4
	dir := b.TempDir()
	px := make([]uint16, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)/(0.85*w), (float64(y)-h/2)/(0.45*h)
			px[y*w+x] = 60
			if dx*dx+dy*dy <= 1 {
				px[y*w+x] = uint16(1800 + (x*7+y*13)%900)
			}
		}
	}
	first := filepath.Join(dir, "view.dcm")
	var images []datasets.Image
	for e := 0; e < exams; e++ {
		for _, v := range []struct {
			lat  byte
			view string
		}{{'L', "CC"}, {'L', "MLO"}, {'R', "CC"}, {'R', "MLO"}} {
			p := filepath.Join(dir, fmt.Sprintf("E%d_%c_%s.dcm", e, v.lat, v.view))
			if e == 0 && v.lat == 'L' && v.view == "CC" {
				if err := imageio.WriteDICOM(first, w, h, px, imageio.DICOMInfo{PatientID: "P", StudyUID: "2.25.1", SOPUID: "2.25.2"}); err != nil {
					b.Fatal(err)
				}
			}
			if err := os.Link(first, p); err != nil {
				b.Fatal(err)
			}
			images = append(images, datasets.Image{ExamID: fmt.Sprintf("E%d", e), Laterality: v.lat, View: v.view, Path: filepath.Base(p)})
		}
	}
	cnn, err := models.NewCNN(64, 1)
	if err != nil {
		b.Fatal(err)
	}
	m := &models.File{Kind: "cnn", CNN: cnn, ImagePrep: &features.ImagePrep{Width: 64, Height: 64, Resize: features.ResizeFloat}}
	out := filepath.Join(dir, "scores.csv")
	for b.Loop() {
		os.Remove(out)
		s, err := Score(m, images, out, Options{Root: dir, Batch: batch}) // batches of 4: every core has one
		if err != nil {
			b.Fatal(err)
		}
		if s.Scored != exams {
			b.Fatalf("scored %d of %d exams (%+v)", s.Scored, exams, s)
		}
	}
	b.ReportMetric(float64(exams*b.N)/b.Elapsed().Seconds(), "exams/s")
}
