package imageio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image/color"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/suyashkumar/dicom/pkg/tag"

	"github.com/screenlab/screenlab/datasets/imageio/codec"
)

// Limits bound what reading one image may allocate, checked from the
// file's headers before any decoder allocates: a hostile or broken file
// (a decompression bomb, a DICOM element declaring 4 GB, sequences nested
// a thousand deep) is an error for that file alone.
type Limits struct {
	// MaxFileBytes is the largest file read (default 1 GiB).
	MaxFileBytes int64
	// MaxPixels is the most width × height (default 40 million: a
	// full-field mammogram has about 21 million).
	MaxPixels int64
	// MaxDecodedBytes is the most a decoder's pixel buffer may take (the
	// DICOM pixel data; a PNG or TIFF's pixels at its bit depth; default
	// 256 MiB).
	MaxDecodedBytes int64
	// MaxElementBytes is the largest DICOM element other than the pixel
	// data (default 16 MiB).
	MaxElementBytes int64
	// MaxDepth is the deepest DICOM sequence nesting (default 16).
	MaxDepth int
}

// DefaultLimits are the limits Read applies.
var DefaultLimits = Limits{MaxFileBytes: 1 << 30, MaxPixels: 40_000_000, MaxDecodedBytes: 256 << 20, MaxElementBytes: 16 << 20, MaxDepth: 16}

