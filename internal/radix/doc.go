// Package radix sorts by 64-bit keys in linear time, for the hot paths of
// survival (risk sets) and evaluation (midranks) on millions of rows.
package radix
