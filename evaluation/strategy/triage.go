package strategy

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/internal/numeric"
)

// Reading-strategy simulation on past rounds of independent double reading
// with consensus (DESIGN.md, "Reading strategies"), in the manner of the
// retrospective studies of AI in the Norwegian and Swedish programmes
// (e.g. Larsen et al. 2022; Dembrower et al. 2020): each exam's observed
// reader flags, consensus decision and registry outcome are replayed under
// a strategy that replaces or skips human reads by AI score thresholds.
//
// A strategy is built of steps, applied to an exam with AI score s:
//   - rule-out below L: s < L gets no human reading and no recall;
//   - triage-single below T: s < T is read by reader 1 only;
//   - ai-second-reader at A: reader 2's flag is replaced by s ≥ A;
//   - fast-track above H: s ≥ H goes to consensus whatever the readers said.
//
// An exam flagged under the strategy goes to consensus. When a consensus
// was held in reality, its decision is kept; when not (only the AI flagged
// it), the decision was never made: the "dismissed" assumption does not
// recall it, the "recalled" assumption recalls it and counts an interval
// cancer found at that exam as detected (the optimistic bound). A
// screen-detected cancer is detected when the strategy recalls its exam.

// TriageExam is one exam as the simulation sees it.
type TriageExam struct {
	Person           string
	Reader1, Reader2 bool
	Consensus        int8 // -1 none held, 0 no recall, 1 recall
	Score            float64
	// Score2 is the product's second score (a "suspicious" score; NaN
	// when there is none), for the fast-track-suspicious step.
	Score2  float64
	Outcome datasets.Outcome
	Index   int // the exam's position in the linked exams it came from
	// Review is an interval cancer's review class ("" not reviewed).
	Review string
	// InSitu and Stage describe the cancer that decided the outcome.
	InSitu bool
	Stage  string
}

// Strategy is a reading strategy: the steps whose threshold is not NaN
// apply (see the package comment above).
type Strategy struct {
	Name      string  `json:"name"`
	RuleOut   float64 `json:"rule_out_below"`
	Single    float64 `json:"single_reader_below"`
	AISecond  float64 `json:"ai_second_reader_at"`
	FastTrack float64 `json:"fast_track_above"`
	// FastTrack2 fast-tracks exams whose second score is at or above it.
	FastTrack2 float64 `json:"fast_track_suspicious_above"`
}

// setStep sets the threshold of a step kind (one of StrategyKinds).
func (s *Strategy) setStep(kind string, t float64) {
	switch kind {
	case "rule-out":
		s.RuleOut = t
	case "triage-single":
		s.Single = t
	case "ai-second-reader":
		s.AISecond = t
	case "fast-track":
		s.FastTrack = t
	case "fast-track-suspicious":
		s.FastTrack2 = t
	}
}

// Double is the observed strategy.
func Double() Strategy {
	return Strategy{Name: "double", RuleOut: math.NaN(), Single: math.NaN(), AISecond: math.NaN(), FastTrack: math.NaN(), FastTrack2: math.NaN()}
}

// Assumptions about decisions that were never made.
const (
	Observed  = "observed"
	Dismissed = "dismissed"
	Recalled  = "recalled"
	// Reviewed: as recalled, but an interval cancer at such an exam counts
	// as detected only when its review found it actionable (missed or
	// minimal signs), where interval cancers were reviewed.
	Reviewed = "reviewed"
)

// Review classes of interval cancers (European guidelines, radiological
// review of the prior screen): actionable ones were visible.
const (
	ReviewTrueInterval = "true-interval"
	ReviewMinimalSigns = "minimal-signs"
	ReviewMissed       = "missed"
	ReviewOccult       = "occult"
)

// ReviewClasses are the classes a review file may give.
var ReviewClasses = []string{ReviewTrueInterval, ReviewMinimalSigns, ReviewMissed, ReviewOccult}

// Actionable says whether a review class means the cancer was visible at
// the screen (missed or minimal signs).
func Actionable(class string) bool { return class == ReviewMissed || class == ReviewMinimalSigns }

// triageCounts are the sums a strategy's figures come from.
type triageCounts struct {
	N, Reads, Consensus, Recalls, Detected, Interval, MissedSD, Negatives, FalsePos, Unobserved, Potential, Actionable float64
}

