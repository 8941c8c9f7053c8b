package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/export"
)

// TestExportPipeline: generate a childhood registry, deliver it, deliver
// again with the previous delivery after a new reservation, and refuse a
// wrong key; the key shows nowhere in what the command prints.
func TestExportPipeline(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "child")
	if code, _, errOut := runCLI(t, "generate --programme childhood --persons 1500 --seed 2 --out "+reg); code != 0 {
		t.Fatalf("generate: %s", errOut)
	}
	key := filepath.Join(dir, "project.key")
	secret := "this-project-key-is-32-bytes-long"
	os.WriteFile(key, []byte(secret), 0o600)
	first := filepath.Join(dir, "first")
	base := "export --protocol " + filepath.Join(reg, "protocol.json") + " --key-file " + key
	code, out, errOut := runCLI(t, base+" --reservations "+filepath.Join(reg, "reservations.csv")+" --out "+first+" --as-of 2024-01-01 --format json")
	if code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	var s struct {
		Persons         int    `json:"persons"`
		ReservedPersons string `json:"reserved_persons"`
		Tables          []struct {
			Table    string `json:"table"`
			Exported int    `json:"exported"`
		} `json:"tables"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Persons == 0 || len(s.Tables) != 3 || s.ReservedPersons == "0" {
		t.Fatalf("summary %v %s", err, out)
	}
	if strings.Contains(out+errOut, secret) {
		t.Error("the key is printed")
	}
	// a reservation after the first delivery, of a child it held
	b, _ := os.ReadFile(filepath.Join(first, "persons.csv"))
	if len(b) == 0 {
		t.Fatal("no persons delivered")
	}
	res, _ := os.ReadFile(filepath.Join(reg, "reservations.csv"))
	diag, _ := os.ReadFile(filepath.Join(reg, "diagnoses.csv"))
	var child string
	for _, line := range strings.Split(string(diag), "\n")[1:] {
		f := strings.Split(line, ",")
		if len(f) > 2 && strings.Contains(string(b), export.Pseudonym([]byte(secret), f[1])) && !strings.Contains(string(res), f[1]) {
			child = f[1]
			break
		}
	}
	if child == "" {
		t.Fatal("no delivered child found")
	}
	newRes := filepath.Join(dir, "reservations2.csv")
	os.WriteFile(newRes, append(res, []byte(child+",2024-03-01\n")...), 0o644)
	second := filepath.Join(dir, "second")
	code, _, errOut = runCLI(t, base+" --reservations "+newRes+" --out "+second+" --as-of 2024-06-01 --previous "+first)
	if code != 0 {
		t.Fatalf("second export: %s", errOut)
	}
	var m struct {
		DeletionRequests int `json:"deletion_requests"`
	}
	mb, _ := os.ReadFile(filepath.Join(second, "manifest.json"))
	json.Unmarshal(mb, &m)
	if m.DeletionRequests != 1 {
		t.Errorf("deletion requests %d", m.DeletionRequests)
	}
	wrong := filepath.Join(dir, "wrong.key")
	os.WriteFile(wrong, []byte("another-project-key-32-bytes-lng"), 0o600)
	code, _, errOut = runCLI(t, "export --protocol "+filepath.Join(reg, "protocol.json")+" --key-file "+wrong+" --reservations "+newRes+
		" --out "+filepath.Join(dir, "third")+" --previous "+first)
	if code == 0 || !strings.Contains(errOut, "not the one of the previous delivery") {
		t.Errorf("wrong key: exit %d %s", code, errOut)
	}
	for _, c := range []struct{ args, want string }{
		{base + " --out " + filepath.Join(dir, "x"), "--no-reservations"},
		{"export --protocol p.json --out x --no-reservations", "--key-file"},
		{base + " --no-reservations --out " + filepath.Join(dir, "x") + " --as-of 2024-13-01", "--as-of"},
	} {
		if code, _, errOut := runCLI(t, c.args); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d %q", c.args, code, errOut)
		}
	}
}
