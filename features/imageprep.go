package features

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/disintegration/imaging"

	"github.com/screenlab/screenlab/datasets/imageio"
)

// ImagePrep fixes how mammograms become model input. It is saved with an
// image model so scoring applies exactly the training transformation.
type ImagePrep struct {
	Width     int     `json:"width"`     // model input size
	Height    int     `json:"height"`    //
	Threshold float32 `json:"threshold"` // intensity separating breast from background (default 0.08)
	// Resize is how the crop is scaled to the input: ResizeFloat (Lanczos
	// in float32, keeping 12- and 16-bit precision; what training writes
	// now) or "" for disintegration/imaging's 8-bit Lanczos, which models
	// saved before ResizeFloat were trained with and still score with.
	Resize string `json:"resize,omitempty"`
	// Limits bound what reading one image may allocate (unset:
	// imageio.DefaultLimits); a run's setting, not the model's.
	Limits imageio.Limits `json:"-"`
}

// ResizeFloat is ImagePrep.Resize for the float32 Lanczos resize.
const ResizeFloat = "lanczos-float32"

// Prepared is a preprocessed view: Width × Height intensities, z-scored
// within the breast, background 0.
type Prepared struct {
	Width, Height int
	Pixels        []float32
}

func (p ImagePrep) threshold() float32 {
	if p.Threshold == 0 {
		return 0.08
	}
	return p.Threshold
}

// toGray16 and fromImage convert between intensities and images for
// disintegration/imaging.
func toGray16(w, h int, px []float32) *image.Gray16 {
	g := image.NewGray16(image.Rect(0, 0, w, h))
	for i, v := range px {
		u := uint16(math.Round(float64(min(max(v, 0), 1)) * 65535))
		g.Pix[2*i], g.Pix[2*i+1] = byte(u>>8), byte(u)
	}
	return g
}

func fromImage(img image.Image) (int, int, []float32) {
	b := img.Bounds()
	out := make([]float32, b.Dx()*b.Dy())
	if n, ok := img.(*image.NRGBA); ok { // what disintegration/imaging returns
		for y := 0; y < b.Dy(); y++ {
			row := n.Pix[y*n.Stride:]
			for x := 0; x < b.Dx(); x++ {
				out[y*b.Dx()+x] = float32(row[4*x]) / 255
			}
		}
		return b.Dx(), b.Dy(), out
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, _, _, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			out[y*b.Dx()+x] = float32(r) / 65535
		}
	}
	return b.Dx(), b.Dy(), out
}

// cropReduce averages f×f blocks (the last partial blocks over what they
// hold): an exact, cheap first step down from a full-size mammogram, so the
// Lanczos filter only works on a few times the input size.
// It works on the cw×ch crop at (x0, y0) of a w-wide image, mirrored when
// flip, without making the crop. The pixels are intensities (values nil)
// or coded samples whose intensities are values[sample].
func cropReduce[T uint16 | float32](w int, px []T, values []float32, x0, y0, cw, ch int, flip bool, f int) (int, int, []float32) {
	ow, oh := (cw+f-1)/f, (ch+f-1)/f
	out := make([]float32, ow*oh)
	row := make([]float32, cw)
	for y := 0; y < ch; y++ {
		src := px[(y0+y)*w+x0 : (y0+y)*w+x0+cw]
		if values != nil {
			for x, s := range src {
				row[x] = values[int(s)]
			}
		} else {
			for x, s := range src {
				row[x] = float32(s)
			}
		}
		if flip {
			slices.Reverse(row)
		}
		// Each block's sum in the order of its pixels, row by row.
		dst := out[(y/f)*ow : (y/f+1)*ow]
		for b := range dst {
			s := dst[b]
			for _, v := range row[b*f : min((b+1)*f, cw)] {
				s += v
			}
			dst[b] = s
		}
	}
	for by := 0; by < oh; by++ {
		rows := float32(min(f, ch-by*f))
		for bx := 0; bx < ow; bx++ {
			out[by*ow+bx] /= rows * float32(min(f, cw-bx*f))
		}
	}
	return ow, oh, out
}

// ChestWallLeft reports whether the chest wall is on the image's left: the
// breast is wider at the chest wall, so its side holds more tissue.
func ChestWallLeft(w, h int, px []float32, threshold float32) bool {
	band := max(1, w/5)
	var left, right int
	for y := 0; y < h; y++ {
		for x := 0; x < band; x++ {
			if px[y*w+x] > threshold {
				left++
			}
			if px[y*w+w-1-x] > threshold {
				right++
			}
		}
	}
	return left >= right
}

// breastBox is the bounding box of the pixels above the threshold
// (inclusive corners); the whole image when none is.
func breastBox(w, h int, above func(y int) (first, last int)) (x0, y0, x1, y1 int) {
	x0, y0, x1, y1 = w, h, -1, -1
	for y := 0; y < h; y++ {
		if l, r := above(y); l >= 0 {
			x0, x1 = min(x0, l), max(x1, r)
			y0, y1 = min(y0, y), y
		}
	}
	if x1 < x0 {
		return 0, 0, w - 1, h - 1
	}
	return x0, y0, x1, y1
}

