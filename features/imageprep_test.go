package features

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"github.com/screenlab/screenlab/datasets/imageio"
)

// halfEllipse draws a breast against the right edge (a left breast as
// displayed) on a dark background, with a bright spot.
func halfEllipse(w, h int) *imageio.Mammogram {
	m := &imageio.Mammogram{Width: w, Height: h, Pixels: make([]float32, w*h)}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx := float64(w - 1 - x)
			e := (dx/(0.6*float64(w)))*(dx/(0.6*float64(w))) + math.Pow((float64(y)-float64(h)/2)/(0.4*float64(h)), 2)
			v := float32(0.02)
			if e <= 1 {
				v = 0.4 + 0.1*float32(x%7)/7
			}
			m.Pixels[y*w+x] = v
		}
	}
	return m
}

func TestPreprocess(t *testing.T) {
	m := halfEllipse(80, 100)
	if ChestWallLeft(m.Width, m.Height, m.Pixels, 0.08) {
		t.Fatal("the fixture's chest wall should be on the right")
	}
	for _, resize := range []string{ResizeFloat, ""} {
		t.Run("resize="+resize, func(t *testing.T) { testPreprocess(t, ImagePrep{Width: 32, Height: 48, Resize: resize}.Preprocess(m)) })
	}
}

func testPreprocess(t *testing.T, p Prepared) {
	if p.Width != 32 || p.Height != 48 || len(p.Pixels) != 32*48 {
		t.Fatalf("size %dx%d (%d pixels)", p.Width, p.Height, len(p.Pixels))
	}
	// After orientation the chest wall is on the left: the first column
	// is breast, the last columns background.
	var left, right int
	var s, s2, n float64
	for y := 0; y < p.Height; y++ {
		if p.Pixels[y*p.Width] != 0 {
			left++
		}
		if p.Pixels[y*p.Width+p.Width-1] != 0 {
			right++
		}
		for x := 0; x < p.Width; x++ {
			if v := p.Pixels[y*p.Width+x]; v != 0 {
				s += float64(v)
				s2 += float64(v) * float64(v)
				n++
			}
		}
	}
	if left <= right {
		t.Errorf("chest wall not on the left: %d breast pixels in the first column, %d in the last", left, right)
	}
	mean, sd := s/n, math.Sqrt(s2/n-(s/n)*(s/n))
	if math.Abs(mean) > 0.05 || math.Abs(sd-1) > 0.05 {
		t.Errorf("breast intensities not z-scored: mean %.3f sd %.3f", mean, sd)
	}
	// The breast keeps its aspect ratio: its crop (48 × 80 pixels) fits
	// the 32 × 48 input by height... the fixture's box is 48 wide, 80 high.
	rows := 0
	for y := 0; y < p.Height; y++ {
		if p.Pixels[y*p.Width+2] != 0 {
			rows++
		}
	}
	if rows < 40 {
		t.Errorf("breast spans %d of 48 rows after fitting", rows)
	}
}

func TestAugmentSeeded(t *testing.T) {
	m := halfEllipse(40, 50)
	a := Augment(m, rand.New(rand.NewPCG(1, 2)))
	b := Augment(m, rand.New(rand.NewPCG(1, 2)))
	c := Augment(m, rand.New(rand.NewPCG(3, 4)))
	same, diff := true, false
	for i := range a.Pixels {
		same = same && a.Pixels[i] == b.Pixels[i]
		diff = diff || a.Pixels[i] != c.Pixels[i]
	}
	if !same || !diff || a.Width != 40 || a.Height != 50 {
		t.Errorf("same seed equal %v, other seed differs %v, size %dx%d", same, diff, a.Width, a.Height)
	}
}

// TestLoadExamChecksTags: an exam loads when the files' tags agree with the
// images table; a file whose laterality or view contradicts it, or a FOR
// PROCESSING image, is an error naming the exam, the view and the file.
func TestLoadExamChecksTags(t *testing.T) {
	dir := t.TempDir()
	write := func(name, lat, view, intent string) string {
		p := filepath.Join(dir, name)
		if err := imageio.WriteDICOM(p, 48, 64, breastPixels(48, 64), imageio.DICOMInfo{PatientID: "P", StudyUID: "2.25.1", SOPUID: "2.25.2",
			Laterality: lat, View: view, Intent: intent}); err != nil {
			t.Fatal(err)
		}
		return name
	}
	e := ExamImages{ExamID: "X1", Paths: [4]string{write("rcc.dcm", "R", "CC", ""), write("rmlo.dcm", "R", "MLO", ""), write("lcc.dcm", "L", "CC", ""), write("lmlo.dcm", "L", "MLO", "")}}
	prep := ImagePrep{Width: 16, Height: 16}
	if _, err := prep.LoadExam(dir, e); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		view int
		file string
		want string
	}{
		{0, write("wrong_side.dcm", "L", "CC", ""), "ImageLaterality is L"},
		{1, write("wrong_view.dcm", "R", "CC", ""), "ViewPosition is CC"},
		{2, write("raw.dcm", "L", "CC", "FOR PROCESSING"), "FOR PROCESSING"},
	} {
		bad := e
		bad.Paths[c.view] = c.file
		_, err := prep.LoadExam(dir, bad)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), ViewNames[c.view]+": ") || strings.Contains(err.Error(), "X1") || !strings.Contains(err.Error(), c.file) {
			t.Errorf("%s: %v", c.file, err)
		}
	}
}

