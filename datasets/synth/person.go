package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strconv"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/imageio"
)

type generator struct {
	cfg       *Config
	dir       string
	pcg       *rand.PCG
	r         *rand.Rand
	idWidth   int
	unitStart []datasets.Date
}

func newGenerator(cfg *Config) *generator {
	pcg := rand.NewPCG(0, 0)
	g := &generator{cfg: cfg, pcg: pcg, r: rand.New(pcg), idWidth: 7}
	for n := cfg.Persons; n >= 10_000_000; n /= 10 {
		g.idWidth++
	}
	for _, u := range units {
		g.unitStart = append(g.unitStart, datasets.DateOf(u.startYear, 3, 1))
	}
	return g
}

func padInt(b []byte, n, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for n > 0 || i == len(tmp) {
		i--
		tmp[i] = byte('0' + n%10)
		n /= 10
	}
	for k := len(tmp) - i; k < width; k++ {
		b = append(b, '0')
	}
	return append(b, tmp[i:]...)
}

const daysPerYear = 365.25

// preStartYears is how long before the registry's start tumours may begin
// (far longer than any sojourn time).
const preStartYears = 25

// walk draws the date at which a cumulative hazard reaches an Exp(1) draw,
// starting at from and stepping from birthday to birthday with the hazard
// per year haz(age in completed years, calendar year) held constant within a
// step. It returns a date after limit when the event does not happen by then.
func (g *generator) walk(birth, from, limit datasets.Date, haz func(age, year int) float64) datasets.Date {
	e := g.r.ExpFloat64()
	by, _, _ := birth.Civil()
	t := from
	cum := 0.0
	for t <= limit {
		age := int(float64(t-birth) / daysPerYear)
		next := birth.AddMonths(12 * (age + 1))
		if next <= t {
			next = t + 1
		}
		y, _, _ := t.Civil()
		h := haz(age, y) / daysPerYear
		seg := float64(next - t)
		if h > 0 && cum+h*seg >= e {
			return t + datasets.Date((e-cum)/h)
		}
		cum += h * seg
		t = next
		_ = by
	}
	return limit + 1
}

func (g *generator) uniformDate(lo, hi datasets.Date) datasets.Date {
	return lo + datasets.Date(g.r.IntN(int(hi-lo)+1))
}

func (g *generator) pickUnit() int {
	u := g.r.Float64()
	for i, un := range units {
		if u < un.weight {
			return i
		}
		u -= un.weight
	}
	return len(units) - 1
}

func densityCategory(z float64) string {
	switch {
	case z < -1.28:
		return "a"
	case z < 0.15:
		return "b"
	case z < 1.35:
		return "c"
	}
	return "d"
}

func (g *generator) stage(probs [4]float64) string {
	u := g.r.Float64()
	names := [4]string{"I", "II", "III", "IV"}
	for i, p := range probs {
		if u < p {
			return names[i]
		}
		u -= p
	}
	return "IV"
}

// excessHazard is the yearly excess mortality of a breast cancer by stage
// and age at diagnosis (higher for stage IV, and for older women).
func excessHazard(stage string, age float64) float64 {
	var h float64
	switch stage {
	case "I":
		h = 0.004
	case "II":
		h = 0.02
	case "III":
		h = 0.08
	case "IV":
		h = 0.35
	default:
		return 0
	}
	return h * math.Max(0.5, 1+0.02*(age-60))
}

