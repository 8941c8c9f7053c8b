package datasets

import (
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"1970-01-01", 0, false},
		{"1970-01-02", 1, false},
		{"1969-12-31", -1, false},
		{"2000-02-29", DateOf(2000, 2, 29), false}, // divisible by 400: leap
		{"1900-02-29", NoDate, true},               // divisible by 100: not leap
		{"2024-02-29", DateOf(2024, 2, 29), false},
		{"2023-02-29", NoDate, true},
		{"2019-13-01", NoDate, true},
		{"2019-00-10", NoDate, true},
		{"2019-04-31", NoDate, true},
		{"2019-4-3", NoDate, true},
		{"2019/04/03", NoDate, true},
		{"03.04.2019", NoDate, true},
		{"2019-04-03 ", NoDate, true},
		{"+019-04-03", NoDate, true},
		{"", NoDate, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) error %v does not wrap ErrBadDate", tt.in, err)
		}
	}
}

// TestDateAgreesWithTime checks the civil-date arithmetic against package
// time for every day from 1800 to 2200.
func TestDateAgreesWithTime(t *testing.T) {
	day := time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC)
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for ; day.Year() < 2200; day = day.AddDate(0, 0, 1) {
		want := Date(day.Sub(epoch).Hours() / 24)
		if got := DateFromTime(day); got != want {
			t.Fatalf("DateFromTime(%s) = %d, want %d", day.Format("2006-01-02"), got, want)
		}
		if s := want.String(); s != day.Format("2006-01-02") {
			t.Fatalf("Date(%d).String() = %s, want %s", want, s, day.Format("2006-01-02"))
		}
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		from   string
		months int
		want   string
	}{
		{"2020-01-31", 1, "2020-02-29"}, // clamped, leap year
		{"2021-01-31", 1, "2021-02-28"},
		{"2020-03-31", -1, "2020-02-29"},
		{"2019-08-31", 6, "2020-02-29"},
		{"2019-06-15", 24, "2021-06-15"},
		{"2019-12-15", 1, "2020-01-15"},
		{"2019-01-15", -13, "2017-12-15"},
	}
	for _, tt := range tests {
		d, _ := ParseDate(tt.from)
		if got := d.AddMonths(tt.months).String(); got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.months, got, tt.want)
		}
	}
}

func TestCalendarYear(t *testing.T) {
	if got := DateOf(2020, 1, 1).CalendarYear(); got != 2020 {
		t.Errorf("2020-01-01 = %v", got)
	}
	// 2020 has 366 days; July 2 is day 184, so 183 days have passed.
	if got, want := DateOf(2020, 7, 2).CalendarYear(), 2020+183.0/366; got != want {
		t.Errorf("2020-07-02 = %v, want %v", got, want)
	}
	// The last day of a year stays in that year (EpiYear's does not,
	// entirely).
	if got := DateOf(2024, 12, 31).CalendarYear(); got >= 2024+365.0/366+1e-12 || got < 2024 {
		t.Errorf("2024-12-31 = %v", got)
	}
}

func TestEpiYear(t *testing.T) {
	// popEpi::get.yrs(as.Date("2000-01-01"), year.length = "approx") =
	// 1970 + 10957 / 365.242199, by hand 1999.99927
	if got, want := DateOf(2000, 1, 1).EpiYear(), 1970+10957/365.242199; got != want {
		t.Errorf("2000-01-01 = %v, want %v", got, want)
	}
	if got := DateOf(1970, 1, 1).EpiYear(); got != 1970 {
		t.Errorf("1970-01-01 = %v", got)
	}
}

// FuzzParseDate: whatever parses must format back to the same text.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2020-02-29", "1900-02-29", "2019-13-01", "0000-01-01", "9999-12-31", "", "2020-1-1", "abcd-ef-gh"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil || s == "" {
			return
		}
		if got := d.String(); got != s {
			t.Fatalf("ParseDate(%q) formats back as %q", s, got)
		}
		y, m, dd := d.Civil()
		if m < 1 || m > 12 || dd < 1 || dd > DaysIn(y, m) {
			t.Fatalf("ParseDate(%q) gave an invalid civil date %d-%d-%d", s, y, m, dd)
		}
	})
}
