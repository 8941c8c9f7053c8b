package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/incidence"
)

type countsOptions struct {
	f                              *factory
	Persons, Diagnoses, Population string
	Out, Sex, ICD, EndOfData, AsOf string
	Behaviour, From, To            int
}

// countsResult is what incidence counts reports.
type countsResult struct {
	Output     string  `json:"output"`
	Sex        string  `json:"sex"`
	Cases      float64 `json:"cases"`
	PersonYrs  float64 `json:"person_years"`
	Population string  `json:"population"`
	Years      string  `json:"years,omitempty"`
}

func newCmdIncidenceCounts(f *factory) *cobra.Command {
	opts := &countsOptions{f: f}
	cmd := &cobra.Command{
		Use:   "counts --persons F --diagnoses F --out F [--population F]",
		Short: "Cases and person-years by year and age group, from the registry's own tables",
		Long: `Build the counts that incidence rates, sir and trend read, from the registry:
cases are the diagnoses of one sex whose ICD-10 code starts with --icd and whose
behaviour is --behaviour, counted by calendar year of diagnosis and 5-year age
group at diagnosis (0-4 … 85-89, 90+); person-years come from --population
(sex, year, agegroup, person_years, as screenlab generate writes it) or, without
one, from the persons' own follow-up (birth, death, emigration, end of data) in
the years --from … --to. The output has year, agegroup, cases and person_years,
so it is both --cases and --population of the other incidence commands.`,
		Example: `  screenlab incidence counts --persons reg/persons.csv --diagnoses reg/diagnoses.csv --population reg/population.csv --out counts.csv
  screenlab incidence rates --cases counts.csv --population counts.csv --by year --standard esp2013 --ages 50-69`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Persons == "" || opts.Diagnoses == "" || opts.Out == "" {
				return flagErrorf("--persons, --diagnoses and --out are required")
			}
			if opts.Sex != "F" && opts.Sex != "M" {
				return flagErrorf("--sex %q: want F or M", opts.Sex)
			}
			return runIncidenceCounts(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Persons, "persons", "", "persons table `FILE`")
	fl.StringVar(&opts.Diagnoses, "diagnoses", "", "diagnoses table `FILE`")
	fl.StringVar(&opts.Population, "population", "", "person-years `FILE` (sex, year, agegroup, person_years); default: from the persons' follow-up")
	fl.StringVar(&opts.Out, "out", "", "counts `FILE` (.csv, .csv.gz or .parquet)")
	fl.StringVar(&opts.Sex, "sex", "F", "F or M")
	fl.StringVar(&opts.ICD, "icd", "C50", "ICD-10 code `PREFIX` of the cancers counted")
	fl.IntVar(&opts.Behaviour, "behaviour", 3, "ICD-O-3 behaviour counted (3: invasive)")
	fl.IntVar(&opts.From, "from", 0, "first calendar year of person-years from the persons table (default: the year of the first diagnosis)")
	fl.IntVar(&opts.To, "to", 0, "last calendar year (default: the year of the end of data)")
	fl.StringVar(&opts.EndOfData, "end-of-data", "", "last day of follow-up, YYYY-MM-DD (default: the latest date in the tables)")
	fl.StringVar(&opts.AsOf, "as-of", "", "dates after this day are errors (default today)")
	return cmd
}

func runIncidenceCounts(opts *countsOptions) error {
	rf := registryFlags{Persons: opts.Persons, Diagnoses: opts.Diagnoses, AsOf: opts.AsOf}
	reg, err := rf.load(opts.f.IO, false)
	if err != nil {
		return err
	}
	co := incidence.CountsOptions{Sex: opts.Sex[0], ICD: opts.ICD, Behaviour: opts.Behaviour, From: opts.From, To: opts.To, EndOfData: datasets.NoDate}
	if opts.EndOfData != "" {
		if co.EndOfData, err = datasets.ParseDate(opts.EndOfData); err != nil {
			return flagErrorf("--end-of-data %q: want YYYY-MM-DD", opts.EndOfData)
		}
	}
	res := countsResult{Output: opts.Out, Sex: opts.Sex, Population: opts.Population}
	if opts.Population != "" {
		if co.Population, err = datasets.ReadFrameColumns(opts.Population, "sex", "year", "agegroup", "person_years"); err != nil {
			return err
		}
	} else {
		res.Population = "persons' follow-up"
	}
	tab, years, err := incidence.CountsFromRegistry(reg, co)
	if err != nil {
		return err
	}
	res.Years = years
	res.Cases, res.PersonYrs = tab.Totals()
	if err := incidence.WriteCounts(opts.Out, tab); err != nil {
		return err
	}
	opts.f.IO.Notef("wrote %s: %.0f cases in %.0f person-years", opts.Out, res.Cases, res.PersonYrs)
	return opts.f.write(res)
}
