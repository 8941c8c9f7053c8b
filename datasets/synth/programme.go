package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/screenlab/screenlab/datasets"
)

// Programmes that GenerateProgramme writes.
const (
	Cervical = "cervical"
	Bowel    = "bowel"
)

// ProgrammeSummary reports what GenerateProgramme wrote.
type ProgrammeSummary struct {
	Dir         string   `json:"dir"`
	Programme   string   `json:"programme"`
	Seed        uint64   `json:"seed"`
	Persons     int      `json:"persons"`
	Invitations int      `json:"invitations"`
	Tests       int      `json:"tests"`
	Followups   int      `json:"followups"`
	Diagnoses   int      `json:"diagnoses"`
	Files       []string `json:"files"`
}

// counties of the synthetic programmes, with their share of the
// population; each has one laboratory (cervical) and one hospital.
var counties = []struct {
	name   string
	weight float64
}{
	{"oslo", 0.26}, {"viken", 0.24}, {"vestland", 0.20}, {"trondelag", 0.16}, {"nordland", 0.14},
}

// programmePerson is one person's rows in every table of a programme.
type programmePerson struct {
	person      datasets.Person
	invitations []datasets.Invitation
	cxTests     []datasets.CervicalTest
	cxFollowups []datasets.CervicalFollowup
	fitTests    []datasets.FITTest
	colonos     []datasets.Colonoscopy
	diagnoses   []datasets.Diagnosis
}

// event is a scheduled step of a person's screening pathway.
type event struct {
	date datasets.Date
	kind int
	arg  int
}

// agenda is a person's pending events, earliest first.
type agenda []event

func (a *agenda) add(e event) {
	i := len(*a)
	for i > 0 && (*a)[i-1].date > e.date {
		i--
	}
	*a = slices.Insert(*a, i, e)
}

func (a *agenda) pop(before datasets.Date) (event, bool) {
	if len(*a) == 0 || (*a)[0].date >= before {
		return event{}, false
	}
	e := (*a)[0]
	*a = (*a)[1:]
	return e, true
}

// stepDays is the time step of the natural-history models.
const stepDays = 30

// perStep turns a rate per year into the probability of the event within
// one step.
func perStep(rate float64) float64 { return 1 - math.Exp(-rate*stepDays/daysPerYear) }

// progRand is a person's random stream: PCG seeded by the seed, the
// programme and the person's index, so that persons do not depend on
// each other or on the order they are made in.
func progRand(seed uint64, programme string, i int) *rand.Rand {
	salt := uint64(0x9e3779b97f4a7c15)
	if programme == Bowel {
		salt = 0xc2b2ae3d27d4eb4f
	}
	return rand.New(rand.NewPCG(seed^salt, uint64(i)))
}

func pick(r *rand.Rand, weights []float64) int {
	u := r.Float64()
	for i, w := range weights {
		if u < w {
			return i
		}
		u -= w
	}
	return len(weights) - 1
}

func countyWeights() []float64 {
	w := make([]float64, len(counties))
	for i, c := range counties {
		w[i] = c.weight
	}
	return w
}

// lifeExit draws death and emigration dates after from (NoDate when after
// end) from the generator's life table and 0.2% emigration a year.
func lifeExit(r *rand.Rand, birth, from, end datasets.Date, sex byte) (death, emig datasets.Date) {
	death, emig = datasets.NoDate, datasets.NoDate
	e := r.ExpFloat64()
	cum := 0.0
	for t := from; t <= end; t += 365 {
		y, _, _ := t.Civil()
		age := int(float64(t-birth) / daysPerYear)
		h := LifeTableHazard(sex, y, age)
		if cum+h >= e {
			d := t + datasets.Date((e-cum)/h*365)
			if d <= end {
				death = d
			}
			break
		}
		cum += h
	}
	if u := r.ExpFloat64() / 0.002 * daysPerYear; from+datasets.Date(u) <= end && (death == datasets.NoDate || from+datasets.Date(u) < death) {
		emig = from + datasets.Date(u)
	}
	return death, emig
}

