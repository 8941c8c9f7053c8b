//go:build goexperiment.simd && amd64

package models

import "simd/archsimd"

// haveSIMD: the kernels below run (AVX2 present; built with
// GOEXPERIMENT=simd, as the Makefile does).
var haveSIMD = archsimd.X86.AVX2()

// have512: 16-lane registers (AVX-512).
var have512 = archsimd.X86.AVX512()

// gemmRows computes Y = W·B for W (m×k), B (k×n), Y (m×n), all row-major:
// with AVX2, 3 rows × 16 columns of Y at a time held in six 8-lane
// registers while the k products are added (Goto & van de Geijn 2008's
// register blocking), each a multiply and an add rounded separately in the
// order l = 0…k−1 — so the result is rowAxpyGemm's, bit for bit, on every
// build. Without AVX2 it is rowAxpyGemm.
func gemmRows(y, w, b []float32, m, k, n int) {
	if !haveSIMD || n < 16 {
		rowAxpyGemm(y, w, b, m, k, n)
		return
	}
	if have512 && n >= 32 {
		gemmRows512(y, w, b, m, k, n)
		return
	}
	n16 := n &^ 15
	i := 0
	for ; i+3 <= m; i += 3 {
		w0, w1, w2 := w[i*k:(i+1)*k], w[(i+1)*k:(i+2)*k], w[(i+2)*k:(i+3)*k]
		for j := 0; j < n16; j += 16 {
			var a00, a01, a10, a11, a20, a21 archsimd.Float32x8
			for l := range w0 {
				row := b[l*n+j : l*n+j+16]
				b0, b1 := archsimd.LoadFloat32x8Slice(row[:8]), archsimd.LoadFloat32x8Slice(row[8:])
				v := archsimd.BroadcastFloat32x8(w0[l])
				a00, a01 = a00.Add(v.Mul(b0)), a01.Add(v.Mul(b1))
				v = archsimd.BroadcastFloat32x8(w1[l])
				a10, a11 = a10.Add(v.Mul(b0)), a11.Add(v.Mul(b1))
				v = archsimd.BroadcastFloat32x8(w2[l])
				a20, a21 = a20.Add(v.Mul(b0)), a21.Add(v.Mul(b1))
			}
			a00.StoreSlice(y[i*n+j:])
			a01.StoreSlice(y[i*n+j+8:])
			a10.StoreSlice(y[(i+1)*n+j:])
			a11.StoreSlice(y[(i+1)*n+j+8:])
			a20.StoreSlice(y[(i+2)*n+j:])
			a21.StoreSlice(y[(i+2)*n+j+8:])
		}
	}
	for ; i < m; i++ {
		wi := w[i*k : (i+1)*k]
		for j := 0; j < n16; j += 16 {
			var a0, a1 archsimd.Float32x8
			for l, x := range wi {
				row := b[l*n+j : l*n+j+16]
				v := archsimd.BroadcastFloat32x8(x)
				a0, a1 = a0.Add(v.Mul(archsimd.LoadFloat32x8Slice(row[:8]))), a1.Add(v.Mul(archsimd.LoadFloat32x8Slice(row[8:])))
			}
			a0.StoreSlice(y[i*n+j:])
			a1.StoreSlice(y[i*n+j+8:])
		}
	}
	tailColumns(y, w, b, m, k, n, n16)
}

