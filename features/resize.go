package features

import (
	"math"

	"github.com/disintegration/imaging"
)

// fitLanczos scales a w×h image of intensities in [0, 1] to fit inside
// maxW×maxH, keeping its aspect ratio, with a Lanczos-3 filter; an image
// that already fits is returned as it is. It is disintegration/imaging's
// Fit and Resize (the same output size, the same filter weights from
// imaging.Lanczos, horizontal pass then vertical, clamped to [0, 1] after
// each) in float32 rather than 8 bits a channel, so a 12- or 16-bit
// mammogram keeps its precision through the resize.
//
// The input is first clamped to [0, 1] in place, as imaging's conversion
// to 8 bits clamps it (NaN becomes 0).
func fitLanczos(w, h int, px []float32, maxW, maxH int) (int, int, []float32) {
	for i, v := range px {
		px[i] = clamp01(float64(v))
	}
	if w <= maxW && h <= maxH {
		return w, h, px
	}
	srcAspect, maxAspect := float64(w)/float64(h), float64(maxW)/float64(maxH)
	ow, oh := maxW, maxH
	if srcAspect > maxAspect {
		oh = int(float64(ow) / srcAspect)
	} else {
		ow = int(float64(oh) * srcAspect)
	}
	ow, oh = max(ow, 1), max(oh, 1)
	if ow != w {
		px = resizeRows(w, h, px, ow)
		w = ow
	}
	if oh != h {
		px = resizeColumns(w, h, px, oh)
	}
	return ow, oh, px
}

// tap is one source sample's weight in an output sample.
type tap struct {
	at     int
	weight float64
}

// lanczosTaps are the normalised filter weights of each of dst outputs
// over src inputs, as imaging's precomputeWeights makes them.
func lanczosTaps(dst, src int) [][]tap {
	du := float64(src) / float64(dst)
	scale := max(du, 1)
	reach := math.Ceil(scale * imaging.Lanczos.Support)
	out := make([][]tap, dst)
	for v := range out {
		fu := (float64(v)+0.5)*du - 0.5
		begin, end := max(int(math.Ceil(fu-reach)), 0), min(int(math.Floor(fu+reach)), src-1)
		var sum float64
		var taps []tap
		for u := begin; u <= end; u++ {
			if k := imaging.Lanczos.Kernel((float64(u) - fu) / scale); k != 0 {
				sum += k
				taps = append(taps, tap{u, k})
			}
		}
		if sum != 0 {
			for i := range taps {
				taps[i].weight /= sum
			}
		}
		out[v] = taps
	}
	return out
}

// clamp01 keeps a filtered value (Lanczos overshoots) in [0, 1], as
// imaging's 8-bit clamp does; NaN (from a corrupt image) becomes 0.
func clamp01(v float64) float32 {
	if !(v > 0) {
		return 0
	}
	return float32(min(v, 1))
}

// resizeRows resamples each row of a w×h image to ow samples.
func resizeRows(w, h int, px []float32, ow int) []float32 {
	taps := lanczosTaps(ow, w)
	out := make([]float32, ow*h)
	for y := 0; y < h; y++ {
		row, dst := px[y*w:(y+1)*w], out[y*ow:(y+1)*ow]
		for x, ts := range taps {
			var s float64
			for _, t := range ts {
				s += float64(row[t.at]) * t.weight
			}
			dst[x] = clamp01(s)
		}
	}
	return out
}

// resizeColumns resamples each column of a w×h image to oh samples.
func resizeColumns(w, h int, px []float32, oh int) []float32 {
	taps := lanczosTaps(oh, h)
	out := make([]float32, w*oh)
	acc := make([]float64, w)
	for y, ts := range taps {
		clear(acc)
		for _, t := range ts {
			for x, v := range px[t.at*w : (t.at+1)*w] {
				acc[x] += float64(v) * t.weight
			}
		}
		for x, s := range acc {
			out[y*w+x] = clamp01(s)
		}
	}
	return out
}