// cropReduce equals cropping (and mirroring) the image and then averaging
// its f×f blocks, sum for sum.
func TestCropReduceIsCropThenReduce(t *testing.T) {
	w, h := 37, 29
	px := make([]float32, w*h)
	for i := range px {
		px[i] = float32((i*7919)%1000) / 999
	}
	for _, flip := range []bool{false, true} {
		x0, y0, cw, ch, f := 3, 2, 30, 25, 4
		crop := make([]float32, cw*ch)
		for y := 0; y < ch; y++ {
			for x := 0; x < cw; x++ {
				sx := x0 + x
				if flip {
					sx = x0 + cw - 1 - x
				}
				crop[y*cw+x] = px[(y0+y)*w+sx]
			}
		}
		ow, oh := (cw+f-1)/f, (ch+f-1)/f
		want, cnt := make([]float32, ow*oh), make([]float32, ow*oh)
		for y := 0; y < ch; y++ {
			for x := 0; x < cw; x++ {
				want[(y/f)*ow+x/f] += crop[y*cw+x]
				cnt[(y/f)*ow+x/f]++
			}
		}
		for i := range want {
			want[i] /= cnt[i]
		}
		gw, gh, got := cropReduce(w, px, nil, x0, y0, cw, ch, flip, f)
		if gw != ow || gh != oh || !slices.Equal(got, want) {
			t.Errorf("flip %v: %dx%d %v, want %dx%d %v", flip, gw, gh, got[:4], ow, oh, want[:4])
		}
	}
}

// coded holds an image as 12-bit samples and a value table (what
// imageio.ReadCoded gives for a DICOM), inverted as MONOCHROME1 is.
func coded(m *imageio.Mammogram, invert bool) *imageio.Mammogram {
	c := *m
	c.Pixels, c.Samples, c.Values = nil, make([]uint16, len(m.Pixels)), make([]float32, 1<<16)
	for v := range c.Values {
		c.Values[v] = float32(min(v, 4095)) / 4095
		if invert {
			c.Values[v] = 1 - c.Values[v]
		}
	}
	for i, v := range m.Pixels {
		if invert {
			v = 1 - v
		}
		c.Samples[i] = uint16(math.Round(float64(v) * 4095))
	}
	return &c
}

// A coded image preprocesses to exactly what its decoded pixels do, with
// the breast on either side, large enough for the box average or not.
func TestPreprocessCodedIsDecoded(t *testing.T) {
	for _, c := range []struct {
		w, h   int
		mirror bool
		invert bool
	}{{80, 100, false, false}, {80, 100, true, false}, {333, 410, false, true}, {333, 410, true, false}, {40, 30, true, true}} {
		m := halfEllipse(c.w, c.h)
		if c.mirror {
			for y := 0; y < c.h; y++ {
				slices.Reverse(m.Pixels[y*c.w : (y+1)*c.w])
			}
		}
		cm := coded(m, c.invert)
		dm := *cm
		dm.Decode()
		for _, resize := range []string{ResizeFloat, ""} {
			prep := ImagePrep{Width: 32, Height: 32, Resize: resize}
			got, want := prep.Preprocess(cm), prep.Preprocess(&dm)
			if !slices.Equal(got.Pixels, want.Pixels) {
				t.Errorf("%+v, resize %q: coded and decoded differ", c, resize)
			}
		}
		if !cm.Coded() {
			t.Errorf("%+v: Preprocess decoded the caller's image", c)
		}
	}
}

// fitLanczos is imaging.Fit in float32: on an 8-bit image the two agree to
// imaging's rounding, while a difference far below 1/255 survives ours.
func TestFitLanczosIsImagingsFit(t *testing.T) {
	for _, sz := range [][4]int{{200, 300, 64, 64}, {300, 200, 64, 64}, {130, 90, 64, 64}, {60, 50, 64, 64}, {70, 64, 64, 64}} {
		w, h := sz[0], sz[1]
		px := make([]float32, w*h)
		for i := range px {
			x, y := i%w, i/w
			px[i] = float32(math.Round(127.5+100*math.Sin(float64(x)/7)*math.Cos(float64(y)/11))) / 255
		}
		ow, oh, got := fitLanczos(w, h, px, sz[2], sz[3])
		ref := imaging.Fit(toGray16(w, h, px), sz[2], sz[3], imaging.Lanczos)
		rw, rh, want := fromImage(ref)
		if ow != rw || oh != rh {
			t.Fatalf("%v: %dx%d, imaging %dx%d", sz, ow, oh, rw, rh)
		}
		for i := range got {
			if math.Abs(float64(got[i]-want[i])) > 1.5/255 {
				t.Fatalf("%v: pixel %d %v, imaging %v", sz, i, got[i], want[i])
			}
		}
	}
	// Two flat halves 1/4096 apart (one 12-bit step) stay apart.
	w, h := 256, 256
	px := make([]float32, w*h)
	for i := range px {
		px[i] = 0.5
		if i%w >= w/2 {
			px[i] += 1.0 / 4096
		}
	}
	_, _, out := fitLanczos(w, h, px, 64, 64)
	if !(out[64*32+5] < out[64*32+60]) {
		t.Errorf("a 12-bit step was lost in the resize: %v, %v", out[64*32+5], out[64*32+60])
	}
}
