// Package survival estimates survival from registry follow-up and agrees
// with R's survival, cmprsk and relsurv packages on their own test data.
//
// Entry points:
//   - KaplanMeier (Greenwood errors, plain/log/log-log intervals, median,
//     RMST) and KaplanMeierByGroup (a curve per group with the log-rank
//     test); LogRank (G-rho family, strata);
//   - FitCox: Cox proportional hazards (Efron or Breslow ties, strata,
//     delayed entry, weights, robust errors, Harrell's concordance, the
//     cox.zph test);
//   - CumulativeIncidence and CumulativeIncidenceByGroup (Aalen–Johansen
//     with cmprsk's variance) and GrayTest;
//   - RelativeSurvival (Pohar Perme, Ederer II) against a LifeTable, and
//     EstimateNetSurvival with ICSS age standardisation (Standardize).
//
// Estimators take columns as slices; an *InputError names the row of a
// bad value, so a caller reading a file can name its line.
package survival
