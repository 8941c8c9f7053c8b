//go:build cgo

package native

import (
	"errors"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets/imageio/codec"
)

// The libraries are found (make codec-libs installs them), and a
// codestream of another size than the header's is refused by each.
func TestNativeDecoders(t *testing.T) {
	for _, uid := range []string{"1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90"} {
		_, err := codec.Decode(uid, []byte{0xFF, 0x4F, 0xFF, 0x51, 0, 0}, codec.Frame{Rows: 2, Cols: 2, BitsAllocated: 16, BitsStored: 12})
		if errors.Is(err, codec.ErrNoLibrary) {
			t.Fatalf("%s: %v", uid, err)
		}
		if err == nil {
			t.Errorf("%s: garbage decoded", uid)
		}
	}
}

// A library that is not installed is an error naming it and the Debian
// package to install.
func TestMissingLibrary(t *testing.T) {
	err := probe("libcharls.so.99", "libcharls99")
	if !errors.Is(err, codec.ErrNoLibrary) || !strings.Contains(err.Error(), "libcharls.so.99") || !strings.Contains(err.Error(), "apt-get install libcharls99") {
		t.Errorf("%v", err)
	}
	if err := probe(charlsLib, "libcharls2"); err != nil {
		t.Errorf("the installed CharLS: %v", err)
	}
}

// FuzzDecode: whatever the bytes, every codec — the Go ones and CharLS
// and OpenJPEG through cgo — returns the frame's samples or an error;
// never a panic, a hang or another size.
func FuzzDecode(f *testing.F) {
	f.Add(byte(0), []byte{0xFF, 0xD8, 0xFF, 0xC3, 0, 11, 8, 0, 2, 0, 2, 1, 1, 0x11, 0})
	f.Add(byte(1), make([]byte, 70))
	f.Add(byte(2), []byte{0xFF, 0x4F, 0xFF, 0x51})
	f.Add(byte(3), []byte{0xFF, 0xD8, 0xFF, 0xF7, 0, 11, 8, 0, 2, 0, 2, 1, 1, 0x11, 0})
	uids := []string{"1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.91"}
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		fr := codec.Frame{Rows: 2, Cols: 2, BitsAllocated: 16, BitsStored: 12}
		got, err := codec.Decode(uids[int(which)%len(uids)], data, fr)
		if err == nil && len(got) != 4 {
			t.Fatalf("%d samples for 2×2", len(got))
		}
	})
}
