package imageio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/suyashkumar/dicom"
	"github.com/suyashkumar/dicom/pkg/tag"
	"golang.org/x/image/tiff"

	"github.com/screenlab/screenlab/datasets/imageio/codec"
)

// Mammogram is a decoded image: row-major display intensities in [0, 1]
// (1 = bright tissue), with what the file says about it.
//
// An image read by ReadCoded from a 16-bit DICOM is held coded instead:
// Pixels is nil and the intensity of pixel i is Values[Samples[i]] (the
// stored samples and the value map over every sample value), which saves
// a float copy of a full-field view; Decode fills Pixels.
type Mammogram struct {
	Width, Height int
	Pixels        []float32
	Samples       []uint16  // coded: the stored samples, row-major
	Values        []float32 // coded: the intensity of each sample value (1<<16 of them)
	Laterality    string    // "L" or "R" (DICOM ImageLaterality), "" when unknown
	View          string    // "CC" or "MLO" (DICOM ViewPosition), "" when unknown
	Intent        string    // "FOR PRESENTATION" or "FOR PROCESSING", "" when unknown
	BitsStored    int
}

// At returns the intensity at (x, y).
func (m *Mammogram) At(x, y int) float32 {
	if m.Pixels == nil {
		return m.Values[m.Samples[y*m.Width+x]]
	}
	return m.Pixels[y*m.Width+x]
}

// Coded reports whether the image is held as Samples and Values.
func (m *Mammogram) Coded() bool { return m.Pixels == nil && m.Samples != nil }

// Decode fills Pixels of a coded image (and drops the samples); it does
// nothing to one that is not coded.
func (m *Mammogram) Decode() {
	if !m.Coded() {
		return
	}
	m.Pixels = make([]float32, len(m.Samples))
	for i, v := range m.Samples {
		m.Pixels[i] = m.Values[v]
	}
	m.Samples, m.Values = nil, nil
}

// ErrUnsupported is wrapped for files screenlab cannot decode.
var ErrUnsupported = errors.New("unsupported image")

// Read decodes an image file by its extension (.dcm or no extension:
// DICOM; .png; .tif/.tiff) within DefaultLimits. Errors name the file.
func Read(path string) (*Mammogram, error) { return ReadLimited(path, DefaultLimits) }

// ReadCoded is ReadLimited, except that a 16-bit greyscale DICOM (the
// usual mammogram) comes back coded (see Mammogram): the same intensities
// without a float copy of every pixel. Other files come back decoded.
func ReadCoded(path string, lim Limits) (*Mammogram, error) {
	return read(path, lim, true)
}

// ReadLimited is Read within lim (unset fields take DefaultLimits): what
// is not a regular file, or is larger than the limits say, is refused from
// its headers before anything is decoded.
func ReadLimited(path string, lim Limits) (*Mammogram, error) {
	return read(path, lim, false)
}

