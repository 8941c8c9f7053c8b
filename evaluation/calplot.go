package evaluation

import (
	"math"

	"github.com/screenlab/screenlab/internal/radix"
)

// CalibrationData is what a calibration plot shows beyond the deciles,
// small enough to keep in a result's JSON so that screenlab report can
// redraw it: the smoothed curve at no more than 200 points, and the
// distribution of predicted risks as 40 bins from 0 to Top.
type CalibrationData struct {
	Curve     []CalibrationPoint `json:"curve"`
	Top       float64            `json:"top"`
	Histogram []int              `json:"histogram"`
}

// CalibrationPoint is a point of the smoothed calibration curve.
type CalibrationPoint struct {
	Predicted float64 `json:"predicted"`
	Observed  float64 `json:"observed"`
}

const calibrationBins = 40

// NewCalibrationData summarises a calibration and the predictions for a
// plot. Top, where both axes end, covers the risks that matter: 1.1 times
// the largest of the 99th percentile of the predictions and the deciles'
// mean predicted and observed risks (at least 0.01, at most 1), so that a
// screening model's risks of a few percent fill the plot; the histogram's
// last bin holds the predictions above Top.
func NewCalibrationData(c *Calibration, predictions []float64) *CalibrationData {
	s := append([]float64(nil), predictions...)
	radix.SortFloat64s(s)
	return newCalibrationData(c, predictions, s)
}

// newCalibrationData is NewCalibrationData given the predictions sorted.
func newCalibrationData(c *Calibration, predictions, sorted []float64) *CalibrationData {
	top := 0.0
	if len(sorted) > 0 {
		top = sorted[int(0.99*float64(len(sorted)-1))]
	}
	for _, d := range c.Deciles {
		top = math.Max(top, math.Max(d.Predicted, d.Observed))
	}
	top = math.Min(1, math.Max(0.01, top*1.1))
	d := &CalibrationData{Top: top, Histogram: make([]int, calibrationBins)}
	for _, v := range predictions {
		d.Histogram[max(0, min(calibrationBins-1, int(v/top*calibrationBins)))]++
	}
	step := max(1, (len(c.Curve)+199)/200)
	for i, pt := range c.Curve {
		if i%step == 0 || i == len(c.Curve)-1 {
			d.Curve = append(d.Curve, CalibrationPoint(pt))
		}
	}
	return d
}
