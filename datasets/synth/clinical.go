package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/screenlab/screenlab/datasets"
)

// hospitals of the synthetic clinical registry: the catchment area each
// serves, and how it works (how often it meets the pathway time, holds a
// multidisciplinary meeting, sends its clinical reports, and its effect on
// 90-day mortality on the logit scale).
var hospitals = []struct {
	name, area                      string
	weight                          float64
	pathway, mdt, report, mortality float64
	incontinence                    float64 // effect on urinary incontinence a year after prostate cancer treatment
}{
	{"HF-oslo", "oslo", 0.26, 0.78, 0.97, 0.93, 0, 0},
	{"HF-viken", "viken", 0.22, 0.66, 0.92, 0.88, 0.1, 0.1},
	{"HF-vestland", "vestland", 0.18, 0.72, 0.95, 0.85, -0.1, -0.2},
	{"HF-trondelag", "trondelag", 0.14, 0.61, 0.88, 0.70, 0.2, 0},
	{"HF-nordland", "nordland", 0.08, 0.55, 0.85, 0.55, 0.5, 0.9},
	{"HF-finnmark", "nordland", 0.04, 0.70, 0.90, 0.90, 0, 0},
	{"HF-private", "oslo", 0.08, 0.85, 0.60, 0.80, -0.3, -0.3},
}

// ClinicalSummary reports what GenerateClinical wrote.
type ClinicalSummary struct {
	Dir     string `json:"dir"`
	Seed    uint64 `json:"seed"`
	Cases   int    `json:"cases"`
	Reports int    `json:"reports"`
	Deaths  int    `json:"deaths"`
	PROMs   int    `json:"proms"`
	EPIC26  int    `json:"epic26"`
	// Population is the size of the general-population reference sample
	// answering the QLQ-C30 (for norms by sex and age).
	Population int      `json:"population"`
	Files      []string `json:"files"`
}

// ClinicalCaseColumns are the columns of the clinical registry's cases.
var ClinicalCaseColumns = []datasets.ColumnSpec{{Name: "person_id", Kind: datasets.KindString},
	{Name: "diagnosis_date", Kind: datasets.KindDate}, {Name: "year", Kind: datasets.KindInt},
	{Name: "icd10", Kind: datasets.KindString}, {Name: "basis", Kind: datasets.KindInt},
	{Name: "sex", Kind: datasets.KindString}, {Name: "age", Kind: datasets.KindInt},
	{Name: "stage", Kind: datasets.KindString}, {Name: "comorbidity", Kind: datasets.KindInt},
	{Name: "hospital", Kind: datasets.KindString}, {Name: "catchment_area", Kind: datasets.KindString},
	{Name: "days_to_treatment", Kind: datasets.KindInt}, {Name: "within_pathway", Kind: datasets.KindBool},
	{Name: "mdt", Kind: datasets.KindBool}, {Name: "reported", Kind: datasets.KindBool},
	{Name: "low_risk_prostate", Kind: datasets.KindBool}, {Name: "radical_treatment", Kind: datasets.KindBool},
	{Name: "died_90d", Kind: datasets.KindBool}}