func read(path string, lim Limits, coded bool) (*Mammogram, error) {
	lim = lim.orDefault()
	var m *Mammogram
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		m, err = readStd(path, "png", lim)
	case ".tif", ".tiff":
		m, err = readStd(path, "tiff", lim)
	default:
		m, err = readDICOM(path, lim, coded)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func readStd(path, format string, lim Limits) (*Mammogram, error) {
	f, _, err := openRegular(path, lim)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The size first, to refuse a thumbnail or a bomb before allocating.
	var cfg image.Config
	if format == "png" {
		cfg, err = png.DecodeConfig(f)
	} else {
		cfg, err = tiff.DecodeConfig(f)
	}
	if err != nil {
		return nil, fmt.Errorf("corrupt or unreadable %s: %w", format, err)
	}
	if cfg.Width < MinSide || cfg.Height < MinSide || cfg.Width > MaxSide || cfg.Height > MaxSide {
		return nil, fmt.Errorf("%w: %d×%d pixels (want %d to %d a side)", ErrNotMammogram, cfg.Width, cfg.Height, MinSide, MaxSide)
	}
	if err := checkDecoded(cfg.Width, cfg.Height, cfg.ColorModel, lim); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	var img image.Image
	if format == "png" {
		img, err = png.Decode(f)
	} else {
		img, err = tiff.Decode(f)
	}
	if err != nil {
		return nil, fmt.Errorf("corrupt or unreadable %s: %w", format, err)
	}
	b := img.Bounds()
	m := &Mammogram{Width: b.Dx(), Height: b.Dy(), Pixels: make([]float32, b.Dx()*b.Dy()), BitsStored: 8}
	switch g := img.(type) {
	case *image.Gray16:
		m.BitsStored = 16
		for y := 0; y < m.Height; y++ {
			for x := 0; x < m.Width; x++ {
				m.Pixels[y*m.Width+x] = float32(g.Gray16At(b.Min.X+x, b.Min.Y+y).Y) / 65535
			}
		}
	default:
		for y := 0; y < m.Height; y++ {
			for x := 0; x < m.Width; x++ {
				r, gg, bb, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				m.Pixels[y*m.Width+x] = float32(0.299*float64(r)+0.587*float64(gg)+0.114*float64(bb)) / 65535
			}
		}
	}
	if constantImage(m.Pixels) {
		return nil, fmt.Errorf("%w: every pixel shows the same value", ErrNoContrast)
	}
	return m, nil
}

// constantImage reports an image without contrast.
func constantImage(px []float32) bool {
	for _, v := range px {
		if v != px[0] {
			return false
		}
	}
	return true
}

func str(ds *dicom.Dataset, t tag.Tag) string {
	e, err := ds.FindElementByTag(t)
	if err != nil {
		return ""
	}
	if s, ok := e.Value.GetValue().([]string); ok && len(s) > 0 {
		return strings.TrimSpace(s[0])
	}
	return ""
}

func num(ds *dicom.Dataset, t tag.Tag, def float64) float64 {
	e, err := ds.FindElementByTag(t)
	if err != nil {
		return def
	}
	switch v := e.Value.GetValue().(type) {
	case []int:
		if len(v) > 0 {
			return float64(v[0])
		}
	case []string:
		if len(v) > 0 {
			s := strings.TrimSpace(strings.Split(v[0], "\\")[0])
			if x, err := strconv.ParseFloat(s, 64); err == nil {
				return x
			}
		}
	case []float64:
		if len(v) > 0 {
			return v[0]
		}
	}
	return def
}

// readDICOM decodes a single-frame grayscale DICOM: stored values are
// rescaled (slope, intercept), mapped through the window (centre, width;
// the full stored range when absent) to [0, 1] as DICOM PS3.3 C.11.2.1.2
// prescribes, and inverted for MONOCHROME1.
func readDICOM(path string, lim Limits, coded bool) (m *Mammogram, err error) {
	if err := checkPreamble(path, lim); err != nil {
		return nil, err
	}
	// The structure, before the decoder trusts any declared length.
	sc, err := scanDICOM(path, lim)
	if err != nil {
		return nil, err
	}
	syntax := sc.syntax
	// The decoder can panic on corrupt input; that must be an error here.
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("corrupt DICOM: the decoder failed (%v)", r)
		}
	}()
	// The header and the pixel bytes as they are (lengths already checked
	// by scanDICOM), to refuse what cannot be decoded before the decoder
	// tries: the pixel data is not decoded here.
	headOpt := dicom.SkipPixelData()
	if rawPixels16 && sc.fragments == nil {
		headOpt = dicom.SkipProcessingPixelDataValue()
	}
	head, err := dicom.ParseFile(path, nil, headOpt)
	if err != nil {
		return nil, fmt.Errorf("corrupt or not DICOM: %w", err)
	}
	// (The transfer syntax was checked by scanDICOM.)
	photo := str(&head, tag.PhotometricInterpretation)
	if photo != "MONOCHROME1" && photo != "MONOCHROME2" {
		return nil, fmt.Errorf("%w: photometric interpretation %q (want MONOCHROME1 or MONOCHROME2)", ErrUnsupported, photo)
	}
	if err := checkMammogramHeader(&head, lim); err != nil {
		return nil, err
	}
	// 16-bit little-endian greyscale, the usual mammogram, is read as raw
	// bytes and mapped through a table of every sample value: the
	// decoder's frames cost about half a second for a full-field view.
	if sc.fragments != nil {
		return readCompressed(path, &head, photo, sc, coded)
	}
	fast := rawPixels16 && syntax != "1.2.840.10008.1.2.2" && num(&head, tag.BitsAllocated, 0) == 16 && num(&head, tag.SamplesPerPixel, 1) == 1
	if fast {
		return read16(&head, photo, coded)
	}
	ds, err := dicom.ParseFile(path, nil)
	if err != nil {
		return nil, fmt.Errorf("corrupt DICOM: %w", err)
	}
	pe, err := ds.FindElementByTag(tag.PixelData)
	if err != nil {
		return nil, fmt.Errorf("no pixel data")
	}
	info, ok := pe.Value.GetValue().(dicom.PixelDataInfo)
	if !ok || len(info.Frames) == 0 || info.ParseErr != nil {
		return nil, fmt.Errorf("unreadable pixel data: %v", info.ParseErr)
	}
	if info.IsEncapsulated {
		return nil, fmt.Errorf("%w: encapsulated (compressed) pixel data", ErrUnsupported)
	}
	nf, err := info.Frames[0].GetNativeFrame()
	if err != nil {
		return nil, err
	}
	rows, cols := nf.Rows(), nf.Cols()
	if spp := nf.SamplesPerPixel(); spp != 1 {
		return nil, fmt.Errorf("%w: %d samples per pixel (want 1, greyscale)", ErrUnsupported, spp)
	}
	m, voi, err := newMammogram(&ds, rows, cols)
	if err != nil {
		return nil, err
	}
	m.Pixels = make([]float32, rows*cols)
	var n int
	switch raw := nf.RawDataSlice().(type) {
	case []uint8:
		n = mapSamples(m.Pixels, raw, voi)
	case []uint16:
		n = mapSamples(m.Pixels, raw, voi)
	case []uint32:
		n = mapSamples(m.Pixels, raw, voi)
	case []int8:
		n = mapSamples(m.Pixels, raw, voi)
	case []int16:
		n = mapSamples(m.Pixels, raw, voi)
	case []int32:
		n = mapSamples(m.Pixels, raw, voi)
	case []int:
		n = mapSamples(m.Pixels, raw, voi)
	default:
		return nil, fmt.Errorf("%w: pixel samples of type %T", ErrUnsupported, raw)
	}
	if n != len(m.Pixels) {
		return nil, fmt.Errorf("pixel data holds %d values for %d×%d pixels (truncated?)", n, cols, rows)
	}
	return finishMammogram(m, photo)
}

