package report

import (
	"fmt"
	"github.com/screenlab/screenlab/export"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/incidence"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/models/scoring"
	"github.com/screenlab/screenlab/survival"
)

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
	Priors        *strategy.PriorsReport      `json:"ai_prior_rounds"`
	Readers       *screening.IndicatorsResult `json:"reader_audit"`
	ByVendor      *strategy.SubgroupReport    `json:"strategies_by_vendor"`
	Drift         *strategy.DriftReport       `json:"ai_score_drift"`
	Indicators    *screening.IndicatorsResult `json:"quality_indicators"`
	Survival      *DemoSurvival               `json:"survival"`
	Incidence     *DemoIncidence              `json:"incidence"`
	Cervical      *DemoProgramme              `json:"cervical"`
	Bowel         *DemoProgramme              `json:"bowel"`
	Quality       *DemoQuality                `json:"clinical_quality"`
	Extract       *export.Manifest            `json:"research_extract"`
	Report        string                      `json:"report"`
}

// DemoTriage is the demo's triage CNN: trained on units SU01–SU05, the
// held-out units' imaged exams scored by screenlab score, and its AUCs
// (DeLong) against negative exams for screen-detected and for interval
// cancers, beside the generator's AI score on the same exams.
type DemoTriage struct {
	Train            *models.CNNTrainResult `json:"train"`
	Scoring          *scoring.Summary       `json:"scoring"`
	ScreenDetected   evaluation.AUC         `json:"auc_screen_detected"`
	Interval         evaluation.AUC         `json:"auc_interval"`
	AIScreenDetected evaluation.AUC         `json:"ai_score_auc_screen_detected"`
	NScreenDetected  int                    `json:"n_screen_detected"`
	NInterval        int                    `json:"n_interval"`
	NNegative        int                    `json:"n_negative"`
	// ROC curves on the held-out imaged exams (thinned for the report).
	ROC []NamedROC `json:"roc"`
	// Reading strategies replayed on the same held-out imaged exams, with
	// the CNN's score and with the generator's AI score.
	StrategiesCNN *strategy.TriageReport `json:"strategies_cnn"`
	StrategiesAI  *strategy.TriageReport `json:"strategies_ai"`
}

// NamedROC is an ROC curve with its name.
type NamedROC struct {
	Name   string                `json:"name"`
	Points []evaluation.ROCPoint `json:"points"`
}

// DemoSurvival is the demo's survival of the registry's breast cancer
// patients: Kaplan–Meier by stage with the log-rank test, a Cox model of
// stage and age, and Pohar Perme net survival against the life table.
type DemoSurvival struct {
	Patients int                   `json:"patients"`
	KM       *survival.KMByGroup   `json:"km_by_stage"`
	Cox      *survival.CoxResult   `json:"cox"`
	Net      *survival.NetSurvival `json:"net_survival"`
	// CIF is the cumulative incidence of breast cancer after a woman's
	// first screen by breast density, with death as the competing risk.
	CIF      *survival.CIFByGroup `json:"cif_by_density"`
	Screened int                  `json:"cif_women"`
}

// DemoIncidence is the demo's breast cancer incidence among women aged
// 50–69 (the screened ages): rates by year standardised to the European
// standard population 2013, and their log-linear trend.
type DemoIncidence struct {
	Rates     *incidence.RateTable  `json:"rates_by_year"`
	Trend     *incidence.TrendTable `json:"trend"`
	SIR       *incidence.SIRTable   `json:"sir_by_region"`
	SIRPeriod string                `json:"sir_period"`
}

