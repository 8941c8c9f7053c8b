package report

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/survival"
)

var updatePlots = flag.Bool("update", false, "rewrite the golden plots in testdata/plots")

// plotCase is one plot kind drawn from seeded data.
type plotCase struct {
	name  string
	write func(dst string) error
	// labels must appear in the drawing (axis labels, legend entries).
	labels []string
}

// scores draws n negatives and m positives from a binormal model.
func scores(rng *rand.Rand, n, m int, shift float64) ([]float64, []bool) {
	var s []float64
	var y []bool
	for i := 0; i < n+m; i++ {
		pos := i >= n
		v := rng.NormFloat64()
		if pos {
			v += shift
		}
		s, y = append(s, v), append(y, pos)
	}
	return s, y
}

func plotCases(t *testing.T) []plotCase {
	rng := rand.New(rand.NewPCG(1, 2))
	// Survival: two groups, exponential times, uniform censoring.
	var tm []float64
	var ev []bool
	var grp []string
	var st []int
	for i := 0; i < 300; i++ {
		g, rate := "female", 0.002
		if i%2 == 1 {
			g, rate = "male", 0.004
		}
		x, c := rng.ExpFloat64()/rate, 100+rng.Float64()*900
		cause := 1 + rng.IntN(2)
		if c < x {
			x, cause = c, 0
		}
		tm, ev, grp, st = append(tm, math.Round(x)), append(ev, cause > 0), append(grp, g), append(st, cause)
	}
	km, err := survival.KaplanMeierByGroup(tm, ev, grp, survival.KMGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cif, err := survival.CumulativeIncidenceByGroup(tm, st, grp, survival.CIFGroupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Discrimination and calibration: a screening-like risk of about 2%.
	s, y := scores(rng, 1900, 100, 1.2)
	s2, _ := scores(rng, 1900, 100, 0.7)
	risk := make([]float64, len(s))
	for i, v := range s {
		risk[i] = 1 / (1 + math.Exp(-(-4.3 + 0.9*v)))
	}
	roc, roc2 := evaluation.ROC(s, y), evaluation.ROC(s2, y)
	cal, err := evaluation.Calibrate(risk, y, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	nb := evaluation.DecisionCurve(risk, y, evaluation.DecisionThresholds(risk))
	// Funnel: 25 units, two of them with a higher rate.
	var rows [][]string
	for u := 0; u < 25; u++ {
		n, p := 200+rng.IntN(3000), 0.05
		if u == 3 || u == 17 {
			p = 0.09
		}
		for i := 0; i < n; i++ {
			rows = append(rows, []string{fmt.Sprintf("U%02d", u+1), fmt.Sprint(b2i(rng.Float64() < p))})
		}
	}
	fr, err := datasets.FrameOf("units.csv", []string{"unit", "recalled"}, rows)
	if err != nil {
		t.Fatal(err)
	}
	funnel, err := screening.ComputeIndicator(fr, "unit", screening.Indicator{Name: "recall rate", Numerator: "recalled", Denominator: "rows", Per: 100, Target: "<=7"}, screening.IndicatorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sweep []strategy.SweepPoint
	for k := 0; k <= 20; k++ {
		f := float64(k) / 20
		sweep = append(sweep, strategy.SweepPoint{ReadsChange: -0.5 * f, Sensitivity: 0.85 - 0.1*f*f, SensitivityRecalled: 0.86 - 0.05*f*f, RecallRate: 0.03 - 0.01*f, RecallRateRecalled: 0.03})
	}
	var years, rate, lo, hi []float64
	for yr := 1995; yr <= 2024; yr++ {
		r := 150 + 4*float64(yr-1995) + 10*rng.NormFloat64()
		years, rate, lo, hi = append(years, float64(yr)), append(rate, r), append(lo, r-15), append(hi, r+15)
	}
	triage := func(shift float64) []strategy.TriageRow {
		out := []strategy.TriageRow{{Name: "double", Assumption: "observed", Sensitivity: 0.79}}
		for k, n := range []string{"ai-second-reader", "rule-out", "fast-track"} {
			for _, a := range []string{"dismissed", "recalled"} {
				d := -0.02*float64(k+1) + shift
				if a == "recalled" {
					d += 0.015
				}
				out = append(out, strategy.TriageRow{Name: n, Assumption: a, Sensitivity: 0.79 + d, ReadsChange: -0.25 * float64(k),
					CI: &strategy.TriageCI{SensitivityDiff: [2]float64{d - 0.012, d + 0.012}}})
			}
		}
		return out
	}
	fit := &screening.FITSweep{Screened: 10000, ProgrammeThreshold: 15, Uptake: 0.9}
	for i, th := range []float64{10, 15, 20, 30, 40, 60, 80, 100, 150} {
		pos := int(900 / (1 + 0.08*float64(i*i)))
		r := screening.FITSweepRow{Threshold: th, Positive: pos, Positivity: float64(pos) / 10000, CancersDetected: 20 - 2*i, CancersMissed: 5 + 2*i,
			AdvancedAdenomasDetected: float64(160 - 17*i), AdvancedAdenomasMissed: float64(17 * (i - 1))}
		r.ColonoscopiesPer1000 = 1000 * r.Positivity * 0.9
		if th < 15 {
			r.AdvancedAdenomasDetected, r.AdvancedAdenomasMissed = math.NaN(), math.NaN()
		}
		fit.Rows = append(fit.Rows, r)
	}
	return []plotCase{
		{"fit_sweep", func(dst string) error { return WriteFITSweepPlot(dst, fit) },
			[]string{"Colonoscopies per 1000 screened", "Detected per 1000 screened", "cancers within 2 years", "advanced adenomas found", "ringed: 15 µg/g, the programme's"}},
		{"strategies", func(dst string) error {
			return WriteStrategyComparison(dst, "Reading strategies", []StrategySeries{{Name: "AI score", Rows: triage(0)}, {Name: "CNN", Rows: triage(0.01)}})
		}, []string{"Change in sensitivity from double reading (percentage points)", "AI score", "CNN", "rule-out, dismissed"}},
		{"km", func(dst string) error {
			return WriteKMPlot(dst, km, PlotOptions{XLabel: "Time (days)", LegendTitle: "sex"})
		}, []string{"Time (days)", "Survival", "sex", "female", "Number at risk"}},
		{"cif", func(dst string) error {
			return WriteCIFPlot(dst, cif, PlotOptions{XLabel: "Time (days)", LegendTitle: "sex"})
		}, []string{"Time (days)", "Cumulative incidence", "cause 1, female"}},
		{"roc", func(dst string) error {
			return WriteROCPlot(dst, "ROC", []string{"model", "AI score"}, [][]evaluation.ROCPoint{roc, roc2}, nil)
		}, []string{"1 − specificity", "Sensitivity", "model (AUC 0.", "AI score (AUC 0."}},
		{"pr", func(dst string) error {
			return WritePRPlot(dst, "Precision-recall", roc, 0.05, evaluation.AveragePrecision(roc))
		}, []string{"Recall (sensitivity)", "Precision (PPV)", "average precision"}},
		{"calibration", func(dst string) error { return WriteCalibrationPlot(dst, "Calibration", cal, risk) },
			[]string{"Predicted risk", "Observed risk", "smoothed (lowess)"}},
		{"decision", func(dst string) error { return WriteDecisionCurve(dst, "Decision curve", nb) },
			[]string{"Risk threshold", "Net benefit", "treat all"}},
		{"funnel", func(dst string) error { return WriteFunnelPlot(dst, funnel) },
			[]string{"Denominator (rows)", "recall rate (%)", "target <=7", "outside 99.8% limits"}},
		{"sweep", func(dst string) error {
			return WriteTriageSweep(dst, "Rule-out", sweep, 0.85, 0.03)
		}, []string{"Change in human reads (%)", "recall rate × 10"}},
		{"rates", func(dst string) error {
			return WriteRatePlot(dst, "Incidence", "Year of diagnosis", "Rate per 100,000 person-years", []RateSeries{{Name: "women 50-69", X: years, Y: rate, Lower: lo, Upper: hi}})
		}, []string{"Year of diagnosis", "Rate per 100,000 person-years", "women 50-69"}},
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Every plot kind draws its axis labels and legend, puts the legend where
// it covers no data, and draws the same image as its golden file
// (testdata/plots/KIND.svg; go test ./report -run TestPlotGolden -update
// rewrites them, and writes KIND.png beside them to look at).
func TestPlotGolden(t *testing.T) {
	for _, c := range plotCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var lays []layout
			drawnHook = func(l layout) { lays = append(lays, l) }
			defer func() { drawnHook = nil }()
			svg, err := Draw("svg", c.write)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lays {
				if l.overlap > 0 {
					t.Errorf("the legend (%s) covers %d data points", l.at, l.overlap)
				}
			}
			text := svgText(svg)
			for _, want := range c.labels {
				if !strings.Contains(text, want) {
					t.Errorf("the drawing lacks %q", want)
				}
			}
			golden := filepath.Join("testdata", "plots", c.name+".svg")
			if *updatePlots {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, svg, 0o644); err != nil {
					t.Fatal(err)
				}
				png, err := Draw("png", c.write)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(strings.TrimSuffix(golden, ".svg")+".png", png, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if !bytes.Equal(svg, want) {
				t.Errorf("the drawing differs from %s: look at it (-update writes a PNG) and rewrite it if it is right", golden)
			}
		})
	}
}

// svgText is the text an SVG draws, glyph runs joined.
func svgText(svg []byte) string {
	var b strings.Builder
	s := string(svg)
	for {
		i := strings.Index(s, "<text")
		if i < 0 {
			break
		}
		s = s[i:]
		j := strings.Index(s, ">")
		k := strings.Index(s, "</text>")
		if j < 0 || k < j {
			break
		}
		b.WriteString(s[j+1:k] + "\n")
		s = s[k:]
	}
	r := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'")
	return r.Replace(b.String())
}

// A legend that covers data in every corner goes outside, on the right.
func TestLegendGoesOutsideWhenEveryCornerIsFull(t *testing.T) {
	// A curve that zigzags over the whole square.
	var zigzag []evaluation.ROCPoint
	for k := 0; k <= 80; k++ {
		zigzag = append(zigzag, evaluation.ROCPoint{Specificity: float64(k) / 80, Sensitivity: float64(k % 2)})
	}
	var lays []layout
	drawnHook = func(l layout) { lays = append(lays, l) }
	defer func() { drawnHook = nil }()
	if _, err := Draw("svg", func(dst string) error {
		return WriteROCPlot(dst, "full", []string{"everywhere"}, [][]evaluation.ROCPoint{zigzag}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	if len(lays) != 1 || lays[0].at != "outside" || lays[0].overlap != 0 {
		t.Fatalf("layout %+v: want the legend outside, covering nothing", lays)
	}
	if lays[0].legend.Min.X < lays[0].data.Max.X {
		t.Errorf("legend %v starts inside the data area %v", lays[0].legend, lays[0].data.Rectangle)
	}
}
