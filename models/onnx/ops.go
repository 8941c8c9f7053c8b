package onnx

import (
	"fmt"
	"math"

	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"github.com/advancedclimatesystems/gonnx/ops"
	"github.com/advancedclimatesystems/gonnx/ops/opset13"
	"gorgonia.org/tensor"

	"github.com/screenlab/screenlab/models"
)

// The operators screenlab adds to gonnx's opset 13 (which has no pooling
// or batch normalisation) or runs in its stead (gonnx's Conv slices a
// sub-image per output pixel, some hundred times slower than im2col and a
// matrix product). Each follows the ONNX operator specification
// (onnx/docs/Operators.md) for opset 13, 2-D images in NCHW layout.
var ownOperators = map[string]func() ops.Operator{
	"Conv":               func() ops.Operator { return &conv{} },
	"MaxPool":            func() ops.Operator { return &pool{max: true} },
	"AveragePool":        func() ops.Operator { return &pool{} },
	"GlobalMaxPool":      func() ops.Operator { return &globalPool{max: true} },
	"GlobalAveragePool":  func() ops.Operator { return &globalPool{} },
	"BatchNormalization": func() ops.Operator { return &batchNorm{epsilon: 1e-5} },
	"Identity":           func() ops.Operator { return &identity{} },
	"Dropout":            func() ops.Operator { return &identity{dropout: true} },
}

// gemm computes Y = W·B (W m×k, B k×n, Y m×n, row-major) for Conv: the
// CNN's register-blocked SIMD kernel (models.Gemm), about twice gonum's
// Sgemm on one core at ResNet-18's shapes (gonum's spreads one product
// over every core, where the scorer already runs one batch per core).
var gemm = models.Gemm

// getOperator is the operator getter of every model: screenlab's own,
// then gonnx's opset 13.
func getOperator(opType string) (ops.Operator, error) {
	if f, ok := ownOperators[opType]; ok {
		return f(), nil
	}
	op, err := opset13.GetOperator(opType)
	if err != nil {
		return nil, fmt.Errorf("%w: operator %s", ErrUnsupportedOp, opType)
	}
	return op, nil
}

// float32s returns a tensor's values, contiguous.
func float32s(t tensor.Tensor) ([]float32, error) {
	d, ok := t.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("a %T tensor (want dense)", t)
	}
	if d.IsMaterializable() { // a view: its values, copied in order
		if d, ok = d.Materialize().(*tensor.Dense); !ok {
			return nil, fmt.Errorf("a tensor that cannot be materialised")
		}
	}
	v, ok := d.Data().([]float32)
	if !ok {
		return nil, fmt.Errorf("a %v tensor (want float32)", d.Dtype())
	}
	return v, nil
}

func newTensor(data []float32, shape ...int) tensor.Tensor {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
}

// base holds what every own operator shares.
type base struct {
	name     string
	min, max int
}

func (b base) String() string    { return b.name }
func (b base) GetMinInputs() int { return b.min }
func (b base) GetMaxInputs() int { return b.max }
func (b base) GetInputTypeConstraints() [][]tensor.Dtype {
	c := make([][]tensor.Dtype, b.max)
	for i := range c {
		c[i] = []tensor.Dtype{tensor.Float32}
	}
	return c
}

func ints(attr *pb.AttributeProto) []int {
	out := make([]int, len(attr.GetInts()))
	for i, v := range attr.GetInts() {
		out[i] = int(v)
	}
	return out
}

// window is the spatial geometry shared by Conv and the pools.
type window struct {
	kernel, strides, pads, dilations []int
	autoPad                          string
	ceil                             bool
}

func (w *window) attr(a *pb.AttributeProto) (bool, error) {
	switch a.GetName() {
	case "kernel_shape":
		w.kernel = ints(a)
	case "strides":
		w.strides = ints(a)
	case "pads":
		w.pads = ints(a)
	case "dilations":
		w.dilations = ints(a)
	case "auto_pad":
		w.autoPad = string(a.GetS())
	case "ceil_mode":
		w.ceil = a.GetI() != 0
	default:
		return false, nil
	}
	return true, nil
}