// newMammogram checks a dataset's rescale and window and returns the
// image to fill and the map from a stored sample to [0, 1].
func newMammogram(ds *dicom.Dataset, rows, cols int) (*Mammogram, func(float64) float32, error) {
	bits := int(num(ds, tag.BitsStored, 16))
	slope, intercept := num(ds, tag.RescaleSlope, 1), num(ds, tag.RescaleIntercept, 0)
	if slope == 0 || math.IsNaN(slope) || math.IsInf(slope, 0) || math.IsNaN(intercept) || math.IsInf(intercept, 0) {
		return nil, nil, fmt.Errorf("%w: rescale slope %v, intercept %v: no usable contrast", ErrNoContrast, slope, intercept)
	}
	if w := num(ds, tag.WindowWidth, 1); w <= 0 || math.IsNaN(w) {
		return nil, nil, fmt.Errorf("%w: window width %v", ErrNoContrast, w)
	}
	lo, hi := intercept, slope*float64(int(1)<<bits-1)+intercept
	centre := num(ds, tag.WindowCenter, (lo+hi)/2)
	width := num(ds, tag.WindowWidth, hi-lo+1)
	if width < 1 {
		width = 1
	}
	m := &Mammogram{Width: cols, Height: rows, BitsStored: bits,
		Laterality: str(ds, tag.ImageLaterality), View: str(ds, tag.ViewPosition), Intent: str(ds, tag.PresentationIntentType)}
	if m.Laterality == "" {
		m.Laterality = str(ds, tag.Laterality)
	}
	voi, err := voiTransform(ds, slope, intercept, centre, width)
	if err != nil {
		return nil, nil, err
	}
	return m, voi, nil
}

