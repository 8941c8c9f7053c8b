package synth

import (
	"path/filepath"

	"github.com/screenlab/screenlab/datasets"
)

// namedTable is a CSV table a generator writes: its name (the file is
// name.csv) and columns.
type namedTable struct {
	name string
	cols []datasets.ColumnSpec
}

// tableSet is the open writers of a generator's tables: closed together,
// or aborted together so that no half-written table is left.
type tableSet struct {
	w     []*datasets.TableWriter
	files []string
}

// createTables opens every table in dir; on an error the ones opened are
// aborted.
func createTables(dir string, tables []namedTable) (*tableSet, error) {
	s := &tableSet{}
	for _, t := range tables {
		p := filepath.Join(dir, t.name+".csv")
		w, err := datasets.CreateTable(p, t.cols)
		if err != nil {
			s.abort()
			return nil, err
		}
		s.w = append(s.w, w)
		s.files = append(s.files, p)
	}
	return s, nil
}

func (s *tableSet) abort() {
	for _, w := range s.w {
		w.Abort()
	}
}

// close closes every table, aborting all on the first error.
func (s *tableSet) close() error {
	for _, w := range s.w {
		if err := w.Close(); err != nil {
			s.abort()
			return err
		}
	}
	return nil
}
