package render

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/internal/golden"
)

type group struct{ names, values []string }

func (g group) InlineColumns() ([]string, []string) { return g.names, g.values }

type row struct {
	Group     group   `json:"-"`
	Exams     int     `json:"exams"`
	Rate      float64 `json:"rate"`
	RateLower float64 `json:"rate_lower"`
	RateUpper float64 `json:"rate_upper"`
	Undefined float64 `json:"undefined"`
	Note      string  `json:"note,omitempty"`
	Flag      bool    `json:"flag"`
	Times     []int   `json:"times"`
}

type inner struct {
	Chisq float64 `json:"chisq"`
	P     float64 `json:"p"`
}

type embedded struct {
	N int `json:"n"`
}

type result struct {
	embedded
	Method string   `json:"method"`
	Test   inner    `json:"test"`
	Rows   []row    `json:"rows"`
	Empty  []row    `json:"empty"`
	Ptr    *float64 `json:"ptr"`
}

func sample() result {
	return result{
		embedded: embedded{N: 1500},
		Method:   "wilson, \"score\"",
		Test:     inner{Chisq: 3.841458820694124, P: 0.05},
		Rows: []row{
			{Group: group{[]string{"unit"}, []string{"SU01"}}, Exams: 1000, Rate: 0.0325, RateLower: 0.0231, RateUpper: 0.0455, Undefined: math.NaN(), Times: []int{1, 5}},
			{Group: group{[]string{"unit"}, []string{"SU02, east"}}, Exams: 500, Rate: 1234.5678, RateLower: 1000, RateUpper: 1500.25, Undefined: math.Inf(1), Note: "small", Flag: true},
		},
	}
}

// TestGolden pins each format against testdata/*.golden (go test -update
// rewrites them).
func TestGolden(t *testing.T) {
	for _, f := range []Format{Table, JSON, CSV} {
		var buf bytes.Buffer
		if err := Write(&buf, f, sample()); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "sample."+string(f)+".golden"), buf.Bytes())
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"}, {0.032480413, "0.03248"}, {6.014359, "6.014"}, {79.04, "79.04"}, {348333, "348333"}, {1234.56, "1234.6"}, {3, "3"},
		{0.00001234, "1.234e-05"}, {math.NaN(), "-"}, {-0.5, "-0.5000"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.in); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	if _, err := ParseFormat("xml"); err == nil || err.Error() != `format "xml": want one of table, json, csv` {
		t.Errorf("ParseFormat(xml) error %v", err)
	}
}

func (g *group) SetInlineColumns(names, values []string, numeric []bool) {
	g.names, g.values = names, values
}

// TestReadJSONRoundTrip: reading what Write wrote and writing it again
// gives the same bytes (NaN and Inf read back as NaN, inlined group
// columns back into the group, embedded and nested structs, pointers).
func TestReadJSONRoundTrip(t *testing.T) {
	p := 0.25
	for _, v := range []result{sample(), {Ptr: &p}} {
		var first bytes.Buffer
		if err := Write(&first, JSON, v); err != nil {
			t.Fatal(err)
		}
		var back result
		if err := ReadJSON(bytes.NewReader(first.Bytes()), &back); err != nil {
			t.Fatal(err)
		}
		var second bytes.Buffer
		if err := Write(&second, JSON, back); err != nil {
			t.Fatal(err)
		}
		if first.String() != second.String() {
			t.Errorf("round trip changed the JSON:\n%s\nvs\n%s", first.String(), second.String())
		}
		if len(v.Rows) > 0 && (!math.IsNaN(back.Rows[0].Undefined) || back.Rows[1].Group.values[0] != "SU02, east" || back.N != 1500) {
			t.Errorf("decoded %+v", back)
		}
	}
}

func TestReadJSONErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"n": "many"}`, "n: want an integer, found a string"},
		{`{"rows": [{"exams": 1, "rate": "high"}]}`, "rows[0].rate: want a number, found a string"},
		{`{"test": []}`, "test: want an object, found an array"},
		{`{"n": 1} {}`, "data after"},
		{``, "empty JSON"},
	} {
		var r result
		err := ReadJSON(bytes.NewReader([]byte(tc.in)), &r)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.want)) {
			t.Errorf("%s: got %v, want %q", tc.in, err, tc.want)
		}
	}
}

// A result's text that a spreadsheet would run as a formula is neutralised
// in CSV (and only there).
func TestCSVNeutralisesFormulas(t *testing.T) {
	type row struct {
		Unit  string  `json:"unit"`
		Value float64 `json:"value"`
	}
	var buf bytes.Buffer
	if err := Write(&buf, CSV, []row{{Unit: "=HYPERLINK(\"http://x\")", Value: -1.5}, {Unit: "SU01", Value: 2}}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "unit,value\n\"'=HYPERLINK(\"\"http://x\"\")\",-1.5\nSU01,2\n"; got != want {
		t.Errorf("CSV %q, want %q", got, want)
	}
	buf.Reset()
	Write(&buf, JSON, []row{{Unit: "=x"}})
	if !strings.Contains(buf.String(), `"=x"`) {
		t.Errorf("JSON changed the text: %s", buf.String())
	}
}

type metrics struct {
	Estimate float64 `json:"estimate"`
	Lower    float64 `json:"lower"`
	Upper    float64 `json:"upper"`
}

type subgroup struct {
	Group group    `json:"-"`
	N     int      `json:"n"`
	AUC   *metrics `json:"auc,omitempty"`
	Slope float64  `json:"slope"`
	Extra float64  `json:"extra"`
}

type bySubgroup struct {
	N  int        `json:"n"`
	By []subgroup `json:"by"`
}

func (*bySubgroup) PeopleTables() []string { return []string{"by"} }
func (*bySubgroup) PeopleColumns(table string) []string {
	return []string{"n", "auc.estimate", "auc.lower", "auc.upper", "slope"}
}

// Rows that differ in their columns (a subgroup without an AUC) stay
// aligned: CSV gives every row every column, NA where a row has none, and
// the table for people shows "-" there, only the key metrics, and a
// nested estimate with its interval in one column.
func TestRowsWithDifferentColumns(t *testing.T) {
	v := &bySubgroup{N: 30, By: []subgroup{
		{Group: group{[]string{"unit"}, []string{"A"}}, N: 10, AUC: &metrics{0.7, 0.6, 0.8}, Slope: 1.1, Extra: 9},
		{Group: group{[]string{"unit"}, []string{"B"}}, N: 20, Slope: 0.9, Extra: 8},
	}}
	var csv bytes.Buffer
	if err := Write(&csv, CSV, v); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	want := []string{"unit,n,auc.estimate,auc.lower,auc.upper,slope,extra", "A,10,0.7,0.6,0.8,1.1,9", "B,20,NA,NA,NA,0.9,8"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("CSV:\n%s\nwant\n%s", csv.String(), strings.Join(want, "\n"))
	}
	var table bytes.Buffer
	if err := Write(&table, Table, v); err != nil {
		t.Fatal(err)
	}
	got := table.String()
	for _, want := range []string{"auc (CI)", "0.7000 (0.6000, 0.8000)", "slope"} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "extra") {
		t.Errorf("the table for people shows a column it was not asked for:\n%s", got)
	}
	for _, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, "B") && !strings.Contains(l, "-") {
			t.Errorf("row B without its AUC: %q", l)
		}
	}
}