// finishMammogram inverts MONOCHROME1 and refuses an image of one value.
func finishMammogram(m *Mammogram, photo string) (*Mammogram, error) {
	if photo == "MONOCHROME1" {
		for i, d := range m.Pixels {
			m.Pixels[i] = 1 - d
		}
	}
	if constantImage(m.Pixels) {
		return nil, fmt.Errorf("%w: every pixel shows the same value", ErrNoContrast)
	}
	return m, nil
}

// littleEndianHost: the machine stores a uint16 as the file does.
var littleEndianHost = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// rawPixels16 turns the raw 16-bit path on (tests compare it with the
// decoder's).
var rawPixels16 = true

// read16 maps 16-bit little-endian samples, read as raw bytes, through a
// table of the value map over every sample value; coded, it keeps the
// samples and the table (see Mammogram).
func read16(ds *dicom.Dataset, photo string, coded bool) (*Mammogram, error) {
	pe, err := ds.FindElementByTag(tag.PixelData)
	if err != nil {
		return nil, fmt.Errorf("no pixel data")
	}
	info, ok := pe.Value.GetValue().(dicom.PixelDataInfo)
	if !ok || info.ParseErr != nil {
		return nil, fmt.Errorf("unreadable pixel data: %v", info.ParseErr)
	}
	if info.IsEncapsulated {
		return nil, fmt.Errorf("%w: encapsulated (compressed) pixel data", ErrUnsupported)
	}
	rows, cols := int(num(ds, tag.Rows, 0)), int(num(ds, tag.Columns, 0))
	m, voi, err := newMammogram(ds, rows, cols)
	if err != nil {
		return nil, err
	}
	raw, n := info.UnprocessedValueData, rows*cols
	if len(raw)/2 < n {
		return nil, fmt.Errorf("pixel data holds %d values for %d×%d pixels (truncated?)", len(raw)/2, cols, rows)
	}
	var samples []uint16
	if littleEndianHost && uintptr(unsafe.Pointer(unsafe.SliceData(raw)))%2 == 0 {
		// The bytes as uint16 samples in place (Go's allocator aligns them).
		samples = unsafe.Slice((*uint16)(unsafe.Pointer(unsafe.SliceData(raw))), n)
	} else {
		samples = make([]uint16, n)
		for i := range samples {
			samples[i] = binary.LittleEndian.Uint16(raw[2*i:])
		}
	}
	return codedMammogram(m, ds, photo, samples, voi, coded)
}

// codedMammogram gives m the stored samples and a table of the value map
// over every sample value (decoded unless coded).
func codedMammogram(m *Mammogram, ds *dicom.Dataset, photo string, samples []uint16, voi func(float64) float32, coded bool) (*Mammogram, error) {
	lut := make([]float32, 1<<16)
	signed := num(ds, tag.PixelRepresentation, 0) == 1
	for v := range lut {
		if signed {
			lut[v] = voi(float64(int16(uint16(v))))
		} else {
			lut[v] = voi(float64(v))
		}
		if photo == "MONOCHROME1" {
			lut[v] = 1 - lut[v]
		}
	}
	first := lut[samples[0]]
	if !slices.ContainsFunc(samples, func(v uint16) bool { return lut[v] != first }) {
		return nil, fmt.Errorf("%w: every pixel shows the same value", ErrNoContrast)
	}
	m.Samples, m.Values = samples, lut
	if !coded {
		m.Decode()
	}
	return m, nil
}

// Limits of what is scored as a mammogram.
const (
	MinSide = 16    // pixels: smaller is a thumbnail or an icon, not a view
	MaxSide = 16384 // pixels: a full-field mammogram is about 4096
)

