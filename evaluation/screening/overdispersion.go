package screening

import (
	"fmt"
	"math"
	"slices"
)

// Overdispersion is how much more units differ than chance allows, on a
// variance-stabilising scale (Spiegelhalter 2005, "Handling
// over-dispersion of performance indicators", Qual Saf Health Care
// 14:347): proportions on the arcsine scale y = asin(√p) with
// s = 1/(2√n) and target asin(√p₀); ratios O/E on the square-root scale
// y = √(O/E) with s = 1/(2√E) and target 1. The z-scores
// z = (y − target)/s are Winsorised (the lowest and highest Winsor share
// set to the type-7 quantiles at Winsor and 1 − Winsor, as FunnelPlotR
// does), and
//
//	φ̂ = (1/I) Σ z²                      (multiplicative)
//	τ̂² = max(0, (Iφ̂ − (I − 1)) / (Σw − Σw²/Σw)),  w = 1/s²   (additive)
//
// The additive random-effects limits are target ± z_α √(s² + τ̂²), the
// multiplicative ones target ± z_α √φ̂ s, both turned back to the original
// scale; ZAdjusted is (y − target)/√(s² + τ̂²), which flags a unit
// outside the additive limits.
type Overdispersion struct {
	Scale     string    `json:"scale"` // arcsine or sqrt
	Units     int       `json:"units"`
	Winsor    float64   `json:"winsor"`
	Phi       float64   `json:"phi"`
	Tau2      float64   `json:"tau2"`
	Z         []float64 `json:"-"` // per unit, in the order given
	ZAdjusted []float64 `json:"-"`
	target    float64
}

// ProportionOverdispersion measures the overdispersion of unit
// proportions num/den around p0 (the national proportion when p0 < 0).
func ProportionOverdispersion(num, den []float64, p0, winsor float64) (*Overdispersion, error) {
	if len(num) != len(den) || len(num) < 2 {
		return nil, fmt.Errorf("overdispersion: want two or more units with a numerator and a denominator")
	}
	if p0 < 0 {
		sn, sd := 0.0, 0.0
		for i := range num {
			sn, sd = sn+num[i], sd+den[i]
		}
		p0 = sn / sd
	}
	y, s := make([]float64, len(num)), make([]float64, len(num))
	for i := range num {
		if den[i] <= 0 || num[i] < 0 || num[i] > den[i] {
			return nil, fmt.Errorf("overdispersion: unit %d: %g of %g is not a proportion", i+1, num[i], den[i])
		}
		y[i], s[i] = math.Asin(math.Sqrt(num[i]/den[i])), 1/(2*math.Sqrt(den[i]))
	}
	return overdispersion("arcsine", y, s, math.Asin(math.Sqrt(p0)), winsor), nil
}

// RatioOverdispersion measures the overdispersion of unit ratios
// observed/expected around 1.
func RatioOverdispersion(observed, expected []float64, winsor float64) (*Overdispersion, error) {
	if len(observed) != len(expected) || len(observed) < 2 {
		return nil, fmt.Errorf("overdispersion: want two or more units with observed and expected counts")
	}
	y, s := make([]float64, len(observed)), make([]float64, len(observed))
	for i := range observed {
		if expected[i] <= 0 || observed[i] < 0 {
			return nil, fmt.Errorf("overdispersion: unit %d: observed %g, expected %g", i+1, observed[i], expected[i])
		}
		y[i], s[i] = math.Sqrt(observed[i]/expected[i]), 1/(2*math.Sqrt(expected[i]))
	}
	return overdispersion("sqrt", y, s, 1, winsor), nil
}

