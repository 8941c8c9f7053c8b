package screening

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/synth"
)

// TestGeneratedProgrammesLookNorwegian generates 50,000 persons per
// programme, links them and checks that the indicators land in the
// ranges of the Norwegian programmes' published figures (HPV positivity
// 7-10% at 34-69; FIT positivity about 6%; uptake about 59% of women and
// 49% of men; cancer in about 3.5% and polyps in about 58% of
// colonoscopies), each through the library a user calls.
func TestGeneratedProgrammesLookNorwegian(t *testing.T) {
	if testing.Short() {
		t.Skip("50,000 persons per programme")
	}
	for _, c := range []struct {
		programme string
		by        []string
		ranges    map[string][2]float64 // [lo, hi] (proportions) of the total row, or of the row named "metric@group"
	}{
		{"cervical", nil, map[string][2]float64{
			"hpv_positivity": {0.07, 0.1}, "participation": {0.6, 0.85}, "colposcopy_compliance": {0.85, 0.95},
			"triage_positivity": {0.3, 0.65}, "cin2plus_per_1000": {5, 25},
		}},
		{"bowel", []string{"sex"}, map[string][2]float64{
			"positivity": {0.05, 0.07}, "participation@F": {0.56, 0.62}, "participation@M": {0.46, 0.52},
			"ppv_cancer": {0.028, 0.042}, "polyp_rate": {0.54, 0.62}, "colonoscopy_uptake": {0.85, 0.95},
			"adenoma_detection_rate": {0.4, 0.7}, "interval_cancer_proportion": {0.1, 0.45},
		}},
	} {
		dir := t.TempDir()
		if _, err := synth.GenerateProgramme(dir, c.programme, synth.Config{Persons: 50000, Seed: 1}); err != nil {
			t.Fatal(err)
		}
		p := func(name string) string { return filepath.Join(dir, name+".csv") }
		reg, err := datasets.LoadRegistry(datasets.RegistryFiles{Persons: p("persons"), Diagnoses: p("diagnoses"), Programme: c.programme,
			Invitations: p("invitations"), Tests: p("tests"), Followups: p("followups")}, datasets.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := datasets.LinkProgramme(reg, c.programme, nil, datasets.BowelLinkOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ep, inv, err := pl.Frames()
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ProgrammeMetrics(c.programme, ep, inv, ProgrammeOptions{By: c.by})
		if err != nil {
			t.Fatal(err)
		}
		for key, r := range c.ranges {
			name, group, _ := bytes.Cut([]byte(key), []byte("@"))
			row := rep.Rows[len(rep.Rows)-1]
			if len(group) > 0 {
				row = *rep.Row(string(group))
			}
			if v := row.Metrics.Value(string(name)); !(v >= r[0] && v <= r[1]) {
				t.Errorf("%s %s = %.3g, want %g-%g", c.programme, key, v, r[0], r[1])
			} else {
				t.Logf("%s %s = %.3g (%g-%g)", c.programme, key, v, r[0], r[1])
			}
		}
	}
}

// TestGenerateProgrammeSameSeedSameBytes: the same seed gives the same
// files, another seed others.
func TestGenerateProgrammeSameSeedSameBytes(t *testing.T) {
	for _, programme := range []string{synth.Cervical, synth.Bowel} {
		var dirs [3]string
		for i, seed := range []uint64{7, 7, 8} {
			dirs[i] = t.TempDir()
			if _, err := synth.GenerateProgramme(dirs[i], programme, synth.Config{Persons: 2000, Seed: seed}); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range []string{"persons", "invitations", "tests", "followups", "diagnoses"} {
			var b [3][]byte
			for i := range dirs {
				var err error
				if b[i], err = os.ReadFile(filepath.Join(dirs[i], name+".csv")); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(b[0], b[1]) {
				t.Errorf("%s %s: the same seed gave different bytes", programme, name)
			}
			if name != "persons" && bytes.Equal(b[0], b[2]) {
				t.Errorf("%s %s: another seed gave the same bytes", programme, name)
			}
		}
	}
}
