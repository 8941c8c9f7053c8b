package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The headers of small registry tables written by tests.
const (
	personsHeader   = "person_id,birth_date,sex,death_date,emigration_date,region\n"
	examsHeader     = "exam_id,person_id,exam_date,screening_unit,round,density,reader1_recall,reader2_recall,consensus,recall,ai_score\n"
	diagnosesHeader = "person_id,diagnosis_date,icd10,behaviour,stage,hospital\n"
)

// writeTo writes a test input and returns its path.
func writeTo(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The leak: an exam of a person the registry does not list. The message
// says where (file, line, column) without the person's number, in validate
// and link alike; --show-rows shows it when the user asks.
func TestMessagesWithholdIdentifiers(t *testing.T) {
	dir := t.TempDir()
	const secret = "19570312-4411"
	persons := writeTo(t, dir, "persons.csv", personsHeader+"P1,1950-01-01,F,,,mid\n")
	exams := writeTo(t, dir, "exams.csv", examsHeader+"E1,P1,2018-05-01,SU01,1,b,0,0,,0,0.1\nE2,"+secret+",2019-05-01,SU01,1,b,0,0,,0,0.2\n")
	dx := writeTo(t, dir, "diagnoses.csv", diagnosesHeader+"P1,2020-02-01,C50.4,3,I,H1\n")
	for _, args := range []string{
		"validate --persons " + persons + " --exams " + exams + " --diagnoses " + dx,
		"link --persons " + persons + " --exams " + exams + " --diagnoses " + dx + " --out " + filepath.Join(dir, "l.csv"),
	} {
		code, out, errOut := runCLI(t, args)
		if code == 0 || strings.Contains(errOut+out, secret) || !strings.Contains(errOut, "exams.csv:3:2: person_id") {
			t.Errorf("%s: exit %d, the message %q", strings.Fields(args)[0], code, errOut)
		}
		code, _, errOut = runCLI(t, args+" --show-rows")
		if code == 0 || !strings.Contains(errOut, secret) {
			t.Errorf("%s --show-rows: exit %d, %q", strings.Fields(args)[0], code, errOut)
		}
	}
	// The next run without the flag withholds again.
	if _, _, errOut := runCLI(t, "validate --persons "+persons+" --exams "+exams); strings.Contains(errOut, secret) {
		t.Errorf("--show-rows outlived its run: %q", errOut)
	}
}
