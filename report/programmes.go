package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/prom"
)

// DemoProgramme is the demo's cervical or bowel programme: the synthetic
// registry linked, its indicators by group, and the decisions it faces.
type DemoProgramme struct {
	Programme  string                        `json:"programme"`
	Persons    int                           `json:"persons"`
	Link       datasets.ProgrammeLinkSummary `json:"link"`
	Metrics    *screening.ProgrammeReport    `json:"metrics"`
	Coverage   *screening.CoverageReport     `json:"coverage,omitempty"`
	HPVRisk    *screening.HPVRiskTable       `json:"hpv_risk,omitempty"`
	Sampling   *screening.SamplingComparison `json:"sampling,omitempty"`
	Sweep      *screening.FITSweep           `json:"fit_sweep,omitempty"`
	Indicators *screening.IndicatorsResult   `json:"quality_indicators"`
}

// ProgrammeMetricsShown are the indicators the report's table shows.
var ProgrammeMetricsShown = map[string][]string{
	"cervical": {"participation", "hpv_positivity", "triage_positivity", "cumulative_referral", "colposcopy_compliance", "cin2plus_per_1000", "ppv_cin2plus"},
	"bowel":    {"participation", "positivity", "colonoscopy_uptake", "adenoma_detection_rate", "ppv_cancer", "ppv_advanced_neoplasia", "cancer_per_1000", "interval_cancer_proportion", "wait_median_days"},
}

