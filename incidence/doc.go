// Package incidence computes person-years and incidence from registry
// follow-up.
//
// Entry points:
//   - Lexis splitting on several time scales: ParseBreaks, SplitLexis,
//     Aggregate and SplitTableOf (as popEpi::splitMulti);
//   - rates: JoinCounts (case counts joined to person-years by group and
//     age group), DirectRate and Rates (crude, age-specific and directly
//     standardised rates with Fay–Feuer or Tiwari intervals, cumulative
//     rate and risk, suppression of small counts), the Standards;
//   - indirect standardisation: IndirectRate, ReadReferenceRates and SIRs;
//   - trends: PoissonTrend and Trends (annual percent change).
package incidence
