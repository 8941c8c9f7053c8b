package incidence_test

import (
	"fmt"

	"github.com/screenlab/screenlab/incidence"
)

// Direct standardisation of three age groups to a user standard with
// weights 3, 2 and 1: by hand, ASR = (3·10/10000 + 2·20/8000 + 1·30/5000)
// / 6 × 100,000 = 233.3 per 100,000, the crude rate 60 / 23,000 = 260.9 per
// 100,000, and Fay and Feuer's gamma interval in R (qgamma, as
// epitools::ageadjust.direct) 177.4-302.6.
func ExampleDirectRate() {
	std := incidence.Standard{Name: "user", Lower: []int{50, 55, 60}, Weights: []float64{3, 2, 1}}
	groups := []incidence.AgeRate{
		{AgeGroup: "50-54", Lower: 50, Cases: 10, PersonYears: 10000},
		{AgeGroup: "55-59", Lower: 55, Cases: 20, PersonYears: 8000},
		{AgeGroup: "60+", Lower: 60, Cases: 30, PersonYears: 5000},
	}
	r, err := incidence.DirectRate(groups, std, 0.95, 100000, incidence.FayFeuer, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("crude %.1f, age-standardised %.1f (%.1f-%.1f) per 100,000\n", r.Crude, r.ASR, r.ASRLower, r.ASRUpper)
	// Output:
	// crude 260.9, age-standardised 233.3 (177.4-302.6) per 100,000
}

// The annual percent change of a rate that grows 5% a year exactly.
func ExamplePoissonTrend() {
	var cases, py, year []float64
	var age []int
	for y := 0; y < 10; y++ {
		rate := 0.001 * pow(1.05, y)
		cases, py, year, age = append(cases, rate*1e6), append(py, 1e6), append(year, float64(2010+y)), append(age, 0)
	}
	tr, err := incidence.PoissonTrend(cases, py, year, age, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("APC %.2f%% a year\n", tr.APC)
	// Output:
	// APC 5.00% a year
}

func pow(x float64, n int) float64 {
	p := 1.0
	for ; n > 0; n-- {
		p *= x
	}
	return p
}
