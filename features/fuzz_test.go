package features

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/screenlab/screenlab/datasets/imageio"
)

// FuzzPreprocess: any view of any size and content — NaN, infinities,
// values outside [0, 1], one pixel, a blank — preprocesses into a
// Width × Height input of finite values, without a panic. make test runs
// the seeds; fuzz with go test -fuzz FuzzPreprocess ./features.
func FuzzPreprocess(f *testing.F) {
	f.Add(uint8(40), uint8(30), uint8(16), []byte("a breast-ish gradient of bytes 0123456789abcdef"))
	f.Add(uint8(0), uint8(0), uint8(4), []byte{})
	f.Add(uint8(199), uint8(3), uint8(63), []byte{0xff, 0xff, 0xc0, 0x7f, 0, 0, 0x80, 0x7f, 0, 0, 0x80, 0xff})
	f.Fuzz(func(t *testing.T, w, h, size uint8, data []byte) {
		W, H, S := 1+int(w)%200, 1+int(h)%200, 4+int(size)%60
		px := make([]float32, W*H)
		for i := range px {
			switch {
			case 4*i+4 <= len(data):
				px[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
			case len(data) > 0:
				px[i] = float32(data[i%len(data)]) / 255
			}
		}
		out := ImagePrep{Width: S, Height: S, Resize: ResizeFloat}.Preprocess(&imageio.Mammogram{Width: W, Height: H, Pixels: px})
		if out.Width != S || out.Height != S || len(out.Pixels) != S*S {
			t.Fatalf("%d×%d output with %d pixels, want %d×%d", out.Width, out.Height, len(out.Pixels), S, S)
		}
		for i, v := range out.Pixels {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("output pixel %d is %v", i, v)
			}
		}
	})
}
