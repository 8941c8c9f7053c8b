package demo

import (
	"path/filepath"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/synth"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/prom"
	"github.com/screenlab/screenlab/report"
)

// clinicalCases is the size of the demo's clinical quality registry.
const clinicalCases = 20000

// qualityRegistry generates a clinical quality registry in dir/clinical
// and computes what its results site publishes for the last complete
// year: the built-in quality indicators by treating hospital with levels
// and overdispersed funnels (suppression below 5), completeness of
// clinical reporting, data quality, 90-day mortality adjusted for case
// mix, and the PROM scores.
func qualityRegistry(dir string, seed uint64) (*report.DemoQuality, []string, error) {
	regDir := filepath.Join(dir, "clinical")
	sum, err := synth.GenerateClinical(regDir, synth.Config{Persons: clinicalCases, Seed: seed})
	if err != nil {
		return nil, nil, err
	}
	p := func(name string) string { return filepath.Join(regDir, name+".csv") }
	cases, err := datasets.ReadFrame(p("cases"))
	if err != nil {
		return nil, nil, err
	}
	q := &report.DemoQuality{Cases: sum.Cases}
	if q.Year, err = screening.LastCompleteYear(cases, "year", datasets.DateOf(2025, 6, 30)); err != nil {
		return nil, nil, err
	}
	defs, _, err := screening.BuiltinIndicators("quality")
	if err != nil {
		return nil, nil, err
	}
	unit, err := screening.ContextUnit(defs, "treating")
	if err != nil {
		return nil, nil, err
	}
	if q.Indicators, err = screening.ComputeIndicators(cases, unit, screening.ForYear(defs, q.Year), screening.IndicatorOptions{Overdispersion: true}, 5); err != nil {
		return nil, nil, err
	}
	reports, err := datasets.ReadFrame(p("clinical_reports"))
	if err != nil {
		return nil, nil, err
	}
	if q.Completeness, err = screening.ReportCompleteness(cases, reports, screening.CompletenessOptions{Suppress: 5}); err != nil {
		return nil, nil, err
	}
	deaths, err := datasets.ReadFrame(p("deaths"))
	if err != nil {
		return nil, nil, err
	}
	if q.DataQuality, err = screening.DataQuality(cases, deaths); err != nil {
		return nil, nil, err
	}
	if q.CaseMix, err = screening.CaseMix(cases, "hospital", "died_90d", []string{"age", "stage", "comorbidity"},
		screening.CaseMixOptions{Overdispersion: true, Suppress: 5}); err != nil {
		return nil, nil, err
	}
	// PROMs: the QLQ-C30 against norms built from the general-population
	// sample, and EPIC-26 with poor urinary continence (domain below 60)
	// per hospital, adjusted for age and stage.
	norms := filepath.Join(regDir, "qlq_c30_norms.csv")
	if _, err := (prom.NormsJob{Instrument: "qlq-c30", Data: p("population_qlq_c30"), ScoreOptions: prom.ScoreOptions{ID: "person_id"},
		Sex: "sex", Age: "age", Out: norms}).Run(); err != nil {
		return nil, nil, err
	}
	scores := filepath.Join(regDir, "qlq_c30_scores.csv")
	if q.PROM, err = (prom.ScoreJob{Instrument: "qlq-c30", Data: p("proms"), ScoreOptions: prom.ScoreOptions{ID: "person_id"},
		Out: scores, Norms: norms, Sex: "sex", Age: "age"}).Run(); err != nil {
		return nil, nil, err
	}
	epic := filepath.Join(regDir, "epic26_scores.csv")
	if q.EPIC26, err = (prom.ScoreJob{Instrument: "epic-26", Data: p("proms_epic26"),
		ScoreOptions: prom.ScoreOptions{ID: "person_id", Keep: []string{"hospital", "age", "stage"}}, Out: epic,
		Flags: []prom.Flag{{Name: "poor_continence", Score: "urinary_incontinence", Op: "<", Value: 60}}}).Run(); err != nil {
		return nil, nil, err
	}
	ef, err := datasets.ReadFrame(epic)
	if err != nil {
		return nil, nil, err
	}
	if q.PROMCaseMix, err = screening.CaseMix(ef, "hospital", "poor_continence", []string{"age", "stage"},
		screening.CaseMixOptions{Overdispersion: true, Suppress: 5}); err != nil {
		return nil, nil, err
	}
	return q, append(sum.Files, norms, scores, epic), nil
}
