package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/synth"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/internal/atomicfile"
	"github.com/screenlab/screenlab/internal/buildinfo"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/report/render"
)

// Result is what Run found and wrote (demo.json; screenlab report rebuilds
// the page from it).
type Result = report.DemoResult

// Config says where and how big.
type Config struct {
	// Dir receives the registry (Dir/registry) and every result.
	Dir string
	// Persons in the synthetic registry (the README's figures are for
	// 100,000).
	Persons int
	// Seed of every random step: the same seed gives the same results.
	Seed uint64
	// Progress, when not nil, is told each stage as it starts.
	Progress func(stage string)
}

// HeldOut are the screening units the risk model and the CNN are validated
// on (trained on the other five).
var HeldOut = []string{"SU06", "SU07", "SU08"}

// RiskFeatures are the risk model's predictors (age as a restricted cubic
// spline with 4 knots).
var RiskFeatures = []string{"age", "prior_screens", "prior_recalls", "prior_benign_biopsy", "density", "family_history", "bmi", "hrt"}

// Run runs the whole demo.
func Run(cfg Config) (*Result, error) {
	step := func(s string) {
		if cfg.Progress != nil {
			cfg.Progress(s)
		}
	}
	if cfg.Persons <= 0 {
		return nil, fmt.Errorf("demo: persons must be positive, got %d", cfg.Persons)
	}
	dir, seed := cfg.Dir, cfg.Seed
	regDir := filepath.Join(dir, "registry")
	if err := os.MkdirAll(regDir, 0o755); err != nil {
		return nil, err
	}
	step(fmt.Sprintf("generating a registry of %d women", cfg.Persons))
	// Images for every exam with a cancer present and 2% of the others: the
	// triage CNN's training and held-out sets.
	sum, err := synth.Generate(regDir, synth.Config{Persons: cfg.Persons, Seed: seed, Images: true, ImageSample: 0.02})
	if err != nil {
		return nil, err
	}
	step("linking exams to registry outcomes")
	reg, err := datasets.LoadRegistry(datasets.RegistryFiles{
		Persons:   filepath.Join(regDir, "persons.csv"),
		Exams:     filepath.Join(regDir, "exams.csv"),
		Diagnoses: filepath.Join(regDir, "diagnoses.csv"),
	}, datasets.LoadOptions{})
	if err != nil {
		return nil, err
	}
	linked, linkSum, err := datasets.LinkOutcomes(reg, datasets.DefaultLinkOptions())
	if err != nil {
		return nil, err
	}
	linkedPath := filepath.Join(dir, "linked.csv")
	if err := datasets.WriteLinkedExams(linkedPath, linked, reg.ExamExtra); err != nil {
		return nil, err
	}
	step("computing screening metrics")
	overall, err := screening.ScreeningMetrics(linked, reg.ExamExtra, screening.ScreeningOptions{})
	if err != nil {
		return nil, err
	}
	byUnit, err := screening.ScreeningMetrics(linked, reg.ExamExtra, screening.ScreeningOptions{By: []string{"screening_unit"}, Total: true})
	if err != nil {
		return nil, err
	}
	res := &Result{Dir: dir, Persons: sum.Persons, Exams: sum.Exams, Link: linkSum, Overall: overall.Rows[0], ScreeningUnit: byUnit.Rows}
	res.Files = append(res.Files, sum.Files...)
	res.Files = append(res.Files, linkedPath)

	step("training a risk model on units SU01-SU05 and validating it on SU06-SU08")
	files, err := riskModel(res, dir, linked, reg.ExamExtra, seed)
	if err != nil {
		return nil, fmt.Errorf("risk model: %w", err)
	}
	res.Files = append(res.Files, files...)

	step("training the triage CNN on the images of SU01-SU05, scoring SU06-SU08")
	if res.Triage, files, err = triageCNN(dir, regDir, linked, reg.ExamExtra, seed); err != nil {
		return nil, err
	}
	res.Files = append(res.Files, files...)

	step("simulating AI-assisted reading strategies with the AI score")
	score, _ := strategy.ColumnScore(linked, reg.ExamExtra, "ai_score")
	if res.Strategies, err = strategy.Replay(linked, score, strategy.ReplayOptions{Strategies: strategy.DefaultStrategies, Bootstrap: 200,
		Seed: seed, Level: 0.95, ScoreName: "ai_score", Sweep: "rule-out", SweepPoints: 20}); err != nil {
		return nil, fmt.Errorf("reading strategies: %w", err)
	}
	sweepPlot := filepath.Join(dir, "triage_sweep.svg")
	b := res.Strategies.Strategies[0]
	if err := report.WriteTriageSweep(sweepPlot, "Reading strategy rule-out: workload against detection", res.Strategies.Sweep, b.Sensitivity, b.RecallRate); err != nil {
		return nil, err
	}
	res.Files = append(res.Files, sweepPlot)

	step("evaluating the AI before procurement: scores at earlier rounds, the reader audit")
	if res.Priors, err = strategy.Priors(linked, score, "ai_score", []float64{0.1, 0.02}, 0.95); err != nil {
		return nil, fmt.Errorf("prior rounds: %w", err)
	}
	if res.Readers, _, err = strategy.Readers(linked, reg.ExamExtra, "reader1_id", "reader2_id", screening.IndicatorOptions{}, 5); err != nil {
		return nil, fmt.Errorf("reader audit: %w", err)
	}
	byVendor, err := strategy.Replay(linked, score, strategy.ReplayOptions{Strategies: []string{"rule-out:fraction=0.5", "ai-second-reader"}, By: "vendor", Extra: reg.ExamExtra})
	if err != nil {
		return nil, fmt.Errorf("strategies by vendor: %w", err)
	}
	res.ByVendor = byVendor.Subgroups
	vendor, err := strategy.ExamColumn("vendor", reg.ExamExtra)
	if err != nil {
		return nil, err
	}
	if res.Drift, err = strategy.Drift(linked, score, vendor, "vendor", strategy.DriftOptions{Period: "year"}); err != nil {
		return nil, fmt.Errorf("score drift: %w", err)
	}

	step("survival of the breast cancer patients: Kaplan-Meier by stage, Cox, net survival")
	end, err := datasets.ParseDate(linkSum.EndOfData)
	if err != nil {
		return nil, err
	}
	if res.Survival, files, err = survivalAnalyses(dir, regDir, reg, end); err != nil {
		return nil, fmt.Errorf("survival: %w", err)
	}
	res.Files = append(res.Files, files...)

	step("breast cancer incidence: standardised rates by year, trend, SIR by region")
	if res.Incidence, files, err = incidenceAnalyses(dir, regDir, reg, end); err != nil {
		return nil, err
	}
	res.Files = append(res.Files, files...)

	step("quality indicators per screening unit with funnel plots")
	fr, err := datasets.LinkedFrame(linkedPath, linked, reg.ExamExtra)
	if err != nil {
		return nil, err
	}
	defs, _, err := screening.BuiltinIndicators("screening")
	if err != nil {
		return nil, err
	}
	if res.Indicators, err = screening.ComputeIndicators(fr, "screening_unit", defs, screening.IndicatorOptions{Level: 0.95}, 5); err != nil {
		return nil, fmt.Errorf("quality indicators: %w", err)
	}
	if res.Indicators.Plots, err = report.WriteFunnelPlots(filepath.Join(dir, "funnels"), res.Indicators, "svg"); err != nil {
		return nil, err
	}
	res.Files = append(res.Files, res.Indicators.Plots...)

	for _, name := range []string{"cervical", "bowel"} {
		step("the " + name + " screening programme: generating, linking, indicators, decisions")
		d, files, err := programme(dir, name, min(cfg.Persons, programmePersons), seed)
		if err != nil {
			return nil, fmt.Errorf("%s programme: %w", name, err)
		}
		if name == "cervical" {
			res.Cervical = d
		} else {
			res.Bowel = d
		}
		res.Files = append(res.Files, files...)
	}

	step("a clinical quality registry: indicators with levels, completeness, case mix, PROMs")
	q, files, err := qualityRegistry(dir, seed)
	if err != nil {
		return nil, fmt.Errorf("clinical quality registry: %w", err)
	}
	res.Quality = q
	res.Files = append(res.Files, files...)

	step("a research extract of a childhood cancer registry: reservations, pseudonyms, k-anonymity, manifest")
	ext, files, err := researchExtract(dir, seed)
	if err != nil {
		return nil, fmt.Errorf("research extract: %w", err)
	}
	res.Extract = ext
	res.Files = append(res.Files, files...)

	for _, out := range []struct {
		name   string
		format render.Format
		v      any
	}{
		{"screening_metrics.json", render.JSON, overall},
		{"screening_by_unit.csv", render.CSV, byUnit},
		{"screening_by_unit.json", render.JSON, byUnit},
	} {
		path := filepath.Join(dir, out.name)
		if err := atomicfile.WriteFile(path, func(w io.Writer) error { return render.Write(w, out.format, out.v) }); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, path)
	}
	print, err := fingerprint(filepath.Join(regDir, "persons.csv"), filepath.Join(regDir, "exams.csv"), filepath.Join(regDir, "diagnoses.csv"))
	if err != nil {
		return nil, err
	}
	res.Seed, res.Fingerprint = seed, print
	page, err := report.DemoPage(res, buildinfo.Version())
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	reportPath := filepath.Join(dir, "report.html")
	if err := page.Write(reportPath); err != nil {
		return nil, err
	}
	res.Report = reportPath
	res.Files = append(res.Files, reportPath)
	path := filepath.Join(dir, "demo.json")
	res.Files = append(res.Files, path)
	if err := atomicfile.WriteFile(path, func(w io.Writer) error { return render.Write(w, render.JSON, res) }); err != nil {
		return nil, err
	}
	return res, nil
}