// ProgrammeSection writes a programme's section (and its quality
// indicators' section) for the demo page.
func (p *Page) ProgrammeSection(d *DemoProgramme) error {
	total := d.Metrics.Rows[len(d.Metrics.Rows)-1].Metrics
	pct := func(name string) string {
		return cells{}.Pct(total.Value(name), total.Value(name+"_lower"), total.Value(name+"_upper"))
	}
	switch d.Programme {
	case "cervical":
		p.Section("Cervical screening (HPV)", fmt.Sprintf("%d synthetic women: cytology every 3 years at 25–33, HPV every 5 years at 34–69 with self-sampling for non-responders, managed by the Norwegian 2024 algorithm (screenlab link --print-algorithm); %d screening episodes.", d.Persons, d.Link.Episodes))
		p.Paragraph(fmt.Sprintf("Participation within 12 months of an invitation was %s; %s of primary HPV tests were positive, and %s of screened women were referred to colposcopy (directly or after a repeat test), of whom %s attended. CIN2+ was found in %.1f per 1000 screened (PPV of a completed colposcopy %s).",
			pct("participation"), pct("hpv_positivity"), pct("cumulative_referral"), pct("colposcopy_compliance"), total.Value("cin2plus_per_1000"), pct("ppv_cin2plus")))
	case "bowel":
		p.Section("Bowel screening (FIT)", fmt.Sprintf("%d synthetic men and women invited to a FIT every 2 years at 55–74, positive at 15 µg Hb/g faeces and then referred to colonoscopy; %d screening episodes.", d.Persons, d.Link.Episodes))
		p.Paragraph(fmt.Sprintf("Participation was %s (women and men below); %s of FITs were positive and %s of the positives had a colonoscopy (median wait %.0f days). Colonoscopies found cancer in %s and an advanced neoplasia in %s; interval cancers were %s of screen-detected and interval cancers.",
			pct("participation"), pct("positivity"), pct("colonoscopy_uptake"), total.Value("wait_median_days"), pct("ppv_cancer"), pct("ppv_advanced_neoplasia"), pct("interval_cancer_proportion")))
	}
	p.programmeMetricsTable(d)
	if c := d.Coverage; c != nil {
		p.body.WriteString("<h3>Coverage</h3>\n<p class=\"note\">" + htmlEscape(fmt.Sprintf("Women aged %g–%g alive and resident on %s with a test within 3.5 and 5.5 years; \"by age\" takes 3.5 years below 34 (screenlab screening coverage).", c.MinAge, c.MaxAge-1, c.AsOf)) + "</p>\n")
		var rows [][]string
		for _, r := range c.Rows {
			m := r.Metrics
			cc := cells{len(r.Suppressed) > 0}
			row := []string{strings.Join(r.Values, ", "), cc.Num(m.Value("persons"), 0)}
			for _, n := range []string{"coverage_3_5y", "coverage_5_5y", "coverage"} {
				row = append(row, cc.Pct(m.Value(n), m.Value(n+"_lower"), m.Value(n+"_upper")))
			}
			rows = append(rows, row)
		}
		p.Table([]string{"age group", "women", "3.5 years", "5.5 years", "by age"}, rows)
	}
	if h := d.HPVRisk; h != nil {
		p.body.WriteString("<h3>Risk of CIN3+ after a positive HPV test</h3>\n<p class=\"note\">Cumulative risk (Kaplan–Meier, 95% CI) by genotype group and triage cytology, the table risk-based management reads (screenlab screening hpv-risk); – beyond a group's follow-up.</p>\n")
		header := []string{"genotype", "cytology", "women", "CIN3+"}
		for _, y := range h.Years {
			header = append(header, fmt.Sprintf("%g years", y))
		}
		var rows [][]string
		for _, r := range h.Rows {
			row := []string{r.Genotype, r.Cytology, fmt.Sprint(r.N), fmt.Sprint(r.Events)}
			for i := range h.Years {
				row = append(row, cells{}.Pct(r.Risk[i], r.Lower[i], r.Upper[i]))
			}
			rows = append(rows, row)
		}
		p.Table(header, rows)
	}
	if s := d.Sampling; s != nil {
		p.body.WriteString("<h3>Self-sampling against clinician sampling</h3>\n<p class=\"note\">HPV-primary episodes; differences self − clinician with Newcombe's hybrid score 95% intervals (screenlab screening sampling).</p>\n")
		var rows [][]string
		for _, r := range s.Rows {
			per, unit := 100.0, "%"
			if strings.HasSuffix(r.Measure, "per_1000") {
				per, unit = 1, ""
			}
			rows = append(rows, []string{strings.ReplaceAll(r.Measure, "_", " "),
				fmt.Sprintf("%.2f%s (%d/%d)", per*r.Self, unit, r.SelfN, r.SelfD),
				fmt.Sprintf("%.2f%s (%d/%d)", per*r.Clinician, unit, r.ClinicianN, r.ClinicianD),
				fmt.Sprintf("%+.2f (%+.2f to %+.2f)", per*r.Difference, per*r.DifferenceLower, per*r.DifferenceUpper)})
		}
		p.Table([]string{"measure", "self-sampled", "clinician-sampled", "difference"}, rows)
	}
	if sw := d.Sweep; sw != nil {
		p.body.WriteString("<h3>The positivity threshold</h3>\n")
		if err := p.Plot(fmt.Sprintf("FIT thresholds: colonoscopies needed against cancers (within 2 years of the test) and advanced adenomas detected, per 1000 screened; the programme's %g µg Hb/g ringed. Advanced adenomas are unknown below it (no colonoscopy).", sw.ProgrammeThreshold),
			func(path string) error { return WriteFITSweepPlot(path, sw) }); err != nil {
			return err
		}
		var rows [][]string
		for _, r := range sw.Rows {
			c := cells{}
			rows = append(rows, []string{fmt.Sprint(r.Threshold), c.Num(100*r.Positivity, 2) + "%", c.Num(r.ColonoscopiesPer1000, 1),
				fmt.Sprintf("%d / %d", r.CancersDetected, r.CancersMissed), c.Num(r.AdvancedAdenomasDetected, 0) + " / " + c.Num(r.AdvancedAdenomasMissed, 0)})
		}
		p.Table([]string{"f-Hb (µg/g)", "positive", "colonoscopies per 1000", "cancers detected / missed", "advanced adenomas found / missed"}, rows)
	}
	p.EndSection()
	if ind := d.Indicators; ind != nil {
		return p.IndicatorsSectionTitled("Quality indicators by "+ind.Unit+" ("+d.Programme+" programme)", ind.Unit, ind.Indicators)
	}
	return nil
}

