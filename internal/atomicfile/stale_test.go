//go:build unix

package atomicfile

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The attack: runs killed while writing leave .NAME.tmp<pid>-<n> behind.
// The next write in that folder removes them (once per folder and
// process); a live writer's file and other files stay.
func TestStaleTemporaryFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	deadPID := dead.Process.Pid // has exited
	stale := filepath.Join(dir, fmt.Sprintf(".out.csv.tmp%d-123", deadPID))
	live := filepath.Join(dir, fmt.Sprintf(".out.csv.tmp%d-456", os.Getppid()))
	other := filepath.Join(dir, fmt.Sprintf(".other.csv.tmp%d-789", deadPID))
	keep := filepath.Join(dir, "keep.tmp1-2")
	for _, p := range []string{stale, live, other, keep} {
		if err := os.WriteFile(p, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFile(filepath.Join(dir, "out.csv"), func(w io.Writer) error { _, err := io.WriteString(w, "a\n"); return err }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{stale, other} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("a killed run's temporary file %s is still there (%v)", filepath.Base(p), err)
		}
	}
	for _, p := range []string{live, keep} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(p), err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 { // out.csv, live, keep
		t.Errorf("left in the folder: %v", entries)
	}
}
