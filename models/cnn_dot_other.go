//go:build !amd64

package models

// dotLanesBlocks adds the whole 16-blocks of x⊙y to lanes, lane by lane.
func dotLanesBlocks(lanes *[16]float32, x, y []float32) {
	n := min(len(x), len(y)) &^ 15
	for j := 0; j < n; j += 16 {
		for t := range lanes {
			lanes[t] += float32(x[j+t] * y[j+t])
		}
	}
}