func (c *triageCounts) add(o *triageCounts, w float64) {
	c.N += w * o.N
	c.Reads += w * o.Reads
	c.Consensus += w * o.Consensus
	c.Recalls += w * o.Recalls
	c.Detected += w * o.Detected
	c.Interval += w * o.Interval
	c.MissedSD += w * o.MissedSD
	c.Negatives += w * o.Negatives
	c.FalsePos += w * o.FalsePos
	c.Unobserved += w * o.Unobserved
	c.Potential += w * o.Potential
	c.Actionable += w * o.Actionable
}

// apply replays one exam under strategy s and assumption a; it returns the
// exam's counts and whether the strategy recalled it and detected its cancer.
func (s *Strategy) apply(e *TriageExam, a string) (c triageCounts, recalled, detected bool) {
	c.N = 1
	sd, ic := e.Outcome == datasets.ScreenDetected, e.Outcome == datasets.Interval
	if e.Outcome == datasets.Negative {
		c.Negatives = 1
	}
	defer func() {
		switch {
		case sd && detected:
		case sd:
			c.MissedSD = 1
		case ic && !detected:
			c.Interval = 1
		}
		if recalled {
			c.Recalls = 1
			if e.Outcome == datasets.Negative {
				c.FalsePos = 1
			}
		}
		if detected {
			c.Detected = 1
		}
	}()
	if !math.IsNaN(s.RuleOut) && e.Score < s.RuleOut {
		return c, false, false
	}
	second := e.Reader2
	c.Reads = 2
	switch {
	case !math.IsNaN(s.Single) && e.Score < s.Single:
		c.Reads, second = 1, false
	case !math.IsNaN(s.AISecond):
		c.Reads, second = 1, e.Score >= s.AISecond
	}
	flagged := e.Reader1 || second
	aiFlag := !math.IsNaN(s.AISecond) && e.Score >= s.AISecond
	if !math.IsNaN(s.FastTrack) && e.Score >= s.FastTrack || !math.IsNaN(s.FastTrack2) && e.Score2 >= s.FastTrack2 {
		flagged, aiFlag = true, true
	}
	if ic && aiFlag {
		c.Potential = 1 // an interval cancer the AI flagged
		if Actionable(e.Review) {
			c.Actionable = 1
		}
	}
	if !flagged {
		return c, false, false
	}
	c.Consensus = 1
	if e.Consensus >= 0 {
		recalled = e.Consensus == 1
		return c, recalled, recalled && sd
	}
	c.Unobserved = 1
	switch a {
	case Recalled:
		return c, true, sd || ic
	case Reviewed:
		return c, true, sd || ic && Actionable(e.Review)
	}
	return c, false, false
}

// TriageRow is one strategy under one assumption.
type TriageRow struct {
	Name                 string   `json:"name"`
	Strategy             Strategy `json:"-"`
	Threshold            string   `json:"threshold"`
	Assumption           string   `json:"assumption"`
	Exams                int      `json:"exams"`
	Reads                int      `json:"reads"`
	Consensus            int      `json:"consensus"`
	Recalls              int      `json:"recalls"`
	ScreenDetected       int      `json:"screen_detected"`
	Interval             int      `json:"interval"`
	MissedScreenDetected int      `json:"missed_screen_detected"`
	Unobserved           int      `json:"unobserved_decisions"`
	PotentiallyDetect    int      `json:"potentially_detectable"` // interval cancers the AI flagged
	// PotentiallyActionable: of those, the reviewed as missed or minimal signs.
	PotentiallyActionable int     `json:"potentially_detectable_actionable"`
	RecallRate            float64 `json:"recall_rate"`
	CDR                   float64 `json:"cdr"`
	PPV                   float64 `json:"ppv"`
	Sensitivity           float64 `json:"sensitivity"`
	Specificity           float64 `json:"specificity"`
	ReadsChange           float64 `json:"reads_change"`
	ScreenDetectedChange  int     `json:"screen_detected_change"`
	// Paired comparisons with the observed strategy.
	DetectionMcNemarP float64   `json:"detection_mcnemar_p"`
	RecallMcNemarP    float64   `json:"recall_mcnemar_p"`
	CI                *TriageCI `json:"ci,omitempty"`
}

// TriageCI are bootstrap percentile intervals (women resampled) of the
// differences from the observed strategy.
type TriageCI struct {
	ReadsChange     [2]float64 `json:"reads_change"`
	RecallRateDiff  [2]float64 `json:"recall_rate_diff"`
	CDRDiff         [2]float64 `json:"cdr_diff"`
	SensitivityDiff [2]float64 `json:"sensitivity_diff"`
	SpecificityDiff [2]float64 `json:"specificity_diff"`
}