// resolve fills defaults for an input of h × w and kernel kh × kw and
// returns the output size.
func (w *window) resolve(h, wd, kh, kw int) (oh, ow int, err error) {
	if len(w.kernel) == 0 {
		w.kernel = []int{kh, kw}
	}
	if len(w.kernel) != 2 {
		return 0, 0, fmt.Errorf("a %d-D kernel (only 2-D images)", len(w.kernel))
	}
	if len(w.strides) == 0 {
		w.strides = []int{1, 1}
	}
	if len(w.dilations) == 0 {
		w.dilations = []int{1, 1}
	}
	if len(w.strides) != 2 || len(w.dilations) != 2 || w.strides[0] < 1 || w.strides[1] < 1 || w.dilations[0] < 1 || w.dilations[1] < 1 {
		return 0, 0, fmt.Errorf("strides %v, dilations %v", w.strides, w.dilations)
	}
	ek := [2]int{(w.kernel[0]-1)*w.dilations[0] + 1, (w.kernel[1]-1)*w.dilations[1] + 1}
	in := [2]int{h, wd}
	switch w.autoPad {
	case "", "NOTSET":
		if len(w.pads) == 0 {
			w.pads = []int{0, 0, 0, 0}
		}
	case "VALID":
		w.pads = []int{0, 0, 0, 0}
	case "SAME_UPPER", "SAME_LOWER":
		w.pads = make([]int, 4)
		for d := 0; d < 2; d++ {
			out := (in[d] + w.strides[d] - 1) / w.strides[d]
			total := max(0, (out-1)*w.strides[d]+ek[d]-in[d])
			small, big := total/2, total-total/2
			if w.autoPad == "SAME_UPPER" {
				w.pads[d], w.pads[d+2] = small, big
			} else {
				w.pads[d], w.pads[d+2] = big, small
			}
		}
	default:
		return 0, 0, fmt.Errorf("auto_pad %q", w.autoPad)
	}
	if len(w.pads) != 4 {
		return 0, 0, fmt.Errorf("pads %v (want 4 for a 2-D image)", w.pads)
	}
	var o [2]int
	for d := 0; d < 2; d++ {
		span := in[d] + w.pads[d] + w.pads[d+2] - ek[d]
		if span < 0 {
			return 0, 0, fmt.Errorf("a kernel of %d larger than the padded input of %d", ek[d], in[d]+w.pads[d]+w.pads[d+2])
		}
		if w.ceil {
			o[d] = (span+w.strides[d]-1)/w.strides[d] + 1
			// The last window must start inside the input or left padding.
			if (o[d]-1)*w.strides[d] >= in[d]+w.pads[d] {
				o[d]--
			}
		} else {
			o[d] = span/w.strides[d] + 1
		}
	}
	return o[0], o[1], nil
}

func shape4(t tensor.Tensor, what string) (n, c, h, w int, err error) {
	s := t.Shape()
	if len(s) != 4 {
		return 0, 0, 0, 0, fmt.Errorf("%s of shape %v (want N×C×H×W)", what, s)
	}
	return s[0], s[1], s[2], s[3], nil
}

// conv is Conv: Y = W ⋆ X + B, computed per image and group as the
// matrix product of the kernels (M × C·kH·kW) with the input's patches
// (im2col: C·kH·kW × oH·oW), by gonum's blocked, parallel Sgemm.
type conv struct {
	base
	window
	group int
}

func (c *conv) Init(n *pb.NodeProto) error {
	c.base = base{"Conv", 2, 3}
	c.group = 1
	for _, a := range n.GetAttribute() {
		if ok, err := c.window.attr(a); err != nil {
			return err
		} else if ok {
			continue
		}
		if a.GetName() == "group" {
			c.group = int(a.GetI())
			continue
		}
		return fmt.Errorf("onnx Conv: attribute %s is not supported", a.GetName())
	}
	return nil
}

func (c *conv) ValidateInputs(in []tensor.Tensor) ([]tensor.Tensor, error) {
	return ops.ValidateInputs(c, in)
}

