// Package models holds screenlab's predictive models behind one interface
// (fit on a design matrix, predict a probability or an absolute risk,
// describe, save and load with a checksum) and their training and
// validation.
//
// Entry points:
//   - tables: ReadTrainData, Train (fit, stratified cross-validation and
//     validation on held-out units or years), Validate, Recalibrate,
//     PredictFile (streaming), Describe;
//   - models: FitLogistic (internal/glm's IRLS, glm's errors), FitForest,
//     FitCoxRisk (absolute risk by a horizon);
//   - the mammography triage CNN: TrainTriage (labels, images, person-level
//     early-stopping split, hold-out validation), TrainCNN, NewCNN, Scorer;
//   - files: Save, Load, File.
//
// Batch scoring of a whole round is in models/scoring.
package models
