package scoring

import (
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
