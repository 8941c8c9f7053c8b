package models

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/internal/atomicfile"
)

// CNN is the image triage model: a small convolutional network scores each
// view (three 3×3 convolution + ReLU + 2×2 max-pool blocks, then a linear
// layer to a logit), and an exam's logit is the log-sum-exp of its four
// view logits — a smooth maximum, so one suspicious view makes a
// suspicious exam (multiple-instance learning: the registry knows which
// exams had a cancer, not which breast).
type CNN struct {
	Size     int         `json:"size"`     // input is Size × Size
	Channels []int       `json:"channels"` // per convolution block
	Weights  [][]float32 `json:"weights"`  // conv kernels, then the dense layer, then its bias
	Seed     uint64      `json:"seed"`
	Steps    int         `json:"steps"`
	BestAUC  float64     `json:"validation_auc"`
}

// Exam is the four preprocessed views of one exam (each Size × Size).
type Exam [4][]float32

// CNNOptions set training.
type CNNOptions struct {
	Size      int     // default 64
	Batch     int     // exams per step, half positive; default 16
	Steps     int     // most steps; default 600
	EvalEvery int     // steps between validation AUCs; default 50
	Patience  int     // evaluations without improvement before stopping; default 4
	LearnRate float64 // Adam; default 1e-3
	Seed      uint64
	// Augment adds, to the random up–down flip of every training view, a
	// rotation within ±5° and a contrast factor in 0.9–1.1.
	Augment bool
	// Checkpoint, when set, is a file the training state is written to
	// after each validation; with Resume, training continues from it when
	// it exists.
	Checkpoint string
	Resume     bool
	// Progress, when set, is told the step, training loss and the last
	// validation AUC.
	Progress func(step int, loss, auc float64)
}

type cnnGraph struct {
	g       *G.ExprGraph
	x, y    *G.Node
	weights G.Nodes
	view    *G.Node // view logits (4·batch)
	logit   *G.Node // exam logits (batch)
	loss    *G.Node
	vm      G.VM
	batch   int
	size    int
	input   []float32 // backing of x
}

func (c *CNN) shapes() [][]int {
	var s [][]int
	in := 1
	for _, ch := range c.Channels {
		s = append(s, []int{ch, in, 3, 3})
		in = ch
	}
	s = append(s, []int{in, 1}, []int{1, 1})
	return s
}

// build makes a graph for batch exams; train adds the loss and gradients.
func (c *CNN) build(batch int, train bool) (*cnnGraph, error) {
	g := G.NewGraph()
	cg := &cnnGraph{g: g, batch: batch, size: c.Size}
	cg.input = make([]float32, batch*4*c.Size*c.Size)
	cg.x = G.NewTensor(g, tensor.Float32, 4, G.WithShape(batch*4, 1, c.Size, c.Size), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(batch*4, 1, c.Size, c.Size), tensor.WithBacking(cg.input))))
	shapes := c.shapes()
	for k, sh := range shapes {
		t := tensor.New(tensor.WithShape(sh...), tensor.WithBacking(append([]float32(nil), c.Weights[k]...)))
		var n *G.Node
		if len(sh) == 4 {
			n = G.NewTensor(g, tensor.Float32, 4, G.WithShape(sh...), G.WithValue(t), G.WithName(fmt.Sprint("w", k)))
		} else {
			n = G.NewMatrix(g, tensor.Float32, G.WithShape(sh...), G.WithValue(t), G.WithName(fmt.Sprint("w", k)))
		}
		cg.weights = append(cg.weights, n)
	}
	h := cg.x
	var err error
	for k := range c.Channels {
		if h, err = conv3(h, cg.weights[k], k > 0); err != nil { // no gradient into the images
			return nil, err
		}
		if h, err = reluPool(h, 2); err != nil { // ReLU, then 2×2 max-pooling
			return nil, err
		}
	}
	// Global max pooling: each channel's strongest response anywhere in
	// the view, so a lesion counts wherever it lies.
	nc := len(c.Channels)
	side := c.Size >> nc
	if h, err = reluPool(h, side); err != nil {
		return nil, err
	}
	if h, err = G.Reshape(h, tensor.Shape{batch * 4, c.Channels[nc-1]}); err != nil {
		return nil, err
	}
	view := G.Must(G.Mul(h, cg.weights[nc]))                                 // (4B, 1)
	cg.view = G.Must(G.BroadcastAdd(view, cg.weights[nc+1], nil, []byte{0})) // + bias
	perExam := G.Must(G.Reshape(cg.view, tensor.Shape{batch, 4}))            // (B, 4)
	cg.logit = G.Must(G.Log(G.Must(G.Sum(G.Must(G.Exp(perExam)), 1))))       // log-sum-exp over views
	if train {
		cg.y = G.NewVector(g, tensor.Float32, G.WithShape(batch), G.WithName("y"))
		// Binary cross-entropy with logits: softplus(z) − y·z.
		soft := G.Must(G.Log1p(G.Must(G.Exp(cg.logit))))
		cg.loss = G.Must(G.Mean(G.Must(G.Sub(soft, G.Must(G.HadamardProd(cg.y, cg.logit))))))
		if _, err := G.Grad(cg.loss, cg.weights...); err != nil {
			return nil, err
		}
		cg.vm = G.NewTapeMachine(g, G.BindDualValues(cg.weights...))
	} else {
		cg.vm = G.NewTapeMachine(g)
	}
	return cg, nil
}

