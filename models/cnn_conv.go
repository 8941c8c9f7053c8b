package models

import (
	"fmt"
	"hash"
	"hash/fnv"
	"runtime"
	"sync"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"gonum.org/v1/gonum/blas/gonum"
)

// A 3×3 convolution (stride 1, zero padding 1) on NCHW tensors as gorgonia
// ops: per image, im2col and one matrix product (Chellapilla, Puri & Simard
// 2006) whose result is already in NCHW order. gorgonia's own Conv2d
// computes NHWC and transposes it back with a generic element iterator;
// profiling the triage CNN showed that transpose (forward and backward) and
// its im2col at a third of the training time. The gradients are two more
// ops: with respect to the input (Wᵀ·dY, then col2im) and to the kernels
// (Σ dY·colᵀ over the images).

var sgemm = gonum.Implementation{}

// conv3 applies the convolution: x (N,C,H,W), w (O,C,3,3) → (N,O,H,W).
// gradX says whether the gradient flows on to x: not for the network's
// first layer, whose input is the images (gorgonia would compute it, and
// it cost a tenth of a training step).
func conv3(x, w *G.Node, gradX bool) (*G.Node, error) {
	xs, ws := x.Shape(), w.Shape()
	if xs.Dims() != 4 || ws.Dims() != 4 || ws[1] != xs[1] || ws[2] != 3 || ws[3] != 3 {
		return nil, fmt.Errorf("conv3: input %v and kernels %v do not fit", xs, ws)
	}
	return G.ApplyOp(conv3Op{&opScratch{}, gradX}, x, w)
}

type conv3Op struct {
	s     *opScratch
	gradX bool
}
type conv3GradX struct{ s *opScratch }
type conv3GradW struct{ s *opScratch }

// opScratch keeps an op's output tensor and its workers' scratch buffers
// from one run of the graph to the next (each node has its own; a graph is
// run by one goroutine at a time), so a training step or an inference
// batch allocates nothing large.
type opScratch struct {
	out  *tensor.Dense
	bufs [][]float32
}

// output returns the op's output tensor of the given shape, reused when
// the shape is the same as last time (the ops overwrite all of it).
func (s *opScratch) output(shape tensor.Shape) (*tensor.Dense, []float32) {
	if s.out == nil || !s.out.Shape().Eq(shape) {
		s.out = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(shape...))
	}
	return s.out, s.out.Data().([]float32)
}

// buffers returns n scratch buffers of size each.
func (s *opScratch) buffers(n, size int) [][]float32 {
	for len(s.bufs) < n {
		s.bufs = append(s.bufs, nil)
	}
	for i := 0; i < n; i++ {
		if len(s.bufs[i]) != size {
			s.bufs[i] = make([]float32, size)
		}
	}
	return s.bufs[:n]
}

func tensor4() hm.Type { return &G.TensorType{Dims: 4, Of: hm.TypeVariable('a')} }

func shape4(s G.DimSizer) (tensor.Shape, error) {
	sh, ok := s.(tensor.Shape)
	if !ok || sh.Dims() != 4 {
		return nil, fmt.Errorf("conv3: want a 4-d shape, got %v", s)
	}
	return sh, nil
}

func (conv3Op) Arity() int    { return 2 }
func (conv3GradX) Arity() int { return 2 }
func (conv3GradW) Arity() int { return 2 }

func (conv3Op) Type() hm.Type    { return hm.NewFnType(tensor4(), tensor4(), tensor4()) }
func (conv3GradX) Type() hm.Type { return hm.NewFnType(tensor4(), tensor4(), tensor4()) }
func (conv3GradW) Type() hm.Type { return hm.NewFnType(tensor4(), tensor4(), tensor4()) }

// InferShape: x, w → (N, O, H, W).
func (conv3Op) InferShape(s ...G.DimSizer) (tensor.Shape, error) {
	x, err := shape4(s[0])
	if err != nil {
		return nil, err
	}
	w, err := shape4(s[1])
	if err != nil {
		return nil, err
	}
	return tensor.Shape{x[0], w[0], x[2], x[3]}, nil
}

// InferShape: w, dy → (N, C, H, W).
func (conv3GradX) InferShape(s ...G.DimSizer) (tensor.Shape, error) {
	w, err := shape4(s[0])
	if err != nil {
		return nil, err
	}
	dy, err := shape4(s[1])
	if err != nil {
		return nil, err
	}
	return tensor.Shape{dy[0], w[1], dy[2], dy[3]}, nil
}

// InferShape: x, dy → (O, C, 3, 3).
func (conv3GradW) InferShape(s ...G.DimSizer) (tensor.Shape, error) {
	x, err := shape4(s[0])
	if err != nil {
		return nil, err
	}
	dy, err := shape4(s[1])
	if err != nil {
		return nil, err
	}
	return tensor.Shape{dy[1], x[1], 3, 3}, nil
}

