package strategy

import (
	"fmt"
	"math"
	"sort"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/internal/numeric"
)

// Prior-round scores, as the retrospective studies of AI in BreastScreen
// Norway report them (e.g. Larsen et al. 2022, Radiology 303:502): how the
// AI scored each cancer at the exam where it was found and at the one and
// two screening rounds before, beside the same for women without cancer.

// Groups of PriorRow.
const (
	PriorScreenDetected = "screen-detected"
	PriorInterval       = "interval"
	PriorNoCancer       = "no cancer"
)

// PriorThreshold is a score threshold given as the share of all scored
// exams at or above it (top 0.1: the highest decile).
type PriorThreshold struct {
	Top       float64 `json:"top"`
	Threshold float64 `json:"threshold"`
}

// PriorRow is one group of women at one lag and one threshold: lag 0 is
// the index exam (where a screen-detected cancer was found; the last
// screen before an interval cancer; a woman's last negative exam), 1 and
// 2 the rounds before it. Women is the group's size, Exams those with a
// scored exam at the lag; Above of them scored at or above Threshold (the
// Top share of all exams), with a Wilson interval.
type PriorRow struct {
	Group     string  `json:"group"`
	Lag       int     `json:"lag"`
	Women     int     `json:"women"`
	Exams     int     `json:"exams"`
	Mean      float64 `json:"mean_score"`
	Median    float64 `json:"median_score"`
	Top       float64 `json:"top"`
	Threshold float64 `json:"threshold"`
	Above     int     `json:"above"`
	Share     float64 `json:"share"`
	Lower     float64 `json:"lower"`
	Upper     float64 `json:"upper"`
}

// PriorsReport is the prior-round table.
type PriorsReport struct {
	Score      string           `json:"score"`
	Thresholds []PriorThreshold `json:"thresholds"`
	Rows       []PriorRow       `json:"rows"`
	// Unknown counts women left out: every exam of unknown outcome.
	Unknown int `json:"unknown"`
}

// MainTable is the table CSV output writes.
func (*PriorsReport) MainTable() string { return "rows" }

// Priors builds the prior-round table. Each woman is in one group: her
// first exam that found a cancer (screen-detected) or was followed by one
// (interval) is her index exam; a woman with neither has her last negative
// exam. Her exams before the index, by date, are lags 1 and 2. tops give
// the thresholds as shares of all scored exams (default 0.1, 0.05, 0.02);
// shares have Wilson intervals at level.
func Priors(linked []datasets.LinkedExam, score func(int) float64, scoreName string, tops []float64, level float64) (*PriorsReport, error) {
	if len(tops) == 0 {
		tops = []float64{0.1, 0.05, 0.02}
	}
	if level == 0 {
		level = 0.95
	}
	var all []float64
	for i := range linked {
		if s := score(i); !math.IsNaN(s) {
			all = append(all, s)
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("priors: no exam has a %s", scoreName)
	}
	sort.Float64s(all)
	rep := &PriorsReport{Score: scoreName}
	for _, t := range tops {
		if !(t > 0 && t < 1) {
			return nil, fmt.Errorf("priors: top %g: want a share between 0 and 1", t)
		}
		rep.Thresholds = append(rep.Thresholds, PriorThreshold{Top: t, Threshold: numeric.Quantile(all, 1-t)})
	}
	byWoman := map[string][]int{}
	var women []string
	for i := range linked {
		p := linked[i].PersonID
		if _, ok := byWoman[p]; !ok {
			women = append(women, p)
		}
		byWoman[p] = append(byWoman[p], i)
	}
	groups := []string{PriorScreenDetected, PriorInterval, PriorNoCancer}
	scores := map[[2]int][]float64{} // group index, lag → scores
	size := make([]int, len(groups))
	for _, w := range women {
		ix := byWoman[w]
		sort.SliceStable(ix, func(a, b int) bool { return linked[ix[a]].Date < linked[ix[b]].Date })
		g, index := -1, -1
		for k, i := range ix {
			if o := linked[i].Outcome; o == datasets.ScreenDetected || o == datasets.Interval {
				g, index = 0, k
				if o == datasets.Interval {
					g = 1
				}
				break
			}
		}
		if g < 0 {
			for k := len(ix) - 1; k >= 0; k-- {
				if linked[ix[k]].Outcome == datasets.Negative {
					g, index = 2, k
					break
				}
			}
		}
		if g < 0 {
			rep.Unknown++
			continue
		}
		size[g]++
		for lag := 0; lag <= 2 && index-lag >= 0; lag++ {
			if s := score(ix[index-lag]); !math.IsNaN(s) {
				scores[[2]int{g, lag}] = append(scores[[2]int{g, lag}], s)
			}
		}
	}
	for g, name := range groups {
		for lag := 0; lag <= 2; lag++ {
			x := scores[[2]int{g, lag}]
			base := PriorRow{Group: name, Lag: lag, Women: size[g], Exams: len(x), Mean: math.NaN(), Median: math.NaN()}
			if len(x) > 0 {
				sort.Float64s(x)
				sum := 0.0
				for _, v := range x {
					sum += v
				}
				base.Mean, base.Median = sum/float64(len(x)), numeric.Quantile(x, 0.5)
			}
			for _, t := range rep.Thresholds {
				row := base
				row.Top, row.Threshold = t.Top, t.Threshold
				row.Above = len(x) - sort.SearchFloat64s(x, t.Threshold) // at or above
				row.Share, row.Lower, row.Upper = math.NaN(), math.NaN(), math.NaN()
				if len(x) > 0 {
					row.Share = float64(row.Above) / float64(len(x))
					row.Lower, row.Upper = evaluation.ProportionCI(row.Above, len(x), level, evaluation.Wilson)
				}
				rep.Rows = append(rep.Rows, row)
			}
		}
	}
	return rep, nil
}
