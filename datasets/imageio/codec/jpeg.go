package codec

import (
	"fmt"
	"math"
)

// decodeJPEG decodes a single-component JPEG codestream (ITU-T T.81,
// 1992): the DCT processes with Huffman coding — baseline (SOF0, 8-bit)
// and extended sequential (SOF1, 8 or 12-bit) — and the lossless process
// 14 (SOF3, 2 to 16 bits, predictors 1–7, point transform). Progressive,
// hierarchical and arithmetic-coded streams, and more than one component,
// are refused. The frame must be want's size; nothing larger is allocated.
func decodeJPEG(data []byte, want Frame) ([]uint16, error) {
	d := &jpegDecoder{data: data}
	return d.decode(want)
}

type huffTable struct {
	ok      bool
	lookup  [1 << lookBits]uint16 // code of ≤ lookBits bits: length<<8 | value; 0 when longer
	maxCode [18]int32             // T.81 F.2.2.3: largest code of each length (−1: none)
	valPtr  [17]int32
	minCode [17]int32
	values  []uint8
}

const lookBits = 9

type jpegDecoder struct {
	data []byte
	pos  int

	// frame
	sof       byte
	precision int
	width     int
	height    int
	qtSel     int
	compID    byte

	qt       [4][64]int32
	qtOK     [4]bool
	dc, ac   [4]huffTable
	restart  int
	gotFrame bool

	// scan
	tdSel, taSel int
	ss, se, al   int // lossless: Ss = predictor, Al = point transform

	// entropy-coded bits
	acc      uint64
	nbits    uint
	marker   byte // a marker met inside the entropy-coded data
	overread int  // zero bytes supplied past the end of the segment
}

func (d *jpegDecoder) errf(format string, a ...any) error {
	return fmt.Errorf("corrupt JPEG (byte %d): %s", d.pos, fmt.Sprintf(format, a...))
}

func (d *jpegDecoder) u16() (int, error) {
	if d.pos+2 > len(d.data) {
		return 0, d.errf("truncated")
	}
	v := int(d.data[d.pos])<<8 | int(d.data[d.pos+1])
	d.pos += 2
	return v, nil
}

// segment returns the body of a marker segment (after its length).
func (d *jpegDecoder) segment() ([]byte, error) {
	n, err := d.u16()
	if err != nil {
		return nil, err
	}
	if n < 2 || d.pos+n-2 > len(d.data) {
		return nil, d.errf("a marker segment of %d bytes runs past the end", n)
	}
	b := d.data[d.pos : d.pos+n-2]
	d.pos += n - 2
	return b, nil
}

// nextMarker skips fill bytes to the next marker and returns its code.
func (d *jpegDecoder) nextMarker() (byte, error) {
	if d.pos >= len(d.data) || d.data[d.pos] != 0xFF {
		return 0, d.errf("a marker expected")
	}
	for d.pos < len(d.data) && d.data[d.pos] == 0xFF {
		d.pos++
	}
	if d.pos >= len(d.data) {
		return 0, d.errf("truncated")
	}
	m := d.data[d.pos]
	d.pos++
	return m, nil
}

