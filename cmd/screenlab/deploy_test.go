package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets/synth"
)

// manifestArgs reads a deployment manifest's container args (a JSON list
// on one line) and, for an Indexed Job, its completions.
func manifestArgs(t *testing.T, path string) (args []string, completions int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		l := strings.TrimSpace(line)
		if v, ok := strings.CutPrefix(l, "args: "); ok {
			if err := json.Unmarshal([]byte(v), &args); err != nil {
				t.Fatalf("%s: args: %v", path, err)
			}
		}
		if v, ok := strings.CutPrefix(l, "completions: "); ok {
			completions, _ = strconv.Atoi(v)
		}
	}
	if len(args) == 0 {
		t.Fatalf("%s: no args", path)
	}
	return args, completions
}

// TestIndexedJobLocally runs deploy/k8s/score-round.yaml's command as the
// cluster would — one process per completion index with
// JOB_COMPLETION_INDEX set and $(JOB_COMPLETION_INDEX) substituted, on a
// shared folder standing for the volume — then merge-round.yaml's, and
// checks the merged round against one unsharded run, byte for byte.
func TestIndexedJobLocally(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the scoring job as separate processes")
	}
	root := t.TempDir()
	for _, d := range []string{"round", "model", "scores"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := synth.Generate(filepath.Join(root, "round"), synth.Config{Persons: 60, Seed: 14, Images: true}); err != nil {
		t.Fatal(err)
	}
	untrainedCNN(t, filepath.Join(root, "model", "triage.model"))
	local := func(args []string, index string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			a = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", index)
			if rest, ok := strings.CutPrefix(a, "/data/"); ok {
				a = filepath.Join(root, rest)
			}
			out[i] = a
		}
		return out
	}
	start := func(args []string, index string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "SCREENLAB_TEST_MAIN=1", "JOB_COMPLETION_INDEX="+index)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("index %s: %s", index, stderr.String())
			}
		})
		return cmd
	}
	scoreArgs, n := manifestArgs(t, filepath.Join("..", "..", "deploy", "k8s", "score-round.yaml"))
	if n < 2 || !strings.Contains(strings.Join(scoreArgs, " "), fmt.Sprintf("$(JOB_COMPLETION_INDEX)/%d", n)) {
		t.Fatalf("the job's --shard does not match its %d completions: %v", n, scoreArgs)
	}
	var pods []*exec.Cmd
	for k := range n {
		pods = append(pods, start(local(scoreArgs, strconv.Itoa(k)), strconv.Itoa(k)))
	}
	for k, p := range pods {
		if err := p.Wait(); err != nil {
			t.Fatalf("pod %d: %v", k, err)
		}
	}
	mergeArgs, _ := manifestArgs(t, filepath.Join("..", "..", "deploy", "k8s", "merge-round.yaml"))
	if got := strings.Count(strings.Join(mergeArgs, " "), "/data/scores/scores-"); got != n {
		t.Fatalf("the merge names %d shards, the job makes %d", got, n)
	}
	if err := start(local(mergeArgs, ""), "").Wait(); err != nil {
		t.Fatalf("merge: %v", err)
	}
	single := filepath.Join(root, "single.csv")
	if code, _, errOut := runCLI(t, "score --quiet --model "+filepath.Join(root, "model", "triage.model")+" --data "+filepath.Join(root, "round", "images.csv")+" --out "+single); code != 0 {
		t.Fatalf("single run: %s", errOut)
	}
	want, _ := os.ReadFile(single)
	got, _ := os.ReadFile(filepath.Join(root, "scores", "round.csv"))
	if len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("the merged round (%d bytes) differs from one run (%d bytes)", len(got), len(want))
	}
}

// TestImageFileSystem builds the container image's file system as
// deploy/Dockerfile does (deploy/rootfs.sh: the binary and the libraries
// it loads, nothing else) in a folder and scores, inside it with chroot as
// user 65534, one exam stored in every compressed syntax with the ONNX
// ResNet fixture: no error rows, and the lossless copies score as the
// uncompressed one. (No Docker engine runs here; chroot is the same file
// system without the daemon.) Needs root and the codec libraries (make
// codec-libs).
func TestImageFileSystem(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the binary into a file system")
	}
	if os.Geteuid() != 0 {
		t.Skip("chroot needs root")
	}
	if _, err := exec.LookPath("chroot"); err != nil {
		t.Skip("no chroot")
	}
	root := filepath.Join(t.TempDir(), "rootfs")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("../../deploy/rootfs.sh", self, root).CombinedOutput(); err != nil {
		t.Fatalf("rootfs.sh: %v\n%s", err, out)
	}
	entries, _ := os.ReadDir(root)
	var top []string
	for _, e := range entries {
		top = append(top, e.Name())
	}
	if strings.Join(top, " ") != "lib lib64 screenlab tmp" {
		t.Errorf("the image holds %v, want only the binary and its libraries", top)
	}
	data := filepath.Join(root, "data")
	syntaxes := []string{"original", "rle", "jpeg-lossless-sv1", "jpeg-lossless-sv6", "jpegls", "j2k", "jpeg-baseline", "jpeg-extended", "jpegls-near", "j2k-lossy"}
	var table strings.Builder
	table.WriteString("exam_id,laterality,view,path\n")
	if err := os.MkdirAll(filepath.Join(data, "round"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range syntaxes {
		if out, err := exec.Command("cp", "-r", "../../datasets/imageio/codec/testdata/"+s, filepath.Join(data, "round", s)).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v %s", err, out)
		}
		for _, v := range []string{"R_CC", "R_MLO", "L_CC", "L_MLO"} {
			fmt.Fprintf(&table, "%s,%c,%s,%s/P0000007-03_%s.dcm\n", s, v[0], v[2:], s, v)
		}
	}
	for _, f := range []string{"resnet18_w8.onnx", "resnet18_w8.onnx.json"} {
		b, err := os.ReadFile("../../models/onnx/testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(data, "round", "images.csv"), []byte(table.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(data, "scores"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(data, "scores"), 0o777); err != nil { // writable by user 65534
		t.Fatal(err)
	}
	cmd := exec.Command("chroot", "--userspec=65534:65534", root, "/screenlab", "score", "--model", "/data/resnet18_w8.onnx",
		"--data", "/data/round/images.csv", "--out", "/data/scores/scores.csv", "--quiet", "--format", "json")
	cmd.Env = []string{"SCREENLAB_TEST_MAIN=1"}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("score in the image's file system: %v\n%s", err, out)
	}
	var sum struct{ Scored, Errors int }
	if err := json.Unmarshal(out, &sum); err != nil || sum.Scored != len(syntaxes) || sum.Errors != 0 {
		t.Fatalf("summary %s (%v)", out, err)
	}
	b, err := os.ReadFile(filepath.Join(data, "scores", "scores.csv"))
	if err != nil {
		t.Fatal(err)
	}
	score := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		f := strings.Split(l, ",")
		score[f[0]] = f[6]
	}
	for _, s := range syntaxes[1:6] {
		if score[s] != score["original"] {
			t.Errorf("%s scores %s in the image, uncompressed %s", s, score[s], score["original"])
		}
	}
}
