package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/screenlab/screenlab/datasets"
)

// iccc are the main groups of the International Classification of
// Childhood Cancer (ICCC-3; Steliarova-Foucher et al. 2005) with a typical
// share of childhood cancers, a mean age at diagnosis, an ICD-10 code and
// the treatment protocol a Nordic child would be treated on.
var iccc = []struct {
	group, icd10, protocol string
	share, meanAge         float64
}{
	{"I", "C91.0", "ALLTogether1", 0.31, 5},
	{"II", "C81.1", "EuroNet-PHL-C2", 0.11, 13},
	{"III", "C71.6", "SIOP-PNET5", 0.25, 8},
	{"IV", "C74.9", "SIOPEN-HR-NBL2", 0.06, 1.5},
	{"V", "C69.2", "none", 0.03, 1.2},
	{"VI", "C64.9", "UMBRELLA-SIOP-RTSG", 0.05, 3.5},
	{"VII", "C22.2", "PHITT", 0.01, 2},
	{"VIII", "C40.2", "EURAMOS-1", 0.05, 14},
	{"IX", "C49.9", "EpSSG-FaR-RMS", 0.06, 9},
	{"X", "C62.9", "none", 0.03, 14},
	{"XI", "C73.9", "none", 0.04, 15},
}

// municipalities of the childhood registry, with their county and a weight:
// large towns and small places where a birth year and a diagnosis can point
// at one child.
var municipalities = []struct {
	code, county string
	weight       float64
}{
	{"0301", "Oslo", 0.20}, {"4601", "Vestland", 0.09}, {"5001", "Trondelag", 0.06}, {"1103", "Rogaland", 0.05},
	{"3301", "Buskerud", 0.04}, {"4204", "Agder", 0.04}, {"3907", "Vestfold", 0.03}, {"1804", "Nordland", 0.02},
	{"5501", "Troms", 0.02}, {"3403", "Innlandet", 0.02}, {"1506", "More og Romsdal", 0.01},
	{"3201", "Akershus", 0.09}, {"3203", "Akershus", 0.07}, {"1108", "Rogaland", 0.06}, {"4627", "Vestland", 0.05},
	{"5035", "Trondelag", 0.04}, {"1856", "Nordland", 0.01}, {"5634", "Finnmark", 0.01}, {"4642", "Vestland", 0.02},
	{"3440", "Innlandet", 0.02}, {"1520", "More og Romsdal", 0.02}, {"4228", "Agder", 0.01},
}

var (
	girlNames = []string{"Emma", "Nora", "Olivia", "Sofie", "Ella", "Ingrid", "Maja", "Leah"}
	boyNames  = []string{"Jakob", "Noah", "Emil", "Lukas", "Filip", "Oskar", "Aksel", "Henrik"}
	surnames  = []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen", "Berg", "Haugen"}
	streets   = []string{"Storgata", "Kirkeveien", "Skoleveien", "Fjordgata", "Bjerkeveien", "Solbakken"}
)

// ChildhoodSummary reports what GenerateChildhood wrote.
type ChildhoodSummary struct {
	Dir          string   `json:"dir"`
	Seed         uint64   `json:"seed"`
	Children     int      `json:"children"`
	Diagnoses    int      `json:"diagnoses"`
	Treatments   int      `json:"treatments"`
	Reservations int      `json:"reservations"`
	Files        []string `json:"files"`
}

// ChildhoodPersonColumns are the columns of the childhood registry's
// persons: the direct identifiers a registry holds (national id as
// person_id, name, address, phone) and the rest.
var ChildhoodPersonColumns = []datasets.ColumnSpec{{Name: "person_id", Kind: datasets.KindString},
	{Name: "name", Kind: datasets.KindString}, {Name: "address", Kind: datasets.KindString},
	{Name: "phone", Kind: datasets.KindString}, {Name: "birth_date", Kind: datasets.KindDate},
	{Name: "sex", Kind: datasets.KindString}, {Name: "municipality", Kind: datasets.KindString},
	{Name: "county", Kind: datasets.KindString}}

