package features

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"

	"github.com/disintegration/imaging"

	"github.com/screenlab/screenlab/datasets/imageio"
)

// ImagePrep fixes how mammograms become model input. It is saved with an
// image model so scoring applies exactly the training transformation.
type ImagePrep struct {
	Width     int     `json:"width"`     // model input size
	Height    int     `json:"height"`    //
	Threshold float32 `json:"threshold"` // intensity separating breast from background (default 0.08)
	// Limits bound what reading one image may allocate (unset:
	// imageio.DefaultLimits); a run's setting, not the model's.
	Limits imageio.Limits `json:"-"`
}

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
// flip, without making the crop.
func cropReduce(w int, px []float32, x0, y0, cw, ch int, flip bool, f int) (int, int, []float32) {
	ow, oh := (cw+f-1)/f, (ch+f-1)/f
	out := make([]float32, ow*oh)
	cnt := make([]float32, ow*oh)
	for y := 0; y < ch; y++ {
		src := px[(y0+y)*w+x0 : (y0+y)*w+x0+cw]
		o := (y / f) * ow
		if flip {
			for x := 0; x < cw; x++ {
				out[o+x/f] += src[cw-1-x]
				cnt[o+x/f]++
			}
			continue
		}
		for x, v := range src {
			out[o+x/f] += v
			cnt[o+x/f]++
		}
	}
	for i := range out {
		out[i] /= cnt[i]
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

// Preprocess orients a view with the chest wall on the left (flipping
// left/right when needed), crops the background to the breast's bounding
// box, resizes it to fit the model input keeping its aspect ratio
// (Lanczos, disintegration/imaging) and pads the rest with background, and
// z-scores the intensities within the breast.
func (p ImagePrep) Preprocess(m *imageio.Mammogram) Prepared {
	w, h, px := m.Width, m.Height, m.Pixels
	thr := p.threshold()
	flip := !ChestWallLeft(w, h, px, thr)
	// Crop to the breast's bounding box (and flip) in float32.
	x0, y0, x1, y1 := w, h, -1, -1
	for y := 0; y < h; y++ {
		for x, v := range px[y*w : (y+1)*w] {
			if v > thr {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	if x1 < x0 || y1 < y0 {
		x0, y0, x1, y1 = 0, 0, w-1, h-1
	}
	cw, ch := x1-x0+1, y1-y0+1
	var crop []float32
	if f := min(cw/p.Width, ch/p.Height) / 2; f >= 2 {
		// Crop, flip and box-reduce in one pass over the image, in the
		// order the cropped copy would be reduced (the same sums).
		cw, ch, crop = cropReduce(w, px, x0, y0, cw, ch, flip, f)
	} else {
		crop = make([]float32, cw*ch)
		for y := 0; y < ch; y++ {
			src := px[(y0+y)*w+x0 : (y0+y)*w+x1+1]
			dst := crop[y*cw : (y+1)*cw]
			if flip {
				for x, v := range src {
					dst[cw-1-x] = v
				}
			} else {
				copy(dst, src)
			}
		}
	}
	fit := imaging.Fit(toGray16(cw, ch, crop), p.Width, p.Height, imaging.Lanczos)
	fw, fh, fpx := fromImage(fit)
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
