package main

import (
	"fmt"

	"github.com/screenlab/screenlab/report"
)

func plotKM(path string, out KMOutput) error {
	var curves []report.StepCurve
	for i := range out.Groups {
		curves = append(curves, report.KMCurve(out.Groups[i].Group, &out.Groups[i].KMResult))
	}
	return report.WriteStepPlot(path, curves, report.StepPlotOptions{Title: "Kaplan-Meier survival", XLabel: "Time", YLabel: "Survival"})
}

func plotCIF(path string, out CIFOutput) error {
	var curves []report.StepCurve
	for i := range out.Causes {
		c := &out.Causes[i]
		curves = append(curves, report.CIFCurve(fmt.Sprintf("cause %d, %s", c.Cause, c.Group), c))
	}
	return report.WriteStepPlot(path, curves, report.StepPlotOptions{Title: "Cumulative incidence", XLabel: "Time", YLabel: "Cumulative incidence"})
}
