package imageio

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rawDICOM writes a DICOM file by hand (explicit VR little endian unless
// syntax says otherwise): the attacks need lengths and nestings no honest
// writer produces.
type rawDICOM struct{ b bytes.Buffer }

func newRawDICOM(syntax string) *rawDICOM {
	r := &rawDICOM{}
	r.b.Write(make([]byte, 128))
	r.b.WriteString("DICM")
	ts := syntax
	if len(ts)%2 == 1 {
		ts += "\x00"
	}
	r.elem(0x0002, 0x0000, "UL", binary.LittleEndian.AppendUint32(nil, uint32(8+len(ts))))
	r.elem(0x0002, 0x0010, "UI", []byte(ts))
	return r
}

func (r *rawDICOM) elem(g, e uint16, vr string, v []byte) *rawDICOM {
	return r.elemLen(g, e, vr, uint32(len(v)), v)
}

// elemLen writes a header declaring n bytes, then v (which may be shorter).
func (r *rawDICOM) elemLen(g, e uint16, vr string, n uint32, v []byte) *rawDICOM {
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

func (r *rawDICOM) tag(g, e uint16, n uint32) *rawDICOM {
	var h [8]byte
	binary.LittleEndian.PutUint16(h[0:], g)
	binary.LittleEndian.PutUint16(h[2:], e)
	binary.LittleEndian.PutUint32(h[4:], n)
	r.b.Write(h[:])
	return r
}

func us(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }

// mammogramHeader adds the tags of an MG image of w×h 16-bit pixels.
func (r *rawDICOM) mammogramHeader(w, h uint16) *rawDICOM {
	return r.elem(0x0008, 0x0060, "CS", []byte("MG")).
		elem(0x0028, 0x0002, "US", us(1)).
		elem(0x0028, 0x0004, "CS", []byte("MONOCHROME2 ")).
		elem(0x0028, 0x0010, "US", us(h)).
		elem(0x0028, 0x0011, "US", us(w)).
		elem(0x0028, 0x0100, "US", us(16)).
		elem(0x0028, 0x0101, "US", us(12)).
		elem(0x0028, 0x0102, "US", us(11)).
		elem(0x0028, 0x0103, "US", us(0))
}

func (r *rawDICOM) write(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, r.b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const explicitLE = "1.2.840.10008.1.2.1"

// TestHostileDICOM: each attack is an error naming its cause, found from
// the file's structure before the decoder allocates, and fast.
func TestHostileDICOM(t *testing.T) {
	nested := newRawDICOM(explicitLE).mammogramHeader(32, 32)
	for range 2000 {
		nested.elemLen(0x0040, 0xA730, "SQ", 0xFFFFFFFF, nil).tag(0xFFFE, 0xE000, 0xFFFFFFFF)
	}
	cases := []struct {
		name string
		file *rawDICOM
		lim  Limits
		want error
		says string
	}{
		{"a 4 GB private element", newRawDICOM(explicitLE).mammogramHeader(32, 32).elemLen(0x0009, 0x1010, "OB", 0xFFFFFFF0, []byte{1, 2}), Limits{}, nil, "declares 4294967280 bytes"},
		{"pixel data longer than the file", newRawDICOM(explicitLE).mammogramHeader(32, 32).elemLen(0x7FE0, 0x0010, "OW", 1<<30, make([]byte, 64)), Limits{}, nil, "truncated or lying"},
		{"an element beyond the limit", newRawDICOM(explicitLE).mammogramHeader(32, 32).elem(0x0009, 0x1010, "OB", make([]byte, 4096)), Limits{MaxElementBytes: 1024}, ErrTooLarge, "an element (0009,1010)"},
		{"sequences 2000 deep", nested, Limits{}, ErrTooLarge, "nested more than 16 deep"},
		{"a sequence never closed", newRawDICOM(explicitLE).mammogramHeader(32, 32).elemLen(0x0040, 0xA730, "SQ", 0xFFFFFFFF, nil).tag(0xFFFE, 0xE000, 0xFFFFFFFF), Limits{}, nil, "without its delimiter"},
		{"deflated", newRawDICOM("1.2.840.10008.1.2.1.99").mammogramHeader(32, 32), Limits{}, ErrUnsupported, "deflated"},
		{"JPEG 2000", newRawDICOM("1.2.840.10008.1.2.4.90").mammogramHeader(32, 32), Limits{}, ErrUnsupported, "JPEG 2000"},
		{"encapsulated pixel data", newRawDICOM(explicitLE).mammogramHeader(32, 32).elemLen(0x7FE0, 0x0010, "OB", 0xFFFFFFFF, nil), Limits{}, ErrUnsupported, "encapsulated"},
		{"16000 × 16000 declared", newRawDICOM(explicitLE).mammogramHeader(16000, 16000).elem(0x7FE0, 0x0010, "OW", make([]byte, 64)), Limits{}, ErrTooLarge, "256000000 pixels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := c.file.write(t, "x.dcm")
			start := time.Now()
			_, err := ReadLimited(p, c.lim)
			if err == nil || c.want != nil && !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("%v, want %v saying %q", err, c.want, c.says)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

// TestNotRegularFiles: a FIFO, a directory and a device are errors at
// once; reading them would block for ever or never end.
func TestNotRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "view.dcm")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sub := filepath.Join(dir, "folder.png")
	os.Mkdir(sub, 0o755)
	dev := filepath.Join(dir, "zero.tif")
	if err := os.Symlink("/dev/zero", dev); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, says string }{{fifo, "FIFO"}, {sub, "directory"}, {dev, "device"}} {
		done := make(chan error, 1)
		go func() { _, err := Read(c.path); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("%s: %v", c.path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: reading hangs", c.path)
		}
	}
}

// pngBomb writes a w×h 16-bit greyscale (or RGBA, colour type 6) PNG of
// zeros: a few hundred kilobytes that decode to w·h·2 (·8) bytes.
func pngBomb(t *testing.T, path string, w, h int, colourType byte) {
	t.Helper()
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
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPNGBombs: decompression bombs are refused from their header, before
// a byte is inflated.
func TestPNGBombs(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		w, h   int
		colour byte
		says   string
	}{
		{16000, 16000, 0, "256000000 pixels"},
		{6000, 6000, 6, "at 8 bytes each"},
	} {
		p := filepath.Join(dir, "bomb.png")
		pngBomb(t, p, c.w, c.h, c.colour)
		st, _ := os.Stat(p)
		_, err := Read(p)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%d×%d bomb (%d KiB): %v", c.w, c.h, st.Size()>>10, err)
		}
	}
}
