package survival_test

import (
	"fmt"

	"github.com/screenlab/screenlab/survival"
)

// The acute myelogenous leukaemia trial (survival::aml): weeks to relapse
// and whether it was seen (0 = censored), with and without maintenance
// chemotherapy.
var (
	amlWeeks  = []float64{9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45}
	amlEvent  = []bool{true, true, false, true, true, false, true, true, false, true, false, true, true, true, true, true, false, true, true, true, true, true, true}
	amlArm    = []string{"Maintained", "Maintained", "Maintained", "Maintained", "Maintained", "Maintained", "Maintained", "Maintained", "Maintained", "Maintained", "Maintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained", "Nonmaintained"}
	amlMaintd = 11 // the first 11 rows
)

// The Kaplan–Meier curve of the maintained arm; R 4.2 prints the same with
// summary(survfit(Surv(time, status) ~ 1, aml, subset = x == "Maintained"),
// times = c(12, 24, 36)) prints it, and the median.
func ExampleKaplanMeier() {
	km, err := survival.KaplanMeier(amlWeeks[:amlMaintd], amlEvent[:amlMaintd], survival.KMOptions{Times: []float64{12, 24, 36}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range km.At {
		fmt.Printf("week %2.0f: at risk %2.0f, S = %.3f (%.3f-%.3f)\n", a.Time, a.NRisk, a.Surv, a.Lower, a.Upper)
	}
	fmt.Printf("median %.0f weeks\n", km.Median)
	// Output:
	// week 12: at risk 10, S = 0.909 (0.754-1.000)
	// week 24: at risk  6, S = 0.614 (0.377-0.999)
	// week 36: at risk  3, S = 0.368 (0.155-0.875)
	// median 31 weeks
}

// Curves per arm and the log-rank test (survdiff(Surv(time, status) ~ x,
// aml) gives chi-squared 3.396).
func ExampleKaplanMeierByGroup() {
	res, err := survival.KaplanMeierByGroup(amlWeeks, amlEvent, amlArm, survival.KMGroupOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range res.Groups {
		fmt.Printf("%-13s n %2d, events %2.0f, median %.0f\n", g.Group, g.N, g.Events, g.Median)
	}
	fmt.Printf("log-rank chi-squared %.2f on %d df, p %.3f\n", res.LogRank.Chisq, res.LogRank.DF, res.LogRank.P)
	// Output:
	// Maintained    n 11, events  7, median 31
	// Nonmaintained n 12, events 11, median 23
	// log-rank chi-squared 3.40 on 1 df, p 0.065
}

// The Cox model of the trial: the hazard ratio of no maintenance, Efron
// ties; coxph(Surv(time, status) ~ x, aml) gives the same to the digits
// shown.
func ExampleFitCox() {
	x := make([]float64, len(amlArm))
	for i, a := range amlArm {
		if a == "Nonmaintained" {
			x[i] = 1
		}
	}
	res, err := survival.FitCox(survival.CoxData{Time: amlWeeks, Event: amlEvent, X: x, Names: []string{"xNonmaintained"}}, survival.CoxOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := res.Coefficients[0]
	fmt.Printf("%s: coef %.4f, HR %.3f (%.3f-%.3f), se %.4f, p %.4f\n", c.Name, c.Coef, c.HR, c.HRLower, c.HRUpper, c.SE, c.P)
	fmt.Printf("concordance %.3f\n", res.Concordance)
	// Output:
	// xNonmaintained: coef 0.9155, HR 2.498 (0.916-6.813), se 0.5119, p 0.0737
	// concordance 0.619
}

// Cumulative incidence with a competing risk: status 1 is the event of
// interest, 2 the competing one, 0 censored. cmprsk::timepoints(cuminc(time,
// status), c(3, 6, 9)) gives the same estimates and variances.
func ExampleCumulativeIncidence() {
	time := []float64{1, 2, 2, 3, 4, 5, 6, 7, 8, 9}
	status := []int{1, 2, 1, 0, 1, 2, 0, 1, 2, 0}
	c, err := survival.CumulativeIncidence(time, status, 1, []float64{3, 6, 9}, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range c.At {
		fmt.Printf("F1(%.0f) = %.4f, variance %.5f\n", a.Time, a.CIF, a.StdErr*a.StdErr)
	}
	// Output:
	// F1(3) = 0.2000, variance 0.01790
	// F1(6) = 0.3167, variance 0.02660
	// F1(9) = 0.4722, variance 0.04172
}

// Net survival against a population life table, by Pohar Perme's estimator:
// here a toy table with a constant hazard of 0.01 a year at every age and
// year, for women (sex code 'F'). (The estimator agrees with
// relsurv::rs.surv in this package's golden tests.)
func ExampleRelativeSurvival() {
	var sex []byte
	var year, age []int
	var haz []float64
	for y := 2000; y <= 2020; y++ {
		for a := 0; a <= 100; a++ {
			sex, year, age, haz = append(sex, 'F'), append(year, y), append(age, a), append(haz, 0.01)
		}
	}
	lt, err := survival.NewLifeTable(sex, year, age, haz)
	if err != nil {
		fmt.Println(err)
		return
	}
	f, _ := lt.SexIndex('F')
	time := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	dead := []bool{true, false, true, true, false, true, false, false}
	ageAt := []float64{60, 65, 70, 55, 62, 68, 71, 59}
	at := []float64{2005, 2006, 2007, 2008, 2005, 2006, 2007, 2008}
	sexes := []int{f, f, f, f, f, f, f, f}
	res, err := survival.RelativeSurvival(time, dead, ageAt, at, sexes, lt, survival.RelativeOptions{Times: []float64{1, 5}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.At {
		fmt.Printf("net survival at %.0f years: %.3f\n", a.Time, a.Surv)
	}
	// Output:
	// net survival at 1 years: 0.885
	// net survival at 5 years: 0.617
}
