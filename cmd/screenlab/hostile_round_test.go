package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/screenlab/screenlab/internal/hostile"
)

// The attack on an overnight round: among ordinary exams, one view each is
// a PNG decompression bomb (16000 × 16000, 512 MB inflated), an RGBA bomb
// (288 MB), a DICOM whose pixel data declares 1 GB, a DICOM nesting
// sequences 100,000 deep, a FIFO and a directory. score finishes, gives
// exactly those exams an error row with the reason, scores the rest, and
// its peak memory (the child's maximum resident set) stays under 1 GB.
func TestScoreRoundWithBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("scores a round in a child process")
	}
	dir, model, tablePath := roundToScore(t, 40, 3)
	bad := map[string]string{ // file → the reason its exam must give
		"bomb.png":      "pixels",
		"bomb-rgba.png": "to decode",
		"lying.dcm":     "truncated or lying",
		"nested.dcm":    "nested more than",
		"fifo.dcm":      "FIFO",
		"folder.dcm":    "directory",
	}
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("bomb.png", hostile.PNGBomb(16000, 16000, 0))
	write("bomb-rgba.png", hostile.PNGBomb(6000, 6000, 6))
	write("lying.dcm", hostile.NewDICOM(hostile.ExplicitLE).Mammogram(64, 64).ElemLen(0x7FE0, 0x0010, "OW", 1<<30, make([]byte, 128)).Bytes())
	write("nested.dcm", hostile.NewDICOM(hostile.ExplicitLE).Mammogram(64, 64).Nested(100000).Bytes())
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.dcm"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	os.Mkdir(filepath.Join(dir, "folder.dcm"), 0o755)

	// One view of each of the first exams becomes an attack.
	f, _ := os.Open(tablePath)
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	victim := map[string]string{} // exam → file
	var files []string
	for name := range bad {
		files = append(files, name)
	}
	for _, r := range rows[1:] {
		if len(files) == 0 {
			break
		}
		if _, done := victim[r[0]]; done {
			continue
		}
		victim[r[0]], r[3] = files[0], files[0]
		files = files[1:]
	}
	out, _ := os.Create(tablePath)
	csv.NewWriter(out).WriteAll(rows)
	out.Close()

	scores := filepath.Join(dir, "scores.csv")
	cmd := exec.Command(os.Args[0], "score", "--model", model, "--data", tablePath, "--out", scores, "--workers", "2", "--format", "json")
	cmd.Env = append(os.Environ(), "SCREENLAB_TEST_MAIN=1")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("score: %v\n%s", err, stderr.String())
		}
	case <-time.After(5 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("score hangs on the round")
	}
	peakKB := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
	t.Logf("peak resident memory %d MB", peakKB>>10)
	if peakKB > 1<<20 {
		t.Errorf("peak memory %d MB, want under 1 GB", peakKB>>10)
	}
	var sum struct {
		Exams, Scored, Errors int
	}
	if err := json.Unmarshal([]byte(stdout.String()), &sum); err != nil || sum.Errors != len(bad) || sum.Scored != sum.Exams-len(bad) {
		t.Errorf("summary %+v (%v), want %d errors: %s", sum, err, len(bad), stdout.String())
	}
	sf, _ := os.Open(scores)
	got, _ := csv.NewReader(sf).ReadAll()
	sf.Close()
	for _, r := range got[1:] {
		file, attacked := victim[r[0]]
		switch {
		case attacked && (r[1] != "error" || !strings.Contains(r[7], bad[file])):
			t.Errorf("%s (%s): %s %q, want an error saying %q", r[0], file, r[1], r[7], bad[file])
		case !attacked && r[1] != "ok":
			t.Errorf("%s: %s %q, want ok", r[0], r[1], r[7])
		}
	}
}