func overdispersion(scale string, y, s []float64, target, winsor float64) *Overdispersion {
	n := len(y)
	o := &Overdispersion{Scale: scale, Units: n, Winsor: winsor, target: target}
	o.Z = make([]float64, n)
	for i := range y {
		o.Z[i] = (y[i] - target) / s[i]
	}
	zw := slices.Clone(o.Z)
	if winsor > 0 {
		lo, hi := quantile7(o.Z, winsor), quantile7(o.Z, 1-winsor)
		for i, z := range zw {
			zw[i] = min(max(z, lo), hi)
		}
	}
	for _, z := range zw {
		o.Phi += z * z
	}
	o.Phi /= float64(n)
	sw, sw2 := 0.0, 0.0
	for _, si := range s {
		w := 1 / (si * si)
		sw, sw2 = sw+w, sw2+w*w
	}
	o.Tau2 = max(0, (float64(n)*o.Phi-float64(n-1))/(sw-sw2/sw))
	o.ZAdjusted = make([]float64, n)
	for i := range y {
		o.ZAdjusted[i] = (y[i] - target) / math.Sqrt(s[i]*s[i]+o.Tau2)
	}
	return o
}

// quantile7 is R's default (type 7) quantile of x at p.
func quantile7(x []float64, p float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	h := float64(len(s)-1) * p
	lo := math.Floor(h)
	if int(lo)+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[int(lo)] + (h-lo)*(s[int(lo)+1]-s[int(lo)])
}

// Limits returns the additive random-effects funnel limits at z (e.g.
// 1.96 or 3.09) for a unit of size size (the denominator of a proportion,
// the expected count of a ratio), on the original scale; multiplicative
// gives the φ-scaled ones instead.
func (o *Overdispersion) Limits(size, z float64, multiplicative bool) (lo, hi float64) {
	s := 1 / (2 * math.Sqrt(size))
	sd := math.Sqrt(s*s + o.Tau2)
	if multiplicative {
		sd = math.Sqrt(o.Phi) * s
	}
	a, b := o.target-z*sd, o.target+z*sd
	if o.Scale == "sqrt" {
		return math.Pow(max(a, 0), 2), b * b
	}
	clamp := func(t float64) float64 { return math.Pow(math.Sin(min(max(t, 0), math.Pi/2)), 2) }
	return clamp(a), clamp(b)
}

// overdispersedFunnel replaces an indicator's funnel limits and the units'
// places with the additive random-effects ones (units with a denominator;
// 99.8% limits at z 3.09, 95% at 1.96), and names the units outside the
// 99.8% limits.
func overdispersedFunnel(res *IndicatorResult, p0 float64) error {
	var num, den []float64
	var idx []int
	for i, r := range res.Units {
		// shown units with a value (not hidden, not of low coverage)
		if r.Denominator > 0 && !math.IsNaN(r.Numerator) && !math.IsNaN(r.Denominator) && !math.IsNaN(r.Value) {
			num, den, idx = append(num, r.Numerator), append(den, r.Denominator), append(idx, i)
		}
	}
	if len(idx) < 2 {
		return nil
	}
	o, err := ProportionOverdispersion(num, den, p0, 0.1)
	if err != nil {
		return err
	}
	res.Overdispersion = o
	const z95, z998 = 1.959963984540054, 3.090232306167813
	for k, i := range idx {
		r := &res.Units[i]
		switch z := o.ZAdjusted[k]; {
		case z > z998:
			r.Funnel = "above 99.8%"
		case z > z95:
			r.Funnel = "above 95%"
		case z < -z998:
			r.Funnel = "below 99.8%"
		case z < -z95:
			r.Funnel = "below 95%"
		default:
			r.Funnel = "within"
		}
		if math.Abs(o.ZAdjusted[k]) > z998 {
			res.Flagged = append(res.Flagged, r.Unit)
		}
	}
	per := res.Per
	for j := range res.Limits {
		pt := &res.Limits[j]
		lo, hi := o.Limits(pt.N, z95, false)
		pt.Lower95, pt.Upper95 = per*lo, per*hi
		lo, hi = o.Limits(pt.N, z998, false)
		pt.Lower998, pt.Upper998 = per*lo, per*hi
	}
	return nil
}