func (conv3Op) ReturnsPtr() bool        { return false }
func (conv3GradX) ReturnsPtr() bool     { return false }
func (conv3GradW) ReturnsPtr() bool     { return false }
func (conv3Op) CallsExtern() bool       { return false }
func (conv3GradX) CallsExtern() bool    { return false }
func (conv3GradW) CallsExtern() bool    { return false }
func (conv3Op) OverwritesInput() int    { return -1 }
func (conv3GradX) OverwritesInput() int { return -1 }
func (conv3GradW) OverwritesInput() int { return -1 }
func (o conv3Op) String() string {
	if !o.gradX {
		return "conv3x3_input"
	}
	return "conv3x3"
}
func (conv3GradX) String() string       { return "conv3x3_dx" }
func (conv3GradW) String() string       { return "conv3x3_dw" }
func (o conv3Op) WriteHash(h hash.Hash) { fmt.Fprint(h, o.String()) }
func (o conv3GradX) WriteHash(h hash.Hash) {
	fmt.Fprint(h, o.String())
}
func (o conv3GradW) WriteHash(h hash.Hash) { fmt.Fprint(h, o.String()) }
func (o conv3Op) Hashcode() uint32         { return hashOf(o.String()) }
func (o conv3GradX) Hashcode() uint32      { return hashOf(o.String()) }
func (o conv3GradW) Hashcode() uint32      { return hashOf(o.String()) }

func hashOf(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func (o conv3Op) DiffWRT(int) []bool { return []bool{o.gradX, true} }

func (o conv3Op) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	var dx *G.Node
	if o.gradX {
		var err error
		if dx, err = G.ApplyOp(conv3GradX{&opScratch{}}, inputs[1], grad); err != nil {
			return nil, err
		}
	}
	dw, err := G.ApplyOp(conv3GradW{&opScratch{}}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw}, nil
}

func dense32(v G.Value) (*tensor.Dense, []float32, error) {
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, nil, fmt.Errorf("conv3: want a dense tensor, got %T", v)
	}
	f, ok := d.Data().([]float32)
	if !ok {
		return nil, nil, fmt.Errorf("conv3: want float32 data, got %T", d.Data())
	}
	return d, f, nil
}

func (o conv3Op) Do(in ...G.Value) (G.Value, error) { return o.UsePreallocDo(nil, in...) }
func (o conv3GradX) Do(in ...G.Value) (G.Value, error) {
	return o.UsePreallocDo(nil, in...)
}
func (o conv3GradW) Do(in ...G.Value) (G.Value, error) { return o.UsePreallocDo(nil, in...) }

// UsePreallocDo computes Y_n = W·col(X_n) for every image n.
func (op conv3Op) UsePreallocDo(_ G.Value, in ...G.Value) (G.Value, error) {
	xd, x, err := dense32(in[0])
	if err != nil {
		return nil, err
	}
	wd, w, err := dense32(in[1])
	if err != nil {
		return nil, err
	}
	n, c, h, wid := xd.Shape()[0], xd.Shape()[1], xd.Shape()[2], xd.Shape()[3]
	o := wd.Shape()[0]
	out, y := op.s.output(tensor.Shape{n, o, h, wid})
	hw, k := h*wid, c*9
	perImage(n, op.s, k*hw, func(i int, col []float32) {
		im2col3(col, x[i*c*hw:(i+1)*c*hw], c, h, wid)
		gemmRows(y[i*o*hw:(i+1)*o*hw], w, col, o, k, hw)
	})
	return out, nil
}

// UsePreallocDo computes dX_n = col2im(Wᵀ·dY_n).
func (op conv3GradX) UsePreallocDo(_ G.Value, in ...G.Value) (G.Value, error) {
	wd, w, err := dense32(in[0])
	if err != nil {
		return nil, err
	}
	dyd, dy, err := dense32(in[1])
	if err != nil {
		return nil, err
	}
	o, c := wd.Shape()[0], wd.Shape()[1]
	n, h, wid := dyd.Shape()[0], dyd.Shape()[2], dyd.Shape()[3]
	out, dx := op.s.output(tensor.Shape{n, c, h, wid})
	hw, k := h*wid, c*9
	wt := make([]float32, k*o) // Wᵀ, K × O
	for r := 0; r < o; r++ {
		for l := 0; l < k; l++ {
			wt[l*o+r] = w[r*k+l]
		}
	}
	perImage(n, op.s, k*hw, func(i int, dcol []float32) {
		gemmRows(dcol, wt, dy[i*o*hw:(i+1)*o*hw], k, o, hw)
		col2im3(dx[i*c*hw:(i+1)*c*hw], dcol, c, h, wid)
	})
	return out, nil
}

