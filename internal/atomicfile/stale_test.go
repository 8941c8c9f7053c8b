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

// The attack: a run killed while writing leaves .out.csv.tmp<pid>-<n>
// behind. The next write of that file removes it; a live writer's file
// and other files stay.
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
	for _, p := range []string{stale, live, other} {
		if err := os.WriteFile(p, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFile(filepath.Join(dir, "out.csv"), func(w io.Writer) error { _, err := io.WriteString(w, "a\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the killed run's temporary file is still there (%v)", err)
	}
	for _, p := range []string{live, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", filepath.Base(p), err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 { // out.csv, live, other
		t.Errorf("left in the folder: %v", entries)
	}
}
