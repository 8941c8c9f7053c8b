package export

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/datasets/synth"
)

// registry is a small childhood registry written for an attack: five
// children born 2015 in Oslo with leukaemia, three born 2012 in Bergen
// with a CNS tumour, three born 2015 with leukaemia each alone in their
// municipality, and child 9 the only one born 2010 in the small
// municipality 1856 with a retinoblastoma: a unique (birth year,
// municipality, diagnosis). Child 5 is reserved and has a treatment that
// reaches them only through their diagnosis.
const (
	persons = `person_id,name,address,phone,birth_date,sex,municipality
11111111111,Ada A,Storgata 1,40000001,2015-03-01,F,0301
22222222222,Bo B,Storgata 2,40000002,2015-05-01,M,0301
33333333333,Cy C,Storgata 3,40000003,2015-07-01,F,0301
44444444444,Di D,Storgata 4,40000004,2015-09-01,M,0301
55555555555,Ed E,Storgata 5,40000005,2015-10-01,M,0301
66666666666,Fi F,Fjordgata 6,40000006,2012-01-01,F,4601
77777777777,Gu G,Fjordgata 7,40000007,2012-02-01,M,4601
88888888888,Ha H,Fjordgata 8,40000008,2012-03-01,F,4601
99999999999,Io I,Roest 9,40000009,2010-06-01,F,1856
10101010101,Jo J,Bakken 10,40000010,2015-04-01,M,4601
12121212121,Ka K,Bakken 12,40000012,2015-06-01,F,3005
13131313131,Li L,Bakken 13,40000013,2015-08-01,M,1103
`
	diagnoses = `diagnosis_id,person_id,diagnosis_date,iccc
D1,11111111111,2020-01-10,I
D2,22222222222,2020-02-10,I
D3,33333333333,2020-03-10,I
D4,44444444444,2020-04-10,I
D5,55555555555,2020-05-10,I
D6,66666666666,2021-01-10,III
D7,77777777777,2021-02-10,III
D8,88888888888,2021-03-10,III
D9,99999999999,2021-04-10,V
D0,99999999999,2017-04-10,V
D10,10101010101,2020-06-10,I
D11,12121212121,2020-07-10,I
D12,13131313131,2020-08-10,I
`
	treatments = `diagnosis_id,protocol,start_date
D1,ALL,2020-01-15
D5,ALL,2020-05-20
D6,CNS,2021-01-20
DX,ALL,2021-01-20
`
	protocol = `{
  "project": "test",
  "k": 3,
  "cohort": {"table": "diagnoses", "date": "diagnosis_date", "from": "2019-01-01"},
  "tables": [
    {"name": "persons", "file": "persons.csv", "person": "person_id",
     "variables": [{"name": "person_id", "as": "pseudonym"}, {"name": "birth_date", "as": "year", "output": "birth_year"},
                   {"name": "sex"}, {"name": "municipality"}]},
    {"name": "diagnoses", "file": "diagnoses.csv", "person": "person_id",
     "variables": [{"name": "person_id", "as": "pseudonym"}, {"name": "diagnosis_id", "as": "pseudonym"},
                   {"name": "diagnosis_date", "as": "year-month"},
                   {"name": "diagnosis_date", "as": "age", "birth": "persons.birth_date", "output": "age"},
                   {"name": "iccc"}]},
    {"name": "treatments", "file": "treatments.csv", "via": {"column": "diagnosis_id", "table": "diagnoses"},
     "variables": [{"name": "diagnosis_id", "as": "pseudonym"}, {"name": "protocol"},
                   {"name": "start_date", "as": "days-since", "since": "diagnoses.diagnosis_date", "output": "days"}]}
  ],
  "quasi_identifiers": ["diagnoses.iccc", "persons.birth_year", "persons.municipality"]
}`
)

var testKey = []byte("project key of at least sixteen bytes")

