package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/synth"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/report/render"
)

type demoOptions struct {
	f       *Factory
	Dir     string
	Persons int
}

// DemoResult is the JSON of screenlab demo: where things went and the
// headline screening figures.
type DemoResult struct {
	Dir           string                      `json:"dir"`
	Seed          uint64                      `json:"seed"`
	Fingerprint   string                      `json:"registry_sha256"`
	Persons       int                         `json:"persons"`
	Exams         int                         `json:"exams"`
	Link          datasets.LinkSummary        `json:"link"`
	Overall       screening.ScreeningRow      `json:"overall"`
	Files         []string                    `json:"files"`
	ScreeningUnit []screening.ScreeningRow    `json:"by_screening_unit"`
	RiskModel     *models.TrainResult         `json:"risk_model"`
	Triage        *DemoTriage                 `json:"triage_cnn"`
	Strategies    *strategy.TriageReport      `json:"reading_strategies"`
	Indicators    *screening.IndicatorsResult `json:"quality_indicators"`
	Survival      *DemoSurvival               `json:"survival"`
	Incidence     *DemoIncidence              `json:"incidence"`
	Report        string                      `json:"report"`
}

func newCmdDemo(f *Factory, runF func(*demoOptions) error) *cobra.Command {
	opts := &demoOptions{f: f}
	cmd := &cobra.Command{
		Use:   "demo [--dir DIR]",
		Short: "Run the main job on a built-in synthetic registry",
		Long: `Run screenlab's main job end to end on a synthetic registry: generate the
registry with mammograms, link every exam to its registry-confirmed outcome,
compute the screening indicators overall and by screening unit, train a risk
model and validate it externally, train the triage CNN on the images of five
screening units and score the other three with screenlab score, replay
reading strategies with the AI score and with the CNN's, estimate survival
(Kaplan-Meier by stage, Cox, net survival, cumulative incidence of breast
cancer by density), incidence (standardised rates by year, trend, SIR by
region) and quality indicators with funnel plots, and write one
self-contained page, report.html. Everything is written to --dir (default
out/demo); screenlab report demo.json rebuilds the same page.`,
		Example: `  screenlab demo
  screenlab demo --dir /tmp/demo --persons 20000 --seed 3`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Persons <= 0 {
				return flagErrorf("--persons must be positive, got %d", opts.Persons)
			}
			if runF != nil {
				return runF(opts)
			}
			return runDemo(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Dir, "dir", filepath.Join("out", "demo"), "folder for the registry and results")
	cmd.Flags().IntVar(&opts.Persons, "persons", 100000, "number of women in the synthetic registry")
	return cmd
}

// RunDemo runs the demo pipeline and returns its result; the command and
// the tests share it.
func RunDemo(dir string, persons int, seed uint64, progress func(stage string)) (*DemoResult, error) {
	step := func(s string) {
		if progress != nil {
			progress(s)
		}
	}
	regDir := filepath.Join(dir, "registry")
	if err := os.MkdirAll(regDir, 0o755); err != nil {
		return nil, err
	}
	step(fmt.Sprintf("generating a registry of %d women", persons))
	// Images for every exam with a cancer present and 2% of the others: the
	// triage CNN's training and held-out sets.
	sum, err := synth.Generate(regDir, synth.Config{Persons: persons, Seed: seed, Images: true, ImageSample: 0.02})
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
	res := &DemoResult{Dir: dir, Persons: sum.Persons, Exams: sum.Exams, Link: linkSum,
		Overall: overall.Rows[0], ScreeningUnit: byUnit.Rows}
	step("training a risk model on units SU01-SU05 and validating it on SU06-SU08")
	featPath := filepath.Join(dir, "features.csv")
	if _, err := WriteRegistryFeatures(linkedPath, featPath, false); err != nil {
		return nil, err
	}
	modelPath := filepath.Join(dir, "risk.model")
	topts := &trainOptions{f: &Factory{Seed: seed}, Data: featPath, Target: "cancer", Model: "logistic", CV: 5,
		Features: []string{"age", "prior_screens", "prior_recalls", "prior_benign_biopsy", "density", "family_history", "bmi", "hrt"},
		Splines:  []string{"age:4"}, SplitBy: "screening_unit", Validate: []string{"SU06", "SU07", "SU08"}, Out: modelPath}
	tr, file, err := Train(topts)
	if err != nil {
		return nil, fmt.Errorf("risk model: %w", err)
	}
	if err := models.Save(modelPath, file); err != nil {
		return nil, err
	}
	res.RiskModel = tr
	res.Files = append(res.Files, sum.Files...)
	res.Files = append(res.Files, linkedPath, featPath, modelPath)
	step("training the triage CNN on the images of SU01-SU05, scoring SU06-SU08")
	triage, files, err := demoTriage(dir, regDir, linkedPath, linked, reg.ExamExtra, seed)
	if err != nil {
		return nil, err
	}
	res.Triage = triage
	res.Files = append(res.Files, files...)
	step("simulating AI-assisted reading strategies with the AI score")
	sweepPlot := filepath.Join(dir, "triage_sweep.svg")
	strat, err := SimulateTriage(&triageOptions{f: &Factory{Seed: seed, IO: quietStreams()}, Data: linkedPath, Score: "ai_score",
		Strategies: strategy.DefaultStrategies, Bootstrap: 200, Level: 0.95, Sweep: "rule-out", SweepPoints: 20, Plot: sweepPlot})
	if err != nil {
		return nil, fmt.Errorf("reading strategies: %w", err)
	}
	res.Strategies = strat
	res.Files = append(res.Files, sweepPlot)
	step("survival of the breast cancer patients: Kaplan-Meier by stage, Cox, net survival")
	end, err := datasets.ParseDate(linkSum.EndOfData)
	if err != nil {
		return nil, err
	}
	surv, survFiles, err := demoSurvival(dir, regDir, reg, end)
	if err != nil {
		return nil, fmt.Errorf("survival: %w", err)
	}
	res.Survival = surv
	res.Files = append(res.Files, survFiles...)
	step("breast cancer incidence: standardised rates by year, trend, SIR by region")
	inc, incFiles, err := demoIncidence(dir, regDir, reg, end)
	if err != nil {
		return nil, err
	}
	res.Incidence = inc
	res.Files = append(res.Files, incFiles...)
	step("quality indicators per screening unit with funnel plots")
	ind, err := Indicators(&indicatorsOptions{f: &Factory{Seed: seed, IO: quietStreams()}, Data: linkedPath, Unit: "screening_unit",
		Definitions: "screening", Level: 0.95, Suppress: 5, Plot: filepath.Join(dir, "funnels")})
	if err != nil {
		return nil, fmt.Errorf("quality indicators: %w", err)
	}
	res.Indicators = ind
	res.Files = append(res.Files, ind.Plots...)
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
		if err := writeFileAtomic(path, func(w io.Writer) error { return render.Write(w, out.format, out.v) }); err != nil {
			return nil, err
		}
		res.Files = append(res.Files, path)
	}
	print, err := fingerprint(filepath.Join(regDir, "persons.csv"), filepath.Join(regDir, "exams.csv"), filepath.Join(regDir, "diagnoses.csv"))
	if err != nil {
		return nil, err
	}
	res.Seed, res.Fingerprint = seed, print
	page, err := demoPage(res)
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
	if err := writeFileAtomic(path, func(w io.Writer) error { return render.Write(w, render.JSON, res) }); err != nil {
		return nil, err
	}
	return res, nil
}

