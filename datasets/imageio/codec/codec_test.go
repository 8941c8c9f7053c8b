package codec

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// PackBits by hand (PS3.5 G.3.1): a literal run, a repeat, the no-op −128.
func TestUnpackBits(t *testing.T) {
	src := []byte{2, 10, 11, 12, 0xFD, 7, 0x80, 0, 9}
	dst := make([]byte, 8)
	used, err := unpackBits(dst, src)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{10, 11, 12, 7, 7, 7, 7, 9}
	if string(dst) != string(want) || used != len(src) {
		t.Fatalf("got %v (used %d), want %v (used %d)", dst, used, want, len(src))
	}
	for _, bad := range [][]byte{{5, 1, 2}, {0xF0}, {0xF0, 1}} {
		if _, err := unpackBits(make([]byte, 8), bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// An RLE frame of two 16-bit samples by hand: high bytes, then low bytes.
func TestDecodeRLE(t *testing.T) {
	data := make([]byte, 64)
	data[0] = 2
	data[4] = 64
	data[8] = 64 + 4
	data = append(data, 1, 0x01, 0x0F, 0) // segment 1: literal 0x01 0x0F (+pad)
	data = append(data, 0xFF, 0xAB)       // segment 2: 0xAB twice
	got, err := Decode("1.2.840.10008.1.2.5", data, Frame{Rows: 1, Cols: 2, BitsAllocated: 16, BitsStored: 12})
	if err != nil {
		t.Fatal(err)
	}
	if got[0] != 0x01AB || got[1] != 0x0FAB {
		t.Fatalf("got %04X %04X, want 01AB 0FAB", got[0], got[1])
	}
	data[0] = 1
	if _, err := Decode("1.2.840.10008.1.2.5", data, Frame{Rows: 1, Cols: 2, BitsAllocated: 16, BitsStored: 12}); !errors.Is(err, ErrMismatch) {
		t.Errorf("one segment for 16-bit pixels: %v", err)
	}
}

// A lossless JPEG (SOF3, predictor 1) of a 2×2 image coded by hand: one
// Huffman table with the categories 0, 1, 2, …; T.81 H.1.2.1 predicts the
// first sample with 2^(P−1) and the first column from above.
func TestLosslessJPEGByHand(t *testing.T) {
	// Samples (8-bit): 130 131 / 126 126. Predictions: 128, 130 (Ra), 130
	// (Rb, first column), 126 (Ra). Differences: 2, 1, −4, 0.
	// Table: category 0 → "00", 1 → "01", 2 → "100", 3 → "101".
	// Bits: cat 2 "100" + "10" (2); cat 1 "01" + "1"; cat 3 "101" + "011" (−4); cat 0 "00".
	bits := "100" + "10" + "01" + "1" + "101" + "011" + "00"
	for len(bits)%8 != 0 {
		bits += "1"
	}
	var scan []byte
	for i := 0; i < len(bits); i += 8 {
		var b byte
		for j := 0; j < 8; j++ {
			b = b<<1 | (bits[i+j] - '0')
		}
		scan = append(scan, b)
		if b == 0xFF {
			scan = append(scan, 0) // stuffed (T.81 F.1.2.3)
		}
	}
	js := []byte{0xFF, 0xD8,
		0xFF, 0xC3, 0, 11, 8, 0, 2, 0, 2, 1, 1, 0x11, 0, // SOF3: P=8, 2×2, one component
		0xFF, 0xC4, 0, 2 + 17 + 4, 0x00, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, // DHT: 2 codes of 2 bits, 2 of 3
		0xFF, 0xDA, 0, 8, 1, 1, 0x00, 1, 0, 0, // SOS: predictor 1, Pt 0
	}
	js = append(js, scan...)
	js = append(js, 0xFF, 0xD9)
	got, err := Decode("1.2.840.10008.1.2.4.70", js, Frame{Rows: 2, Cols: 2, BitsAllocated: 8, BitsStored: 8})
	if err != nil {
		t.Fatal(err)
	}
	want := []uint16{130, 131, 126, 126}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	// The same stream said to be 3×2 by the header: refused before decoding.
	if _, err := Decode("1.2.840.10008.1.2.4.70", js, Frame{Rows: 2, Cols: 3, BitsAllocated: 8, BitsStored: 8}); !errors.Is(err, ErrMismatch) {
		t.Errorf("a frame of another size: %v", err)
	}
	// Cut short: an error, not a partial image.
	if _, err := Decode("1.2.840.10008.1.2.4.70", js[:len(js)-4], Frame{Rows: 2, Cols: 2, BitsAllocated: 8, BitsStored: 8}); err == nil {
		t.Errorf("a truncated stream decoded")
	}
}

// readPGM reads a binary 8-bit PGM (djpeg's output).
func readPGM(t *testing.T, path string) (w, h int, px []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var maxV int
	n, err := fmt.Sscanf(string(b), "P5\n%d %d\n%d\n", &w, &h, &maxV)
	if n != 3 || err != nil || maxV != 255 {
		t.Fatalf("%s: not an 8-bit PGM", path)
	}
	return w, h, b[len(b)-w*h:]
}

// Baseline JPEGs with restart markers, made by libjpeg-turbo's cjpeg
// (testdata/make.sh): after every block (191 restarts, so RST0–7 wrap
// round many times) and every two block rows. They decode within a grey
// level of djpeg's output.
func TestJPEGRestartIntervals(t *testing.T) {
	for _, name := range []string{"blocks", "rows"} {
		data, err := os.ReadFile("testdata/restart/" + name + ".jpg")
		if err != nil {
			t.Fatal(err)
		}
		w, h, ref := readPGM(t, "testdata/restart/"+name+".pgm")
		got, err := Decode("1.2.840.10008.1.2.4.50", data, Frame{Rows: h, Cols: w, BitsAllocated: 8, BitsStored: 8})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		worst := 0
		for i := range ref {
			worst = max(worst, abs(int(got[i])-int(ref[i])))
		}
		if worst > 1 {
			t.Errorf("%s: differs from djpeg by up to %d grey levels", name, worst)
		}
		// A restart marker removed: an error, not a shifted image.
		at := bytes.Index(data[len(data)/2:], []byte{0xFF, 0xD3})
		if at < 0 {
			at = bytes.Index(data[len(data)/2:], []byte{0xFF, 0xD4})
		}
		cut := append(append([]byte(nil), data[:len(data)/2+at]...), data[len(data)/2+at+2:]...)
		if _, err := Decode("1.2.840.10008.1.2.4.50", cut, Frame{Rows: h, Cols: w, BitsAllocated: 8, BitsStored: 8}); err == nil {
			t.Errorf("%s: a stream missing a restart marker decoded", name)
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// encodeLossless writes a lossless JPEG (SOF3) of one component with a
// restart interval of one row, every difference category coded in 5 bits
// (a valid if wasteful Huffman table): a second encoder, independent of the
// decoder, for the restart path of process 14 (dcmtk writes no restarts).
func encodeLossless(px []uint16, w, h, precision int) []byte {
	out := []byte{0xFF, 0xD8,
		0xFF, 0xC3, 0, 11, byte(precision), byte(h >> 8), byte(h), byte(w >> 8), byte(w), 1, 1, 0x11, 0,
		0xFF, 0xC4, 0, 3 + 16 + 17, 0x00, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	for v := 0; v <= 16; v++ {
		out = append(out, byte(v))
	}
	out = append(out, 0xFF, 0xDD, 0, 4, byte(w>>8), byte(w))
	out = append(out, 0xFF, 0xDA, 0, 8, 1, 1, 0x00, 1, 0, 0) // predictor 1
	var acc uint64
	var n uint
	put := func(v uint64, bits uint) {
		acc, n = acc<<bits|v&(1<<bits-1), n+bits
		for n >= 8 {
			b := byte(acc >> (n - 8))
			out = append(out, b)
			if b == 0xFF {
				out = append(out, 0)
			}
			n -= 8
		}
	}
	flush := func() {
		if n > 0 {
			put(1<<(8-n)-1, 8-n)
		}
	}
	initial := 1 << (precision - 1)
	for y := 0; y < h; y++ {
		if y > 0 {
			flush()
			out = append(out, 0xFF, byte(0xD0+(y-1)%8))
		}
		for x := 0; x < w; x++ {
			// Every row starts a restart interval, so the first-row rules
			// (T.81 H.1.2.1) predict every sample: 2^(P−1), then Ra.
			p := initial
			if x > 0 {
				p = int(px[y*w+x-1])
			}
			d := (int(px[y*w+x]) - p) & 0xFFFF
			if d >= 0x8000 {
				d -= 0x10000
			}
			s := 0
			for m := abs(d); m > 0; m >>= 1 {
				s++
			}
			put(uint64(s), 5)
			if s == 16 {
				continue
			}
			if d < 0 {
				d += 1<<s - 1
			}
			put(uint64(d), uint(s))
		}
	}
	flush()
	return append(out, 0xFF, 0xD9)
}

// A lossless JPEG with a restart at every row (RST0–7 wrapping round),
// from an independent encoder: decoded exactly; a marker out of order is
// an error.
func TestLosslessJPEGRestarts(t *testing.T) {
	w, h := 37, 21
	px := make([]uint16, w*h)
	for i := range px {
		px[i] = uint16((i*2654435761)>>7) & 0xFFF
	}
	js := encodeLossless(px, w, h, 12)
	got, err := Decode("1.2.840.10008.1.2.4.57", js, Frame{Rows: h, Cols: w, BitsAllocated: 16, BitsStored: 12})
	if err != nil {
		t.Fatal(err)
	}
	for i := range px {
		if got[i] != px[i] {
			t.Fatalf("sample %d: %d, want %d", i, got[i], px[i])
		}
	}
	// 16-bit samples with jumps of half the range and more: difference
	// category 16 (T.81 H.1.2.2: 32768, no extra bits) and wrap-around
	// modulo 2^16.
	w16, h16 := 9, 4
	px16 := []uint16{0, 32768, 0, 65535, 1, 32767, 65535, 0, 40000}
	for len(px16) < w16*h16 {
		px16 = append(px16, px16[len(px16)-9]^0xA5A5)
	}
	got16, err := Decode("1.2.840.10008.1.2.4.57", encodeLossless(px16, w16, h16, 16), Frame{Rows: h16, Cols: w16, BitsAllocated: 16, BitsStored: 16})
	if err != nil {
		t.Fatal(err)
	}
	for i := range px16 {
		if got16[i] != px16[i] {
			t.Fatalf("16-bit sample %d: %d, want %d", i, got16[i], px16[i])
		}
	}
	bad := bytes.Replace(js, []byte{0xFF, 0xD3}, []byte{0xFF, 0xD5}, 1)
	if _, err := Decode("1.2.840.10008.1.2.4.57", bad, Frame{Rows: h, Cols: w, BitsAllocated: 16, BitsStored: 12}); err == nil || !strings.Contains(err.Error(), "out of order") {
		t.Errorf("RST5 where RST3 belongs: %v", err)
	}
}
