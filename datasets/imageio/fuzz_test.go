package imageio

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/screenlab/screenlab/internal/hostile"
)

// FuzzReadDICOM: whatever the bytes, reading a DICOM returns an image or
// an error — no panic, no hang, nothing beyond the limits — and an image
// it returns is whole: width × height intensities in [0, 1]. make test
// runs the seeds; fuzz with go test -fuzz FuzzReadDICOM ./datasets/imageio.
func FuzzReadDICOM(f *testing.F) {
	dir := f.TempDir()
	valid := filepath.Join(dir, "valid.dcm")
	if err := WriteDICOM(valid, 24, 20, stored(24, 20), DICOMInfo{PatientID: "P", StudyUID: "2.25.1", SOPUID: "2.25.2", Laterality: "L", View: "CC"}); err != nil {
		f.Fatal(err)
	}
	b, _ := os.ReadFile(valid)
	f.Add(b)
	f.Add(hostile.NewDICOM(hostile.ExplicitLE).Mammogram(24, 20).Pixels(24, 20).Bytes())
	f.Add(hostile.NewDICOM("1.2.840.10008.1.2").Mammogram(24, 20).Pixels(24, 20).Bytes())
	f.Add(hostile.NewDICOM("1.2.840.10008.1.2.2").Mammogram(24, 20).Pixels(24, 20).Bytes())
	f.Add(hostile.NewDICOM(hostile.ExplicitLE).Mammogram(24, 20).Nested(40).Bytes())
	f.Add(hostile.NewDICOM(hostile.ExplicitLE).Mammogram(24, 20).ElemLen(0x7FE0, 0x0010, "OW", 0xFFFFFFF0, []byte{1, 2, 3}).Bytes())
	f.Add(b[:len(b)/2])
	// One view in each compressed syntax (codec/testdata).
	for _, dir := range []string{"rle", "jpeg-baseline", "jpeg-extended", "jpeg-lossless-sv1", "jpegls", "jpegls-near", "j2k", "j2k-lossy"} {
		c, err := os.ReadFile(fixture(dir, "R_MLO"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c)
	}
	lim := Limits{MaxFileBytes: 1 << 20, MaxPixels: 1 << 18, MaxDecodedBytes: 1 << 20, MaxElementBytes: 1 << 16, MaxDepth: 8}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "x.dcm") // one file per process, rewritten
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		// A hang is a failure too (the fuzzer has no timeout of its own).
		timer := time.AfterFunc(10*time.Second, func() { panic("reading one file took more than 10 s") })
		m, err := ReadLimited(p, lim)
		timer.Stop()
		if err != nil {
			return
		}
		if m.Width*m.Height != len(m.Pixels) || int64(len(m.Pixels)) > lim.MaxPixels {
			t.Fatalf("%d×%d image with %d pixels", m.Width, m.Height, len(m.Pixels))
		}
		for i, v := range m.Pixels {
			if !(v >= 0 && v <= 1) || math.IsNaN(float64(v)) {
				t.Fatalf("pixel %d is %v", i, v)
			}
		}
	})
}