func (c *conv) Apply(in []tensor.Tensor) ([]tensor.Tensor, error) {
	n, ch, h, w, err := shape4(in[0], "Conv input")
	if err != nil {
		return nil, err
	}
	m, cg, kh, kw, err := shape4(in[1], "Conv weights")
	if err != nil {
		return nil, err
	}
	if c.group < 1 || ch%c.group != 0 || m%c.group != 0 || cg != ch/c.group {
		return nil, fmt.Errorf("onnx Conv: %d input channels, weights %v, group %d", ch, in[1].Shape(), c.group)
	}
	oh, ow, err := c.resolve(h, w, kh, kw)
	if err != nil {
		return nil, fmt.Errorf("onnx Conv: %w", err)
	}
	x, err := float32s(in[0])
	if err != nil {
		return nil, err
	}
	wt, err := float32s(in[1])
	if err != nil {
		return nil, err
	}
	var bias []float32
	if in[2] != nil {
		if bias, err = float32s(in[2]); err != nil {
			return nil, err
		}
		if len(bias) != m {
			return nil, fmt.Errorf("onnx Conv: %d biases for %d output channels", len(bias), m)
		}
	}
	k := cg * kh * kw
	p := oh * ow
	out := make([]float32, n*m*p)
	mg := m / c.group
	// Images are taken several at a time, their patches side by side
	// (K × images·P), so that a deep layer's small output (2×2 in
	// ResNet-18's last at a 64×64 input) still makes a wide product.
	chunk := max(1, min(n, (1<<22)/max(1, k*p), (256+p-1)/p))
	cols := make([]float32, k*chunk*p)
	prod := make([]float32, mg*chunk*p)
	for b0 := 0; b0 < n; b0 += chunk {
		nb := min(chunk, n-b0)
		width := nb * p
		for g := 0; g < c.group; g++ {
			for bi := 0; bi < nb; bi++ {
				src := x[((b0+bi)*ch+g*cg)*h*w : ((b0+bi)*ch+(g+1)*cg)*h*w]
				c.im2col(cols, src, cg, h, w, kh, kw, oh, ow, bi*p, width)
			}
			gemm(prod[:mg*width], wt[g*mg*k:(g+1)*mg*k], cols[:k*width], mg, k, width)
			for bi := 0; bi < nb; bi++ {
				for o := 0; o < mg; o++ {
					dst := out[((b0+bi)*m+g*mg+o)*p : ((b0+bi)*m+g*mg+o+1)*p]
					copy(dst, prod[o*width+bi*p:o*width+(bi+1)*p])
					if bias != nil {
						for i := range dst {
							dst[i] += bias[g*mg+o]
						}
					}
				}
			}
		}
	}
	return []tensor.Tensor{newTensor(out, n, m, oh, ow)}, nil
}

// im2col writes the patches of one image's cg channels into columns
// at..at+oh·ow of cols (rows of width): row (c, ky, kx), column (oy, ox),
// zero where the window reaches into the padding.
func (c *conv) im2col(cols, src []float32, cg, h, w, kh, kw, oh, ow, at, width int) {
	sy, sx := c.strides[0], c.strides[1]
	dy, dx := c.dilations[0], c.dilations[1]
	py, px := c.pads[0], c.pads[1]
	r := 0
	for ci := 0; ci < cg; ci++ {
		plane := src[ci*h*w : (ci+1)*h*w]
		for ky := 0; ky < kh; ky++ {
			for kx := 0; kx < kw; kx++ {
				row := cols[r*width+at : r*width+at+oh*ow]
				r++
				for oy := 0; oy < oh; oy++ {
					iy := oy*sy - py + ky*dy
					line := row[oy*ow : (oy+1)*ow]
					if iy < 0 || iy >= h {
						clear(line)
						continue
					}
					in := plane[iy*w : (iy+1)*w]
					ix := -px + kx*dx
					for ox := range line {
						if ix >= 0 && ix < w {
							line[ox] = in[ix]
						} else {
							line[ox] = 0
						}
						ix += sx
					}
				}
			}
		}
	}
}

// pool is MaxPool (padding never wins) and AveragePool (count_include_pad
// decides whether padding counts in the mean).
type pool struct {
	base
	window
	max          bool
	includePad   bool
	storageOrder int
}

