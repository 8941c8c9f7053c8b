package synth

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/screenlab/screenlab/datasets"
)

// Config sets the size and span of the synthetic registry.
type Config struct {
	Persons int
	Seed    uint64
	// Start and End bound registry follow-up (defaults 1990-01-01 and
	// 2024-12-31).
	Start, End datasets.Date
	// Workers generating persons in parallel (default GOMAXPROCS); the output
	// does not depend on it.
	Workers int
	// Ext is the file extension of the tables: ".csv" (default), ".csv.gz"
	// or ".parquet".
	Ext string
	// Images asks for synthetic mammograms with every exam: four views as
	// DICOM (and PNG with ImagePNG) in images/, listed in images.csv.
	Images                  bool
	ImageWidth, ImageHeight int // default 96 × 128
	ImagePNG                bool
	// ImageSample, when in (0, 1), renders every exam with a cancer present
	// but only this fraction of the others (drawn from the image stream),
	// for training sets enriched in cancers; 0 means every exam.
	ImageSample float64
	// Progress, when set, is called with the number of persons done.
	Progress func(done int)
}

// Summary reports what Generate wrote.
type Summary struct {
	Dir       string `json:"dir"`
	Seed      uint64 `json:"seed"`
	Persons   int    `json:"persons"`
	Exams     int    `json:"exams"`
	Diagnoses int    `json:"diagnoses"`
	// Reviews are the interval cancers' radiological reviews of the last
	// screen (interval_reviews: exam_id, review).
	Reviews        int      `json:"interval_reviews"`
	BreastCancers  int      `json:"breast_cancers"`
	Deaths         int      `json:"deaths"`
	Emigrations    int      `json:"emigrations"`
	Files          []string `json:"files"`
	PopulationRows int      `json:"population_rows"`
	LifeTableRows  int      `json:"lifetable_rows"`
}

// Screening units and the regions they serve; readers' thresholds differ a
// little between units (offsets on the latent scale).
var units = []struct {
	name, region string
	weight       float64
	startYear    int
	readerShift  float64
	consShift    float64
	vendor       string // the mammography machines' manufacturer
}{
	{"SU01", "south-east", 0.16, 1996, 0.00, 0.00, "Hologic"},
	{"SU02", "south-east", 0.14, 1996, -0.12, 0.10, "Siemens"},
	{"SU03", "south-east", 0.12, 1998, 0.10, -0.05, "GE"},
	{"SU04", "south-east", 0.12, 1999, 0.05, 0.05, "Hologic"},
	{"SU05", "west", 0.15, 1996, -0.05, -0.10, "Siemens"},
	{"SU06", "west", 0.10, 2000, 0.15, 0.00, "GE"},
	{"SU07", "mid", 0.12, 2001, -0.08, 0.08, "Hologic"},
	{"SU08", "north", 0.09, 2003, 0.08, -0.08, "Siemens"},
}

// Readers, vendors and AI versions (drawn from their own stream, so the
// registry's other draws do not move): each unit has six radiologists
// whose flag thresholds differ by readerShifts (mean 0: some recall and
// find more than others); the AI scores GE images higher (vendorAIShift on
// its latent, a calibration difference, not a better or worse ranking;
// Hologic and Siemens alike); AI version v2, from aiV2From, sees tumours
// better (aiV2Lift).
const (
	readerStream   = 0x7265616465727321 // "readers!"
	readersPerUnit = 6
	aiV2Lift       = 0.25
)

var (
	readerShifts  = [readersPerUnit]float64{-0.12, -0.05, 0, 0.02, 0.06, 0.09}
	vendorAIShift = map[string]float64{"GE": 0.35}
	aiV2From      = datasets.DateOf(2020, 1, 1)
)

