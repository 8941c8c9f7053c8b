package datasets

// Column lists of the registry tables as screenlab writes them.
var (
	PersonColumns = []ColumnSpec{{"person_id", KindString}, {"birth_date", KindDate}, {"sex", KindString},
		{"death_date", KindDate}, {"emigration_date", KindDate}, {"region", KindString}}
	ExamColumns = []ColumnSpec{{"exam_id", KindString}, {"person_id", KindString}, {"exam_date", KindDate},
		{"screening_unit", KindString}, {"round", KindInt}, {"density", KindString},
		{"reader1_recall", KindBool}, {"reader2_recall", KindBool}, {"consensus", KindInt},
		{"recall", KindBool}, {"ai_score", KindFloat}}
	ImageColumns     = []ColumnSpec{{"exam_id", KindString}, {"laterality", KindString}, {"view", KindString}, {"path", KindString}}
	DiagnosisColumns = []ColumnSpec{{"person_id", KindString}, {"diagnosis_date", KindDate}, {"icd10", KindString},
		{"behaviour", KindInt}, {"stage", KindString}, {"hospital", KindString}}
	LifeTableColumns  = []ColumnSpec{{"sex", KindString}, {"year", KindInt}, {"age", KindInt}, {"haz", KindFloat}}
	PopulationColumns = []ColumnSpec{{"sex", KindString}, {"year", KindInt}, {"agegroup", KindString}, {"person_years", KindFloat}}
)

// WritePerson writes a person in the order of PersonColumns.
func (w *TableWriter) WritePerson(p *Person) error {
	w.String(p.ID)
	w.Date(p.BirthDate)
	w.String(string(p.Sex))
	w.Date(p.DeathDate)
	w.Date(p.EmigrationDate)
	w.String(p.Region)
	return w.EndRow()
}

// WriteExamFields writes an exam's fields in the order of ExamColumns
// without ending the row, so that callers can add columns. The AI score is
// written with all its digits.
func (w *TableWriter) WriteExamFields(e *Exam) {
	w.String(e.ID)
	w.String(e.PersonID)
	w.Date(e.Date)
	w.String(e.ScreeningUnit)
	if e.Round > 0 {
		w.Int(e.Round)
	} else {
		w.Null()
	}
	w.String(e.Density)
	w.Bool(e.Reader1Recall)
	w.Bool(e.Reader2Recall)
	if e.Consensus >= 0 {
		w.Int(int(e.Consensus))
	} else {
		w.Null()
	}
	w.Bool(e.Recall)
	w.Float(e.AIScore, -1)
}

// WriteDiagnosis writes a diagnosis in the order of DiagnosisColumns.
func (w *TableWriter) WriteDiagnosis(d *Diagnosis) error {
	w.String(d.PersonID)
	w.Date(d.Date)
	w.String(d.ICD10)
	w.Int(d.Behaviour)
	w.String(d.Stage)
	w.String(d.Hospital)
	return w.EndRow()
}

// WriteImage writes an image row in the order of ImageColumns.
func (w *TableWriter) WriteImage(im *Image) error {
	w.String(im.ExamID)
	w.String(string(im.Laterality))
	w.String(im.View)
	w.String(im.Path)
	return w.EndRow()
}

// WriteLifeTableRow writes a life table row in the order of LifeTableColumns.
func (w *TableWriter) WriteLifeTableRow(r *LifeTableRow) error {
	w.String(string(r.Sex))
	w.Int(r.Year)
	w.Int(r.Age)
	w.Float(r.Haz, -1)
	return w.EndRow()
}

// WritePopulationRow writes a population row in the order of
// PopulationColumns (person-years with 3 decimals).
func (w *TableWriter) WritePopulationRow(r *PopulationRow) error {
	w.String(string(r.Sex))
	w.Int(r.Year)
	w.String(r.AgeGroup)
	w.Float(r.PersonYears, 3)
	return w.EndRow()
}
