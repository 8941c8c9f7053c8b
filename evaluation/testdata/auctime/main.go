// Command auctime times screenlab's AUC with the DeLong interval alone
// (the file already read), for bench_vs_r.sh. It prints {"seconds": s}.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
)

func main() {
	fr, err := datasets.ReadFrameColumns(os.Args[1], "y", "s")
	if err != nil {
		fmt.Fprintln(os.Stderr, "auctime:", err)
		os.Exit(1)
	}
	y, _ := fr.Floats("y", false)
	s, _ := fr.Floats("s", false)
	out := make([]bool, len(y))
	for i, v := range y {
		out[i] = v == 1
	}
	t0 := time.Now()
	if _, err := evaluation.AUCDeLong(s, out, 0.95); err != nil {
		fmt.Fprintln(os.Stderr, "auctime:", err)
		os.Exit(1)
	}
	fmt.Printf("{\"seconds\": %g}\n", time.Since(t0).Seconds())
}
