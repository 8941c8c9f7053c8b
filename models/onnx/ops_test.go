package onnx

import (
	"math"
	"testing"

	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"gorgonia.org/tensor"
)

func node(attrs ...*pb.AttributeProto) *pb.NodeProto {
	return &pb.NodeProto{Attribute: attrs, Output: []string{"y"}}
}

func intsAttr(name string, v ...int64) *pb.AttributeProto {
	return &pb.AttributeProto{Name: name, Ints: v, Type: pb.AttributeProto_INTS}
}

func apply(t *testing.T, op interface {
	Init(*pb.NodeProto) error
	Apply([]tensor.Tensor) ([]tensor.Tensor, error)
}, n *pb.NodeProto, in ...tensor.Tensor) []float32 {
	t.Helper()
	if err := op.Init(n); err != nil {
		t.Fatal(err)
	}
	out, err := op.Apply(in)
	if err != nil {
		t.Fatal(err)
	}
	v, err := float32s(out[0])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func near(t *testing.T, what string, got []float32, want ...float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %v, want %v", what, got, want)
	}
	for i := range want {
		if math.Abs(float64(got[i])-want[i]) > 1e-6 {
			t.Fatalf("%s: %v, want %v", what, got, want)
		}
	}
}

// Pools and batch normalisation on a 3×3 image by hand (ONNX
// Operators.md, opset 13).
func TestOwnOperatorsByHand(t *testing.T) {
	img := func() tensor.Tensor { return newTensor([]float32{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3) }
	// 2×2 windows, stride 1: maxima 5 6 8 9; means 3 4 6 7.
	near(t, "MaxPool", apply(t, &pool{max: true}, node(intsAttr("kernel_shape", 2, 2)), img()), 5, 6, 8, 9)
	near(t, "AveragePool", apply(t, &pool{}, node(intsAttr("kernel_shape", 2, 2)), img()), 3, 4, 6, 7)
	// Padding 1 all round, 2×2 windows, stride 2: windows {1}, {2,3},
	// {4,7}, {5,6,8,9}; without count_include_pad the mean is over the
	// image's values only, with it over all four.
	pads := intsAttr("pads", 1, 1, 1, 1)
	k := intsAttr("kernel_shape", 2, 2)
	s := intsAttr("strides", 2, 2)
	near(t, "AveragePool pads", apply(t, &pool{}, node(k, s, pads), img()), 1, 2.5, 5.5, 7)
	near(t, "AveragePool pads counted", apply(t, &pool{}, node(k, s, pads, &pb.AttributeProto{Name: "count_include_pad", I: 1}), img()), 0.25, 1.25, 2.75, 7)
	near(t, "MaxPool pads", apply(t, &pool{max: true}, node(k, s, pads), img()), 1, 3, 7, 9)
	// ceil_mode: 3×3 with 2×2 windows of stride 2 gives 2×2, not 1×1.
	near(t, "MaxPool ceil", apply(t, &pool{max: true}, node(k, s, &pb.AttributeProto{Name: "ceil_mode", I: 1}), img()), 5, 6, 8, 9)
	near(t, "MaxPool floor", apply(t, &pool{max: true}, node(k, s), img()), 5)
	near(t, "GlobalMaxPool", apply(t, &globalPool{max: true}, node(), img()), 9)
	near(t, "GlobalAveragePool", apply(t, &globalPool{}, node(), img()), 5)
	// Two channels: scale (2, 1), bias (0, 1), mean (1, 0), var (3, 0),
	// ε 1: (x − 1)·2/2 + 0 and x·1/1 + 1.
	x := newTensor([]float32{1, 3, 5, 7}, 1, 2, 2, 1)
	p := func(v ...float32) tensor.Tensor { return newTensor(v, 2) }
	near(t, "BatchNormalization", apply(t, &batchNorm{}, node(&pb.AttributeProto{Name: "epsilon", F: 1}), x, p(2, 1), p(0, 1), p(1, 0), p(3, 0)), 0, 2, 6, 8)
	// Conv, group 2, SAME_UPPER on a 1×4 row: channel 0 with kernel
	// (1, 1), channel 1 with (0, 2); bias (0, 10).
	row := newTensor([]float32{1, 2, 3, 4, 10, 20, 30, 40}, 1, 2, 1, 4)
	w := newTensor([]float32{1, 1, 0, 2}, 2, 1, 1, 2)
	b := newTensor([]float32{0, 10}, 2)
	near(t, "Conv group SAME_UPPER", apply(t, &conv{}, node(&pb.AttributeProto{Name: "group", I: 2}, &pb.AttributeProto{Name: "auto_pad", S: []byte("SAME_UPPER")}), row, w, b),
		3, 5, 7, 4, 50, 70, 90, 10)
}
