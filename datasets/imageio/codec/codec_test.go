package codec

import (
	"errors"
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

// FuzzDecode: whatever the bytes, every codec returns the frame's samples
// or an error; never a panic, a hang or another size.
func FuzzDecode(f *testing.F) {
	f.Add(byte(0), []byte{0xFF, 0xD8, 0xFF, 0xC3, 0, 11, 8, 0, 2, 0, 2, 1, 1, 0x11, 0})
	f.Add(byte(1), make([]byte, 70))
	f.Add(byte(2), []byte{0xFF, 0x4F, 0xFF, 0x51})
	f.Add(byte(3), []byte{0xFF, 0xD8, 0xFF, 0xF7, 0, 11, 8, 0, 2, 0, 2, 1, 1, 0x11, 0})
	uids := []string{"1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.51"}
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		fr := Frame{Rows: 2, Cols: 2, BitsAllocated: 16, BitsStored: 12}
		got, err := Decode(uids[int(which)%len(uids)], data, fr)
		if err == nil && len(got) != 4 {
			t.Fatalf("%d samples for 2×2", len(got))
		}
	})
}
