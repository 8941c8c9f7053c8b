package imageio

import (
	"path/filepath"
	"reflect"
	"testing"
)

// benchW × benchH is a quarter-resolution full-field mammogram (a detector
// is about 3328 × 4096); b.SetBytes reports the stored bytes decoded per
// second, so the figure scales to full-size images.
const benchW, benchH = 1024, 1280

// BenchmarkDecodeDICOM reads an uncompressed 12-bit MG DICOM and applies
// its window to [0,1] floats.
func BenchmarkDecodeDICOM(b *testing.B) {
	p := filepath.Join(b.TempDir(), "bench.dcm")
	if err := WriteDICOM(p, benchW, benchH, stored(benchW, benchH), DICOMInfo{PatientID: "P1", StudyUID: "2.25.1", SOPUID: "2.25.2", Laterality: "L", View: "CC"}); err != nil {
		b.Fatal(err)
	}
	benchRead(b, p)
}

// BenchmarkDecodePNG16 reads a 16-bit greyscale PNG of the same size.
func BenchmarkDecodePNG16(b *testing.B) {
	p := filepath.Join(b.TempDir(), "bench.png")
	if err := WritePNG16(p, benchW, benchH, stored(benchW, benchH), 12); err != nil {
		b.Fatal(err)
	}
	benchRead(b, p)
}

func benchRead(b *testing.B, path string) {
	b.SetBytes(int64(2 * benchW * benchH))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Read(path)
		if err != nil {
			b.Fatal(err)
		}
		if len(m.Pixels) != benchW*benchH {
			b.Fatalf("decoded %d pixels, want %d", len(m.Pixels), benchW*benchH)
		}
	}
}

// The raw 16-bit path gives the decoder's pixels, value for value, and a
// coded image (ReadCoded) the same intensities, at every pixel and once
// decoded.
func TestRaw16IsTheDecoders(t *testing.T) {
	for _, photo := range []string{"MONOCHROME2", "MONOCHROME1"} {
		p := filepath.Join(t.TempDir(), "v.dcm")
		if err := WriteDICOM(p, 96, 128, stored(96, 128), DICOMInfo{PatientID: "P1", StudyUID: "2.25.1", SOPUID: "2.25.2", Laterality: "L", View: "CC", Photometric: photo}); err != nil {
			t.Fatal(err)
		}
		fast, err := Read(p)
		if err != nil {
			t.Fatal(err)
		}
		coded, err := ReadCoded(p, DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		rawPixels16 = false
		slow, err := Read(p)
		rawPixels16 = true
		if err != nil {
			t.Fatal(err)
		}
		if fast.Samples, fast.Values = nil, nil; !reflect.DeepEqual(fast, slow) {
			t.Errorf("%s: raw path %+v\ndecoder %+v", photo, fast.Pixels[:8], slow.Pixels[:8])
		}
		if !coded.Coded() || coded.Pixels != nil {
			t.Fatalf("%s: ReadCoded did not keep the samples", photo)
		}
		for y := 0; y < slow.Height; y++ {
			for x := 0; x < slow.Width; x++ {
				if coded.At(x, y) != slow.At(x, y) {
					t.Fatalf("%s: coded (%d,%d) = %v, decoded %v", photo, x, y, coded.At(x, y), slow.At(x, y))
				}
			}
		}
		if coded.Decode(); !reflect.DeepEqual(coded, slow) {
			t.Errorf("%s: decoded coded image differs", photo)
		}
	}
}