// programmeMetricsTable shows the main indicators by group.
func (p *Page) programmeMetricsTable(d *DemoProgramme) {
	names := ProgrammeMetricsShown[d.Programme]
	header := append([]string{strings.Join(d.Metrics.By, ", ")}, names...)
	for i := range names {
		header[i+1] = strings.ReplaceAll(names[i], "_", " ")
	}
	var rows [][]string
	for _, r := range d.Metrics.Rows {
		c := cells{len(r.Suppressed) > 0}
		row := []string{strings.Join(r.Values, ", ")}
		for _, n := range names {
			v := r.Metrics.Value(n)
			if math.IsNaN(v) {
				row = append(row, c.missing())
				continue
			}
			if strings.Contains(n, "_per_") || strings.HasPrefix(n, "wait_") {
				row = append(row, c.CI(v, r.Metrics.Value(n+"_lower"), r.Metrics.Value(n+"_upper"), 1))
			} else {
				row = append(row, c.Pct(v, r.Metrics.Value(n+"_lower"), r.Metrics.Value(n+"_upper")))
			}
		}
		rows = append(rows, row)
	}
	p.body.WriteString("<p class=\"note\">" + htmlEscape("Per cent (per 1000 where the name says so) with Wilson 95% intervals; groups with a count below 5 are suppressed whole (screenlab screening metrics --programme "+d.Programme+" --suppress 5).") + "</p>\n")
	p.Table(header, rows)
}

// DemoQuality is the demo's clinical quality registry.
type DemoQuality struct {
	Cases        int                           `json:"cases"`
	Year         int                           `json:"year"`
	Indicators   *screening.IndicatorsResult   `json:"indicators"`
	Completeness *screening.CompletenessResult `json:"completeness"`
	DataQuality  *screening.DataQualityResult  `json:"data_quality"`
	CaseMix      *screening.CaseMixResult      `json:"case_mix"`
	PROM         *prom.Scored                  `json:"prom"`
	EPIC26       *prom.Scored                  `json:"epic26"`
	// PROMCaseMix is a PROM indicator (poor urinary continence after
	// prostate cancer) per hospital, adjusted for case mix.
	PROMCaseMix *screening.CaseMixResult `json:"prom_case_mix"`
}

// caseMixTable is a case-mix adjusted indicator by hospital.
func (p *Page) caseMixTable(m *screening.CaseMixResult, cases, events string) {
	var rows [][]string
	for _, r := range m.Rows {
		cc := cells{r.Suppressed}
		rows = append(rows, []string{r.Unit, cc.Num(r.Cases, 0), cc.Num(r.Observed, 0), cc.Num(r.Expected, 1), cc.CI(r.OE, r.OELower, r.OEUpper, 2), cc.Pct(r.Adjusted, r.AdjustedLower, r.AdjustedUpper), r.Funnel})
	}
	p.Table([]string{"hospital", cases, events, "expected", "O/E", "adjusted rate", "funnel"}, rows)
}

