package onnx

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/advancedclimatesystems/gonnx"
	pb "github.com/advancedclimatesystems/gonnx/onnx"
	"gorgonia.org/tensor"
)

// Errors of Load and Verify.
var (
	ErrNotONNX       = errors.New("not an ONNX model")
	ErrUnsupportedOp = errors.New("not supported by screenlab's ONNX runtime")
	ErrOpset         = errors.New("unsupported ONNX opset")
	ErrSidecar       = errors.New("sidecar does not fit the model")
)

// Opset is the ONNX operator set screenlab runs (gonnx's).
const Opset = 13

// MaxModelBytes bounds the model files Load reads.
const MaxModelBytes = 1 << 30

// Model is an ONNX model file with its sidecar, ready to run.
type Model struct {
	Path    string
	SHA256  string // of the model file's bytes
	Sidecar Sidecar
	proto   *pb.ModelProto
	runtime *gonnx.Model
}

// Load reads an ONNX model (path) and its sidecar (path + ".json", or
// sidecarPath when set), checking the sidecar against the model (Verify).
func Load(path, sidecarPath string) (*Model, error) {
	m, err := Open(path)
	if err != nil {
		return nil, err
	}
	if sidecarPath == "" {
		sidecarPath = path + ".json"
	}
	sc, err := ReadSidecar(sidecarPath)
	if err != nil {
		return nil, err
	}
	m.Sidecar = *sc
	if err := m.Verify(); err != nil {
		return nil, err
	}
	return m, nil
}

// Open reads an ONNX model without its sidecar (for Describe).
func Open(path string) (*Model, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w: not a regular file", path, ErrNotONNX)
	}
	if st.Size() > MaxModelBytes {
		return nil, fmt.Errorf("%s: %w: %d bytes (the limit is %d)", path, ErrNotONNX, st.Size(), int64(MaxModelBytes))
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m.Path = path
	return m, nil
}

// Parse decodes the bytes of an ONNX model (a protobuf ModelProto) and
// prepares it to run: the opset must be 13 and every operator one the
// runtime has.
func Parse(raw []byte) (m *Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("%w: the decoder failed (%v)", ErrNotONNX, r)
		}
	}()
	mp, err := gonnx.ModelProtoFromBytes(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotONNX, err)
	}
	if mp.GetGraph() == nil || len(mp.GetGraph().GetNode()) == 0 {
		return nil, fmt.Errorf("%w: no graph", ErrNotONNX)
	}
	sum := sha256.Sum256(raw)
	m = &Model{SHA256: hex.EncodeToString(sum[:]), proto: mp}
	if v := m.opset(); v != Opset {
		return nil, fmt.Errorf("%w: opset %d; screenlab runs opset %d (export with opset_version=%d)", ErrOpset, v, Opset, Opset)
	}
	var missing []string
	for op := range m.opCounts() {
		if _, err := getOperator(op); err != nil {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("%w: operators %s", ErrUnsupportedOp, strings.Join(missing, ", "))
	}
	// gonnx refuses an opset it has no getter for; its getter is replaced.
	rt, err := gonnx.NewModel(mp)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotONNX, err)
	}
	rt.GetOperator = getOperator
	m.runtime = rt
	return m, nil
}

// opset is the default domain's operator set version.
func (m *Model) opset() int64 {
	var v int64
	for _, o := range m.proto.GetOpsetImport() {
		if o.GetDomain() == "" || o.GetDomain() == "ai.onnx" {
			v = max(v, o.GetVersion())
		}
	}
	return v
}

func (m *Model) opCounts() map[string]int {
	c := map[string]int{}
	for _, n := range m.proto.GetGraph().GetNode() {
		op := n.GetOpType()
		if d := n.GetDomain(); d != "" && d != "ai.onnx" {
			op = d + "." + op
		}
		c[op]++
	}
	return c
}

// TensorInfo describes a graph input or output: its name, element type
// and shape (a dimension is a number, or the name of a free one).
type TensorInfo struct {
	Name  string   `json:"name"`
	Type  string   `json:"type"`
	Shape []string `json:"shape"`
}

// Description is what `models describe` shows of an ONNX model.
type Description struct {
	Path       string         `json:"path"`
	SHA256     string         `json:"sha256"`
	Bytes      int64          `json:"bytes"`
	IRVersion  int64          `json:"ir_version"`
	Opset      int64          `json:"opset"`
	Producer   string         `json:"producer"`
	Graph      string         `json:"graph"`
	Inputs     []TensorInfo   `json:"inputs"`
	Outputs    []TensorInfo   `json:"outputs"`
	Operators  map[string]int `json:"operators"`
	Parameters int64          `json:"parameters"`
	Sidecar    *Sidecar       `json:"sidecar,omitempty"`
}

