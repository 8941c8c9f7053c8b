package features

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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
	p := ImagePrep{Width: 32, Height: 48}.Preprocess(m)
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
		gw, gh, got := cropReduce(w, px, x0, y0, cw, ch, flip, f)
		if gw != ow || gh != oh || !slices.Equal(got, want) {
			t.Errorf("flip %v: %dx%d %v, want %dx%d %v", flip, gw, gh, got[:4], ow, oh, want[:4])
		}
	}
}