func (p *pool) Init(n *pb.NodeProto) error {
	p.base = base{"AveragePool", 1, 1}
	if p.max {
		p.base.name = "MaxPool"
	}
	for _, a := range n.GetAttribute() {
		if ok, err := p.window.attr(a); err != nil {
			return err
		} else if ok {
			continue
		}
		switch {
		case a.GetName() == "count_include_pad" && !p.max:
			p.includePad = a.GetI() != 0
		case a.GetName() == "storage_order" && p.max:
			p.storageOrder = int(a.GetI())
		default:
			return fmt.Errorf("%s: attribute %s is not supported", p.name, a.GetName())
		}
	}
	if len(n.GetOutput()) > 1 {
		return fmt.Errorf("onnx MaxPool: the Indices output is not supported")
	}
	if len(p.kernel) == 0 {
		return fmt.Errorf("%s: no kernel_shape", p.name)
	}
	return nil
}

func (p *pool) ValidateInputs(in []tensor.Tensor) ([]tensor.Tensor, error) {
	return ops.ValidateInputs(p, in)
}

func (p *pool) Apply(in []tensor.Tensor) ([]tensor.Tensor, error) {
	n, c, h, w, err := shape4(in[0], p.name+" input")
	if err != nil {
		return nil, err
	}
	oh, ow, err := p.resolve(h, w, p.kernel[0], p.kernel[1])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.name, err)
	}
	x, err := float32s(in[0])
	if err != nil {
		return nil, err
	}
	out := make([]float32, n*c*oh*ow)
	kh, kw := p.kernel[0], p.kernel[1]
	// Per output row and column, the kernel taps that land in the image
	// (rows ys, columns xs) and, for count_include_pad, how many land in
	// the padded image.
	taps := func(o, stride, pad, dil, k, size, padEnd int) (in []int, padded int) {
		for t := 0; t < k; t++ {
			i := o*stride - pad + t*dil
			if i >= 0 && i < size {
				in = append(in, i)
			}
			if i >= -pad && i < size+padEnd {
				padded++
			}
		}
		return in, padded
	}
	ys, pys := make([][]int, oh), make([]int, oh)
	for oy := range ys {
		ys[oy], pys[oy] = taps(oy, p.strides[0], p.pads[0], p.dilations[0], kh, h, p.pads[2])
	}
	xs, pxs := make([][]int, ow), make([]int, ow)
	for ox := range xs {
		xs[ox], pxs[ox] = taps(ox, p.strides[1], p.pads[1], p.dilations[1], kw, w, p.pads[3])
	}
	for pl := 0; pl < n*c; pl++ {
		plane := x[pl*h*w : (pl+1)*h*w]
		dst := out[pl*oh*ow : (pl+1)*oh*ow]
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				best := float32(math.Inf(-1))
				var sum float32
				for _, iy := range ys[oy] {
					row := plane[iy*w : (iy+1)*w]
					for _, ix := range xs[ox] {
						v := row[ix]
						if v > best || v != v {
							best = v
						}
						sum += v
					}
				}
				cnt := len(ys[oy]) * len(xs[ox])
				switch {
				case p.max:
					dst[oy*ow+ox] = best
				case p.includePad:
					dst[oy*ow+ox] = sum / float32(pys[oy]*pxs[ox])
				case cnt > 0:
					dst[oy*ow+ox] = sum / float32(cnt)
				}
			}
		}
	}
	return []tensor.Tensor{newTensor(out, n, c, oh, ow)}, nil
}

// globalPool is GlobalMaxPool and GlobalAveragePool: each channel's
// maximum or mean over the image, N × C × 1 × 1.
type globalPool struct {
	base
	max bool
}

func (g *globalPool) Init(n *pb.NodeProto) error {
	g.base = base{"GlobalAveragePool", 1, 1}
	if g.max {
		g.base.name = "GlobalMaxPool"
	}
	if len(n.GetAttribute()) > 0 {
		return fmt.Errorf("%s: attribute %s is not supported", g.name, n.GetAttribute()[0].GetName())
	}
	return nil
}

func (g *globalPool) ValidateInputs(in []tensor.Tensor) ([]tensor.Tensor, error) {
	return ops.ValidateInputs(g, in)
}

