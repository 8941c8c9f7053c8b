package scoring

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	// JPEG-LS and JPEG 2000 fixtures.
	_ "github.com/screenlab/screenlab/datasets/imageio/codec/native"
)

// TestEveryLosslessSyntaxScoresTheSame: one exam's four views stored
// uncompressed and in every lossless syntax (RLE, JPEG lossless with two
// predictors, JPEG-LS, JPEG 2000; the fixtures of datasets/imageio/codec,
// made by dcmtk and GDCM) score to the same bytes; the lossy copies score
// too (no error rows), close to it.
func TestEveryLosslessSyntaxScoresTheSame(t *testing.T) {
	_, _, m := setup(t)
	root, err := filepath.Abs("../../datasets/imageio/codec/testdata")
	if err != nil {
		t.Fatal(err)
	}
	lossless := []string{"original", "rle", "jpeg-lossless-sv1", "jpeg-lossless-sv6", "jpegls", "j2k"}
	lossy := []string{"jpeg-baseline", "jpeg-extended", "jpegls-near", "j2k-lossy"}
	var images []datasets.Image
	for _, dir := range append(append([]string(nil), lossless...), lossy...) {
		for _, v := range []struct {
			lat  byte
			view string
		}{{'R', "CC"}, {'R', "MLO"}, {'L', "CC"}, {'L', "MLO"}} {
			images = append(images, datasets.Image{ExamID: dir, Laterality: v.lat, View: v.view,
				Path: filepath.Join(dir, "P0000007-03_"+string(v.lat)+"_"+v.view+".dcm")})
		}
	}
	out := filepath.Join(t.TempDir(), "scores.csv")
	sum, err := Score(m, images, out, Options{Root: root, Workers: 2, Batch: 4})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors != 0 {
		t.Fatalf("%d error rows: %v", sum.Errors, sum.ErrorReasons)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byExam := map[string][]string{}
	for _, r := range rows[1:] {
		byExam[r[0]] = r
	}
	want := byExam["original"]
	for _, dir := range lossless {
		got := byExam[dir]
		for c := 2; c <= 6; c++ { // the four views and the exam
			if got[c] != want[c] {
				t.Errorf("%s: %s = %s, uncompressed %s", dir, rows[0][c], got[c], want[c])
			}
		}
	}
	w, _ := strconv.ParseFloat(want[6], 64)
	for _, dir := range lossy {
		g, _ := strconv.ParseFloat(byExam[dir][6], 64)
		t.Logf("%s: exam score %.6f (uncompressed %.6f)", dir, g, w)
	}
}
