package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/report/render"
)

// EvaluationInfo says what was evaluated, for the page's title and plots.
type EvaluationInfo struct {
	Data, Score, Outcome, Version string
	// Bootstrap replicates of the ROC band (default 200), drawn from Seed,
	// at Level (default 0.95).
	Bootstrap int
	Seed      uint64
	Level     float64
}

// WriteEvaluation writes the ROC, precision-recall, calibration and
// decision curve plots of an evaluation and an HTML page with them and the
// tables into dir (index.html).
func WriteEvaluation(dir string, out *evaluation.ByGroup, info EvaluationInfo) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	page := &Page{Title: "Evaluation of " + info.Score, Version: info.Version,
		Subtitle: fmt.Sprintf("%s: outcome %s, %d subjects", filepath.Base(info.Data), info.Outcome, out.N)}
	r := &out.Result
	f := render.FormatNumber
	if r.Time != nil {
		page.Section("Time-to-event metrics at the horizon", "IPCW weights for censoring (Kaplan-Meier of the censoring times).")
		t := r.Time
		page.Table([]string{"horizon", "Harrell's C", "Uno's C", "AUC(t)", "Brier(t)", "O/E", "censored before horizon"},
			[][]string{{f(t.Horizon), f(t.HarrellC), f(t.UnoC), f(t.AUC), f(t.Brier), f(t.OE), fmt.Sprint(t.CensoredBeforeHorizon)}})
		var rows [][]string
		for _, g := range t.Groups {
			rows = append(rows, []string{fmt.Sprint(g.Group), fmt.Sprint(g.N), f(g.Predicted), f(g.Observed), f(g.Lower) + " - " + f(g.Upper)})
		}
		page.Table([]string{"risk fifth", "n", "predicted", "observed (KM)", "95% CI"}, rows)
		page.EndSection()
		return page.Write(filepath.Join(dir, "index.html"))
	}
	page.Section("Discrimination", "AUC with the DeLong interval; the ROC band is a stratified bootstrap of the sensitivity.")
	page.Table([]string{"n", "positives", "AUC", "95% CI", "average precision"},
		[][]string{{fmt.Sprint(r.N), fmt.Sprint(r.Positives), f(r.AUC.Estimate), f(r.AUC.Lower) + " - " + f(r.AUC.Upper), f(r.AvgPrecision)}})
	var grid []float64
	for k := 0; k <= 50; k++ {
		grid = append(grid, float64(k)/50)
	}
	reps := info.Bootstrap
	if reps == 0 {
		reps = 200
	}
	level := info.Level
	if level == 0 {
		level = 0.95
	}
	lo, hi := evaluation.ROCBand(r.Scores, r.Outcomes, reps, info.Seed, level, grid)
	rocPath := filepath.Join(dir, "roc.svg")
	if err := WriteROCCurves(rocPath, []ROCCurve{{Name: info.Score, Points: r.ROC, AUC: r.AUC.Estimate}}, &ROCBand{Specificity: grid, Lower: lo, Upper: hi}); err != nil {
		return err
	}
	if err := page.SVG(rocPath, fmt.Sprintf("ROC curve of %s with a %d-replicate bootstrap band.", info.Score, reps)); err != nil {
		return err
	}
	prPath := filepath.Join(dir, "precision_recall.svg")
	prev := float64(r.Positives) / float64(r.N-r.MissingScores)
	if err := WritePRPlot(prPath, "Precision-recall", r.ROC, prev, r.AvgPrecision); err != nil {
		return err
	}
	if err := page.SVG(prPath, "Precision-recall curve; the dashed line is the prevalence (no skill)."); err != nil {
		return err
	}
	if len(r.Thresholds) > 0 {
		var rows [][]string
		for _, t := range r.Thresholds {
			rows = append(rows, []string{t.Rule, f(t.Threshold), f(t.Sensitivity), f(t.Specificity), f(t.PPV), f(t.NPV), f(t.LRPositive)})
		}
		page.Table([]string{"rule", "threshold", "sensitivity", "specificity", "PPV", "NPV", "LR+"}, rows)
	}
	page.EndSection()
	if c := r.Calibration; c != nil {
		page.Section("Calibration", "Smoothed calibration curve (lowess, as rms::val.prob), observed risk by decile with Wilson intervals, and the distribution of predictions.")
		page.Table([]string{"intercept", "slope", "calibration-in-the-large", "O/E", "ICI", "E90", "Emax", "Brier", "Hosmer-Lemeshow p"},
			[][]string{{f(c.Intercept), f(c.Slope), f(c.CITL), f(c.OE), f(c.ICI), f(c.E90), f(c.Emax), f(r.Brier), f(c.HosmerLemeshow.P)}})
		calPath := filepath.Join(dir, "calibration.svg")
		if err := WriteCalibrationPlot(calPath, "Calibration", c, r.Scores); err != nil {
			return err
		}
		if err := page.SVG(calPath, "Calibration curve."); err != nil {
			return err
		}
		page.EndSection()
		page.Section("Decision curve", "Net benefit of acting on the model against treating all and none (Vickers & Elkin 2006).")
		dcPath := filepath.Join(dir, "decision_curve.svg")
		if err := WriteDecisionCurve(dcPath, "Decision curve", r.DecisionCurve); err != nil {
			return err
		}
		if err := page.SVG(dcPath, "Decision curve."); err != nil {
			return err
		}
		page.EndSection()
	}
	return page.Write(filepath.Join(dir, "index.html"))
}

// EvaluationPlots are the kinds of plot WriteEvaluationPlot draws.
var EvaluationPlots = []string{"roc", "pr", "calibration", "decision"}

// WriteEvaluationPlot draws one plot of an evaluation's overall result:
// "roc" (the score's ROC curve, and the compared score's, each with its
// AUC in the legend), "pr" (precision–recall), "calibration" or
// "decision" (these two need probabilities). score and compare name the
// curves.
func WriteEvaluationPlot(path, kind string, out *evaluation.ByGroup, score, compare string, opts PlotOptions) error {
	r := &out.Result
	if r.Time != nil {
		return fmt.Errorf("plot %s: the time-to-event evaluation has no %s plot (plots are of binary outcomes)", path, kind)
	}
	if r.ROC == nil && (kind == "roc" || kind == "pr") {
		return fmt.Errorf("plot %s: no %s curve: the evaluation has none (case weights give the weighted AUC only)", path, kind)
	}
	switch kind {
	case "roc":
		curves := []ROCCurve{{Name: score, Points: r.ROC, AUC: r.AUC.Estimate}}
		if r.Compare != nil && r.CompareROC != nil {
			curves = append(curves, ROCCurve{Name: compare, Points: r.CompareROC, AUC: r.Compare.AUC2})
		}
		return WriteROCCurves(path, curves, nil, opts.over(PlotOptions{Title: "ROC curve"}))
	case "pr":
		prev := float64(r.Positives) / float64(r.N-r.MissingScores)
		return WritePRPlot(path, "Precision-recall", r.ROC, prev, r.AvgPrecision, opts)
	case "calibration", "decision":
		if r.Calibration == nil {
			return fmt.Errorf("plot %s: no %s plot: calibration was skipped (scores are not probabilities, or --calibration no)", path, kind)
		}
		if kind == "calibration" {
			return WriteCalibrationData(path, "Calibration", r.Calibration.Deciles, r.CalPlot, opts)
		}
		return WriteDecisionCurve(path, "Decision curve", r.DecisionCurve, opts)
	}
	return fmt.Errorf("plot %s: kind %q: want one of %s", path, kind, strings.Join(EvaluationPlots, ", "))
}
