// Package evaluation measures a score against outcomes: discrimination,
// calibration, decision curves and time-dependent metrics, agreeing with
// pROC, rms::val.prob, riskRegression and scikit-learn.
//
// Entry points:
//   - Evaluate and EvaluateByGroup: every metric of screenlab evaluate in
//     one call (Data, Options, Result);
//   - discrimination: AUCDeLong, CompareAUC, BootstrapAUC, ROC, ROCBand,
//     AveragePrecision, PartialAUC, ChooseThreshold and AtThreshold;
//   - calibration: Calibrate (intercept, slope, O/E, ICI, E50/E90/Emax,
//     Hosmer–Lemeshow, Spiegelhalter, deciles), Lowess, Brier,
//     NewCalibrationData;
//   - DecisionCurve on DecisionThresholds (Vickers & Elkin 2006);
//   - EvaluateAtHorizon: Harrell's and Uno's C, IPCW AUC(t) and Brier(t);
//   - ProportionCI (Wilson, exact).
//
// Screening-programme indicators are in evaluation/screening, reading
// strategies in evaluation/strategy.
package evaluation