// QualitySection writes the clinical quality registry's sections.
func (p *Page) QualitySection(q *DemoQuality) error {
	p.Section("Clinical quality registry", fmt.Sprintf("%d synthetic breast, colorectal and prostate cancer cases 2019–2024 treated at seven hospitals (screenlab generate --programme clinical); indicators for %d, the last complete year, counted by treating hospital.", q.Cases, q.Year))
	if c := q.Completeness; c != nil {
		p.body.WriteString("<h3>Completeness of clinical reporting</h3>\n<p class=\"note\">" + htmlEscape(fmt.Sprintf("Cases of %d with a clinical report (Wilson 95%% intervals) against the %.0f%% target, and the median days from diagnosis to report (screenlab completeness).", q.Year, 100*c.Target)) + "</p>\n")
		var rows [][]string
		for _, r := range c.Rows {
			if r.Year != q.Year {
				continue
			}
			cc := cells{r.Suppressed}
			rows = append(rows, []string{r.Hospital, cc.Num(r.Cases, 0), cc.Num(r.Reported, 0), cc.Pct(r.Completeness, r.CompletenessLower, r.CompletenessUpper), r.TargetMet, cc.Num(r.MedianDelay, 0)})
		}
		p.Table([]string{"hospital", "cases", "reported", "completeness", "target met", "median delay (days)"}, rows)
	}
	if m := q.CaseMix; m != nil {
		p.body.WriteString("<h3>Death within 90 days, adjusted for case mix</h3>\n<p class=\"note\">" + htmlEscape("Expected deaths from a national logistic model on "+strings.Join(m.Covariates, ", ")+"; O/E with exact Poisson 95% intervals, the risk-adjusted rate, and the place in an overdispersed funnel (Spiegelhalter 2005; screenlab casemix).") + "</p>\n")
		p.caseMixTable(m, "cases", "deaths")
	}
	if d := q.DataQuality; d != nil {
		p.body.WriteString("<h3>Data quality</h3>\n<p class=\"note\">" + htmlEscape(fmt.Sprintf("Per site in %d: microscopically verified, death certificate only, and the mortality:incidence ratio (screenlab data-quality).", q.Year)) + "</p>\n")
		var rows [][]string
		for _, r := range d.Rows {
			if r.Year == q.Year {
				c := cells{}
				rows = append(rows, []string{r.Site, c.Num(r.Cases, 0), c.Pct(r.MV, math.NaN(), math.NaN()), c.Pct(r.DCO, math.NaN(), math.NaN()), c.Num(r.MI, 2)})
			}
		}
		p.Table([]string{"site", "cases", "MV", "DCO", "M:I"}, rows)
	}
	if s := q.PROM; s != nil {
		p.body.WriteString("<h3>Patient-reported outcomes</h3>\n<p class=\"note\">" + htmlEscape(fmt.Sprintf("EORTC QLQ-C30 a year after diagnosis from %d patients (%d with every item answered), scored by the EORTC manual, against norms of the same sex and age built from a synthetic general-population sample (screenlab prom norms; prom score --norms). Difference: patients minus norms, t 95%% interval; * worse than the population by at least %.0f points.", s.Respondents, s.Complete, s.MID)) + "</p>\n")
		byScale := map[string]prom.NormComparison{}
		for _, n := range s.Norms {
			byScale[n.Score] = n
		}
		var rows [][]string
		for _, r := range s.Scales {
			c := cells{}
			row := []string{r.Label, fmt.Sprint(r.Scored), c.Num(r.Mean, 1), c.Num(r.SD, 1), "", ""}
			if n, ok := byScale[r.Scale]; ok {
				row[4], row[5] = c.Num(n.Expected, 1), c.CI(n.Difference, n.Lower, n.Upper, 1)
				if n.Worse {
					row[5] += " *"
				}
			}
			rows = append(rows, row)
		}
		p.Table([]string{"scale", "scored", "mean", "SD", "norm", "difference"}, rows)
	}
	if m := q.PROMCaseMix; m != nil {
		what := ""
		if e := q.EPIC26; e != nil {
			what = fmt.Sprintf(" EPIC-26 from %d men a year after a prostate cancer diagnosis (screenlab prom score --instrument epic-26);", e.Respondents)
		}
		p.body.WriteString("<h3>PROM indicator: poor urinary continence after prostate cancer, adjusted for case mix</h3>\n<p class=\"note\">" + htmlEscape(fmt.Sprintf("%s men with an urinary incontinence domain below 60, expected from a national logistic model on %s (%d without the domain scored left out); O/E with exact Poisson 95%% intervals and the place in an overdispersed funnel (screenlab casemix --outcome poor_continence).", what, strings.Join(m.Covariates, ", "), m.Excluded)) + "</p>\n")
		p.caseMixTable(m, "men", "poor continence")
	}
	p.EndSection()
	if ind := q.Indicators; ind != nil {
		return p.IndicatorsSectionTitled(fmt.Sprintf("Quality indicators by hospital, %d", q.Year), ind.Unit, ind.Indicators)
	}
	return nil
}