// riskModel derives the features of every exam, trains the logistic model
// on SU01-SU05 with 5-fold cross-validation, validates it on the held-out
// units, and saves the features table and the model.
func riskModel(res *Result, dir string, linked []datasets.LinkedExam, extra []string, seed uint64) ([]string, error) {
	rows, _ := features.RegistryFeatures(linked, extra)
	featPath := filepath.Join(dir, "features.csv")
	if err := features.WriteRegistryRows(featPath, rows); err != nil {
		return nil, err
	}
	fr, err := datasets.FrameOf(featPath, features.RegistryColumns, rows)
	if err != nil {
		return nil, err
	}
	specs, td, err := models.ReadTrainData(fr, models.TrainColumns{Target: "cancer", Features: RiskFeatures, SplitBy: "screening_unit",
		Knots: map[string]int{"age": 4}})
	if err != nil {
		return nil, err
	}
	modelPath := filepath.Join(dir, "risk.model")
	tr, file, err := models.Train(td, models.TrainOptions{Kind: "logistic", Target: "cancer", Specs: specs, CV: 5, Seed: seed,
		SplitBy: "screening_unit", Validate: HeldOut, Name: modelPath, Version: buildinfo.Version()})
	if err != nil {
		return nil, err
	}
	if err := models.Save(modelPath, file); err != nil {
		return nil, err
	}
	res.RiskModel = tr
	return []string{featPath, modelPath}, nil
}

// fingerprint is the SHA-256 of files, in order.
func fingerprint(paths ...string) (string, error) {
	h := sha256.New()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return "", err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
