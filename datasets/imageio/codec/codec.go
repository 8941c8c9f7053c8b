package codec

import (
	"errors"
	"fmt"
	"sync"
)

// Frame is what the DICOM header says one frame of pixel data holds.
type Frame struct {
	Rows, Cols    int
	BitsAllocated int // 8 or 16
	BitsStored    int
	Signed        bool // PixelRepresentation 1
}

// Errors wrapped by Decode.
var (
	// ErrUnsupported: a syntax or a variant of one that is not decoded.
	ErrUnsupported = errors.New("unsupported compressed image")
	// ErrMismatch: the codestream disagrees with the DICOM header.
	ErrMismatch = errors.New("the compressed image does not match its DICOM header")
	// ErrNoLibrary: the codec's shared library is missing (or cgo is off).
	ErrNoLibrary = errors.New("codec library not available")
)

// Syntax is a compressed transfer syntax screenlab decodes.
type Syntax struct {
	UID      string
	Name     string
	Lossless bool       // always exact (a lossy syntax may still be lossless)
	decode   DecodeFunc // nil: registered by codec/native
}

var syntaxes = []Syntax{
	{"1.2.840.10008.1.2.5", "RLE Lossless", true, decodeRLE},
	{"1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", false, decodeJPEG},
	{"1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", false, decodeJPEG},
	{"1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, decodeJPEG},
	{"1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, decodeJPEG},
	{"1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", true, nil},
	{"1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", false, nil},
	{"1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", true, nil},
	{"1.2.840.10008.1.2.4.91", "JPEG 2000", false, nil},
}

// DecodeFunc decodes one frame of a syntax (see Decode).
type DecodeFunc func(data []byte, f Frame) ([]uint16, error)

var (
	registryMu sync.RWMutex
	registry   = map[string]DecodeFunc{}
)

// Register installs the decoder of a syntax that has none in Go: package
// codec/native registers JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG), which
// need cgo, when a program imports it (as screenlab's command does), so
// that programs that do not decode them link no C.
func Register(uid string, f DecodeFunc) {
	registryMu.Lock()
	defer registryMu.Unlock()
	registry[uid] = f
}

func registered(uid string) DecodeFunc {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return registry[uid]
}

// Syntaxes lists the compressed transfer syntaxes Decode accepts.
func Syntaxes() []Syntax { return append([]Syntax(nil), syntaxes...) }

// Lookup returns the compressed syntax with this UID.
func Lookup(uid string) (Syntax, bool) {
	for _, s := range syntaxes {
		if s.UID == uid {
			return s, true
		}
	}
	return Syntax{}, false
}

// Decode decodes one frame of encapsulated pixel data (its fragments
// joined) in the transfer syntax uid to f.Rows × f.Cols stored samples,
// row-major, as the DICOM file would hold them uncompressed: the low
// BitsStored bits (a signed sample in two's complement within them).
func Decode(uid string, data []byte, f Frame) (samples []uint16, err error) {
	s, ok := Lookup(uid)
	if !ok {
		return nil, fmt.Errorf("%w: transfer syntax %s", ErrUnsupported, uid)
	}
	if f.Rows <= 0 || f.Cols <= 0 || (f.BitsAllocated != 8 && f.BitsAllocated != 16) || f.BitsStored < 1 || f.BitsStored > f.BitsAllocated {
		return nil, fmt.Errorf("%w: %d×%d pixels of %d bits stored in %d", ErrUnsupported, f.Cols, f.Rows, f.BitsStored, f.BitsAllocated)
	}
	defer func() {
		if r := recover(); r != nil {
			samples, err = nil, fmt.Errorf("corrupt %s data: the decoder failed (%v)", s.Name, r)
		}
	}()
	decode := s.decode
	if decode == nil {
		if decode = registered(s.UID); decode == nil {
			return nil, fmt.Errorf("%w: %s needs package datasets/imageio/codec/native (CharLS and OpenJPEG through cgo), which this program does not import", ErrNoLibrary, s.Name)
		}
	}
	samples, err = decode(data, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Name, err)
	}
	if len(samples) != f.Rows*f.Cols {
		return nil, fmt.Errorf("%s: %w: %d samples decoded for %d×%d pixels", s.Name, ErrMismatch, len(samples), f.Cols, f.Rows)
	}
	return samples, nil
}