// TriageCNN adds the triage CNN's held-out AUCs, ROC curves, and the reading
// strategies replayed with its score and with the AI score on the same
// exams.
func (page *Page) TriageCNN(t *DemoTriage) error {
	page.Table([]string{"held-out comparison", "n", "AUC", "95% CI"}, [][]string{
		{"screen-detected vs negative (CNN)", fmt.Sprintf("%d + %d", t.NScreenDetected, t.NNegative), fmt.Sprintf("%.3f", t.ScreenDetected.Estimate), fmt.Sprintf("%.3f–%.3f", t.ScreenDetected.Lower, t.ScreenDetected.Upper)},
		{"interval vs negative (CNN)", fmt.Sprintf("%d + %d", t.NInterval, t.NNegative), fmt.Sprintf("%.3f", t.Interval.Estimate), fmt.Sprintf("%.3f–%.3f", t.Interval.Lower, t.Interval.Upper)},
		{"screen-detected vs negative (AI score)", fmt.Sprintf("%d + %d", t.NScreenDetected, t.NNegative), fmt.Sprintf("%.3f", t.AIScreenDetected.Estimate), fmt.Sprintf("%.3f–%.3f", t.AIScreenDetected.Lower, t.AIScreenDetected.Upper)}})
	if len(t.ROC) > 0 {
		var names []string
		var curves [][]evaluation.ROCPoint
		for _, r := range t.ROC {
			names, curves = append(names, r.Name), append(curves, r.Points)
		}
		if err := page.Plot("ROC curves of screen-detected cancers against negative exams on the held-out units.", func(path string) error {
			return WriteROCPlot(path, "Screen-detected cancers against negative exams, held-out units", names, curves, nil)
		}); err != nil {
			return err
		}
	}
	for _, s := range []struct {
		name string
		rep  *strategy.TriageReport
	}{{"the CNN's score", t.StrategiesCNN}, {"the generator's AI score", t.StrategiesAI}} {
		if s.rep == nil {
			continue
		}
		page.Paragraph(fmt.Sprintf("Reading strategies with %s on the same %d held-out exams (%d women): every cancer but only the imaged sample of negative exams, so reads and recall are not the programme's; compare the two scores' detection.", s.name, s.rep.Exams, s.rep.Women))
		page.TriageTable(s.rep)
	}
	if t.StrategiesCNN != nil && t.StrategiesAI != nil {
		return page.Plot("Change in screen-detected sensitivity from double reading under each strategy, with the CNN's score and with the AI score on the same held-out exams (bootstrap intervals).", func(path string) error {
			return WriteStrategyComparison(path, "Reading strategies: the CNN against the AI score", []StrategySeries{
				{Name: "triage CNN", Rows: t.StrategiesCNN.Strategies}, {Name: "AI score", Rows: t.StrategiesAI.Strategies}})
		})
	}
	return nil
}

