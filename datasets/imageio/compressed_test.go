package imageio

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets/imageio/codec"
	// JPEG-LS and JPEG 2000 fixtures.
	_ "github.com/screenlab/screenlab/datasets/imageio/codec/native"
)

// The fixtures (codec/testdata, made by codec/testdata/make.sh with dcmtk
// and GDCM from the generator's images): one exam's four views in every
// compressed syntax screenlab decodes.
const fixtures = "codec/testdata"

var views = []string{"L_CC", "L_MLO", "R_CC", "R_MLO"}

func fixture(dir, view string) string {
	return filepath.Join(fixtures, dir, "P0000007-03_"+view+".dcm")
}

func readSamples(t *testing.T, path string) *Mammogram {
	t.Helper()
	m, err := ReadCoded(path, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Coded() {
		t.Fatalf("%s: not read coded", path)
	}
	return m
}

// Lossless syntaxes decode to exactly the generator's stored samples, and
// so to exactly its intensities.
func TestLosslessSyntaxesExact(t *testing.T) {
	for _, dir := range []string{"rle", "jpeg-lossless-sv1", "jpeg-lossless-sv6", "jpegls", "j2k"} {
		for _, v := range views {
			want := readSamples(t, fixture("original", v))
			got := readSamples(t, fixture(dir, v))
			if got.Width != want.Width || got.Height != want.Height || got.Laterality != want.Laterality || got.View != want.View {
				t.Fatalf("%s %s: %dx%d %s %s, want %dx%d %s %s", dir, v, got.Width, got.Height, got.Laterality, got.View, want.Width, want.Height, want.Laterality, want.View)
			}
			for i := range want.Samples {
				if got.Samples[i] != want.Samples[i] {
					t.Fatalf("%s %s: sample %d is %d, want %d", dir, v, i, got.Samples[i], want.Samples[i])
				}
			}
			got.Decode()
			want.Decode()
			for i := range want.Pixels {
				if got.Pixels[i] != want.Pixels[i] {
					t.Fatalf("%s %s: intensity %d is %v, want %v", dir, v, i, got.Pixels[i], want.Pixels[i])
				}
			}
		}
	}
}

// Every lossless JPEG predictor (selection values 1–7) decodes exactly.
func TestLosslessJPEGPredictors(t *testing.T) {
	want := readSamples(t, fixture("original", "L_CC"))
	files, _ := filepath.Glob(filepath.Join(fixtures, "jpeg-lossless-predictors", "sv*.dcm"))
	if len(files) != 5 {
		t.Fatalf("%d predictor fixtures, want 5", len(files))
	}
	for _, f := range files {
		got := readSamples(t, f)
		for i := range want.Samples {
			if got.Samples[i] != want.Samples[i] {
				t.Fatalf("%s: sample %d is %d, want %d", f, i, got.Samples[i], want.Samples[i])
			}
		}
	}
}

// Lossy syntaxes decode within a grey level of the reference decoder
// (dcmtk's IJG for JPEG, CharLS through dcmtk for JPEG-LS, OpenJPEG through
// GDCM for JPEG 2000): T.81 leaves the inverse DCT's rounding to the
// decoder. JPEG-LS near-lossless is within its NEAR bound (2) of the
// original, every sample.
func TestLossySyntaxesWithinTolerance(t *testing.T) {
	for _, tc := range []struct {
		dir     string
		maxDiff int // grey levels from the reference decoder
	}{
		{"jpeg-baseline", 1},
		{"jpeg-extended", 1},
		{"jpegls-near", 0},
		{"j2k-lossy", 0},
	} {
		for _, v := range views {
			// Compared as intensities (the 8-bit reference files are not
			// held coded); one grey level is 1/(2^bits − 1) of the range.
			ref, err := Read(filepath.Join(fixtures, "reference", tc.dir, "P0000007-03_"+v+".dcm"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Read(fixture(tc.dir, v))
			if err != nil {
				t.Fatal(err)
			}
			level := 1.0 / float64(int(1)<<got.BitsStored-1)
			tol := (float64(tc.maxDiff) + 0.05) * level
			worst, off := 0.0, 0
			for i := range ref.Pixels {
				d := math.Abs(float64(got.Pixels[i]) - float64(ref.Pixels[i]))
				if d > tol {
					off++
				}
				worst = max(worst, d)
			}
			if v == "L_CC" {
				t.Logf("%s: %d of %d pixels off the reference decoder's, worst by %.2f grey levels", tc.dir, off, len(ref.Pixels), worst/level)
			}
			if worst > tol {
				t.Errorf("%s %s: %d pixels differ from the reference decoder's by more than %d grey levels (worst %.1f)", tc.dir, v, off, tc.maxDiff, worst/level)
			}
		}
	}
	for _, v := range views {
		orig := readSamples(t, fixture("original", v))
		got := readSamples(t, fixture("jpegls-near", v))
		for i := range orig.Samples {
			if d := math.Abs(float64(got.Samples[i]) - float64(orig.Samples[i])); d > 2 {
				t.Fatalf("jpegls-near %s: sample %d off by %v, beyond NEAR=2", v, i, d)
			}
		}
	}
}

// Hostile compressed files: truncated, a lying frame size, garbage in the
// codestream, fragments that run past the end. Each is an error for that
// file, never a crash or a silent image.
func TestCompressedHostile(t *testing.T) {
	dir := t.TempDir()
	for _, src := range []string{"rle", "jpeg-lossless-sv1", "jpeg-baseline", "jpegls", "j2k"} {
		b, err := os.ReadFile(fixture(src, "L_CC"))
		if err != nil {
			t.Fatal(err)
		}
		// The pixel data's first fragment: after the offset table item.
		px := strings.LastIndex(string(b), "\xe0\x7f\x10\x00")
		if px < 0 {
			t.Fatalf("%s: no pixel data tag", src)
		}
		body := px + 12 + 8 // tag, VR, reserved, undefined length; then the offset table item (empty)
		frag := body + 8
		cases := map[string][]byte{}
		cases["truncated-half"] = b[:frag+(len(b)-frag)/2]
		cases["truncated-header"] = b[:frag+10]
		garbled := append([]byte(nil), b...)
		for i := frag + 40; i < len(garbled)-20; i += 7 {
			garbled[i] ^= 0x5A
		}
		cases["garbled"] = garbled
		zeroed := append([]byte(nil), b...)
		for i := frag; i < len(zeroed)-8; i++ {
			zeroed[i] = 0
		}
		cases["zeroed"] = zeroed
		for name, data := range cases {
			p := filepath.Join(dir, src+"-"+name+".dcm")
			if err := os.WriteFile(p, data, 0o600); err != nil {
				t.Fatal(err)
			}
			m, err := Read(p)
			if err == nil {
				// Garbling may leave a decodable stream in some codecs;
				// then it must still be a complete image of the right size.
				if name == "garbled" && m.Width == 96 && m.Height == 128 && len(m.Pixels) == 96*128 {
					continue
				}
				t.Errorf("%s %s: no error", src, name)
				continue
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("%s %s: the error does not name the file: %v", src, name, err)
			}
		}
	}
}

// A codestream whose frame is larger than the DICOM header says is refused
// before the image is allocated (a decompression bomb).
func TestCompressedSizeMismatch(t *testing.T) {
	for _, src := range []string{"rle", "jpeg-lossless-sv1", "jpegls", "j2k"} {
		b, err := os.ReadFile(fixture(src, "L_CC"))
		if err != nil {
			t.Fatal(err)
		}
		// Rows (0028,0010) US 2 bytes: 128 → 64.
		i := strings.Index(string(b), "\x28\x00\x10\x00US\x02\x00")
		if i < 0 {
			t.Fatalf("%s: no Rows element", src)
		}
		b[i+8], b[i+9] = 64, 0
		p := filepath.Join(t.TempDir(), "lying.dcm")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err = Read(p)
		if err == nil || !errors.Is(err, codec.ErrMismatch) {
			t.Errorf("%s: a frame larger than the header: %v, want ErrMismatch", src, err)
		}
	}
}
