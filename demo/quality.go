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
	proms, err := datasets.ReadFrame(p("proms"))
	if err != nil {
		return nil, nil, err
	}
	rows, err := prom.ScoreQLQC30Frame(proms, "person_id", "q")
	if err != nil {
		return nil, nil, err
	}
	scores := filepath.Join(regDir, "qlq_c30_scores.csv")
	if err := prom.WriteQLQC30(scores, "person_id", rows); err != nil {
		return nil, nil, err
	}
	q.PROM = prom.SummariseQLQC30(rows)
	q.PROM.Output = scores
	return q, append(sum.Files, scores), nil
}