// TriageReport is the result of SimulateTriage.
type TriageReport struct {
	Exams          int         `json:"exams"`
	Women          int         `json:"women"`
	Excluded       TriageLeft  `json:"excluded"`
	Strategies     []TriageRow `json:"strategies"`
	Bootstrap      int         `json:"bootstrap"`
	Seed           uint64      `json:"seed"`
	Level          float64     `json:"level"`
	AssumptionNote string      `json:"assumption_note"`
	Score          string      `json:"score,omitempty"` // the score's name, for the reader
	// With thresholds fixed on one period and applied to another: the
	// filters and the number of exams the thresholds were fixed on.
	CalibrateOn      string `json:"calibrate_on,omitempty"`
	EvaluateOn       string `json:"evaluate_on,omitempty"`
	CalibrationExams int    `json:"calibration_exams,omitempty"`
	Score2           string `json:"score2,omitempty"`
	// Characteristics of the cancers each strategy loses (the observed
	// reading found them, the strategy does not) and gains.
	Characteristics []CharacteristicRow `json:"characteristics,omitempty"`
	// Reviews: the AI's score of the interval cancers by review class.
	Reviews []ReviewRow `json:"reviews,omitempty"`
	// Subgroups: every strategy by a column, with interaction tests.
	Subgroups *SubgroupReport `json:"subgroups,omitempty"`
	// A threshold sweep, when asked for (TriageSweep).
	SweepStrategy string       `json:"sweep_strategy,omitempty"`
	Sweep         []SweepPoint `json:"sweep,omitempty"`
}

// TriageLeft counts exams left out of the simulation, and why.
type TriageLeft struct {
	NoOutcome       int `json:"no_outcome"`
	MissingScore    int `json:"missing_score"`
	InconsistentRdr int `json:"inconsistent_reading"`
}

// TriageInput checks linked exams for the simulation: exams of unknown or
// excluded outcome, without an AI score, or whose reading record is
// inconsistent (a consensus without any reader flag, or a flag without a
// consensus) are left out and counted. score gives each exam's AI score.
func TriageInput(exams []datasets.LinkedExam, score func(i int) float64) ([]TriageExam, TriageLeft) {
	return triageInput(exams, score, nil)
}

// triageInput is TriageInput with each exam's second score (score2 nil:
// none).
func triageInput(exams []datasets.LinkedExam, score, score2 func(i int) float64) ([]TriageExam, TriageLeft) {
	var out []TriageExam
	var left TriageLeft
	for i := range exams {
		e := &exams[i]
		switch e.Outcome {
		case datasets.ScreenDetected, datasets.Interval, datasets.Negative:
		default:
			left.NoOutcome++
			continue
		}
		s := score(i)
		if math.IsNaN(s) {
			left.MissingScore++
			continue
		}
		if (e.Reader1Recall || e.Reader2Recall) != (e.Consensus >= 0) {
			left.InconsistentRdr++
			continue
		}
		out = append(out, TriageExam{Person: e.PersonID, Reader1: e.Reader1Recall, Reader2: e.Reader2Recall,
			Consensus: e.Consensus, Score: s, Score2: math.NaN(), Outcome: e.Outcome, Index: i, InSitu: e.InSitu, Stage: e.Stage})
		if score2 != nil {
			out[len(out)-1].Score2 = score2(i)
		}
	}
	return out, left
}

// ThresholdRule names how a strategy's threshold is chosen.
type ThresholdRule struct {
	Kind  string  // "cut", "fraction", "match"
	Value float64 // the cut-off or the fraction
	Match string  // consensus-rate, reader-rate, sensitivity
}

// ParseThresholdRule reads "0.3" or "cut=0.3" (a score cut-off),
// "fraction=0.5" (the score's 0.5 quantile: half the exams below it), or
// "match=consensus-rate|reader-rate|sensitivity".
func ParseThresholdRule(s string) (ThresholdRule, error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		k, v = "cut", s
	}
	switch k {
	case "cut", "fraction":
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || k == "fraction" && (x < 0 || x > 1) {
			return ThresholdRule{}, fmt.Errorf("threshold %q: want a number (fraction in [0, 1])", s)
		}
		return ThresholdRule{Kind: k, Value: x}, nil
	case "match":
		switch v {
		case "consensus-rate", "reader-rate", "sensitivity":
			return ThresholdRule{Kind: k, Match: v}, nil
		}
	}
	return ThresholdRule{}, fmt.Errorf("threshold %q: want a cut-off (0.3 or cut=0.3), fraction=F or match=consensus-rate|reader-rate|sensitivity", s)
}

