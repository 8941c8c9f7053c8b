package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
	"github.com/screenlab/screenlab/datasets"
)

// registryFlags are the flags of commands that read registry tables.
type registryFlags struct {
	Persons, Exams, Diagnoses, Images string
	PersonColumns, ExamColumns        string
	DiagnosisColumns, ImageColumns    string
	Lenient                           bool
	AsOf                              string
	// the cervical or bowel programme's tables
	Programme, Invitations, Tests, Followups string
}

// addProgrammeFlags declares the flags of the cervical and bowel
// programmes' tables.
func (r *registryFlags) addProgrammeFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&r.Programme, "programme", "", "screening programme of --invitations, --tests and --followups: `cervical` or bowel (breast: --exams)")
	fl.StringVar(&r.Invitations, "invitations", "", "invitations table `FILE` (person_id, invitation_date, round, reminder)")
	fl.StringVar(&r.Tests, "tests", "", "the programme's tests table `FILE` (cervical: HPV and cytology; bowel: FIT)")
	fl.StringVar(&r.Followups, "followups", "", "the programme's follow-ups table `FILE` (cervical: colposcopies; bowel: colonoscopies)")
}

// programmeTables reports whether a programme's tables were named, and
// checks --programme with them.
func (r *registryFlags) programmeTables() (bool, error) {
	named := r.Invitations != "" || r.Tests != "" || r.Followups != ""
	switch {
	case r.Programme == "" && named:
		return true, flagErrorf("--invitations, --tests and --followups need --programme cervical or bowel")
	case r.Programme != "" && r.Programme != "cervical" && r.Programme != "bowel":
		return named, flagErrorf("--programme %q: want cervical or bowel", r.Programme)
	}
	return named, nil
}

// addColumnFlags declares the column-map and --lenient flags.
func (r *registryFlags) addColumnFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&r.PersonColumns, "person-columns", "", "persons column names that differ, as `canonical=actual,...` (e.g. person_id=pid)")
	fl.StringVar(&r.ExamColumns, "exam-columns", "", "exams column names that differ, as `canonical=actual,...` (e.g. exam_date=screen_date)")
	fl.StringVar(&r.DiagnosisColumns, "diagnosis-columns", "", "diagnoses column names that differ, as `canonical=actual,...`")
	fl.StringVar(&r.ImageColumns, "image-columns", "", "images column names that differ, as `canonical=actual,...`")
	fl.BoolVar(&r.Lenient, "lenient", false, "write bad rows with their reasons to <input>.rejects.csv and go on (default: stop at the first bad row)")
	fl.StringVar(&r.AsOf, "as-of", "", "the last date the tables may hold, `YYYY-MM-DD` (default: today); later dates are errors")
}

// asOf parses --as-of (today when empty).
func (r *registryFlags) asOf() (datasets.Date, error) {
	if r.AsOf == "" {
		return datasets.Today(), nil
	}
	d, err := datasets.ParseDate(r.AsOf)
	if err != nil {
		return datasets.NoDate, flagErrorf("--as-of %q: want a date YYYY-MM-DD", r.AsOf)
	}
	return d, nil
}

// files returns the RegistryFiles with parsed column maps.
func (r *registryFlags) files() (datasets.RegistryFiles, error) {
	files := datasets.RegistryFiles{Persons: r.Persons, Exams: r.Exams, Diagnoses: r.Diagnoses, Images: r.Images,
		Programme: r.Programme, Invitations: r.Invitations, Tests: r.Tests, Followups: r.Followups,
		Columns: map[string]datasets.ColumnMap{}}
	for table, spec := range map[string]string{"persons": r.PersonColumns, "exams": r.ExamColumns,
		"diagnoses": r.DiagnosisColumns, "images": r.ImageColumns} {
		m, err := datasets.ParseColumnMap(spec)
		if err != nil {
			return files, &flagError{Err: err}
		}
		files.Columns[table] = m
	}
	return files, nil
}

// load reads the registry with a progress bar per table; checkOnly keeps
// only what the cross-table checks need.
func (r *registryFlags) load(io *ui.Streams, checkOnly bool) (*datasets.Registry, error) {
	files, err := r.files()
	if err != nil {
		return nil, err
	}
	asOf, err := r.asOf()
	if err != nil {
		return nil, err
	}
	bars := newTableProgress(io, map[string]string{"persons": files.Persons, "exams": files.Exams,
		"diagnoses": files.Diagnoses, "images": files.Images, "invitations": files.Invitations,
		"tests": files.Tests, "followups": files.Followups})
	defer bars.finish()
	return datasets.LoadRegistry(files, datasets.LoadOptions{Lenient: r.Lenient, Progress: bars.update, CheckOnly: checkOnly, AsOf: asOf})
}

// tableProgress shows one bar per table file, sized by the file.
type tableProgress struct {
	io    *ui.Streams
	files map[string]string
	cur   string
	size  int64
	bar   *ui.Progress
}

func newTableProgress(io *ui.Streams, files map[string]string) *tableProgress {
	return &tableProgress{io: io, files: files}
}

func (t *tableProgress) update(table string, offset int64) {
	if !t.io.ProgressEnabled() {
		return
	}
	if table != t.cur || t.bar == nil {
		if table == t.cur {
			return // this table's bar has finished
		}
		t.finish()
		t.cur = table
		size := int64(-1)
		if st, err := os.Stat(t.files[table]); err == nil {
			size = st.Size()
		}
		t.bar = t.io.NewProgress(size, "reading "+table, true)
		t.size = size
	}
	t.bar.Set(offset)
	if t.size > 0 && offset >= t.size {
		// The file is read; checking and linking follow before the next
		// table or the result.
		t.bar.FinishThen(t.io, "checking "+table)
		t.bar = nil
	}
}

func (t *tableProgress) finish() {
	if t.bar != nil {
		t.bar.Finish()
		t.bar = nil
	}
}

// noteRejects tells the user where rejected rows went.
func noteRejects(io *ui.Streams, stats []datasets.Stats) {
	for _, s := range stats {
		if s.Rejected > 0 {
			io.Notef("%s: %d of %d rows rejected; see %s", s.File, s.Rejected, s.Read, s.RejectsFile)
		}
	}
}