func (g *generator) person(i int) personOut {
	cfg := g.cfg
	g.pcg.Seed(cfg.Seed, uint64(i))
	r := g.r
	readers := rand.New(rand.NewPCG(cfg.Seed^readerStream, uint64(i)))
	var out personOut
	p := &out.person
	p.ID = string(padInt([]byte{'P'}, i+1, g.idWidth))
	p.Sex = 'F'
	p.BirthDate = g.uniformDate(datasets.DateOf(1925, 1, 1), datasets.DateOf(1974, 12, 31))
	by, _, _ := p.BirthDate.Civil()
	ui := g.pickUnit()
	unit := units[ui]
	p.Region = unit.region
	p.DeathDate, p.EmigrationDate = datasets.NoDate, datasets.NoDate

	famHist := r.Float64() < 0.12
	bmi := math.Min(50, math.Max(16, math.Exp(math.Log(25.5)+0.17*r.NormFloat64())))
	hrtP := 0.08
	if by < 1950 {
		hrtP = 0.18
	}
	hrt := r.Float64() < hrtP
	benign := r.Float64() < 0.04
	densZ := r.NormFloat64()

	start, end := cfg.Start, cfg.End
	if p.BirthDate > start {
		start = p.BirthDate
	}
	deathOther := g.walk(p.BirthDate, start, end, func(age, year int) float64 {
		return LifeTableHazard('F', year, age)
	})
	emigration := g.walk(p.BirthDate, start, end, func(age, _ int) float64 {
		switch {
		case age < 40:
			return 0.004
		case age < 60:
			return 0.002
		}
		return 0.001
	})
	exit := min(deathOther, emigration, end+1)

	// Breast cancer natural history.
	rr := math.Exp(0.35*densZ) / 1.24
	if famHist {
		rr *= 1.8
	}
	if hrt {
		rr *= 1.35
	}
	if benign {
		rr *= 1.5
	}
	bmiRR := math.Pow(1.05, (bmi-25)/5)
	// The tumour's natural history runs from before the registry starts:
	// a woman alive and undiagnosed at the start may already carry a
	// preclinical tumour (otherwise the first years would show almost no
	// cancers, as every tumour would need its sojourn time to surface).
	// One that surfaced before the start is a cancer before the registry:
	// she has none in it.
	onsetFrom := max(p.BirthDate, cfg.Start.AddMonths(-12*preStartYears))
	onset := g.walk(p.BirthDate, onsetFrom, end, func(age, _ int) float64 {
		h := interp(breastOnsetAges, breastOnsetHaz, float64(age)) * rr
		if age >= 50 {
			h *= bmiRR
		}
		return h
	})
	inSitu := r.Float64() < inSituFraction
	sojourn := sojournMedian * math.Exp(sojournSigma*r.NormFloat64())
	if inSitu {
		sojourn *= 1.8
	}
	clinical := onset + datasets.Date(sojourn*daysPerYear)
	if clinical <= onset {
		clinical = onset + 1
	}
	visibility := 0.1 + 0.8*r.NormFloat64()
	hasTumour := onset <= end && clinical >= cfg.Start
	dx := datasets.NoDate
	dxStage := ""
	// A tumour that surfaces clinically ends screening at that date.
	stopAt := end + 1
	if hasTumour && clinical < exit {
		stopAt = clinical
	}

	// Screening: invitations every two years at ages 50-69 from the unit's
	// start, in a phase of the woman's own.
	never := r.Float64() < attendNever
	phase := datasets.Date(r.IntN(730))
	round := 0
	for k := 0; ; k++ {
		inv := g.unitStart[ui] + phase + datasets.Date(float64(k)*730.5)
		if inv > end || inv >= exit || (dx != datasets.NoDate && inv >= dx) {
			break
		}
		age := datasets.YearsBetween(p.BirthDate, inv)
		if age < 50 {
			continue
		}
		if age >= 70 {
			break
		}
		attend := !never && r.Float64() < attendProb
		examDate := inv + datasets.Date(r.IntN(45))
		// Draw the exam's latents whether or not she attends, so that one
		// woman's later exams do not depend on earlier attendance draws.
		s := r.NormFloat64()
		e1, e2, ec, ea, en := r.NormFloat64(), r.NormFloat64(), r.NormFloat64(), r.NormFloat64(), r.NormFloat64()
		uc, ua := r.Float64(), r.Float64()
		if examDate >= stopAt {
			break
		}
		if !attend || examDate >= exit || examDate > end || (dx != datasets.NoDate && examDate >= dx) {
			continue
		}
		round++
		ageExam := datasets.YearsBetween(p.BirthDate, examDate)
		dzExam := densZ - 0.045*(ageExam-50) + 0.3*en
		ex := examRow{famHist: famHist, bmi: math.Round(bmi*10) / 10, hrt: hrt, benignPrev: benign}
		e := &ex.Exam
		e.ID = string(padInt(append([]byte(p.ID), '-'), round, 2))
		e.PersonID = p.ID
		e.Date = examDate
		e.ScreeningUnit = unit.name
		e.Round = round
		e.Density = densityCategory(dzExam)

		present := hasTumour && onset <= examDate && examDate < clinical
		signal, c := 0.0, 0.0
		if present {
			f := float64(examDate-onset) / float64(clinical-onset)
			c = visibility + 2.2*f - 0.35*math.Max(0, dzExam)
			if inSitu {
				c += 0.5
			}
			signal = signalScale * math.Max(0, c)
		}
		thr := readerThresh + unit.readerShift
		r1 := readers.IntN(readersPerUnit)
		r2 := (r1 + 1 + readers.IntN(readersPerUnit-1)) % readersPerUnit
		ex.reader1 = fmt.Sprintf("%s-R%d", unit.name, r1+1)
		ex.reader2 = fmt.Sprintf("%s-R%d", unit.name, r2+1)
		e.Reader1Recall = math.Sqrt(readerRho)*s+math.Sqrt(1-readerRho)*e1+signal > thr+readerShifts[r1]
		e.Reader2Recall = math.Sqrt(readerRho)*s+math.Sqrt(1-readerRho)*e2+signal > thr+0.02+readerShifts[r2]
		e.Consensus = -1
		if e.Reader1Recall || e.Reader2Recall {
			yc := 0.6*s + 0.8*ec + 1.2*signal
			if e.Reader1Recall && e.Reader2Recall {
				yc += 0.4
			}
			if yc > 1.4+consRecallBase+unit.consShift {
				e.Consensus = 1
			} else {
				e.Consensus = 0
			}
		}
		e.Recall = e.Consensus == 1
		ex.vendor, ex.aiVersion = unit.vendor, "v1"
		lift := aiLift
		if examDate >= aiV2From {
			ex.aiVersion, lift = "v2", aiLift+aiV2Lift
		}
		z := math.Sqrt(aiRho)*s + math.Sqrt(1-aiRho)*ea + vendorAIShift[unit.vendor]
		seen := 0.0
		if present {
			// The AI sees tumours partly differently from the readers.
			seen = aiScale * math.Max(0, c+lift+aiOwn*r.NormFloat64())
			z += seen
		}
		e.AIScore = math.Round(phi(z)*1e4) / 1e4
		// the product's second, "suspicious" score: the same view of the
		// tumour, its own noise on the rest
		z2 := 0.5*(z-seen) + 0.87*readers.NormFloat64() - 0.8 + 1.2*seen
		ex.suspicious = math.Round(phi(z2)*1e4) / 1e4
		ex.decile = min(10, 1+int(e.AIScore*10))
		ex.visible = math.NaN()
		if present {
			ex.contrast = lesionContrast(c)
			ex.visible = c
		}
		out.exams = append(out.exams, ex)

		if e.Recall {
			if present && uc > assessMiss {
				d := examDate + datasets.Date(10+r.IntN(60))
				if d < exit && d <= end {
					dx = d
					if inSitu {
						dxStage = "0"
					} else {
						f := float64(examDate-onset) / float64(clinical-onset)
						dxStage = g.stage([4]float64{0.72 - 0.3*f, 0.22 + 0.2*f, 0.04 + 0.07*f, 0.02 + 0.03*f})
					}
				}
			} else if !present && ua < biopsyFP {
				benign = true
			}
		}
	}
	if hasTumour && dx == datasets.NoDate && clinical < exit && clinical <= end {
		dx = clinical
		if inSitu {
			dxStage = "0"
		} else {
			dxStage = g.stage([4]float64{0.40, 0.42, 0.12, 0.06})
		}
		// the radiological review of the last screen before a cancer found
		// between screens (within two years): what was visible there
		if k := len(out.exams) - 1; k >= 0 && dx-out.exams[k].Date <= 730 {
			class := "true-interval" // not there at the screen
			switch v := out.exams[k].visible; {
			case v >= 0.6:
				class = "missed"
			case v > 0:
				class = "minimal-signs"
			case !math.IsNaN(v):
				class = "occult"
			}
			out.reviews = append(out.reviews, [2]string{out.exams[k].ID, class})
		}
	}
	death := deathOther
	if dx != datasets.NoDate {
		code, behaviour := "C50."+string(rune('0'+r.IntN(10))), 3
		if inSitu {
			code, behaviour = "D05."+string(rune('0'+r.IntN(3))), 2
		}
		out.diagnoses = append(out.diagnoses, datasets.Diagnosis{PersonID: p.ID, Date: dx, ICD10: code,
			Behaviour: behaviour, Stage: dxStage, Hospital: "HF" + unit.name[2:]})
		if h := excessHazard(dxStage, datasets.YearsBetween(p.BirthDate, dx)); h > 0 {
			excess := dx + 1 + datasets.Date(r.ExpFloat64()/h*daysPerYear)
			death = min(death, excess)
		}
	}
	// Other cancer sites, first occurrence of each.
	for _, site := range otherSites {
		d := g.walk(p.BirthDate, start, end, func(age, _ int) float64 {
			return math.Exp(site.a + site.b*float64(age-60))
		})
		if d < exit && d <= end && d < death {
			out.diagnoses = append(out.diagnoses, datasets.Diagnosis{PersonID: p.ID, Date: d, ICD10: site.icd10 + "." + string(rune('0'+r.IntN(10))),
				Behaviour: 3, Stage: g.stage([4]float64{0.3, 0.3, 0.2, 0.2}), Hospital: "HF" + unit.name[2:]})
		}
	}
	sortDiagnoses(out.diagnoses)
	switch {
	case emigration <= end && emigration < death:
		p.EmigrationDate = emigration
		exit = emigration
	case death <= end:
		p.DeathDate = death
		exit = death
	default:
		exit = end + 1
	}
	out.days = personDays(p.BirthDate, start, exit, out.days[:0])
	if cfg.Images && len(out.exams) > 0 {
		out.images, out.err = g.images(i, out.exams, hasTumour, inSitu)
	}
	return out
}

