package evaluation

import (
	"math"
	"runtime"
	"testing"
)

// The fits run in parallel but each is computed as alone: the same bits
// on one core and on several, robustness iterations included.
func TestLowessSameOnAnyCores(t *testing.T) {
	n := 5000
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = math.Mod(float64(i)*0.618033988749895, 1)
		y[i] = math.Sin(6*x[i]) + 0.3*math.Cos(float64(i))
	}
	run := func(procs int) []float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		_, ys := Lowess(x, y, 0.3, 3)
		return ys
	}
	one, many := run(1), run(4)
	for i := range one {
		if math.Float64bits(one[i]) != math.Float64bits(many[i]) {
			t.Fatalf("point %d: %v on 1 core, %v on 4", i, one[i], many[i])
		}
	}
}
