// Command fittime times screenlab's survival fits alone (the file already
// read), for comparison with R's fit times in bench_vs_r.sh. It prints
// {"km": seconds, "cox": seconds}.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/survival"
)

func main() {
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "fittime:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	names := []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10"}
	fr, err := datasets.ReadFrameColumns(path, append([]string{"time", "status", "group"}, names...)...)
	if err != nil {
		return err
	}
	tm, _ := fr.Floats("time", false)
	st, _ := fr.Floats("status", false)
	gr, _ := fr.Floats("group", false)
	n := len(tm)
	ev := make([]bool, n)
	g := make([]int, n)
	for i := range ev {
		ev[i], g[i] = st[i] == 1, int(gr[i])
	}
	x := make([]float64, n*len(names))
	for j, c := range names {
		v, err := fr.Floats(c, false)
		if err != nil {
			return err
		}
		for i := range v {
			x[i*len(names)+j] = v[i]
		}
	}
	t0 := time.Now()
	for k := 0; k < 3; k++ {
		var idx []int
		for i := range g {
			if g[i] == k {
				idx = append(idx, i)
			}
		}
		kt, ke := make([]float64, len(idx)), make([]bool, len(idx))
		for a, i := range idx {
			kt[a], ke[a] = tm[i], ev[i]
		}
		if _, err := survival.KaplanMeier(kt, ke, survival.KMOptions{Times: []float64{365, 1825}}); err != nil {
			return err
		}
	}
	if _, err := survival.LogRank(tm, ev, g, 3, survival.LogRankOptions{}); err != nil {
		return err
	}
	km := time.Since(t0).Seconds()
	t1 := time.Now()
	if _, err := survival.FitCox(survival.CoxData{Time: tm, Event: ev, X: x, Names: names}, survival.CoxOptions{}); err != nil {
		return err
	}
	fmt.Printf("{\"km\": %g, \"cox\": %g}\n", km, time.Since(t1).Seconds())
	return nil
}
