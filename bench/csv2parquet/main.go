// Command csv2parquet copies a CSV table of numbers to Parquet (every
// column a double), for make bench's comparison of the two inputs.
//
//	go run ./bench/csv2parquet cohort.csv cohort.parquet
package main

import (
	"fmt"
	"os"

	"github.com/screenlab/screenlab/datasets"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "csv2parquet:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: csv2parquet IN.csv OUT.parquet")
	}
	fr, err := datasets.ReadFrame(args[0])
	if err != nil {
		return err
	}
	cols := make([][]float64, len(fr.Header))
	specs := make([]datasets.ColumnSpec, len(fr.Header))
	for j, name := range fr.Header {
		if cols[j], err = fr.Floats(name, false); err != nil {
			return err
		}
		specs[j] = datasets.ColumnSpec{Name: name, Kind: datasets.KindFloat}
	}
	return datasets.WriteTable(args[1], specs, func(w *datasets.TableWriter) error {
		for i := 0; i < fr.Len(); i++ {
			for j := range cols {
				w.Float(cols[j][i], -1)
			}
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}