// gemmRows512 is gemmRows with AVX-512: 4 rows × 32 columns at a time in
// eight 16-lane registers, the same products added in the same order.
func gemmRows512(y, w, b []float32, m, k, n int) {
	n32 := n &^ 31
	i := 0
	for ; i+4 <= m; i += 4 {
		w0, w1, w2, w3 := w[i*k:(i+1)*k], w[(i+1)*k:(i+2)*k], w[(i+2)*k:(i+3)*k], w[(i+3)*k:(i+4)*k]
		for j := 0; j < n32; j += 32 {
			var a00, a01, a10, a11, a20, a21, a30, a31 archsimd.Float32x16
			for l := range w0 {
				row := b[l*n+j : l*n+j+32]
				b0, b1 := archsimd.LoadFloat32x16Slice(row[:16]), archsimd.LoadFloat32x16Slice(row[16:])
				v := archsimd.BroadcastFloat32x16(w0[l])
				a00, a01 = a00.Add(v.Mul(b0)), a01.Add(v.Mul(b1))
				v = archsimd.BroadcastFloat32x16(w1[l])
				a10, a11 = a10.Add(v.Mul(b0)), a11.Add(v.Mul(b1))
				v = archsimd.BroadcastFloat32x16(w2[l])
				a20, a21 = a20.Add(v.Mul(b0)), a21.Add(v.Mul(b1))
				v = archsimd.BroadcastFloat32x16(w3[l])
				a30, a31 = a30.Add(v.Mul(b0)), a31.Add(v.Mul(b1))
			}
			a00.StoreSlice(y[i*n+j:])
			a01.StoreSlice(y[i*n+j+16:])
			a10.StoreSlice(y[(i+1)*n+j:])
			a11.StoreSlice(y[(i+1)*n+j+16:])
			a20.StoreSlice(y[(i+2)*n+j:])
			a21.StoreSlice(y[(i+2)*n+j+16:])
			a30.StoreSlice(y[(i+3)*n+j:])
			a31.StoreSlice(y[(i+3)*n+j+16:])
		}
	}
	for ; i < m; i++ {
		wi := w[i*k : (i+1)*k]
		for j := 0; j < n32; j += 32 {
			var a0, a1 archsimd.Float32x16
			for l, x := range wi {
				row := b[l*n+j : l*n+j+32]
				v := archsimd.BroadcastFloat32x16(x)
				a0, a1 = a0.Add(v.Mul(archsimd.LoadFloat32x16Slice(row[:16]))), a1.Add(v.Mul(archsimd.LoadFloat32x16Slice(row[16:])))
			}
			a0.StoreSlice(y[i*n+j:])
			a1.StoreSlice(y[i*n+j+16:])
		}
	}
	tailColumns(y, w, b, m, k, n, n32)
}

// tailColumns computes columns from..n−1 of Y = W·B as rowAxpyGemm adds
// them.
func tailColumns(y, w, b []float32, m, k, n, from int) {
	if from == n {
		return
	}
	for i := 0; i < m; i++ {
		yi := y[i*n+from : (i+1)*n]
		clear(yi)
		for l, x := range w[i*k : (i+1)*k] {
			for j, v := range b[l*n+from : (l+1)*n] {
				yi[j] += float32(x * v)
			}
		}
	}
}

// dotLanesAddSIMD is dotLanesAdd with AVX-512: 4 rows of A × 2 rows of B
// at a time, each output's 16 lanes in one register; false without
// AVX-512.
func dotLanesAddSIMD(lanes, a, b []float32, m, p, l int) bool {
	if !have512 {
		return false
	}
	at := func(r, c int) []float32 { return lanes[(r*p+c)*16 : (r*p+c+1)*16] }
	l16 := l &^ 15 // whole registers; the last, partial block after them
	r := 0
	for ; r+4 <= m; r += 4 {
		a0, a1, a2, a3 := a[r*l:(r+1)*l], a[(r+1)*l:(r+2)*l], a[(r+2)*l:(r+3)*l], a[(r+3)*l:(r+4)*l]
		c := 0
		for ; c+2 <= p; c += 2 {
			b0, b1 := b[c*l:(c+1)*l], b[(c+1)*l:(c+2)*l]
			s00, s01 := archsimd.LoadFloat32x16Slice(at(r, c)), archsimd.LoadFloat32x16Slice(at(r, c+1))
			s10, s11 := archsimd.LoadFloat32x16Slice(at(r+1, c)), archsimd.LoadFloat32x16Slice(at(r+1, c+1))
			s20, s21 := archsimd.LoadFloat32x16Slice(at(r+2, c)), archsimd.LoadFloat32x16Slice(at(r+2, c+1))
			s30, s31 := archsimd.LoadFloat32x16Slice(at(r+3, c)), archsimd.LoadFloat32x16Slice(at(r+3, c+1))
			for j := 0; j < l16; j += 16 {
				y0, y1 := archsimd.LoadFloat32x16Slice(b0[j:]), archsimd.LoadFloat32x16Slice(b1[j:])
				x := archsimd.LoadFloat32x16Slice(a0[j:])
				s00, s01 = s00.Add(x.Mul(y0)), s01.Add(x.Mul(y1))
				x = archsimd.LoadFloat32x16Slice(a1[j:])
				s10, s11 = s10.Add(x.Mul(y0)), s11.Add(x.Mul(y1))
				x = archsimd.LoadFloat32x16Slice(a2[j:])
				s20, s21 = s20.Add(x.Mul(y0)), s21.Add(x.Mul(y1))
				x = archsimd.LoadFloat32x16Slice(a3[j:])
				s30, s31 = s30.Add(x.Mul(y0)), s31.Add(x.Mul(y1))
			}
			s00.StoreSlice(at(r, c))
			s01.StoreSlice(at(r, c+1))
			s10.StoreSlice(at(r+1, c))
			s11.StoreSlice(at(r+1, c+1))
			s20.StoreSlice(at(r+2, c))
			s21.StoreSlice(at(r+2, c+1))
			s30.StoreSlice(at(r+3, c))
			s31.StoreSlice(at(r+3, c+1))
			for i := r; i < r+4; i++ {
				laneTail(at(i, c), a[i*l+l16:(i+1)*l], b0[l16:])
				laneTail(at(i, c+1), a[i*l+l16:(i+1)*l], b1[l16:])
			}
		}
		for ; c < p; c++ {
			for i := r; i < r+4; i++ {
				dotLane(at(i, c), a[i*l:(i+1)*l], b[c*l:(c+1)*l])
			}
		}
	}
	for ; r < m; r++ {
		for c := 0; c < p; c++ {
			dotLane(at(r, c), a[r*l:(r+1)*l], b[c*l:(c+1)*l])
		}
	}
	return true
}

