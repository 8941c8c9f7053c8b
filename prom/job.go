package prom

import (
	"fmt"
	"math"
	"slices"

	"github.com/screenlab/screenlab/datasets"
)

// ScoreJob is a whole scoring run over files, as `screenlab prom score`
// does it.
type ScoreJob struct {
	Instrument string // qlq-c30 or epic-26
	Data       string // answers, one row per questionnaire
	ScoreOptions
	Out   string // each respondent's scores and flags
	Flags []Flag // 0/1 outcome columns for PROM indicators
	// Eligible, a table with the ID column, adds the response rate.
	Eligible string
	// Baseline, questionnaires with the same columns, adds the change per
	// score against MID (default 10).
	Baseline string
	MID      float64
	// Norms (a norms table) with the Sex and Age columns of Data compares
	// each score with the norms of the respondent's sex and age.
	Norms    string
	Sex, Age string
	Level    float64
}

// Run scores the questionnaires, writes each respondent's scores to Out
// and summarises them, with response rate, change from baseline and norms
// when asked.
func (j ScoreJob) Run() (*Scored, error) {
	in, err := Lookup(j.Instrument)
	if err != nil {
		return nil, err
	}
	if j.Data == "" || j.ID == "" || j.Out == "" {
		return nil, fmt.Errorf("prom score: data, id and out are required")
	}
	if (j.Norms != "") != (j.Sex != "" && j.Age != "") {
		return nil, fmt.Errorf("prom score: norms need the sex and age columns, and sex and age a norms table")
	}
	for _, f := range j.Flags {
		if in.Index(f.Score) < 0 {
			return nil, fmt.Errorf("flag %s: %s has no score %q", f.Name, in.Name, f.Score)
		}
	}
	opts := j.ScoreOptions
	if j.Norms != "" {
		for _, c := range []string{j.Sex, j.Age} {
			if !slices.Contains(opts.Keep, c) {
				opts.Keep = append(opts.Keep, c)
			}
		}
	}
	fr, err := datasets.ReadFrame(j.Data)
	if err != nil {
		return nil, err
	}
	rows, err := in.ScoreFrame(fr, opts)
	if err != nil {
		return nil, err
	}
	var ages []float64
	if j.Norms != "" { // checked before anything is written
		if ages, err = fr.Floats(j.Age, true); err != nil {
			return nil, err
		}
	}
	if err := in.Write(j.Out, opts, rows, j.Flags); err != nil {
		return nil, err
	}
	res := in.Summarise(rows)
	res.Output = j.Out
	if j.Eligible != "" {
		ef, err := datasets.ReadFrame(j.Eligible)
		if err != nil {
			return nil, err
		}
		ids, err := ef.Strings(j.ID)
		if err != nil {
			return nil, err
		}
		res.Answered, res.Eligible = ResponseRate(ids, rows)
		if res.Eligible > 0 {
			res.ResponseRate = float64(res.Answered) / float64(res.Eligible)
		}
	}
	mid := j.MID
	if mid <= 0 {
		mid = 10
	}
	if j.Baseline != "" {
		bf, err := datasets.ReadFrame(j.Baseline)
		if err != nil {
			return nil, err
		}
		base, err := in.ScoreFrame(bf, ScoreOptions{ID: j.ID, Prefix: j.Prefix})
		if err != nil {
			return nil, err
		}
		res.MID = mid
		res.Change = in.ChangeFromBaseline(base, rows, mid)
	}
	if j.Norms != "" {
		norms, err := ReadNorms(j.Norms, in)
		if err != nil {
			return nil, err
		}
		res.MID = mid
		res.Norms = CompareNorms(in, rows, column(opts.Keep, j.Sex, rows), ages, norms, j.Level, mid)
		res.NormsSource = j.Norms
	}
	return res, nil
}

// column is a kept column's values.
func column(keep []string, name string, rows []Row) []string {
	k := slices.Index(keep, name)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Kept[k]
	}
	return out
}

// NormsJob builds a norms table from a general-population reference
// sample, as `screenlab prom norms` does.
type NormsJob struct {
	Instrument string
	Data       string
	ScoreOptions
	Sex, Age string
	Bands    []int // lower ages of the bands (default 18, 30, 40, 50, 60, 70)
	Out      string
}

// NormsMade is what a NormsJob wrote.
type NormsMade struct {
	Instrument  string    `json:"instrument"`
	Respondents int       `json:"respondents"`
	LeftOut     int       `json:"left_out"` // no sex, no age, or younger than the first band
	Rows        []NormRow `json:"rows"`
	Output      string    `json:"output"`
}

// MainTable is the table CSV output writes.
func (*NormsMade) MainTable() string { return "rows" }

// Run scores the sample and writes the norms table.
func (j NormsJob) Run() (*NormsMade, error) {
	in, err := Lookup(j.Instrument)
	if err != nil {
		return nil, err
	}
	if j.Data == "" || j.ID == "" || j.Sex == "" || j.Age == "" || j.Out == "" {
		return nil, fmt.Errorf("prom norms: data, id, sex, age and out are required")
	}
	if len(j.Bands) == 0 {
		j.Bands = []int{18, 30, 40, 50, 60, 70}
	}
	fr, err := datasets.ReadFrame(j.Data)
	if err != nil {
		return nil, err
	}
	opts := j.ScoreOptions
	opts.Keep = []string{j.Sex}
	rows, err := in.ScoreFrame(fr, opts)
	if err != nil {
		return nil, err
	}
	age, err := fr.Floats(j.Age, true)
	if err != nil {
		return nil, err
	}
	for i, a := range age {
		if !math.IsNaN(a) && (a < 0 || a > 120) {
			return nil, fr.Fail(j.Age, i, datasets.ErrOutOfRange, "an age 0 to 120")
		}
	}
	norms, left, err := BuildNorms(in, rows, column(opts.Keep, j.Sex, rows), age, j.Bands)
	if err != nil {
		return nil, err
	}
	if err := WriteNorms(j.Out, norms); err != nil {
		return nil, err
	}
	return &NormsMade{Instrument: in.Name, Respondents: len(rows), LeftOut: left, Rows: norms, Output: j.Out}, nil
}