// ErrNotMammogram and ErrNoContrast are wrapped when an image is not a
// mammogram view screenlab can score (another modality, several frames, a
// thumbnail) or shows nothing (no contrast): such an exam gets an error
// row with the reason, never a score.
var (
	ErrNotMammogram = errors.New("not a mammogram")
	ErrNoContrast   = errors.New("no usable contrast")
)

// checkMammogramHeader refuses, from the header alone (before the pixels
// are decoded and allocated), what is not a single-frame mammogram of a
// sensible size.
func checkMammogramHeader(ds *dicom.Dataset, lim Limits) error {
	if m := str(ds, tag.Modality); m != "" && m != "MG" {
		return fmt.Errorf("%w: modality %s (only MG is scored)", ErrNotMammogram, m)
	}
	if f := num(ds, tag.NumberOfFrames, 1); f > 1 {
		return fmt.Errorf("%w: a multi-frame object (%v frames; a view is one frame)", ErrNotMammogram, f)
	}
	rows, cols := num(ds, tag.Rows, 0), num(ds, tag.Columns, 0)
	if rows < MinSide || cols < MinSide || rows > MaxSide || cols > MaxSide {
		return fmt.Errorf("%w: %v×%v pixels (want %d to %d a side)", ErrNotMammogram, cols, rows, MinSide, MaxSide)
	}
	px, bytes := int64(rows)*int64(cols), int64(num(ds, tag.BitsAllocated, 16)+7)/8
	if px > lim.MaxPixels {
		return fmt.Errorf("%w: %v×%v = %d pixels (the limit is %d)", ErrTooLarge, cols, rows, px, lim.MaxPixels)
	}
	if px*bytes > lim.MaxDecodedBytes {
		return fmt.Errorf("%w: %v×%v pixels of %d bytes (the limit is %d MiB)", ErrTooLarge, cols, rows, bytes, lim.MaxDecodedBytes>>20)
	}
	return nil
}

// voiTransform returns the map from a stored sample s to a display value
// in [0, 1] (PS3.3 C.11.2.1): the modality rescale v = slope·s + intercept,
// then the first item of a VOI LUT Sequence when there is one (LUT
// Descriptor: entries, first mapped value, bits; values below the first
// entry take the first, above the last the last), else the window — linear,
// d = (v − (centre − 0.5))/(width − 1) + 0.5 clamped, or with VOI LUT
// Function SIGMOID, d = 1/(1 + exp(−4(v − centre)/width)).
func voiTransform(ds *dicom.Dataset, slope, intercept, centre, width float64) (func(float64) float32, error) {
	if e, err := ds.FindElementByTag(tag.VOILUTSequence); err == nil {
		items, _ := e.Value.GetValue().([]*dicom.SequenceItemValue)
		if len(items) > 0 {
			return lutTransform(items[0], slope, intercept)
		}
	}
	switch f := str(ds, tag.VOILUTFunction); f {
	case "", "LINEAR":
		a := slope / (width - 1)
		b := (intercept-(centre-0.5))/(width-1) + 0.5
		return func(s float64) float32 { return float32(math.Min(1, math.Max(0, a*s+b))) }, nil
	case "LINEAR_EXACT":
		a := slope / width
		b := (intercept-centre)/width + 0.5
		return func(s float64) float32 { return float32(math.Min(1, math.Max(0, a*s+b))) }, nil
	case "SIGMOID":
		return func(s float64) float32 {
			return float32(1 / (1 + math.Exp(-4*(slope*s+intercept-centre)/width)))
		}, nil
	default:
		return nil, fmt.Errorf("%w: VOI LUT function %q", ErrUnsupported, f)
	}
}