// DemoPage is the demo's report: a summary, then a section per analysis
// with its tables and plots, method notes with references, the data
// fingerprint and the version. It uses only what demo.json holds, so
// screenlab report demo.json makes the same page.
func DemoPage(res *DemoResult, version string) (*Page, error) {
	o := res.Overall
	page := &Page{Title: "screenlab demo: a synthetic screening registry",
		Subtitle: fmt.Sprintf("%d women, %d screening exams, seed %d; registry fingerprint SHA-256 %s", res.Persons, res.Exams, res.Seed, res.Fingerprint),
		Version:  version}
	page.Section("Summary", "")
	page.Paragraph(fmt.Sprintf("Of %d screening exams, %.2f%% were recalled; %d cancers were screen-detected (%.2f per 1000 exams) and %d arose in the interval (%.2f per 1000 exams, all exams counted): programme sensitivity %.1f%% (95%% CI %.1f–%.1f).",
		int(o.Exams), 100*o.RecallRate, int(o.ScreenDetected), o.CDR, int(o.Interval), o.IntervalRate, 100*o.Sensitivity, 100*o.SensitivityLower, 100*o.SensitivityUpper))
	if m := res.RiskModel; m != nil && m.Validation != nil {
		page.Paragraph(fmt.Sprintf("A logistic risk model validated on other screening units ranks women with AUC %.3f (%.3f–%.3f) and is well calibrated (slope %.2f, O/E %.2f).",
			m.Validation.AUC.Estimate, m.Validation.AUC.Lower, m.Validation.AUC.Upper, m.Validation.Calibration.Slope, m.Validation.Calibration.OE))
	}
	if t := res.Triage; t != nil {
		page.Paragraph(fmt.Sprintf("The triage CNN, trained on the mammograms of five units, separates screen-detected cancers from negative exams in the other three with AUC %.3f (%.3f–%.3f); interval cancers, faint at the screen, only with AUC %.3f.",
			t.ScreenDetected.Estimate, t.ScreenDetected.Lower, t.ScreenDetected.Upper, t.Interval.Estimate))
	}
	if st := res.Strategies; st != nil {
		for _, r := range st.Strategies {
			if r.Name == "rule-out" {
				page.Paragraph(fmt.Sprintf("Ruling out the lowest half of AI scores would change human reads by %+.0f%% and screen-detected cancers by %+d of %d (sensitivity %.1f%% against %.1f%%).",
					100*r.ReadsChange, r.ScreenDetectedChange, st.Strategies[0].ScreenDetected, 100*r.Sensitivity, 100*st.Strategies[0].Sensitivity))
			}
		}
	}
	if sv := res.Survival; sv != nil && sv.Net != nil {
		for _, a := range sv.Net.At {
			if a.Time == 5 {
				page.Paragraph(fmt.Sprintf("Of %d women with breast cancer, %.1f%% (%.1f–%.1f) would survive five years in the absence of other causes of death (net survival).", sv.Patients, 100*a.Surv, 100*a.Lower, 100*a.Upper))
			}
		}
	}
	page.EndSection()
	page.ScreeningSection(res.ScreeningUnit)
	if m := res.RiskModel; m != nil {
		page.Section("Risk model", "Logistic regression of a screen-detected or interval cancer on age (restricted cubic spline, 4 knots), screening history, density, family history, BMI and HRT; trained on SU01–SU05, validated on "+m.ValidatedOn+".")
		if err := page.RiskModel(m); err != nil {
			return nil, err
		}
		page.EndSection()
	}
	if t := res.Triage; t != nil {
		page.Section("Triage CNN", fmt.Sprintf("Trained on %d exams' images (%d cancers) with early stopping on a fifth of the women; %d held-out exams scored with screenlab score (%d errors).",
			t.Train.Train, t.Train.TrainPos, t.Scoring.Exams, t.Scoring.Errors))
		if err := page.TriageCNN(t); err != nil {
			return nil, err
		}
		page.EndSection()
	}
	if sv := res.Survival; sv != nil {
		page.Section("Survival after breast cancer", fmt.Sprintf("%d women with a first invasive breast cancer of known stage, followed from diagnosis to death, emigration or the end of data.", sv.Patients))
		if err := page.KaplanMeier(sv.KM, "stage"); err != nil {
			return nil, err
		}
		page.Cox(sv.Cox)
		page.NetSurvival(sv.Net)
		page.EndSection()
		if sv.CIF != nil {
			page.Section("Breast cancer after a first screen", fmt.Sprintf("%d screened women followed from their first screen to a first invasive breast cancer, death without one (the competing risk), emigration or the end of data, by breast density at the first screen.", sv.Screened))
			if err := page.CumulativeIncidence(sv.CIF, CauseNamer("breast cancer", "death without breast cancer"), "density", []int{1}); err != nil {
				return nil, err
			}
			page.EndSection()
		}
	}
	if inc := res.Incidence; inc != nil {
		page.Section("Incidence", "Invasive breast cancers (C50) among women aged 50–69 per 100,000 person-years, directly standardised to the European standard population 2013 (Fay & Feuer 1997 intervals); the trend over all ages by Poisson regression with age-group terms.")
		if err := page.Rates(inc.Rates); err != nil {
			return nil, err
		}
		page.Trend(inc.Trend)
		if inc.SIR != nil {
			page.Paragraph(fmt.Sprintf("Standardised incidence ratios by region, women 50–69, %s: observed cancers against those expected at the national age-specific rates (exact Poisson intervals).", inc.SIRPeriod))
			page.SIR(inc.SIR)
		}
		page.EndSection()
	}
	if st := res.Strategies; st != nil {
		if err := page.TriageSection(st); err != nil {
			return nil, err
		}
	}
	if res.Priors != nil || res.Readers != nil {
		if err := page.AIAuditSection(res.Priors, res.Readers, res.ByVendor, res.Drift); err != nil {
			return nil, err
		}
	}
	if ind := res.Indicators; ind != nil {
		if err := page.IndicatorsSection(ind.Unit, ind.Indicators); err != nil {
			return nil, err
		}
	}
	for _, d := range []*DemoProgramme{res.Cervical, res.Bowel} {
		if d != nil {
			if err := page.ProgrammeSection(d); err != nil {
				return nil, err
			}
		}
	}
	if q := res.Quality; q != nil {
		if err := page.QualitySection(q); err != nil {
			return nil, err
		}
	}
	if m := res.Extract; m != nil {
		if err := page.ExtractSection(m); err != nil {
			return nil, err
		}
	}
	page.Section("Methods and references", "")
	for _, m := range []string{
		"Outcomes: screen-detected within 6 months of a recall, interval within 24 months and before the next screen (European guidelines for quality assurance in breast cancer screening and diagnosis, 4th ed., 2006).",
		"Proportions: Wilson score intervals. AUC: DeLong, DeLong & Clarke-Pearson (1988). Calibration: logistic recalibration (Cox 1958), lowess calibration curves (Austin & Steyerberg 2014). Decision curves: Vickers & Elkin (2006).",
		"Triage CNN: three 3×3 convolution blocks per view, global max pooling, log-sum-exp over the four views (multiple-instance learning); Adam (Kingma & Ba 2015); Glorot initialisation (Glorot & Bengio 2010).",
		"Reading strategies: replay of observed double reading with consensus (cf. Larsen et al. 2022, Dembrower et al. 2020); decisions never made are bounded (dismissed / recalled); exact McNemar tests; bootstrap resampling women.",
		"Funnel plots: exact binomial limits with interpolation (Spiegelhalter 2005).",
		"Research extracts: pseudonyms by HMAC-SHA256 (RFC 2104) keyed with the project's key; k-anonymity (Samarati & Sweeney 1998) by local suppression in the protocol's order of importance (as sdcMicro, Templ et al. 2015), a suppressed value its own category, persons still below k withheld.",
		"Cervical and bowel programmes: episodes from the Norwegian 2024 cervical algorithm and FIT at 15 µg Hb/g; coverage as in the European guidelines for cervical screening (Arbyn et al. 2010); CIN3+ risk by Kaplan–Meier (risk tables as Katki et al. 2013, Egemen et al. 2020); differences of proportions by Newcombe's (1998) hybrid score interval; the median wait by order statistics (Conover 1999).",
		"Incidence: direct standardisation to the European standard population 2013 with Fay & Feuer (1997) gamma intervals; trends by Poisson regression of counts on calendar year with age-group terms and log person-years offset (annual percent change); SIRs by indirect standardisation with exact Poisson intervals (Ulm 1990), person-years by Lexis splitting (as Epi::splitLexis).",
		"Survival: Kaplan–Meier with Greenwood variances, log-rank test; Cox proportional hazards with Efron ties (as R's survival); net survival by Pohar Perme, Stare & Estève (2012) against the population life table; cumulative incidence with competing risks by Aalen–Johansen with Gray's (1988) variance and test (as cmprsk::cuminc).",
	} {
		page.Paragraph(m)
	}
	page.EndSection()
	return page, nil
}
