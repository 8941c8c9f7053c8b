package demo

import (
	"fmt"
	"path/filepath"
	"strconv"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/features"
	"github.com/screenlab/screenlab/report"
	"github.com/screenlab/screenlab/survival"
)

// survivalAnalyses: Kaplan-Meier by stage with the log-rank test, a Cox
// model of stage and age, Pohar Perme net survival against the life table,
// and the cumulative incidence of breast cancer after a first screen by
// density with death competing.
func survivalAnalyses(dir, regDir string, reg *datasets.Registry, end datasets.Date) (*report.DemoSurvival, []string, error) {
	pt := datasets.BreastCancerPatients(reg, end)
	cohortPath := filepath.Join(dir, "cohort.csv")
	if err := pt.Write(cohortPath); err != nil {
		return nil, nil, err
	}
	res := &report.DemoSurvival{Patients: len(pt.PersonID)}
	var err error
	if res.KM, err = survival.KaplanMeierByGroup(pt.Years, pt.Dead, pt.Stage, survival.KMGroupOptions{
		KMOptions: survival.KMOptions{ConfType: survival.Log, Level: 0.95, Times: []float64{1, 5, 10}}}); err != nil {
		return nil, nil, fmt.Errorf("survival km by stage: %w", err)
	}
	fr, err := datasets.FrameOf(cohortPath, []string{"stage", "age"}, transpose(pt.Stage, formatAll(pt.Age)))
	if err != nil {
		return nil, nil, err
	}
	covs := []string{"stage", "age"}
	pipe, x, err := features.CovariatesOf(fr, covs, nil)
	if err != nil {
		return nil, nil, err
	}
	var terms []survival.Term
	for c, cols := range pipe.Terms() {
		terms = append(terms, survival.Term{Name: covs[c], Cols: cols})
	}
	if res.Cox, err = survival.FitCox(survival.CoxData{Time: pt.Years, Event: pt.Dead, X: x, Names: pipe.Names(), Terms: terms},
		survival.CoxOptions{Ties: survival.Efron, Level: 0.95, MaxIter: 20}); err != nil {
		return nil, nil, fmt.Errorf("survival cox: %w", err)
	}
	lt, err := survival.ReadLifeTable(filepath.Join(regDir, "lifetable.csv"))
	if err != nil {
		return nil, nil, err
	}
	sex := make([]int, len(pt.Sex))
	for i, v := range pt.Sex {
		code, _ := datasets.SexCode(v)
		s, ok := lt.SexIndex(code)
		if !ok {
			return nil, nil, fmt.Errorf("net survival: the life table has no sex %s", v)
		}
		sex[i] = s
	}
	if res.Net, err = survival.EstimateNetSurvival(pt.Years, pt.Dead, pt.Age, pt.Year, sex, lt,
		survival.RelativeOptions{Method: survival.PoharPerme, Times: []float64{1, 5, 10}, Level: 0.95}, ""); err != nil {
		return nil, nil, fmt.Errorf("net survival: %w", err)
	}
	sc := datasets.ScreenedWomen(reg, end)
	screenedPath := filepath.Join(dir, "screened_cohort.csv")
	if err := sc.Write(screenedPath); err != nil {
		return nil, nil, err
	}
	res.Screened = len(sc.PersonID)
	if res.CIF, err = survival.CumulativeIncidenceByGroup(sc.Years, sc.Status, sc.Density, survival.CIFGroupOptions{Times: []float64{5, 10, 15}, Level: 0.95}); err != nil {
		return nil, nil, fmt.Errorf("cumulative incidence by density: %w", err)
	}
	return res, []string{cohortPath, screenedPath}, nil
}

func formatAll(x []float64) []string {
	out := make([]string, len(x))
	for i, v := range x {
		out[i] = strconv.FormatFloat(v, 'f', -1, 64)
	}
	return out
}

// transpose makes rows of columns.
func transpose(cols ...[]string) [][]string {
	if len(cols) == 0 {
		return nil
	}
	rows := make([][]string, len(cols[0]))
	for r := range rows {
		rows[r] = make([]string, len(cols))
		for c := range cols {
			rows[r][c] = cols[c][r]
		}
	}
	return rows
}
