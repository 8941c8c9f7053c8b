package models

// dotLanes16 (assembly, SSE) adds x[16b+t]·y[16b+t] to lanes[t] for blocks
// b in order; x and y hold at least 16·blocks values.
//
//go:noescape
func dotLanes16(lanes *[16]float32, x, y *float32, blocks int)

// dotLanesBlocks adds the whole 16-blocks of x⊙y to lanes.
func dotLanesBlocks(lanes *[16]float32, x, y []float32) {
	if n := min(len(x), len(y)) / 16; n > 0 {
		dotLanes16(lanes, &x[0], &y[0], n)
	}
}