// images renders and writes the four views of each exam of person i.
func (g *generator) images(i int, exams []examRow, hasTumour, inSitu bool) ([]datasets.Image, error) {
	cfg := g.cfg
	r := rand.New(rand.NewPCG(cfg.Seed^imageStream, uint64(i)))
	breasts := map[byte]*breastLook{}
	for _, side := range []byte{'R', 'L'} {
		b := newBreast(r)
		breasts[side] = &b
	}
	var les *lesion
	if hasTumour {
		l := newLesion(r, inSitu)
		les = &l
	}
	var out []datasets.Image
	for k := range exams {
		e := &exams[k].Exam
		if cfg.ImageSample > 0 && cfg.ImageSample < 1 && exams[k].contrast == 0 && r.Float64() >= cfg.ImageSample {
			continue
		}
		for _, side := range []byte{'R', 'L'} {
			for _, view := range []string{"CC", "MLO"} {
				var l *lesion
				contrast := 0.0
				if les != nil && les.side == side && exams[k].contrast > 0 {
					l, contrast = les, exams[k].contrast
				}
				px := renderView(r, cfg.ImageWidth, cfg.ImageHeight, breasts[side], side, view, e.Density, l, contrast)
				name := e.ID + "_" + string(side) + "_" + view
				rel := filepath.Join("images", name+".dcm")
				info := imageio.DICOMInfo{PatientID: e.PersonID, StudyUID: "2.25." + uidNumber(cfg.Seed, i, k, 0),
					SOPUID: "2.25." + uidNumber(cfg.Seed, i, k, int(side)*2+len(view)), Laterality: string(side), View: view}
				if err := imageio.WriteDICOM(filepath.Join(g.dir, rel), cfg.ImageWidth, cfg.ImageHeight, px, info); err != nil {
					return nil, err
				}
				if cfg.ImagePNG {
					if err := imageio.WritePNG16(filepath.Join(g.dir, "images", name+".png"), cfg.ImageWidth, cfg.ImageHeight, px, 12); err != nil {
						return nil, err
					}
				}
				out = append(out, datasets.Image{ExamID: e.ID, Laterality: side, View: view, Path: rel})
			}
		}
	}
	return out, nil
}

