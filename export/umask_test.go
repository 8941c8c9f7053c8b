//go:build unix

package export

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestDeliveryHonoursUmask: under umask 077 the delivery folder and every
// file in it are for their owner only.
func TestDeliveryHonoursUmask(t *testing.T) {
	dir, key := writeRegistry(t, nil)
	out := filepath.Join(t.TempDir(), "delivery")
	old := syscall.Umask(0o077)
	_, err := job(dir, key, out).Run()
	syscall.Umask(old)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(out)
	if err != nil || len(entries) != 4 {
		t.Fatalf("%v %v", entries, err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %03o", fi.Mode().Perm())
	}
	for _, e := range entries {
		fi, _ := e.Info()
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %03o, want 600", e.Name(), fi.Mode().Perm())
		}
	}
}
