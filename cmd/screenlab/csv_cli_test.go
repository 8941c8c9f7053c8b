package main

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// readCSVText parses CSV text into a header and rows.
func readCSVText(t *testing.T, text string) ([]string, [][]string) {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("not CSV (%v): %.300s", err, text)
	}
	return rows[0], rows[1:]
}

// sameTable checks that got has every column of want (R's write.csv of
// summary(survfit)) with the same values, numbers to 1e-9 relative.
func sameTable(t *testing.T, what string, gotText, wantPath string) {
	t.Helper()
	raw, err := os.ReadFile(wantPath)
	if err != nil {
		t.Fatal(err)
	}
	gh, got := readCSVText(t, gotText)
	wh, want := readCSVText(t, string(raw))
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, R has %d", what, len(got), len(want))
	}
	pos := map[string]int{}
	for i, h := range gh {
		pos[h] = i
	}
	for c, name := range wh {
		g, ok := pos[name]
		if !ok {
			t.Errorf("%s: no column %q (columns %v)", what, name, gh)
			continue
		}
		for r := range want {
			a, b := got[r][g], want[r][c]
			x, errA := strconv.ParseFloat(a, 64)
			y, errB := strconv.ParseFloat(b, 64)
			if errA == nil && errB == nil {
				if math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(y)) {
					t.Errorf("%s row %d %s: %s, R %s", what, r+1, name, a, b)
				}
			} else if a != b {
				t.Errorf("%s row %d %s: %q, R %q", what, r+1, name, a, b)
			}
		}
	}
}

// The CSV of survival km is the curve, one row per group and time, the
// group column named after --group, read by R's read.csv as the numbers of
// summary(survfit) (testdata/make_km_csv.R); --table groups.at is the
// values at --times with n_event and n_censor since the time before.
func TestKMCSVMatchesR(t *testing.T) {
	args := "survival km --data testdata/contract/in/lung.csv --time time --event status --group sex --times 180,365 --format csv"
	code, out, errOut := runCLI(t, args)
	if code != 0 {
		t.Fatal(errOut)
	}
	sameTable(t, "curve", out, "testdata/km_lung_curve_R.csv")
	code, out, errOut = runCLI(t, args+" --table groups.at")
	if code != 0 {
		t.Fatal(errOut)
	}
	sameTable(t, "at", out, "testdata/km_lung_at_R.csv")
	if code, _, errOut := runCLI(t, args+" --table nothing"); code != 2 || !strings.Contains(errOut, "groups.at") {
		t.Errorf("an unknown table: exit %d %q", code, errOut)
	}
}