func (r ThresholdRule) String() string {
	switch r.Kind {
	case "cut":
		return "cut=" + strconv.FormatFloat(r.Value, 'g', -1, 64)
	case "fraction":
		return "fraction=" + strconv.FormatFloat(r.Value, 'g', -1, 64)
	}
	return "match=" + r.Match
}

// StrategySpec is a strategy named on the command line: kinds joined by
// "+", each with its threshold rule, e.g. "rule-out:fraction=0.5" or
// "rule-out:0.1+fast-track:fraction=0.98".
type StrategySpec struct {
	Text  string
	Steps []StrategyStep
}

// StrategyStep is one kind of step with its rule.
type StrategyStep struct {
	Kind string
	Rule ThresholdRule
}

// StrategyKinds are the step kinds.
var StrategyKinds = []string{"ai-second-reader", "triage-single", "rule-out", "fast-track", "fast-track-suspicious"}

// ParseStrategy reads a strategy spec; a step without a rule uses
// its kind's default (defaultRule).
func ParseStrategy(s string) (StrategySpec, error) { return ParseStrategyRule(s, "") }

// ParseStrategyRule is ParseStrategy with rule (when not "") for the steps
// that name none.
func ParseStrategyRule(s, rule string) (StrategySpec, error) {
	spec := StrategySpec{Text: s}
	if s == "double" {
		return spec, nil
	}
	for _, part := range strings.Split(s, "+") {
		kind, own, _ := strings.Cut(part, ":")
		known := false
		for _, k := range StrategyKinds {
			known = known || k == kind
		}
		if !known {
			return spec, fmt.Errorf("strategy %q: %q is not one of double, %s", s, kind, strings.Join(StrategyKinds, ", "))
		}
		if own == "" {
			own = rule
		}
		if own == "" {
			own = defaultRule[kind]
		}
		r, err := ParseThresholdRule(own)
		if err != nil {
			return spec, fmt.Errorf("strategy %q: %w", s, err)
		}
		spec.Steps = append(spec.Steps, StrategyStep{Kind: kind, Rule: r})
	}
	return spec, nil
}

var defaultRule = map[string]string{
	"ai-second-reader": "match=reader-rate",
	"triage-single":    "fraction=0.5",
	"rule-out":         "fraction=0.5",
	"fast-track":       "fraction=0.98",
	// the second score's own quantile
	"fast-track-suspicious": "fraction=0.98",
}

// DefaultStrategies are simulated when none are named.
var DefaultStrategies = []string{"ai-second-reader", "triage-single", "rule-out", "fast-track", "rule-out:fraction=0.5+fast-track:fraction=0.98"}

// TriageOptions set SimulateTriage.
type TriageOptions struct {
	Bootstrap int // replicates (0: none)
	Seed      uint64
	Level     float64 // default 0.95
	// Calibrate, when not nil, are the exams the threshold rules are
	// resolved on (a programme fixes its thresholds on one period and
	// applies them to the next); the strategies are replayed on exams.
	Calibrate []TriageExam
}