// setWeights copies weights into the graph's weight values.
func (cg *cnnGraph) setWeights(w [][]float32) {
	for k, n := range cg.weights {
		copy(n.Value().Data().([]float32), w[k])
	}
}

// run feeds up to batch exams (the rest of the batch is zeros) and runs the
// graph; it returns the view logits (four per exam), the exam logits and,
// when training, the loss.
func (cg *cnnGraph) run(exams []Exam, labels []float32) (views, logits []float32, loss float64, err error) {
	if len(exams) > cg.batch {
		return nil, nil, 0, fmt.Errorf("cnn: %d exams for a batch of %d", len(exams), cg.batch)
	}
	n := cg.size * cg.size
	clear(cg.input[len(exams)*4*n:])
	for e, ex := range exams {
		for v := 0; v < 4; v++ {
			if len(ex[v]) != n {
				return nil, nil, 0, fmt.Errorf("cnn: view %d has %d pixels, the model takes %d×%d", v, len(ex[v]), cg.size, cg.size)
			}
			copy(cg.input[(e*4+v)*n:], ex[v])
		}
	}
	if cg.y != nil {
		if err := G.Let(cg.y, tensor.New(tensor.WithShape(cg.batch), tensor.WithBacking(labels))); err != nil {
			return nil, nil, 0, err
		}
	}
	defer cg.vm.Reset()
	if err := cg.vm.RunAll(); err != nil {
		return nil, nil, 0, err
	}
	views = append([]float32(nil), cg.view.Value().Data().([]float32)[:4*len(exams)]...)
	logits = append([]float32(nil), cg.logit.Value().Data().([]float32)[:len(exams)]...)
	if cg.loss != nil {
		loss = float64(cg.loss.Value().Data().(float32))
	}
	return views, logits, loss, nil
}

// adam is the optimiser of Kingma & Ba (2015): per weight, moving
// averages of the gradient m and its square v, bias-corrected, step
// lr·m̂/(√v̂ + ε). Its state is part of a checkpoint.
type adam struct {
	LearnRate float64     `json:"learn_rate"`
	T         int         `json:"t"`
	M         [][]float32 `json:"m"`
	V         [][]float32 `json:"v"`
}

func newAdam(lr float64, weights [][]float32) *adam {
	a := &adam{LearnRate: lr}
	for _, w := range weights {
		a.M = append(a.M, make([]float32, len(w)))
		a.V = append(a.V, make([]float32, len(w)))
	}
	return a
}

