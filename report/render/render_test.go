package render

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

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
		path := filepath.Join("testdata", "sample."+string(f)+".golden")
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s output differs from %s:\n%s", f, path, buf.String())
		}
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
