package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/datasets/synth"
)

type generateOptions struct {
	f         *factory
	Out       string
	Persons   int
	Images    bool
	PNG       bool
	Size      string
	Sample    float64
	FileType  string
	Workers   int
	Programme string
}

func newCmdGenerate(f *factory, runF func(*generateOptions) error) *cobra.Command {
	opts := &generateOptions{f: f}
	cmd := &cobra.Command{
		Use:   "generate --out DIR [--programme breast|cervical|bowel] [--persons N] [--seed S]",
		Short: "Write a synthetic registry that looks like a screening programme",
		Long: `Write a synthetic cancer registry: persons, exams (double reading with consensus
and an AI score), diagnoses (breast and other cancers, with stage), the
population at risk (person-years by year and 5-year age group) and the life
table used for deaths. Women born 1925-1974 are followed 1990-2024 and invited
every two years at ages 50-69; the default registry has recall ~3.2%,
detection ~6 and interval cancers ~1.7 per 1000 exams.

--programme cervical writes women born 1946-1999 screened 2015-2024 (cytology
every 3 years at 25-33, HPV every 5 years at 34-69, with self-sampling and the
Norwegian 2024 triage), and --programme bowel men and women born 1940-1969
invited to a FIT every 2 years at 55-74 from 2012 (positive at 15 µg Hb/g,
then colonoscopy): persons, invitations, tests, followups and diagnoses, from
each person's natural history (HPV infection, CIN2, CIN3, cancer; adenoma,
advanced adenoma, cancer). At 50,000 persons HPV positivity is ~8% at 34-69,
FIT positivity ~6%, uptake ~59% of women and ~49% of men, and cancer is found
in ~3.5% and polyps in ~59% of colonoscopies.

--programme clinical writes a clinical quality registry of --persons cancer cases
(breast, colorectal, prostate; 2019-2024; seven hospitals and their catchment
areas): cases.csv with treating hospital, basis of diagnosis, stage, age,
comorbidity, pathway time, MDT discussion, clinical report, low-risk prostate
cancers and radical treatment, and 90-day death; clinical_reports.csv,
deaths.csv, proms.csv (QLQ-C30 items q1-q30, some blank), proms_epic26.csv
(EPIC-26 from men with prostate cancer) and population_qlq_c30.csv (a
general-population reference sample for norms).

--programme childhood writes a childhood cancer registry of --persons children
diagnosed at 0-17 years 2010-2024: persons.csv with the direct identifiers a
registry holds (national id as person_id, name, address, phone), birth date,
sex, municipality and county; diagnoses.csv (ICCC-3 main groups, ICD-10);
treatments.csv (protocol and start, linked through diagnosis_id);
reservations.csv (person_id, reserved_date) and protocol.json, an example
protocol for screenlab export.

The same --seed gives byte-identical files.`,
		Example: `  screenlab generate --out reg --persons 20000 --seed 7
  screenlab generate --out reg-parquet --persons 100000 --file-type parquet
  screenlab generate --programme cervical --out cx --persons 50000
  screenlab generate --programme childhood --out child --persons 3000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Out == "" {
				return flagErrorf("--out is required: the folder to write the tables into")
			}
			if opts.Persons <= 0 {
				return flagErrorf("--persons must be positive, got %d", opts.Persons)
			}
			switch opts.FileType {
			case "csv", "csv.gz", "parquet":
			default:
				return flagErrorf("--file-type %q: want csv, csv.gz or parquet", opts.FileType)
			}
			switch opts.Programme {
			case "breast", "cervical", "bowel", "clinical", "childhood":
			default:
				return flagErrorf("--programme %q: want breast, cervical, bowel, clinical or childhood", opts.Programme)
			}
			if opts.Programme != "breast" && (opts.Images || opts.PNG || opts.Sample != 0) {
				return flagErrorf("--images, --png and --image-sample are for the breast programme's mammograms")
			}
			if runF != nil {
				return runF(opts)
			}
			return runGenerate(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Out, "out", "", "folder to write the tables into (created if needed)")
	fl.IntVar(&opts.Persons, "persons", 100000, "number of persons")
	fl.StringVar(&opts.Programme, "programme", "breast", "screening programme: breast, cervical or bowel; or clinical (a clinical quality registry) or childhood (a childhood cancer registry)")
	fl.BoolVar(&opts.Images, "images", false, "also write four synthetic mammograms per exam (DICOM, in images/, listed in images.csv)")
	fl.BoolVar(&opts.PNG, "png", false, "with --images, also write 16-bit PNG copies")
	fl.StringVar(&opts.Size, "image-size", "96x128", "with --images, `WIDTHxHEIGHT` of the images")
	fl.Float64Var(&opts.Sample, "image-sample", 0, "with --images, image every exam with a cancer present but only this fraction of the others (0: all)")
	fl.StringVar(&opts.FileType, "file-type", "csv", "table file type: csv, csv.gz or parquet")
	fl.IntVar(&opts.Workers, "workers", 0, "parallel workers (default: all cores; the output does not depend on it)")
	return cmd
}

func runGenerate(opts *generateOptions) error {
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return err
	}
	bar := opts.f.IO.NewProgress(int64(opts.Persons), "generating persons", false)
	if opts.Programme == "clinical" {
		sum, err := synth.GenerateClinical(opts.Out, synth.Config{Persons: opts.Persons, Seed: opts.f.Seed})
		bar.Finish()
		if err != nil {
			return err
		}
		opts.f.IO.Notef("wrote %d cases, %d clinical reports, %d deaths, %d PROM questionnaires to %s", sum.Cases, sum.Reports, sum.Deaths, sum.PROMs, opts.Out)
		return opts.f.write(sum)
	}
	if opts.Programme == "childhood" {
		sum, err := synth.GenerateChildhood(opts.Out, synth.Config{Persons: opts.Persons, Seed: opts.f.Seed})
		bar.Finish()
		if err != nil {
			return err
		}
		opts.f.IO.Notef("wrote %d children, %d diagnoses, %d treatments, %d reservations and protocol.json to %s", sum.Children, sum.Diagnoses, sum.Treatments, sum.Reservations, opts.Out)
		return opts.f.write(sum)
	}
	if opts.Programme != "breast" {
		sum, err := synth.GenerateProgramme(opts.Out, opts.Programme, synth.Config{Persons: opts.Persons, Seed: opts.f.Seed,
			Ext: "." + strings.TrimPrefix(opts.FileType, "."), Progress: func(n int) { bar.Set(int64(n)) }})
		bar.Finish()
		if err != nil {
			return err
		}
		opts.f.IO.Notef("wrote %d persons, %d invitations, %d tests, %d follow-ups, %d diagnoses to %s", sum.Persons, sum.Invitations, sum.Tests, sum.Followups, sum.Diagnoses, opts.Out)
		return opts.f.write(sum)
	}
	var w, h int
	if _, err := fmt.Sscanf(opts.Size, "%dx%d", &w, &h); err != nil {
		return flagErrorf("--image-size %q: want WIDTHxHEIGHT, e.g. 96x128", opts.Size)
	}
	sum, err := synth.Generate(opts.Out, synth.Config{
		Persons: opts.Persons, Seed: opts.f.Seed, Images: opts.Images, ImagePNG: opts.PNG, ImageSample: opts.Sample, ImageWidth: w, ImageHeight: h, Workers: opts.Workers,
		Ext: "." + strings.TrimPrefix(opts.FileType, "."), Progress: func(n int) {
			bar.Set(int64(n))
			if n == opts.Persons {
				bar.FinishThen(opts.f.IO, "writing the tables")
			}
		},
	})
	bar.Finish()
	if err != nil {
		return err
	}
	opts.f.IO.Notef("wrote %d persons, %d exams, %d diagnoses to %s", sum.Persons, sum.Exams, sum.Diagnoses, opts.Out)
	return opts.f.write(sum)
}
