package models

// dotLanesAdd adds A·Bᵀ, lane by lane, to lanes: for A (m×L) and B (p×L)
// row-major, lanes[(r·p+c)·16+t] += Σ_{j ≡ t mod 16} A[r·L+j]·B[c·L+j] in
// order of j (a multiply and an add rounded separately), as the kernel
// gradient of a convolution needs (dY times the im2col matrix, transposed)
// image after image; sumLanes then adds each output's 16 lanes in order.
// The AVX-512 kernel (GOEXPERIMENT=simd builds) and this scalar code give
// the same bits.
func dotLanesAdd(lanes, a, b []float32, m, p, l int) {
	if !dotLanesAddSIMD(lanes, a, b, m, p, l) {
		dotLanesAddScalar(lanes, a, b, m, p, l)
	}
}

// dotLanesAddScalar is dotLanesAdd without the AVX-512 kernel: SSE
// assembly on amd64 (four registers of four lanes), plain Go elsewhere.
func dotLanesAddScalar(lanes, a, b []float32, m, p, l int) {
	l16 := l &^ 15
	for r := 0; r < m; r++ {
		ar := a[r*l : (r+1)*l]
		for c := 0; c < p; c++ {
			bc := b[c*l : (c+1)*l]
			out := (*[16]float32)(lanes[(r*p+c)*16:])
			dotLanesBlocks(out, ar[:l16], bc[:l16])
			for j := l16; j < l; j++ { // the last, partial block
				out[j-l16] += float32(ar[j] * bc[j])
			}
		}
	}
}

// sumLanes adds one output's 16 lanes in order.
func sumLanes(lanes []float32) float32 {
	s := lanes[0]
	for _, v := range lanes[1:16] {
		s += v
	}
	return s
}
