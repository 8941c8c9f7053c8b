package models

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// reluPool is max-pooling over k×k windows with stride k (NCHW; H and W
// multiples of k) followed by ReLU, as one gorgonia op: max(0, max of the
// window) — ReLU and max-pooling commute, so this is ReLU then pooling in
// one pass over the data, run in parallel over the images. The gradient
// goes to each window's (first) maximum when it is positive. It replaces
// gorgonia's Rectify and MaxPool2D, which are single-threaded and took a
// fifth of the training time after the convolutions were made fast.
func reluPool(x *G.Node, k int) (*G.Node, error) {
	s := x.Shape()
	if s.Dims() != 4 || s[2]%k != 0 || s[3]%k != 0 {
		return nil, fmt.Errorf("reluPool: shape %v does not divide into %d×%d windows", s, k, k)
	}
	return G.ApplyOp(reluPoolOp{k, &opScratch{}, new(poolArgmax)}, x)
}

// poolArgmax holds, from the forward pass of 2×2 pooling, each window's
// (first) maximum as 0–3 in row-major order, or noGrad when it is not
// positive; the gradient reads it instead of searching the windows again.
type poolArgmax struct{ at []uint8 }

const noGrad = 255

type reluPoolOp struct {
	k   int
	s   *opScratch
	arg *poolArgmax
}
type reluPoolGrad struct {
	k   int
	s   *opScratch
	arg *poolArgmax
}

func (reluPoolOp) Arity() int   { return 1 }
func (reluPoolGrad) Arity() int { return 2 }

func (reluPoolOp) Type() hm.Type   { return hm.NewFnType(tensor4(), tensor4()) }
func (reluPoolGrad) Type() hm.Type { return hm.NewFnType(tensor4(), tensor4(), tensor4()) }

func (o reluPoolOp) InferShape(s ...G.DimSizer) (tensor.Shape, error) {
	x, err := shape4(s[0])
	if err != nil {
		return nil, err
	}
	return tensor.Shape{x[0], x[1], x[2] / o.k, x[3] / o.k}, nil
}

// InferShape: x, dy → the shape of x.
func (reluPoolGrad) InferShape(s ...G.DimSizer) (tensor.Shape, error) {
	x, err := shape4(s[0])
	if err != nil {
		return nil, err
	}
	return x.Clone(), nil
}

func (reluPoolOp) ReturnsPtr() bool        { return false }
func (reluPoolGrad) ReturnsPtr() bool      { return false }
func (reluPoolOp) CallsExtern() bool       { return false }
func (reluPoolGrad) CallsExtern() bool     { return false }
func (reluPoolOp) OverwritesInput() int    { return -1 }
func (reluPoolGrad) OverwritesInput() int  { return -1 }
func (o reluPoolOp) String() string        { return fmt.Sprintf("relupool%d", o.k) }
func (o reluPoolGrad) String() string      { return fmt.Sprintf("relupool%d_dx", o.k) }
func (o reluPoolOp) WriteHash(h hash.Hash) { fmt.Fprint(h, o.String()) }
func (o reluPoolGrad) WriteHash(h hash.Hash) {
	fmt.Fprint(h, o.String())
}
func (o reluPoolOp) Hashcode() uint32   { return hashOf(o.String()) }
func (o reluPoolGrad) Hashcode() uint32 { return hashOf(o.String()) }

func (reluPoolOp) DiffWRT(int) []bool { return []bool{true} }