// orient finds which side the chest wall is on and the breast's bounding
// box; a coded image is read through a table of which sample values are
// above the threshold, without decoding it.
func orient(m *imageio.Mammogram, thr float32) (flip bool, x0, y0, x1, y1 int) {
	w, h := m.Width, m.Height
	if !m.Coded() {
		px := m.Pixels
		x0, y0, x1, y1 = breastBox(w, h, func(y int) (int, int) {
			row := px[y*w : (y+1)*w]
			l := slices.IndexFunc(row, func(v float32) bool { return v > thr })
			if l < 0 {
				return -1, -1
			}
			r := w - 1
			for row[r] <= thr {
				r--
			}
			return l, r
		})
		return !ChestWallLeft(w, h, px, thr), x0, y0, x1, y1
	}
	above := make([]bool, len(m.Values))
	for v, x := range m.Values {
		above[v] = x > thr
	}
	px := m.Samples
	band := max(1, w/5)
	var left, right int
	for y := 0; y < h; y++ {
		for _, v := range px[y*w : y*w+band] {
			if above[v] {
				left++
			}
		}
		for _, v := range px[(y+1)*w-band : (y+1)*w] {
			if above[v] {
				right++
			}
		}
	}
	x0, y0, x1, y1 = breastBox(w, h, func(y int) (int, int) {
		row := px[y*w : (y+1)*w]
		l := 0
		for l < w && !above[row[l]] {
			l++
		}
		if l == w {
			return -1, -1
		}
		r := w - 1
		for !above[row[r]] {
			r--
		}
		return l, r
	})
	return left < right, x0, y0, x1, y1
}

// Preprocess orients a view with the chest wall on the left (flipping
// left/right when needed), crops the background to the breast's bounding
// box, resizes it to fit the model input keeping its aspect ratio (an
// exact box average down to about twice the input size, then Lanczos, in
// float32 as Resize says) and pads the rest with background, and z-scores the
// intensities within the breast. A coded image (imageio.ReadCoded) is read
// as it is, never decoded whole.
func (p ImagePrep) Preprocess(m *imageio.Mammogram) Prepared {
	thr := p.threshold()
	flip, x0, y0, x1, y1 := orient(m, thr)
	w, cw, ch := m.Width, x1-x0+1, y1-y0+1
	f := max(min(cw/p.Width, ch/p.Height)/2, 1)
	var crop []float32
	if m.Coded() {
		cw, ch, crop = cropReduce(w, m.Samples, m.Values, x0, y0, cw, ch, flip, f)
	} else {
		cw, ch, crop = cropReduce(w, m.Pixels, nil, x0, y0, cw, ch, flip, f)
	}
	var fw, fh int
	var fpx []float32
	if p.Resize == ResizeFloat {
		fw, fh, fpx = fitLanczos(cw, ch, crop, p.Width, p.Height)
	} else {
		fw, fh, fpx = fromImage(imaging.Fit(toGray16(cw, ch, crop), p.Width, p.Height, imaging.Lanczos))
	}
	// Chest wall against the left edge, centred vertically, background 0.
	out := make([]float32, p.Width*p.Height)
	top := (p.Height - fh) / 2
	for y := 0; y < fh; y++ {
		copy(out[(top+y)*p.Width:(top+y)*p.Width+fw], fpx[y*fw:(y+1)*fw])
	}
	normalize(out, thr)
	return Prepared{Width: p.Width, Height: p.Height, Pixels: out}
}

// normalize z-scores the breast pixels (above threshold) and zeroes the
// background.
func normalize(px []float32, thr float32) {
	var s, s2, n float64
	for _, v := range px {
		if v > thr {
			s += float64(v)
			s2 += float64(v) * float64(v)
			n++
		}
	}
	if n < 2 {
		return
	}
	mean := s / n
	sd := math.Sqrt(math.Max(s2/n-mean*mean, 1e-12))
	for i, v := range px {
		if v > thr {
			px[i] = float32((float64(v) - mean) / sd)
		} else {
			px[i] = 0
		}
	}
}

// Augment returns a randomly perturbed copy of a raw view for training,
// drawing from r (seeded by the caller): an up–down flip (a left–right flip
// would move the chest wall), a rotation within ±5°, contrast ×0.9–1.1
// and gamma 0.8–1.25.
func Augment(m *imageio.Mammogram, r *rand.Rand) *imageio.Mammogram {
	if m.Coded() {
		d := *m
		d.Decode()
		m = &d
	}
	var img image.Image = toGray16(m.Width, m.Height, m.Pixels)
	if r.IntN(2) == 0 {
		img = imaging.FlipV(img)
	}
	img = imaging.Rotate(img, (r.Float64()*2-1)*5, color.Black)
	img = imaging.CropCenter(img, m.Width, m.Height) // the rotated canvas is larger
	w, h, px := fromImage(img)
	contrast := 0.9 + 0.2*r.Float64()
	gamma := 0.8 + 0.45*r.Float64()
	for i, v := range px {
		x := math.Pow(float64(v), gamma) * contrast
		px[i] = float32(math.Min(1, math.Max(0, x)))
	}
	out := *m
	out.Width, out.Height, out.Pixels = w, h, px
	return &out
}