// GenerateProgramme writes a synthetic cervical or bowel screening
// programme into dir: persons, invitations, tests, followups and
// diagnoses. Each person's natural history (HPV infection → CIN2 → CIN3 →
// cancer; adenoma → advanced adenoma → cancer) runs in 30-day steps, and
// the programme's pathway (invitation, reminder, test, triage, repeat
// test, colposcopy or colonoscopy, treatment) acts on it. The same seed
// gives the same bytes; cfg.Workers does not matter.
func GenerateProgramme(dir, programme string, cfg Config) (*ProgrammeSummary, error) {
	cfg.defaults()
	if programme != Cervical && programme != Bowel {
		return nil, fmt.Errorf("generate: programme %q: want breast, cervical or bowel", programme)
	}
	if cfg.Persons <= 0 {
		return nil, fmt.Errorf("generate: persons must be positive, got %d", cfg.Persons)
	}
	switch cfg.Ext {
	case ".csv", ".csv.gz", ".parquet":
	default:
		return nil, fmt.Errorf("generate: file type %q: want .csv, .csv.gz or .parquet", cfg.Ext)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	sum := &ProgrammeSummary{Dir: dir, Programme: programme, Seed: cfg.Seed, Persons: cfg.Persons}
	testCols, fuCols := datasets.CervicalTestColumns, datasets.CervicalFollowupColumns
	if programme == Bowel {
		testCols, fuCols = datasets.FITTestColumns, datasets.ColonoscopyColumns
	}
	var writers []*datasets.TableWriter
	abort := func(err error) (*ProgrammeSummary, error) {
		for _, w := range writers {
			w.Abort()
		}
		return nil, err
	}
	for _, t := range []struct {
		name string
		cols []datasets.ColumnSpec
	}{{"persons", datasets.PersonColumns}, {"invitations", datasets.InvitationColumns},
		{"tests", testCols}, {"followups", fuCols}, {"diagnoses", datasets.DiagnosisColumns}} {
		p := filepath.Join(dir, t.name+cfg.Ext)
		w, err := datasets.CreateTable(p, t.cols)
		if err != nil {
			return abort(err)
		}
		writers = append(writers, w)
		sum.Files = append(sum.Files, p)
	}
	pw, iw, tw, fw, dw := writers[0], writers[1], writers[2], writers[3], writers[4]
	width := 7
	for n := cfg.Persons; n >= 10_000_000; n /= 10 {
		width++
	}
	var pp programmePerson
	for i := 0; i < cfg.Persons; i++ {
		r := progRand(cfg.Seed, programme, i)
		id := string(padInt([]byte("P"), i+1, width))
		pp = programmePerson{invitations: pp.invitations[:0], cxTests: pp.cxTests[:0], cxFollowups: pp.cxFollowups[:0],
			fitTests: pp.fitTests[:0], colonos: pp.colonos[:0], diagnoses: pp.diagnoses[:0]}
		if programme == Cervical {
			cervicalPerson(r, id, &cfg, &pp)
		} else {
			bowelPerson(r, id, &cfg, &pp)
		}
		if err := pw.WritePerson(&pp.person); err != nil {
			return abort(err)
		}
		for k := range pp.invitations {
			if err := iw.WriteInvitation(&pp.invitations[k]); err != nil {
				return abort(err)
			}
		}
		for k := range pp.cxTests {
			if err := tw.WriteCervicalTest(&pp.cxTests[k]); err != nil {
				return abort(err)
			}
		}
		for k := range pp.fitTests {
			if err := tw.WriteFITTest(&pp.fitTests[k]); err != nil {
				return abort(err)
			}
		}
		for k := range pp.cxFollowups {
			if err := fw.WriteCervicalFollowup(&pp.cxFollowups[k]); err != nil {
				return abort(err)
			}
		}
		for k := range pp.colonos {
			if err := fw.WriteColonoscopy(&pp.colonos[k]); err != nil {
				return abort(err)
			}
		}
		for k := range pp.diagnoses {
			if err := dw.WriteDiagnosis(&pp.diagnoses[k]); err != nil {
				return abort(err)
			}
		}
		sum.Invitations += len(pp.invitations)
		sum.Tests += len(pp.cxTests) + len(pp.fitTests)
		sum.Followups += len(pp.cxFollowups) + len(pp.colonos)
		sum.Diagnoses += len(pp.diagnoses)
		if cfg.Progress != nil && ((i+1)%1024 == 0 || i+1 == cfg.Persons) {
			cfg.Progress(i + 1)
		}
	}
	for _, w := range writers {
		if err := w.Close(); err != nil {
			return abort(err)
		}
	}
	return sum, nil
}

// stageAfter is the stage of a cancer that has been preclinical for the
// given years (I under 1.5, II under 3, III under 4.5, else IV), a little
// blurred.
func stageAfter(r *rand.Rand, years float64) string {
	years += 0.6 * r.NormFloat64()
	switch {
	case years < 1.5:
		return "I"
	case years < 3:
		return "II"
	case years < 4.5:
		return "III"
	}
	return "IV"
}

// uniformDays is a whole number of days in [lo, hi].
func uniformDays(r *rand.Rand, lo, hi int) datasets.Date {
	return datasets.Date(lo + r.IntN(hi-lo+1))
}

func choose(b bool, x, y float64) float64 {
	if b {
		return x
	}
	return y
}
