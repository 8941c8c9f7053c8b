// Package demo runs screenlab's main job end to end on a synthetic
// registry, as a sequence of library calls on in-memory tables:
//
//  1. generate a registry with mammograms (datasets/synth) and load it;
//  2. link every exam to its registry-confirmed outcome (datasets);
//  3. screening indicators overall and by unit (evaluation/screening);
//  4. a logistic risk model trained on SU01–SU05 and validated on
//     SU06–SU08 (features, models);
//  5. the triage CNN trained on the images of SU01–SU05, the held-out
//     units scored by the journalled batch scorer (models/scoring), its
//     AUCs and the reading strategies with its score and the AI score
//     (evaluation, evaluation/strategy);
//  6. reading strategies with the AI score on every exam;
//  7. survival of the breast cancer patients and the cumulative incidence
//     of breast cancer after a first screen (survival);
//  8. incidence rates, trend and SIRs by region (incidence);
//  9. quality indicators with funnel plots (evaluation/screening);
//  10. one self-contained page, report.html (report).
//
// Every file Run writes is an output for the user; none is read back.
//
// Entry points: Run (the whole job, one call from a notebook), Result (its
// result, also demo.json) and WriteSummary (the text screenlab demo
// prints).
package demo
