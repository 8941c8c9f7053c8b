package datasets

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadProgramme reads a programme's tables from a folder.
func loadProgramme(t *testing.T, dir, programme string, lenient bool) (*Registry, error) {
	t.Helper()
	p := func(name string) string { return filepath.Join(dir, name+".csv") }
	return LoadRegistry(RegistryFiles{Persons: p("persons"), Diagnoses: p("diagnoses"), Programme: programme,
		Invitations: p("invitations"), Tests: p("tests"), Followups: p("followups")}, LoadOptions{Lenient: lenient})
}

// TestProgrammeEpisodesHandCounted links the hand-made registries of
// testdata/programmes (a woman with HPV16 → CIN3, a repeat test that never
// happened, a FIT-negative interval cancer, …) and compares every episode
// with expected_episodes.csv, worked out by hand from the algorithm.
func TestProgrammeEpisodesHandCounted(t *testing.T) {
	for _, programme := range []string{"cervical", "bowel"} {
		dir := filepath.Join("testdata", "programmes", programme)
		reg, err := loadProgramme(t, dir, programme, false)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := LinkProgramme(reg, programme, nil, BowelLinkOptions{ProgrammeLinkOptions: ProgrammeLinkOptions{EndOfData: DateOf(2024, 12, 31)}})
		if err != nil {
			t.Fatal(err)
		}
		got, _, err := pl.Frames()
		if err != nil {
			t.Fatal(err)
		}
		want, err := ReadFrame(filepath.Join(dir, "expected_episodes.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if got.Len() != want.Len() {
			t.Fatalf("%s: %d episodes, want %d", programme, got.Len(), want.Len())
		}
		for _, col := range want.Header {
			wcol := col
			if col == "cancer" {
				continue // checked below through the flags
			}
			g, err := got.Strings(col)
			if err != nil {
				t.Fatal(err)
			}
			w, _ := want.Strings(wcol)
			for i := range w {
				if g[i] != w[i] {
					t.Errorf("%s episode %d (line %d of expected_episodes.csv), %s: got %q, want %q", programme, i+1, want.Line(i), col, g[i], w[i])
				}
			}
		}
		cancer, _ := want.Strings("cancer")
		sd, _ := got.Strings("screen_detected")
		ic, _ := got.Strings("interval_cancer")
		for i, c := range cancer {
			if (sd[i] == "1") != (c == "screen-detected") || (ic[i] == "1") != (c == "interval") {
				t.Errorf("%s episode %d: screen_detected %s, interval_cancer %s, want %q", programme, i+1, sd[i], ic[i], c)
			}
		}
	}
}

// TestProgrammeEpisodesIgnoreRowOrder: the episodes do not depend on the
// order of the tables' rows.
func TestProgrammeEpisodesIgnoreRowOrder(t *testing.T) {
	for _, programme := range []string{"cervical", "bowel"} {
		dir := filepath.Join("testdata", "programmes", programme)
		shuffled := t.TempDir()
		for _, name := range []string{"persons", "invitations", "tests", "followups", "diagnoses"} {
			raw, err := os.ReadFile(filepath.Join(dir, name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
			body := lines[1:]
			for i, j := 0, len(body)-1; i < j; i, j = i+1, j-1 {
				body[i], body[j] = body[j], body[i]
			}
			out := strings.Join(append(lines[:1], body...), "\n") + "\n"
			if err := os.WriteFile(filepath.Join(shuffled, name+".csv"), []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		var outs [2][]byte
		for k, d := range []string{dir, shuffled} {
			reg, err := loadProgramme(t, d, programme, false)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := LinkProgramme(reg, programme, nil, BowelLinkOptions{})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "episodes.csv")
			if err := pl.Write(path, ""); err != nil {
				t.Fatal(err)
			}
			outs[k], _ = os.ReadFile(path)
		}
		if !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("%s: episodes differ when the rows are reversed", programme)
		}
	}
}

// TestFollowupBeforeTest: a colposcopy or colonoscopy dated before the
// person's first test is an error at its date's line and column, or a
// reject with --lenient; one of a person with no test at all too.
func TestFollowupBeforeTest(t *testing.T) {
	for _, c := range []struct {
		programme, row string
	}{
		{"cervical", "P01,2019-01-01,CIN2"},
		{"cervical", "P09,2021-06-01,normal"},
		{"bowel", "B2,2019-01-01,1,1,none,0"},
	} {
		dir := t.TempDir()
		src := filepath.Join("testdata", "programmes", c.programme)
		for _, name := range []string{"persons", "invitations", "tests", "followups", "diagnoses"} {
			raw, err := os.ReadFile(filepath.Join(src, name+".csv"))
			if err != nil {
				t.Fatal(err)
			}
			if name == "followups" {
				raw = append(raw, c.row+"\n"...)
			}
			if err := os.WriteFile(filepath.Join(dir, name+".csv"), raw, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		lines := strings.Count(mustRead(t, filepath.Join(dir, "followups.csv")), "\n")
		_, err := loadProgramme(t, dir, c.programme, false)
		wantRowError(t, c.programme+" "+c.row, err, lines, 2, ErrDateOrder)
		if err != nil && !strings.Contains(err.Error(), "followups.csv") {
			t.Errorf("the error does not name the file: %v", err)
		}
		reg, err := loadProgramme(t, dir, c.programme, true)
		if err != nil {
			t.Fatal(err)
		}
		st := reg.Stats[len(reg.Stats)-1]
		if st.Rejected != 1 || st.Read != st.Accepted+st.Rejected {
			t.Errorf("%s lenient: %+v, want one reject and read = accepted + rejected", c.programme, st)
		}
		if rej := mustRead(t, filepath.Join(dir, "followups.csv.rejects.csv")); !strings.Contains(rej, "first test") && !strings.Contains(rej, "has none") {
			t.Errorf("rejects file does not say why: %s", rej)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
