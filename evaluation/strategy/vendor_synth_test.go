package strategy

import (
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/synth"
)

// TestVendorInteractionRecovered: the generator's AI scores GE images
// higher and Hologic and Siemens alike. With one rule-out threshold for
// the whole programme, the interaction test on the reads saved is
// significant across the three vendors and not between Hologic and
// Siemens, for three seeds.
func TestVendorInteractionRecovered(t *testing.T) {
	if testing.Short() {
		t.Skip("generates three registries")
	}
	for _, seed := range []uint64{11, 12, 13} {
		dir := t.TempDir()
		if _, err := synth.Generate(dir, synth.Config{Persons: 15000, Seed: seed}); err != nil {
			t.Fatal(err)
		}
		reg, err := datasets.LoadRegistry(datasets.RegistryFiles{Persons: filepath.Join(dir, "persons.csv"),
			Exams: filepath.Join(dir, "exams.csv"), Diagnoses: filepath.Join(dir, "diagnoses.csv")}, datasets.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		linked, _, err := datasets.LinkOutcomes(reg, datasets.DefaultLinkOptions())
		if err != nil {
			t.Fatal(err)
		}
		score := func(i int) float64 { return linked[i].AIScore }
		p := func(opts ReplayOptions) float64 {
			opts.Strategies, opts.By, opts.Extra = []string{"rule-out:fraction=0.5"}, "vendor", reg.ExamExtra
			rep, err := Replay(linked, score, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range rep.Subgroups.Interactions {
				if in.Metric == "reads" {
					return in.P
				}
			}
			t.Fatal("no reads interaction")
			return 0
		}
		if all := p(ReplayOptions{}); all > 1e-6 {
			t.Errorf("seed %d: vendors' reads saved alike (p %g), though GE scores higher", seed, all)
		}
		if two := p(ReplayOptions{CalibrateOn: "year>=1900", EvaluateOn: "vendor!=GE"}); two < 0.01 {
			t.Errorf("seed %d: Hologic and Siemens differ (p %g), though the generator made them alike", seed, two)
		}
	}
}
