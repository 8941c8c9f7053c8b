// Package onnx runs image models trained elsewhere (PyTorch, exported to
// ONNX) on screening rounds: an ONNX model file and its sidecar (Sidecar:
// the input, screenlab's preprocessing, the output and how an exam's four
// views combine) become a view scorer for the journalled, resumable,
// sharded scorer of models/scoring.
//
// The runtime is gonnx (github.com/advancedclimatesystems/gonnx, pure Go
// on gorgonia tensors; it parses the model and runs the graph), with the
// operators image classifiers need that its opset 13 lacks — MaxPool,
// AveragePool, GlobalMaxPool, GlobalAveragePool, BatchNormalization — and
// a Conv by im2col and the CNN's SIMD matrix product (models.Gemm) over
// several images at once in place of its direct one. ONNX
// Runtime itself has no Debian package and no Go module served here.
//
// Entry points: LoadFile (a models.File that models/scoring runs), Load
// (model and sidecar, verified), Open and Describe (a model alone),
// VerifyFile, Model.Run.
package onnx
