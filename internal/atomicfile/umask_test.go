//go:build unix

package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Outputs honour the umask: 077 gives files only their owner can read,
// 022 the usual 0644.
func TestUmask(t *testing.T) {
	for _, tt := range []struct {
		umask int
		want  os.FileMode
	}{{0o077, 0o600}, {0o022, 0o644}, {0o027, 0o640}} {
		old := syscall.Umask(tt.umask)
		path := filepath.Join(t.TempDir(), "out.csv")
		err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "a\n"); return err })
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != tt.want {
			t.Errorf("umask %03o: mode %03o, want %03o", tt.umask, got, tt.want)
		}
	}
}
