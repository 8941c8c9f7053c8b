package datasets

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// Dates as other tools write them to Parquet: TIMESTAMP in milliseconds or
// microseconds at midnight is read as the date; a time of day, or a date
// stored as a bare INT64, is an error that says so.
func TestParquetDates(t *testing.T) {
	dir := t.TempDir()
	type millis struct {
		PersonID  string    `parquet:"person_id"`
		BirthDate time.Time `parquet:"birth_date,timestamp(millisecond)"`
		Sex       string    `parquet:"sex"`
	}
	type micros struct {
		PersonID  string    `parquet:"person_id"`
		BirthDate time.Time `parquet:"birth_date,timestamp(microsecond)"`
		Sex       string    `parquet:"sex"`
	}
	type bare struct {
		PersonID  string `parquet:"person_id"`
		BirthDate int64  `parquet:"birth_date"`
		Sex       string `parquet:"sex"`
	}
	day := time.Date(1957, 3, 12, 0, 0, 0, 0, time.UTC)
	write := func(name string, rows any) string {
		p := filepath.Join(dir, name)
		var err error
		switch r := rows.(type) {
		case []millis:
			err = parquet.WriteFile(p, r)
		case []micros:
			err = parquet.WriteFile(p, r)
		case []bare:
			err = parquet.WriteFile(p, r)
		}
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		path, want string
	}{
		{write("ms.parquet", []millis{{"P1", day, "F"}}), "1957-03-12"},
		{write("us.parquet", []micros{{"P1", day, "F"}}), "1957-03-12"},
		{write("pre1970.parquet", []millis{{"P1", time.Date(1931, 12, 31, 0, 0, 0, 0, time.UTC), "F"}}), "1931-12-31"},
		{write("noon.parquet", []millis{{"P1", day.Add(12 * time.Hour), "F"}}), "this timestamp has a time of day"},
		{write("bare.parquet", []bare{{"P1", 12000, "F"}}), "a whole number"},
	} {
		src, err := OpenSource(c.path)
		if err != nil {
			t.Fatal(err)
		}
		rec, _, err := src.Next()
		src.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := rec[1]
		if strings.HasPrefix(c.want, "19") {
			if got != c.want {
				t.Errorf("%s: %q, want %q", filepath.Base(c.path), got, c.want)
			}
			continue
		}
		// Read as a persons table: the date field's error names the cause.
		fr := &Fields{file: "x", line: 2, record: rec, index: []int{0, 1, 2}, names: []string{"person_id", "birth_date", "sex"}, asOf: NoDate}
		fr.Date(1, true)
		if fr.err == nil || !strings.Contains(fr.err.Error(), c.want) {
			t.Errorf("%s (%q): %v, want %q", filepath.Base(c.path), got, fr.err, c.want)
		}
	}
}
