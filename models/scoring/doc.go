// Package scoring scores a whole screening round with a CNN triage model:
// it streams the images table through decode → preprocess → batched
// inference on several goroutines, journals every scored exam so that a
// run killed at any point resumes without losing or repeating an exam,
// writes an error row (never a silent skip) for an exam whose images are
// missing or unreadable, and splits a round into deterministic shards
// that Merge puts back together, checking that every exam is there once.
//
// Entry points: Score (Options, Summary with every exam's score),
// ReadImages, InShard, Merge.
package scoring
