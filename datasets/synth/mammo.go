package synth

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Synthetic mammograms. Each woman has two breasts with a shape and a
// fibroglandular texture of their own (the same at every screen, so rounds
// look alike), drawn from an image stream of her own so that images never
// change the registry's tables. A view is a half ellipse against the chest
// wall (image left for the right breast, right for the left, as
// displayed); fibroglandular tissue covers the fraction of the breast
// that the density category implies (a 10%, b 30%, c 55%, d 80%); MLO
// views add a pectoral muscle. A cancer present at the exam shows in its
// breast in both views: an invasive cancer as a mass, DCIS as a cluster of
// calcifications, with a contrast that grows with the conspicuity the
// synthetic readers and AI saw, so missed (interval) cancers are faint.

// imageStream is the seed stream of the images, apart from the registry's.
const imageStream = 0x6d616d6d6f // "mammo"

type breastLook struct {
	scaleX, scaleY float64   // outline semi-axes as fractions of the image
	grid           []float64 // coarse texture field
	gw, gh         int
}

type lesion struct {
	side       byte    // 'L' or 'R'
	u, v       float64 // position: depth from the chest wall (0..1), height (−1..1)
	calcified  bool
	radius     float64 // pixels at the default size
	calcOffset [][2]float64
}

func newBreast(r *rand.Rand) breastLook {
	b := breastLook{scaleX: 0.78 + 0.15*r.Float64(), scaleY: 0.40 + 0.06*r.Float64(), gw: 7, gh: 9}
	b.grid = make([]float64, b.gw*b.gh)
	for i := range b.grid {
		b.grid[i] = r.NormFloat64()
	}
	return b
}

func newLesion(r *rand.Rand, inSitu bool) lesion {
	l := lesion{side: 'L', u: 0.25 + 0.5*r.Float64(), v: -0.55 + 1.1*r.Float64(), calcified: inSitu, radius: 2.5 + 2.5*r.Float64()}
	if r.IntN(2) == 0 {
		l.side = 'R'
	}
	if inSitu {
		n := 6 + r.IntN(8)
		for k := 0; k < n; k++ {
			l.calcOffset = append(l.calcOffset, [2]float64{r.NormFloat64() * 2.2, r.NormFloat64() * 2.2})
		}
	}
	return l
}

// field samples the coarse texture bilinearly at (fx, fy) in [0, 1].
func (b *breastLook) field(fx, fy float64) float64 {
	x := fx * float64(b.gw-1)
	y := fy * float64(b.gh-1)
	x0, y0 := min(int(x), b.gw-2), min(int(y), b.gh-2)
	tx, ty := x-float64(x0), y-float64(y0)
	g := func(i, j int) float64 { return b.grid[j*b.gw+i] }
	return (1-ty)*((1-tx)*g(x0, y0)+tx*g(x0+1, y0)) + ty*((1-tx)*g(x0, y0+1)+tx*g(x0+1, y0+1))
}

var densityFraction = map[string]float64{"a": 0.10, "b": 0.30, "c": 0.55, "d": 0.80}

// renderView draws one view as 12-bit stored values. contrast is the
// lesion's visibility (0: not present or invisible).
func renderView(r *rand.Rand, w, h int, b *breastLook, side byte, view, density string, les *lesion, contrast float64) []uint16 {
	out := make([]uint16, w*h)
	inten := make([]float64, w*h)
	inside := make([]bool, w*h)
	cy := float64(h) / 2
	ax, ay := b.scaleX*float64(w), b.scaleY*float64(h)
	if view == "MLO" {
		ay *= 1.12
		cy -= 0.06 * float64(h)
	}
	var fieldVals []float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx := float64(x) // distance from the chest wall
			if side == 'L' {
				dx = float64(w - 1 - x)
			}
			e := (dx/ax)*(dx/ax) + ((float64(y)-cy)/ay)*((float64(y)-cy)/ay)
			if e <= 1 {
				inside[y*w+x] = true
				fieldVals = append(fieldVals, b.field(dx/ax, (float64(y)-cy+ay)/(2*ay)))
			}
		}
	}
	frac := densityFraction[density]
	if frac == 0 {
		frac = 0.3
	}
	sorted := append([]float64(nil), fieldVals...)
	sort.Float64s(sorted)
	thr := math.Inf(1)
	if len(sorted) > 0 {
		thr = sorted[int(float64(len(sorted)-1)*(1-frac))]
	}
	// Lesion centre in pixels (same depth and height in both views).
	var lx, ly float64
	if les != nil {
		lx = les.u * ax
		ly = cy + les.v*ay*0.8
		if view == "MLO" {
			ly -= 0.05 * float64(h)
		}
		if side == 'L' {
			lx = float64(w-1) - lx
		}
	}
	k := 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if !inside[i] {
				inten[i] = 0.02 + 0.01*r.Float64()
				continue
			}
			dx := float64(x)
			if side == 'L' {
				dx = float64(w - 1 - x)
			}
			v := 0.38
			fv := fieldVals[k]
			k++
			if fv >= thr {
				v = 0.62 + 0.06*math.Tanh(fv-thr)
			}
			// Skin line and fall-off towards the edge.
			e := (dx/ax)*(dx/ax) + ((float64(y)-cy)/ay)*((float64(y)-cy)/ay)
			v *= 0.75 + 0.25*math.Sqrt(1-e)
			if view == "MLO" && dx < 0.35*ax*(1-float64(y)/(0.6*float64(h))) {
				v = 0.7 // pectoral muscle
			}
			if les != nil && contrast > 0 {
				if les.calcified {
					for _, o := range les.calcOffset {
						ddx, ddy := float64(x)-(lx+o[0]), float64(y)-(ly+o[1])
						if ddx*ddx+ddy*ddy < 1.6 {
							v += 0.6 * contrast
						}
					}
				} else {
					ddx, ddy := float64(x)-lx, float64(y)-ly
					v += 0.5 * contrast * math.Exp(-(ddx*ddx+ddy*ddy)/(2*les.radius*les.radius))
				}
			}
			inten[i] = v + 0.02*r.NormFloat64()
		}
	}
	for i, v := range inten {
		out[i] = uint16(math.Round(math.Min(1, math.Max(0, v)) * 4095))
	}
	return out
}

// lesionContrast maps the tumour's conspicuity at an exam (the latent the
// readers and the AI saw) to the contrast drawn: faint or absent when the
// readers could not see it.
func lesionContrast(c float64) float64 {
	return 0.10 + 0.5*math.Max(0, c)
}