// uidNumber makes a deterministic numeric UID component (DICOM "2.25."
// UIDs are decimal integers).
func uidNumber(seed uint64, person, exam, image int) string {
	h := seed*0x9E3779B97F4A7C15 ^ uint64(person)*0xBF58476D1CE4E5B9 ^ uint64(exam)*0x94D049BB133111EB ^ uint64(image+1)*0x2545F4914F6CDD1D
	return strconv.FormatUint(h, 10)
}

func sortDiagnoses(ds []datasets.Diagnosis) {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j].Date < ds[j-1].Date; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

// personDays splits follow-up [from, exit) by calendar year and 5-year age
// group (the last group open at 90).
func personDays(birth, from, exit datasets.Date, cells []popCell) []popCell {
	by, _, _ := birth.Civil()
	fy, _, _ := from.Civil()
	for y := fy; ; y++ {
		lo := max(from, datasets.DateOf(y, 1, 1))
		hi := min(exit, datasets.DateOf(y+1, 1, 1))
		if lo >= hi {
			if datasets.DateOf(y, 1, 1) >= exit {
				break
			}
			continue
		}
		bday := birth.AddMonths(12 * (y - by))
		add := func(a, b datasets.Date, age int) {
			if b > a {
				cells = append(cells, popCell{year: y, group: min(age/5, nGroups-1), days: int(b - a)})
			}
		}
		add(lo, min(hi, bday), y-by-1)
		add(max(lo, bday), hi, y-by)
	}
	return cells
}
