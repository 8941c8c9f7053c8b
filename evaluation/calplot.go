package evaluation

import "math"

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
// plot.
func NewCalibrationData(c *Calibration, predictions []float64) *CalibrationData {
	top := 0.0
	for _, v := range predictions {
		top = math.Max(top, v)
	}
	for _, d := range c.Deciles {
		top = math.Max(top, d.Upper)
	}
	top = math.Min(1, math.Max(0.05, top*1.05))
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