// GenerateChildhood writes a synthetic childhood cancer registry into dir:
// persons (children diagnosed at 0–17 years, 2010–2024, with their
// national id, name, address and phone), diagnoses (diagnosis_id,
// person_id, diagnosis_date, ICCC-3 main group, ICD-10; about 2% of
// children with a second cancer), treatments (diagnosis_id, protocol,
// start_date: they reach a child only through the diagnosis),
// reservations (person_id, reserved_date: about 4% of children, reserved
// by a parent between 2019 and 2025) and protocol.json, an example export
// protocol for a Nordic database of children diagnosed from 2019. cfg.Persons
// is the number of children; the same seed gives the same bytes.
func GenerateChildhood(dir string, cfg Config) (*ChildhoodSummary, error) {
	cfg.defaults()
	if cfg.Persons <= 0 {
		return nil, fmt.Errorf("generate: persons must be positive, got %d", cfg.Persons)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	sum := &ChildhoodSummary{Dir: dir, Seed: cfg.Seed, Children: cfg.Persons}
	ts, err := createTables(dir, []namedTable{{"persons", ChildhoodPersonColumns},
		{"diagnoses", []datasets.ColumnSpec{{Name: "diagnosis_id", Kind: datasets.KindString}, {Name: "person_id", Kind: datasets.KindString},
			{Name: "diagnosis_date", Kind: datasets.KindDate}, {Name: "iccc_group", Kind: datasets.KindString}, {Name: "icd10", Kind: datasets.KindString}}},
		{"treatments", []datasets.ColumnSpec{{Name: "diagnosis_id", Kind: datasets.KindString}, {Name: "protocol", Kind: datasets.KindString},
			{Name: "start_date", Kind: datasets.KindDate}}},
		{"reservations", []datasets.ColumnSpec{{Name: "person_id", Kind: datasets.KindString}, {Name: "reserved_date", Kind: datasets.KindDate}}},
	})
	if err != nil {
		return nil, err
	}
	ws := ts.w
	sum.Files = append(sum.Files, ts.files...)
	abort := func(err error) (*ChildhoodSummary, error) {
		ts.abort()
		return nil, err
	}
	pw, dw, tw, rw := ws[0], ws[1], ws[2], ws[3]
	shares := make([]float64, len(iccc))
	for i, g := range iccc {
		shares[i] = g.share
	}
	mw := make([]float64, len(municipalities))
	for i, m := range municipalities {
		mw[i] = m.weight
	}
	first, last := datasets.DateOf(2010, 1, 1), datasets.DateOf(2024, 12, 31)
	ids := map[string]bool{}
	nd := 0
	for i := 0; i < cfg.Persons; i++ {
		r := progRand(cfg.Seed^0x7f4a7c15, "childhood", i)
		g := pick(r, shares)
		dx := first + datasets.Date(r.IntN(int(last-first)+1))
		age := min(17.99, max(0.05, iccc[g].meanAge*math.Exp(0.5*r.NormFloat64())))
		birth := dx - datasets.Date(age*datasets.DaysPerYear)
		sex := "F"
		if r.IntN(100) < 54 {
			sex = "M"
		}
		id := nationalID(r, birth, ids)
		m := municipalities[pick(r, mw)]
		pw.String(id)
		names := girlNames
		if sex == "M" {
			names = boyNames
		}
		pw.String(names[r.IntN(len(names))] + " " + surnames[r.IntN(len(surnames))])
		pw.String(fmt.Sprintf("%s %d", streets[r.IntN(len(streets))], 1+r.IntN(80)))
		pw.String(fmt.Sprintf("%d%07d", 4+5*r.IntN(2), r.IntN(10_000_000)))
		pw.Date(birth)
		pw.String(sex)
		pw.String(m.code)
		pw.String(m.county)
		if err := pw.EndRow(); err != nil {
			return abort(err)
		}
		cancers := []struct {
			g  int
			dx datasets.Date
		}{{g, dx}}
		// a second cancer a year or more later, still before 17.9 years (6537 days)
		if end := min(last, birth+6537); r.Float64() < 0.02 && dx+400 < end {
			cancers = append(cancers, struct {
				g  int
				dx datasets.Date
			}{pick(r, shares), dx + 365 + datasets.Date(r.IntN(int(end-dx-365)))})
		}
		for _, c := range cancers {
			nd++
			did := string(padInt([]byte("D"), nd, 6))
			dw.String(did)
			dw.String(id)
			dw.Date(c.dx)
			dw.String(iccc[c.g].group)
			dw.String(iccc[c.g].icd10)
			if err := dw.EndRow(); err != nil {
				return abort(err)
			}
			sum.Diagnoses++
			if p := iccc[c.g].protocol; p != "none" && r.Float64() < 0.85 {
				tw.String(did)
				tw.String(p)
				tw.Date(c.dx + datasets.Date(2+r.IntN(20)))
				if err := tw.EndRow(); err != nil {
					return abort(err)
				}
				sum.Treatments++
			}
		}
		if r.Float64() < 0.04 {
			rw.String(id)
			rw.Date(datasets.DateOf(2019, 1, 1) + datasets.Date(r.IntN(7*365)))
			if err := rw.EndRow(); err != nil {
				return abort(err)
			}
			sum.Reservations++
		}
	}
	if err := ts.close(); err != nil {
		return nil, err
	}
	p := filepath.Join(dir, "protocol.json")
	if err := os.WriteFile(p, []byte(ExampleChildhoodProtocol), 0o666); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	sum.Files = append(sum.Files, p)
	return sum, nil
}

// nationalID makes an 11-digit id from the birth date (ddmmyy) and five
// random digits, unique within the registry.
func nationalID(r *rand.Rand, birth datasets.Date, seen map[string]bool) string {
	y, m, d := birth.Civil()
	for {
		id := fmt.Sprintf("%02d%02d%02d%05d", d, m, y%100, r.IntN(100000))
		if !seen[id] {
			seen[id] = true
			return id
		}
	}
}

// ExampleChildhoodProtocol is the export protocol GenerateChildhood writes:
// children diagnosed from 2019 (no direct identifier; pseudonymised ids),
// year of diagnosis, age at diagnosis in bands, days from diagnosis to
// treatment, and k = 3 on ICCC group, treatment protocol (it tells the
// group), age group, sex, year of diagnosis and county, listed from the
// most to the least important to the research (the least important is
// suppressed first).
const ExampleChildhoodProtocol = `{
  "project": "Nordic childhood cancer database (example)",
  "k": 3,
  "cohort": {"table": "diagnoses", "date": "diagnosis_date", "from": "2019-01-01"},
  "tables": [
    {"name": "persons", "file": "persons.csv", "person": "person_id",
     "variables": [
       {"name": "person_id", "as": "pseudonym"},
       {"name": "sex"},
       {"name": "county"}
     ]},
    {"name": "diagnoses", "file": "diagnoses.csv", "person": "person_id",
     "variables": [
       {"name": "person_id", "as": "pseudonym"},
       {"name": "diagnosis_id", "as": "pseudonym"},
       {"name": "diagnosis_date", "as": "year", "output": "diagnosis_year"},
       {"name": "diagnosis_date", "as": "age", "birth": "persons.birth_date", "bands": [0, 1, 5, 10, 15], "output": "age_group"},
       {"name": "iccc_group"}
     ]},
    {"name": "treatments", "file": "treatments.csv", "via": {"column": "diagnosis_id", "table": "diagnoses"},
     "variables": [
       {"name": "diagnosis_id", "as": "pseudonym"},
       {"name": "protocol"},
       {"name": "start_date", "as": "days-since", "since": "diagnoses.diagnosis_date", "output": "days_to_treatment"}
     ]}
  ],
  "quasi_identifiers": ["diagnoses.iccc_group", "treatments.protocol", "diagnoses.age_group", "persons.sex", "diagnoses.diagnosis_year", "persons.county"]
}
`