// Model parameters. The defaults were tuned (see synth_test.go) so that the
// default registry has recall ≈ 3.2%, consensus ≈ 8–9%, each reader flagging
// ≈ 5–6%, screen-detected ≈ 6 and interval ≈ 1.7 per 1000 exams and a
// programme sensitivity ≈ 75–80%, as in BreastScreen Norway.
const (
	sojournMedian  = 3.0  // years, preclinical sojourn (log-normal)
	sojournSigma   = 0.65 // log-scale SD of the sojourn time
	inSituFraction = 0.16 // of preclinical onsets
	attendNever    = 0.12 // women who never attend
	attendProb     = 0.85 // attendance of the others, per invitation
	readerRho      = 0.65 // share of the readers' latent that is exam-level
	readerThresh   = 1.64 // reader flag threshold on the latent scale
	signalScale    = 2.40 // reader latent shift per unit of conspicuity
	aiRho          = 0.35
	aiScale        = 1.10
	aiLift         = 0.5  // how much more visible tumours are to the AI
	aiOwn          = 0.7  // the AI's own view of a tumour (SD on the conspicuity scale)
	consRecallBase = 0.04 // consensus latent threshold shift (non-cancers)
	assessMiss     = 0.03 // cancers recalled but missed at assessment
	biopsyFP       = 0.35 // false-positive recalls that end in a benign biopsy
)

// breastOnsetHazard is the hazard per year of a breast cancer becoming
// screen-detectable, by age (before risk factors), interpolated linearly.
var breastOnsetAges = []float64{20, 30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 90, 110}
var breastOnsetHaz = []float64{0.00003, 0.0003, 0.0012, 0.0019, 0.0027, 0.0033, 0.0039, 0.0043, 0.0044, 0.0043, 0.0040, 0.0036, 0.0033}

// otherSites are cancers of other sites (first occurrence), with a hazard
// per year of exp(a + b*(age-60)).
var otherSites = []struct {
	icd10 string
	a, b  float64
}{
	{"C18", math.Log(0.0009), 0.075}, // colon
	{"C34", math.Log(0.0006), 0.070}, // lung
	{"C43", math.Log(0.0003), 0.030}, // melanoma
	{"C54", math.Log(0.0004), 0.040}, // corpus uteri
	{"C56", math.Log(0.0002), 0.040}, // ovary
}

func interp(xs, ys []float64, x float64) float64 {
	if x <= xs[0] {
		return ys[0]
	}
	for i := 1; i < len(xs); i++ {
		if x <= xs[i] {
			t := (x - xs[i-1]) / (xs[i] - xs[i-1])
			return ys[i-1] + t*(ys[i]-ys[i-1])
		}
	}
	return ys[len(ys)-1]
}

// LifeTableHazard is the all-cause mortality hazard per person-year that the
// generator uses and writes (Gompertz–Makeham with 1.5% yearly improvement
// from 2005, men 1.6 times women; infants 0.003).
func LifeTableHazard(sex byte, year, age int) float64 {
	if age < 1 {
		return 0.003
	}
	h := 0.0002 + 1.42e-5*math.Exp(0.095*float64(age))
	if sex == 'M' {
		h *= 1.6
	}
	h *= math.Exp(-0.015 * float64(year-2005))
	return math.Min(h, 1.5)
}

func phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