func (a *adam) step(nodes G.Nodes) error {
	const b1, b2, eps = 0.9, 0.999, 1e-8
	a.T++
	c1 := 1 - math.Pow(b1, float64(a.T))
	c2 := 1 - math.Pow(b2, float64(a.T))
	for k, n := range nodes {
		gv, err := n.Grad()
		if err != nil {
			return err
		}
		g := gv.Data().([]float32)
		w := n.Value().Data().([]float32)
		m, v := a.M[k], a.V[k]
		for i, gi := range g {
			m[i] = b1*m[i] + (1-b1)*gi
			v[i] = b2*v[i] + (1-b2)*gi*gi
			w[i] -= float32(a.LearnRate * (float64(m[i]) / c1) / (math.Sqrt(float64(v[i])/c2) + eps))
		}
		clear(g) // gorgonia adds each backward pass into the gradient
	}
	return nil
}

// cnnCheckpoint is the whole training state, written after every
// validation so that training resumes where it stopped and ends with the
// same weights as an uninterrupted run.
type cnnCheckpoint struct {
	Format int `json:"format"`
	// SHA256 covers the rest of the checkpoint (its JSON with this field
	// empty): an edited checkpoint is refused on --resume.
	SHA256   string      `json:"sha256"`
	Settings string      `json:"settings"` // the options and data that must match to resume
	Step     int         `json:"step"`
	Model    *CNN        `json:"model"`
	Adam     *adam       `json:"adam"`
	RNG      []byte      `json:"rng"`
	Best     float64     `json:"best_auc"`
	BestW    [][]float32 `json:"best_weights"`
	BestStep int         `json:"best_step"`
	Since    int         `json:"since"`
	LastAUC  float64     `json:"last_auc"`
}

// ErrCheckpointMismatch is returned when a checkpoint was written by a
// training run with other settings or data.
var ErrCheckpointMismatch = errors.New("cnn: the checkpoint was made with other settings or data")

func (o *CNNOptions) defaults() {
	if o.Size == 0 {
		o.Size = 64
	}
	if o.Batch == 0 {
		o.Batch = 16
	}
	if o.Steps == 0 {
		o.Steps = 600
	}
	if o.EvalEvery == 0 {
		o.EvalEvery = 50
	}
	if o.Patience == 0 {
		o.Patience = 4
	}
	if o.LearnRate == 0 {
		o.LearnRate = 1e-3
	}
}

// settings fingerprints what a resumed run must share with the one that
// wrote the checkpoint: the options that shape the path of training and a
// hash of the training and validation data.
func (o *CNNOptions) settings(train []Exam, y []bool, val []Exam, yVal []bool) string {
	h := sha256.New()
	hashExams(h, train, y)
	hashExams(h, val, yVal)
	return fmt.Sprintf("size=%d batch=%d eval=%d lr=%g seed=%d augment=%v train=%d val=%d data_sha256=%x",
		o.Size, o.Batch, o.EvalEvery, o.LearnRate, o.Seed, o.Augment, len(train), len(val), h.Sum(nil))
}