func (d *jpegDecoder) decode(want Frame) ([]uint16, error) {
	if len(d.data) < 4 || d.data[0] != 0xFF || d.data[1] != 0xD8 {
		return nil, fmt.Errorf("corrupt JPEG: no start-of-image marker")
	}
	d.pos = 2
	for {
		m, err := d.nextMarker()
		if err != nil {
			return nil, err
		}
		switch {
		case m == 0xC0 || m == 0xC1 || m == 0xC3:
			if err := d.readFrame(m, want); err != nil {
				return nil, err
			}
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC:
			return nil, fmt.Errorf("%w: JPEG process SOF%d (progressive, hierarchical or arithmetic-coded)", ErrUnsupported, m-0xC0)
		case m == 0xC4:
			if err := d.readDHT(); err != nil {
				return nil, err
			}
		case m == 0xDB:
			if err := d.readDQT(); err != nil {
				return nil, err
			}
		case m == 0xDD:
			b, err := d.segment()
			if err != nil {
				return nil, err
			}
			if len(b) != 2 {
				return nil, d.errf("a restart interval segment of %d bytes", len(b))
			}
			d.restart = int(b[0])<<8 | int(b[1])
		case m == 0xDA:
			if !d.gotFrame {
				return nil, d.errf("a scan before the frame header")
			}
			if err := d.readScan(); err != nil {
				return nil, err
			}
			if d.sof == 0xC3 {
				return d.losslessScan()
			}
			return d.dctScan()
		case m == 0xD9:
			return nil, d.errf("end of image before any scan")
		case m >= 0xE0 && m <= 0xEF, m == 0xFE, m == 0xDC:
			if _, err := d.segment(); err != nil {
				return nil, err
			}
		default:
			return nil, d.errf("unexpected marker FF%02X", m)
		}
	}
}

func (d *jpegDecoder) readFrame(m byte, want Frame) error {
	b, err := d.segment()
	if err != nil {
		return err
	}
	if d.gotFrame {
		return d.errf("a second frame header")
	}
	if len(b) < 6 {
		return d.errf("a frame header of %d bytes", len(b))
	}
	d.sof, d.precision = m, int(b[0])
	d.height, d.width = int(b[1])<<8|int(b[2]), int(b[3])<<8|int(b[4])
	nc := int(b[5])
	if nc != 1 {
		return fmt.Errorf("%w: a JPEG of %d components (a mammogram is greyscale, one component)", ErrUnsupported, nc)
	}
	if len(b) != 9 {
		return d.errf("a frame header of %d bytes for one component", len(b))
	}
	d.compID, d.qtSel = b[6], int(b[8])
	switch {
	case m == 0xC0 && d.precision != 8,
		m == 0xC1 && d.precision != 8 && d.precision != 12,
		m == 0xC3 && (d.precision < 2 || d.precision > 16):
		return d.errf("sample precision %d for SOF%d", d.precision, m-0xC0)
	}
	if d.qtSel > 3 {
		return d.errf("quantisation table %d", d.qtSel)
	}
	if d.width != want.Cols || d.height != want.Rows {
		return fmt.Errorf("%w: the JPEG frame is %d×%d, the DICOM header says %d×%d", ErrMismatch, d.width, d.height, want.Cols, want.Rows)
	}
	if d.precision > want.BitsAllocated {
		return fmt.Errorf("%w: %d-bit JPEG samples in %d-bit pixels", ErrMismatch, d.precision, want.BitsAllocated)
	}
	d.gotFrame = true
	return nil
}

func (d *jpegDecoder) readDQT() error {
	b, err := d.segment()
	if err != nil {
		return err
	}
	for len(b) > 0 {
		pq, tq := int(b[0]>>4), int(b[0]&15)
		if tq > 3 || pq > 1 {
			return d.errf("quantisation table %d of precision %d", tq, pq)
		}
		n := 64 << pq
		if len(b) < 1+n {
			return d.errf("a short quantisation table")
		}
		for k := 0; k < 64; k++ {
			if pq == 0 {
				d.qt[tq][k] = int32(b[1+k])
			} else {
				d.qt[tq][k] = int32(b[1+2*k])<<8 | int32(b[2+2*k])
			}
		}
		d.qtOK[tq] = true
		b = b[1+n:]
	}
	return nil
}

func (d *jpegDecoder) readDHT() error {
	b, err := d.segment()
	if err != nil {
		return err
	}
	for len(b) > 0 {
		if len(b) < 17 {
			return d.errf("a short Huffman table")
		}
		tc, th := b[0]>>4, int(b[0]&15)
		if tc > 1 || th > 3 {
			return d.errf("Huffman table class %d, number %d", tc, th)
		}
		var counts [17]int
		total := 0
		for l := 1; l <= 16; l++ {
			counts[l] = int(b[l])
			total += counts[l]
		}
		if total > 256 || len(b) < 17+total {
			return d.errf("a Huffman table of %d codes", total)
		}
		t := &d.dc[th]
		if tc == 1 {
			t = &d.ac[th]
		}
		if err := t.build(counts, b[17:17+total]); err != nil {
			return d.errf("%v", err)
		}
		b = b[17+total:]
	}
	return nil
}

