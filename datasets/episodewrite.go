package datasets

import (
	"bytes"
	"math"
	"strconv"
)

// CompletedYears is the age in whole years on d of a person born on
// birth (a birthday on d counts; 29 February birthdays fall on 1 March).
func CompletedYears(birth, d Date) int {
	by, bm, bd := birth.Civil()
	y, m, dd := d.Civil()
	age := y - by
	if m < bm || m == bm && dd < bd {
		age--
	}
	return age
}

// AgeGroup is the 5-year band of an age: "25-29", ... ("" for NaN).
func AgeGroup(age float64) string {
	if math.IsNaN(age) || age < 0 {
		return ""
	}
	lo := 5 * int(age/5)
	return strconv.Itoa(lo) + "-" + strconv.Itoa(lo+4)
}

// CervicalEpisodeColumns are the columns of a linked cervical episodes
// table. Flags are 0/1 so that indicators can sum them (hpv_positive and
// the genotype flags are 0 on cytology-primary episodes: select
// primary=hpv).
var CervicalEpisodeColumns = []ColumnSpec{{"person_id", KindString}, {"episode_date", KindDate},
	{"age", KindFloat}, {"age_group", KindString}, {"region", KindString}, {"round", KindInt},
	{"invited", KindBool}, {"primary", KindString}, {"sample", KindString}, {"laboratory", KindString},
	{"hpv", KindString}, {"hpv_positive", KindBool}, {"hpv16", KindBool}, {"hpv18", KindBool},
	{"hpv_hr5", KindBool}, {"hpv_hr7", KindBool}, {"cytology", KindString}, {"triage_done", KindBool},
	{"triage_abnormal", KindBool}, {"action", KindString}, {"direct_referral", KindBool},
	{"repeat_due", KindBool}, {"repeat_done", KindBool}, {"repeat_date", KindDate},
	{"referred", KindBool}, {"referral_date", KindDate}, {"colposcopy", KindBool},
	{"colposcopy_date", KindDate}, {"histology", KindString}, {"cin2plus", KindBool},
	{"cin3plus", KindBool}, {"negative", KindBool}, {"screen_detected", KindBool},
	{"interval_cancer", KindBool}, {"cancer_date", KindDate}, {"outcome", KindString},
	{"cin3_days", KindInt}, {"cin3_event", KindBool}}

// WriteCervicalEpisodes writes episodes in the order of
// CervicalEpisodeColumns.
func WriteCervicalEpisodes(w *TableWriter, eps []CervicalEpisode) error {
	for i := range eps {
		e := &eps[i]
		w.String(e.PersonID)
		w.Date(e.Date)
		w.Float(e.Age, 2)
		w.String(ageGroupOf(e.Age, e.AgeYears))
		w.String(e.Region)
		intOrNull(w, e.Round)
		w.Bool(e.Invited)
		w.String(e.Primary)
		w.String(e.Sample)
		w.String(e.Laboratory)
		w.String(e.HPV)
		if e.Primary == "hpv" {
			w.Bool(e.HPV != "negative")
			for _, g := range HPVGroups[:4] {
				w.Bool(e.HPV == g)
			}
		} else {
			for range 5 {
				w.Bool(false)
			}
		}
		w.String(e.Cytology)
		w.Bool(e.TriageDone)
		w.Bool(e.TriageDone && e.Cytology != "NILM")
		w.String(e.Action)
		w.Bool(e.DirectReferral)
		w.Bool(e.RepeatDue)
		w.Bool(e.RepeatDone)
		w.Date(orNoDate(e.RepeatDone, e.RepeatDate))
		w.Bool(e.Referred)
		w.Date(orNoDate(e.Referred, e.ReferralDate))
		w.Bool(e.Colposcopy)
		w.Date(orNoDate(e.Colposcopy, e.ColposcopyDate))
		w.String(e.Histology)
		w.Bool(CIN2Plus(e.Histology))
		w.Bool(CIN3Plus(e.Histology))
		w.Bool(e.Outcome == "negative" || e.Outcome == "negative-after-repeat")
		w.Bool(e.Cancer == "screen-detected")
		w.Bool(e.Cancer == "interval")
		w.Date(orNoDate(e.Cancer != "", e.CancerDate))
		w.String(e.Outcome)
		w.Int(e.CIN3Days)
		w.Bool(e.CIN3Event)
		if err := w.EndRow(); err != nil {
			return err
		}
	}
	return nil
}

