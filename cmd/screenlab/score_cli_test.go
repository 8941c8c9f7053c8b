package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
	"github.com/screenlab/screenlab/datasets/synth"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/models"
)

// TestMain lets a test run screenlab as a separate process (to kill it):
// with SCREENLAB_TEST_MAIN=1 the test binary is the command.
func TestMain(m *testing.M) {
	if os.Getenv("SCREENLAB_TEST_MAIN") == "1" || os.Getenv("SCREENLAB_CHILD") != "" {
		os.Exit(run(os.Args[1:], ui.System()))
	}
	os.Exit(m.Run())
}

// untrainedCNN saves a 64×64 CNN with its initial weights: its scores
// mean nothing, but it takes the time a real one takes.
func untrainedCNN(t *testing.T, path string) {
	t.Helper()
	cnn, err := models.NewCNN(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Save(path, &models.File{Kind: "cnn", CNN: cnn, ImagePrep: &features.ImagePrep{Width: 64, Height: 64}}); err != nil {
		t.Fatal(err)
	}
}

// roundToScore generates a round of persons women with images (seeded) and
// an untrained CNN; it returns the folder, the model and the images table.
func roundToScore(t *testing.T, persons int, seed uint64) (dir, model, images string) {
	t.Helper()
	dir = t.TempDir()
	if _, err := synth.Generate(dir, synth.Config{Persons: persons, Seed: seed, Images: true}); err != nil {
		t.Fatal(err)
	}
	model = filepath.Join(dir, "triage.model")
	untrainedCNN(t, model)
	return dir, model, filepath.Join(dir, "images.csv")
}

// TestScoreKilledAndResumed really kills a scoring process (SIGKILL) while
// it writes, then resumes: the output has every exam exactly once and the
// same bytes as a run that was never stopped.
func TestScoreKilledAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("scores a round twice")
	}
	dir, model, images := roundToScore(t, 120, 8)
	killAndResume(t, dir, model, images)
}

// TestONNXScoreKilledAndResumed: the same with an ONNX model (the
// ResNet-18 fixture of models/onnx and its sidecar): SIGKILL mid-round,
// --resume, the same bytes as an uninterrupted run, the model's SHA-256 in
// every row.
func TestONNXScoreKilledAndResumed(t *testing.T) {
	if testing.Short() {
		t.Skip("scores a round twice")
	}
	dir, _, images := roundToScore(t, 120, 8)
	model, err := filepath.Abs("../../models/onnx/testdata/resnet18_w8.onnx")
	if err != nil {
		t.Fatal(err)
	}
	killAndResume(t, dir, model, images)
	got, _ := os.ReadFile(filepath.Join(dir, "scores.csv"))
	raw, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	for _, l := range strings.Split(strings.TrimSpace(string(got)), "\n")[1:] {
		if !strings.HasSuffix(l, ",onnx-"+hex.EncodeToString(sum[:6])+","+hex.EncodeToString(sum[:])) {
			t.Fatalf("a row without the model's id and SHA-256: %s", l)
		}
	}
}

func killAndResume(t *testing.T, dir, model, images string) {
	t.Helper()
	ref := filepath.Join(dir, "ref.csv")
	if code, _, errOut := runCLI(t, "score --model "+model+" --data "+images+" --out "+ref); code != 0 {
		t.Fatalf("score: %s", errOut)
	}
	want, _ := os.ReadFile(ref)
	exams := strings.Count(string(want), "\n") - 1

	out := filepath.Join(dir, "scores.csv")
	cmd := exec.Command(os.Args[0], "score", "--model", model, "--data", images, "--out", out, "--workers", "1")
	cmd.Env = append(os.Environ(), "SCREENLAB_TEST_MAIN=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	journal := out + ".partial"
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, _ := os.ReadFile(journal)
		if n := bytes.Count(b, []byte("\n")); n > exams/4 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("the scoring process wrote too little in a minute")
		}
		time.Sleep(2 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if _, err := os.Stat(out); err == nil {
		t.Fatal("the process finished before it was killed; make the round larger")
	}
	b, _ := os.ReadFile(journal)
	t.Logf("killed with %d of %d exams journalled", bytes.Count(b, []byte("\n"))-1, exams)

	if code, _, errOut := runCLI(t, "score --model "+model+" --data "+images+" --out "+out); code == 0 || !strings.Contains(errOut, "--resume") {
		t.Errorf("score over an interrupted run without --resume: %d %s", code, errOut)
	}
	code, stdout, errOut := runCLI(t, "score --model "+model+" --data "+images+" --out "+out+" --resume --format json")
	if code != 0 {
		t.Fatalf("resume: %s", errOut)
	}
	if !strings.Contains(stdout, `"resumed"`) || strings.Contains(stdout, `"resumed": 0,`) {
		t.Errorf("resume summary: %s", stdout)
	}
	got, _ := os.ReadFile(out)
	seen := map[string]int{}
	for _, l := range strings.Split(strings.TrimSpace(string(got)), "\n")[1:] {
		seen[strings.SplitN(l, ",", 2)[0]]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("exam %s %d times", id, n)
		}
	}
	if len(seen) != exams || !bytes.Equal(got, want) {
		t.Errorf("after kill and resume: %d exams (want %d), same bytes as an uninterrupted run: %v", len(seen), exams, bytes.Equal(got, want))
	}
}
