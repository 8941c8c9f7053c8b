package models

import (
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// convGraph returns the output and the gradients of loss = Σ y·r for a
// convolution built by conv (ours or gorgonia's Conv2d).
func convGraph(t *testing.T, x, w, r []float32, n, c, o, h, wid int, ours bool) (y, dx, dw []float32) {
	t.Helper()
	g := G.NewGraph()
	xn := G.NewTensor(g, tensor.Float32, 4, G.WithShape(n, c, h, wid), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(n, c, h, wid), tensor.WithBacking(append([]float32(nil), x...)))))
	wn := G.NewTensor(g, tensor.Float32, 4, G.WithShape(o, c, 3, 3), G.WithName("w"),
		G.WithValue(tensor.New(tensor.WithShape(o, c, 3, 3), tensor.WithBacking(append([]float32(nil), w...)))))
	rn := G.NewTensor(g, tensor.Float32, 4, G.WithShape(n, o, h, wid), G.WithName("r"),
		G.WithValue(tensor.New(tensor.WithShape(n, o, h, wid), tensor.WithBacking(r))))
	var out *G.Node
	var err error
	if ours {
		out, err = conv3(xn, wn, true)
	} else {
		out, err = G.Conv2d(xn, wn, tensor.Shape{3, 3}, []int{1, 1}, []int{1, 1}, []int{1, 1})
	}
	if err != nil {
		t.Fatal(err)
	}
	loss := G.Must(G.Sum(G.Must(G.HadamardProd(out, rn))))
	if _, err := G.Grad(loss, xn, wn); err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g, G.BindDualValues(xn, wn))
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	gx, _ := xn.Grad()
	gw, _ := wn.Grad()
	return append([]float32(nil), out.Value().Data().([]float32)...), gx.Data().([]float32), gw.Data().([]float32)
}

// TestConv3MatchesGorgonia: our convolution and its gradients equal
// gorgonia's Conv2d (3×3, stride 1, padding 1) on random input.
func TestConv3MatchesGorgonia(t *testing.T) {
	const n, c, o, h, w = 3, 2, 4, 7, 5
	rnd := rand.New(rand.NewPCG(1, 1))
	fill := func(k int) []float32 {
		v := make([]float32, k)
		for i := range v {
			v[i] = float32(rnd.NormFloat64())
		}
		return v
	}
	x, wt, r := fill(n*c*h*w), fill(o*c*9), fill(n*o*h*w)
	y1, dx1, dw1 := convGraph(t, x, wt, r, n, c, o, h, w, true)
	y2, dx2, dw2 := convGraph(t, x, wt, r, n, c, o, h, w, false)
	for _, p := range []struct {
		name string
		a, b []float32
	}{{"output", y1, y2}, {"input gradient", dx1, dx2}, {"kernel gradient", dw1, dw2}} {
		if len(p.a) != len(p.b) {
			t.Fatalf("%s: %d values vs %d", p.name, len(p.a), len(p.b))
		}
		for i := range p.a {
			if math.Abs(float64(p.a[i]-p.b[i])) > 1e-4*(1+math.Abs(float64(p.b[i]))) {
				t.Fatalf("%s[%d]: %g, gorgonia %g", p.name, i, p.a[i], p.b[i])
			}
		}
	}
}

// TestReluPoolMatchesGorgonia: reluPool equals gorgonia's Rectify then
// MaxPool2D, values and gradient, for 2×2 and global (4×4) windows.
func TestReluPoolMatchesGorgonia(t *testing.T) {
	const n, c, h, w = 2, 3, 8, 8
	rnd := rand.New(rand.NewPCG(2, 2))
	x := make([]float32, n*c*h*w)
	for i := range x {
		x[i] = float32(rnd.NormFloat64())
	}
	for _, k := range []int{2, 4} {
		run := func(ours bool) (y, dx []float32) {
			g := G.NewGraph()
			xn := G.NewTensor(g, tensor.Float32, 4, G.WithShape(n, c, h, w), G.WithName("x"),
				G.WithValue(tensor.New(tensor.WithShape(n, c, h, w), tensor.WithBacking(append([]float32(nil), x...)))))
			var out *G.Node
			var err error
			if ours {
				out, err = reluPool(xn, k)
			} else {
				out, err = G.MaxPool2D(G.Must(G.Rectify(xn)), tensor.Shape{k, k}, []int{0, 0}, []int{k, k})
			}
			if err != nil {
				t.Fatal(err)
			}
			os := out.Shape()
			r := make([]float32, os.TotalSize())
			for i := range r {
				r[i] = float32(i%7) - 3
			}
			rn := G.NewTensor(g, tensor.Float32, 4, G.WithShape(os...), G.WithName("r"), G.WithValue(tensor.New(tensor.WithShape(os...), tensor.WithBacking(r))))
			sq := G.Must(G.Sum(G.Must(G.HadamardProd(out, rn))))
			if _, err := G.Grad(sq, xn); err != nil {
				t.Fatal(err)
			}
			vm := G.NewTapeMachine(g, G.BindDualValues(xn))
			defer vm.Close()
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			gx, _ := xn.Grad()
			return append([]float32(nil), out.Value().Data().([]float32)...), append([]float32(nil), gx.Data().([]float32)...)
		}
		y1, d1 := run(true)
		y2, d2 := run(false)
		for i := range y2 {
			if y1[i] != y2[i] {
				t.Fatalf("k=%d: output[%d] %g, gorgonia %g", k, i, y1[i], y2[i])
			}
		}
		for i := range d2 {
			if math.Abs(float64(d1[i]-d2[i])) > 1e-6 {
				t.Fatalf("k=%d: gradient[%d] %g, gorgonia %g", k, i, d1[i], d2[i])
			}
		}
	}
}
