package export

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/internal/buildinfo"
)

// Job is one delivery of a research extract.
type Job struct {
	Protocol string // the protocol file
	// Data is the folder of the protocol's table files (default: the
	// protocol's folder).
	Data string
	// Reservations lists the reserved persons (person_id, reserved_date);
	// NoReservations acknowledges that there is no list (one of the two
	// is required).
	Reservations   string
	NoReservations bool
	KeyFile        string // the project's key: its bytes key the pseudonyms
	Out            string // the delivery folder
	// AsOf is the delivery's date, recorded in the manifest (reservations
	// apply whatever their date).
	AsOf datasets.Date
	// Previous is the folder of the project's previous delivery: its key
	// must be this one, and reservations dated after it of persons it held
	// are listed for deletion.
	Previous string
}

// MinKeyBytes is the shortest key file accepted.
const MinKeyBytes = 16

// FileHash is a file and the SHA-256 of its bytes.
type FileHash struct {
	Table  string `json:"table,omitempty"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Rows   int    `json:"rows,omitempty"`
}

// Output is a delivered table.
type Output struct {
	FileHash
	Variables []string `json:"variables"`
	// PersonColumn is the output column holding the person's pseudonym.
	PersonColumn string `json:"person_column,omitempty"`
}

// TableCount accounts for a table's rows: read = exported + reserved +
// excluded (outside the cohort, or not linked to a person) + suppressed
// (of persons withheld whole because their group stayed below k).
type TableCount struct {
	Table      string `json:"table"`
	Read       int    `json:"read"`
	Exported   int    `json:"exported"`
	Reserved   int    `json:"reserved"`
	Excluded   int    `json:"excluded"`
	Suppressed int    `json:"suppressed"`
}

// ClassCount is how many equivalence classes of a size there are, and the
// persons in them; Size is "1", "2", … below k and ">=k" (k the number).
type ClassCount struct {
	Size    string `json:"size"`
	Classes int    `json:"classes"`
	Persons int    `json:"persons"`
}

// Suppressed is how many persons had a quasi-identifier suppressed.
type Suppressed struct {
	Variable string `json:"variable"`
	Persons  int    `json:"persons"`
}

// Manifest accounts for a delivery. It holds no person id and no key.
type Manifest struct {
	Project          string `json:"project"`
	ScreenlabVersion string `json:"screenlab_version"`
	AsOf             string `json:"as_of"`
	K                int    `json:"k"`
	// KeyCheck is HMAC-SHA256(key, "screenlab export key check"): it tells
	// whether two deliveries used the same key, and nothing of the key.
	KeyCheck         string       `json:"key_check"`
	Protocol         FileHash     `json:"protocol"`
	Reservations     *FileHash    `json:"reservations"`
	NoReservations   bool         `json:"no_reservations_acknowledged,omitempty"`
	Inputs           []FileHash   `json:"inputs"`
	Outputs          []Output     `json:"outputs"`
	Tables           []TableCount `json:"tables"`
	Persons          int          `json:"persons"`          // exported
	WithheldPersons  int          `json:"withheld_persons"` // in a group below k with everything suppressed
	ReservedPersons  int          `json:"reserved_persons"` // reserved persons found in the tables
	QuasiIdentifiers []string     `json:"quasi_identifiers"`
	ClassesBefore    []ClassCount `json:"classes_before"`
	ClassesAfter     []ClassCount `json:"classes_after"`
	Suppressed       []Suppressed `json:"suppressed"`
	PreviousAsOf     string       `json:"previous_as_of,omitempty"`
	// DeletionRequests counts the persons of the previous delivery reserved
	// since; their pseudonyms are in deletion_requests.csv.
	DeletionRequests int `json:"deletion_requests"`
}

// MainTable is the table CSV output writes.
func (*Manifest) MainTable() string { return "tables" }

// table is a protocol table as read.
type table struct {
	spec     *TableSpec
	fr       *datasets.Frame
	person   []string // each row's person ("" when not linked)
	viaRow   []int    // the linked row of the via table, or -1
	keep     []bool
	count    TableCount
	out      [][]string // exported rows' values, by variable
	outRows  []int      // the input rows exported
	hash     FileHash
	personOf map[string][]int // kept rows by person
}

// Run makes the delivery: it reads everything and checks the extract
// before it writes anything, and writes the manifest last.
func (j Job) Run() (*Manifest, error) {
	if j.Protocol == "" || j.KeyFile == "" || j.Out == "" {
		return nil, errors.New("export: protocol, key file and out are required")
	}
	if (j.Reservations == "") == !j.NoReservations {
		return nil, errors.New("export: give the reservations file, or acknowledge there is none with no-reservations (not both)")
	}
	key, err := readKey(j.KeyFile)
	if err != nil {
		return nil, err
	}
	p, pbytes, err := ReadProtocol(j.Protocol)
	if err != nil {
		return nil, err
	}
	if j.Data == "" {
		j.Data = filepath.Dir(j.Protocol)
	}
	m := &Manifest{Project: p.Project, ScreenlabVersion: buildinfo.Version(), AsOf: j.AsOf.String(), K: p.K,
		KeyCheck: hexHMAC(key, []byte("screenlab export key check")), QuasiIdentifiers: p.QuasiIdentifiers,
		Protocol: FileHash{File: filepath.Base(j.Protocol), SHA256: sha(pbytes)}, NoReservations: j.NoReservations}
	var prev *Manifest
	if j.Previous != "" {
		if prev, err = readManifest(j.Previous); err != nil {
			return nil, err
		}
		if prev.KeyCheck != m.KeyCheck {
			return nil, fmt.Errorf("export: the key file is not the one of the previous delivery in %s (its pseudonyms would not link); use the project's key", j.Previous)
		}
		m.PreviousAsOf = prev.AsOf
	}
	reserved, resDate, err := j.readReservations(m)
	if err != nil {
		return nil, err
	}
	tables, err := loadTables(p, j.Data, j.Out)
	if err != nil {
		return nil, err
	}
	byName := map[string]*table{}
	for _, t := range tables {
		byName[t.spec.Name] = t
		m.Inputs = append(m.Inputs, t.hash)
	}
	if err := link(tables, byName); err != nil {
		return nil, err
	}
	cohort, err := selectCohort(p, byName)
	if err != nil {
		return nil, err
	}
	foundReserved := map[string]bool{}
	// tables that hold the person first: a via table keeps a row only
	// when the row it links to is kept
	ordered := append([]*table(nil), tables...)
	sort.SliceStable(ordered, func(i, j int) bool { return ordered[i].spec.Via == nil && ordered[j].spec.Via != nil })
	for _, t := range ordered {
		t.keep = make([]bool, t.fr.Len())
		t.personOf = map[string][]int{}
		for r, who := range t.person {
			switch {
			case who != "" && reserved[who]:
				t.count.Reserved++
				foundReserved[who] = true
			case who == "" || cohort != nil && !cohort.inCohort(t, r) || t.viaRow != nil && !byName[t.spec.Via.Table].keep[t.viaRow[r]]:
				t.count.Excluded++
			default:
				t.keep[r] = true
				t.personOf[who] = append(t.personOf[who], r)
			}
		}
		t.count.Read = t.fr.Len()
	}
	m.ReservedPersons = len(foundReserved)
	for _, t := range tables {
		if err := t.values(key, byName); err != nil {
			return nil, err
		}
	}
	persons, err := anonymise(p, byName, m)
	if err != nil {
		return nil, err
	}
	m.Persons = persons
	var deletion [][2]string
	if prev != nil {
		if deletion, err = deletionRequests(prev, j.Previous, key, resDate); err != nil {
			return nil, err
		}
		m.DeletionRequests = len(deletion)
	}
	return m, write(m, tables, j.Out, deletion)
}

func readKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("export: key file %s: %v", path, err)
	}
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("export: key file %s holds %d bytes; want at least %d (make one with: head -c 32 /dev/urandom > project.key)", path, len(key), MinKeyBytes)
	}
	return key, nil
}

func hexHMAC(key, msg []byte) string {
	h := hmac.New(sha256.New, key)
	h.Write(msg)
	return hex.EncodeToString(h.Sum(nil))
}

// Pseudonym is the lower-case hex HMAC-SHA256 of a person id keyed with
// the project key.
func Pseudonym(key []byte, personID string) string { return hexHMAC(key, []byte(personID)) }

// pseudonymOf pseudonymises a value of a column other than the person's:
// the column name and a NUL byte go before the value.
func pseudonymOf(key []byte, column, value string) string {
	return hexHMAC(key, append(append([]byte(column), 0), value...))
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func fileSHA(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (j Job) readReservations(m *Manifest) (map[string]bool, map[string]datasets.Date, error) {
	reserved, when := map[string]bool{}, map[string]datasets.Date{}
	if j.NoReservations {
		return reserved, when, nil
	}
	fr, err := datasets.ReadFrame(j.Reservations)
	if err != nil {
		return nil, nil, err
	}
	ids, err := fr.Strings("person_id")
	if err != nil {
		return nil, nil, err
	}
	dates, err := dateColumn(fr, "reserved_date")
	if err != nil {
		return nil, nil, err
	}
	for r, id := range ids {
		if id == "" {
			return nil, nil, fr.Fail("person_id", r, datasets.ErrRequired, "the reserved person's id")
		}
		reserved[id] = true
		if d, ok := when[id]; !ok || dates[r] < d {
			when[id] = dates[r]
		}
	}
	h, err := fileSHA(j.Reservations)
	if err != nil {
		return nil, nil, err
	}
	m.Reservations = &FileHash{File: filepath.Base(j.Reservations), SHA256: h, Rows: fr.Len()}
	return reserved, when, nil
}

// dateColumn reads a column of dates, NoDate where empty.
func dateColumn(fr *datasets.Frame, name string) ([]datasets.Date, error) {
	s, err := fr.Strings(name)
	if err != nil {
		return nil, err
	}
	out := make([]datasets.Date, len(s))
	for r, v := range s {
		out[r] = datasets.NoDate
		if v == "" {
			continue
		}
		d, err := datasets.ParseDate(v)
		if err != nil || d == datasets.NoDate {
			return nil, fr.Fail(name, r, datasets.ErrBadDate, "a date YYYY-MM-DD")
		}
		out[r] = d
	}
	return out, nil
}

func loadTables(p *Protocol, dataDir, out string) ([]*table, error) {
	absOut, _ := filepath.Abs(out)
	var tables []*table
	for i := range p.Tables {
		spec := &p.Tables[i]
		path := filepath.Join(dataDir, spec.File)
		if abs, _ := filepath.Abs(path); filepath.Dir(abs) == absOut {
			return nil, fmt.Errorf("export: out %s holds the input %s; deliver into another folder", out, spec.File)
		}
		fr, err := datasets.ReadFrame(path)
		if err != nil {
			return nil, err
		}
		h, err := fileSHA(path)
		if err != nil {
			return nil, err
		}
		tables = append(tables, &table{spec: spec, fr: fr, hash: FileHash{Table: spec.Name, File: spec.File, SHA256: h, Rows: fr.Len()},
			count: TableCount{Table: spec.Name}})
	}
	return tables, nil
}

// link gives each row its person: its person column, or through its via
// table (whose linking column must be unique there).
func link(tables []*table, byName map[string]*table) error {
	for _, t := range tables {
		if t.spec.Person == "" {
			continue
		}
		var err error
		if t.person, err = t.fr.Strings(t.spec.Person); err != nil {
			return err
		}
	}
	for _, t := range tables {
		v := t.spec.Via
		if v == nil {
			continue
		}
		vt := byName[v.Table]
		keys, err := vt.fr.Strings(v.Column)
		if err != nil {
			return err
		}
		index := make(map[string]int, len(keys))
		for r, k := range keys {
			if k == "" {
				continue
			}
			if _, dup := index[k]; dup {
				return vt.fr.Fail(v.Column, r, datasets.ErrDuplicateID, fmt.Sprintf("a unique %s (table %s links through it)", v.Column, t.spec.Name))
			}
			index[k] = r
		}
		mine, err := t.fr.Strings(v.Column)
		if err != nil {
			return err
		}
		t.person = make([]string, len(mine))
		t.viaRow = make([]int, len(mine))
		for r, k := range mine {
			t.viaRow[r] = -1
			if i, ok := index[k]; ok && k != "" {
				t.viaRow[r] = i
				t.person[r] = vt.person[i]
			}
		}
	}
	return nil
}

// cohortSel is the cohort: its persons, and the rows of its table inside
// the dates.
type cohortSel struct {
	table   *table
	inRange []bool
	persons map[string]bool
}

func (c *cohortSel) inCohort(t *table, r int) bool {
	if t == c.table {
		return c.inRange[r]
	}
	return c.persons[t.person[r]]
}

func selectCohort(p *Protocol, byName map[string]*table) (*cohortSel, error) {
	c := p.Cohort
	if c == nil {
		return nil, nil
	}
	t := byName[c.Table]
	dates, err := dateColumn(t.fr, c.Date)
	if err != nil {
		return nil, err
	}
	from, to := datasets.Date(math.MinInt32), datasets.Date(math.MaxInt32)
	if c.From != "" {
		from, _ = datasets.ParseDate(c.From)
	}
	if c.To != "" {
		to, _ = datasets.ParseDate(c.To)
	}
	sel := &cohortSel{table: t, inRange: make([]bool, len(dates)), persons: map[string]bool{}}
	for r, d := range dates {
		if d != datasets.NoDate && d >= from && d <= to {
			sel.inRange[r] = true
			if t.person[r] != "" {
				sel.persons[t.person[r]] = true
			}
		}
	}
	return sel, nil
}

var nationalIDLike = regexp.MustCompile(`^[0-9]{11}$`)

// values computes each exported variable of the kept rows.
func (t *table) values(key []byte, byName map[string]*table) error {
	for r, k := range t.keep {
		if k {
			t.outRows = append(t.outRows, r)
		}
	}
	t.count.Exported = len(t.outRows)
	t.out = make([][]string, len(t.spec.Variables))
	for vi, v := range t.spec.Variables {
		raw, err := t.fr.Strings(v.Name)
		if err != nil {
			return err
		}
		col := make([]string, len(t.outRows))
		idLike, nonEmpty := 0, 0
		for i, r := range t.outRows {
			s := raw[r]
			if s == "" {
				continue
			}
			switch v.As {
			case "pseudonym":
				if v.Name == t.spec.Person {
					col[i] = Pseudonym(key, s)
				} else {
					col[i] = pseudonymOf(key, v.Name, s)
				}
				continue
			case "":
				nonEmpty++
				if nationalIDLike.MatchString(s) {
					idLike++
				}
				col[i] = s
			default:
				d, err := datasets.ParseDate(s)
				if err != nil || d == datasets.NoDate {
					return t.fr.Fail(v.Name, r, datasets.ErrBadDate, "a date YYYY-MM-DD")
				}
				y, mo, _ := d.Civil()
				switch v.As {
				case "year":
					col[i] = strconv.Itoa(y)
				case "year-month":
					col[i] = fmt.Sprintf("%04d-%02d", y, mo)
				case "age", "days-since":
					ref := t.refDate(v, r, byName)
					if ref == datasets.NoDate {
						continue // the reference date is unknown: empty
					}
					var x int
					if v.As == "age" {
						x = wholeYears(ref, d)
					} else {
						x = int(d - ref)
					}
					if x < 0 && v.As == "age" {
						return t.fr.Fail(v.Name, r, datasets.ErrDateOrder, "a date after the birth date")
					}
					col[i] = band(float64(x), v.Bands)
				}
			}
			if v.As == "" && len(v.Bands) > 0 {
				x, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return t.fr.Fail(v.Name, r, datasets.ErrBadNumber, "a number (the protocol gives bands)")
				}
				col[i] = band(x, v.Bands)
			}
		}
		if v.As == "" && nonEmpty > 0 && 2*idLike >= nonEmpty {
			return fmt.Errorf("export: table %s, %s: its values look like national identity numbers (11 digits); pseudonymise it or leave it out", t.spec.Name, v.Name)
		}
		t.out[vi] = col
	}
	return nil
}

// refDate is the date a row's age or days are counted from: the same
// row's, the linked row's (via), or the person's earliest kept one.
func (t *table) refDate(v Variable, r int, byName map[string]*table) datasets.Date {
	ref := v.Birth
	if v.As == "days-since" {
		ref = v.Since
	}
	tn, col, _ := strings.Cut(ref, ".")
	rt := byName[tn]
	raw, err := rt.fr.Strings(col)
	if err != nil {
		return datasets.NoDate
	}
	parse := func(s string) datasets.Date {
		d, err := datasets.ParseDate(s)
		if err != nil {
			return datasets.NoDate
		}
		return d
	}
	switch {
	case rt == t:
		return parse(raw[r])
	case t.spec.Via != nil && t.spec.Via.Table == tn:
		if t.viaRow[r] < 0 {
			return datasets.NoDate
		}
		return parse(raw[t.viaRow[r]])
	}
	best := datasets.NoDate
	for _, i := range rt.personOf[t.person[r]] {
		if d := parse(raw[i]); d != datasets.NoDate && (best == datasets.NoDate || d < best) {
			best = d
		}
	}
	return best
}

// wholeYears is the completed years from birth to d.
func wholeYears(birth, d datasets.Date) int {
	by, bm, bd := birth.Civil()
	y, m, dd := d.Civil()
	age := y - by
	if m < bm || m == bm && dd < bd {
		age--
	}
	return age
}

// band labels x by the band it falls in: "<b0", "b_i-(b_{i+1}-1)", "b_n+".
func band(x float64, bands []float64) string {
	if len(bands) == 0 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	if x < bands[0] {
		return "<" + strconv.FormatFloat(bands[0], 'f', -1, 64)
	}
	for i := len(bands) - 1; i >= 0; i-- {
		if x >= bands[i] {
			lo := strconv.FormatFloat(bands[i], 'f', -1, 64)
			if i == len(bands)-1 {
				return lo + "+"
			}
			hi := bands[i+1] - 1
			if hi <= bands[i] {
				return lo
			}
			return lo + "-" + strconv.FormatFloat(hi, 'f', -1, 64)
		}
	}
	return ""
}

func readManifest(dir string) (*Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, fmt.Errorf("export: previous delivery: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("export: previous delivery %s: manifest.json: %w", dir, err)
	}
	return &m, nil
}

// deletionRequests lists the persons reserved after the previous delivery
// who are in it, by pseudonym (what the recipient knows them by).
func deletionRequests(prev *Manifest, dir string, key []byte, resDate map[string]datasets.Date) ([][2]string, error) {
	since, err := datasets.ParseDate(prev.AsOf)
	if err != nil {
		return nil, fmt.Errorf("export: previous delivery %s: as_of %q: %w", dir, prev.AsOf, err)
	}
	delivered := map[string]bool{}
	for _, o := range prev.Outputs {
		if o.PersonColumn == "" {
			continue
		}
		fr, err := datasets.ReadFrame(filepath.Join(dir, o.File))
		if err != nil {
			return nil, err
		}
		ps, err := fr.Strings(o.PersonColumn)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			delivered[p] = true
		}
	}
	var out [][2]string
	for id, d := range resDate {
		if d != datasets.NoDate && d <= since { // an undated reservation is asked for too
			continue
		}
		if p := Pseudonym(key, id); delivered[p] {
			out = append(out, [2]string{p, d.String()})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out, nil
}
