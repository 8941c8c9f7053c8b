// Package suppress masks small counts in published tables, as cancer
// registries must: primary suppression of counts below a threshold, and
// complementary suppression so that a masked cell cannot be recovered from
// a row or column total (a total minus the other cells).
//
// Entry points: Mask (primary and complementary suppression of a grid),
// Small.
package suppress
