package codec

import (
	"encoding/binary"
	"fmt"
)

// decodeRLE decodes DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header
// of the segment count and offsets, then one PackBits-coded segment per
// byte of a sample, most significant byte first.
func decodeRLE(data []byte, f Frame) ([]uint16, error) {
	if len(data) < 64 {
		return nil, fmt.Errorf("corrupt RLE: a header of %d bytes (want 64)", len(data))
	}
	nseg := int(binary.LittleEndian.Uint32(data))
	want := f.BitsAllocated / 8
	if nseg != want {
		return nil, fmt.Errorf("%w: %d RLE segments for %d-bit greyscale pixels (want %d)", ErrMismatch, nseg, f.BitsAllocated, want)
	}
	n := f.Rows * f.Cols
	out := make([]uint16, n)
	plane := make([]byte, n)
	for s := 0; s < nseg; s++ {
		start := int(binary.LittleEndian.Uint32(data[4+4*s:]))
		end := len(data)
		if s+1 < nseg {
			end = int(binary.LittleEndian.Uint32(data[8+4*s:]))
		}
		if start < 64 || start > end || end > len(data) {
			return nil, fmt.Errorf("corrupt RLE: segment %d at bytes %d–%d of %d", s+1, start, end, len(data))
		}
		used, err := unpackBits(plane, data[start:end])
		if err != nil {
			return nil, fmt.Errorf("corrupt RLE: segment %d: %w", s+1, err)
		}
		// A segment is padded to an even length at most: more left over
		// means a larger image than the header says.
		if rest := end - start - used; rest > 1 {
			return nil, fmt.Errorf("%w: RLE segment %d holds %d bytes beyond %d×%d pixels", ErrMismatch, s+1, rest, f.Cols, f.Rows)
		}
		shift := uint(8 * (nseg - 1 - s))
		for i, b := range plane {
			out[i] |= uint16(b) << shift
		}
	}
	return out, nil
}

// unpackBits fills dst from PackBits runs: a header byte n of 0–127
// copies the next n+1 bytes, −1 to −127 repeats the next byte 1−n times,
// −128 is skipped. Decoding stops when dst is full (it returns the bytes
// of src used); a segment that ends first is an error.
func unpackBits(dst, src []byte) (int, error) {
	o, i := 0, 0
	for o < len(dst) {
		if i >= len(src) {
			return i, fmt.Errorf("ends after %d of %d bytes (truncated)", o, len(dst))
		}
		h := int8(src[i])
		i++
		switch {
		case h >= 0:
			k := int(h) + 1
			if i+k > len(src) || o+k > len(dst) {
				return i, fmt.Errorf("a literal run of %d bytes past the end", k)
			}
			copy(dst[o:], src[i:i+k])
			i += k
			o += k
		case h != -128:
			k := 1 - int(h)
			if i >= len(src) || o+k > len(dst) {
				return i, fmt.Errorf("a repeat run of %d bytes past the end", k)
			}
			v := src[i]
			i++
			for j := 0; j < k; j++ {
				dst[o+j] = v
			}
			o += k
		}
	}
	return i, nil
}
