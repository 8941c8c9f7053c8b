// Package buildinfo says which screenlab made a result: the version saved
// in model files, report pages and demo results.
package buildinfo