func lutTransform(item *dicom.SequenceItemValue, slope, intercept float64) (func(float64) float32, error) {
	elems, _ := item.GetValue().([]*dicom.Element)
	var desc []int
	var data []int
	for _, e := range elems {
		switch e.Tag {
		case tag.LUTDescriptor:
			desc, _ = e.Value.GetValue().([]int)
		case tag.LUTData:
			switch v := e.Value.GetValue().(type) {
			case []int:
				data = v
			case []byte: // OW: little-endian 16-bit words
				for i := 0; i+1 < len(v); i += 2 {
					data = append(data, int(v[i])|int(v[i+1])<<8)
				}
			}
		}
	}
	if len(desc) != 3 || len(data) == 0 {
		return nil, fmt.Errorf("%w: VOI LUT without a descriptor or data", ErrUnsupported)
	}
	entries, first, bits := desc[0], desc[1], desc[2]
	if entries == 0 {
		entries = 65536 // PS3.3 C.11.1.1.1
	}
	if entries != len(data) || bits < 1 || bits > 16 {
		return nil, fmt.Errorf("corrupt VOI LUT: descriptor %v for %d values", desc, len(data))
	}
	top := float32(int(1)<<bits - 1)
	return func(s float64) float32 {
		k := int(math.Round(slope*s+intercept)) - first
		k = min(max(k, 0), entries-1)
		return float32(data[k]) / top
	}, nil
}

// mapSamples writes f(s) for each stored sample s into dst when the counts
// agree, and returns the number of samples.
func mapSamples[S uint8 | uint16 | uint32 | int8 | int16 | int32 | int](dst []float32, raw []S, f func(float64) float32) int {
	if len(raw) != len(dst) {
		return len(raw)
	}
	for i, s := range raw {
		dst[i] = f(float64(s))
	}
	return len(raw)
}

// checkPreamble requires the 128-byte preamble and "DICM" of a DICOM
// Part 10 file.
func checkPreamble(path string, lim Limits) error {
	f, _, err := openRegular(path, lim)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 132)
	if _, err := io.ReadFull(f, head); err != nil || string(head[128:]) != "DICM" {
		return errors.New("not a DICOM file (no DICM marker after the 128-byte preamble)")
	}
	return nil
}

// readCompressed decodes a compressed single-frame image: its fragments
// joined (one frame may span several), decoded by the syntax's codec to
// stored samples, then mapped as an uncompressed image would be.
func readCompressed(path string, ds *dicom.Dataset, photo string, sc scanned, coded bool) (*Mammogram, error) {
	rows, cols := int(num(ds, tag.Rows, 0)), int(num(ds, tag.Columns, 0))
	if spp := num(ds, tag.SamplesPerPixel, 1); spp != 1 {
		return nil, fmt.Errorf("%w: %v samples per pixel (want 1, greyscale)", ErrUnsupported, spp)
	}
	fr := codec.Frame{Rows: rows, Cols: cols, BitsAllocated: int(num(ds, tag.BitsAllocated, 16)),
		BitsStored: int(num(ds, tag.BitsStored, 16)), Signed: num(ds, tag.PixelRepresentation, 0) == 1}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var total int64
	for _, fg := range sc.fragments {
		total += fg.n
	}
	data := make([]byte, 0, total)
	for _, fg := range sc.fragments {
		b := data[len(data) : len(data)+int(fg.n)]
		if _, err := f.ReadAt(b, fg.off); err != nil {
			return nil, fmt.Errorf("corrupt DICOM: reading a pixel data fragment: %w", err)
		}
		data = data[:len(data)+int(fg.n)]
	}
	samples, err := codec.Decode(sc.syntax, data, fr)
	if err != nil {
		if errors.Is(err, codec.ErrUnsupported) {
			err = fmt.Errorf("%w: %w", ErrUnsupported, err)
		}
		return nil, err
	}
	if fr.Signed && fr.BitsStored < 16 {
		// Two's complement within BitsStored bits, as 16-bit patterns.
		sign, ext := uint16(1)<<(fr.BitsStored-1), ^uint16(0)<<fr.BitsStored
		for i, v := range samples {
			if v&sign != 0 {
				samples[i] = v | ext
			}
		}
	}
	m, voi, err := newMammogram(ds, rows, cols)
	if err != nil {
		return nil, err
	}
	return codedMammogram(m, ds, photo, samples, voi, coded)
}
