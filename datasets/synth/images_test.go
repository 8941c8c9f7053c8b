package synth

import (
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/imageio"
)

// TestImages: every exam has its four views as DICOM whose tags match the
// images table, and screen-detected exams are far more asymmetric (a
// bright lesion in one breast) than negative exams.
func TestImages(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a few thousand images")
	}
	dir := t.TempDir()
	sum, err := Generate(dir, Config{Persons: 400, Seed: 3, Images: true, ImageWidth: 40, ImageHeight: 52})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := datasets.LoadRegistry(datasets.RegistryFiles{Persons: filepath.Join(dir, "persons.csv"), Exams: filepath.Join(dir, "exams.csv"),
		Diagnoses: filepath.Join(dir, "diagnoses.csv"), Images: filepath.Join(dir, "images.csv")}, datasets.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reg.Images) != 4*sum.Exams {
		t.Fatalf("%d images for %d exams", len(reg.Images), sum.Exams)
	}
	linked, _, _ := datasets.LinkOutcomes(reg, datasets.DefaultLinkOptions())
	sd := map[string]bool{}
	neg := map[string]bool{}
	for _, e := range linked {
		if e.Outcome == datasets.ScreenDetected {
			sd[e.ID] = true
		} else if e.Outcome == datasets.Negative && len(neg) < 60 {
			neg[e.ID] = true
		}
	}
	// Per screen-detected exam: the brightest spot above the median in
	// each breast (CC view).
	peak := map[string]map[string]float32{}
	for k, im := range reg.Images {
		if k%97 == 0 || sd[im.ExamID] || neg[im.ExamID] { // a sample of all, every cancer exam, some negatives
			m, err := imageio.Read(filepath.Join(dir, im.Path))
			if err != nil {
				t.Fatal(err)
			}
			if m.Laterality != string(im.Laterality) || m.View != im.View || m.Width != 40 || m.Height != 52 {
				t.Fatalf("%s: tags %s %s %dx%d, table %c %s", im.Path, m.Laterality, m.View, m.Width, m.Height, im.Laterality, im.View)
			}
			if (sd[im.ExamID] || neg[im.ExamID]) && im.View == "CC" {
				mx := float32(0)
				for _, v := range m.Pixels {
					mx = max(mx, v)
				}
				if peak[im.ExamID] == nil {
					peak[im.ExamID] = map[string]float32{}
				}
				peak[im.ExamID][string(im.Laterality)] = mx
			}
		}
	}
	asym := func(set map[string]bool) (float64, int) {
		s, n := 0.0, 0
		for id, p := range peak {
			if set[id] {
				s += float64(max(p["L"], p["R"]) - min(p["L"], p["R"]))
				n++
			}
		}
		return s / float64(max(n, 1)), n
	}
	aSD, nSD := asym(sd)
	aNeg, nNeg := asym(neg)
	t.Logf("peak asymmetry: screen-detected %.3f (%d exams), negative %.3f (%d exams)", aSD, nSD, aNeg, nNeg)
	if nSD < 3 || nNeg < 20 {
		t.Fatalf("too few exams: %d screen-detected, %d negative", nSD, nNeg)
	}
	if aSD < aNeg+0.03 {
		t.Errorf("screen-detected exams are not more asymmetric than negative ones: %.3f vs %.3f", aSD, aNeg)
	}
}
