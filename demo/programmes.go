package demo

import (
	"fmt"
	"path/filepath"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/synth"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/report"
)

// programmePersons is the size of the demo's cervical and bowel registries
// (at most the breast registry's).
const programmePersons = 50000

// programme generates a cervical or bowel registry in dir/<programme>,
// links it, and computes its indicators by group (with suppression below
// 5), coverage, the decisions it faces and its quality indicators per
// laboratory (cervical) or region (bowel), writing the linked tables.
func programme(dir, name string, persons int, seed uint64) (*report.DemoProgramme, []string, error) {
	regDir := filepath.Join(dir, name)
	sum, err := synth.GenerateProgramme(regDir, name, synth.Config{Persons: persons, Seed: seed})
	if err != nil {
		return nil, nil, err
	}
	p := func(table string) string { return filepath.Join(regDir, table+".csv") }
	reg, err := datasets.LoadRegistry(datasets.RegistryFiles{Persons: p("persons"), Diagnoses: p("diagnoses"), Programme: name,
		Invitations: p("invitations"), Tests: p("tests"), Followups: p("followups")}, datasets.LoadOptions{})
	if err != nil {
		return nil, nil, err
	}
	end := datasets.DateOf(2024, 12, 31)
	pl, err := datasets.LinkProgramme(reg, name, nil, datasets.BowelLinkOptions{ProgrammeLinkOptions: datasets.ProgrammeLinkOptions{EndOfData: end}})
	if err != nil {
		return nil, nil, err
	}
	files := append([]string(nil), sum.Files...)
	if err := pl.Write(p("episodes"), p("participation")); err != nil {
		return nil, nil, err
	}
	files = append(files, p("episodes"), p("participation"))
	ep, inv, err := pl.Frames()
	if err != nil {
		return nil, nil, err
	}
	d := &report.DemoProgramme{Programme: name, Persons: sum.Persons, Link: pl.Summary}
	by, unit := []string{"age_group"}, "laboratory"
	if name == "bowel" {
		by, unit = []string{"sex"}, "region"
	}
	if d.Metrics, err = screening.ProgrammeMetrics(name, ep, inv, screening.ProgrammeOptions{By: by, Suppress: 5, Metrics: report.ProgrammeMetricsShown[name]}); err != nil {
		return nil, nil, err
	}
	defs, _, err := screening.BuiltinIndicators(name)
	if err != nil {
		return nil, nil, err
	}
	keep := map[string]bool{"hpv_positivity": true, "colposcopy_compliance": true, "ppv_cin2plus": true,
		"colonoscopy_uptake": true, "caecal_intubation": true, "adenoma_detection_rate": true}
	var shown []screening.Indicator
	for _, d := range screening.ForTable(defs, "episodes") {
		if keep[d.Name] {
			shown = append(shown, d)
		}
	}
	if d.Indicators, err = screening.ComputeIndicators(ep, unit, shown, screening.IndicatorOptions{Level: 0.95}, 5); err != nil {
		return nil, nil, fmt.Errorf("%s quality indicators: %w", name, err)
	}
	switch name {
	case "cervical":
		if d.Coverage, err = screening.Coverage(reg, screening.CoverageOptions{AsOf: end, Sex: "F", By: []string{"age_group"}, Suppress: 5}); err != nil {
			return nil, nil, err
		}
		if d.HPVRisk, err = screening.HPVRisk(ep, []float64{1, 3, 5}, 0.95); err != nil {
			return nil, nil, err
		}
		if d.Sampling, err = screening.CompareSampling(ep, 0.95); err != nil {
			return nil, nil, err
		}
	case "bowel":
		if d.Sweep, err = screening.SweepFIT(ep, []float64{10, 15, 20, 30, 40, 60, 80, 100, 150}, 15); err != nil {
			return nil, nil, err
		}
		plot := filepath.Join(dir, "fit_sweep.svg")
		if err := report.WriteFITSweepPlot(plot, d.Sweep); err != nil {
			return nil, nil, err
		}
		files = append(files, plot)
	}
	return d, files, nil
}