// build makes the decoding tables of T.81 Annex C and F.2.2.3.
func (t *huffTable) build(counts [17]int, values []uint8) error {
	*t = huffTable{values: append([]uint8(nil), values...)}
	code, k := int32(0), 0
	for l := 1; l <= 16; l++ {
		t.valPtr[l] = int32(k)
		t.minCode[l] = code
		for i := 0; i < counts[l]; i++ {
			if l <= lookBits {
				shift := lookBits - l
				for j := int32(0); j < 1<<shift; j++ {
					t.lookup[code<<shift|j] = uint16(l)<<8 | uint16(values[k])
				}
			}
			code++
			k++
		}
		if code > 1<<l {
			return fmt.Errorf("a Huffman table with more codes of %d bits than there are", l)
		}
		t.maxCode[l] = code - 1
		if counts[l] == 0 {
			t.maxCode[l] = -1
		}
		code <<= 1
	}
	t.maxCode[17] = math.MaxInt32
	t.ok = true
	return nil
}

func (d *jpegDecoder) readScan() error {
	b, err := d.segment()
	if err != nil {
		return err
	}
	if len(b) < 1 || b[0] != 1 || len(b) != 6 {
		return d.errf("a scan header for other than one component")
	}
	if b[1] != d.compID {
		return d.errf("a scan of component %d, the frame has %d", b[1], d.compID)
	}
	d.tdSel, d.taSel = int(b[2]>>4), int(b[2]&15)
	d.ss, d.se, d.al = int(b[3]), int(b[4]), int(b[5]&15)
	if d.tdSel > 3 || d.taSel > 3 || !d.dc[d.tdSel].ok {
		return d.errf("a scan using Huffman table %d, which is not defined", d.tdSel)
	}
	if d.sof == 0xC3 {
		if d.ss < 1 || d.ss > 7 || d.al >= d.precision {
			return d.errf("lossless predictor %d, point transform %d", d.ss, d.al)
		}
		return nil
	}
	if d.ss != 0 || d.se != 63 || b[5] != 0 {
		return d.errf("a sequential scan with spectral selection %d–%d", d.ss, d.se)
	}
	if !d.ac[d.taSel].ok || !d.qtOK[d.qtSel] {
		return d.errf("a scan whose AC Huffman or quantisation table is not defined")
	}
	return nil
}

// fill tops the bit accumulator up to at least 32 bits, un-stuffing
// 0xFF00; at a marker it stops and supplies zero bits.
func (d *jpegDecoder) fill() {
	for d.nbits <= 56 {
		var c byte
		if d.marker != 0 || d.pos >= len(d.data) {
			d.overread++
		} else {
			c = d.data[d.pos]
			if c == 0xFF {
				if d.pos+1 < len(d.data) && d.data[d.pos+1] == 0x00 {
					d.pos += 2
				} else {
					// A marker: leave it for the caller.
					n := d.pos + 1
					for n < len(d.data) && d.data[n] == 0xFF {
						n++
					}
					if n < len(d.data) {
						d.marker = d.data[n]
						d.pos = n + 1
					} else {
						d.pos = len(d.data)
					}
					c = 0
					d.overread++
				}
			} else {
				d.pos++
			}
		}
		d.acc |= uint64(c) << (56 - d.nbits)
		d.nbits += 8
	}
}

func (d *jpegDecoder) bits(n uint) int32 {
	if n == 0 {
		return 0
	}
	if d.nbits < n {
		d.fill()
	}
	v := int32(d.acc >> (64 - n))
	d.acc <<= n
	d.nbits -= n
	return v
}

