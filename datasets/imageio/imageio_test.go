package imageio

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
)

func stored(w, h int) []uint16 {
	px := make([]uint16, w*h)
	for i := range px {
		px[i] = uint16((i * 37) % 4096)
	}
	return px
}

// TestDICOMRoundTrip: a 12-bit MG DICOM written by the generator's writer
// decodes back to its values through the window (centre 2048, width 4096:
// d = (v − 2047.5)/4095 + 0.5), with its tags.
func TestDICOMRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.dcm")
	px := stored(10, 7)
	if err := WriteDICOM(p, 10, 7, px, DICOMInfo{PatientID: "P1", StudyUID: "2.25.1", SOPUID: "2.25.2", Laterality: "L", View: "MLO"}); err != nil {
		t.Fatal(err)
	}
	m, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 10 || m.Height != 7 || m.Laterality != "L" || m.View != "MLO" || m.Intent != "FOR PRESENTATION" || m.BitsStored != 12 {
		t.Errorf("decoded %dx%d %s %s %q %d bits", m.Width, m.Height, m.Laterality, m.View, m.Intent, m.BitsStored)
	}
	for i, v := range px {
		want := math.Min(1, math.Max(0, (float64(v)-2047.5)/4095+0.5))
		if math.Abs(float64(m.Pixels[i])-want) > 1e-6 {
			t.Fatalf("pixel %d: %v, want %v", i, m.Pixels[i], want)
		}
	}
	// MONOCHROME1 is inverted: bright stays bright for the viewer.
	q := filepath.Join(dir, "b.dcm")
	if err := WriteDICOM(q, 10, 7, px, DICOMInfo{PatientID: "P1", StudyUID: "2.25.1", SOPUID: "2.25.3", Laterality: "R", View: "CC", Photometric: "MONOCHROME1"}); err != nil {
		t.Fatal(err)
	}
	inv, err := Read(q)
	if err != nil {
		t.Fatal(err)
	}
	for i := range px {
		if math.Abs(float64(inv.Pixels[i]+m.Pixels[i])-1) > 1e-6 {
			t.Fatalf("pixel %d: MONOCHROME1 %v is not 1 − %v", i, inv.Pixels[i], m.Pixels[i])
		}
	}
}

func TestPNGRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.png")
	px := stored(9, 5)
	if err := WritePNG16(p, 9, 5, px, 12); err != nil {
		t.Fatal(err)
	}
	m, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range px {
		if math.Abs(float64(m.Pixels[i])-float64(v)/4095) > 1e-4 {
			t.Fatalf("pixel %d: %v, want %v", i, m.Pixels[i], float64(v)/4095)
		}
	}
}

func TestBadImages(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.dcm")
	os.WriteFile(junk, []byte("this is not a dicom file at all, nothing here"), 0o644)
	if _, err := Read(junk); err == nil || !strings.Contains(err.Error(), junk) {
		t.Errorf("corrupt DICOM: %v", err)
	}
	png := filepath.Join(dir, "bad.png")
	os.WriteFile(png, []byte("\x89PNG\r\n\x1a\nbroken"), 0o644)
	if _, err := Read(png); err == nil || !strings.Contains(err.Error(), "bad.png") {
		t.Errorf("corrupt PNG: %v", err)
	}
	// A truncated DICOM (pixel data cut off).
	good := filepath.Join(dir, "g.dcm")
	WriteDICOM(good, 10, 7, stored(10, 7), DICOMInfo{PatientID: "P", StudyUID: "2.25.1", SOPUID: "2.25.2", Laterality: "L", View: "CC"})
	raw, _ := os.ReadFile(good)
	cut := filepath.Join(dir, "cut.dcm")
	os.WriteFile(cut, raw[:len(raw)-40], 0o644)
	if _, err := Read(cut); err == nil {
		t.Error("a truncated DICOM decoded")
	}
	// An unsupported (compressed) transfer syntax is refused by name:
	// RLE Lossless has a UID as long as the original, so the file stays
	// well formed.
	rle := filepath.Join(dir, "rle.dcm")
	raw2 := []byte(strings.Replace(string(raw), "1.2.840.10008.1.2.1\x00", "1.2.840.10008.1.2.5\x00", 1))
	os.WriteFile(rle, raw2, 0o644)
	if _, err := Read(rle); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "1.2.840.10008.1.2.5") {
		t.Errorf("RLE transfer syntax: %v", err)
	}
}

// TestDICOMVOI: a VOI LUT Sequence maps stored values through its table
// (clamped at both ends, scaled by its bit depth), and VOI LUT Function
// SIGMOID follows PS3.3 C.11.2.1.3.1; inversion for MONOCHROME1 comes after.
func TestDICOMVOI(t *testing.T) {
	dir := t.TempDir()
	stored := []uint16{0, 100, 101, 102, 103, 4000}
	lut := func(t *testing.T) []*dicom.Element {
		desc, _ := dicom.NewElement(tag.LUTDescriptor, []int{4, 100, 8}) // 4 entries from value 100, 8 bits
		data, _ := dicom.NewElement(tag.LUTData, []int{0, 51, 204, 255})
		seq, err := dicom.NewElement(tag.VOILUTSequence, [][]*dicom.Element{{desc, data}})
		if err != nil {
			t.Fatal(err)
		}
		return []*dicom.Element{seq}
	}
	sigmoid, _ := dicom.NewElement(tag.VOILUTFunction, []string{"SIGMOID"})
	for _, c := range []struct {
		name  string
		extra []*dicom.Element
		photo string
		want  []float64
	}{
		{"lut", lut(t), "", []float64{0, 0, 0.2, 0.8, 1, 1}},
		{"lut-monochrome1", lut(t), "MONOCHROME1", []float64{1, 1, 0.8, 0.2, 0, 0}},
		// window centre 2048, width 4096: 1/(1+exp(−4(v−2048)/4096)).
		{"sigmoid", []*dicom.Element{sigmoid}, "", []float64{0.119203, 0.129843, 0.129954, 0.130064, 0.130175, 0.870597}},
	} {
		p := filepath.Join(dir, c.name+".dcm")
		info := DICOMInfo{PatientID: "P", StudyUID: "2.25.1", SOPUID: "2.25.2", Laterality: "L", View: "CC", Photometric: c.photo, extra: c.extra}
		if err := WriteDICOM(p, 6, 1, stored, info); err != nil {
			t.Fatal(err)
		}
		m, err := Read(p)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for i, w := range c.want {
			if math.Abs(float64(m.Pixels[i])-w) > 1e-5 {
				t.Errorf("%s: stored %d → %.6f, want %.6f", c.name, stored[i], m.Pixels[i], w)
			}
		}
	}
}
