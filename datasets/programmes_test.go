package datasets

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// readRows writes text to a file and reads it with schema.
func readRows[T any](t *testing.T, schema *Schema[T], text string, opts ReadOptions) ([]T, Stats, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), schema.Table+".csv")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, _, st, err := ReadAll(path, schema, opts)
	return rows, st, err
}

// wantRowError checks a *RowError's line, column and kind.
func wantRowError(t *testing.T, name string, err error, line, col int, kind error) {
	t.Helper()
	var re *RowError
	if !errors.As(err, &re) || re.Line != line || re.Column != col || !errors.Is(err, kind) {
		t.Errorf("%s: %v, want %v at line %d column %d", name, err, kind, line, col)
	}
}

func TestCervicalTables(t *testing.T) {
	const head = "person_id,test_date,test,hpv,cytology,sample,laboratory\n"
	rows, _, err := readRows(t, CervicalTestSchema, head+
		"P1,2024-03-01,hpv,16,,self,Lab A\n"+
		"P1,2024-03-20,cytology,,ASC-US,clinician,Lab A\n"+
		"P2,2024-04-02,hpv,negative,,clinician,\n", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].HPV != "16" || rows[0].Sample != "self" || rows[1].Cytology != "ASC-US" || rows[2].HPV != "negative" {
		t.Errorf("rows %+v", rows)
	}
	for _, c := range []struct {
		name, row string
		col       int
		kind      error
	}{
		{"unknown genotype", "P1,2024-03-01,hpv,17,,self,Lab A", 4, ErrBadCode},
		{"unknown Bethesda code", "P1,2024-03-01,cytology,,ASCUS,self,Lab A", 5, ErrBadCode},
		{"HPV test without its result", "P1,2024-03-01,hpv,,,self,Lab A", 4, ErrRequired},
		{"HPV result on a cytology row", "P1,2024-03-01,cytology,18,NILM,self,Lab A", 4, ErrBadCode},
		{"unknown test", "P1,2024-03-01,pap,,NILM,self,Lab A", 3, ErrBadCode},
		{"unknown sample type", "P1,2024-03-01,hpv,18,,home,Lab A", 6, ErrBadCode},
		{"a date that is not one", "P1,2024-13-01,hpv,18,,self,Lab A", 2, ErrBadDate},
	} {
		_, _, err := readRows(t, CervicalTestSchema, head+"P9,2024-01-01,hpv,negative,,self,L\n"+c.row+"\n", ReadOptions{})
		wantRowError(t, c.name, err, 3, c.col, c.kind)
	}
	fu, _, err := readRows(t, CervicalFollowupSchema, "person_id,colposcopy_date,histology\nP1,2024-05-01,CIN3\nP2,2024-05-02,\n", ReadOptions{})
	if err != nil || len(fu) != 2 || fu[0].Histology != "CIN3" || fu[1].Histology != "" {
		t.Errorf("follow-ups %+v %v", fu, err)
	}
	_, _, err = readRows(t, CervicalFollowupSchema, "person_id,colposcopy_date,histology\nP1,2024-05-01,CIN 3\n", ReadOptions{})
	wantRowError(t, "unknown histology", err, 2, 3, ErrBadCode)
}

func TestBowelTables(t *testing.T) {
	const head = "person_id,test_date,fhb,inadequate\n"
	rows, _, err := readRows(t, FITTestSchema, head+"P1,2024-02-01,12.5,0\nP2,2024-02-03,,1\nP3,2024-02-04,0,\n", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].FHb != 12.5 || !rows[1].Inadequate || !math.IsNaN(rows[1].FHb) || rows[2].FHb != 0 {
		t.Errorf("rows %+v", rows)
	}
	for _, c := range []struct {
		name, row string
		col       int
		kind      error
	}{
		{"negative f-Hb", "P1,2024-02-01,-3,0", 3, ErrOutOfRange},
		{"f-Hb not a number", "P1,2024-02-01,high,0", 3, ErrBadNumber},
		{"no f-Hb on an adequate sample", "P1,2024-02-01,,0", 3, ErrRequired},
	} {
		_, _, err := readRows(t, FITTestSchema, head+"P9,2024-01-01,1,0\n"+c.row+"\n", ReadOptions{})
		wantRowError(t, c.name, err, 3, c.col, c.kind)
	}
	const chead = "person_id,colonoscopy_date,caecum,preparation_adequate,finding,polyps_removed\n"
	co, _, err := readRows(t, ColonoscopySchema, chead+"P1,2024-03-01,1,1,advanced-adenoma,2\nP2,2024-03-02,0,1,none,\n", ReadOptions{})
	if err != nil || len(co) != 2 || co[0].Finding != "advanced-adenoma" || co[0].PolypsRemoved != 2 || co[1].Caecum {
		t.Errorf("colonoscopies %+v %v", co, err)
	}
	_, _, err = readRows(t, ColonoscopySchema, chead+"P1,2024-03-01,1,1,polyp,2\n", ReadOptions{})
	wantRowError(t, "unknown finding", err, 2, 5, ErrBadCode)
	_, _, err = readRows(t, ColonoscopySchema, chead+"P1,2024-03-01,1,1,none,-1\n", ReadOptions{})
	wantRowError(t, "negative polyp count", err, 2, 6, ErrOutOfRange)
	// --lenient: the bad rows go to the rejects file, the good ones are kept.
	fit, st, err := readRows(t, FITTestSchema, head+"P1,2024-02-01,12.5,0\nP2,2024-02-01,-1,0\nP3,2024-02-01,x,0\nP4,2024-02-01,80,0\n", ReadOptions{Lenient: true})
	if err != nil || len(fit) != 2 || st.Rejected != 2 || st.Accepted != 2 {
		t.Errorf("lenient: %d rows, %+v, %v", len(fit), st, err)
	}
	inv, _, err := readRows(t, InvitationSchema, "person_id,invitation_date,round,reminder\nP1,2024-01-10,1,0\nP1,2024-03-10,1,1\n", ReadOptions{})
	if err != nil || len(inv) != 2 || !inv[1].Reminder || inv[0].Round != 1 {
		t.Errorf("invitations %+v %v", inv, err)
	}
}
