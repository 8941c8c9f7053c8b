package export

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/internal/atomicfile"
)

// qi is one quasi-identifier: its table and variable index.
type qi struct {
	name string
	t    *table
	v    int
}

// anonymise groups the exported persons by their quasi-identifiers and
// suppresses locally until every group holds k or more (see the package
// documentation), records the class sizes before and after and the
// suppressions in m, and blanks the suppressed values in the tables. It
// returns the number of persons exported.
func anonymise(p *Protocol, byName map[string]*table, m *Manifest) (int, error) {
	var qis []qi
	for _, name := range p.QuasiIdentifiers {
		tn, vn, _ := strings.Cut(name, ".")
		t := byName[tn]
		v := slices.IndexFunc(t.spec.Variables, func(x Variable) bool { return x.out() == vn })
		qis = append(qis, qi{name, t, v})
	}
	personSet := map[string]bool{}
	for _, t := range byName {
		for who := range t.personOf {
			personSet[who] = true
		}
	}
	persons := make([]string, 0, len(personSet))
	for who := range personSet {
		persons = append(persons, who)
	}
	sort.Strings(persons)
	// each person's value of each quasi-identifier: the distinct values of
	// their rows, sorted and joined
	pos := make([]map[int]int, len(qis)) // input row → exported row
	for q, x := range qis {
		pos[q] = map[int]int{}
		for k, r := range x.t.outRows {
			pos[q][r] = k
		}
	}
	values := make([][]string, len(persons))
	for i, who := range persons {
		values[i] = make([]string, len(qis))
		for q, x := range qis {
			var vals []string
			for _, r := range x.t.personOf[who] {
				vals = append(vals, x.t.out[x.v][pos[q][r]])
			}
			sort.Strings(vals)
			values[i][q] = strings.Join(slices.Compact(vals), "|")
		}
	}
	suppressed := make([][]bool, len(persons))
	for i := range suppressed {
		suppressed[i] = make([]bool, len(qis))
	}
	classes := func() map[string][]int {
		c := map[string][]int{}
		for i := range persons {
			var b strings.Builder
			for q := range qis {
				if suppressed[i][q] {
					b.WriteString("\x01")
				} else {
					b.WriteString(values[i][q])
				}
				b.WriteByte(0)
			}
			c[b.String()] = append(c[b.String()], i)
		}
		return c
	}
	m.ClassesBefore = histogram(classes(), p.K)
	for {
		changed := false
		for _, members := range classes() {
			if len(members) >= p.K {
				continue
			}
			for _, i := range members {
				// the least important not yet suppressed
				for q := len(qis) - 1; q >= 0; q-- {
					if !suppressed[i][q] {
						suppressed[i][q], changed = true, true
						break
					}
				}
			}
		}
		if !changed {
			break
		}
	}
	// a group still below k has everything suppressed: its persons are
	// withheld whole (a blank row would single them out to anyone who
	// knows they are in the cohort)
	withheld := map[string]bool{}
	for _, members := range classes() {
		if len(members) < p.K {
			for _, i := range members {
				withheld[persons[i]] = true
			}
		}
	}
	final := map[string][]int{}
	for key, members := range classes() {
		for _, i := range members {
			if !withheld[persons[i]] {
				final[key] = append(final[key], i)
			}
		}
	}
	for _, members := range final {
		if len(members) < p.K { // cannot happen: checked before anything is written
			return 0, fmt.Errorf("export: a group of %d below k = %d after suppression; nothing written", len(members), p.K)
		}
	}
	if len(persons) > 0 && len(withheld) == len(persons) {
		return 0, fmt.Errorf("export: at k = %d every person would be withheld; nothing written (lower k, or declare fewer quasi-identifiers)", p.K)
	}
	m.ClassesAfter = histogram(final, p.K)
	counts := make([]int, len(qis))
	for i, who := range persons {
		for q := range qis {
			if suppressed[i][q] && !withheld[who] {
				counts[q]++
			}
		}
	}
	for q, x := range qis {
		m.Suppressed = append(m.Suppressed, Suppressed{Variable: x.name, Persons: counts[q]})
	}
	m.WithheldPersons = len(withheld)
	// blank the suppressed values in every row of the person
	for i, who := range persons {
		for q, x := range qis {
			if !suppressed[i][q] {
				continue
			}
			for _, r := range x.t.personOf[who] {
				x.t.out[x.v][pos[q][r]] = ""
			}
		}
	}
	for _, t := range byName {
		t.withhold(withheld)
	}
	return len(persons) - len(withheld), nil
}

// withhold drops the rows of the withheld persons from the export,
// counting them as suppressed.
func (t *table) withhold(withheld map[string]bool) {
	if len(withheld) == 0 {
		return
	}
	var rows []int
	cols := make([][]string, len(t.out))
	for k, r := range t.outRows {
		if withheld[t.person[r]] {
			t.count.Suppressed++
			continue
		}
		rows = append(rows, r)
		for v := range t.out {
			cols[v] = append(cols[v], t.out[v][k])
		}
	}
	t.outRows, t.out = rows, cols
	t.count.Exported = len(rows)
}

func histogram(classes map[string][]int, k int) []ClassCount {
	by := map[int]*ClassCount{}
	for _, members := range classes {
		size := min(len(members), k)
		c := by[size]
		if c == nil {
			label := strconv.Itoa(size)
			if size == k {
				label = ">=" + label
			}
			c = &ClassCount{Size: label}
			by[size] = c
		}
		c.Classes++
		c.Persons += len(members)
	}
	var out []ClassCount
	for s := 1; s <= k; s++ {
		if c := by[s]; c != nil {
			out = append(out, *c)
		}
	}
	return out
}

// write writes each table, the deletion requests and, last, the
// manifest, each atomically.
func write(m *Manifest, tables []*table, out string, deletion [][2]string) error {
	if err := os.MkdirAll(out, 0o777); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	for _, t := range tables {
		cols := make([]datasets.ColumnSpec, len(t.spec.Variables))
		o := Output{FileHash: FileHash{Table: t.spec.Name, File: t.spec.Name + ".csv", Rows: len(t.outRows)}}
		for i, v := range t.spec.Variables {
			cols[i] = datasets.ColumnSpec{Name: v.out(), Kind: datasets.KindString}
			o.Variables = append(o.Variables, v.out())
			if v.Name == t.spec.Person && v.As == "pseudonym" {
				o.PersonColumn = v.out()
			}
		}
		path := filepath.Join(out, o.File)
		if err := datasets.WriteTable(path, cols, func(w *datasets.TableWriter) error {
			for k := range t.outRows {
				for i := range cols {
					w.String(t.out[i][k])
				}
				if err := w.EndRow(); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		var err error
		if o.SHA256, err = fileSHA(path); err != nil {
			return err
		}
		m.Outputs = append(m.Outputs, o)
		m.Tables = append(m.Tables, t.count)
	}
	if deletion != nil {
		path := filepath.Join(out, "deletion_requests.csv")
		if err := datasets.WriteTable(path, []datasets.ColumnSpec{{Name: "pseudonym", Kind: datasets.KindString}, {Name: "reserved_date", Kind: datasets.KindString}},
			func(w *datasets.TableWriter) error {
				for _, d := range deletion {
					w.String(d[0])
					w.String(d[1])
					if err := w.EndRow(); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	return atomicfile.WriteFile(filepath.Join(out, "manifest.json"), func(w io.Writer) error { _, err := w.Write(b); return err })
}
