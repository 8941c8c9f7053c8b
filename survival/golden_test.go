package survival

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"

	"github.com/screenlab/screenlab/datasets"
)

// golden holds testdata/golden.json, written by testdata/make_golden.R
// (R 4.2.2, survival 3.5-3) from survival's veteran, heart and colon data.
var golden map[string]map[string]any

func loadGolden(t *testing.T) map[string]map[string]any {
	t.Helper()
	if golden == nil {
		raw, err := os.ReadFile("testdata/golden.json")
		if err != nil {
			t.Fatal(err)
		}
		var all map[string]any
		if err := json.Unmarshal(raw, &all); err != nil {
			t.Fatal(err)
		}
		golden = map[string]map[string]any{}
		for k, v := range all {
			if m, ok := v.(map[string]any); ok {
				golden[k] = m
			}
		}
	}
	return golden
}

func nums(v any) []float64 {
	switch x := v.(type) {
	case []any:
		out := make([]float64, len(x))
		for i, e := range x {
			if e == nil {
				out[i] = math.NaN()
			} else {
				out[i] = e.(float64)
			}
		}
		return out
	case float64:
		return []float64{x}
	case nil:
		return []float64{math.NaN()}
	}
	panic("golden: not numbers")
}

func strs(v any) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			out = append(out, e.(string))
		}
	case string:
		out = []string{x}
	}
	return out
}

// close compares within 1e-8 absolute or relative (R writes 15 digits; our
// sums run in another order) and treats NaN = NA.
func close(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, R has %d", what, len(got), len(want))
		return
	}
	for i := range got {
		if math.IsNaN(want[i]) && (math.IsNaN(got[i]) || math.IsInf(got[i], 0)) {
			continue
		}
		if !scalar.EqualWithinAbsOrRel(got[i], want[i], tol, tol) {
			t.Errorf("%s[%d] = %.12g, R %.12g", what, i, got[i], want[i])
		}
	}
}

type frameData struct {
	fr *datasets.Frame
	t  *testing.T
}

