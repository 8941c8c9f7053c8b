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
	px := stored(20, 17)
	if err := WriteDICOM(p, 20, 17, px, DICOMInfo{PatientID: "P1", StudyUID: "2.25.1", SOPUID: "2.25.2", Laterality: "L", View: "MLO"}); err != nil {
		t.Fatal(err)
	}
	m, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if m.Width != 20 || m.Height != 17 || m.Laterality != "L" || m.View != "MLO" || m.Intent != "FOR PRESENTATION" || m.BitsStored != 12 {
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
	if err := WriteDICOM(q, 20, 17, px, DICOMInfo{PatientID: "P1", StudyUID: "2.25.1", SOPUID: "2.25.3", Laterality: "R", View: "CC", Photometric: "MONOCHROME1"}); err != nil {
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
	px := stored(19, 16)
	if err := WritePNG16(p, 19, 16, px, 12); err != nil {
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
	// A compressed transfer syntax over uncompressed pixel data is an
	// error naming the syntax: RLE Lossless has a UID as long as the
	// original, so the file stays well formed.
	rle := filepath.Join(dir, "rle.dcm")
	raw2 := []byte(strings.Replace(string(raw), "1.2.840.10008.1.2.1\x00", "1.2.840.10008.1.2.5\x00", 1))
	os.WriteFile(rle, raw2, 0o644)
	if _, err := Read(rle); err == nil || !strings.Contains(err.Error(), "1.2.840.10008.1.2.5") || !strings.Contains(err.Error(), "without encapsulated pixel data") {
		t.Errorf("RLE transfer syntax over native pixels: %v", err)
	}
}

// TestDICOMVOI: a VOI LUT Sequence maps stored values through its table
// (clamped at both ends, scaled by its bit depth), and VOI LUT Function
// SIGMOID follows PS3.3 C.11.2.1.3.1; inversion for MONOCHROME1 comes after.
func TestDICOMVOI(t *testing.T) {
	dir := t.TempDir()
	stored := make([]uint16, MinSide*MinSide) // the smallest view; the first six pixels matter
	copy(stored, []uint16{0, 100, 101, 102, 103, 4000})
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
		if err := WriteDICOM(p, MinSide, MinSide, stored, info); err != nil {
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

// The attacks: what is not a mammogram view, or shows nothing, is refused
// with its reason (so the exam gets an error row, never a score), from the
// header before the pixels are decoded where it can be.
func TestNotAMammogramRefused(t *testing.T) {
	dir := t.TempDir()
	el := func(tg tag.Tag, v any) *dicom.Element {
		e, err := dicom.NewElement(tg, v)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	px := stored(32, 32)
	flat := make([]uint16, 32*32)
	for i := range flat {
		flat[i] = 1000
	}
	for _, c := range []struct {
		name   string
		w, h   int
		pixels []uint16
		extra  []*dicom.Element
		want   error
		reason string
	}{
		{"ct", 32, 32, px, []*dicom.Element{el(tag.Modality, []string{"CT"})}, ErrNotMammogram, "modality CT"},
		{"rt-dose", 32, 32, px, []*dicom.Element{el(tag.Modality, []string{"RTDOSE"})}, ErrNotMammogram, "modality RTDOSE"},
		{"multi-frame", 32, 32, px, []*dicom.Element{el(tag.NumberOfFrames, []string{"3"})}, ErrNotMammogram, "multi-frame"},
		{"thumbnail", 8, 8, stored(8, 8), nil, ErrNotMammogram, "8×8 pixels"},
		{"slope-0", 32, 32, px, []*dicom.Element{el(tag.RescaleSlope, []string{"0"})}, ErrNoContrast, "rescale slope 0"},
		{"slope-nan", 32, 32, px, []*dicom.Element{el(tag.RescaleSlope, []string{"NaN"})}, ErrNoContrast, "rescale slope NaN"},
		{"window-0", 32, 32, px, []*dicom.Element{el(tag.WindowWidth, []string{"0"})}, ErrNoContrast, "window width 0"},
		{"constant", 32, 32, flat, nil, ErrNoContrast, "same value"},
	} {
		p := filepath.Join(dir, c.name+".dcm")
		info := DICOMInfo{PatientID: "P", StudyUID: "2.25.1", SOPUID: "2.25.2", Laterality: "L", View: "CC", extra: c.extra}
		if err := WriteDICOM(p, c.w, c.h, c.pixels, info); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, err := Read(p)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("%s: %v, want %v (%s)", c.name, err, c.want, c.reason)
		}
	}
}

// The same limits hold for PNG: a thumbnail is refused from its header, a
// blank image after decoding.
func TestNotAMammogramPNG(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.png")
	WritePNG16(small, 8, 8, stored(8, 8), 12)
	if _, err := Read(small); !errors.Is(err, ErrNotMammogram) {
		t.Errorf("thumbnail: %v", err)
	}
	blank := filepath.Join(dir, "blank.png")
	WritePNG16(blank, 32, 32, make([]uint16, 32*32), 12)
	if _, err := Read(blank); !errors.Is(err, ErrNoContrast) {
		t.Errorf("blank: %v", err)
	}
}
