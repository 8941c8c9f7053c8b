package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGenerateClinicalSameSeedSameBytes: the clinical registry is
// reproducible, and its tables are there.
func TestGenerateClinicalSameSeedSameBytes(t *testing.T) {
	var dirs [2]string
	for i := range dirs {
		dirs[i] = t.TempDir()
		sum, err := GenerateClinical(dirs[i], Config{Persons: 3000, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Reports == 0 || sum.Deaths == 0 || sum.PROMs == 0 || sum.EPIC26 == 0 || sum.Population != 4000 || sum.Reports >= sum.Cases {
			t.Errorf("summary %+v", sum)
		}
	}
	for _, name := range []string{"cases", "clinical_reports", "deaths", "proms", "proms_epic26", "population_qlq_c30"} {
		a, _ := os.ReadFile(filepath.Join(dirs[0], name+".csv"))
		b, _ := os.ReadFile(filepath.Join(dirs[1], name+".csv"))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: differs or empty", name)
		}
	}
}
