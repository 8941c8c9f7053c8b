package synth

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/datasets"
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

// TestGenerateChildhoodSameSeedSameBytes: the childhood registry is
// reproducible; ids are unique 11-digit national ids; every child is 0–17
// at diagnosis; treatments reach children only through a diagnosis.
func TestGenerateChildhoodSameSeedSameBytes(t *testing.T) {
	var dirs [2]string
	for i := range dirs {
		dirs[i] = t.TempDir()
		sum, err := GenerateChildhood(dirs[i], Config{Persons: 1000, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Diagnoses < 1000 || sum.Treatments == 0 || sum.Reservations == 0 {
			t.Errorf("summary %+v", sum)
		}
	}
	for _, name := range []string{"persons.csv", "diagnoses.csv", "treatments.csv", "reservations.csv", "protocol.json"} {
		a, _ := os.ReadFile(filepath.Join(dirs[0], name))
		b, _ := os.ReadFile(filepath.Join(dirs[1], name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: differs or empty", name)
		}
	}
	persons, _ := datasets.ReadFrame(filepath.Join(dirs[0], "persons.csv"))
	ids, _ := persons.Strings("person_id")
	births, _ := persons.Dates("birth_date")
	birth := map[string]datasets.Date{}
	for i, id := range ids {
		if len(id) != 11 || birth[id] != 0 {
			t.Fatalf("id %d: not a unique 11-digit id", i)
		}
		birth[id] = births[i]
	}
	dx, _ := datasets.ReadFrame(filepath.Join(dirs[0], "diagnoses.csv"))
	who, _ := dx.Strings("person_id")
	when, _ := dx.Dates("diagnosis_date")
	for i := range who {
		if age := float64(when[i]-birth[who[i]]) / datasets.DaysPerYear; age < 0 || age >= 18.5 {
			t.Errorf("diagnosis %d at age %.1f", i, age)
		}
	}
	tr, _ := os.ReadFile(filepath.Join(dirs[0], "treatments.csv"))
	if bytes.Contains(tr, []byte("person_id")) {
		t.Error("treatments hold the person")
	}
}
