package models

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// gemmRows (the SIMD kernel where it is built) gives rowAxpyGemm's result
// bit for bit, at the network's shapes and at ragged ones (rows not a
// multiple of 4, columns not of 16), and both are W·B to float32 rounding.
func TestGemmRowsIsRowAxpyGemm(t *testing.T) {
	if !haveSIMD {
		t.Log("built without GOEXPERIMENT=simd or AVX2: gemmRows is rowAxpyGemm itself")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, s := range [][3]int{{8, 9, 4096}, {16, 72, 1024}, {32, 144, 256}, {72, 16, 1024}, {9, 8, 4096}, {5, 7, 37}, {3, 2, 16}, {1, 1, 15}, {6, 11, 50}} {
		m, k, n := s[0], s[1], s[2]
		w, b := make([]float32, m*k), make([]float32, k*n)
		for i := range w {
			w[i] = float32(r.NormFloat64())
			if i%5 == 0 {
				w[i] = 0
			}
		}
		for i := range b {
			b[i] = float32(r.NormFloat64())
		}
		got, want := make([]float32, m*n), make([]float32, m*n)
		for i := range got {
			got[i] = float32(i) // overwritten
		}
		gemmRows(got, w, b, m, k, n)
		rowAxpyGemm(want, w, b, m, k, n)
		if !slices.Equal(got, want) {
			t.Errorf("%v: gemmRows differs from rowAxpyGemm", s)
		}
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				var ref, mag float64
				for l := 0; l < k; l++ {
					ref += float64(w[i*k+l]) * float64(b[l*n+j])
					mag += math.Abs(float64(w[i*k+l]) * float64(b[l*n+j]))
				}
				if math.Abs(float64(got[i*n+j])-ref) > 1e-6*float64(k)*mag+1e-30 {
					t.Fatalf("%v: Y[%d,%d] = %v, want %v", s, i, j, got[i*n+j], ref)
				}
			}
		}
	}
}

// BenchmarkGemmRows: the three convolutions' forward products at 64×64.
func BenchmarkGemmRows(b *testing.B) {
	for _, s := range [][3]int{{8, 9, 4096}, {16, 72, 1024}, {32, 144, 256}} {
		m, k, n := s[0], s[1], s[2]
		w, x, y := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
		for i := range w {
			w[i] = float32(i%7) - 3
		}
		for i := range x {
			x[i] = float32(i%11) / 11
		}
		b.Run("simd", func(b *testing.B) {
			for b.Loop() {
				gemmRows(y, w, x, m, k, n)
			}
		})
		b.Run("axpy", func(b *testing.B) {
			for b.Loop() {
				rowAxpyGemm(y, w, x, m, k, n)
			}
		})
	}
}

// dotLanesAdd (the AVX-512 kernel where it is built and the CPU has it)
// adds exactly what the scalar code does, at the kernel gradients' shapes
// and ragged ones, and the lanes summed are A·Bᵀ to float32 rounding.
func TestDotLanesAddIsScalar(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, s := range [][3]int{{8, 9, 4096}, {16, 72, 1024}, {32, 144, 256}, {5, 3, 40}, {7, 9, 15}, {1, 1, 16}, {4, 2, 33}} {
		m, p, l := s[0], s[1], s[2]
		a, b := make([]float32, m*l), make([]float32, p*l)
		for i := range a {
			a[i] = float32(r.NormFloat64())
		}
		for i := range b {
			b[i] = float32(r.NormFloat64())
		}
		got, want := make([]float32, m*p*16), make([]float32, m*p*16)
		for i := range got {
			got[i], want[i] = float32(i%16), float32(i%16)
		}
		scalar := slices.Clone(got)
		dotLanesAdd(got, a, b, m, p, l)
		dotLanesAddScalar(scalar, a, b, m, p, l)
		// The definition, lane by lane in plain Go.
		for i := 0; i < m; i++ {
			for c := 0; c < p; c++ {
				for j := 0; j < l; j++ {
					want[(i*p+c)*16+j%16] += float32(a[i*l+j] * b[c*l+j])
				}
			}
		}
		if !slices.Equal(got, want) || !slices.Equal(scalar, want) {
			t.Errorf("%v: dotLanesAdd (SIMD %v) or its scalar code differs from the lane sums", s, slices.Equal(got, want))
		}
		for i := 0; i < m; i++ {
			for c := 0; c < p; c++ {
				ref, mag := 120.0, 120.0 // the lanes' starting values 0…15
				for j := 0; j < l; j++ {
					ref += float64(a[i*l+j]) * float64(b[c*l+j])
					mag += math.Abs(float64(a[i*l+j]) * float64(b[c*l+j]))
				}
				if v := sumLanes(got[(i*p+c)*16:]); math.Abs(float64(v)-ref) > 1e-6*float64(l)*mag {
					t.Fatalf("%v: [%d,%d] = %v, want %v", s, i, c, v, ref)
				}
			}
		}
	}
}

// pool2 (the AVX-512 kernel where it runs) gives the scalar code's maxima,
// bit for bit (zeros of either sign included), and its positions, ties and
// non-positive windows included.
func TestPool2IsScalar(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, s := range [][2]int{{64, 64}, {32, 32}, {16, 16}, {8, 96}, {2, 32}} {
		h, w := s[0], s[1]
		plane := make([]float32, h*w)
		for i := range plane {
			switch r.IntN(6) {
			case 0:
				plane[i] = 0
			case 1:
				plane[i] = float32(math.Copysign(0, -1))
			case 2:
				plane[i] = float32(r.IntN(3)) // ties
			default:
				plane[i] = float32(r.NormFloat64())
			}
		}
		n := (h / 2) * (w / 2)
		got, want := make([]float32, n), make([]float32, n)
		gotAt, wantAt := make([]uint8, n), make([]uint8, n)
		pool2(got, gotAt, plane, h, w)
		pool2Scalar(want, wantAt, plane, h, w)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) || gotAt[i] != wantAt[i] {
				t.Fatalf("%v: window %d: %v at %d, scalar %v at %d", s, i, got[i], gotAt[i], want[i], wantAt[i])
			}
		}
	}
}
