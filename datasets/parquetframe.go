package datasets

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// readParquetFrame reads the named columns of a Parquet table column by
// column, reading only those columns' pages: numbers (integers, floats,
// doubles) stay numbers, so Floats hands them over without text; other
// values become the text the row reader gives them. The frame holds what
// readFrame's would: the same values, the same text, the same errors.
func readParquetFrame(s *parquetSource, f *Frame, names []string) (*Frame, error) {
	var cols []int
	seen := map[int]bool{}
	for _, n := range names {
		i, ok := f.index[n]
		if !ok {
			return nil, f.missing(n)
		}
		if !seen[i] {
			seen[i] = true
			cols = append(cols, i)
		}
	}
	rows := int(s.pf.NumRows())
	f.rows = rowLines{n: rows, first: 1}
	leaves := s.pf.Schema().Columns()
	for _, j := range cols {
		leaf, _ := s.pf.Schema().Lookup(leaves[j]...)
		c, err := s.readColumn(j, leaf.Node.Type().Kind(), rows)
		if err != nil {
			return nil, err
		}
		f.cols[f.Header[j]] = c
	}
	return f, nil
}

// maxExactInt is the largest integer a float64 holds exactly (2^53).
const maxExactInt = 1 << 53

// readColumn reads column j of every row group.
func (s *parquetSource) readColumn(j int, kind parquet.Kind, rows int) (*column, error) {
	c := &column{finite: true}
	numeric := s.kinds[j] == plainValue && (kind == parquet.Int32 || kind == parquet.Int64 || kind == parquet.Float || kind == parquet.Double)
	var text strings.Builder
	var off []uint32
	toText := func() { // from numbers (all exact so far) to text
		off = make([]uint32, 1, rows+1)
		for i := range c.nums {
			text.WriteString(c.numText(i))
			off = append(off, uint32(text.Len()))
		}
		c.nums, c.null, numeric = nil, nil, false
	}
	if numeric {
		c.nums = make([]float64, 0, rows)
		switch kind {
		case parquet.Float:
			// The row reader's text of a float is its shortest decimal,
			// which parses to another float64 than the float's own value:
			// Floats goes through that text.
			c.bits, c.finite = 32, false
		case parquet.Double:
			c.bits = 64
		}
	} else {
		off = make([]uint32, 1, rows+1)
	}
	var vals []parquet.Value
	n := 0
	for _, rg := range s.pf.RowGroups() {
		pages := rg.ColumnChunks()[j].Pages()
		for {
			p, err := pages.ReadPage()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				pages.Close()
				return nil, fmt.Errorf("%s: column %s: %w", s.name, s.header[j], err)
			}
			if k := int(p.NumValues()); cap(vals) < k {
				vals = make([]parquet.Value, k)
			}
			got, err := p.Values().ReadValues(vals[:p.NumValues()])
			parquet.Release(p)
			if err != nil && !errors.Is(err, io.EOF) {
				pages.Close()
				return nil, fmt.Errorf("%s: column %s: %w", s.name, s.header[j], err)
			}
			for _, v := range vals[:got] {
				n++
				if n > rows {
					pages.Close()
					return nil, fmt.Errorf("%s: column %s holds more values than the file's %d rows", s.name, s.header[j], rows)
				}
				if numeric {
					x, ok := numberOf(v)
					if ok || v.IsNull() {
						if v.IsNull() {
							if c.null == nil {
								c.null = make([]bool, rows)
							}
							c.null[len(c.nums)] = true
							c.finite = false
						} else if math.IsNaN(x) || math.IsInf(x, 0) {
							c.finite = false
						}
						c.nums = append(c.nums, x)
						continue
					}
					toText() // an integer a float64 cannot hold exactly
				}
				if !v.IsNull() {
					text.WriteString(s.valueText(v, s.kinds[j]))
				}
				if text.Len() > math.MaxUint32 {
					pages.Close()
					return nil, fmt.Errorf("%s: column %s holds more than 4 GB of text", s.name, s.header[j])
				}
				off = append(off, uint32(text.Len()))
			}
		}
		pages.Close()
	}
	if n != rows {
		return nil, fmt.Errorf("%s: column %s holds %d values for %d rows", s.name, s.header[j], n, rows)
	}
	if !numeric {
		c.data, c.off = text.String(), off
	}
	return c, nil
}

// numberOf is a numeric Parquet value as a float64; false for a null and
// for an integer beyond what a float64 holds exactly.
func numberOf(v parquet.Value) (float64, bool) {
	switch v.Kind() {
	case parquet.Int32:
		return float64(v.Int32()), true
	case parquet.Int64:
		x := v.Int64()
		return float64(x), x >= -maxExactInt && x <= maxExactInt
	case parquet.Float:
		return float64(v.Float()), true
	case parquet.Double:
		return v.Double(), true
	}
	return 0, false
}
