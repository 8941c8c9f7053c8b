package main

import (
	"fmt"

	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/survival"
)

func plotKM(path string, out *survival.KMByGroup) error {
	var curves []report.StepCurve
	for i := range out.Groups {
		curves = append(curves, report.KMCurve(out.Groups[i].Group, &out.Groups[i].KMResult))
	}
	return report.WriteStepPlot(path, curves, report.StepPlotOptions{Title: "Kaplan-Meier survival", XLabel: "Time", YLabel: "Survival"})
}

func plotCIF(path string, out *survival.CIFByGroup) error {
	var curves []report.StepCurve
	for i := range out.Causes {
		c := &out.Causes[i]
		sc := report.CIFCurve(fmt.Sprintf("cause %d, %s", c.Cause, c.Group), c)
		// Fitted here, the curve knows every follow-up time: the numbers at
		// risk at the axis ticks and the censoring marks (a curve read back
		// from JSON has them only at its requested times).
		sc.RiskTimes, sc.AtRisk = nil, c.AtRisk
		for _, t := range c.CensorTimes() {
			sc.CensorTime, sc.CensorEst = append(sc.CensorTime, t), append(sc.CensorEst, c.ValueAt(t))
		}
		curves = append(curves, sc)
	}
	return report.WriteStepPlot(path, curves, report.StepPlotOptions{Title: "Cumulative incidence", XLabel: "Time", YLabel: "Cumulative incidence"})
}
