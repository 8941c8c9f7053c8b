package onnx

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readInputs reads testdata/inputs.f32: the fixture exam's views (and
// their JPEG baseline copies) preprocessed by screenlab at 64×64.
func readInputs(t testing.TB) ([]float32, int) {
	t.Helper()
	raw, err := os.ReadFile("testdata/inputs.f32")
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float32, len(raw)/4)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return x, len(x) / (64 * 64)
}

type expected struct {
	Torch        string    `json:"torch"`
	ScreenlabCNN []float64 `json:"screenlab_cnn"`
	ResNet18W8   []float64 `json:"resnet18_w8"`
}

func readExpected(t *testing.T) expected {
	t.Helper()
	raw, err := os.ReadFile("testdata/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestMatchesPyTorch: the exported screenlab CNN and ResNet-18 (export.py,
// Debian's PyTorch) give PyTorch's view logits within 1e-4 on the fixture
// views, in one batch and one image at a time.
func TestMatchesPyTorch(t *testing.T) {
	x, n := readInputs(t)
	e := readExpected(t)
	for _, tc := range []struct {
		file string
		want []float64
	}{
		{"screenlab_cnn.onnx", e.ScreenlabCNN},
		{"resnet18_w8.onnx", e.ResNet18W8},
	} {
		m, err := Load(filepath.Join("testdata", tc.file), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(tc.want) != n {
			t.Fatalf("%s: %d expected values for %d inputs", tc.file, len(tc.want), n)
		}
		got, err := m.Run(x, n)
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for i := range got {
			worst = max(worst, math.Abs(float64(got[i])-tc.want[i]))
		}
		if worst > 1e-4 {
			t.Errorf("%s: differs from PyTorch %s by up to %.2g (want ≤ 1e-4): %v vs %v", tc.file, e.Torch, worst, got, tc.want)
		}
		t.Logf("%s: largest difference from PyTorch %.2g", tc.file, worst)
		for i := 0; i < n; i += 3 {
			one, err := m.Run(x[i*64*64:(i+1)*64*64], 1)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(float64(one[0])-tc.want[i]) > 1e-4 {
				t.Errorf("%s: image %d alone gives %v, PyTorch %v", tc.file, i, one[0], tc.want[i])
			}
		}
	}
}

// TestDescribe: the inputs, outputs, opset, operators, parameter count
// and hash of the ResNet fixture, as PyTorch's exporter wrote them.
func TestDescribe(t *testing.T) {
	m, err := Open("testdata/resnet18_w8.onnx")
	if err != nil {
		t.Fatal(err)
	}
	d := m.Describe()
	if d.Opset != 13 || len(d.Inputs) != 1 || d.Inputs[0].Name != "image" || strings.Join(d.Inputs[0].Shape, ",") != "n,1,64,64" || d.Inputs[0].Type != "float" {
		t.Errorf("inputs %+v, opset %d", d.Inputs, d.Opset)
	}
	if len(d.Outputs) != 1 || d.Outputs[0].Name != "logit" || strings.Join(d.Outputs[0].Shape, ",") != "n,1" {
		t.Errorf("outputs %+v", d.Outputs)
	}
	// ResNet-18: 20 convolutions (17 + 3 downsampling), 8 residual Adds,
	// batch normalisation folded into the convolutions by the exporter.
	if d.Operators["Conv"] != 20 || d.Operators["Add"] != 8 || d.Operators["GlobalAveragePool"] != 1 || d.Operators["Gemm"] != 1 {
		t.Errorf("operators %v", d.Operators)
	}
	// Width 8: conv weights and biases plus the final layer.
	if d.Parameters < 170_000 || d.Parameters > 180_000 {
		t.Errorf("%d parameters", d.Parameters)
	}
	raw, _ := os.ReadFile("testdata/resnet18_w8.onnx")
	if sc, _ := ReadSidecar("testdata/resnet18_w8.onnx.json"); sc == nil || sc.ModelSHA256 != d.SHA256 || len(raw) == 0 {
		t.Errorf("sha256 %s does not match the sidecar's", d.SHA256)
	}
}

// TestVerifyRefuses: a sidecar for another model, one whose input or
// output does not exist or whose size differs, an unknown field, and a
// file that is not ONNX are each refused with the reason.
func TestVerifyRefuses(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile("testdata/resnet18_w8.onnx.json")
	if err != nil {
		t.Fatal(err)
	}
	model := "testdata/resnet18_w8.onnx"
	for _, tc := range []struct {
		name string
		edit func(m map[string]any)
		says string
	}{
		{"another model", func(m map[string]any) { m["model_sha256"] = strings.Repeat("ab", 32) }, "SHA-256"},
		{"wrong input", func(m map[string]any) { m["input"].(map[string]any)["name"] = "pixels" }, `input "pixels"`},
		{"wrong size", func(m map[string]any) {
			m["input"].(map[string]any)["height"] = 96
			m["preprocessing"].(map[string]any)["height"] = 96
		}, "shape"},
		{"preprocessing to another size", func(m map[string]any) { m["preprocessing"].(map[string]any)["width"] = 32 }, "preprocessing to 32×64"},
		{"wrong output", func(m map[string]any) { m["output"].(map[string]any)["name"] = "prob" }, `output "prob"`},
		{"unknown field", func(m map[string]any) { m["exam_scor"] = "max" }, "unknown field"},
		{"bad combination", func(m map[string]any) { m["exam_score"] = "median" }, "exam_score"},
		{"two channels", func(m map[string]any) { m["input"].(map[string]any)["channels"] = 2 }, "2 input channels"},
	} {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		tc.edit(m)
		s, _ := json.Marshal(m)
		p := filepath.Join(dir, tc.name+".json")
		os.WriteFile(p, s, 0o644)
		_, err := Load(model, p)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.says)
		}
	}
	junk := filepath.Join(dir, "junk.onnx")
	os.WriteFile(junk, []byte("this is not a protobuf at all, but text"), 0o644)
	if _, err := Open(junk); !errors.Is(err, ErrNotONNX) {
		t.Errorf("junk: %v", err)
	}
	full, _ := os.ReadFile(model)
	trunc := filepath.Join(dir, "trunc.onnx")
	os.WriteFile(trunc, full[:len(full)/2], 0o644)
	if _, err := Open(trunc); err == nil {
		t.Errorf("a truncated model opened")
	}
}

// TestDamagedModels: bytes changed anywhere in a model (a bad copy, a
// truncated download) give an error or a model that still runs or fails
// cleanly — never a crash. The sidecar's model_sha256 catches every change
// before a round starts.
func TestDamagedModels(t *testing.T) {
	raw, err := os.ReadFile("testdata/screenlab_cnn.onnx")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	x := make([]float32, 2*64*64)
	sc, err := ReadSidecar("testdata/screenlab_cnn.onnx.json")
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 60; k++ {
		b := append([]byte(nil), raw...)
		for j := 0; j < 1+k%5; j++ {
			b[(k*7919+j*104729)%len(b)] ^= byte(0x55 + k)
		}
		p := filepath.Join(dir, "m.onnx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := Open(p)
		if err != nil {
			continue
		}
		m.Sidecar = *sc
		if err := m.Verify(); err == nil || !strings.Contains(err.Error(), "SHA-256") {
			t.Errorf("change %d: the sidecar of the original verified a changed model: %v", k, err)
		}
		m.Run(x, 2) // an error or values; not a crash
	}
}
