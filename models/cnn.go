package models

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/screenlab/screenlab/evaluation"
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

	infer *cnnGraph // lazily built inference graph (one exam)
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
	// Progress, when set, is told the step, training loss and the last
	// validation AUC.
	Progress func(step int, loss, auc float64)
}

type cnnGraph struct {
	g       *G.ExprGraph
	x, y    *G.Node
	weights G.Nodes
	logit   *G.Node // exam logits (batch)
	loss    *G.Node
	vm      G.VM
	batch   int
}

func (c *CNN) shapes() [][]int {
	var s [][]int
	in := 1
	for _, ch := range c.Channels {
		s = append(s, []int{ch, in, 3, 3})
		in = ch
	}
	side := c.Size >> len(c.Channels)
	s = append(s, []int{in * side * side, 1}, []int{1, 1})
	return s
}

// build makes a graph for batch exams; train adds the loss and gradients.
func (c *CNN) build(batch int, train bool) (*cnnGraph, error) {
	g := G.NewGraph()
	cg := &cnnGraph{g: g, batch: batch}
	cg.x = G.NewTensor(g, tensor.Float32, 4, G.WithShape(batch*4, 1, c.Size, c.Size), G.WithName("x"))
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
		if h, err = G.Conv2d(h, cg.weights[k], tensor.Shape{3, 3}, []int{1, 1}, []int{1, 1}, []int{1, 1}); err != nil {
			return nil, err
		}
		if h, err = G.Rectify(h); err != nil {
			return nil, err
		}
		if h, err = G.MaxPool2D(h, tensor.Shape{2, 2}, []int{0, 0}, []int{2, 2}); err != nil {
			return nil, err
		}
	}
	nc := len(c.Channels)
	flatLen := shapes[nc][0]
	if h, err = G.Reshape(h, tensor.Shape{batch * 4, flatLen}); err != nil {
		return nil, err
	}
	view := G.Must(G.Mul(h, cg.weights[nc]))                              // (4B, 1)
	view = G.Must(G.BroadcastAdd(view, cg.weights[nc+1], nil, []byte{0})) // + bias
	perExam := G.Must(G.Reshape(view, tensor.Shape{batch, 4}))            // (B, 4)
	cg.logit = G.Must(G.Log(G.Must(G.Sum(G.Must(G.Exp(perExam)), 1))))    // log-sum-exp over views
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

func (cg *cnnGraph) run(exams []Exam, size int, labels []float32) (logits []float32, loss float64, err error) {
	x := make([]float32, cg.batch*4*size*size)
	for e, ex := range exams {
		for v := 0; v < 4; v++ {
			copy(x[(e*4+v)*size*size:], ex[v])
		}
	}
	if err := G.Let(cg.x, tensor.New(tensor.WithShape(cg.batch*4, 1, size, size), tensor.WithBacking(x))); err != nil {
		return nil, 0, err
	}
	if cg.y != nil {
		if err := G.Let(cg.y, tensor.New(tensor.WithShape(cg.batch), tensor.WithBacking(labels))); err != nil {
			return nil, 0, err
		}
	}
	if err := cg.vm.RunAll(); err != nil {
		return nil, 0, err
	}
	out := append([]float32(nil), cg.logit.Value().Data().([]float32)...)
	if cg.loss != nil {
		loss = float64(cg.loss.Value().Data().(float32))
	}
	return out, loss, nil
}