func readCSV(t *testing.T, name string) frameData {
	fr, err := datasets.ReadFrame("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return frameData{fr, t}
}

func (d frameData) col(name string) []float64 {
	x, err := d.fr.Floats(name, false)
	if err != nil {
		d.t.Fatal(err)
	}
	return x
}

func (d frameData) events(name string) []bool {
	x := d.col(name)
	out := make([]bool, len(x))
	for i, v := range x {
		out[i] = v == 1
	}
	return out
}

// codes codes a text column with sorted levels.
func (d frameData) codes(name string) ([]string, []int) {
	vals, err := d.fr.Strings(name)
	if err != nil {
		d.t.Fatal(err)
	}
	set := map[string]int{}
	var lv []string
	for _, v := range vals {
		if _, ok := set[v]; !ok {
			set[v] = 0
			lv = append(lv, v)
		}
	}
	sortStrings(lv)
	for i, v := range lv {
		set[v] = i
	}
	out := make([]int, len(vals))
	for i, v := range vals {
		out[i] = set[v]
	}
	return lv, out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func checkKM(t *testing.T, res *KMResult, g map[string]any) {
	t.Helper()
	var tm, nr, ne, sv, se, lo, hi, ch []float64
	for _, r := range res.Table {
		tm, nr, ne, sv, se = append(tm, r.Time), append(nr, r.NRisk), append(ne, r.NEvent), append(sv, r.Surv), append(se, r.StdErr)
		lo, hi, ch = append(lo, r.Lower), append(hi, r.Upper), append(ch, r.CumHaz)
	}
	close(t, "time", tm, nums(g["time"]), 1e-12)
	close(t, "n_risk", nr, nums(g["n_risk"]), 1e-12)
	close(t, "n_event", ne, nums(g["n_event"]), 1e-12)
	close(t, "surv", sv, nums(g["surv"]), 1e-9)
	close(t, "std_err", se, nums(g["std_err"]), 1e-9)
	close(t, "lower", lo, nums(g["lower"]), 1e-9)
	close(t, "upper", hi, nums(g["upper"]), 1e-9)
	close(t, "cumhaz", ch, nums(g["cumhaz"]), 1e-9)
	close(t, "median", []float64{res.Median, res.MedianLower, res.MedianUpper},
		[]float64{nums(g["median"])[0], nums(g["median_lower"])[0], nums(g["median_upper"])[0]}, 1e-12)
	var at, an, as, ase, al, au []float64
	for _, a := range res.At {
		at, an, as, ase, al, au = append(at, a.Time), append(an, a.NRisk), append(as, a.Surv), append(ase, a.StdErr), append(al, a.Lower), append(au, a.Upper)
	}
	close(t, "at.time", at, nums(g["at_time"]), 1e-12)
	close(t, "at.n_risk", an, nums(g["at_n_risk"]), 1e-12)
	close(t, "at.surv", as, nums(g["at_surv"]), 1e-9)
	close(t, "at.std_err", ase, nums(g["at_std_err"]), 1e-9)
	close(t, "at.lower", al, nums(g["at_lower"]), 1e-9)
	close(t, "at.upper", au, nums(g["at_upper"]), 1e-9)
	if g["rmst"] != nil {
		close(t, "rmst", []float64{res.RMST.Mean, res.RMST.StdErr}, []float64{nums(g["rmst"])[0], nums(g["rmst_se"])[0]}, 1e-9)
	}
}

func TestKMGolden(t *testing.T) {
	g := loadGolden(t)
	vet := readCSV(t, "veteran.csv")
	heart := readCSV(t, "heart.csv")
	t.Run("ties, plain CI, RMST", func(t *testing.T) {
		res, err := KaplanMeier(vet.col("time"), vet.events("status"), KMOptions{ConfType: Plain, Times: []float64{30, 90, 365}, Horizon: 365})
		if err != nil {
			t.Fatal(err)
		}
		checkKM(t, res, g["km_veteran_plain"])
	})
	t.Run("delayed entry", func(t *testing.T) {
		res, err := KaplanMeier(heart.col("stop"), heart.events("event"), KMOptions{Entry: heart.col("start"), Times: []float64{10, 100, 500}})
		if err != nil {
			t.Fatal(err)
		}
		checkKM(t, res, g["km_heart_entry"])
	})
	t.Run("weights, log-log CI", func(t *testing.T) {
		res, err := KaplanMeier(vet.col("time"), vet.events("status"), KMOptions{Weights: vet.col("w"), ConfType: LogLog, Times: []float64{30, 90, 365}})
		if err != nil {
			t.Fatal(err)
		}
		checkKM(t, res, g["km_veteran_weights"])
	})
}

func TestLogRankGolden(t *testing.T) {
	g := loadGolden(t)
	vet := readCSV(t, "veteran.csv")
	lv, cell := vet.codes("celltype")
	_, trt := vet.codes("trt")
	for _, c := range []struct {
		name   string
		group  []int
		k      int
		opts   LogRankOptions
		golden string
	}{
		{"log-rank by cell type", cell, len(lv), LogRankOptions{}, "logrank_celltype"},
		{"Peto-Peto (rho 1)", cell, len(lv), LogRankOptions{Rho: 1}, "logrank_celltype_peto"},
		{"treatment stratified by cell type", trt, 2, LogRankOptions{Strata: cell}, "logrank_trt_strata"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := LogRank(vet.col("time"), vet.events("status"), c.group, c.k, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			want := g[c.golden]
			close(t, "chisq", []float64{res.Chisq}, nums(want["chisq"]), 1e-9)
			close(t, "observed", res.Observed, nums(want["observed"]), 1e-9)
			close(t, "expected", res.Expected, nums(want["expected"]), 1e-9)
			if float64(res.DF) != nums(want["df"])[0] {
				t.Errorf("df %d, R %v", res.DF, want["df"])
			}
		})
	}
}

// design builds X from numeric columns and categorical ones (sorted levels,
// first level the reference, named as R names them).
func design(d frameData, numeric []string, categorical []string) ([]float64, []string, []Term) {
	var cols [][]float64
	var names []string
	var terms []Term
	for _, c := range numeric {
		terms = append(terms, Term{Name: c, Cols: []int{len(cols)}})
		cols = append(cols, d.col(c))
		names = append(names, c)
	}
	for _, c := range categorical {
		lv, codes := d.codes(c)
		term := Term{Name: c}
		for l := 1; l < len(lv); l++ {
			v := make([]float64, len(codes))
			for i, k := range codes {
				if k == l {
					v[i] = 1
				}
			}
			term.Cols = append(term.Cols, len(cols))
			cols = append(cols, v)
			names = append(names, c+lv[l])
		}
		terms = append(terms, term)
	}
	n, p := len(cols[0]), len(cols)
	x := make([]float64, n*p)
	for j, col := range cols {
		for i, v := range col {
			x[i*p+j] = v
		}
	}
	return x, names, terms
}

func checkCox(t *testing.T, res *CoxResult, g map[string]any) {
	t.Helper()
	var names []string
	var coef, se, rse []float64
	for _, c := range res.Coefficients {
		names, coef, se, rse = append(names, c.Name), append(coef, c.Coef), append(se, c.SE), append(rse, c.RobustSE)
	}
	wantNames := strs(g["names"])
	for i := range wantNames {
		if i >= len(names) || names[i] != wantNames[i] {
			t.Fatalf("names %v, R %v", names, wantNames)
		}
	}
	close(t, "coef", coef, nums(g["coef"]), 1e-7)
	close(t, "se", se, nums(g["se"]), 1e-7)
	if g["robust_se"] != nil {
		close(t, "robust_se", rse, nums(g["robust_se"]), 1e-7)
	}
	close(t, "loglik", res.LogLik[:], nums(g["loglik"]), 1e-9)
	close(t, "concordance", []float64{res.Concordance}, nums(g["concordance"]), 1e-9)
	if !math.IsNaN(res.ConcordanceSE) { // NaN with delayed entry
		close(t, "concordance se", []float64{res.ConcordanceSE}, nums(g["concordance_se"]), 1e-9)
	}
	close(t, "lr", []float64{res.LR.Chisq}, nums(g["lr"]), 1e-7)
	close(t, "score", []float64{res.Score.Chisq}, nums(g["score"]), 1e-7)
	if g["robust_se"] == nil {
		close(t, "wald", []float64{res.Wald.Chisq}, nums(g["wald"]), 1e-7)
	}
	var zc []float64
	for _, z := range res.PHTest {
		zc = append(zc, z.Chisq)
	}
	close(t, "zph", zc, nums(g["zph_chisq"]), 1e-6)
	if it := nums(g["iter"])[0]; math.Abs(float64(res.Iterations)-it) > 1 {
		t.Errorf("iterations %d, R %v", res.Iterations, it)
	}
}

func TestCoxGolden(t *testing.T) {
	g := loadGolden(t)
	vet := readCSV(t, "veteran.csv")
	heart := readCSV(t, "heart.csv")
	colon := readCSV(t, "colon.csv")
	_, id := heart.codes("id")
	_, colonID := colon.codes("id")
	_, etype := colon.codes("etype")
	cases := []struct {
		name   string
		data   func() CoxData
		ties   Ties
		golden string
	}{
		{"Breslow, ties, categorical", func() CoxData {
			x, names, terms := design(vet, []string{"trt", "karno"}, []string{"celltype"})
			return CoxData{Time: vet.col("time"), Event: vet.events("status"), X: x, Names: names, Terms: terms}
		}, Breslow, "cox_veteran_breslow"},
		{"Efron, case weights", func() CoxData {
			x, names, terms := design(vet, []string{"trt", "karno", "age"}, nil)
			return CoxData{Time: vet.col("time"), Event: vet.events("status"), X: x, Names: names, Terms: terms, Weights: vet.col("w")}
		}, Efron, "cox_veteran_weights"},
		{"delayed entry", func() CoxData {
			x, names, terms := design(heart, []string{"age", "surgery", "transplant"}, nil)
			return CoxData{Time: heart.col("stop"), Entry: heart.col("start"), Event: heart.events("event"), X: x, Names: names, Terms: terms}
		}, Efron, "cox_heart_entry"},
		{"delayed entry, robust SE by cluster", func() CoxData {
			x, names, terms := design(heart, []string{"age", "surgery", "transplant"}, nil)
			return CoxData{Time: heart.col("stop"), Entry: heart.col("start"), Event: heart.events("event"), X: x, Names: names, Terms: terms, Cluster: id}
		}, Efron, "cox_heart_cluster"},
		{"strata, robust SE, categorical rx", func() CoxData {
			x, names, terms := design(colon, []string{"age", "sex"}, []string{"rx"})
			// R orders the terms rx, age, sex.
			x, names, terms = reorder(x, names, terms, []int{2, 3, 0, 1})
			return CoxData{Time: colon.col("time"), Event: colon.events("status"), X: x, Names: names, Terms: terms, Strata: etype, Cluster: colonID}
		}, Efron, "cox_colon_strata_cluster"},
		{"Breslow, robust SE", func() CoxData {
			x, names, terms := design(colon, []string{"age"}, []string{"rx"})
			x, names, terms = reorder(x, names, terms, []int{1, 2, 0})
			return CoxData{Time: colon.col("time"), Event: colon.events("status"), X: x, Names: names, Terms: terms, Cluster: colonID}
		}, Breslow, "cox_colon_breslow_cluster"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := FitCox(c.data(), CoxOptions{Ties: c.ties})
			if err != nil {
				t.Fatal(err)
			}
			checkCox(t, res, g[c.golden])
		})
	}
}

// reorder puts the columns of X in a new order (and renumbers terms).
func reorder(x []float64, names []string, terms []Term, order []int) ([]float64, []string, []Term) {
	p := len(names)
	n := len(x) / p
	pos := make([]int, p)
	for newJ, oldJ := range order {
		pos[oldJ] = newJ
	}
	out := make([]float64, len(x))
	outNames := make([]string, p)
	for i := 0; i < n; i++ {
		for oldJ := 0; oldJ < p; oldJ++ {
			out[i*p+pos[oldJ]] = x[i*p+oldJ]
		}
	}
	for oldJ, nm := range names {
		outNames[pos[oldJ]] = nm
	}
	var outTerms []Term
	for _, tm := range terms {
		nt := Term{Name: tm.Name}
		for _, c := range tm.Cols {
			nt.Cols = append(nt.Cols, pos[c])
		}
		outTerms = append(outTerms, nt)
	}
	// Terms in the order of their first column.
	for i := 1; i < len(outTerms); i++ {
		for j := i; j > 0 && outTerms[j].Cols[0] < outTerms[j-1].Cols[0]; j-- {
			outTerms[j], outTerms[j-1] = outTerms[j-1], outTerms[j]
		}
	}
	return out, outNames, outTerms
}

func TestCoxBaselineGolden(t *testing.T) {
	g := loadGolden(t)["cox_baseline"]
	vet := readCSV(t, "veteran.csv")
	x, names, terms := design(vet, []string{"trt", "karno"}, nil)
	res, err := FitCox(CoxData{Time: vet.col("time"), Event: vet.events("status"), X: x, Names: names, Terms: terms}, CoxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	times, want := nums(g["time"]), nums(g["cumhaz"])
	got := make([]float64, len(times))
	for i, tm := range times {
		got[i] = res.Baseline[0].At(tm)
	}
	close(t, "baseline cumhaz", got, want, 1e-7)
	s, err := res.Predict([]float64{2, 60}, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	close(t, "predicted survival", []float64{s}, nums(g["pred_surv_100"]), 1e-7)
}
