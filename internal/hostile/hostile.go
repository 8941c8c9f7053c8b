// Package hostile builds the files of attacks on screenlab's readers for
// tests and fuzz corpora: DICOM files written byte by byte (lengths and
// nestings no honest writer produces) and PNG decompression bombs.
package hostile

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// DICOM is a DICOM file written by hand, explicit VR little endian unless
// its transfer syntax says otherwise (the lengths are written as given).
type DICOM struct{ b bytes.Buffer }

// ExplicitLE is the explicit VR little endian transfer syntax.
const ExplicitLE = "1.2.840.10008.1.2.1"

// NewDICOM starts a file: preamble, DICM, the meta group with syntax.
func NewDICOM(syntax string) *DICOM {
	r := &DICOM{}
	r.b.Write(make([]byte, 128))
	r.b.WriteString("DICM")
	ts := syntax
	if len(ts)%2 == 1 {
		ts += "\x00"
	}
	r.Elem(0x0002, 0x0000, "UL", binary.LittleEndian.AppendUint32(nil, uint32(8+len(ts))))
	r.Elem(0x0002, 0x0010, "UI", []byte(ts))
	return r
}

// longVR are the explicit VRs with a 4-byte length (PS3.5 Table 7.1-1).
var longVR = map[string]bool{"OB": true, "OD": true, "OF": true, "OL": true, "OV": true, "OW": true, "SQ": true, "SV": true, "UC": true, "UN": true, "UR": true, "UT": true, "UV": true}

// Elem adds an element with its true length.
func (r *DICOM) Elem(g, e uint16, vr string, v []byte) *DICOM {
	return r.ElemLen(g, e, vr, uint32(len(v)), v)
}

// ElemLen adds an element header declaring n bytes, then v (which may be
// shorter or longer: the attack).
func (r *DICOM) ElemLen(g, e uint16, vr string, n uint32, v []byte) *DICOM {
	le := binary.LittleEndian
	var h [12]byte
	le.PutUint16(h[0:], g)
	le.PutUint16(h[2:], e)
	copy(h[4:], vr)
	if longVR[vr] {
		le.PutUint32(h[8:], n)
		r.b.Write(h[:12])
	} else {
		le.PutUint16(h[6:], uint16(n))
		r.b.Write(h[:8])
	}
	r.b.Write(v)
	return r
}

// Tag adds an item or delimiter tag (no VR) with length n.
func (r *DICOM) Tag(g, e uint16, n uint32) *DICOM {
	var h [8]byte
	binary.LittleEndian.PutUint16(h[0:], g)
	binary.LittleEndian.PutUint16(h[2:], e)
	binary.LittleEndian.PutUint32(h[4:], n)
	r.b.Write(h[:])
	return r
}

// US is a little-endian unsigned short value.
func US(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }

// Mammogram adds the tags of an MG image of w×h 16-bit (12 stored) pixels.
func (r *DICOM) Mammogram(w, h uint16) *DICOM {
	return r.Elem(0x0008, 0x0060, "CS", []byte("MG")).
		Elem(0x0028, 0x0002, "US", US(1)).
		Elem(0x0028, 0x0004, "CS", []byte("MONOCHROME2 ")).
		Elem(0x0028, 0x0010, "US", US(h)).
		Elem(0x0028, 0x0011, "US", US(w)).
		Elem(0x0028, 0x0100, "US", US(16)).
		Elem(0x0028, 0x0101, "US", US(12)).
		Elem(0x0028, 0x0102, "US", US(11)).
		Elem(0x0028, 0x0103, "US", US(0))
}

// Pixels adds native 16-bit pixel data of w×h with some contrast.
func (r *DICOM) Pixels(w, h int) *DICOM {
	px := make([]byte, 2*w*h)
	for i := 0; i < w*h; i++ {
		binary.LittleEndian.PutUint16(px[2*i:], uint16((i*37)%4096))
	}
	return r.Elem(0x7FE0, 0x0010, "OW", px)
}

// Nested adds depth sequences of undefined length, each in an item of
// the one before, never closed.
func (r *DICOM) Nested(depth int) *DICOM {
	for range depth {
		r.ElemLen(0x0040, 0xA730, "SQ", 0xFFFFFFFF, nil).Tag(0xFFFE, 0xE000, 0xFFFFFFFF)
	}
	return r
}

// Bytes returns the file.
func (r *DICOM) Bytes() []byte { return r.b.Bytes() }

// PNGBomb returns a w×h 16-bit PNG of zeros, greyscale (colour type 0) or
// RGBA (6): a few hundred kilobytes that decode to w·h·2 (or ·8) bytes.
func PNGBomb(w, h int, colourType byte) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		c := crc32.NewIEEE()
		c.Write([]byte(kind))
		c.Write(data)
		out.WriteString(kind)
		out.Write(data)
		binary.Write(&out, binary.BigEndian, c.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 16, colourType
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	bpp := 2
	if colourType == 6 {
		bpp = 8
	}
	line := make([]byte, 1+w*bpp)
	for range h {
		zw.Write(line)
	}
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}
