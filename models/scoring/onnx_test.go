package scoring

import (
	"bytes"
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/models/onnx"
)

// TestONNXScoresLikeNative: screenlab's CNN exported to ONNX by PyTorch
// (models/onnx/testdata: export.py with the weights of screenlab_cnn.model)
// scores the fixture exam, from its uncompressed and compressed copies,
// as the native model does: view and exam probabilities within 1e-5.
func TestONNXScoresLikeNative(t *testing.T) {
	native, err := models.Load("../onnx/testdata/screenlab_cnn.model")
	if err != nil {
		t.Fatal(err)
	}
	external, err := onnx.LoadFile("../onnx/testdata/screenlab_cnn.onnx", "")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs("../../datasets/imageio/codec/testdata")
	var images []datasets.Image
	for _, dir := range []string{"original", "jpeg-lossless-sv1", "jpegls", "j2k", "jpeg-baseline"} {
		for _, v := range []string{"R_CC", "R_MLO", "L_CC", "L_MLO"} {
			images = append(images, datasets.Image{ExamID: dir, Laterality: v[0], View: v[2:], Path: filepath.Join(dir, "P0000007-03_"+v+".dcm")})
		}
	}
	a, err := Score(native, images, filepath.Join(t.TempDir(), "native.csv"), Options{Root: root, Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Score(external, images, filepath.Join(t.TempDir(), "onnx.csv"), Options{Root: root, Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	if a.Errors+b.Errors != 0 || len(a.Scores) != 5 || len(b.Scores) != 5 {
		t.Fatalf("native %+v, onnx %+v", a, b)
	}
	for i := range a.Scores {
		if d := math.Abs(a.Scores[i].Score - b.Scores[i].Score); d > 1e-5 {
			t.Errorf("%s: native %v, ONNX %v", a.Scores[i].ExamID, a.Scores[i].Score, b.Scores[i].Score)
		}
	}
	if b.ModelID[:5] != "onnx-" || b.ModelHash != external.ParamsHash {
		t.Errorf("model id %s, hash %s", b.ModelID, b.ModelHash)
	}
}

// TestONNXShardsMerge: an ONNX model's round scored in three shards and
// merged is the unsharded round byte for byte; a shard scored with the
// native CNN cannot be merged in.
func TestONNXShardsMerge(t *testing.T) {
	dir, images, native := setup(t)
	m, err := onnx.LoadFile("../onnx/testdata/resnet18_w8.onnx", "")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	all := filepath.Join(work, "all.csv")
	if _, err := Score(m, images, all, Options{Root: dir}); err != nil {
		t.Fatal(err)
	}
	var shards []string
	for k := 0; k < 3; k++ {
		p := filepath.Join(work, fmt.Sprintf("shard%d.csv", k))
		if _, err := Score(m, images, p, Options{Root: dir, Shard: k, Shards: 3}); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, p)
	}
	if _, err := Merge(images, shards, filepath.Join(work, "merged.csv")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(read(t, filepath.Join(work, "merged.csv")), read(t, all)) {
		t.Error("the merged shards differ from the unsharded round")
	}
	other := filepath.Join(work, "cnn1.csv")
	if _, err := Score(native, images, other, Options{Root: dir, Shard: 1, Shards: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(images, []string{shards[0], other, shards[2]}, filepath.Join(work, "mixed.csv")); err == nil {
		t.Error("shards scored by the ONNX model and the CNN merged")
	}
}
