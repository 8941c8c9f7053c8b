package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/screenlab/screenlab/datasets"
)

// Protocol is what a project may have: its tables and variables, how
// dates are coarsened, the cohort, and the quasi-identifiers with k.
type Protocol struct {
	Project string `json:"project"`
	// K is the smallest group of persons sharing the quasi-identifiers'
	// values (at least 2).
	K      int         `json:"k"`
	Cohort *Cohort     `json:"cohort,omitempty"`
	Tables []TableSpec `json:"tables"`
	// QuasiIdentifiers are output variables as "table.output", from the
	// most to the least important: the last is suppressed first.
	QuasiIdentifiers []string `json:"quasi_identifiers"`
}

// Cohort selects the persons of the extract: those with a row of Table
// whose Date is from From to To (either may be empty). Rows of Table
// outside the dates are not exported.
type Cohort struct {
	Table string `json:"table"`
	Date  string `json:"date"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
}

// TableSpec is one table of the extract. A row belongs to a person by the
// column Person, or, for a table that does not hold the person, through
// Via: its column matches the same column of another table, whose row
// gives the person.
type TableSpec struct {
	Name      string     `json:"name"`
	File      string     `json:"file"`
	Person    string     `json:"person,omitempty"`
	Via       *Via       `json:"via,omitempty"`
	Variables []Variable `json:"variables"`
}

// Via links a table to a person through another table.
type Via struct {
	Column string `json:"column"`
	Table  string `json:"table"`
}

// Variable is one exported column: the input column Name, written as
// Output (default Name) and transformed As:
//
//	""            the value as it is
//	"pseudonym"   HMAC-SHA256 with the project key, lower-case hex
//	"year"        a date's year (2021)
//	"year-month"  a date's year and month (2021-03)
//	"age"         whole years from Birth ("table.column", the person's) to the date
//	"days-since"  days from Since ("table.column") to the date
//
// Bands turn a number (an age, days) into the band it falls in ("5-9",
// "15+"), for coarser groups.
type Variable struct {
	Name   string    `json:"name"`
	As     string    `json:"as,omitempty"`
	Output string    `json:"output,omitempty"`
	Birth  string    `json:"birth,omitempty"`
	Since  string    `json:"since,omitempty"`
	Bands  []float64 `json:"bands,omitempty"`
}

func (v Variable) out() string {
	if v.Output != "" {
		return v.Output
	}
	return v.Name
}

// directIdentifiers are column names that are never exported as they are,
// whatever a protocol says (as a pseudonym they may be).
var directIdentifiers = []string{"national_id", "nin", "fnr", "fodselsnummer", "personnummer", "ssn", "social_security_number",
	"name", "full_name", "first_name", "given_name", "middle_name", "last_name", "surname", "family_name",
	"address", "street", "street_address", "home_address", "phone", "telephone", "mobile", "phone_number", "email", "e_mail"}

// IsDirectIdentifier says whether a column name is a direct identifier.
func IsDirectIdentifier(col string) bool {
	return slices.Contains(directIdentifiers, strings.ToLower(strings.TrimSpace(col)))
}

// ReadProtocol reads and checks a protocol file (JSON, unknown fields an
// error).
func ReadProtocol(path string) (*Protocol, []byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("protocol: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Protocol
	if err := dec.Decode(&p); err != nil {
		return nil, nil, fmt.Errorf("protocol %s: %w", path, err)
	}
	if err := p.Check(); err != nil {
		return nil, nil, fmt.Errorf("protocol %s: %w", path, err)
	}
	return &p, b, nil
}

// Check refuses a protocol that names a direct identifier (except as a
// pseudonym), an unknown transformation, a table without a person, a
// reference to a table or variable that is not there, or k below 2.
func (p *Protocol) Check() error {
	if p.K < 2 {
		return fmt.Errorf("k %d: want at least 2", p.K)
	}
	if len(p.Tables) == 0 {
		return fmt.Errorf("no tables")
	}
	tables := map[string]*TableSpec{}
	for i := range p.Tables {
		t := &p.Tables[i]
		if t.Name == "" || t.File == "" {
			return fmt.Errorf("table %d: want a name and a file", i+1)
		}
		if tables[t.Name] != nil {
			return fmt.Errorf("table %s twice", t.Name)
		}
		tables[t.Name] = t
	}
	for _, t := range p.Tables {
		if (t.Person == "") == (t.Via == nil) {
			return fmt.Errorf("table %s: want either person (its person column) or via (a table that gives the person)", t.Name)
		}
		if t.Via != nil {
			vt := tables[t.Via.Table]
			if vt == nil || vt.Person == "" || t.Via.Column == "" {
				return fmt.Errorf("table %s: via %q must name a column and a table with a person column", t.Name, t.Via.Table)
			}
		}
		outs := map[string]bool{}
		for _, v := range t.Variables {
			if v.Name == "" {
				return fmt.Errorf("table %s: a variable without a name", t.Name)
			}
			if IsDirectIdentifier(v.Name) && v.As != "pseudonym" || IsDirectIdentifier(v.out()) && v.As != "pseudonym" {
				return fmt.Errorf("table %s: %s is a direct identifier and is never exported", t.Name, v.Name)
			}
			if outs[v.out()] {
				return fmt.Errorf("table %s: output %s twice", t.Name, v.out())
			}
			outs[v.out()] = true
			switch v.As {
			case "", "pseudonym", "year", "year-month":
			case "age":
				if err := checkRef(tables, v.Birth, "birth"); err != nil {
					return fmt.Errorf("table %s, %s: %w", t.Name, v.out(), err)
				}
			case "days-since":
				if err := checkRef(tables, v.Since, "since"); err != nil {
					return fmt.Errorf("table %s, %s: %w", t.Name, v.out(), err)
				}
			default:
				return fmt.Errorf("table %s, %s: as %q: want pseudonym, year, year-month, age or days-since", t.Name, v.Name, v.As)
			}
			if len(v.Bands) > 0 && (v.As != "age" && v.As != "days-since" && v.As != "" || !slices.IsSorted(v.Bands)) {
				return fmt.Errorf("table %s, %s: bands must be increasing, on an age, days or a number", t.Name, v.out())
			}
		}
	}
	if c := p.Cohort; c != nil {
		if tables[c.Table] == nil || c.Date == "" {
			return fmt.Errorf("cohort: table %q and a date column wanted", c.Table)
		}
		for _, d := range []string{c.From, c.To} {
			if d != "" {
				if _, err := datasets.ParseDate(d); err != nil {
					return fmt.Errorf("cohort: %w", err)
				}
			}
		}
	}
	if len(p.QuasiIdentifiers) == 0 {
		return fmt.Errorf("no quasi_identifiers: name the variables an outsider could know (birth year, sex, place, diagnosis)")
	}
	for _, q := range p.QuasiIdentifiers {
		tn, vn, ok := strings.Cut(q, ".")
		t := tables[tn]
		if !ok || t == nil || !slices.ContainsFunc(t.Variables, func(v Variable) bool { return v.out() == vn }) {
			return fmt.Errorf("quasi-identifier %q: want table.variable of an exported variable", q)
		}
		if slices.ContainsFunc(t.Variables, func(v Variable) bool { return v.out() == vn && v.As == "pseudonym" }) {
			return fmt.Errorf("quasi-identifier %q is a pseudonym", q)
		}
	}
	return nil
}

func checkRef(tables map[string]*TableSpec, ref, what string) error {
	tn, col, ok := strings.Cut(ref, ".")
	if !ok || tables[tn] == nil || col == "" {
		return fmt.Errorf("%s %q: want table.column of a protocol table", what, ref)
	}
	return nil
}