func (g *globalPool) Apply(in []tensor.Tensor) ([]tensor.Tensor, error) {
	n, c, h, w, err := shape4(in[0], g.name+" input")
	if err != nil {
		return nil, err
	}
	x, err := float32s(in[0])
	if err != nil {
		return nil, err
	}
	out := make([]float32, n*c)
	for pl := range out {
		plane := x[pl*h*w : (pl+1)*h*w]
		if g.max {
			best := float32(math.Inf(-1))
			for _, v := range plane {
				if v > best || math.IsNaN(float64(v)) {
					best = v
				}
			}
			out[pl] = best
			continue
		}
		var sum float64 // in float64: a 2-D mean of thousands of values
		for _, v := range plane {
			sum += float64(v)
		}
		out[pl] = float32(sum / float64(len(plane)))
	}
	return []tensor.Tensor{newTensor(out, n, c, 1, 1)}, nil
}

// batchNorm is BatchNormalization at inference: Y = scale·(X − mean)/
// √(var + ε) + B per channel (Ioffe & Szegedy 2015).
type batchNorm struct {
	base
	epsilon float32
}

func (b *batchNorm) Init(n *pb.NodeProto) error {
	b.base = base{"BatchNormalization", 5, 5}
	for _, a := range n.GetAttribute() {
		switch a.GetName() {
		case "epsilon":
			b.epsilon = a.GetF()
		case "momentum":
		case "training_mode":
			if a.GetI() != 0 {
				return fmt.Errorf("onnx BatchNormalization: training mode is not supported (export the model in evaluation mode)")
			}
		default:
			return fmt.Errorf("onnx BatchNormalization: attribute %s is not supported", a.GetName())
		}
	}
	if len(n.GetOutput()) > 1 {
		return fmt.Errorf("onnx BatchNormalization: running statistics outputs are not supported (export in evaluation mode)")
	}
	return nil
}

func (b *batchNorm) ValidateInputs(in []tensor.Tensor) ([]tensor.Tensor, error) {
	return ops.ValidateInputs(b, in)
}

func (b *batchNorm) Apply(in []tensor.Tensor) ([]tensor.Tensor, error) {
	s := in[0].Shape()
	if len(s) < 2 {
		return nil, fmt.Errorf("onnx BatchNormalization: input of shape %v", s)
	}
	n, c := s[0], s[1]
	plane := 1
	for _, d := range s[2:] {
		plane *= d
	}
	x, err := float32s(in[0])
	if err != nil {
		return nil, err
	}
	var p [4][]float32
	for i := range p {
		if p[i], err = float32s(in[i+1]); err != nil {
			return nil, err
		}
		if len(p[i]) != c {
			return nil, fmt.Errorf("onnx BatchNormalization: %d values of parameter %d for %d channels", len(p[i]), i+1, c)
		}
	}
	scale, bias, mean, variance := p[0], p[1], p[2], p[3]
	out := make([]float32, len(x))
	for b2 := 0; b2 < n; b2++ {
		for ci := 0; ci < c; ci++ {
			a := scale[ci] / float32(math.Sqrt(float64(variance[ci]+b.epsilon)))
			off := bias[ci] - a*mean[ci]
			src := x[(b2*c+ci)*plane : (b2*c+ci+1)*plane]
			dst := out[(b2*c+ci)*plane : (b2*c+ci+1)*plane]
			for i, v := range src {
				dst[i] = a*v + off
			}
		}
	}
	return []tensor.Tensor{newTensor(out, s...)}, nil
}

// identity is Identity, and Dropout at inference (its input, unchanged).
type identity struct {
	base
	dropout bool
}

func (i *identity) Init(n *pb.NodeProto) error {
	i.base = base{"Identity", 1, 1}
	if i.dropout {
		i.base = base{"Dropout", 1, 3}
		if len(n.GetOutput()) > 1 {
			return fmt.Errorf("onnx Dropout: the mask output is not supported")
		}
	}
	return nil
}

func (i *identity) ValidateInputs(in []tensor.Tensor) ([]tensor.Tensor, error) {
	if len(in) < i.min || len(in) > i.max {
		return nil, fmt.Errorf("%s: %d inputs", i.name, len(in))
	}
	return in, nil
}

func (i *identity) Apply(in []tensor.Tensor) ([]tensor.Tensor, error) {
	return in[:1], nil
}