// dotLane is one output of dotLanesAddSIMD.
func dotLane(lanes, x, y []float32) {
	l16 := len(x) &^ 15
	s := archsimd.LoadFloat32x16Slice(lanes)
	for j := 0; j < l16; j += 16 {
		s = s.Add(archsimd.LoadFloat32x16Slice(x[j:]).Mul(archsimd.LoadFloat32x16Slice(y[j:])))
	}
	s.StoreSlice(lanes)
	laneTail(lanes, x[l16:], y[l16:])
}

// laneTail adds the last, partial block's products to their lanes (no
// partial loads: the race detector's pointer checks refuse them).
func laneTail(lanes, x, y []float32) {
	for t, v := range x {
		lanes[t] += float32(v * y[t])
	}
}

var evenLanes, oddLanes = [16]uint32{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30},
	[16]uint32{1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31}

// pool2SIMD is pool2 with AVX-512, 16 windows at a time (rows whose width
// is a multiple of 32): the same maxima and positions; false when it
// cannot run.
func pool2SIMD(dst []float32, at []uint8, plane []float32, h, w int) bool {
	if !have512 || w%32 != 0 {
		return false
	}
	even, odd := archsimd.LoadUint32x16(&evenLanes), archsimd.LoadUint32x16(&oddLanes)
	zero := archsimd.BroadcastFloat32x16(0)
	k0, k1, k2, k3 := archsimd.BroadcastUint32x16(0), archsimd.BroadcastUint32x16(1), archsimd.BroadcastUint32x16(2), archsimd.BroadcastUint32x16(3)
	none := archsimd.BroadcastUint32x16(noGrad)
	ow := w / 2
	for oy := 0; oy < h/2; oy++ {
		r0 := plane[2*oy*w : 2*oy*w+w]
		r1 := plane[(2*oy+1)*w : (2*oy+1)*w+w]
		for x := 0; x < w; x += 32 {
			lo0, hi0 := archsimd.LoadFloat32x16Slice(r0[x:]), archsimd.LoadFloat32x16Slice(r0[x+16:])
			lo1, hi1 := archsimd.LoadFloat32x16Slice(r1[x:]), archsimd.LoadFloat32x16Slice(r1[x+16:])
			// The windows' four values, 16 windows a register.
			a, b := lo0.ConcatPermute(hi0, even), lo0.ConcatPermute(hi0, odd)
			c, d := lo1.ConcatPermute(hi1, even), lo1.ConcatPermute(hi1, odd)
			m := a.Max(b).Max(c.Max(d))
			k := k2.Merge(k3, c.Equal(m))
			k = k1.Merge(k, b.Equal(m))
			k = k0.Merge(k, a.Equal(m))
			k = k.Merge(none, m.Greater(zero))
			o := oy*ow + x/2
			m.Max(zero).Add(zero).StoreSlice(dst[o:]) // + 0 turns a −0 (VMAXPS keeps either zero) into +0, as Go's max gives
			k.TruncateToUint8().StoreSlice(at[o:])
		}
	}
	return true
}