// BowelEpisodeColumns are the columns of a linked bowel episodes table.
// Without a colonoscopy its date, wait and finding are empty and its flags 0.
var BowelEpisodeColumns = []ColumnSpec{{"person_id", KindString}, {"episode_date", KindDate},
	{"age", KindFloat}, {"age_group", KindString}, {"sex", KindString}, {"region", KindString},
	{"round", KindInt}, {"invited", KindBool}, {"inadequate", KindBool}, {"result", KindBool},
	{"fhb", KindFloat}, {"positive", KindBool}, {"colonoscopy", KindBool}, {"colonoscopy_date", KindDate},
	{"wait_days", KindInt}, {"within_4_weeks", KindBool}, {"caecum", KindBool},
	{"preparation_adequate", KindBool}, {"finding", KindString}, {"adenoma", KindBool},
	{"advanced_adenoma", KindBool}, {"cancer_found", KindBool}, {"advanced_neoplasia", KindBool},
	{"polyps", KindInt}, {"any_polyp", KindBool}, {"negative", KindBool}, {"screen_detected", KindBool}, {"interval_cancer", KindBool},
	{"cancer_date", KindDate}, {"stage", KindString}, {"crc_2y", KindBool}, {"outcome", KindString}}

// WriteBowelEpisodes writes episodes in the order of BowelEpisodeColumns.
func WriteBowelEpisodes(w *TableWriter, eps []BowelEpisode) error {
	for i := range eps {
		e := &eps[i]
		w.String(e.PersonID)
		w.Date(e.Date)
		w.Float(e.Age, 2)
		w.String(ageGroupOf(e.Age, e.AgeYears))
		w.String(e.Sex)
		w.String(e.Region)
		intOrNull(w, e.Round)
		w.Bool(e.Invited)
		w.Bool(e.Inadequate)
		w.Bool(e.Result)
		if e.Result {
			w.Float(e.FHb, -1)
		} else {
			w.Null()
		}
		w.Bool(e.Positive)
		w.Bool(e.Colonoscopy)
		if e.Colonoscopy {
			w.Date(e.ColonoscopyDate)
			w.Int(e.WaitDays)
			w.Bool(e.WaitDays <= 28)
			w.Bool(e.Caecum)
			w.Bool(e.PreparationAdequate)
			w.String(e.Finding)
			w.Bool(e.Finding != "none")
			w.Bool(e.Finding == "advanced-adenoma")
			w.Bool(e.Finding == "cancer")
			w.Bool(e.Finding == "advanced-adenoma" || e.Finding == "cancer")
			w.Int(e.Polyps)
			w.Bool(e.Polyps > 0)
		} else {
			w.Null() // date
			w.Null() // wait
			for range 3 {
				w.Bool(false)
			}
			w.Null() // finding
			for range 4 {
				w.Bool(false)
			}
			w.Int(0)
			w.Bool(false)
		}
		w.Bool(e.Outcome == "negative")
		w.Bool(e.Cancer == "screen-detected")
		w.Bool(e.Cancer == "interval")
		w.Date(orNoDate(e.Cancer != "", e.CancerDate))
		w.String(e.Stage)
		w.Bool(e.CRC2Years)
		w.String(e.Outcome)
		if err := w.EndRow(); err != nil {
			return err
		}
	}
	return nil
}

// ageGroupOf is the band of completed years ("" when the age is unknown).
func ageGroupOf(age float64, years int) string {
	if math.IsNaN(age) {
		return ""
	}
	return AgeGroup(float64(years))
}

func intOrNull(w *TableWriter, n int) {
	if n > 0 {
		w.Int(n)
	} else {
		w.Null()
	}
}

func orNoDate(ok bool, d Date) Date {
	if ok {
		return d
	}
	return NoDate
}

// EpisodeFrame writes rows with write into memory and reads them back as a
// frame (the table a file would hold), as if read from a file called name.
func EpisodeFrame(name string, cols []ColumnSpec, write func(*TableWriter) error) (*Frame, error) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf, cols)
	if err := write(w); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return ReadFrameFrom(&buf, name)
}