// GenerateClinical writes a synthetic clinical quality registry into dir:
// cases (breast C50, colorectal C18–C20 and prostate C61, 2019–2024, with
// treating hospital and catchment area, basis of diagnosis, stage, age,
// comorbidity, days from referral to treatment, whether the case met the
// pathway time and was discussed at a multidisciplinary meeting, whether a
// clinical report came in, low-risk prostate cancers and their radical
// treatment, and death within 90 days from a logistic model of age, stage,
// comorbidity and hospital), clinical_reports (one per reported case, some
// late), deaths (date and cause), proms (a QLQ-C30 from about 60% of
// patients a year after diagnosis, with some items left blank),
// proms_epic26 (an EPIC-26 from about 70% of the men with prostate cancer,
// incontinence worse with age, stage and at some hospitals) and
// population_qlq_c30 (a general-population reference sample of 4,000
// answering the QLQ-C30, healthier than patients, worse with age and a
// little among women). The same seed gives the same bytes.
func GenerateClinical(dir string, cfg Config) (*ClinicalSummary, error) {
	cfg.defaults()
	if cfg.Persons <= 0 {
		return nil, fmt.Errorf("generate: persons must be positive, got %d", cfg.Persons)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	sum := &ClinicalSummary{Dir: dir, Seed: cfg.Seed, Cases: cfg.Persons}
	promCols := []datasets.ColumnSpec{{Name: "person_id", Kind: datasets.KindString}, {Name: "hospital", Kind: datasets.KindString},
		{Name: "sex", Kind: datasets.KindString}, {Name: "age", Kind: datasets.KindInt}, {Name: "stage", Kind: datasets.KindString}}
	for i := 1; i <= 30; i++ {
		promCols = append(promCols, datasets.ColumnSpec{Name: "q" + strconv.Itoa(i), Kind: datasets.KindInt})
	}
	epicCols := []datasets.ColumnSpec{{Name: "person_id", Kind: datasets.KindString}, {Name: "hospital", Kind: datasets.KindString},
		{Name: "age", Kind: datasets.KindInt}, {Name: "stage", Kind: datasets.KindString}}
	for _, it := range epic26Form {
		epicCols = append(epicCols, datasets.ColumnSpec{Name: "q" + it.name, Kind: datasets.KindInt})
	}
	popCols := []datasets.ColumnSpec{{Name: "person_id", Kind: datasets.KindString}, {Name: "sex", Kind: datasets.KindString},
		{Name: "age", Kind: datasets.KindInt}}
	popCols = append(popCols, promCols[5:]...)
	ts, err := createTables(dir, []namedTable{{"cases", ClinicalCaseColumns},
		{"clinical_reports", []datasets.ColumnSpec{{Name: "person_id", Kind: datasets.KindString}, {Name: "report_date", Kind: datasets.KindDate}, {Name: "icd10", Kind: datasets.KindString}}},
		{"deaths", []datasets.ColumnSpec{{Name: "person_id", Kind: datasets.KindString}, {Name: "death_date", Kind: datasets.KindDate}, {Name: "cause", Kind: datasets.KindString}}},
		{"proms", promCols},
		{"proms_epic26", epicCols},
		{"population_qlq_c30", popCols}})
	if err != nil {
		return nil, err
	}
	ws := ts.w
	sum.Files = append(sum.Files, ts.files...)
	abort := func(err error) (*ClinicalSummary, error) {
		ts.abort()
		return nil, err
	}
	cw, rw, dw, pw, ew := ws[0], ws[1], ws[2], ws[3], ws[4]
	hw := make([]float64, len(hospitals))
	for i, h := range hospitals {
		hw[i] = h.weight
	}
	start := datasets.DateOf(2019, 1, 1)
	for i := 0; i < cfg.Persons; i++ {
		r := progRand(cfg.Seed^0x5bd1e995, "clinical", i)
		id := string(padInt([]byte("K"), i+1, 7))
		h := hospitals[pick(r, hw)]
		site := [...]string{"C50", "C18", "C20", "C61"}[pick(r, []float64{0.35, 0.2, 0.1, 0.35})]
		sex := "F"
		switch {
		case site == "C61":
			sex = "M"
		case site != "C50" && r.IntN(2) == 0:
			sex = "M"
		}
		age := min(95, max(30, int(math.Round(67+10*r.NormFloat64()))))
		stage := [...]string{"I", "II", "III", "IV"}[pick(r, []float64{0.38, 0.32, 0.18, 0.12})]
		comorb := pick(r, []float64{0.55, 0.3, 0.15}) // 0, 1, 2+
		dx := start + uniformDays(r, 0, int(cfg.End-start))
		y, _, _ := dx.Civil()
		basis := [...]int{7, 6, 5, 2, 1, 0, 9}[pick(r, []float64{0.88, 0.02, 0.03, 0.03, 0.02, 0.01, 0.01})]
		days := int(math.Round(6 + 5*(r.ExpFloat64()+r.ExpFloat64()+r.ExpFloat64())))
		if r.Float64() > h.pathway {
			days += 15 + r.IntN(30)
		}
		within := days <= 35
		mdt := r.Float64() < h.mdt
		reported := r.Float64() < h.report
		lowRisk := site == "C61" && stage == "I" && r.Float64() < 0.5
		radical := lowRisk && r.Float64() < 0.12
		lp := -4.2 + 0.05*float64(age-67) + [...]float64{0, 0.4, 1.1, 2.2}[stageIndex(stage)] + 0.5*float64(comorb) + h.mortality
		died := r.Float64() < 1/(1+math.Exp(-lp))
		cw.String(id)
		cw.Date(dx)
		cw.Int(y)
		cw.String(site)
		cw.Int(basis)
		cw.String(sex)
		cw.Int(age)
		cw.String(stage)
		cw.Int(comorb)
		cw.String(h.name)
		cw.String(h.area)
		cw.Int(days)
		cw.Bool(within)
		cw.Bool(mdt)
		cw.Bool(reported)
		cw.Bool(lowRisk)
		cw.Bool(radical)
		cw.Bool(died)
		if err := cw.EndRow(); err != nil {
			return abort(err)
		}
		if reported {
			rw.String(id)
			rw.Date(dx + datasets.Date(5+int(40*r.ExpFloat64())))
			rw.String(site)
			if err := rw.EndRow(); err != nil {
				return abort(err)
			}
			sum.Reports++
		}
		if died {
			dw.String(id)
			dw.Date(dx + uniformDays(r, 1, 90))
			dw.String(site)
			if err := dw.EndRow(); err != nil {
				return abort(err)
			}
			sum.Deaths++
		} else if r.Float64() < 0.6 {
			// a QLQ-C30 a year on: better health with early stage and no
			// comorbidity; about 3% of items left blank
			health := 0.8*float64(stageIndex(stage)) + 0.5*float64(comorb) + r.NormFloat64()
			pw.String(id)
			pw.String(h.name)
			pw.String(sex)
			pw.Int(age)
			pw.String(stage)
			for q := 1; q <= 30; q++ {
				if r.Float64() < 0.03 {
					pw.Null()
					continue
				}
				if q >= 29 {
					pw.Int(min(7, max(1, int(math.Round(5.5-0.9*health+0.8*r.NormFloat64())))))
				} else {
					pw.Int(min(4, max(1, int(math.Round(1.4+0.45*health+0.6*r.NormFloat64())))))
				}
			}
			if err := pw.EndRow(); err != nil {
				return abort(err)
			}
			sum.PROMs++
		}
		if site == "C61" && !died {
			// drawn apart, so that the other tables keep their bytes
			er := progRand(cfg.Seed^0x2f6b1c3d, "epic26", i)
			if er.Float64() < 0.7 {
				if err := writeEPIC26(ew, er, id, h.name, age, stage, h.incontinence); err != nil {
					return abort(err)
				}
				sum.EPIC26++
			}
		}
	}
	for i := range populationSample {
		if err := writePopulationQLQ(ws[5], progRand(cfg.Seed^0x61c88647, "population", i), i); err != nil {
			return abort(err)
		}
		sum.Population++
	}
	if err := ts.close(); err != nil {
		return nil, err
	}
	return sum, nil
}

func stageIndex(s string) int {
	switch s {
	case "II":
		return 1
	case "III":
		return 2
	case "IV":
		return 3
	}
	return 0
}

// populationSample is the size of the general-population reference sample.
const populationSample = 4000

// epic26Form is the EPIC-26 form: each item, its answers, whether the
// highest answer is the best, and the domain its latent problem comes from
// (0 incontinence, 1 irritative, 2 bowel, 3 sexual, 4 hormonal).
var epic26Form = []struct {
	name     string
	min, max int
	up       bool
	domain   int
}{
	{"1", 1, 5, true, 0}, {"2", 1, 4, true, 0}, {"3", 0, 3, false, 0}, {"4a", 0, 4, false, 0},
	{"4b", 0, 4, false, 1}, {"4c", 0, 4, false, 1}, {"4d", 0, 4, false, 1}, {"4e", 0, 4, false, 1},
	{"5", 1, 5, false, 0},
	{"6a", 0, 4, false, 2}, {"6b", 0, 4, false, 2}, {"6c", 0, 4, false, 2}, {"6d", 0, 4, false, 2}, {"6e", 0, 4, false, 2},
	{"7", 1, 5, false, 2},
	{"8a", 1, 5, true, 3}, {"8b", 1, 5, true, 3}, {"9", 1, 4, true, 3}, {"10", 1, 5, true, 3}, {"11", 1, 5, true, 3},
	{"12", 1, 5, false, 3},
	{"13a", 0, 4, false, 4}, {"13b", 0, 4, false, 4}, {"13c", 0, 4, false, 4}, {"13d", 0, 4, false, 4}, {"13e", 0, 4, false, 4},
}

// writeEPIC26 writes one man's EPIC-26: a latent problem per domain (worse
// with age and stage; incontinence also with the hospital), each item's
// answer from how well he does on it; about 4% of items left blank.
func writeEPIC26(w *datasets.TableWriter, r *rand.Rand, id, hospital string, age int, stage string, hospEffect float64) error {
	st := float64(stageIndex(stage))
	latent := [5]float64{
		-1.6 + 0.04*float64(age-67) + 0.3*st + hospEffect + 0.7*r.NormFloat64(),
		-1.8 + 0.02*float64(age-67) + 0.6*r.NormFloat64(),
		-2.2 + 0.2*st + 0.6*r.NormFloat64(),
		0.2 + 0.06*float64(age-67) + 0.4*st + 0.8*r.NormFloat64(),
		-1.9 + 0.5*st + 0.6*r.NormFloat64(),
	}
	w.String(id)
	w.String(hospital)
	w.Int(age)
	w.String(stage)
	for _, it := range epic26Form {
		if r.Float64() < 0.04 {
			w.Null()
			continue
		}
		good := 1 / (1 + math.Exp(latent[it.domain]+0.5*r.NormFloat64()))
		k := int(math.Round(good * float64(it.max-it.min)))
		if it.up {
			w.Int(it.min + k)
		} else {
			w.Int(it.max - k)
		}
	}
	return w.EndRow()
}

// writePopulationQLQ writes one person of the general-population reference
// sample: sex, age 18–89 and a QLQ-C30 answered as the patients' are, from
// a better health (worse with age, a little among women); 2% blank items.
func writePopulationQLQ(w *datasets.TableWriter, r *rand.Rand, i int) error {
	sex := "F"
	if r.IntN(2) == 0 {
		sex = "M"
	}
	age := 18 + r.IntN(72)
	health := -0.9 + 0.02*float64(age-50) + r.NormFloat64()
	if sex == "F" {
		health += 0.2
	}
	w.String(string(padInt([]byte("P"), i+1, 6)))
	w.String(sex)
	w.Int(age)
	for q := 1; q <= 30; q++ {
		if r.Float64() < 0.02 {
			w.Null()
			continue
		}
		if q >= 29 {
			w.Int(min(7, max(1, int(math.Round(5.5-0.9*health+0.8*r.NormFloat64())))))
		} else {
			w.Int(min(4, max(1, int(math.Round(1.4+0.45*health+0.6*r.NormFloat64())))))
		}
	}
	return w.EndRow()
}
