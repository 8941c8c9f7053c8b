// Package prom scores patient-reported outcome questionnaires as their
// manuals say, so that a registry's PROM indicators rest on the same
// numbers as the clinical literature.
//
// The EORTC QLQ-C30 (version 3.0; Aaronson et al. 1993) is scored by the
// EORTC QLQ-C30 Scoring Manual, 3rd edition (Fayers et al. 2001): for each
// scale the raw score RS is the mean of its answered items, computed when
// at least half of them are answered; functional scales are
// S = (1 − (RS − 1)/range)·100 and the symptom scales and global health
// status S = (RS − 1)/range·100, where range is 3 for items 1–28 (answers
// 1–4) and 6 for items 29–30 (answers 1–7). The summary score (Giesinger et
// al. 2016) is the mean of the five functional scales and 100 minus each
// of eight symptom scales (all but financial difficulties), computed only
// when all thirteen are.
package prom