// huff decodes one Huffman-coded value.
func (d *jpegDecoder) huff(t *huffTable) (int, error) {
	if d.nbits < 16 {
		d.fill()
	}
	if e := t.lookup[d.acc>>(64-lookBits)]; e != 0 {
		n := uint(e >> 8)
		d.acc <<= n
		d.nbits -= n
		return int(e & 0xFF), nil
	}
	code := int32(0)
	for l := 1; l <= 16; l++ {
		code = code<<1 | int32(d.acc>>63)
		d.acc <<= 1
		d.nbits--
		if code <= t.maxCode[l] && t.maxCode[l] >= 0 {
			idx := t.valPtr[l] + code - t.minCode[l]
			if int(idx) >= len(t.values) || idx < 0 {
				break
			}
			return int(t.values[idx]), nil
		}
	}
	return 0, fmt.Errorf("corrupt JPEG: a Huffman code that is not in the table")
}

// extend is T.81's EXTEND: the s-bit magnitude v as a signed difference.
func extend(v int32, s uint) int32 {
	if s == 0 {
		return 0
	}
	if v < 1<<(s-1) {
		return v - (1 << s) + 1
	}
	return v
}

// restartAt consumes the RSTm marker expected after an interval.
func (d *jpegDecoder) restartAt(count int) error {
	d.acc, d.nbits = 0, 0
	if d.marker == 0 {
		// The marker is the next thing in the data (after padding).
		for d.pos < len(d.data) && d.data[d.pos] != 0xFF {
			d.pos++
		}
		m, err := d.nextMarker()
		if err != nil {
			return err
		}
		d.marker = m
	}
	if d.marker < 0xD0 || d.marker > 0xD7 {
		return d.errf("marker FF%02X where restart %d was expected", d.marker, count)
	}
	if int(d.marker-0xD0) != count%8 {
		return d.errf("restart marker RST%d out of order (want RST%d)", d.marker-0xD0, count%8)
	}
	d.marker, d.overread = 0, 0
	return nil
}

// tooFar: the scan used bits its data did not hold (zero bits supplied
// past a marker or the end; those still in the accumulator are unused).
func (d *jpegDecoder) tooFar() bool { return d.overread*8 > int(d.nbits) }

func (d *jpegDecoder) losslessScan() ([]uint16, error) {
	w, h := d.width, d.height
	out := make([]uint16, w*h)
	t := &d.dc[d.tdSel]
	pt := uint(d.al)
	initial := int32(1) << (uint(d.precision) - pt - 1)
	mask := int32(1)<<16 - 1
	if d.restart > 0 && d.restart%w != 0 {
		return nil, fmt.Errorf("%w: a lossless JPEG restart interval of %d samples is not a whole number of %d-sample rows", ErrUnsupported, d.restart, w)
	}
	cur := make([]int32, w)
	prev := make([]int32, w)
	firstRow, restarts := 0, 0
	for y := 0; y < h; y++ {
		if d.restart > 0 && y > 0 && (y*w)%d.restart == 0 {
			if err := d.restartAt(restarts); err != nil {
				return nil, err
			}
			restarts++
			firstRow = y
		}
		for x := 0; x < w; x++ {
			s, err := d.huff(t)
			if err != nil {
				return nil, fmt.Errorf("%w at row %d, column %d", err, y, x)
			}
			var diff int32
			switch {
			case s == 16:
				diff = 32768
			case s > 16:
				return nil, d.errf("a difference category of %d", s)
			default:
				diff = extend(d.bits(uint(s)), uint(s))
			}
			var p int32
			switch {
			case y == firstRow && x == 0:
				p = initial
			case y == firstRow:
				p = cur[x-1]
			case x == 0:
				p = prev[0]
			default:
				ra, rb, rc := cur[x-1], prev[x], prev[x-1]
				switch d.ss {
				case 1:
					p = ra
				case 2:
					p = rb
				case 3:
					p = rc
				case 4:
					p = ra + rb - rc
				case 5:
					p = ra + (rb-rc)>>1
				case 6:
					p = rb + (ra-rc)>>1
				case 7:
					p = (ra + rb) >> 1
				}
			}
			cur[x] = (p + diff) & mask
			out[y*w+x] = uint16(cur[x] << pt)
		}
		if d.tooFar() {
			return nil, fmt.Errorf("corrupt JPEG: the lossless scan ends at row %d of %d (truncated)", y, h)
		}
		cur, prev = prev, cur
	}
	return out, nil
}