func (c *Config) defaults() {
	if c.Start == 0 {
		c.Start = datasets.DateOf(1990, 1, 1)
	}
	if c.End == 0 {
		c.End = datasets.DateOf(2024, 12, 31)
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Ext == "" {
		c.Ext = ".csv"
	}
}

// ExamExtraColumns are the exams columns the generator writes beyond
// datasets.ExamColumns: the AI score as a decile 1..10, the risk factors
// recorded at the exam, the two readers, the machines' vendor, the AI
// version and the AI's second ("suspicious") score.
var ExamExtraColumns = []datasets.ColumnSpec{{Name: "ai_decile", Kind: datasets.KindInt},
	{Name: "family_history", Kind: datasets.KindBool}, {Name: "bmi", Kind: datasets.KindFloat},
	{Name: "hrt", Kind: datasets.KindBool}, {Name: "prior_benign_biopsy", Kind: datasets.KindBool},
	{Name: "reader1_id", Kind: datasets.KindString}, {Name: "reader2_id", Kind: datasets.KindString},
	{Name: "vendor", Kind: datasets.KindString}, {Name: "ai_version", Kind: datasets.KindString},
	{Name: "ai_score_suspicious", Kind: datasets.KindFloat}}

type examRow struct {
	datasets.Exam
	decile     int
	famHist    bool
	bmi        float64
	hrt        bool
	benignPrev bool
	contrast   float64 // visibility of a cancer present at the exam (0: none)
	reader1    string
	reader2    string
	vendor     string
	aiVersion  string
	suspicious float64
	visible    float64 // how visible a cancer present at the exam was (NaN: none present)
}

type personOut struct {
	person    datasets.Person
	exams     []examRow
	diagnoses []datasets.Diagnosis
	days      []popCell // person-days by year and age group
	images    []datasets.Image
	reviews   [][2]string // exam_id, review class of an interval cancer's last screen
	err       error
}

type popCell struct {
	year, group int
	days        int
}

type chunkOut struct {
	persons []personOut
}

const chunkSize = 2048

// Generate writes persons, exams, diagnoses, population and lifetable tables
// into dir, creating it when needed.
func Generate(dir string, cfg Config) (*Summary, error) {
	cfg.defaults()
	if cfg.Persons <= 0 {
		return nil, fmt.Errorf("generate: persons must be positive, got %d", cfg.Persons)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	if cfg.Images {
		if cfg.ImageWidth == 0 {
			cfg.ImageWidth, cfg.ImageHeight = 96, 128
		}
		if cfg.ImageWidth < 32 || cfg.ImageHeight < 32 {
			return nil, fmt.Errorf("generate: image size %dx%d: want at least 32x32", cfg.ImageWidth, cfg.ImageHeight)
		}
		if err := os.MkdirAll(filepath.Join(dir, "images"), 0o755); err != nil {
			return nil, err
		}
	}
	switch cfg.Ext {
	case ".csv", ".csv.gz", ".parquet":
	default:
		return nil, fmt.Errorf("generate: file type %q: want .csv, .csv.gz or .parquet", cfg.Ext)
	}
	sum := &Summary{Dir: dir, Seed: cfg.Seed, Persons: cfg.Persons}
	path := func(name string) string {
		p := filepath.Join(dir, name+cfg.Ext)
		sum.Files = append(sum.Files, p)
		return p
	}
	pw, err := datasets.CreateTable(path("persons"), datasets.PersonColumns)
	if err != nil {
		return nil, err
	}
	ew, err := datasets.CreateTable(path("exams"), append(append([]datasets.ColumnSpec(nil), datasets.ExamColumns...), ExamExtraColumns...))
	if err != nil {
		pw.Abort()
		return nil, err
	}
	dw, err := datasets.CreateTable(path("diagnoses"), datasets.DiagnosisColumns)
	if err != nil {
		pw.Abort()
		ew.Abort()
		return nil, err
	}
	rw, err := datasets.CreateTable(path("interval_reviews"), []datasets.ColumnSpec{{Name: "exam_id", Kind: datasets.KindString}, {Name: "review", Kind: datasets.KindString}})
	if err != nil {
		pw.Abort()
		ew.Abort()
		dw.Abort()
		return nil, err
	}
	abort := func(err error) (*Summary, error) {
		pw.Abort()
		ew.Abort()
		dw.Abort()
		rw.Abort()
		return nil, err
	}

	startYear, _, _ := cfg.Start.Civil()
	endYear, _, _ := cfg.End.Civil()
	nYears := endYear - startYear + 1
	popDays := make([]int64, nYears*nGroups)

	nChunks := (cfg.Persons + chunkSize - 1) / chunkSize
	results := make([]chan chunkOut, nChunks)
	for i := range results {
		results[i] = make(chan chunkOut, 1)
	}
	next := make(chan int, nChunks)
	for i := 0; i < nChunks; i++ {
		next <- i
	}
	close(next)
	stop := make(chan struct{})
	defer close(stop)
	var iw *datasets.TableWriter
	if cfg.Images {
		if iw, err = datasets.CreateTable(path("images"), datasets.ImageColumns); err != nil {
			return abort(err)
		}
		defer iw.Abort()
	}
	for w := 0; w < cfg.Workers; w++ {
		go func() {
			g := newGenerator(&cfg)
			g.dir = dir
			for c := range next {
				lo, hi := c*chunkSize, min((c+1)*chunkSize, cfg.Persons)
				out := chunkOut{persons: make([]personOut, 0, hi-lo)}
				for i := lo; i < hi; i++ {
					out.persons = append(out.persons, g.person(i))
				}
				select {
				case results[c] <- out:
				case <-stop:
					return
				}
			}
		}()
	}
	done := 0
	for c := 0; c < nChunks; c++ {
		out := <-results[c]
		for k := range out.persons {
			po := &out.persons[k]
			if po.err != nil {
				return abort(po.err)
			}
			for j := range po.images {
				if err := iw.WriteImage(&po.images[j]); err != nil {
					return abort(err)
				}
			}
			if err := pw.WritePerson(&po.person); err != nil {
				return abort(err)
			}
			if po.person.DeathDate != datasets.NoDate {
				sum.Deaths++
			}
			if po.person.EmigrationDate != datasets.NoDate {
				sum.Emigrations++
			}
			for j := range po.exams {
				ex := &po.exams[j]
				ew.WriteExamFields(&ex.Exam)
				ew.Int(ex.decile)
				ew.Bool(ex.famHist)
				ew.Float(ex.bmi, 1)
				ew.Bool(ex.hrt)
				ew.Bool(ex.benignPrev)
				ew.String(ex.reader1)
				ew.String(ex.reader2)
				ew.String(ex.vendor)
				ew.String(ex.aiVersion)
				ew.Float(ex.suspicious, 4)
				if err := ew.EndRow(); err != nil {
					return abort(err)
				}
			}
			sum.Exams += len(po.exams)
			for j := range po.diagnoses {
				if err := dw.WriteDiagnosis(&po.diagnoses[j]); err != nil {
					return abort(err)
				}
				if po.diagnoses[j].IsBreast() {
					sum.BreastCancers++
				}
			}
			sum.Diagnoses += len(po.diagnoses)
			for _, rv := range po.reviews {
				rw.String(rv[0])
				rw.String(rv[1])
				if err := rw.EndRow(); err != nil {
					return abort(err)
				}
			}
			sum.Reviews += len(po.reviews)
			for _, cell := range po.days {
				popDays[(cell.year-startYear)*nGroups+cell.group] += int64(cell.days)
			}
		}
		done += len(out.persons)
		if cfg.Progress != nil {
			cfg.Progress(done)
		}
	}
	for _, w := range []*datasets.TableWriter{pw, ew, dw, rw} {
		if err := w.Close(); err != nil {
			return abort(err)
		}
	}
	if iw != nil {
		if err := iw.Close(); err != nil {
			return nil, err
		}
	}
	n, err := writePopulation(path("population"), popDays, startYear, nYears)
	if err != nil {
		return nil, err
	}
	sum.PopulationRows = n
	n, err = writeLifeTable(path("lifetable"), startYear, endYear)
	if err != nil {
		return nil, err
	}
	sum.LifeTableRows = n
	return sum, nil
}

const nGroups = 19 // 0-4, 5-9, ..., 85-89, 90+

func groupName(g int) string {
	if g == nGroups-1 {
		return strconv.Itoa(5*g) + "+"
	}
	return strconv.Itoa(5*g) + "-" + strconv.Itoa(5*g+4)
}

func writePopulation(path string, days []int64, startYear, nYears int) (int, error) {
	w, err := datasets.CreateTable(path, datasets.PopulationColumns)
	if err != nil {
		return 0, err
	}
	rows := 0
	for y := 0; y < nYears; y++ {
		for g := 0; g < nGroups; g++ {
			d := days[y*nGroups+g]
			if d == 0 {
				continue
			}
			row := datasets.PopulationRow{Sex: 'F', Year: startYear + y, AgeGroup: groupName(g), PersonYears: float64(d) / 365.25}
			if err := w.WritePopulationRow(&row); err != nil {
				w.Abort()
				return 0, err
			}
			rows++
		}
	}
	return rows, w.Close()
}

func writeLifeTable(path string, startYear, endYear int) (int, error) {
	w, err := datasets.CreateTable(path, datasets.LifeTableColumns)
	if err != nil {
		return 0, err
	}
	rows := 0
	for _, sex := range []byte{'F', 'M'} {
		for y := startYear; y <= endYear; y++ {
			for a := 0; a <= 100; a++ {
				row := datasets.LifeTableRow{Sex: sex, Year: y, Age: a, Haz: LifeTableHazard(sex, y, a)}
				if err := w.WriteLifeTableRow(&row); err != nil {
					w.Abort()
					return 0, err
				}
				rows++
			}
		}
	}
	return rows, w.Close()
}
