//go:build !(goexperiment.simd && amd64)

package models

// haveSIMD is false: built without GOEXPERIMENT=simd (or not on amd64).
const haveSIMD = false

// gemmRows computes Y = W·B (see the SIMD build's doc): rowAxpyGemm.
func gemmRows(y, w, b []float32, m, k, n int) { rowAxpyGemm(y, w, b, m, k, n) }

// dotLanesAddSIMD: no SIMD kernel in this build.
func dotLanesAddSIMD(lanes, a, b []float32, m, p, l int) bool { return false }

// pool2SIMD: no SIMD kernel in this build.
func pool2SIMD(dst []float32, at []uint8, plane []float32, h, w int) bool { return false }
