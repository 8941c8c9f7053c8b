package imageio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/screenlab/screenlab/internal/hostile"
)

func write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHostileDICOM: each attack is an error naming its cause, found from
// the file's structure before the decoder allocates, and fast.
func TestHostileDICOM(t *testing.T) {
	nested := hostile.NewDICOM(hostile.ExplicitLE).Mammogram(32, 32).Nested(2000)
	cases := []struct {
		name string
		file *hostile.DICOM
		lim  Limits
		want error
		says string
	}{
		{"a 4 GB private element", hostile.NewDICOM(hostile.ExplicitLE).Mammogram(32, 32).ElemLen(0x0009, 0x1010, "OB", 0xFFFFFFF0, []byte{1, 2}), Limits{}, nil, "declares 4294967280 bytes"},
		{"pixel data longer than the file", hostile.NewDICOM(hostile.ExplicitLE).Mammogram(32, 32).ElemLen(0x7FE0, 0x0010, "OW", 1<<30, make([]byte, 64)), Limits{}, nil, "truncated or lying"},
		{"an element beyond the limit", hostile.NewDICOM(hostile.ExplicitLE).Mammogram(32, 32).Elem(0x0009, 0x1010, "OB", make([]byte, 4096)), Limits{MaxElementBytes: 1024}, ErrTooLarge, "an element (0009,1010)"},
		{"sequences 2000 deep", nested, Limits{}, ErrTooLarge, "nested more than 16 deep"},
		{"a sequence never closed", hostile.NewDICOM(hostile.ExplicitLE).Mammogram(32, 32).ElemLen(0x0040, 0xA730, "SQ", 0xFFFFFFFF, nil).Tag(0xFFFE, 0xE000, 0xFFFFFFFF), Limits{}, nil, "without its delimiter"},
		{"deflated", hostile.NewDICOM("1.2.840.10008.1.2.1.99").Mammogram(32, 32), Limits{}, ErrUnsupported, "deflated"},
		{"JPEG 2000 declared, pixels not encapsulated", hostile.NewDICOM("1.2.840.10008.1.2.4.90").Mammogram(32, 32), Limits{}, nil, "without encapsulated pixel data"},
		{"HTJ2K (not decoded)", hostile.NewDICOM("1.2.840.10008.1.2.4.201").Mammogram(32, 32), Limits{}, ErrUnsupported, "JPEG 2000"},
		{"encapsulated pixel data in an uncompressed syntax", hostile.NewDICOM(hostile.ExplicitLE).Mammogram(32, 32).ElemLen(0x7FE0, 0x0010, "OB", 0xFFFFFFFF, nil), Limits{}, ErrUnsupported, "encapsulated"},
		{"encapsulated pixel data never closed", hostile.NewDICOM("1.2.840.10008.1.2.4.70").Mammogram(32, 32).ElemLen(0x7FE0, 0x0010, "OB", 0xFFFFFFFF, nil).Tag(0xFFFE, 0xE000, 0), Limits{}, nil, "truncated"},
		{"a fragment declaring 4 GB", hostile.NewDICOM("1.2.840.10008.1.2.4.70").Mammogram(32, 32).ElemLen(0x7FE0, 0x0010, "OB", 0xFFFFFFFF, nil).Tag(0xFFFE, 0xE000, 0).Tag(0xFFFE, 0xE000, 0xFFFFFFF0), Limits{}, nil, "declares 4294967280 bytes"},
		{"16000 × 16000 declared", hostile.NewDICOM(hostile.ExplicitLE).Mammogram(16000, 16000).Elem(0x7FE0, 0x0010, "OW", make([]byte, 64)), Limits{}, ErrTooLarge, "256000000 pixels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, "x.dcm", c.file.Bytes())
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
		os.WriteFile(p, hostile.PNGBomb(c.w, c.h, c.colour), 0o644)
		st, _ := os.Stat(p)
		_, err := Read(p)
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%d×%d bomb (%d KiB): %v", c.w, c.h, st.Size()>>10, err)
		}
	}
}