// SimulateTriage replays past double reading under each strategy (the
// retrospective design of Larsen et al. 2022, Radiology 303:502, and
// Dembrower et al. 2020, Lancet Digit Health 2:e468): an exam's decision
// under a strategy is taken from the observed reads it keeps (reader 1,
// reader 2, the consensus) and the AI's flag (score ≥ the step's
// threshold); a recall the observed reading never discussed at consensus
// has no observed outcome, so each strategy gives a "dismissed" row (not
// recalled) and a "recalled" row (recalled, an interval cancer at that exam
// counted as detected: the optimistic bound), one row when no decision is
// unobserved. Against the observed double reading (the first row) it
// counts reads, consensus, recalls, screen-detected and interval cancers,
// with exact McNemar p-values for the paired changes in detection and
// recall and, with Bootstrap replicates, percentile intervals from
// resampling women (their exams together).
func SimulateTriage(exams []TriageExam, specs []StrategySpec, opts TriageOptions) (*TriageReport, error) {
	if len(exams) == 0 {
		return nil, errors.New("triage: no exams with an outcome, an AI score and a consistent reading record")
	}
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	rep := &TriageReport{Exams: len(exams), Bootstrap: opts.Bootstrap, Seed: opts.Seed, Level: opts.Level,
		AssumptionNote: "dismissed: exams flagged only by the AI, never discussed in reality, are not recalled; recalled: they are recalled and an interval cancer at such an exam counts as detected (optimistic bound)"}
	cal := exams
	if opts.Calibrate != nil {
		if len(opts.Calibrate) == 0 {
			return nil, errors.New("triage: no exams to fix the thresholds on")
		}
		cal = opts.Calibrate
		rep.CalibrationExams = len(cal)
	}
	scores := sortedScores(cal)
	base := Double()
	type planned struct {
		s          Strategy
		thr        string
		assumption string
	}
	plan := []planned{{base, "", Observed}}
	reviewed := false
	for i := range exams {
		reviewed = reviewed || exams[i].Review != ""
	}
	var rowPlan []int // plan index of each report row
	for _, spec := range specs {
		if len(spec.Steps) == 0 {
			continue // double: the baseline row
		}
		s, thr, err := resolveStrategy(spec, cal, scores)
		if err != nil {
			return nil, err
		}
		plan = append(plan, planned{s, thr, Dismissed})
		plan = append(plan, planned{s, thr, Recalled})
		if reviewed {
			plan = append(plan, planned{s, thr, Reviewed})
		}
	}
	// Per-exam counts and decisions.
	baseC := make([]triageCounts, len(exams))
	baseRec := make([]bool, len(exams))
	baseDet := make([]bool, len(exams))
	for i := range exams {
		baseC[i], baseRec[i], baseDet[i] = base.apply(&exams[i], Observed)
	}
	var baseTotal triageCounts
	for i := range baseC {
		baseTotal.add(&baseC[i], 1)
	}
	per := make([][]triageCounts, len(plan))
	for k, p := range plan {
		per[k] = make([]triageCounts, len(exams))
		var tot triageCounts
		var detB, detC, recB, recC int // discordant pairs
		changed := map[[3]string]int{} // lost or gained, tumour, stage
		for i := range exams {
			c, rec, det := p.s.apply(&exams[i], p.assumption)
			per[k][i] = c
			tot.add(&c, 1)
			if o := exams[i].Outcome; (o == datasets.ScreenDetected || o == datasets.Interval) && baseDet[i] != det {
				ch := "gained"
				if baseDet[i] {
					ch = "lost"
				}
				tumour := "invasive"
				if exams[i].InSitu {
					tumour = "in situ"
				}
				changed[[3]string{ch, tumour, exams[i].Stage}]++
			}
			if o := exams[i].Outcome; o == datasets.ScreenDetected || o == datasets.Interval {
				if baseDet[i] && !det {
					detB++
				} else if det && !baseDet[i] {
					detC++
				}
			}
			if baseRec[i] && !rec {
				recB++
			} else if rec && !baseRec[i] {
				recC++
			}
		}
		if k > 0 && (p.assumption == Recalled || p.assumption == Reviewed) && tot.Unobserved == 0 {
			continue // the same as the dismissed row
		}
		row := triageRow(p.s, p.thr, p.assumption, &tot, &baseTotal)
		keys := make([][3]string, 0, len(changed))
		for key := range changed {
			keys = append(keys, key)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, b := keys[i], keys[j]
			if a[0] != b[0] {
				return a[0] > b[0] // lost first
			}
			if a[1] != b[1] {
				return a[1] < b[1]
			}
			return a[2] < b[2]
		})
		for _, key := range keys {
			rep.Characteristics = append(rep.Characteristics, CharacteristicRow{Strategy: row.Name, Assumption: row.Assumption,
				Change: key[0], Tumour: key[1], Stage: key[2], Cancers: changed[key]})
		}
		row.DetectionMcNemarP = mcNemarExact(detB, detC)
		row.RecallMcNemarP = mcNemarExact(recB, recC)
		rep.Strategies = append(rep.Strategies, row)
		rowPlan = append(rowPlan, k)
	}
	woman := make([]int, len(exams))
	ids := map[string]int{}
	for i := range exams {
		w, ok := ids[exams[i].Person]
		if !ok {
			w = len(ids)
			ids[exams[i].Person] = w
		}
		woman[i] = w
	}
	rep.Women = len(ids)
	if opts.Bootstrap > 0 {
		rows := make([][]triageCounts, len(rowPlan))
		for r, k := range rowPlan {
			rows[r] = per[k]
		}
		bootstrapTriage(rep, woman, len(ids), baseC, rows, opts)
	}
	return rep, nil
}

