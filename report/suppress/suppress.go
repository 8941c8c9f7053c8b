package suppress

import "math"

// Small reports whether a count must be masked: 0 < c < n (zeros are
// published; they reveal nothing about a person).
func Small(c, n float64) bool { return c > 0 && c < n }

// Mask returns which cells of a grid of counts to mask. rowTotals and
// colTotals say whether the table shows row or column totals; where a row
// (column) with a shown total has exactly one masked cell, the smallest
// other non-zero cell is masked too, repeating until no total reveals a
// single cell. NaN cells are treated as absent.
func Mask(counts [][]float64, n float64, rowTotals, colTotals bool) [][]bool {
	mask := make([][]bool, len(counts))
	for r, row := range counts {
		mask[r] = make([]bool, len(row))
		for c, v := range row {
			mask[r][c] = Small(v, n)
		}
	}
	for changed := true; changed; {
		changed = false
		if rowTotals {
			for r := range counts {
				cells := make([]int, len(counts[r]))
				for c := range cells {
					cells[c] = c
				}
				if complement(counts, mask, func(k int) (int, int) { return r, cells[k] }, len(cells)) {
					changed = true
				}
			}
		}
		if colTotals {
			width := 0
			for _, row := range counts {
				width = max(width, len(row))
			}
			for c := 0; c < width; c++ {
				var rows []int
				for r := range counts {
					if c < len(counts[r]) {
						rows = append(rows, r)
					}
				}
				if complement(counts, mask, func(k int) (int, int) { return rows[k], c }, len(rows)) {
					changed = true
				}
			}
		}
	}
	return mask
}

// complement masks the smallest unmasked non-zero cell of a line that has
// exactly one masked cell.
func complement(counts [][]float64, mask [][]bool, at func(int) (int, int), n int) bool {
	masked, best := 0, -1
	bestV := math.Inf(1)
	for k := 0; k < n; k++ {
		r, c := at(k)
		v := counts[r][c]
		if math.IsNaN(v) {
			continue
		}
		if mask[r][c] {
			masked++
		} else if v > 0 && v < bestV {
			best, bestV = k, v
		}
	}
	if masked == 1 && best >= 0 {
		r, c := at(best)
		mask[r][c] = true
		return true
	}
	return false
}