// zigzag maps the k-th coefficient of a block's zig-zag order to its
// row-major position.
var zigzag = [64]int{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

// idctCos[x][u] = C(u)/2 · cos((2x+1)uπ/16), the 8-point inverse DCT of
// T.81 A.3.3.
var idctCos = func() (c [8][8]float64) {
	for x := 0; x < 8; x++ {
		for u := 0; u < 8; u++ {
			cu := 1.0
			if u == 0 {
				cu = 1 / math.Sqrt2
			}
			c[x][u] = cu / 2 * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16)
		}
	}
	return
}()

// dctScan decodes a sequential DCT scan of one component: its blocks in
// raster order, each dequantised and inverse transformed (in floating
// point; T.81 leaves the IDCT's rounding to the decoder, so lossy results
// may differ from another decoder's by a grey level).
func (d *jpegDecoder) dctScan() ([]uint16, error) {
	w, h := d.width, d.height
	bw, bh := (w+7)/8, (h+7)/8
	out := make([]uint16, w*h)
	dc, ac := &d.dc[d.tdSel], &d.ac[d.taSel]
	q := &d.qt[d.qtSel]
	shift := float64(int(1) << (d.precision - 1))
	maxV := float64(int(1)<<d.precision - 1)
	var coef [64]float64
	var tmp [64]float64
	pred := int32(0)
	restarts := 0
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			n := by*bw + bx
			if d.restart > 0 && n > 0 && n%d.restart == 0 {
				if err := d.restartAt(restarts); err != nil {
					return nil, err
				}
				restarts++
				pred = 0
			}
			coef = [64]float64{}
			s, err := d.huff(dc)
			if err != nil {
				return nil, fmt.Errorf("%w in block %d", err, n)
			}
			if s > 15 {
				return nil, d.errf("a DC difference category of %d", s)
			}
			pred += extend(d.bits(uint(s)), uint(s))
			coef[0] = float64(pred * q[0])
			for k := 1; k < 64; k++ {
				rs, err := d.huff(ac)
				if err != nil {
					return nil, fmt.Errorf("%w in block %d", err, n)
				}
				r, s := rs>>4, uint(rs&15)
				if s == 0 {
					if r != 15 {
						break // end of block
					}
					k += 15
					continue
				}
				k += r
				if k > 63 {
					return nil, d.errf("a block's coefficients run past 63")
				}
				coef[zigzag[k]] = float64(extend(d.bits(s), s) * q[k])
			}
			// Rows, then columns.
			for y := 0; y < 8; y++ {
				for x := 0; x < 8; x++ {
					var sum float64
					for u := 0; u < 8; u++ {
						sum += idctCos[x][u] * coef[y*8+u]
					}
					tmp[y*8+x] = sum
				}
			}
			for x := 0; x < 8; x++ {
				px := bx*8 + x
				if px >= w {
					break
				}
				for y := 0; y < 8; y++ {
					py := by*8 + y
					if py >= h {
						break
					}
					var sum float64
					for v := 0; v < 8; v++ {
						sum += idctCos[y][v] * tmp[v*8+x]
					}
					out[py*w+px] = uint16(math.Max(0, math.Min(maxV, math.Round(sum+shift))))
				}
			}
		}
		if d.tooFar() {
			return nil, fmt.Errorf("corrupt JPEG: the scan ends at block row %d of %d (truncated)", by, bh)
		}
	}
	return out, nil
}
