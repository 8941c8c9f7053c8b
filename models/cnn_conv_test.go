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
		out, err = conv3(xn, wn)
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