// sortedScores returns the exams' scores in increasing order.
func sortedScores(exams []TriageExam) []float64 {
	s := make([]float64, len(exams))
	for i := range exams {
		s[i] = exams[i].Score
	}
	sort.Float64s(s)
	return s
}

func triageRow(s Strategy, thr, assumption string, c, base *triageCounts) TriageRow {
	cancers := c.Detected + c.Interval + c.MissedSD
	row := TriageRow{Name: s.Name, Strategy: s, Threshold: thr, Assumption: assumption,
		Exams: int(c.N), Reads: int(c.Reads), Consensus: int(c.Consensus), Recalls: int(c.Recalls),
		ScreenDetected: int(c.Detected), Interval: int(c.Interval), MissedScreenDetected: int(c.MissedSD),
		Unobserved: int(c.Unobserved), PotentiallyDetect: int(c.Potential), PotentiallyActionable: int(c.Actionable),
		RecallRate: c.Recalls / c.N, CDR: 1000 * c.Detected / c.N, PPV: ratio(c.Detected, c.Recalls),
		Sensitivity: ratio(c.Detected, cancers), Specificity: 1 - ratio(c.FalsePos, c.Negatives),
		ReadsChange: c.Reads/base.Reads - 1, ScreenDetectedChange: int(c.Detected - base.Detected)}
	return row
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// mcNemarExact is the two-sided exact McNemar p-value for b and c
// discordant pairs: 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), at most 1.
func mcNemarExact(b, c int) float64 {
	n := b + c
	if n == 0 {
		return 1
	}
	k := min(b, c)
	// Sum the binomial pmf in logs.
	p := 0.0
	for i := 0; i <= k; i++ {
		lg := lgammaInt(n+1) - lgammaInt(i+1) - lgammaInt(n-i+1) - float64(n)*math.Ln2
		p += math.Exp(lg)
	}
	return math.Min(1, 2*p)
}

func lgammaInt(n int) float64 {
	v, _ := math.Lgamma(float64(n))
	return v
}

// resolveStrategy turns a spec's rules into thresholds on these exams.
func resolveStrategy(spec StrategySpec, exams []TriageExam, sorted []float64) (Strategy, string, error) {
	s := Double()
	s.Name = spec.Text
	var thr []string
	for _, st := range spec.Steps {
		set := func(t float64) { s.setStep(st.Kind, t) }
		var t float64
		switch st.Rule.Kind {
		case "cut":
			t = st.Rule.Value
		case "fraction":
			if st.Kind == "fast-track-suspicious" {
				t = numeric.Quantile(sortedScore2(exams), st.Rule.Value)
			} else {
				t = numeric.Quantile(sorted, st.Rule.Value)
			}
		case "match":
			if st.Kind == "fast-track-suspicious" {
				return s, "", fmt.Errorf("strategy %s: fast-track-suspicious takes a cut-off or fraction=F of the second score", spec.Text)
			}
			var err error
			if t, err = matchThreshold(st, exams, sorted, &s, set); err != nil {
				return s, "", fmt.Errorf("strategy %s: %w", spec.Text, err)
			}
		}
		set(t)
		thr = append(thr, fmt.Sprintf("%s %s → %.4g", st.Kind, st.Rule, t))
	}
	return s, strings.Join(thr, "; "), nil
}

// matchThreshold finds the threshold that makes the AI flag as many exams
// as the observed consensus discussions (consensus-rate) or as reader 1
// flagged (reader-rate), or the highest one that keeps the observed
// sensitivity under the dismissed assumption (sensitivity; a bisection
// over the distinct scores, as detection falls as the threshold rises).
func matchThreshold(st StrategyStep, exams []TriageExam, sorted []float64, s *Strategy, set func(float64)) (float64, error) {
	n := float64(len(exams))
	rate := func(f func(*TriageExam) bool) float64 {
		k := 0
		for i := range exams {
			if f(&exams[i]) {
				k++
			}
		}
		return float64(k) / n
	}
	switch st.Rule.Match {
	case "consensus-rate":
		return numeric.Quantile(sorted, 1-rate(func(e *TriageExam) bool { return e.Consensus >= 0 })), nil
	case "reader-rate":
		return numeric.Quantile(sorted, 1-rate(func(e *TriageExam) bool { return e.Reader1 })), nil
	}
	base := Double()
	target := 0.0
	for i := range exams {
		if _, _, det := base.apply(&exams[i], Observed); det {
			target++
		}
	}
	detected := func(t float64) float64 {
		set(t)
		d := 0.0
		for i := range exams {
			if _, _, det := s.apply(&exams[i], Dismissed); det {
				d++
			}
		}
		return d
	}
	distinct := sorted[:0:0]
	for i, v := range sorted {
		if i == 0 || v != sorted[i-1] {
			distinct = append(distinct, v)
		}
	}
	lo, hi := 0, len(distinct)-1 // detection at distinct[lo] keeps the target
	if detected(distinct[lo]) < target {
		return math.NaN(), errors.New("no threshold keeps the observed sensitivity")
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if detected(distinct[mid]) >= target {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return distinct[lo], nil
}

// bootstrapTriage adds percentile intervals of the differences from the
// observed strategy, resampling women with replacement (their exams go
// together). Women with the same counts under every row are pooled into
// patterns, so a replicate costs one draw per woman and one sum per
// distinct pattern (a few thousand on a national round).
func bootstrapTriage(rep *TriageReport, woman []int, nWomen int, baseC []triageCounts, rows [][]triageCounts, opts TriageOptions) {
	width := 1 + len(rows)
	perWoman := make([]triageCounts, nWomen*width)
	for i, w := range woman {
		perWoman[w*width].add(&baseC[i], 1)
		for r := range rows {
			perWoman[w*width+1+r].add(&rows[r][i], 1)
		}
	}
	patternOf := make([]int32, nWomen)
	index := map[string]int32{}
	var patterns [][]triageCounts
	key := make([]byte, 0, width*12*8)
	for w := 0; w < nWomen; w++ {
		v := perWoman[w*width : (w+1)*width]
		key = key[:0]
		for _, c := range v {
			for _, x := range [...]float64{c.N, c.Reads, c.Consensus, c.Recalls, c.Detected, c.Interval, c.MissedSD, c.Negatives, c.FalsePos, c.Unobserved, c.Potential, c.Actionable} {
				key = strconv.AppendFloat(key, x, 'g', -1, 64)
				key = append(key, ',')
			}
		}
		p, ok := index[string(key)]
		if !ok {
			p = int32(len(patterns))
			index[string(key)] = p
			patterns = append(patterns, v)
		}
		patternOf[w] = p
	}
	r := rand.New(rand.NewPCG(opts.Seed, 0x7e1a9e))
	type metrics struct{ reads, recall, cdr, sens, spec float64 }
	calc := func(c *triageCounts) metrics {
		return metrics{c.Reads, c.Recalls / c.N, 1000 * c.Detected / c.N, ratio(c.Detected, c.Detected+c.Interval+c.MissedSD), 1 - ratio(c.FalsePos, c.Negatives)}
	}
	draws := make([][5][]float64, len(rows))
	count := make([]float64, len(patterns))
	tot := make([]triageCounts, width)
	for b := 0; b < opts.Bootstrap; b++ {
		clear(count)
		for range nWomen {
			count[patternOf[r.IntN(nWomen)]]++
		}
		clear(tot)
		for p, k := range count {
			if k == 0 {
				continue
			}
			for j := range tot {
				tot[j].add(&patterns[p][j], k)
			}
		}
		m0 := calc(&tot[0])
		for k := range rows {
			m := calc(&tot[1+k])
			d := [5]float64{m.reads/m0.reads - 1, m.recall - m0.recall, m.cdr - m0.cdr, m.sens - m0.sens, m.spec - m0.spec}
			for j, v := range d {
				draws[k][j] = append(draws[k][j], v)
			}
		}
	}
	for k := range rows {
		var iv [5][2]float64
		for j := range iv {
			x := draws[k][j][:0:0]
			for _, v := range draws[k][j] {
				if !math.IsNaN(v) {
					x = append(x, v)
				}
			}
			if len(x) == 0 {
				iv[j] = [2]float64{math.NaN(), math.NaN()}
				continue
			}
			iv[j][0], iv[j][1] = numeric.PercentileInterval(x, opts.Level)
		}
		rep.Strategies[k].CI = &TriageCI{ReadsChange: iv[0], RecallRateDiff: iv[1], CDRDiff: iv[2], SensitivityDiff: iv[3], SpecificityDiff: iv[4]}
	}
}

// SweepPoint is one threshold of a strategy kind's sweep.
type SweepPoint struct {
	Threshold           float64 `json:"threshold"`
	FractionBelow       float64 `json:"fraction_below"`
	ReadsChange         float64 `json:"reads_change"`
	Sensitivity         float64 `json:"sensitivity"`
	SensitivityRecalled float64 `json:"sensitivity_recalled"`
	RecallRate          float64 `json:"recall_rate"`
	RecallRateRecalled  float64 `json:"recall_rate_recalled"`
	ScreenDetected      int     `json:"screen_detected"`
}

// TriageSweep evaluates one strategy kind at thresholds at the score's
// quantiles 0, 1/points, …, 1: workload against sensitivity and recall,
// under both assumptions.
func TriageSweep(exams []TriageExam, kind string, points int) ([]SweepPoint, error) {
	spec, err := ParseStrategy(kind + ":0")
	if err != nil || len(spec.Steps) != 1 {
		return nil, fmt.Errorf("sweep: %q is not one of %s", kind, strings.Join(StrategyKinds, ", "))
	}
	if len(exams) == 0 || points < 1 {
		return nil, errors.New("sweep: no exams or no points")
	}
	sorted := sortedScores(exams)
	base := Double()
	var baseTot triageCounts
	for i := range exams {
		c, _, _ := base.apply(&exams[i], Observed)
		baseTot.add(&c, 1)
	}
	out := make([]SweepPoint, 0, points+1)
	for k := 0; k <= points; k++ {
		t := numeric.Quantile(sorted, float64(k)/float64(points))
		if k == points {
			t = math.Nextafter(t, math.Inf(1)) // every exam below
		}
		s := Double()
		s.setStep(kind, t)
		var dis, rec triageCounts
		for i := range exams {
			c, _, _ := s.apply(&exams[i], Dismissed)
			dis.add(&c, 1)
			c, _, _ = s.apply(&exams[i], Recalled)
			rec.add(&c, 1)
		}
		below := sort.SearchFloat64s(sorted, t)
		cancers := dis.Detected + dis.Interval + dis.MissedSD
		out = append(out, SweepPoint{Threshold: t, FractionBelow: float64(below) / float64(len(sorted)),
			ReadsChange: dis.Reads/baseTot.Reads - 1, Sensitivity: ratio(dis.Detected, cancers),
			SensitivityRecalled: ratio(rec.Detected, cancers), RecallRate: dis.Recalls / dis.N,
			RecallRateRecalled: rec.Recalls / rec.N, ScreenDetected: int(dis.Detected)})
	}
	return out, nil
}

// sortedScore2 returns the exams' second scores (those there are) in
// increasing order.
func sortedScore2(exams []TriageExam) []float64 {
	var s []float64
	for i := range exams {
		if !math.IsNaN(exams[i].Score2) {
			s = append(s, exams[i].Score2)
		}
	}
	sort.Float64s(s)
	if len(s) == 0 {
		return []float64{math.NaN()}
	}
	return s
}

// CharacteristicRow counts the cancers a strategy loses or gains with one
// set of tumour characteristics (in situ or invasive; the stage the
// registry gives).
type CharacteristicRow struct {
	Strategy   string `json:"strategy"`
	Assumption string `json:"assumption"`
	Change     string `json:"change"` // lost or gained
	Tumour     string `json:"tumour"` // in situ or invasive
	Stage      string `json:"stage"`
	Cancers    int    `json:"cancers"`
}

// ReviewRow is the AI's score of the interval cancers of one review class
// ("not reviewed" for those without a review).
type ReviewRow struct {
	Class   string  `json:"class"`
	Cancers int     `json:"interval_cancers"`
	Mean    float64 `json:"mean_score"`
	Median  float64 `json:"median_score"`
}

// ReviewScores summarises the interval cancers' scores by review class.
func ReviewScores(exams []TriageExam) []ReviewRow {
	by := map[string][]float64{}
	for i := range exams {
		if exams[i].Outcome != datasets.Interval {
			continue
		}
		c := exams[i].Review
		if c == "" {
			c = "not reviewed"
		}
		by[c] = append(by[c], exams[i].Score)
	}
	var out []ReviewRow
	for _, c := range append(append([]string(nil), ReviewClasses...), "not reviewed") {
		x := by[c]
		if len(x) == 0 {
			continue
		}
		sort.Float64s(x)
		sum := 0.0
		for _, v := range x {
			sum += v
		}
		out = append(out, ReviewRow{Class: c, Cancers: len(x), Mean: sum / float64(len(x)), Median: numeric.Quantile(x, 0.5)})
	}
	return out
}
