package strategy

import (
	"fmt"
	"slices"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation/screening"
)

// ReaderIndicators are the per-reader audit's indicators over the reads
// of ReaderReads: each reader's recall rate (their own flags per 100
// reads), detection rate (screen-detected cancers they flagged per 1000
// reads), PPV of their flags (per 100), and the sensitivity of the exams
// they read (screen-detected among screen-detected and interval cancers,
// per 100, whatever their own flag).
var ReaderIndicators = []screening.Indicator{
	{Name: "recall_rate", Description: "reads the reader flagged for recall", Numerator: "flagged", Denominator: "read", Per: 100},
	{Name: "detection_rate", Description: "screen-detected cancers the reader flagged, per 1000 reads", Numerator: "flagged_cancer", Denominator: "read", Per: 1000},
	{Name: "ppv", Description: "screen-detected cancers among the reader's flags", Numerator: "flagged_cancer", Denominator: "flagged", Per: 100},
	{Name: "sensitivity", Description: "screen-detected among the screen-detected and interval cancers of the exams read", Numerator: "screen_detected", Denominator: "cancer", Per: 100},
}

// ReadersLeft counts the exams the audit leaves out.
type ReadersLeft struct {
	UnknownOutcome int `json:"unknown_outcome"`
	NoReader       int `json:"no_reader_id"` // reads without a reader id
}

// ReaderReads turns linked exams into one row per read: the reader (the
// columns reader1 and reader2 of the exams' extra columns), the unit,
// read (1), whether the reader flagged the exam, and its outcome as 0/1
// columns (screen_detected, interval, cancer, flagged_cancer). Exams of unknown
// or excluded outcome are left out and counted, as are reads without a
// reader id.
func ReaderReads(linked []datasets.LinkedExam, extra []string, reader1, reader2 string) (*datasets.Frame, ReadersLeft, error) {
	var left ReadersLeft
	c1, c2 := slices.Index(extra, reader1), slices.Index(extra, reader2)
	if c1 < 0 || c2 < 0 {
		return nil, left, fmt.Errorf("reader audit: the exams have no %s and %s columns", reader1, reader2)
	}
	b := func(v bool) string {
		if v {
			return "1"
		}
		return "0"
	}
	var rows [][]string
	for i := range linked {
		e := &linked[i]
		if e.Outcome != datasets.ScreenDetected && e.Outcome != datasets.Interval && e.Outcome != datasets.Negative {
			left.UnknownOutcome++
			continue
		}
		sd, ic := e.Outcome == datasets.ScreenDetected, e.Outcome == datasets.Interval
		for k, c := range []int{c1, c2} {
			id := e.Extra[c]
			if id == "" {
				left.NoReader++
				continue
			}
			flag := e.Reader1Recall
			if k == 1 {
				flag = e.Reader2Recall
			}
			rows = append(rows, []string{id, e.ScreeningUnit, "1", b(flag), b(sd), b(ic), b(sd || ic), b(flag && sd)})
		}
	}
	fr, err := datasets.FrameOf("reads", []string{"reader", "screening_unit", "read", "flagged", "screen_detected", "interval", "cancer", "flagged_cancer"}, rows)
	return fr, left, err
}

// Readers audits every reader: ReaderIndicators over ReaderReads, by
// reader, with Wilson intervals, exact binomial funnel limits around the
// programme's value (every read counted, so an exam counts twice), and
// suppression of counts below suppress (primary and complementary, as
// every indicator table). It also returns what it left out.
func Readers(linked []datasets.LinkedExam, extra []string, reader1, reader2 string, opts screening.IndicatorOptions, suppress int) (*screening.IndicatorsResult, ReadersLeft, error) {
	fr, left, err := ReaderReads(linked, extra, reader1, reader2)
	if err != nil {
		return nil, left, err
	}
	if fr.Len() == 0 {
		return nil, left, fmt.Errorf("reader audit: no reads with a reader id and a known outcome")
	}
	res, err := screening.ComputeIndicators(fr, "reader", ReaderIndicators, opts, suppress)
	return res, left, err
}
