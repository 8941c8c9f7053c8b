package evaluation_test

import (
	"fmt"

	"github.com/screenlab/screenlab/evaluation"
)

// Ten patients, four with the outcome. Of the 4 × 6 pairs of a positive
// and a negative, the positive scores higher in 20 and ties in 1, so the
// AUC (Mann–Whitney) is (20 + 0.5) / 24 = 0.854, by hand; the interval is
// DeLong's (the structural components V10, V01 computed in R give the same
// 0.603-1).
func ExampleAUCDeLong() {
	score := []float64{0.9, 0.8, 0.7, 0.4, 0.6, 0.4, 0.3, 0.2, 0.1, 0.75}
	outcome := []bool{true, true, true, true, false, false, false, false, false, false}
	auc, err := evaluation.AUCDeLong(score, outcome, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("AUC %.3f (%.3f-%.3f)\n", auc.Estimate, auc.Lower, auc.Upper)
	// Output:
	// AUC 0.854 (0.603-1.000)
}

// Predicted risks that are too extreme: the calibration slope is below 1
// (logistic recalibration, as rms::val.prob's Slope; R's glm(y ~
// qlogis(p), binomial) gives 0.213 and 0.321), and the observed over
// expected ratio shows the overall level.
func ExampleCalibrate() {
	var p []float64
	var y []bool
	for i := 0; i < 200; i++ {
		risk := 0.02 + 0.96*float64(i)/199
		p = append(p, risk)
		// the observed frequency is pulled toward 0.5
		y = append(y, float64(i%10) < 10*(0.25+0.5*risk))
	}
	c, err := evaluation.Calibrate(p, y, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("intercept %.3f, slope %.3f, O/E %.3f\n", c.Intercept, c.Slope, c.OE)
	// Output:
	// intercept 0.213, slope 0.321, O/E 1.100
}

// Every metric of screenlab evaluate in one call: here the AUC, the Brier
// score (mean squared error, 0.172 by hand) and the metrics at the
// threshold that maximises Youden's J (3 of 4 positives and 5 of 6
// negatives on the right side), reported as pROC reports it: 0.65, midway
// between the scores 0.7 and 0.6 it falls between.
func ExampleEvaluate() {
	score := []float64{0.9, 0.8, 0.7, 0.4, 0.6, 0.4, 0.3, 0.2, 0.1, 0.75}
	outcome := []bool{true, true, true, true, false, false, false, false, false, false}
	res, err := evaluation.Evaluate(evaluation.Data{Score: score, Outcome: outcome}, evaluation.Options{Thresholds: []string{"youden"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := res.Thresholds[0]
	fmt.Printf("n %d, positives %d, AUC %.3f, Brier %.3f\n", res.N, res.Positives, res.AUC.Estimate, res.Brier)
	fmt.Printf("Youden threshold %.2f: sensitivity %.2f, specificity %.2f\n", t.Threshold, t.Sensitivity, t.Specificity)
	// Output:
	// n 10, positives 4, AUC 0.854, Brier 0.172
	// Youden threshold 0.65: sensitivity 0.75, specificity 0.83
}