func runDemo(opts *demoOptions) error {
	io := opts.f.IO
	res, err := RunDemo(opts.Dir, opts.Persons, opts.f.Seed, func(s string) { io.Notef("demo: %s ...", s) })
	if err != nil {
		return err
	}
	if opts.f.Format != "table" {
		return opts.f.Render(res)
	}
	o := res.Overall
	w := io.Out
	fmt.Fprintf(w, "screenlab demo: %d women, %d screening exams (seed %d)\n\n", res.Persons, res.Exams, opts.f.Seed)
	fmt.Fprintf(w, "outcomes     %d screen-detected, %d interval, %d negative, %d unknown, %d excluded\n",
		res.Link.ScreenDetected, res.Link.Interval, res.Link.Negative, res.Link.Unknown, res.Link.Excluded)
	fmt.Fprintf(w, "recall       %.2f%% (95%% CI %.2f-%.2f)\n", 100*o.RecallRate, 100*o.RecallRateLower, 100*o.RecallRateUpper)
	fmt.Fprintf(w, "detection    %.2f per 1000 (%.2f-%.2f)\n", o.CDR, o.CDRLower, o.CDRUpper)
	fmt.Fprintf(w, "interval     %.2f per 1000 (%.2f-%.2f)\n", o.IntervalRate, o.IntervalRateLower, o.IntervalRateUpper)
	fmt.Fprintf(w, "sensitivity  %.1f%% (%.1f-%.1f)\n", 100*o.Sensitivity, 100*o.SensitivityLower, 100*o.SensitivityUpper)
	fmt.Fprintf(w, "specificity  %.2f%% (%.2f-%.2f)\n", 100*o.Specificity, 100*o.SpecificityLower, 100*o.SpecificityUpper)
	fmt.Fprintf(w, "PPV          %.1f%% (%.1f-%.1f)\n\n", 100*o.PPV, 100*o.PPVLower, 100*o.PPVUpper)
	if m := res.RiskModel; m != nil && m.CV != nil && m.Validation != nil {
		fmt.Fprintf(w, "risk model   logistic on %d exams: 5-fold CV AUC %.3f, slope %.2f\n", m.Train, m.CV.AUC, m.CV.Slope)
		fmt.Fprintf(w, "             external validation (%s): AUC %.3f (%.3f-%.3f), calibration slope %.2f, O/E %.2f\n\n",
			m.ValidatedOn, m.Validation.AUC.Estimate, m.Validation.AUC.Lower, m.Validation.AUC.Upper, m.Validation.Calibration.Slope, m.Validation.Calibration.OE)
	}
	if t := res.Triage; t != nil {
		fmt.Fprintf(w, "triage CNN   trained on %d exams' images (%d cancers) at %.0f images/s; scored %d held-out exams (%s) at %.0f images/s\n",
			t.Train.Train, t.Train.TrainPos, t.Train.ImagesPerSec, t.Scoring.Exams, t.Train.ValidatedOn, t.Scoring.ImagesPerSec)
		fmt.Fprintf(w, "             AUC screen-detected %.3f (%.3f-%.3f; %d cancers, %d negatives); interval %.3f (%.3f-%.3f; %d)\n",
			t.ScreenDetected.Estimate, t.ScreenDetected.Lower, t.ScreenDetected.Upper, t.NScreenDetected, t.NNegative,
			t.Interval.Estimate, t.Interval.Lower, t.Interval.Upper, t.NInterval)
		fmt.Fprintf(w, "             the generator's AI score on the same exams: AUC screen-detected %.3f\n", t.AIScreenDetected.Estimate)
		for _, s := range []struct {
			name string
			rep  *strategy.TriageReport
		}{{"CNN", t.StrategiesCNN}, {"AI score", t.StrategiesAI}} {
			if s.rep == nil {
				continue
			}
			for _, r := range s.rep.Strategies {
				if r.Name == "rule-out" && r.Assumption == strategy.Dismissed {
					fmt.Fprintf(w, "             rule-out of the lowest half by the %s on those exams: screen-detected %+d of %d\n", s.name, r.ScreenDetectedChange, s.rep.Strategies[0].ScreenDetected)
				}
			}
		}
		fmt.Fprintln(w)
	}
	if st := res.Strategies; st != nil {
		fmt.Fprintf(w, "reading strategies with the AI score (%d exams of %d women; differences with %d-replicate bootstrap intervals)\n", st.Exams, st.Women, st.Bootstrap)
		fmt.Fprintf(w, "  %-46s %-9s %8s %7s %9s %7s %8s\n", "strategy", "decisions", "reads", "recall", "detected", "sens.", "interval")
		for _, r := range st.Strategies {
			fmt.Fprintf(w, "  %-46s %-9s %+7.1f%% %6.2f%% %5d %+4d %6.1f%% %8d\n", r.Name, r.Assumption, 100*r.ReadsChange, 100*r.RecallRate,
				r.ScreenDetected, r.ScreenDetectedChange, 100*r.Sensitivity, r.Interval)
		}
		fmt.Fprintf(w, "  rule-out sweep (%s):", filepath.Base(filepath.Join(res.Dir, "triage_sweep.svg")))
		for i, p := range st.Sweep {
			if i%4 == 0 {
				fmt.Fprintf(w, " %.0f%% of exams → reads %+.0f%%, sens. %.1f%%;", 100*p.FractionBelow, 100*p.ReadsChange, 100*p.Sensitivity)
			}
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w)
	}
	if ind := res.Indicators; ind != nil {
		fmt.Fprintf(w, "quality indicators by %s (funnel plots in %s)\n", ind.Unit, filepath.Join(res.Dir, "funnels"))
		for _, r := range ind.Indicators {
			var out []string
			for _, u := range r.Units {
				if strings.Contains(u.Funnel, "99.8") {
					out = append(out, u.Unit+" "+u.Funnel)
				}
			}
			if len(out) == 0 {
				out = []string{"none"}
			}
			met := "met"
			if r.National.TargetMet != nil && !*r.National.TargetMet {
				met = "not met"
			}
			fmt.Fprintf(w, "  %-22s national %.2f (%.2f-%.2f), target %s %s; outside 99.8%% limits: %s\n", r.Name, r.National.Value,
				r.National.Lower, r.National.Upper, r.Target, met, strings.Join(out, ", "))
		}
		fmt.Fprintln(w)
	}
	if sv := res.Survival; sv != nil {
		fmt.Fprintf(w, "survival     %d breast cancer patients; 5-year survival by stage:", sv.Patients)
		for _, g := range sv.KM.Groups {
			for _, a := range g.At {
				if a.Time == 5 {
					fmt.Fprintf(w, " %s %.1f%%", g.Group, 100*a.Surv)
				}
			}
		}
		if sv.KM.LogRank != nil {
			fmt.Fprintf(w, " (log-rank p %s)", pText(sv.KM.LogRank.P))
		}
		fmt.Fprintln(w)
		for _, a := range sv.Net.At {
			if a.Time == 5 {
				fmt.Fprintf(w, "             net survival at 5 years (Pohar Perme) %.1f%% (%.1f-%.1f)\n", 100*a.Surv, 100*a.Lower, 100*a.Upper)
			}
		}
		if c := sv.CIF; c != nil {
			fmt.Fprintf(w, "             breast cancer within 10 years of a first screen (death competing), by density:")
			for _, cur := range c.Causes {
				for _, a := range cur.At {
					if cur.Cause == 1 && a.Time == 10 {
						fmt.Fprintf(w, " %s %.1f%%", cur.Group, 100*a.CIF)
					}
				}
			}
			if len(c.Gray) > 0 {
				fmt.Fprintf(w, " (Gray p %s)", pText(c.Gray[0].P))
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
	}
	if inc := res.Incidence; inc != nil && len(inc.Rates.Rows) > 0 && len(inc.Trend.Rows) > 0 {
		first, last := inc.Rates.Rows[0], inc.Rates.Rows[len(inc.Rates.Rows)-1]
		t := inc.Trend.Rows[0]
		fmt.Fprintf(w, "incidence    women 50-69, per 100,000 (ESP 2013): %s %.0f (%.0f-%.0f), %s %.0f (%.0f-%.0f); trend %+.2f%% a year (%+.2f to %+.2f)\n",
			first.Group.Values[0], first.ASR, first.ASRLower, first.ASRUpper, last.Group.Values[0], last.ASR, last.ASRLower, last.ASRUpper, t.APC, t.APCLower, t.APCUpper)
		if inc.SIR != nil {
			fmt.Fprintf(w, "             SIR by region, women 50-69, %s:", inc.SIRPeriod)
			for _, r := range inc.SIR.Rows {
				fmt.Fprintf(w, " %s %.2f (%.2f-%.2f)", r.Group.Values[0], r.SIR.SIR, r.Lower, r.Upper)
			}
			fmt.Fprint(w, "\n\n")
		}
	}
	fmt.Fprintf(w, "report       %s\n\n", res.Report)
	fmt.Fprintf(w, "results in %s:\n", res.Dir)
	for _, f := range res.Files {
		fmt.Fprintf(w, "  %s\n", f)
	}
	return nil
}
