package report

import (
	"fmt"

	"github.com/screenlab/screenlab/survival"
)

// WriteKMPlot draws Kaplan–Meier curves with their bands and numbers at risk
// (.png, .svg or .pdf by the path's extension). opts, when given, sets the
// title, labels, legend title and size (unset fields keep the defaults).
func WriteKMPlot(path string, out *survival.KMByGroup, opts ...StepPlotOptions) error {
	var curves []StepCurve
	for i := range out.Groups {
		curves = append(curves, KMCurve(out.Groups[i].Group, &out.Groups[i].KMResult))
	}
	return WriteStepPlot(path, curves, firstOr(PlotOptions{Title: "Kaplan-Meier survival", XLabel: "Time", YLabel: "Survival"}, opts))
}

// WriteCIFPlot draws cumulative incidence curves, one per cause and group,
// with the numbers at risk at the axis ticks and censoring marks.
func WriteCIFPlot(path string, out *survival.CIFByGroup, opts ...StepPlotOptions) error {
	var curves []StepCurve
	for i := range out.Causes {
		c := &out.Causes[i]
		sc := CIFCurve(fmt.Sprintf("cause %d, %s", c.Cause, c.Group), c)
		// Fitted here, the curve knows every follow-up time: the numbers at
		// risk at the axis ticks and the censoring marks (a curve read back
		// from JSON has them only at its requested times).
		sc.RiskTimes, sc.AtRisk = nil, c.AtRisk
		for _, t := range c.CensorTimes() {
			sc.CensorTime, sc.CensorEst = append(sc.CensorTime, t), append(sc.CensorEst, c.ValueAt(t))
		}
		curves = append(curves, sc)
	}
	return WriteStepPlot(path, curves, firstOr(PlotOptions{Title: "Cumulative incidence", XLabel: "Time", YLabel: "Cumulative incidence"}, opts))
}