func writeRegistry(t *testing.T, files map[string]string) (dir, key string) {
	t.Helper()
	dir = t.TempDir()
	all := map[string]string{"persons.csv": persons, "diagnoses.csv": diagnoses, "treatments.csv": treatments,
		"protocol.json": protocol, "reservations.csv": "person_id,reserved_date\n55555555555,2022-06-01\n"}
	for k, v := range files {
		all[k] = v
	}
	for name, body := range all {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	key = filepath.Join(dir, "project.key")
	if err := os.WriteFile(key, testKey, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, key
}

func job(dir, key, out string) Job {
	return Job{Protocol: filepath.Join(dir, "protocol.json"), Reservations: filepath.Join(dir, "reservations.csv"),
		KeyFile: key, Out: out, AsOf: datasets.DateOf(2023, 1, 1)}
}

func readCSV(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i, l := range lines {
		f := strings.Split(l, ",")
		if i == 0 {
			header = f
		} else {
			rows = append(rows, f)
		}
	}
	return header, rows
}

// TestReservedOnlyThroughAJoin: child 5 is reserved; their treatment row
// holds no person id, only the diagnosis id. Neither their person, their
// diagnosis nor their treatment is exported; the manifest counts them.
func TestReservedOnlyThroughAJoin(t *testing.T) {
	dir, key := writeRegistry(t, nil)
	out := filepath.Join(t.TempDir(), "delivery")
	m, err := job(dir, key, out).Run()
	if err != nil {
		t.Fatal(err)
	}
	reserved := Pseudonym(testKey, "55555555555")
	reservedDx := pseudonymOf(testKey, "diagnosis_id", "D5")
	for _, f := range []string{"persons.csv", "diagnoses.csv", "treatments.csv", "manifest.json"} {
		b, _ := os.ReadFile(filepath.Join(out, f))
		if bytes.Contains(b, []byte(reserved)) || bytes.Contains(b, []byte(reservedDx)) || bytes.Contains(b, []byte("55555555555")) {
			t.Errorf("%s holds the reserved child", f)
		}
	}
	counts := map[string]TableCount{}
	for _, c := range m.Tables {
		counts[c.Table] = c
		if c.Read != c.Exported+c.Reserved+c.Excluded+c.Suppressed {
			t.Errorf("%s: read %d ≠ %d + %d + %d + %d", c.Table, c.Read, c.Exported, c.Reserved, c.Excluded, c.Suppressed)
		}
	}
	// treatments: D5 reserved, DX links to no diagnosis (excluded), D1, D6 out
	if c := counts["treatments"]; c.Reserved != 1 || c.Excluded != 1 || c.Exported != 2 {
		t.Errorf("treatments %+v", c)
	}
	// diagnoses: D5 reserved, D0 (2017) outside the cohort, D9 withheld
	if c := counts["diagnoses"]; c.Reserved != 1 || c.Excluded != 1 || c.Suppressed != 1 || c.Exported != 10 {
		t.Errorf("diagnoses %+v", c)
	}
	if m.ReservedPersons != 1 || m.Persons != 10 || m.WithheldPersons != 1 {
		t.Errorf("reserved %d, persons %d, withheld %d", m.ReservedPersons, m.Persons, m.WithheldPersons)
	}
	if s := Summarise(m); s.ReservedPersons != "<5" || s.Tables[0].Reserved != "<5" {
		t.Errorf("summary shows a small count: %+v", s)
	}
	// days from the linked diagnosis: D1 2020-01-10 → 2020-01-15 is 5
	_, rows := readCSV(t, filepath.Join(out, "treatments.csv"))
	if rows[0][0] != pseudonymOf(testKey, "diagnosis_id", "D1") || rows[0][2] != "5" {
		t.Errorf("treatment row %v", rows[0])
	}
}

// TestDirectIdentifierInProtocol: a protocol that asks for the name (or
// the national id as it is) is refused, and nothing is written.
func TestDirectIdentifierInProtocol(t *testing.T) {
	for _, v := range []string{`{"name": "name"}`, `{"name": "person_id", "output": "national_id"}`, `{"name": "phone", "as": "year-month"}`} {
		p := strings.Replace(protocol, `{"name": "sex"}`, v, 1)
		dir, key := writeRegistry(t, map[string]string{"protocol.json": p})
		out := filepath.Join(t.TempDir(), "delivery")
		_, err := job(dir, key, out).Run()
		if err == nil || !strings.Contains(err.Error(), "direct identifier") {
			t.Errorf("%s: %v", v, err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: something was written", v)
		}
	}
	// a column of national identity numbers under another name
	p := strings.Replace(protocol, `{"name": "sex"}`, `{"name": "person_id", "output": "child"}`, 1)
	dir, key := writeRegistry(t, map[string]string{"protocol.json": p})
	if _, err := job(dir, key, filepath.Join(t.TempDir(), "d")).Run(); err == nil || !strings.Contains(err.Error(), "national identity numbers") {
		t.Errorf("ids under another name: %v", err)
	}
}

// TestUniqueCombinationSuppressed: children 10, 11 and 12 are each alone
// in their municipality: with it suppressed (the least important) they
// make a group of three. Child 9, the only one born 2010 in 1856 with a
// retinoblastoma, stays alone with everything suppressed and is withheld.
// No group below k = 3 is left, counted afresh from the files written.
func TestUniqueCombinationSuppressed(t *testing.T) {
	dir, key := writeRegistry(t, nil)
	out := filepath.Join(t.TempDir(), "delivery")
	m, err := job(dir, key, out).Run()
	if err != nil {
		t.Fatal(err)
	}
	_, prow := readCSV(t, filepath.Join(out, "persons.csv"))
	_, drow := readCSV(t, filepath.Join(out, "diagnoses.csv"))
	iccc := map[string]string{}
	for _, r := range drow {
		iccc[r[0]] = r[4]
	}
	groups := map[string]int{}
	for _, r := range prow {
		groups[iccc[r[0]]+"/"+r[1]+"/"+r[3]]++
	}
	for g, n := range groups {
		if n < 3 {
			t.Errorf("group %s has %d persons", g, n)
		}
	}
	if m.ClassesBefore[0].Size != "1" || m.ClassesBefore[0].Persons != 4 {
		t.Errorf("classes before %+v: want children 9-12 alone", m.ClassesBefore)
	}
	if len(m.ClassesAfter) != 1 || m.ClassesAfter[0].Size != ">=3" || m.ClassesAfter[0].Persons != 10 || m.ClassesAfter[0].Classes != 3 {
		t.Errorf("classes after %+v", m.ClassesAfter)
	}
	want := []Suppressed{{"diagnoses.iccc", 0}, {"persons.birth_year", 0}, {"persons.municipality", 3}}
	for i, w := range want {
		if m.Suppressed[i] != w {
			t.Errorf("suppressed %+v, want %+v", m.Suppressed, want)
		}
	}
	alone := map[string]bool{Pseudonym(testKey, "10101010101"): true, Pseudonym(testKey, "12121212121"): true, Pseudonym(testKey, "13131313131"): true}
	for _, r := range prow {
		if alone[r[0]] != (r[3] == "") {
			t.Errorf("row %v: municipality", r)
		}
		if r[0] == Pseudonym(testKey, "99999999999") {
			t.Error("child 9 exported")
		}
	}
	// k above the cohort's size: every person would be withheld; the
	// export fails and writes nothing
	p := strings.Replace(protocol, `"k": 3`, `"k": 12`, 1)
	dir, key = writeRegistry(t, map[string]string{"protocol.json": p})
	out2 := filepath.Join(t.TempDir(), "delivery")
	if _, err := job(dir, key, out2).Run(); err == nil || !strings.Contains(err.Error(), "every person would be withheld") {
		t.Errorf("k 12: %v", err)
	}
	if _, err := os.Stat(out2); !os.IsNotExist(err) {
		t.Error("k 12: something was written")
	}
}

// TestWrongKey: a missing key file, a short one, and the wrong key for the
// project's previous delivery are errors, and the key is never written.
func TestWrongKey(t *testing.T) {
	dir, key := writeRegistry(t, nil)
	first := filepath.Join(t.TempDir(), "first")
	if _, err := job(dir, key, first).Run(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"persons.csv", "diagnoses.csv", "treatments.csv", "manifest.json"} {
		b, _ := os.ReadFile(filepath.Join(first, f))
		if bytes.Contains(b, testKey) || bytes.Contains(b, []byte(hex.EncodeToString(testKey))) {
			t.Errorf("%s holds the key", f)
		}
	}
	j := job(dir, filepath.Join(dir, "missing.key"), filepath.Join(t.TempDir(), "x"))
	if _, err := j.Run(); err == nil || !strings.Contains(err.Error(), "key file") {
		t.Errorf("missing key: %v", err)
	}
	short := filepath.Join(dir, "short.key")
	os.WriteFile(short, []byte("abc"), 0o600)
	if _, err := job(dir, short, filepath.Join(t.TempDir(), "x")).Run(); err == nil || !strings.Contains(err.Error(), "at least 16") {
		t.Errorf("short key: %v", err)
	}
	other := filepath.Join(dir, "other.key")
	os.WriteFile(other, []byte("another project's key, also long"), 0o600)
	second := filepath.Join(t.TempDir(), "second")
	j = job(dir, other, second)
	j.Previous = first
	if _, err := j.Run(); err == nil || !strings.Contains(err.Error(), "not the one of the previous delivery") {
		t.Errorf("wrong key: %v", err)
	}
	if _, err := os.Stat(second); !os.IsNotExist(err) {
		t.Error("wrong key: something was written")
	}
}

// TestReservationBetweenDeliveries: child 1 is delivered on 2023-01-01,
// reserved on 2023-06-01, and the 2024 delivery leaves them out and asks
// the recipient to delete them, by the pseudonym the recipient knows.
// Child 5, reserved before the first delivery, was never delivered and is
// not asked for.
func TestReservationBetweenDeliveries(t *testing.T) {
	dir, key := writeRegistry(t, nil)
	first := filepath.Join(t.TempDir(), "first")
	if _, err := job(dir, key, first).Run(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "reservations.csv"), []byte("person_id,reserved_date\n55555555555,2022-06-01\n11111111111,2023-06-01\n"), 0o644)
	second := filepath.Join(t.TempDir(), "second")
	j := job(dir, key, second)
	j.AsOf, j.Previous = datasets.DateOf(2024, 1, 1), first
	// the new reservation leaves the Oslo leukaemia group at three
	m, err := j.Run()
	if err != nil {
		t.Fatal(err)
	}
	p1 := Pseudonym(testKey, "11111111111")
	_, rows := readCSV(t, filepath.Join(second, "deletion_requests.csv"))
	if m.DeletionRequests != 1 || len(rows) != 1 || rows[0][0] != p1 || rows[0][1] != "2023-06-01" || m.PreviousAsOf != "2023-01-01" {
		t.Errorf("deletion requests %d %v", m.DeletionRequests, rows)
	}
	b, _ := os.ReadFile(filepath.Join(second, "persons.csv"))
	if bytes.Contains(b, []byte(p1)) {
		t.Error("the newly reserved child is delivered again")
	}
	b, _ = os.ReadFile(filepath.Join(first, "persons.csv"))
	if !bytes.Contains(b, []byte(p1)) {
		t.Error("the first delivery did not hold child 1 (the test is void)")
	}
}

// TestReservationsRequired: without a list or --no-reservations the export
// refuses.
func TestReservationsRequired(t *testing.T) {
	dir, key := writeRegistry(t, nil)
	j := job(dir, key, filepath.Join(t.TempDir(), "x"))
	j.Reservations = ""
	if _, err := j.Run(); err == nil || !strings.Contains(err.Error(), "no-reservations") {
		t.Errorf("no list: %v", err)
	}
	j.NoReservations = true
	m, err := j.Run()
	if err != nil || !m.NoReservations || m.Reservations != nil {
		t.Errorf("acknowledged: %v %+v", err, m)
	}
}

// TestChildhoodRegistryExport runs the generated registry's example
// protocol: no group below k, no reserved person, no direct identifier,
// counts that add up, and the same bytes from the same inputs and key.
func TestChildhoodRegistryExport(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.GenerateChildhood(dir, synth.Config{Persons: 2000, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "k")
	os.WriteFile(key, testKey, 0o600)
	var outs [2]string
	var m *Manifest
	for i := range outs {
		outs[i] = filepath.Join(t.TempDir(), "delivery")
		var err error
		if m, err = job(dir, key, outs[i]).Run(); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"persons.csv", "diagnoses.csv", "treatments.csv", "manifest.json"} {
		a, _ := os.ReadFile(filepath.Join(outs[0], f))
		b, _ := os.ReadFile(filepath.Join(outs[1], f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between runs", f)
		}
	}
	for _, c := range m.Tables {
		if c.Read != c.Exported+c.Reserved+c.Excluded+c.Suppressed {
			t.Errorf("%s: %+v does not add up", c.Table, c)
		}
	}
	for _, c := range m.ClassesAfter {
		if c.Size != ">=3" {
			t.Errorf("class of size %s", c.Size)
		}
	}
	res, _ := datasets.ReadFrame(filepath.Join(dir, "reservations.csv"))
	ids, _ := res.Strings("person_id")
	src, _ := datasets.ReadFrame(filepath.Join(dir, "persons.csv"))
	names, _ := src.Strings("name")
	phones, _ := src.Strings("phone")
	all := ""
	for _, f := range []string{"persons.csv", "diagnoses.csv", "treatments.csv"} {
		b, _ := os.ReadFile(filepath.Join(outs[0], f))
		all += string(b)
		header, _, _ := strings.Cut(string(b), "\n")
		for _, col := range strings.Split(header, ",") {
			if IsDirectIdentifier(col) {
				t.Errorf("%s has the column %s", f, col)
			}
		}
	}
	for _, id := range ids {
		if strings.Contains(all, Pseudonym(testKey, id)) || strings.Contains(all, id) {
			t.Fatalf("a reserved child is in the delivery")
		}
	}
	for i := range names {
		if strings.Contains(all, names[i]) || strings.Contains(all, phones[i]) {
			t.Fatalf("a name or phone number is in the delivery")
		}
	}
	var raw map[string]any
	b, _ := os.ReadFile(filepath.Join(outs[0], "manifest.json"))
	if err := json.Unmarshal(b, &raw); err != nil || raw["screenlab_version"] == "" || m.Persons == 0 {
		t.Errorf("manifest: %v", err)
	}
}

// TestProtocolOrder: a table that reaches persons through another may come
// first in the protocol.
func TestProtocolOrder(t *testing.T) {
	var p map[string]any
	if err := json.Unmarshal([]byte(protocol), &p); err != nil {
		t.Fatal(err)
	}
	tables := p["tables"].([]any)
	p["tables"] = []any{tables[2], tables[0], tables[1]}
	b, _ := json.Marshal(p)
	dir, key := writeRegistry(t, map[string]string{"protocol.json": string(b)})
	m, err := job(dir, key, filepath.Join(t.TempDir(), "d")).Run()
	if err != nil {
		t.Fatal(err)
	}
	if m.Tables[0].Table != "treatments" || m.Tables[0].Exported != 2 || m.Tables[0].Reserved != 1 {
		t.Errorf("treatments first: %+v", m.Tables[0])
	}
}