func (o reluPoolOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	dx, err := G.ApplyOp(reluPoolGrad{o.k, &opScratch{}, o.arg}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

func (o reluPoolOp) Do(in ...G.Value) (G.Value, error) { return o.UsePreallocDo(nil, in...) }
func (o reluPoolGrad) Do(in ...G.Value) (G.Value, error) {
	return o.UsePreallocDo(nil, in...)
}

// argmaxWindow visits the windows of plane (h×w) and calls f with the
// output index and the input index of the window's first maximum.
func argmaxWindow(plane []float32, h, w, k int, f func(out, in int, v float32)) {
	ow := w / k
	for oy := 0; oy < h/k; oy++ {
		for ox := 0; ox < ow; ox++ {
			best, at := plane[oy*k*w+ox*k], oy*k*w+ox*k
			for dy := 0; dy < k; dy++ {
				row := (oy*k+dy)*w + ox*k
				for dx := 0; dx < k; dx++ {
					if v := plane[row+dx]; v > best {
						best, at = v, row+dx
					}
				}
			}
			f(oy*ow+ox, at, best)
		}
	}
}

func (o reluPoolOp) UsePreallocDo(_ G.Value, in ...G.Value) (G.Value, error) {
	xd, x, err := dense32(in[0])
	if err != nil {
		return nil, err
	}
	s := xd.Shape()
	n, c, h, w := s[0], s[1], s[2], s[3]
	out, y := o.s.output(tensor.Shape{n, c, h / o.k, w / o.k})
	hw, ohw := h*w, (h/o.k)*(w/o.k)
	if o.k == 2 && len(o.arg.at) != len(y) {
		o.arg.at = make([]uint8, len(y))
	}
	perImage(n, o.s, 0, func(i int, _ []float32) {
		for ch := 0; ch < c; ch++ {
			p := i*c + ch
			dst := y[p*ohw : (p+1)*ohw]
			if o.k == 2 {
				pool2(dst, o.arg.at[p*ohw:(p+1)*ohw], x[p*hw:(p+1)*hw], h, w)
				continue
			}
			argmaxWindow(x[p*hw:(p+1)*hw], h, w, o.k, func(j, _ int, v float32) { dst[j] = max(v, 0) })
		}
	})
	return out, nil
}

func (o reluPoolGrad) UsePreallocDo(_ G.Value, in ...G.Value) (G.Value, error) {
	xd, x, err := dense32(in[0])
	if err != nil {
		return nil, err
	}
	_, dy, err := dense32(in[1])
	if err != nil {
		return nil, err
	}
	s := xd.Shape()
	n, c, h, w := s[0], s[1], s[2], s[3]
	out, dx := o.s.output(s)
	hw, ohw := h*w, (h/o.k)*(w/o.k)
	perImage(n, o.s, 0, func(i int, _ []float32) {
		for ch := 0; ch < c; ch++ {
			p := i*c + ch
			d := dx[p*hw : (p+1)*hw]
			clear(d)
			g := dy[p*ohw : (p+1)*ohw]
			if o.k == 2 {
				pool2Grad(d, g, o.arg.at[p*ohw:(p+1)*ohw], w)
				continue
			}
			argmaxWindow(x[p*hw:(p+1)*hw], h, w, o.k, func(j, at int, v float32) {
				if v > 0 {
					d[at] = g[j]
				}
			})
		}
	})
	return out, nil
}

// pool2 is the forward pass for 2×2 windows without the generic visitor
// (the network's hot loop): dst = max(0, max of each window), and at the
// window's first maximum (0–3, row-major) or noGrad when it is not
// positive.
func pool2(dst []float32, at []uint8, plane []float32, h, w int) {
	if pool2SIMD(dst, at, plane, h, w) {
		return
	}
	pool2Scalar(dst, at, plane, h, w)
}

// pool2Scalar is pool2 without SIMD.
func pool2Scalar(dst []float32, at []uint8, plane []float32, h, w int) {
	ow := w / 2
	for oy := 0; oy < h/2; oy++ {
		r0 := plane[2*oy*w : 2*oy*w+w]
		r1 := plane[(2*oy+1)*w : (2*oy+1)*w+w]
		out, arg := dst[oy*ow:oy*ow+ow], at[oy*ow:oy*ow+ow]
		for ox := range out {
			// Without branches (a window's maximum is anywhere): the
			// maximum, then the first position that holds it.
			x := 2 * ox
			a, b, c, e := r0[x], r0[x+1], r1[x], r1[x+1]
			m := max(a, b, c, e)
			k := bit(a != m) * (1 + bit(b != m)*(1+bit(c != m)))
			out[ox], arg[ox] = max(m, 0), k|bit(!(m > 0))*noGrad
		}
	}
}

// bit is 1 for true, 0 for false (compiled without a branch).
func bit(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// pool2Grad is the backward pass for 2×2 windows: each window's first
// maximum, when positive, receives the output's gradient (d is zero).
func pool2Grad(d, g []float32, at []uint8, w int) {
	ow := w / 2
	for j, k := range at[:len(g)] {
		if k == noGrad {
			continue
		}
		oy, ox := j/ow, j%ow
		d[(2*oy+int(k>>1))*w+2*ox+int(k&1)] = g[j]
	}
}
