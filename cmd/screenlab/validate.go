package main

import (
	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets"
)

type validateOptions struct {
	f *factory
	registryFlags
	LifeTable, Population string
}

// validateResult is the JSON of screenlab validate.
type validateResult struct {
	Valid  bool             `json:"valid"`
	Tables []datasets.Stats `json:"tables"`
}

func newCmdValidate(f *factory, runF func(*validateOptions) error) *cobra.Command {
	opts := &validateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "validate [--persons F] [--exams F] [--diagnoses F] [--images F] [--lifetable F] [--population F] [--programme P --invitations F --tests F --followups F]",
		Short: "Check registry tables within and across tables",
		Long: `Check registry tables: types, dates, codes (ICD-10, behaviour, sex, laterality,
view, density), ranges, and across tables: duplicate person and exam ids, exams
or diagnoses of unknown persons, diagnoses before birth or after death, exams
after death or emigration, images of unknown exams. With --programme cervical or
bowel, also the programme's invitations, tests (HPV genotype groups and Bethesda
cytology; FIT f-Hb >= 0 or an inadequate sample) and follow-ups (colposcopy
histology; colonoscopy findings), each of a known person, and every follow-up
on or after a test of that person.

By default the first bad row stops the check with an error naming the file,
line and column. With --lenient every bad row is written with its reason to
<input>.rejects.csv and the summary counts read = accepted + rejected.`,
		Example: `  screenlab validate --persons reg/persons.csv --exams reg/exams.csv --diagnoses reg/diagnoses.csv
  screenlab validate --exams exams.csv.gz --exam-columns exam_date=screen_date --lenient
  screenlab validate --programme cervical --persons cx/persons.csv --invitations cx/invitations.csv \
    --tests cx/tests.csv --followups cx/followups.csv --diagnoses cx/diagnoses.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			programme, err := opts.programmeTables()
			if err != nil {
				return err
			}
			if opts.Persons == "" && opts.Exams == "" && opts.Diagnoses == "" && opts.Images == "" && opts.LifeTable == "" && opts.Population == "" && !programme {
				return flagErrorf("name at least one table: --persons, --exams, --diagnoses, --images, --lifetable, --population, or a programme's --invitations, --tests or --followups")
			}
			if runF != nil {
				return runF(opts)
			}
			return runValidate(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Persons, "persons", "", "persons table `FILE` (.csv, .csv.gz or .parquet)")
	fl.StringVar(&opts.Exams, "exams", "", "exams table `FILE`")
	fl.StringVar(&opts.Diagnoses, "diagnoses", "", "diagnoses table `FILE`")
	fl.StringVar(&opts.Images, "images", "", "images table `FILE`")
	fl.StringVar(&opts.LifeTable, "lifetable", "", "life table `FILE` (sex, year, age, haz)")
	fl.StringVar(&opts.Population, "population", "", "population table `FILE` (sex, year, agegroup, person_years)")
	opts.addColumnFlags(cmd)
	opts.addProgrammeFlags(cmd)
	return cmd
}

func runValidate(opts *validateOptions) error {
	reg, err := opts.load(opts.f.IO, true)
	if err != nil {
		return err
	}
	res := validateResult{Tables: reg.Stats}
	asOf, _ := opts.asOf()
	ro := datasets.ReadOptions{Lenient: opts.Lenient, AsOf: asOf}
	if opts.LifeTable != "" {
		_, _, st, err := datasets.ReadAll(opts.LifeTable, datasets.LifeTableSchema, ro)
		if err != nil {
			return err
		}
		res.Tables = append(res.Tables, st)
	}
	if opts.Population != "" {
		_, _, st, err := datasets.ReadAll(opts.Population, datasets.PopulationSchema, ro)
		if err != nil {
			return err
		}
		res.Tables = append(res.Tables, st)
	}
	res.Valid = true
	for _, s := range res.Tables {
		if s.Rejected > 0 {
			res.Valid = false
		}
	}
	noteRejects(opts.f.IO, res.Tables)
	return opts.f.write(res)
}
