// Package synth generates a synthetic cancer registry that looks like a
// population-based breast screening programme (BreastScreen Norway): women
// in birth cohorts invited every two years at ages 50–69, independent double
// reading with consensus, an AI score per exam, breast cancers from a
// natural-history model with a screen-detectable preclinical phase, other
// cancer sites, deaths from a life table with excess cancer mortality, and
// emigration.
//
// The natural history follows the three-state model of screening (healthy →
// preclinical screen-detectable → clinical; Day & Walter 1984): a tumour
// becomes detectable at an onset time drawn from an age- and risk-dependent
// hazard and surfaces clinically after a log-normal sojourn time. A screen
// during the preclinical phase finds it with a probability that grows with
// how far the tumour has progressed and falls with breast density, so fast
// tumours and subtle ones become interval cancers.
//
// Every person draws from her own PCG stream seeded by (seed, person index),
// so the output is byte-identical for a seed whatever the number of workers.
//
// Entry point: Generate (Config, Summary); the mammograms with Images.
package synth