// TrainCNN trains the network on exams (four preprocessed views each)
// with their labels, keeping the weights with the best AUC on the
// validation exams. Batches are class-balanced (half positive exams,
// drawn with replacement, as cancers are under 1% of exams); every random
// step draws from a PCG seeded with opts.Seed.
func TrainCNN(train []Exam, y []bool, val []Exam, yVal []bool, opts CNNOptions) (*CNN, error) {
	if opts.Size == 0 {
		opts.Size = 64
	}
	if opts.Batch == 0 {
		opts.Batch = 16
	}
	if opts.Steps == 0 {
		opts.Steps = 600
	}
	if opts.EvalEvery == 0 {
		opts.EvalEvery = 50
	}
	if opts.Patience == 0 {
		opts.Patience = 4
	}
	if opts.LearnRate == 0 {
		opts.LearnRate = 1e-3
	}
	if opts.Size%8 != 0 {
		return nil, fmt.Errorf("cnn: input size %d must be a multiple of 8", opts.Size)
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
	c := &CNN{Size: opts.Size, Channels: []int{8, 16, 32}, Seed: opts.Seed}
	r := rand.New(rand.NewPCG(opts.Seed, 0xc22))
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
		lim := math.Sqrt(6 / float64(fanIn+fanOut)) // Glorot & Bengio (2010) uniform
		w := make([]float32, n)
		for i := range w {
			w[i] = float32((2*r.Float64() - 1) * lim)
		}
		if len(sh) == 2 && sh[0] == 1 {
			clear(w) // bias
		}
		c.Weights = append(c.Weights, w)
	}
	tg, err := c.build(opts.Batch, true)
	if err != nil {
		return nil, err
	}
	solver := G.NewAdamSolver(G.WithLearnRate(opts.LearnRate))
	best := math.Inf(-1)
	var bestW [][]float32
	since := 0
	batch := make([]Exam, opts.Batch)
	labels := make([]float32, opts.Batch)
	// Augmentation: each view flipped up–down at random (a left–right flip
	// would move the chest wall), into scratch buffers.
	scratch := make([][4][]float32, opts.Batch)
	for k := range scratch {
		for v := 0; v < 4; v++ {
			scratch[k][v] = make([]float32, c.Size*c.Size)
		}
	}
	flip := func(dst, src []float32) {
		n := c.Size
		for row := 0; row < n; row++ {
			copy(dst[row*n:(row+1)*n], src[(n-1-row)*n:(n-row)*n])
		}
	}
	lastAUC := math.NaN()
	for step := 1; step <= opts.Steps; step++ {
		for k := range batch {
			var src Exam
			if k%2 == 0 {
				src, labels[k] = train[pos[r.IntN(len(pos))]], 1
			} else {
				src, labels[k] = train[neg[r.IntN(len(neg))]], 0
			}
			for v := 0; v < 4; v++ {
				if r.IntN(2) == 0 {
					flip(scratch[k][v], src[v])
				} else {
					copy(scratch[k][v], src[v])
				}
				batch[k][v] = scratch[k][v]
			}
		}
		_, loss, err := tg.run(batch, c.Size, labels)
		if err != nil {
			return nil, err
		}
		if err := solver.Step(G.NodesToValueGrads(tg.weights)); err != nil {
			return nil, err
		}
		tg.vm.Reset()
		if step%opts.EvalEvery == 0 || step == opts.Steps {
			c.copyWeights(tg)
			c.infer = nil
			auc, err := c.AUC(val, yVal)
			if err != nil {
				return nil, err
			}
			lastAUC = auc
			if auc > best {
				best, since = auc, 0
				bestW = cloneWeights(c.Weights)
				c.Steps = step
			} else if since++; since >= opts.Patience {
				break
			}
		}
		if opts.Progress != nil {
			opts.Progress(step, loss, lastAUC)
		}
	}
	c.Weights, c.BestAUC, c.infer = bestW, best, nil
	return c, nil
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

// Predict returns the exam's probability of a cancer.
func (c *CNN) Predict(e Exam) (float64, error) {
	if c.infer == nil {
		g, err := c.build(1, false)
		if err != nil {
			return math.NaN(), err
		}
		c.infer = g
	}
	logits, _, err := c.infer.run([]Exam{e}, c.Size, nil)
	c.infer.vm.Reset()
	if err != nil {
		return math.NaN(), err
	}
	return 1 / (1 + math.Exp(-float64(logits[0]))), nil
}

// AUC scores exams and returns the AUC against their labels.
func (c *CNN) AUC(exams []Exam, y []bool) (float64, error) {
	s := make([]float64, len(exams))
	for i, e := range exams {
		p, err := c.Predict(e)
		if err != nil {
			return math.NaN(), err
		}
		s[i] = p
	}
	a, err := evaluation.AUCDeLong(s, y, 0.95)
	if err != nil {
		return math.NaN(), err
	}
	return a.Estimate, nil
}