// UsePreallocDo computes dW = Σ_n dY_n·col(X_n)ᵀ (dotLanesAdd).
func (op conv3GradW) UsePreallocDo(_ G.Value, in ...G.Value) (G.Value, error) {
	xd, x, err := dense32(in[0])
	if err != nil {
		return nil, err
	}
	dyd, dy, err := dense32(in[1])
	if err != nil {
		return nil, err
	}
	n, c, h, wid := xd.Shape()[0], xd.Shape()[1], xd.Shape()[2], xd.Shape()[3]
	o := dyd.Shape()[1]
	out, dw := op.s.output(tensor.Shape{o, c, 3, 3})
	hw, k := h*wid, c*9
	workers := min(n, runtime.GOMAXPROCS(0))
	bufs := op.s.buffers(2*workers, max(k*hw, o*k*16))
	var wg sync.WaitGroup
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			col, lanes := bufs[2*g][:k*hw], bufs[2*g+1][:o*k*16]
			clear(lanes)
			for i := g; i < n; i += workers {
				im2col3(col, x[i*c*hw:(i+1)*c*hw], c, h, wid)
				dotLanesAdd(lanes, dy[i*o*hw:(i+1)*o*hw], col, o, k, hw)
			}
		}(g)
	}
	wg.Wait()
	clear(dw)
	for g := 0; g < workers; g++ { // in worker order: the same sums every run
		lanes := bufs[2*g+1]
		for j := range dw {
			dw[j] += sumLanes(lanes[j*16:])
		}
	}
	return out, nil
}

// perImage runs f for images 0..n-1 on GOMAXPROCS goroutines, each with a
// scratch buffer of size scratch from s.
func perImage(n int, s *opScratch, scratch int, f func(i int, buf []float32)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	bufs := s.buffers(workers, scratch)
	var wg sync.WaitGroup
	for g := 0; g < workers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			buf := bufs[g]
			for i := g; i < n; i += workers {
				f(i, buf)
			}
		}(g)
	}
	wg.Wait()
}

// im2col3 lays out the 3×3 neighbourhoods of one C×H×W image: row
// c·9 + 3·ki + kj of col (H·W long) holds the input shifted by (ki−1, kj−1),
// zero outside the image.
func im2col3(col, img []float32, c, h, w int) {
	hw := h * w
	for ch := 0; ch < c; ch++ {
		src := img[ch*hw : (ch+1)*hw]
		for ki := 0; ki < 3; ki++ {
			for kj := 0; kj < 3; kj++ {
				dst := col[(ch*9+ki*3+kj)*hw : (ch*9+ki*3+kj+1)*hw]
				dy, dx := ki-1, kj-1
				for y := 0; y < h; y++ {
					row := dst[y*w : (y+1)*w]
					sy := y + dy
					if sy < 0 || sy >= h {
						clear(row)
						continue
					}
					s := src[sy*w : (sy+1)*w]
					switch dx {
					case -1:
						row[0] = 0
						copy(row[1:], s[:w-1])
					case 0:
						copy(row, s)
					default:
						copy(row[:w-1], s[1:])
						row[w-1] = 0
					}
				}
			}
		}
	}
}

// col2im3 is the adjoint of im2col3: it adds each row of dcol back at its
// shift into the image gradient (which it overwrites). Each shifted plane
// is one long vector add: the entries that fall outside the image (a row's
// first or last column for a horizontal shift) are zeroed in dcol first,
// so where they land they add nothing (dcol is scratch).
func col2im3(img, dcol []float32, c, h, w int) {
	hw := h * w
	clear(img)
	for ch := 0; ch < c; ch++ {
		dst := img[ch*hw : (ch+1)*hw]
		for ki := 0; ki < 3; ki++ {
			for kj := 0; kj < 3; kj++ {
				src := dcol[(ch*9+ki*3+kj)*hw : (ch*9+ki*3+kj+1)*hw]
				dy, dx := ki-1, kj-1
				switch dx {
				case -1: // row[x] goes to x−1: column 0 falls off
					for y := 0; y < h; y++ {
						src[y*w] = 0
					}
				case 1: // row[x] goes to x+1: column w−1 falls off
					for y := 0; y < h; y++ {
						src[y*w+w-1] = 0
					}
				}
				// Rows y0..y1−1 of src land at rows y0+dy.., shifted by dx.
				y0, y1 := max(0, -dy), min(h, h-dy)
				from, to := y0*w, y1*w
				at := (y0+dy)*w + dx
				if dx == -1 { // the first entry (zeroed) would land before the plane
					from, at = from+1, at+1
				}
				if dx == 1 { // the last entry (zeroed) would land after it
					to--
				}
				sgemm.Saxpy(to-from, 1, src[from:to], 1, dst[at:at+to-from], 1)
			}
		}
	}
}

// rowAxpyGemm computes Y = W·B for W (m×k), B (k×n), Y (m×n) as one SIMD
// axpy per (row of W, row of B) over whole rows of n: for the
// convolutions' shapes (m and k small, n the image) this makes a few long
// axpys where gonum's blocked Sgemm makes thousands of 64-long ones.
func rowAxpyGemm(y, w, b []float32, m, k, n int) {
	clear(y[:m*n])
	for i := 0; i < m; i++ {
		yi := y[i*n : (i+1)*n]
		for l, a := range w[i*k : (i+1)*k] {
			sgemm.Saxpy(n, a, b[l*n:(l+1)*n], 1, yi, 1)
		}
	}
}
