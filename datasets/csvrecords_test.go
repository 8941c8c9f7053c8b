package datasets

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
)

// readAllRecords reads every record of CSV text through a csvSource:
// fields per record, or the error's text.
func readAllRecords(t *testing.T, text string) (header []string, out []string) {
	t.Helper()
	src, err := NewCSVSource(strings.NewReader(text), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	for {
		rec, line, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			out = append(out, err.Error())
			continue
		}
		out = append(out, strings.Join(append([]string{itoa(line)}, rec...), "|"))
	}
	return src.Header(), out
}

func itoa(n int) string { return fmt.Sprintf("%02d", n) }

// TestRecordSplitting: the records of RFC 4180 text, and what a broken
// record costs — itself alone, named by the line and character column
// where its quote opened.
func TestRecordSplitting(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"plain and CRLF", "a,b\r\n1,2\r\n3,4\r\n", []string{"02|1|2", "03|3|4"}},
		{"a quoted field with a comma, a quote and a newline", "a,b\n\"x, \"\"y\"\"\nz\",2\n3,4\n", []string{"02|x, \"y\"\nz|2", "04|3|4"}},
		{"no newline at the end", "a,b\n1,2", []string{"02|1|2"}},
		{"a broken quote rejects its line alone", "a,b\n1,2\n3,\"x\n5,6\n7,8\n",
			[]string{"02|1|2", "t.csv:3:3: the quoted field that begins at character 3 is never closed (a missing or stray \")", "04|5|6", "05|7|8"}},
		{"two stray quotes do not swallow the lines between", "a,b\n1,x\"y\n3,4\n5,p\"q\n7,8\n", nil},
		{"text after a closing quote", "a,b\n\"ab\"c,2\n", []string{"t.csv:2:5: text after the closing quote of the field that begins on line 2 at character 1 (a quote inside a quoted field is written \"\")"}},
		{"characters, not bytes", "a,b\nÅsa,é\"x\n", []string{"t.csv:2:6: a stray quote at character 6, inside an unquoted field (quote the whole field and write a quote as \"\")"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := readAllRecords(t, tt.text)
			if tt.name == "two stray quotes do not swallow the lines between" {
				// lines 2 and 4 each have a stray quote; line 3 and 5 are read
				if len(got) != 4 || !strings.HasPrefix(got[0], "t.csv:2:4: a stray quote") || got[1] != "03|3|4" || !strings.HasPrefix(got[2], "t.csv:4:4: a stray quote") || got[3] != "05|7|8" {
					t.Errorf("got %q", got)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// The attack on --lenient: one stray quote on line 3 of a persons table.
// encoding/csv reads the rest of the file into that field; here the record
// alone is rejected, with its text, and read = accepted + rejected counts
// the physical records.
func TestLenientBrokenQuote(t *testing.T) {
	persons := "person_id,birth_date,sex,death_date,emigration_date,region\n" +
		"P1,1950-01-01,F,,,mid\n" +
		"P2,1952-03-01,F,,,\"mid\n" +
		"P3,1953-03-01,F,,,north\n" +
		"P4,1954-03-01,F,,,south\n"
	dir := writeFiles(t, map[string]string{"persons.csv": persons})
	reg, err := loadDir(dir, true, "persons")
	if err != nil {
		t.Fatal(err)
	}
	st := reg.Stats[0]
	if st.Read != 4 || st.Accepted != 3 || st.Rejected != 1 || len(reg.Persons) != 3 {
		t.Fatalf("stats %+v, %d persons kept; want 4 read, 3 accepted, 1 rejected", st, len(reg.Persons))
	}
	rows := readRejects(t, st.RejectsFile)
	if len(rows) != 2 || rows[1][0] != "3" || rows[1][1] != "19" || rows[1][3] != "P2,1952-03-01,F,,,\"mid" {
		t.Errorf("rejects %q, want line 3, column 19 and the row's text", rows)
	}
	// Strict: the message names where the quoted field began.
	_, err = loadDir(dir, false, "persons")
	if err == nil || !strings.Contains(err.Error(), "persons.csv:3:19: the quoted field that begins at character 19 is never closed") || strings.Contains(err.Error(), "1952") {
		t.Errorf("strict: %v", err)
	}
}

// A Latin-1 export: named as such by default, read with Latin1 set; a
// UTF-8 byte-order mark before a quoted header reads like any CSV.
func TestLatin1AndBOM(t *testing.T) {
	text := "region,n\nJ\xf6nk\xf6ping,3\n"
	src, _ := NewCSVSource(strings.NewReader(text), "l.csv")
	if _, _, err := src.Next(); !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), "--encoding latin1") {
		t.Errorf("Latin-1 read as UTF-8: %v", err)
	}
	Latin1.Store(true)
	defer Latin1.Store(false)
	src, _ = NewCSVSource(strings.NewReader(text), "l.csv")
	if rec, _, err := src.Next(); err != nil || rec[0] != "Jönköping" {
		t.Errorf("Latin-1: %q %v", rec, err)
	}
	Latin1.Store(false)
	header, recs := readAllRecords(t, "\xef\xbb\xbf\"a\",\"b\"\n\"1\",\"2\"\n")
	if !reflect.DeepEqual(header, []string{"a", "b"}) || !reflect.DeepEqual(recs, []string{"02|1|2"}) {
		t.Errorf("BOM and quoted header: %q %q", header, recs)
	}
}
