//go:build goexperiment.simd && amd64

package models

import "testing"

// The AVX2 kernel (gemmRows without AVX-512) gives the same bits as well.
func TestGemmRowsAVX2(t *testing.T) {
	if !haveSIMD {
		t.Skip("no AVX2 on this CPU")
	}
	defer func(v bool) { have512 = v }(have512)
	have512 = false
	TestGemmRowsIsRowAxpyGemm(t)
}
