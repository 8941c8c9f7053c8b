package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// The attack: one mistyped year (2099) in a registry table. validate names
// it; link refuses it rather than stretch every woman's follow-up to 2099;
// --lenient rejects that row alone, and the end of data stays where the
// data end; --as-of moves the limit on purpose.
func TestFutureDatesRefused(t *testing.T) {
	dir := t.TempDir()
	persons := writeTo(t, dir, "persons.csv", personsHeader+"P1,1950-01-01,F,,,mid\nP2,1952-03-01,F,,,mid\n")
	exams := writeTo(t, dir, "exams.csv", examsHeader+"E1,P1,2018-05-01,SU01,1,b,0,0,,0,0.1\nE2,P2,2099-05-01,SU01,1,b,0,0,,0,0.2\nE3,P2,2019-06-01,SU01,2,b,0,0,,0,0.3\n")
	dx := writeTo(t, dir, "diagnoses.csv", diagnosesHeader+"P1,2020-02-01,C50.4,3,I,H1\n")
	code, _, errOut := runCLI(t, "validate --persons "+persons+" --exams "+exams+" --diagnoses "+dx)
	if code == 0 || !strings.Contains(errOut, "exams.csv:3:3: exam_date \"2099-05-01\": want a date not after") {
		t.Errorf("validate: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "link --persons "+persons+" --exams "+exams+" --diagnoses "+dx+" --out "+filepath.Join(dir, "l.csv"))
	if code == 0 || !strings.Contains(errOut, "2099-05-01") {
		t.Errorf("link: exit %d, %q", code, errOut)
	}
	code, out, errOut := runCLI(t, "link --lenient --format json --persons "+persons+" --exams "+exams+" --diagnoses "+dx+" --out "+filepath.Join(dir, "l.csv"))
	var sum struct {
		Exams     int    `json:"exams"`
		EndOfData string `json:"end_of_data"`
	}
	if err := json.Unmarshal([]byte(out), &sum); code != 0 || err != nil || sum.Exams != 2 || sum.EndOfData != "2020-02-01" {
		t.Errorf("link --lenient: exit %d, %+v (%v), %s", code, sum, err, errOut)
	}
	code, out, errOut = runCLI(t, "link --as-of 2100-01-01 --format json --persons "+persons+" --exams "+exams+" --diagnoses "+dx+" --out "+filepath.Join(dir, "l2.csv"))
	if err := json.Unmarshal([]byte(out), &sum); code != 0 || err != nil || sum.Exams != 3 || sum.EndOfData != "2099-05-01" {
		t.Errorf("link --as-of 2100-01-01: exit %d, %+v (%v), %s", code, sum, err, errOut)
	}
	if code, _, errOut := runCLI(t, "validate --as-of 2024-13-01 --exams "+exams); code != 2 || !strings.Contains(errOut, "--as-of") {
		t.Errorf("a bad --as-of: exit %d %q", code, errOut)
	}
}
