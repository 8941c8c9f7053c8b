package models

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// Forest is a random forest of probability trees (Breiman 2001): each tree
// grows on a bootstrap sample, choosing at every node the best Gini split
// among a random subset of features, and predicts the fraction of
// positives in its leaf; the forest averages the trees. Features are cut
// into at most 64 quantile bins before growing (histogram splits, as
// LightGBM and scikit-learn's HistGradientBoosting do), so a node costs
// O(rows × features tried).
//
// screenlab writes its own forest because golearn's RandomForest predicts
// majority-vote labels without probabilities (useless for a 1% outcome)
// and draws from the global math/rand, which Go 1.24+ no longer lets a
// program seed.
type Forest struct {
	Trees      []Tree      `json:"trees"`
	Cuts       [][]float64 `json:"cuts"` // per feature: bin upper limits
	NTrees     int         `json:"n_trees"`
	MTry       int         `json:"mtry"`
	MinLeaf    int         `json:"min_leaf"`
	MaxDepth   int         `json:"max_depth"`
	Seed       uint64      `json:"seed"`
	Names      []string    `json:"names"`
	Importance []float64   `json:"importance"` // total Gini decrease per feature, normalised
}

// Tree is a binary tree in flat arrays: node i splits on Feature[i] at bin
// Bin[i] (left: bin <= Bin[i]), or is a leaf when Left[i] < 0.
type Tree struct {
	Feature []int     `json:"f"`
	Bin     []int     `json:"b"`
	Left    []int     `json:"l"`
	Right   []int     `json:"r"`
	Value   []float64 `json:"v"`
}

// ForestOptions set the forest's size and growth.
type ForestOptions struct {
	Trees    int // default 200
	MTry     int // features tried per split; default ⌈√p⌉
	MinLeaf  int // smallest leaf; default 20
	MaxDepth int // default 12
	Seed     uint64
}

// FitForest grows a random forest of probability trees (Breiman 2001,
// Machine Learning 45:5) on x (n × p, row major): each tree on a bootstrap
// sample of the rows drawn from its own PCG stream (Seed, tree), choosing
// at every node the split that most reduces the Gini impurity
// 2·p·(1 − p) among MTry features drawn at random (default ⌈√p⌉), with
// features binned at 64 quantiles; a leaf predicts its share of positives
// and the forest the mean over trees. Gini importances are the total
// impurity decrease per feature, normalised.
func FitForest(x []float64, y []bool, names []string, o ForestOptions) (*Forest, error) {
	p := len(names)
	n := len(y)
	if len(x) != n*p {
		panic("models: slice length mismatch")
	}
	if o.Trees == 0 {
		o.Trees = 200
	}
	if o.MTry == 0 {
		o.MTry = int(math.Ceil(math.Sqrt(float64(p))))
	}
	if o.MinLeaf == 0 {
		o.MinLeaf = 20
	}
	if o.MaxDepth == 0 {
		o.MaxDepth = 12
	}
	var pos int
	for _, v := range y {
		if v {
			pos++
		}
	}
	if pos == 0 || pos == n {
		return nil, errors.New("forest: the outcome has a single class")
	}
	f := &Forest{NTrees: o.Trees, MTry: min(o.MTry, p), MinLeaf: o.MinLeaf, MaxDepth: o.MaxDepth, Seed: o.Seed, Names: names}
	// Quantile bins per feature.
	bins := make([]uint8, n*p)
	col := make([]float64, n)
	for j := 0; j < p; j++ {
		for i := 0; i < n; i++ {
			col[i] = x[i*p+j]
		}
		sorted := append([]float64(nil), col...)
		sort.Float64s(sorted)
		var cuts []float64
		for k := 1; k < 64; k++ {
			c := sorted[k*(n-1)/64]
			if len(cuts) == 0 || c > cuts[len(cuts)-1] {
				cuts = append(cuts, c)
			}
		}
		if len(cuts) > 0 && cuts[len(cuts)-1] >= sorted[n-1] {
			cuts = cuts[:len(cuts)-1]
		}
		f.Cuts = append(f.Cuts, cuts)
		for i := 0; i < n; i++ {
			bins[i*p+j] = uint8(sort.SearchFloat64s(cuts, col[i]))
		}
	}
	f.Trees = make([]Tree, o.Trees)
	imp := make([][]float64, o.Trees)
	var wg sync.WaitGroup
	next := make(chan int, o.Trees)
	for t := 0; t < o.Trees; t++ {
		next <- t
	}
	close(next)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range next {
				r := rand.New(rand.NewPCG(o.Seed, uint64(t)))
				f.Trees[t], imp[t] = growTree(bins, y, n, p, f, r)
			}
		}()
	}
	wg.Wait()
	f.Importance = make([]float64, p)
	total := 0.0
	for _, ti := range imp {
		for j, v := range ti {
			f.Importance[j] += v
			total += v
		}
	}
	for j := range f.Importance {
		if total > 0 {
			f.Importance[j] /= total
		}
	}
	return f, nil
}

