package evaluation

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// AUC is the area under the ROC curve with its confidence interval.
type AUC struct {
	Estimate float64 `json:"estimate"`
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
	SE       float64 `json:"se"`
	Method   string  `json:"method"`
}

// ErrOneClass is returned when the outcome has a single class.
var ErrOneClass = errors.New("the outcome has a single class: both positives and negatives are needed")

// placements returns the DeLong placement values of a score: for each
// positive the fraction of negatives it outranks, V10_i = (#{Y < X_i} +
// ½#{Y = X_i}) / n, and for each negative the fraction of positives
// outranking it, V01_j = (#{X > Y_j} + ½#{X = Y_j}) / m. It uses midranks
// of the pooled, positive and negative scores (Sun & Xu 2014), O(N log N).
func placements(score []float64, outcome []bool) (v10, v01 []float64, auc float64) {
	var pos, neg []float64
	for i, s := range score {
		if outcome[i] {
			pos = append(pos, s)
		} else {
			neg = append(neg, s)
		}
	}
	m, n := float64(len(pos)), float64(len(neg))
	all := append(append([]float64(nil), pos...), neg...)
	rAll := midranks(all)
	rPos := midranks(pos)
	rNeg := midranks(neg)
	v10 = make([]float64, len(pos))
	v01 = make([]float64, len(neg))
	sum := 0.0
	for i := range pos {
		// Pooled midrank minus own-group midrank = negatives below + ½ ties.
		v10[i] = (rAll[i] - rPos[i]) / n
		sum += rAll[i]
	}
	for j := range neg {
		v01[j] = 1 - (rAll[len(pos)+j]-rNeg[j])/m
	}
	auc = (sum - m*(m+1)/2) / (m * n)
	return v10, v01, auc
}

// midranks returns the 1-based ranks of x, ties sharing their mean rank.
func midranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		mid := float64(i+j+1) / 2 // mean of ranks i+1..j
		for k := i; k < j; k++ {
			r[idx[k]] = mid
		}
		i = j
	}
	return r
}

func variance(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}

func covariance(x, y []float64) float64 {
	mx, my := 0.0, 0.0
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	s := 0.0
	for i := range x {
		s += (x[i] - mx) * (y[i] - my)
	}
	return s / float64(len(x)-1)
}

func checkBinary(score []float64, outcome []bool) error {
	if len(score) != len(outcome) {
		panic("evaluation: slice length mismatch")
	}
	var pos, neg int
	for i, s := range score {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("score at row %d is %v: remove or impute missing scores first", i, s)
		}
		if outcome[i] {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return ErrOneClass
	}
	return nil
}

// AUCDeLong returns the AUC of score for outcome (higher scores predict
// the positive class; a tied positive–negative pair counts one half, as
// pROC with direction "<") with the variance of DeLong, DeLong &
// Clarke-Pearson (1988),
//
//	Var = S10/m + S01/n,
//
// S10 and S01 the sample variances of the placement values, computed in
// O(N log N) with midranks (Sun & Xu 2014), and the normal interval at
// level, clipped to [0, 1].
func AUCDeLong(score []float64, outcome []bool, level float64) (AUC, error) {
	if err := checkBinary(score, outcome); err != nil {
		return AUC{}, err
	}
	if level == 0 {
		level = 0.95
	}
	v10, v01, auc := placements(score, outcome)
	se := math.Sqrt(variance(v10)/float64(len(v10)) + variance(v01)/float64(len(v01)))
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	return AUC{Estimate: auc, SE: se, Lower: math.Max(0, auc-z*se), Upper: math.Min(1, auc+z*se), Method: "delong"}, nil
}

// Comparison is the paired DeLong test of two AUCs on the same subjects.
type Comparison struct {
	AUC1    float64 `json:"auc"`
	AUC2    float64 `json:"auc_compare"`
	AUCDiff float64 `json:"auc_diff"`
	Z       float64 `json:"z"`
	P       float64 `json:"p"`
}

// CompareAUC tests AUC1 = AUC2 for two scores of the same subjects
// (DeLong et al. 1988; as pROC's roc.test(method = "delong", paired =
// TRUE)): z = (A1 − A2) / sqrt(V1 + V2 − 2C), with V and C from the
// covariance of the placement values.
func CompareAUC(score1, score2 []float64, outcome []bool) (Comparison, error) {
	if err := checkBinary(score1, outcome); err != nil {
		return Comparison{}, err
	}
	if err := checkBinary(score2, outcome); err != nil {
		return Comparison{}, err
	}
	a10, a01, auc1 := placements(score1, outcome)
	b10, b01, auc2 := placements(score2, outcome)
	m, n := float64(len(a10)), float64(len(a01))
	v1 := variance(a10)/m + variance(a01)/n
	v2 := variance(b10)/m + variance(b01)/n
	c := covariance(a10, b10)/m + covariance(a01, b01)/n
	c12 := Comparison{AUC1: auc1, AUC2: auc2, AUCDiff: auc1 - auc2}
	c12.Z = c12.AUCDiff / math.Sqrt(v1+v2-2*c)
	c12.P = 2 * distuv.UnitNormal.Survival(math.Abs(c12.Z))
	return c12, nil
}
