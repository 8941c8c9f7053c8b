package evaluation

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/screenlab/screenlab/internal/radix"
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

// placements returns the DeLong placement value of every subject, in input
// order: for a positive the fraction of negatives it outranks, V10_i =
// (#{Y < X_i} + ½#{Y = X_i}) / n; for a negative the fraction of positives
// outranking it, V01_j = (#{X > Y_j} + ½#{X = Y_j}) / m. One radix sort of
// the pooled scores gives both, block by block of tied scores (the midrank
// method of Sun & Xu 2014 in a single pass).
func placements(score []float64, outcome []bool) (v []float64, m, n int, auc float64) {
	return placementsOrdered(radix.SortedIndex(score), score, outcome)
}

// placementsOrdered is placements from the rows in increasing order of
// score.
func placementsOrdered(order []int, score []float64, outcome []bool) (v []float64, m, n int, auc float64) {
	for _, y := range outcome {
		if y {
			m++
		}
	}
	n = len(score) - m
	v = make([]float64, len(score))
	fm, fn := float64(m), float64(n)
	var posBelow, negBelow float64
	sum := 0.0
	for a := 0; a < len(order); {
		s := score[order[a]]
		b := a
		var pb, nb float64
		for ; b < len(order) && score[order[b]] == s; b++ {
			if outcome[order[b]] {
				pb++
			} else {
				nb++
			}
		}
		v10 := (negBelow + nb/2) / fn
		v01 := (fm - posBelow - pb/2) / fm
		for k := a; k < b; k++ {
			if i := order[k]; outcome[i] {
				v[i] = v10
			} else {
				v[i] = v01
			}
		}
		sum += pb * v10
		posBelow += pb
		negBelow += nb
		a = b
	}
	return v, m, n, sum / fm
}

// split returns the placement values of positives and of negatives.
func split(v []float64, outcome []bool) (v10, v01 []float64) {
	m := 0
	for _, y := range outcome {
		if y {
			m++
		}
	}
	v10, v01 = make([]float64, 0, m), make([]float64, 0, len(v)-m)
	for i, x := range v {
		if outcome[i] {
			v10 = append(v10, x)
		} else {
			v01 = append(v01, x)
		}
	}
	return v10, v01
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
	return aucDeLongOrdered(radix.SortedIndex(score), score, outcome, level), nil
}

// aucDeLongOrdered is AUCDeLong from the rows in increasing order of score
// (checked and with a level already).
func aucDeLongOrdered(order []int, score []float64, outcome []bool, level float64) AUC {
	v, _, _, auc := placementsOrdered(order, score, outcome)
	v10, v01 := split(v, outcome)
	se := math.Sqrt(variance(v10)/float64(len(v10)) + variance(v01)/float64(len(v01)))
	z := distuv.UnitNormal.Quantile(1 - (1-level)/2)
	return AUC{Estimate: auc, SE: se, Lower: math.Max(0, auc-z*se), Upper: math.Min(1, auc+z*se), Method: "delong"}
}

// Comparison is the paired DeLong test of two AUCs on the same subjects.
type Comparison struct {
	AUC1    float64 `json:"auc"`
	AUC2    float64 `json:"auc_compare"`
	AUCDiff float64 `json:"auc_diff"`
	// DiffLower and DiffUpper are the 95% interval of the difference,
	// AUCDiff ± z_{0.975}·SE (pROC's roc.test conf.int).
	DiffLower float64 `json:"auc_diff_lower"`
	DiffUpper float64 `json:"auc_diff_upper"`
	Z         float64 `json:"z"`
	P         float64 `json:"p"`
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
	va, _, _, auc1 := placements(score1, outcome)
	vb, _, _, auc2 := placements(score2, outcome)
	a10, a01 := split(va, outcome)
	b10, b01 := split(vb, outcome)
	m, n := float64(len(a10)), float64(len(a01))
	v1 := variance(a10)/m + variance(a01)/n
	v2 := variance(b10)/m + variance(b01)/n
	c := covariance(a10, b10)/m + covariance(a01, b01)/n
	c12 := Comparison{AUC1: auc1, AUC2: auc2, AUCDiff: auc1 - auc2}
	se := math.Sqrt(v1 + v2 - 2*c)
	c12.Z = c12.AUCDiff / se
	half := distuv.UnitNormal.Quantile(0.975) * se
	c12.DiffLower, c12.DiffUpper = c12.AUCDiff-half, c12.AUCDiff+half
	c12.P = 2 * distuv.UnitNormal.Survival(math.Abs(c12.Z))
	return c12, nil
}
