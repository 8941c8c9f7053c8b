// Command prep writes the inputs of the ONNX fixtures (see export.py):
// screenlab_cnn.model, a triage CNN with seeded weights and screenlab's
// 64×64 preprocessing, and inputs.f32, views of the codec fixtures'
// exam preprocessed by it (little-endian float32, N × 1 × 64 × 64).
//
// Run from the repository root: go run ./models/onnx/testdata/prep
package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/screenlab/screenlab/datasets/imageio"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/models"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "prep:", err)
		os.Exit(1)
	}
}

func run() error {
	const out = "models/onnx/testdata"
	cnn, err := models.NewCNN(64, 42)
	if err != nil {
		return err
	}
	prep := &features.ImagePrep{Width: 64, Height: 64, Threshold: 0.08, Resize: features.ResizeFloat}
	if err := models.Save(filepath.Join(out, "screenlab_cnn.model"), &models.File{Kind: "cnn", CNN: cnn, ImagePrep: prep}); err != nil {
		return err
	}
	var buf []byte
	n := 0
	for _, dir := range []string{"original", "jpeg-baseline"} {
		for _, v := range []string{"R_CC", "R_MLO", "L_CC", "L_MLO"} {
			m, err := imageio.Read(filepath.Join("datasets/imageio/codec/testdata", dir, "P0000007-03_"+v+".dcm"))
			if err != nil {
				return err
			}
			for _, p := range prep.Preprocess(m).Pixels {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(p))
			}
			n++
		}
	}
	fmt.Printf("%d views\n", n)
	return os.WriteFile(filepath.Join(out, "inputs.f32"), buf, 0o644)
}
