package demo

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/synth"
	"github.com/screenlab/screenlab/export"
)

// childhoodChildren is the size of the demo's childhood cancer registry
// (about 200 a year, as the Norwegian one).
const childhoodChildren = 3000

// researchExtract generates a childhood cancer registry in dir/childhood
// and delivers its example protocol's extract to dir/extract, keyed with a
// demo key made from the seed (dir/childhood/demo.key: a real project's key
// comes from /dev/urandom and stays at the registry).
func researchExtract(dir string, seed uint64) (*export.Manifest, []string, error) {
	regDir := filepath.Join(dir, "childhood")
	sum, err := synth.GenerateChildhood(regDir, synth.Config{Persons: childhoodChildren, Seed: seed})
	if err != nil {
		return nil, nil, err
	}
	key := filepath.Join(regDir, "demo.key")
	if err := os.WriteFile(key, fmt.Appendf(nil, "screenlab demo key for seed %d, never for real data", seed), 0o600); err != nil {
		return nil, nil, err
	}
	out := filepath.Join(dir, "extract")
	m, err := export.Job{Protocol: filepath.Join(regDir, "protocol.json"), Reservations: filepath.Join(regDir, "reservations.csv"),
		KeyFile: key, Out: out, AsOf: datasets.DateOf(2025, 1, 15)}.Run()
	if err != nil {
		return nil, nil, err
	}
	files := append(sum.Files, filepath.Join(out, "manifest.json"))
	for _, o := range m.Outputs {
		files = append(files, filepath.Join(out, o.File))
	}
	return m, files, nil
}