// TrainCNN trains the network on exams (four preprocessed views each)
// with their labels, keeping the weights with the best AUC on the
// validation exams. Batches are class-balanced (half positive exams,
// drawn with replacement, as cancers are under 1% of exams); every random
// step draws from a PCG seeded with opts.Seed. With opts.Checkpoint set,
// the whole training state is saved there after each validation, and
// with opts.Resume a saved state is picked up: the result is the same as
// an uninterrupted run's.
func TrainCNN(train []Exam, y []bool, val []Exam, yVal []bool, opts CNNOptions) (*CNN, error) {
	opts.defaults()
	if len(val) == 0 {
		return nil, errors.New("cnn: no validation exams")
	}
	var pos, neg []int
	for i, v := range y {
		if v {
			pos = append(pos, i)
		} else {
			neg = append(neg, i)
		}
	}
	if len(pos) == 0 || len(neg) == 0 {
		return nil, errors.New("cnn: training exams need both classes")
	}
	settings := opts.settings(train, y, val, yVal)
	pcg := rand.NewPCG(opts.Seed, 0xc22)
	r := rand.New(pcg)
	c, err := newCNN(opts.Size, opts.Seed, r) // weights first: then batches, from the same stream
	if err != nil {
		return nil, err
	}
	ck := &cnnCheckpoint{Format: checkpointFormat, Settings: settings, Model: c, Adam: newAdam(opts.LearnRate, c.Weights), Best: math.Inf(-1), LastAUC: math.NaN()}
	if opts.Resume && opts.Checkpoint != "" {
		loaded, err := readCheckpoint(opts.Checkpoint)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return nil, err
		case loaded.Settings != settings:
			return nil, fmt.Errorf("%s: %w (checkpoint %s; this run %s)", opts.Checkpoint, ErrCheckpointMismatch, loaded.Settings, settings)
		default:
			ck, c = loaded, loaded.Model
			if err := pcg.UnmarshalBinary(ck.RNG); err != nil {
				return nil, fmt.Errorf("%s: %w", opts.Checkpoint, err)
			}
		}
	}
	tg, err := c.build(opts.Batch, true)
	if err != nil {
		return nil, err
	}
	sc, err := c.NewScorer(64)
	if err != nil {
		return nil, err
	}
	batch := make([]Exam, opts.Batch)
	labels := make([]float32, opts.Batch)
	// Augmentation into scratch buffers (augmentView).
	scratch := make([][4][]float32, opts.Batch)
	for k := range scratch {
		for v := 0; v < 4; v++ {
			scratch[k][v] = make([]float32, c.Size*c.Size)
		}
	}
	stopped := ck.Since >= opts.Patience
	for step := ck.Step + 1; step <= opts.Steps && !stopped; step++ {
		for k := range batch {
			var src Exam
			if k%2 == 0 {
				src, labels[k] = train[pos[r.IntN(len(pos))]], 1
			} else {
				src, labels[k] = train[neg[r.IntN(len(neg))]], 0
			}
			for v := 0; v < 4; v++ {
				augmentView(scratch[k][v], src[v], c.Size, r, opts.Augment)
				batch[k][v] = scratch[k][v]
			}
		}
		_, _, loss, err := tg.run(batch, labels)
		if err != nil {
			return nil, err
		}
		if err := ck.Adam.step(tg.weights); err != nil {
			return nil, err
		}
		if step%opts.EvalEvery == 0 || step == opts.Steps {
			c.copyWeights(tg)
			sc.g.setWeights(c.Weights)
			auc, err := sc.AUC(val, yVal)
			if err != nil {
				return nil, err
			}
			ck.LastAUC = auc
			if auc > ck.Best {
				ck.Best, ck.Since, ck.BestStep = auc, 0, step
				ck.BestW = cloneWeights(c.Weights)
			} else if ck.Since++; ck.Since >= opts.Patience {
				stopped = true
			}
			ck.Step = step
			if opts.Checkpoint != "" {
				if ck.RNG, err = pcg.MarshalBinary(); err != nil {
					return nil, err
				}
				if err := writeCheckpoint(opts.Checkpoint, ck); err != nil {
					return nil, err
				}
			}
		}
		if opts.Progress != nil {
			opts.Progress(step, loss, ck.LastAUC)
		}
	}
	if ck.BestW == nil {
		return nil, errors.New("cnn: training ended before the first validation")
	}
	out := &CNN{Size: c.Size, Channels: c.Channels, Seed: c.Seed, Weights: ck.BestW, Steps: ck.BestStep, BestAUC: ck.Best}
	return out, nil
}

