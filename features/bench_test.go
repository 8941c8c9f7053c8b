package features

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/internal/hugeheap"

	"github.com/screenlab/screenlab/datasets/imageio"
)

// breastPixels draws a half-ellipse "breast" against the left edge, 12-bit.
func breastPixels(w, h int) []uint16 {
	px := make([]uint16, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)/(0.85*float64(w)), (float64(y)-float64(h)/2)/(0.45*float64(h))
			if dx*dx+dy*dy <= 1 {
				px[y*w+x] = uint16(1500 + 1000*math.Sin(float64(x*y)/500))
			} else {
				px[y*w+x] = 80
			}
		}
	}
	return px
}

// BenchmarkDecodePreprocessDICOM: read an MG DICOM and preprocess it to the
// CNN's 64×64 input — at the synthetic registry's 96×128 and at a quarter
// of a full-field mammogram (1024×1280) and at full field (3328×4096).
// images/s is per goroutine.
func BenchmarkDecodePreprocessDICOM(b *testing.B) {
	hugeheap.AsTheCommand() // the heap screenlab's main gives a command
	for _, sz := range [][2]int{{96, 128}, {1024, 1280}, {3328, 4096}} {
		b.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(b *testing.B) {
			p := filepath.Join(b.TempDir(), "v.dcm")
			if err := imageio.WriteDICOM(p, sz[0], sz[1], breastPixels(sz[0], sz[1]), imageio.DICOMInfo{PatientID: "P1", StudyUID: "2.25.1", SOPUID: "2.25.2", Laterality: "L", View: "CC"}); err != nil {
				b.Fatal(err)
			}
			prep := ImagePrep{Width: 64, Height: 64, Resize: ResizeFloat}
			b.ReportAllocs()
			for b.Loop() {
				m, err := imageio.ReadCoded(p, imageio.DefaultLimits)
				if err != nil {
					b.Fatal(err)
				}
				if out := prep.Preprocess(m); len(out.Pixels) != 64*64 {
					b.Fatal("bad output")
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "images/s")
		})
	}
}
