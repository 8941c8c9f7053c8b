package datasets

import (
	"errors"
	"fmt"
	"time"
)

// Date is a calendar date held as the number of days since 1970-01-01
// (proleptic Gregorian calendar). The zero value is 1970-01-01; use NoDate
// for a missing date.
type Date int32

// NoDate marks a missing date (an empty field).
const NoDate Date = -1 << 31

// ErrBadDate is wrapped by errors from ParseDate.
var ErrBadDate = errors.New("bad date")

// daysFromCivil converts a year, month (1..12) and day to days since
// 1970-01-01, by H. Hinnant's algorithm ("chrono-Compatible Low-Level Date
// Algorithms", 2013), exact for the proleptic Gregorian calendar.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// DateOf returns the Date of a year, month and day; it does not validate.
func DateOf(year, month, day int) Date { return Date(daysFromCivil(year, month, day)) }

// DateFromTime returns the calendar date of t in its own location.
func DateFromTime(t time.Time) Date { return DateOf(t.Year(), int(t.Month()), t.Day()) }

// Civil returns the year, month and day of d.
func (d Date) Civil() (year, month, day int) { return civilFromDays(int(d)) }

// IsZero reports whether d is missing.
func (d Date) Missing() bool { return d == NoDate }

// String formats d as YYYY-MM-DD, or "" when missing.
func (d Date) String() string {
	if d == NoDate {
		return ""
	}
	return string(d.AppendFormat(nil))
}

// AppendFormat appends d as YYYY-MM-DD (nothing when missing).
func (d Date) AppendFormat(b []byte) []byte {
	if d == NoDate {
		return b
	}
	y, m, dd := d.Civil()
	if y < 0 || y > 9999 {
		return fmt.Appendf(b, "%04d-%02d-%02d", y, m, dd)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10))
}

// DaysIn returns the number of days in a month of a year.
func DaysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// AddMonths adds n calendar months to d. A day past the end of the target
// month is clamped to its last day (2020-01-31 + 1 month = 2020-02-29), as
// lubridate's %m+% does; Go's time.AddDate would roll over into March.
func (d Date) AddMonths(n int) Date {
	if d == NoDate {
		return NoDate
	}
	y, m, dd := d.Civil()
	total := y*12 + (m - 1) + n
	y, m = floorDiv(total, 12), total-floorDiv(total, 12)*12+1
	if k := DaysIn(y, m); dd > k {
		dd = k
	}
	return DateOf(y, m, dd)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// screenlab has two decimal-year conventions, each named for its use, and
// one length of a year for durations:
//
//   - EpiYear, a point in time on the time scales of Lexis splitting and
//     person-years: 1970 + days since 1970-01-01 / DaysPerYear, as popEpi's
//     get.yrs (and Epi's cal.yr) compute it, so that `incidence split`, the
//     SIRs' person-years and popEpi agree. Its year boundaries drift from
//     the calendar's (2024-12-31 is 2024.99912, and its last 0.7 day falls
//     in "2025"), so it is not for looking up tables by calendar year;
//   - CalendarYear, the calendar year plus the fraction of it that has
//     passed (2020-07-02 is 2020 + 183/366), for looking up what is
//     tabulated by calendar year: the life table's hazards (survival
//     relative), the year of a diagnosis;
//   - YearsBetween, a duration in years of 365.25 days (ages, follow-up).

// DaysPerYear is the length of a year of EpiYear: the mean tropical year,
// as popEpi's get.yrs uses it.
const DaysPerYear = 365.242199

// EpiYear returns d as a decimal year, 1970 + days since 1970-01-01 /
// DaysPerYear (popEpi::get.yrs, year.length "approx"; 2000-01-01 is
// 1999.99927).
func (d Date) EpiYear() float64 { return 1970 + float64(d)/DaysPerYear }

// CalendarYear returns d as its calendar year plus the fraction of that
// year before d: year + (day of year - 1) / days in the year (2020-07-02 is
// 2020.5).
func (d Date) CalendarYear() float64 {
	y, _, _ := d.Civil()
	start := DateOf(y, 1, 1)
	n := DateOf(y+1, 1, 1) - start
	return float64(y) + float64(d-start)/float64(n)
}

// YearsBetween returns the time from a to b in years of 365.25 days.
func YearsBetween(a, b Date) float64 { return float64(b-a) / 365.25 }

// ParseDate parses an ISO 8601 calendar date YYYY-MM-DD. An empty string
// gives NoDate and no error. Anything else that is not a valid date returns
// an error wrapping ErrBadDate.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return NoDate, nil
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return NoDate, ErrBadDate
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > DaysIn(y, m) {
		return NoDate, ErrBadDate
	}
	return DateOf(y, m, d), nil
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		n = n*10 + int(c)
	}
	return n, true
}