// NewCNN returns the untrained network for size×size views (size a
// multiple of 8, at least 16), with the weights TrainCNN starts from for
// this seed; its scores mean nothing, its cost is a trained network's (for
// tests and benchmarks of scoring).
func NewCNN(size int, seed uint64) (*CNN, error) {
	return newCNN(size, seed, rand.New(rand.NewPCG(seed, 0xc22)))
}

// newCNN builds the architecture for size×size views with weights drawn from r.
func newCNN(size int, seed uint64, r *rand.Rand) (*CNN, error) {
	if size%8 != 0 || size < 16 {
		return nil, fmt.Errorf("cnn: input size %d must be a multiple of 8, at least 16", size)
	}
	c := &CNN{Size: size, Channels: []int{8, 16, 32}, Seed: seed}
	c.Weights = c.initWeights(r)
	return c, nil
}

// initWeights draws Glorot & Bengio (2010) uniform weights from r, with
// zero biases. (gorgonia's initialisers use the global math/rand, which
// cannot be seeded.)
func (c *CNN) initWeights(r *rand.Rand) [][]float32 {
	var ws [][]float32
	for _, sh := range c.shapes() {
		n, fanIn, fanOut := 1, 1, 1
		for _, d := range sh {
			n *= d
		}
		if len(sh) == 4 {
			fanIn, fanOut = sh[1]*9, sh[0]*9
		} else {
			fanIn, fanOut = sh[0], sh[1]
		}
		lim := math.Sqrt(6 / float64(fanIn+fanOut))
		w := make([]float32, n)
		for i := range w {
			w[i] = float32((2*r.Float64() - 1) * lim)
		}
		if len(sh) == 2 && sh[0] == 1 {
			clear(w) // bias
		}
		ws = append(ws, w)
	}
	return ws
}

func readCheckpoint(path string) (*cnnCheckpoint, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ck cnnCheckpoint
	if err := json.Unmarshal(raw, &ck); err != nil || ck.Model == nil || ck.Adam == nil {
		return nil, fmt.Errorf("%s: not a CNN checkpoint or corrupted (%v)", path, err)
	}
	if ck.Format != checkpointFormat {
		return nil, fmt.Errorf("%s: checkpoint format %d, this screenlab reads %d (remove it to train from the start)", path, ck.Format, checkpointFormat)
	}
	want := ck.SHA256
	if got, err := ck.digest(); err != nil || got != want {
		return nil, fmt.Errorf("%s: %w: its SHA-256 does not match its contents (edited or damaged); remove it to train from the start", path, ErrCheckpointMismatch)
	}
	return &ck, nil
}

// checkpointFormat 2 added the SHA-256.
const checkpointFormat = 2

// digest is the SHA-256 of the checkpoint's JSON with SHA256 empty.
func (ck *cnnCheckpoint) digest() (string, error) {
	c := *ck
	c.SHA256 = ""
	raw, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:]), nil
}

func writeCheckpoint(path string, ck *cnnCheckpoint) error {
	sum, err := ck.digest()
	if err != nil {
		return err
	}
	ck.SHA256 = sum
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		return json.NewEncoder(w).Encode(ck)
	})
}