// orDefault fills unset limits from DefaultLimits.
func (l Limits) orDefault() Limits {
	d := DefaultLimits
	if l.MaxFileBytes > 0 {
		d.MaxFileBytes = l.MaxFileBytes
	}
	if l.MaxPixels > 0 {
		d.MaxPixels = l.MaxPixels
	}
	if l.MaxDecodedBytes > 0 {
		d.MaxDecodedBytes = l.MaxDecodedBytes
	}
	if l.MaxElementBytes > 0 {
		d.MaxElementBytes = l.MaxElementBytes
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	return d
}

// ErrTooLarge is wrapped when a file passes a limit; ErrNotRegular when a
// path is a directory, a FIFO, a device or a socket (reading one could
// block for ever or never end).
var (
	ErrTooLarge   = errors.New("beyond the image limits")
	ErrNotRegular = errors.New("not a regular file")
)

// openRegular opens a regular file within the size limit.
func openRegular(path string, lim Limits) (*os.File, int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%w: %s", ErrNotRegular, kindOf(st.Mode()))
	}
	if st.Size() > lim.MaxFileBytes {
		return nil, 0, fmt.Errorf("%w: %d bytes (the limit is %d)", ErrTooLarge, st.Size(), lim.MaxFileBytes)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	// The file may have been swapped between the two calls.
	if st2, err := f.Stat(); err != nil || !st2.Mode().IsRegular() || st2.Size() > lim.MaxFileBytes {
		f.Close()
		return nil, 0, fmt.Errorf("%w: it changed while being opened", ErrNotRegular)
	}
	return f, st.Size(), nil
}

func kindOf(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

// checkDecoded refuses a width × height image of a colour model beyond the
// limits, before it is decoded.
func checkDecoded(w, h int, cm color.Model, lim Limits) error {
	px := int64(w) * int64(h)
	if px > lim.MaxPixels {
		return fmt.Errorf("%w: %d×%d = %d pixels (the limit is %d)", ErrTooLarge, w, h, px, lim.MaxPixels)
	}
	bpp := int64(4)
	switch cm {
	case color.GrayModel, color.AlphaModel:
		bpp = 1
	case color.Gray16Model, color.Alpha16Model:
		bpp = 2
	case color.RGBA64Model, color.NRGBA64Model:
		bpp = 8
	}
	if px*bpp > lim.MaxDecodedBytes {
		return fmt.Errorf("%w: %d×%d pixels at %d bytes each would take %d MiB to decode (the limit is %d MiB)", ErrTooLarge, w, h, bpp, px*bpp>>20, lim.MaxDecodedBytes>>20)
	}
	return nil
}

// dicomScan walks a DICOM file's element structure without reading
// values: every declared length must fit in what remains of its container
// and within the limits, sequences may nest MaxDepth deep, and the
// transfer syntax must be one screenlab decodes. It runs before the DICOM
// decoder, which trusts declared lengths (PS3.5 §7: data elements, §7.5:
// nesting of data sets).
type dicomScan struct {
	f        *os.File
	pos      int64
	size     int64
	bo       binary.ByteOrder
	explicit bool
	lim      Limits
	buf      [8]byte
	// fragments of encapsulated (compressed) pixel data: where each lies
	// in the file, after the basic offset table.
	fragments []span
	syntax    string
}

// span is a byte range of the file.
type span struct{ off, n int64 }

// maxFragments bounds the fragments of one image's pixel data.
const maxFragments = 1 << 16

// scanned is what scanDICOM found: the transfer syntax and, for a
// compressed one, the pixel data's fragments.
type scanned struct {
	syntax    string
	fragments []span
}

var errItemEnd = errors.New("item delimitation")

// scanDICOM checks path (after the preamble check) and returns its
// transfer syntax and, when compressed, its pixel data's fragments.
func scanDICOM(path string, lim Limits) (scanned, error) {
	f, size, err := openRegular(path, lim)
	if err != nil {
		return scanned{}, err
	}
	defer f.Close()
	s := &dicomScan{f: f, size: size, bo: binary.LittleEndian, explicit: true, lim: lim, pos: 132}
	if _, err := f.Seek(132, io.SeekStart); err != nil {
		return scanned{}, err
	}
	// File meta information: group 0002, explicit VR little endian.
	syntax := ""
	for s.pos+8 <= s.size {
		start := s.pos
		g, e, vr, n, err := s.header()
		if err != nil {
			return scanned{}, err
		}
		if g != 0x0002 {
			if _, err := f.Seek(start, io.SeekStart); err != nil {
				return scanned{}, err
			}
			s.pos = start
			break
		}
		if n > s.size-s.pos || n > 1<<16 {
			return scanned{}, fmt.Errorf("corrupt DICOM: meta element (%04X,%04X) %s declares %d bytes", g, e, vr, n)
		}
		if e == 0x0010 {
			v := make([]byte, n)
			if _, err := io.ReadFull(f, v); err != nil {
				return scanned{}, fmt.Errorf("corrupt DICOM: %w", err)
			}
			s.pos += n
			syntax = strings.TrimRight(string(v), "\x00 ")
			continue
		}
		if err := s.skip(n); err != nil {
			return scanned{}, err
		}
	}
	s.syntax = syntax
	_, compressed := codec.Lookup(syntax)
	switch {
	case syntax == "1.2.840.10008.1.2", syntax == "":
		s.explicit = false
	case syntax == "1.2.840.10008.1.2.1", compressed:
	case syntax == "1.2.840.10008.1.2.2":
		s.bo = binary.BigEndian
	default:
		name := syntax
		switch {
		case strings.HasPrefix(syntax, "1.2.840.10008.1.2.4.9"):
			name += " (JPEG 2000)"
		case strings.HasPrefix(syntax, "1.2.840.10008.1.2.4."):
			name += " (JPEG)"
		case syntax == "1.2.840.10008.1.2.1.99":
			name += " (deflated)"
		}
		return scanned{syntax: syntax}, fmt.Errorf("%w: transfer syntax %s; screenlab reads uncompressed DICOM, RLE, JPEG (baseline, extended, lossless), JPEG-LS and JPEG 2000 (convert with e.g. gdcmconv --raw)", ErrUnsupported, name)
	}
	if err := s.dataset(s.size, 0); err != nil && err != errItemEnd {
		return scanned{syntax: syntax}, err
	}
	if compressed && s.fragments == nil {
		return scanned{syntax: syntax}, fmt.Errorf("corrupt DICOM: a compressed transfer syntax (%s) without encapsulated pixel data", syntax)
	}
	return scanned{syntax: syntax, fragments: s.fragments}, nil
}

// longVR are the explicit VRs with a 4-byte length (PS3.5 Table 7.1-1).
var longVR = map[string]bool{"OB": true, "OD": true, "OF": true, "OL": true, "OV": true, "OW": true, "SQ": true, "SV": true, "UC": true, "UN": true, "UR": true, "UT": true, "UV": true}

// header reads an element header: tag, VR ("" for implicit VR and for
// items and delimiters) and length (0xFFFFFFFF: undefined).
func (s *dicomScan) header() (g, e uint16, vr string, n int64, err error) {
	bo := s.bo
	if err = s.read(4); err != nil {
		return
	}
	g, e = bo.Uint16(s.buf[:2]), bo.Uint16(s.buf[2:4])
	if g == 0xFFFE || !s.explicit {
		if err = s.read(4); err != nil {
			return
		}
		return g, e, "", int64(bo.Uint32(s.buf[:4])), nil
	}
	if err = s.read(2); err != nil {
		return
	}
	vr = string(s.buf[:2])
	if longVR[vr] {
		if err = s.read(6); err != nil {
			return
		}
		return g, e, vr, int64(bo.Uint32(s.buf[2:6])), nil
	}
	if err = s.read(2); err != nil {
		return
	}
	return g, e, vr, int64(bo.Uint16(s.buf[:2])), nil
}

func (s *dicomScan) read(n int) error {
	if _, err := io.ReadFull(s.f, s.buf[:n]); err != nil {
		return fmt.Errorf("corrupt DICOM: truncated at byte %d", s.pos)
	}
	s.pos += int64(n)
	return nil
}

func (s *dicomScan) skip(n int64) error {
	if _, err := s.f.Seek(n, io.SeekCurrent); err != nil {
		return err
	}
	s.pos += n
	return nil
}

const undefined = 0xFFFFFFFF

// dataset checks elements up to end; it returns errItemEnd at an item
// delimiter.
func (s *dicomScan) dataset(end int64, depth int) error {
	for s.pos < end {
		g, e, vr, n, err := s.header()
		if err != nil {
			return err
		}
		if g == 0xFFFE {
			if e == 0xE00D {
				return errItemEnd
			}
			return fmt.Errorf("corrupt DICOM: an item tag (FFFE,%04X) outside a sequence at byte %d", e, s.pos-8)
		}
		isSeq := vr == "SQ"
		if !s.explicit || vr == "UN" {
			if info, err := tag.Find(tag.Tag{Group: g, Element: e}); err == nil && len(info.VRs) > 0 && info.VRs[0] == "SQ" {
				isSeq = true
			}
		}
		pixel := g == 0x7FE0 && e == 0x0010
		switch {
		case n == undefined && pixel:
			if err := s.encapsulated(end, depth); err != nil {
				return err
			}
		case n == undefined || isSeq:
			if depth+1 > s.lim.MaxDepth {
				return fmt.Errorf("%w: sequences nested more than %d deep (element (%04X,%04X))", ErrTooLarge, s.lim.MaxDepth, g, e)
			}
			stop := end
			if n != undefined {
				if n > end-s.pos {
					return fmt.Errorf("corrupt DICOM: sequence (%04X,%04X) declares %d bytes; %d remain", g, e, n, end-s.pos)
				}
				stop = s.pos + n
			}
			if err := s.items(stop, depth+1, n == undefined); err != nil {
				return err
			}
		default:
			if n > end-s.pos {
				return fmt.Errorf("corrupt DICOM: element (%04X,%04X) declares %d bytes; %d remain (truncated or lying)", g, e, n, end-s.pos)
			}
			limit, what := s.lim.MaxElementBytes, "an element"
			if pixel {
				limit, what = s.lim.MaxDecodedBytes, "the pixel data"
			}
			if n > limit {
				return fmt.Errorf("%w: %s (%04X,%04X) of %d MiB (the limit is %d MiB)", ErrTooLarge, what, g, e, n>>20, limit>>20)
			}
			if err := s.skip(n); err != nil {
				return err
			}
		}
	}
	return nil
}

// items checks the items of a sequence up to end (or, for an undefined
// length, up to its delimiter).
func (s *dicomScan) items(end int64, depth int, open bool) error {
	for s.pos < end {
		g, e, _, n, err := s.header()
		if err != nil {
			return err
		}
		switch {
		case g == 0xFFFE && e == 0xE0DD:
			if open {
				return nil
			}
			return fmt.Errorf("corrupt DICOM: a sequence delimiter in a sequence of defined length at byte %d", s.pos-8)
		case g == 0xFFFE && e == 0xE000 && n == undefined:
			if err := s.dataset(end, depth); err != errItemEnd {
				if err == nil {
					err = fmt.Errorf("corrupt DICOM: an item without its delimiter (truncated)")
				}
				return err
			}
		case g == 0xFFFE && e == 0xE000:
			if n > end-s.pos {
				return fmt.Errorf("corrupt DICOM: an item declares %d bytes; %d remain", n, end-s.pos)
			}
			if err := s.dataset(s.pos+n, depth); err != nil {
				if err == errItemEnd {
					err = fmt.Errorf("corrupt DICOM: an item delimiter in an item of defined length")
				}
				return err
			}
		default:
			return fmt.Errorf("corrupt DICOM: (%04X,%04X) where a sequence item was expected at byte %d", g, e, s.pos-8)
		}
	}
	if open {
		return fmt.Errorf("corrupt DICOM: a sequence without its delimiter (truncated)")
	}
	return nil
}

// encapsulated checks encapsulated pixel data (PS3.5 §A.4): a basic
// offset table item, then fragment items, then a sequence delimiter; it
// records where the fragments lie. Only a compressed transfer syntax may
// encapsulate, and only at the top level.
func (s *dicomScan) encapsulated(end int64, depth int) error {
	if depth > 0 {
		return fmt.Errorf("corrupt DICOM: encapsulated pixel data inside a sequence")
	}
	if _, ok := codec.Lookup(s.syntax); !ok {
		return fmt.Errorf("%w: encapsulated (compressed) pixel data in transfer syntax %q", ErrUnsupported, s.syntax)
	}
	if s.fragments != nil {
		return fmt.Errorf("corrupt DICOM: a second pixel data element")
	}
	s.fragments = []span{}
	var total int64
	for item := 0; ; item++ {
		g, e, _, n, err := s.header()
		if err != nil {
			return err
		}
		switch {
		case g == 0xFFFE && e == 0xE0DD:
			if item == 0 {
				return fmt.Errorf("corrupt DICOM: encapsulated pixel data without its offset table")
			}
			if len(s.fragments) == 0 {
				return fmt.Errorf("corrupt DICOM: encapsulated pixel data with no fragments")
			}
			return nil
		case g != 0xFFFE || e != 0xE000:
			return fmt.Errorf("corrupt DICOM: (%04X,%04X) where a pixel data fragment was expected at byte %d", g, e, s.pos-8)
		case n == undefined || n > end-s.pos:
			return fmt.Errorf("corrupt DICOM: a pixel data fragment declares %d bytes; %d remain (truncated or lying)", n, end-s.pos)
		}
		if item > 0 {
			total += n
			if total > s.lim.MaxDecodedBytes {
				return fmt.Errorf("%w: compressed pixel data of more than %d MiB (the limit)", ErrTooLarge, s.lim.MaxDecodedBytes>>20)
			}
			if len(s.fragments) == maxFragments {
				return fmt.Errorf("%w: pixel data in more than %d fragments", ErrTooLarge, maxFragments)
			}
			s.fragments = append(s.fragments, span{s.pos, n})
		}
		if err := s.skip(n); err != nil {
			return err
		}
	}
}