// growTree grows one tree on a bootstrap sample, breadth first.
func growTree(bins []uint8, y []bool, n, p int, f *Forest, r *rand.Rand) (Tree, []float64) {
	sample := make([]int32, n)
	for i := range sample {
		sample[i] = int32(r.IntN(n))
	}
	var t Tree
	imp := make([]float64, p)
	type job struct {
		node, lo, hi, depth int
	}
	newNode := func(value float64) int {
		t.Feature, t.Bin, t.Left, t.Right, t.Value = append(t.Feature, -1), append(t.Bin, 0), append(t.Left, -1), append(t.Right, -1), append(t.Value, value)
		return len(t.Value) - 1
	}
	frac := func(lo, hi int) (float64, float64) {
		pos := 0.0
		for _, i := range sample[lo:hi] {
			if y[i] {
				pos++
			}
		}
		return pos, pos / float64(hi-lo)
	}
	_, v0 := frac(0, n)
	queue := []job{{newNode(v0), 0, n, 0}}
	feats := make([]int, p)
	for j := range feats {
		feats[j] = j
	}
	var cntPos, cntAll [64]float64
	for len(queue) > 0 {
		jb := queue[0]
		queue = queue[1:]
		size := jb.hi - jb.lo
		if jb.depth >= f.MaxDepth || size < 2*f.MinLeaf {
			continue
		}
		posTotal, _ := frac(jb.lo, jb.hi)
		if posTotal == 0 || posTotal == float64(size) {
			continue
		}
		parent := gini(posTotal, float64(size))
		r.Shuffle(p, func(a, b int) { feats[a], feats[b] = feats[b], feats[a] })
		bestGain, bestF, bestB := 0.0, -1, 0
		for _, j := range feats[:f.MTry] {
			clear(cntPos[:])
			clear(cntAll[:])
			for _, i := range sample[jb.lo:jb.hi] {
				b := bins[int(i)*p+j]
				cntAll[b]++
				if y[i] {
					cntPos[b]++
				}
			}
			var lp, la float64
			for b := 0; b < len(f.Cuts[j]); b++ {
				lp += cntPos[b]
				la += cntAll[b]
				ra := float64(size) - la
				if la < float64(f.MinLeaf) || ra < float64(f.MinLeaf) {
					continue
				}
				g := parent - (la*gini(lp, la)+ra*gini(posTotal-lp, ra))/float64(size)
				if g > bestGain {
					bestGain, bestF, bestB = g, j, b
				}
			}
		}
		if bestF < 0 {
			continue
		}
		// Partition the node's rows: left (bin <= bestB) first.
		s := sample[jb.lo:jb.hi]
		k := 0
		for m := range s {
			if int(bins[int(s[m])*p+bestF]) <= bestB {
				s[k], s[m] = s[m], s[k]
				k++
			}
		}
		imp[bestF] += bestGain * float64(size)
		_, vl := frac(jb.lo, jb.lo+k)
		_, vr := frac(jb.lo+k, jb.hi)
		l, rr := newNode(vl), newNode(vr)
		t.Feature[jb.node], t.Bin[jb.node], t.Left[jb.node], t.Right[jb.node] = bestF, bestB, l, rr
		queue = append(queue, job{l, jb.lo, jb.lo + k, jb.depth + 1}, job{rr, jb.lo + k, jb.hi, jb.depth + 1})
	}
	return t, imp
}

func gini(pos, all float64) float64 {
	if all == 0 {
		return 0
	}
	q := pos / all
	return 2 * q * (1 - q)
}

// Predict averages the trees' leaf probabilities.
func (f *Forest) Predict(x []float64) float64 {
	bins := make([]int, len(f.Cuts))
	for j, c := range f.Cuts {
		bins[j] = sort.SearchFloat64s(c, x[j])
	}
	s := 0.0
	for ti := range f.Trees {
		t := &f.Trees[ti]
		node := 0
		for t.Left[node] >= 0 {
			if bins[t.Feature[node]] <= t.Bin[node] {
				node = t.Left[node]
			} else {
				node = t.Right[node]
			}
		}
		s += t.Value[node]
	}
	return s / float64(len(f.Trees))
}

// Terms reports the features' Gini importances (in Coef) for describe.
func (f *Forest) Terms() []Coefficient {
	out := make([]Coefficient, len(f.Names))
	for j, n := range f.Names {
		nan := math.NaN()
		out[j] = Coefficient{Name: n, Coef: f.Importance[j], SE: nan, Z: nan, P: nan, Ratio: nan, Lower: nan, Upper: nan}
	}
	return out
}
