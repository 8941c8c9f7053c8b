package strategy

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/internal/numeric"
)

// DriftOptions set Drift.
type DriftOptions struct {
	Period string // month (default), quarter or year
	// Top gives the threshold as the share of all scored exams above it
	// (default 0.1); Threshold, when set, is the threshold itself.
	Top       float64
	Threshold float64
	Level     float64 // of the intervals; default 0.95
}

// DriftRow is one group in one period: its scored exams, their median
// score, and how many scored at or above the threshold against the
// group's own share over every period.
type DriftRow struct {
	Group    string  `json:"group"`
	Period   string  `json:"period"`
	Exams    int     `json:"exams"`
	Median   float64 `json:"median_score"`
	Above    int     `json:"above"`
	Share    float64 `json:"share"`
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
	Expected float64 `json:"expected_share"`
	// Flag is "above 99.8%" or "below 99.8%" when the period's count is
	// outside the exact binomial 99.8% limits around the expected share.
	Flag string `json:"flag"`
}

// DriftReport is the AI score's distribution over time by group.
type DriftReport struct {
	By        string     `json:"by"`
	Period    string     `json:"period"`
	Top       float64    `json:"top,omitempty"`
	Threshold float64    `json:"threshold"`
	Rows      []DriftRow `json:"rows"`
	// Flagged lists "group period" where the distribution moved.
	Flagged []string `json:"flagged"`
}

// MainTable is the table CSV output writes.
func (*DriftReport) MainTable() string { return "rows" }

// Drift tabulates each group's AI scores by period (group from the
// getter, "" left out) and flags a period whose share at or above the
// threshold is outside the exact binomial 99.8% limits around the group's
// own share over all its periods: a control chart of the score's
// distribution (a p-chart with exact limits), so that a unit whose scores
// move (a new machine, software, population) is seen.
func Drift(linked []datasets.LinkedExam, score func(int) float64, group func(*datasets.LinkedExam) string, by string, opts DriftOptions) (*DriftReport, error) {
	if opts.Period == "" {
		opts.Period = "month"
	}
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	periodOf := map[string]func(datasets.Date) string{
		"month":   func(d datasets.Date) string { y, m, _ := d.Civil(); return fmt.Sprintf("%04d-%02d", y, m) },
		"quarter": func(d datasets.Date) string { y, m, _ := d.Civil(); return fmt.Sprintf("%04d-Q%d", y, (m+2)/3) },
		"year":    func(d datasets.Date) string { y, _, _ := d.Civil(); return fmt.Sprintf("%04d", y) },
	}[opts.Period]
	if periodOf == nil {
		return nil, fmt.Errorf("drift: period %q: want month, quarter or year", opts.Period)
	}
	rep := &DriftReport{By: by, Period: opts.Period}
	var all []float64
	for i := range linked {
		if s := score(i); !math.IsNaN(s) {
			all = append(all, s)
		}
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("drift: no scored exam")
	}
	if opts.Threshold != 0 && !math.IsNaN(opts.Threshold) {
		rep.Threshold = opts.Threshold
	} else {
		if opts.Top == 0 {
			opts.Top = 0.1
		}
		sort.Float64s(all)
		rep.Top, rep.Threshold = opts.Top, numeric.Quantile(all, 1-opts.Top)
	}
	type key struct{ g, p string }
	cells := map[key][]float64{}
	for i := range linked {
		s := score(i)
		g := group(&linked[i])
		if math.IsNaN(s) || g == "" {
			continue
		}
		k := key{g, periodOf(linked[i].Date)}
		cells[k] = append(cells[k], s)
	}
	keys := make([]key, 0, len(cells))
	total := map[string][2]int{} // group → above, exams
	for k, x := range cells {
		keys = append(keys, k)
		t := total[k.g]
		for _, v := range x {
			if v >= rep.Threshold {
				t[0]++
			}
		}
		t[1] += len(x)
		total[k.g] = t
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].g != keys[j].g {
			return keys[i].g < keys[j].g
		}
		return keys[i].p < keys[j].p
	})
	for _, k := range keys {
		x := cells[k]
		sort.Float64s(x)
		r := DriftRow{Group: k.g, Period: k.p, Exams: len(x), Median: numeric.Quantile(x, 0.5)}
		r.Above = len(x) - sort.SearchFloat64s(x, rep.Threshold)
		r.Share = float64(r.Above) / float64(len(x))
		r.Lower, r.Upper = evaluation.ProportionCI(r.Above, len(x), opts.Level, evaluation.Wilson)
		t := total[k.g]
		r.Expected = float64(t[0]) / float64(t[1])
		b := distuv.Binomial{N: float64(len(x)), P: r.Expected}
		switch {
		case r.Expected > 0 && b.CDF(float64(r.Above)) < 0.001:
			r.Flag = "below 99.8%"
		case r.Expected < 1 && r.Above > 0 && 1-b.CDF(float64(r.Above-1)) < 0.001:
			r.Flag = "above 99.8%"
		}
		if r.Flag != "" {
			rep.Flagged = append(rep.Flagged, k.g+" "+k.p)
		}
		rep.Rows = append(rep.Rows, r)
	}
	return rep, nil
}