// augmentView writes a randomly perturbed copy of a preprocessed n×n view
// into dst, drawing from r: flipped up–down with probability ½ (a
// left–right flip would move the chest wall); with more, also rotated by
// up to ±5° about the centre (bilinear, zero outside) and its intensities
// scaled by 0.9–1.1.
func augmentView(dst, src []float32, n int, r *rand.Rand, more bool) {
	flip := r.IntN(2) == 0
	if !more {
		for row := 0; row < n; row++ {
			from := row
			if flip {
				from = n - 1 - row
			}
			copy(dst[row*n:(row+1)*n], src[from*n:(from+1)*n])
		}
		return
	}
	theta := (2*r.Float64() - 1) * 5 * math.Pi / 180
	gain := float32(0.9 + 0.2*r.Float64())
	sin, cos := math.Sincos(theta)
	c := float64(n-1) / 2
	at := func(x, y int) float32 {
		if x < 0 || y < 0 || x >= n || y >= n {
			return 0
		}
		return src[y*n+x]
	}
	for y := 0; y < n; y++ {
		sy := y
		if flip {
			sy = n - 1 - y
		}
		for x := 0; x < n; x++ {
			dx, dy := float64(x)-c, float64(sy)-c
			fx, fy := c+cos*dx+sin*dy, c-sin*dx+cos*dy
			x0, y0 := int(math.Floor(fx)), int(math.Floor(fy))
			tx, ty := float32(fx-float64(x0)), float32(fy-float64(y0))
			v := (1-ty)*((1-tx)*at(x0, y0)+tx*at(x0+1, y0)) + ty*((1-tx)*at(x0, y0+1)+tx*at(x0+1, y0+1))
			dst[y*n+x] = gain * v
		}
	}
}

func cloneWeights(w [][]float32) [][]float32 {
	out := make([][]float32, len(w))
	for i := range w {
		out[i] = append([]float32(nil), w[i]...)
	}
	return out
}

func (c *CNN) copyWeights(cg *cnnGraph) {
	for k, n := range cg.weights {
		copy(c.Weights[k], n.Value().Data().([]float32))
	}
}

// Scorer applies a CNN to batches of exams. A Scorer is not safe for
// concurrent use: give each goroutine its own.
type Scorer struct {
	g *cnnGraph
}

// NewScorer builds an inference graph for batches of up to batch exams.
func (c *CNN) NewScorer(batch int) (*Scorer, error) {
	if len(c.Weights) != len(c.shapes()) {
		return nil, fmt.Errorf("cnn: %d weight tensors, the architecture has %d", len(c.Weights), len(c.shapes()))
	}
	for k, sh := range c.shapes() {
		n := 1
		for _, d := range sh {
			n *= d
		}
		if len(c.Weights[k]) != n {
			return nil, fmt.Errorf("cnn: weight tensor %d has %d values, want %d", k, len(c.Weights[k]), n)
		}
	}
	g, err := c.build(batch, false)
	if err != nil {
		return nil, err
	}
	return &Scorer{g: g}, nil
}

// ExamScore is a CNN's output for one exam: the probability of a cancer
// seen in each view (ViewNames order) and in the exam.
type ExamScore struct {
	Views [4]float64
	Exam  float64
}

func sigmoid(z float32) float64 { return 1 / (1 + math.Exp(-float64(z))) }

// Score scores exams, in batches of the scorer's size.
func (s *Scorer) Score(exams []Exam) ([]ExamScore, error) {
	out := make([]ExamScore, 0, len(exams))
	for lo := 0; lo < len(exams); lo += s.g.batch {
		hi := min(len(exams), lo+s.g.batch)
		views, logits, _, err := s.g.run(exams[lo:hi], nil)
		if err != nil {
			return nil, err
		}
		for e := range logits {
			var es ExamScore
			for v := 0; v < 4; v++ {
				es.Views[v] = sigmoid(views[4*e+v])
			}
			es.Exam = sigmoid(logits[e])
			out = append(out, es)
		}
	}
	return out, nil
}

// AUC scores exams and returns the AUC against their labels.
func (s *Scorer) AUC(exams []Exam, y []bool) (float64, error) {
	scores, err := s.Score(exams)
	if err != nil {
		return math.NaN(), err
	}
	p := make([]float64, len(scores))
	for i, sc := range scores {
		p[i] = sc.Exam
	}
	a, err := evaluation.AUCDeLong(p, y, 0.95)
	if err != nil {
		return math.NaN(), err
	}
	return a.Estimate, nil
}

// AUC scores exams and returns the AUC against their labels.
func (c *CNN) AUC(exams []Exam, y []bool) (float64, error) {
	s, err := c.NewScorer(64)
	if err != nil {
		return math.NaN(), err
	}
	return s.AUC(exams, y)
}
