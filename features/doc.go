// Package features turns table columns into the numeric design a model
// needs, with one builder for every model: one-hot encoding with named
// reference levels (levels in the order of package groups), ordinal codes,
// standardisation, missing values (an indicator plus imputation, learned
// on training data only) and restricted cubic splines (as rms::rcs). A
// fitted Pipeline is part of a saved model, so prediction applies exactly
// the training-time transformation. It also derives the registry's risk
// factors and prepares mammograms for the CNN.
//
// Entry points: Fit, Design, CovariatesOf and CovariateColumnsOf (the
// regression design of survival cox, row-major or by column),
// Pipeline.Transform/Matrix/Terms; RegistryFeatures;
// ImagePrep, GroupImages.
package features
