package demo

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/incidence"
	"github.com/screenlab/screenlab/internal/atomicfile"
	"github.com/screenlab/screenlab/report"
)

// invasiveBreast is an invasive breast cancer (C50, behaviour 3).
func invasiveBreast(d *datasets.Diagnosis, _ *datasets.Person) bool {
	return strings.HasPrefix(d.ICD10, "C50") && d.Behaviour == 3
}

// incidenceAnalyses: rates by year (women 50-69, ESP 2013), the trend, and
// the SIRs by region over the last ten calendar years of data; the count
// tables are written for the user.
func incidenceAnalyses(dir, regDir string, reg *datasets.Registry, end datasets.Date) (*report.DemoIncidence, []string, error) {
	pop, err := datasets.ReadFrameColumns(filepath.Join(regDir, "population.csv"), "sex", "year", "agegroup", "person_years")
	if err != nil {
		return nil, nil, err
	}
	byYear, err := incidence.ByYearAndAge(reg, pop, 'F', invasiveBreast)
	if err != nil {
		return nil, nil, err
	}
	std, _ := incidence.LookupStandard("esp2013")
	res := &report.DemoIncidence{}
	if res.Rates, err = incidence.Rates(byYear, std, incidence.RateOptions{Level: 0.95, Per: 100000, CI: incidence.FayFeuer,
		Ages: &[2]int{50, 69}, AgesLabel: "50-69"}); err != nil {
		return nil, nil, fmt.Errorf("incidence rates: %w", err)
	}
	if res.Trend, err = incidence.Trends(byYear, nil, 0.95); err != nil {
		return nil, nil, fmt.Errorf("incidence trend: %w", err)
	}
	endYear, m, d := end.Civil()
	if m == 12 && d == 31 { // data to the end of the year: that year is complete
		endYear++
	}
	from, to := endYear-10, endYear
	res.SIRPeriod = fmt.Sprintf("%d-%d", from, to-1)
	byRegion, ref, err := incidence.ByRegion(reg, end, from, to, 'F', [2]int{50, 69}, invasiveBreast)
	if err != nil {
		return nil, nil, err
	}
	if res.SIR, err = incidence.SIRs(byRegion, []string{"region"}, ref, 0.95, 0); err != nil {
		return nil, nil, fmt.Errorf("incidence sir by region: %w", err)
	}
	yearPath, regionPath, refPath := filepath.Join(dir, "incidence_by_year.csv"), filepath.Join(dir, "sir_by_region.csv"), filepath.Join(dir, "sir_reference.csv")
	if err := incidence.WriteCounts(yearPath, byYear); err != nil {
		return nil, nil, err
	}
	if err := incidence.WriteCounts(regionPath, byRegion); err != nil {
		return nil, nil, err
	}
	ages, rates := ref.Rates()
	if err := atomicfile.WriteFile(refPath, func(w io.Writer) error {
		fmt.Fprintln(w, "agegroup,rate")
		for i, a := range ages {
			fmt.Fprintf(w, "%s,%v\n", a, rates[i])
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	return res, []string{yearPath, regionPath, refPath}, nil
}
