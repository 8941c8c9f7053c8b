// Package report draws screenlab's plots (gonum/plot; PNG and SVG, to a
// file or in memory) and builds its HTML pages from results alone, so that
// a page made by the demo, by screenlab report from saved JSON, or by a
// notebook is the same.
//
// Entry points:
//   - plots: WriteKMPlot, WriteCIFPlot, WriteStepPlot, WriteROCPlot,
//     WriteROCCurves, WritePRPlot, WriteCalibrationPlot, WriteDecisionCurve,
//     WriteEvaluationPlot, WriteRatePlot, WriteFunnelPlot(s),
//     WriteTriageSweep, WriteStrategyComparison, each to .png, .svg or .pdf
//     and each taking PlotOptions (title, axis labels, legend title, size);
//     the legend goes in the corner of the data area that covers no data,
//     or outside on the right; Draw and DrawTo run any of them into memory
//     (a notebook shows the bytes);
//   - pages: Page with one block per result (Page.KaplanMeier, Cox,
//     NetSurvival, CumulativeIncidence, Rates, Trend, SIR, RiskModel,
//     Evaluation, TriageCNN, ScreeningSection, TriageSection,
//     IndicatorsSection), DemoPage, WriteEvaluation;
//   - saved results: ReadResult and BuildReport;
//   - numbers: FormatP, and NotDefined / Suppressed, which a page keeps
//     apart.
//
// Sub-packages: render (table, JSON, CSV) and suppress (small counts).
package report