// Describe returns the model's inputs, outputs, opset, operators,
// parameter count and hash.
func (m *Model) Describe() Description {
	g := m.proto.GetGraph()
	params := map[string]bool{}
	var n int64
	for _, t := range g.GetInitializer() {
		params[t.GetName()] = true
		k := int64(1)
		for _, d := range t.GetDims() {
			k *= d
		}
		n += k
	}
	info := func(vs []*pb.ValueInfoProto) []TensorInfo {
		var out []TensorInfo
		for _, v := range vs {
			if params[v.GetName()] {
				continue // older exporters list initializers as inputs
			}
			tt := v.GetType().GetTensorType()
			ti := TensorInfo{Name: v.GetName(), Type: strings.ToLower(pb.TensorProto_DataType_name[tt.GetElemType()])}
			for _, d := range tt.GetShape().GetDim() {
				if d.GetDimParam() != "" {
					ti.Shape = append(ti.Shape, d.GetDimParam())
				} else {
					ti.Shape = append(ti.Shape, fmt.Sprint(d.GetDimValue()))
				}
			}
			out = append(out, ti)
		}
		return out
	}
	d := Description{Path: m.Path, SHA256: m.SHA256, IRVersion: m.proto.GetIrVersion(), Opset: m.opset(),
		Producer: strings.TrimSpace(m.proto.GetProducerName() + " " + m.proto.GetProducerVersion()), Graph: g.GetName(),
		Inputs: info(g.GetInput()), Outputs: info(g.GetOutput()), Operators: m.opCounts(), Parameters: n}
	if m.Path != "" {
		if st, err := os.Stat(m.Path); err == nil {
			d.Bytes = st.Size()
		}
	}
	if m.Sidecar.Format != "" {
		sc := m.Sidecar
		d.Sidecar = &sc
	}
	return d
}

// Verify checks the sidecar against the model: the model's hash, the
// input (name, one channel, the preprocessing's size) and the output
// (name, one value per image) exist as described, and a batch of two
// blank images runs to two finite values.
func (m *Model) Verify() error {
	sc := &m.Sidecar
	if err := sc.check(); err != nil {
		return err
	}
	if sc.ModelSHA256 != m.SHA256 {
		return fmt.Errorf("%w: the sidecar is for a model with SHA-256 %s, this model's is %s", ErrSidecar, short(sc.ModelSHA256), short(m.SHA256))
	}
	d := m.Describe()
	var in *TensorInfo
	for i := range d.Inputs {
		if d.Inputs[i].Name == sc.Input.Name {
			in = &d.Inputs[i]
		}
	}
	if in == nil || len(d.Inputs) != 1 {
		return fmt.Errorf("%w: the sidecar's input %q; the model's inputs are %s", ErrSidecar, sc.Input.Name, names(d.Inputs))
	}
	want := []string{"", fmt.Sprint(sc.Input.Channels), fmt.Sprint(sc.Input.Height), fmt.Sprint(sc.Input.Width)}
	if len(in.Shape) != 4 || in.Type != "float" {
		return fmt.Errorf("%w: input %s is %s %v (want float N×C×H×W)", ErrSidecar, in.Name, in.Type, in.Shape)
	}
	for k := 1; k < 4; k++ {
		if in.Shape[k] != want[k] {
			return fmt.Errorf("%w: input %s has shape %v, the sidecar says N×%d×%d×%d", ErrSidecar, in.Name, in.Shape, sc.Input.Channels, sc.Input.Height, sc.Input.Width)
		}
	}
	found := false
	for _, o := range d.Outputs {
		found = found || o.Name == sc.Output.Name
	}
	if !found {
		return fmt.Errorf("%w: the sidecar's output %q; the model's outputs are %s", ErrSidecar, sc.Output.Name, names(d.Outputs))
	}
	out, err := m.Run(make([]float32, 2*sc.Input.Height*sc.Input.Width), 2)
	if err != nil {
		return fmt.Errorf("a test inference failed: %w", err)
	}
	for _, v := range out {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("a test inference on blank images gave %v", v)
		}
	}
	return nil
}

func names(ts []TensorInfo) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Name)
	}
	return strings.Join(s, ", ")
}

func short(h string) string { return h[:min(12, len(h))] }

// Run runs the model on n images (n × C × H × W values, the sidecar's
// input) and returns the output's value for each image.
func (m *Model) Run(images []float32, n int) (out []float32, err error) {
	sc := &m.Sidecar
	c, h, w := sc.Input.Channels, sc.Input.Height, sc.Input.Width
	if len(images) != n*c*h*w {
		return nil, fmt.Errorf("onnx: %d values for %d images of %d×%d×%d", len(images), n, c, h, w)
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("onnx: the runtime failed (%v)", r)
		}
	}()
	x := tensor.New(tensor.WithShape(n, c, h, w), tensor.WithBacking(images))
	res, err := m.runtime.Run(gonnx.Tensors{sc.Input.Name: x})
	if err != nil {
		return nil, fmt.Errorf("onnx: %w", err)
	}
	y, ok := res[sc.Output.Name]
	if !ok || y == nil {
		return nil, fmt.Errorf("onnx: no output %q", sc.Output.Name)
	}
	if s := y.Shape(); s.TotalSize() != n {
		return nil, fmt.Errorf("onnx: output %s of shape %v for %d images (want one value each)", sc.Output.Name, s, n)
	}
	v, err := float32s(y)
	if err != nil {
		return nil, fmt.Errorf("onnx: output %s: %w", sc.Output.Name, err)
	}
	return append([]float32(nil), v...), nil
}
