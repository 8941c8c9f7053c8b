package onnx

import (
	"encoding/binary"
	"math"
	"os"
	"runtime"
	"sync"
	"testing"
)

// BenchmarkONNX: images/s of ONNX models on this machine, as the scorer
// runs them: one 64-image batch (16 exams) per goroutine, GOMAXPROCS
// goroutines. The fixture models of models/onnx, and the model
// SCREENLAB_ONNX_BENCH names (make bench: the standard-width ResNet-18
// that testdata/export.py --full writes).
func BenchmarkONNX(b *testing.B) {
	raw, err := os.ReadFile("testdata/inputs.f32")
	if err != nil {
		b.Fatal(err)
	}
	views := make([]float32, len(raw)/4)
	for i := range views {
		views[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	batch := make([]float32, 0, 64*64*64)
	for len(batch) < cap(batch) {
		batch = append(batch, views[:min(len(views), cap(batch)-len(batch))]...)
	}
	paths := [][2]string{{"screenlab_cnn", "testdata/screenlab_cnn.onnx"}, {"resnet18_w8", "testdata/resnet18_w8.onnx"}}
	if p := os.Getenv("SCREENLAB_ONNX_BENCH"); p != "" {
		paths = append(paths, [2]string{"resnet18", p})
	}
	for _, mp := range paths {
		b.Run(mp[0], func(b *testing.B) {
			m, err := Load(mp[1], "")
			if err != nil {
				b.Fatal(err)
			}
			workers := runtime.GOMAXPROCS(0)
			b.ResetTimer()
			var wg sync.WaitGroup
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := w; i < b.N; i += workers {
						if _, err := m.Run(batch, 64); err != nil {
							b.Error(err)
							return
						}
					}
				}(w)
			}
			wg.Wait()
			b.ReportMetric(float64(64*b.N)/b.Elapsed().Seconds(), "images/s")
		})
	}
}
