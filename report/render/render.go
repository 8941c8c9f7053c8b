package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/screenlab/screenlab/datasets"
)

// Format is an output format.
type Format string

const (
	Table Format = "table"
	JSON  Format = "json"
	CSV   Format = "csv"
)

// Formats lists the valid formats.
var Formats = []string{string(Table), string(JSON), string(CSV)}

// ParseFormat checks a format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case Table, JSON, CSV:
		return f, nil
	}
	return "", fmt.Errorf("format %q: want one of %s", s, strings.Join(Formats, ", "))
}

type inliner interface {
	InlineColumns() ([]string, []string)
}

// numericInliner is an inliner some of whose columns are numbers (band
// limits): JSON writes those unquoted.
type numericInliner interface {
	NumericColumns() []bool
}

var inlinerType = reflect.TypeOf((*inliner)(nil)).Elem()
var marshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()

// Write renders v in a format.
func Write(w io.Writer, format Format, v any) error {
	return WriteWith(w, format, v, Options{})
}

// Options choose what CSV (and a table for people) shows of a result with
// several tables.
type Options struct {
	// Table names the table: a slice field ("groups"), or a slice inside
	// each element of one ("groups.table"), whose rows then begin with
	// the text columns that name their element (its group); "." is the
	// result's own figures as one row. Empty: the result's main table
	// (MainTable), else its first.
	Table string
	// Rename renames columns ("group" → the column the user grouped by).
	Rename map[string]string
	// Version, when set, is written into JSON as the object's first field,
	// "screenlab_version", so that a saved result says what made it.
	Version string
	// Units label columns of tables for people with their unit ("time" →
	// "days": the header reads "time, days"); CSV and JSON keep the bare
	// names. A result's own Units (Uniter) come first.
	Units map[string]string
}

// Uniter is a result that knows the units of some of its columns ("cdr" is
// per 1000 exams), shown in tables for people.
type Uniter interface {
	Units() map[string]string
}

// style is how a table for people names its columns.
type style struct {
	rename, units map[string]string
}

// label adds the unit to each header that has one: "median (CI)" with
// median in days reads "median, days (CI)".
func (st *style) label(header []string) []string {
	if st == nil || len(st.units) == 0 {
		return header
	}
	out := make([]string, len(header))
	for i, h := range header {
		base, ci := h, ""
		if b, ok := strings.CutSuffix(h, " (CI)"); ok {
			base, ci = b, " (CI)"
		}
		if u := st.units[base]; u != "" {
			h = base + ", " + u + ci
		}
		out[i] = h
	}
	return out
}

// Suppressor is a row that says which of its figures disclosure control
// hid (a table for people prints them as SuppressedText, not "-", which
// means not defined).
type Suppressor interface {
	IsSuppressed(field string) bool
}

// SuppressedText stands for a hidden figure in a table for people.
const SuppressedText = "suppressed"

// Keyed is an element whose own tables' rows begin with the columns that
// name it (a group, a cause, an indicator); without it, its text fields do.
type Keyed interface {
	KeyColumns() (names, values []string)
}

// PeopleTabler is a result that names the tables a person reads first: a
// table for people shows its figures and those tables (a nested one, such
// as "groups.at", as one table whose rows begin with their group) and
// lists the others for --table or JSON.
type PeopleTabler interface {
	PeopleTables() []string
}

// PeopleColumner is a result whose tables for people show only the columns
// a person reads first (the key metrics of each group); key columns are
// always shown, and CSV, JSON and --table keep every column.
type PeopleColumner interface {
	PeopleColumns(table string) []string
}

// ColumnNamer is a result that names some of its columns for tables and
// CSV by what they hold in this result ("ratio" is an odds ratio of a
// logistic model, a hazard ratio of a Cox model); JSON keeps the field
// names. Options.Rename goes over these.
type ColumnNamer interface {
	ColumnNames() map[string]string
}

// MainTabler is a result that names its main table for CSV.
type MainTabler interface {
	MainTable() string
}

// ErrNoTable is returned for an Options.Table the result does not have.
var ErrNoTable = errors.New("no such table")

// WriteWith renders v in a format with options.
func WriteWith(w io.Writer, format Format, v any, opts Options) error {
	if cn, ok := v.(ColumnNamer); ok && format != JSON {
		names := cn.ColumnNames()
		for k, n := range opts.Rename {
			names[k] = n
		}
		opts.Rename = names
	}
	var buf bytes.Buffer
	switch format {
	case JSON:
		encodeJSON(&buf, reflect.ValueOf(v), 0)
		buf.WriteByte('\n')
		if b := buf.Bytes(); opts.Version != "" && bytes.HasPrefix(b, []byte("{\n")) {
			var out bytes.Buffer
			out.WriteString("{\n  \"screenlab_version\": ")
			encodeJSON(&out, reflect.ValueOf(opts.Version), 1)
			out.WriteString(",\n")
			out.Write(b[2:])
			buf = out
		}
	case CSV:
		name := opts.Table
		if mt, ok := v.(MainTabler); ok && name == "" {
			name = mt.MainTable()
		}
		if name == "" {
			writeCSV(&buf, reflect.ValueOf(v), opts.Rename)
			break
		}
		rows, err := TableRows(v, name)
		if err != nil {
			return err
		}
		writeCSVRows(&buf, rename(rows, opts.Rename))
	case Table, "":
		st := &style{rename: opts.Rename, units: map[string]string{}}
		if u, ok := v.(Uniter); ok {
			for k, n := range u.Units() {
				st.units[k] = n
			}
		}
		for k, n := range opts.Units {
			st.units[k] = n
		}
		if opts.Table != "" {
			rows, err := TableRows(v, opts.Table)
			if err != nil {
				return err
			}
			writeAlignedCells(&buf, rename(rows, opts.Rename), st)
			break
		}
		writeTable(&buf, reflect.ValueOf(v), st)
	default:
		return fmt.Errorf("render: unknown format %q", format)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Tables lists the names Options.Table takes for v.
func Tables(v any) []string {
	var out []string
	var tables []namedSlice
	val := deref(reflect.ValueOf(v))
	if val.Kind() != reflect.Struct {
		return nil
	}
	flatten(val, "", nil, &tables, false)
	out = append(out, ".")
	for _, t := range tables {
		out = append(out, t.name)
		if t.v.Len() > 0 {
			var sub []namedSlice
			flatten(t.v.Index(0), "", nil, &sub, true)
			for _, s := range sub {
				out = append(out, t.name+"."+s.name)
			}
		}
	}
	return out
}

// TableRows returns the rows of a named table as cells (see Options.Table).
func TableRows(v any, name string) ([][]cell, error) {
	val := deref(reflect.ValueOf(v))
	if name == "." && val.Kind() == reflect.Struct {
		return [][]cell{flatten(val, "", nil, &[]namedSlice{}, false)}, nil
	}
	var tables []namedSlice
	if val.Kind() == reflect.Struct {
		flatten(val, "", nil, &tables, false)
	}
	for _, t := range tables {
		// The table itself ("cv.per_fold"), or a table in its rows
		// ("groups.at").
		inner, nested := strings.CutPrefix(name, t.name+".")
		if t.name != name && !nested {
			continue
		}
		var rows [][]cell
		for i := 0; i < t.v.Len(); i++ {
			var sub []namedSlice
			cells := flatten(t.v.Index(i), "", nil, &sub, true)
			if !nested {
				rows = append(rows, cells)
				continue
			}
			var id []cell // the columns that name the element
			if k, ok := t.v.Index(i).Interface().(Keyed); ok {
				names, values := k.KeyColumns()
				for j := range names {
					id = append(id, cell{name: names[j], text: values[j], isTxt: true})
				}
			} else {
				for _, c := range cells {
					if c.isTxt || deref(c.value).Kind() == reflect.String {
						id = append(id, c)
					}
				}
			}
			found := false
			for _, s := range sub {
				if s.name != inner {
					continue
				}
				found = true
				for j := 0; j < s.v.Len(); j++ {
					rows = append(rows, append(append([]cell(nil), id...), flatten(s.v.Index(j), "", nil, nil, true)...))
				}
			}
			if !found && t.v.Len() > 0 {
				return nil, fmt.Errorf("%w %q (there are: %s)", ErrNoTable, name, strings.Join(Tables(v), ", "))
			}
		}
		return rows, nil
	}
	return nil, fmt.Errorf("%w %q (there are: %s)", ErrNoTable, name, strings.Join(Tables(v), ", "))
}

// rename renames the columns of rows.
func rename(rows [][]cell, names map[string]string) [][]cell {
	if len(names) == 0 {
		return rows
	}
	for _, row := range rows {
		for i := range row {
			if n, ok := names[row[i].name]; ok && n != "" {
				row[i].name = n
			}
		}
	}
	return rows
}

// MarshalJSON returns v as indented JSON by the conventions of this package.
func MarshalJSON(v any) []byte {
	var buf bytes.Buffer
	encodeJSON(&buf, reflect.ValueOf(v), 0)
	return buf.Bytes()
}

func deref(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

type field struct {
	name      string
	omitEmpty bool
	index     []int
	inline    bool
}

var fieldCache sync.Map // reflect.Type -> []field

func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if sf.Anonymous && tag == "" && sf.Type.Kind() == reflect.Struct {
			// An embedded struct's fields belong to the outer one, as in
			// encoding/json.
			for _, inner := range fieldsOf(sf.Type) {
				inner.index = append([]int{i}, inner.index...)
				fs = append(fs, inner)
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if tag == "-" {
			if sf.Type.Implements(inlinerType) {
				fs = append(fs, field{index: []int{i}, inline: true})
			}
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fs = append(fs, field{name: name, omitEmpty: strings.Contains(opts, "omitempty"), index: []int{i}})
	}
	fieldCache.Store(t, fs)
	return fs
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Array:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface:
		return v.IsNil()
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	}
	return false
}

func writeIndent(b *bytes.Buffer, n int) {
	b.WriteByte('\n')
	for i := 0; i < n; i++ {
		b.WriteString("  ")
	}
}

func jsonString(b *bytes.Buffer, s string) {
	out, _ := json.Marshal(s)
	b.Write(out)
}

// JSONFloat formats a float as encoding/json does; NaN and Inf give null.
func JSONFloat(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	out, _ := json.Marshal(f)
	return string(out)
}

func encodeJSON(b *bytes.Buffer, v reflect.Value, depth int) {
	if v.IsValid() && v.Type().Implements(marshalerType) && (v.Kind() != reflect.Pointer || !v.IsNil()) {
		out, err := v.Interface().(json.Marshaler).MarshalJSON()
		if err == nil {
			var pretty bytes.Buffer
			if json.Indent(&pretty, out, strings.Repeat("  ", depth), "  ") == nil {
				b.Write(pretty.Bytes())
				return
			}
		}
	}
	v = deref(v)
	if !v.IsValid() {
		b.WriteString("null")
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		b.WriteByte('{')
		first := true
		sep := func() {
			if !first {
				b.WriteByte(',')
			}
			first = false
			writeIndent(b, depth+1)
		}
		for _, f := range fieldsOf(v.Type()) {
			fv := v.FieldByIndex(f.index)
			if f.inline {
				names, values := fv.Interface().(inliner).InlineColumns()
				var numeric []bool
				if ni, ok := fv.Interface().(numericInliner); ok {
					numeric = ni.NumericColumns()
				}
				for i := range names {
					sep()
					jsonString(b, names[i])
					b.WriteString(": ")
					if i < len(numeric) && numeric[i] && json.Valid([]byte(values[i])) {
						b.WriteString(values[i])
					} else {
						jsonString(b, values[i])
					}
				}
				continue
			}
			if f.omitEmpty && isEmpty(fv) {
				continue
			}
			sep()
			jsonString(b, f.name)
			b.WriteString(": ")
			encodeJSON(b, fv, depth+1)
		}
		if !first {
			writeIndent(b, depth)
		}
		b.WriteByte('}')
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			out, _ := json.Marshal(v.Interface())
			b.Write(out)
			return
		}
		b.WriteByte('[')
		scalar := v.Len() > 0 && isScalarKind(deref(v.Index(0)).Kind())
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
				if scalar {
					b.WriteByte(' ')
				}
			}
			if !scalar {
				writeIndent(b, depth+1)
			}
			encodeJSON(b, v.Index(i), depth+1)
		}
		if v.Len() > 0 && !scalar {
			writeIndent(b, depth)
		}
		b.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeIndent(b, depth+1)
			jsonString(b, fmt.Sprint(k.Interface()))
			b.WriteString(": ")
			encodeJSON(b, v.MapIndex(k), depth+1)
		}
		if len(keys) > 0 {
			writeIndent(b, depth)
		}
		b.WriteByte('}')
	case reflect.Float32, reflect.Float64:
		b.WriteString(JSONFloat(v.Float()))
	default:
		out, err := json.Marshal(v.Interface())
		if err != nil {
			b.WriteString("null")
			return
		}
		b.Write(out)
	}
}

func isScalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.Struct, reflect.Slice, reflect.Array, reflect.Map, reflect.Invalid:
		return false
	}
	return true
}

// cell is one flattened value with its column name.
type cell struct {
	name  string
	value reflect.Value
	text  string // for inline columns
	isTxt bool
}

// flatten lists the scalar fields of a struct (nested structs as a.b);
// slices of structs are returned separately.
//
// Rows (keepEmpty) keep their omitempty fields so that columns line up.
func flatten(v reflect.Value, prefix string, cells []cell, tables *[]namedSlice, keepEmpty bool) []cell {
	v = deref(v)
	if !v.IsValid() {
		return cells
	}
	if v.Kind() != reflect.Struct {
		return append(cells, cell{name: strings.TrimSuffix(prefix, "."), value: v})
	}
	for _, f := range fieldsOf(v.Type()) {
		fv := v.FieldByIndex(f.index)
		if f.inline {
			names, values := fv.Interface().(inliner).InlineColumns()
			for i := range names {
				cells = append(cells, cell{name: prefix + names[i], text: values[i], isTxt: true})
			}
			continue
		}
		if f.omitEmpty && !keepEmpty && isEmpty(fv) {
			continue
		}
		d := deref(fv)
		switch {
		case !d.IsValid():
			cells = append(cells, cell{name: prefix + f.name, value: d})
		case d.Kind() == reflect.Struct:
			cells = flatten(d, prefix+f.name+".", cells, tables, keepEmpty)
		case d.Kind() == reflect.Array && d.Len() == 2 && (d.Type().Elem().Kind() == reflect.Float64 || d.Type().Elem().Kind() == reflect.Float32):
			// an interval: two numeric columns
			cells = append(cells, cell{name: prefix + f.name + "_lower", value: d.Index(0)}, cell{name: prefix + f.name + "_upper", value: d.Index(1)})
		case d.Kind() == reflect.Slice || d.Kind() == reflect.Array:
			if d.Len() > 0 && !isScalarKind(deref(d.Index(0)).Kind()) || d.Type().Elem().Kind() == reflect.Struct {
				if tables != nil {
					*tables = append(*tables, namedSlice{name: prefix + f.name, v: d})
				}
				continue
			}
			cells = append(cells, cell{name: prefix + f.name, value: d})
		default:
			cells = append(cells, cell{name: prefix + f.name, value: d})
		}
	}
	return cells
}

type namedSlice struct {
	name string
	v    reflect.Value
}

// joinSlice formats a slice of scalars as "a;b;c".
func joinSlice(v reflect.Value, f func(reflect.Value) string) string {
	parts := make([]string, v.Len())
	for i := range parts {
		parts[i] = f(v.Index(i))
	}
	return strings.Join(parts, ";")
}

// formatCSV writes a value as R's read.csv reads it: NA for a missing or
// undefined number, TRUE and FALSE for booleans.
func formatCSV(v reflect.Value) string {
	v = deref(v)
	if !v.IsValid() {
		return "NA"
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		return joinSlice(v, formatCSV)
	case reflect.Map:
		keys := v.MapKeys()
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprint(k.Interface()) + "=" + formatCSV(v.MapIndex(k))
		}
		sort.Strings(parts)
		return strings.Join(parts, ";")
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "NA"
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case reflect.Bool:
		if v.Bool() {
			return "TRUE"
		}
		return "FALSE"
	}
	return fmt.Sprint(v.Interface())
}

// FormatNumber formats a float for people: four significant digits, no
// exponent for numbers from 0.0001 to 10^15, "-" when undefined.
func FormatNumber(f float64) string {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return "-"
	case f == math.Trunc(f) && math.Abs(f) < 1e15:
		return strconv.FormatFloat(f, 'f', 0, 64)
	case math.Abs(f) >= 1000:
		if math.Abs(f) < 1e15 {
			return strconv.FormatFloat(f, 'f', 1, 64)
		}
	case math.Abs(f) >= 0.0001:
		digits := 3 - int(math.Floor(math.Log10(math.Abs(f))))
		return strconv.FormatFloat(f, 'f', max(digits, 0), 64)
	}
	return strconv.FormatFloat(f, 'g', 4, 64)
}

func formatHuman(c cell) string {
	if c.isTxt {
		return c.text
	}
	if !c.value.IsValid() {
		return "-"
	}
	if isPValue(c.name) {
		if v := deref(c.value); v.IsValid() && (v.Kind() == reflect.Float64 || v.Kind() == reflect.Float32) {
			return FormatP(v.Float())
		}
	}
	return humanValue(c.value)
}

// isPValue reports whether a column holds p-values.
func isPValue(name string) bool {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return name == "p" || name == "p_value" || strings.HasSuffix(name, "_p")
}

// FormatP formats a p-value for people: two significant digits, and
// "< 1e-16" below double precision's resolution (never 0).
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "-"
	case p < 1e-16:
		return "< 1e-16"
	}
	return strconv.FormatFloat(p, 'g', 2, 64)
}

func humanValue(v reflect.Value) string {
	v = deref(v)
	if !v.IsValid() {
		return "-"
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return FormatNumber(v.Float())
	case reflect.Slice, reflect.Array:
		return joinSlice(v, humanValue)
	}
	return formatCSV(v)
}

func writeCSV(b *bytes.Buffer, v reflect.Value, names map[string]string) {
	v = deref(v)
	var rows reflect.Value
	switch {
	case !v.IsValid():
		return
	case v.Kind() == reflect.Slice:
		rows = v
	case v.Kind() == reflect.Struct:
		var tables []namedSlice
		scalars := flatten(v, "", nil, &tables, false)
		if len(tables) == 0 {
			writeCSVRows(b, rename([][]cell{scalars}, names))
			return
		}
		rows = tables[0].v
	default:
		b.WriteString(formatCSV(v) + "\n")
		return
	}
	var all [][]cell
	for i := 0; i < rows.Len(); i++ {
		all = append(all, flatten(rows.Index(i), "", nil, nil, true))
	}
	writeCSVRows(b, rename(all, names))
}

func writeCSVRows(b *bytes.Buffer, rows [][]cell) {
	if len(rows) == 0 {
		return
	}
	rows = sameColumns(rows)
	line := make([]byte, 0, 256)
	for i, c := range rows[0] {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendCSV(line, c.name)
	}
	b.Write(append(line, '\n'))
	for _, row := range rows {
		line = line[:0]
		for i, c := range row {
			if i > 0 {
				line = append(line, ',')
			}
			switch {
			case c.isTxt:
				line = appendCSV(line, c.text)
			case !c.value.IsValid():
				line = append(line, "NA"...)
			default:
				line = appendCSV(line, formatCSV(c.value))
			}
		}
		b.Write(append(line, '\n'))
	}
}

// sameColumns gives every row the same columns, the union in order of
// appearance, where rows differ (a subgroup whose calibration was skipped
// has no calibration columns); a missing cell has no value (NA).
func sameColumns(rows [][]cell) [][]cell {
	same := true
	for _, row := range rows[1:] {
		if len(row) != len(rows[0]) {
			same = false
			break
		}
		for k := range row {
			if row[k].name != rows[0][k].name {
				same = false
				break
			}
		}
	}
	if same {
		return rows
	}
	// A nil nested struct is one cell ("auc") where other rows have its
	// fields ("auc.estimate", …): it gives way to them.
	nested := map[string]bool{}
	for _, row := range rows {
		for _, c := range row {
			if p, _, ok := strings.Cut(c.name, "."); ok {
				nested[p] = true
			}
		}
	}
	var names []string
	col := map[string]int{}
	for _, row := range rows {
		for _, c := range row {
			if _, ok := col[c.name]; !ok && !(nested[c.name] && !c.isTxt) {
				col[c.name] = len(names)
				names = append(names, c.name)
			}
		}
	}
	out := make([][]cell, len(rows))
	for i, row := range rows {
		line := make([]cell, len(names))
		for k, n := range names {
			line[k] = cell{name: n}
		}
		for _, c := range row {
			if k, ok := col[c.name]; ok {
				line[k] = c
			}
		}
		out[i] = line
	}
	return out
}

// appendCSV appends a CSV field, quoted when needed and neutralised when a
// spreadsheet would take it for a formula (datasets.CSVSafe).
func appendCSV(b []byte, s string) []byte {
	s = datasets.CSVSafe(s)
	if !strings.ContainsAny(s, ",\"\n\r") {
		return append(b, s...)
	}
	return append(append(b, '"'), append([]byte(strings.ReplaceAll(s, `"`, `""`)), '"')...)
}

func writeTable(b *bytes.Buffer, v reflect.Value, st *style) {
	v = deref(v)
	if !v.IsValid() {
		return
	}
	if v.Kind() == reflect.Struct && v.CanAddr() {
		if pt, ok := v.Addr().Interface().(PeopleTabler); ok {
			writeForPeople(b, v, pt.PeopleTables(), st)
			return
		}
	}
	if v.Kind() == reflect.Struct {
		if pt, ok := v.Interface().(PeopleTabler); ok {
			writeForPeople(b, v, pt.PeopleTables(), st)
			return
		}
	}
	if v.Kind() == reflect.Slice {
		writeAligned(b, "", v, st)
		return
	}
	if v.Kind() != reflect.Struct {
		b.WriteString(formatCSV(v) + "\n")
		return
	}
	var tables []namedSlice
	writeScalars(b, flatten(v, "", nil, &tables, false), st)
	for _, t := range tables {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		writeAligned(b, t.name, t.v, st)
	}
}

func writeAligned(b *bytes.Buffer, title string, rows reflect.Value, st *style) {
	hidden := false
	defer func() {
		if hidden {
			b.WriteString("(" + SuppressedText + ": hidden by disclosure control to protect small counts; -: not defined)\n")
		}
	}()
	var grid [][]string
	var header []string
	var nested []namedSlice
	for i := 0; i < rows.Len(); i++ {
		var sub []namedSlice
		cells := flatten(rows.Index(i), "", nil, &sub, true)
		if header == nil {
			for _, c := range cells {
				header = append(header, c.name)
			}
		}
		line := make([]string, len(cells))
		sup, _ := rows.Index(i).Interface().(Suppressor)
		if p, ok := rows.Index(i).Addr().Interface().(Suppressor); ok && sup == nil && rows.Index(i).CanAddr() {
			sup = p
		}
		for k, c := range cells {
			line[k] = formatHuman(c)
			if line[k] == "-" && sup != nil && sup.IsSuppressed(c.name) {
				line[k] = SuppressedText
				hidden = true
			}
		}
		grid = append(grid, line)
		for _, s := range sub {
			name := s.name
			if len(cells) > 0 {
				name = fmt.Sprintf("%s (%s %s)", s.name, cells[0].name, line[0])
			}
			nested = append(nested, namedSlice{name: name, v: s.v})
		}
	}
	printGrid(b, title, header, grid, st)
	for _, n := range nested {
		b.WriteByte('\n')
		writeAligned(b, n.name, n.v, st)
	}
}

// printGrid prints a table for people: intervals folded, numbers right-
// aligned.
func printGrid(b *bytes.Buffer, title string, header []string, grid [][]string, st *style) {
	header, grid = foldIntervals(header, grid)
	header = st.label(header)
	if title != "" {
		b.WriteString(title + "\n")
	}
	if len(header) == 0 {
		b.WriteString("(none)\n")
	} else {
		widths := make([]int, len(header))
		numeric := make([]bool, len(header))
		for k, h := range header {
			widths[k] = utf8.RuneCountInString(h)
			numeric[k] = true
		}
		for _, line := range grid {
			for k, s := range line {
				if k < len(widths) {
					widths[k] = max(widths[k], utf8.RuneCountInString(s))
					if _, err := strconv.ParseFloat(s, 64); err != nil && s != "-" && s != SuppressedText && !strings.HasPrefix(s, "< ") {
						numeric[k] = false
					}
				}
			}
		}
		writeRow := func(line []string) {
			var sb strings.Builder
			for k, s := range line {
				if k >= len(widths) {
					break
				}
				if k > 0 {
					sb.WriteString("  ")
				}
				pad := strings.Repeat(" ", widths[k]-utf8.RuneCountInString(s))
				if numeric[k] {
					sb.WriteString(pad + s)
				} else {
					sb.WriteString(s + pad)
				}
			}
			b.WriteString(strings.TrimRight(sb.String(), " ") + "\n")
		}
		writeRow(header)
		for _, line := range grid {
			writeRow(line)
		}
	}
}

// writeScalars prints a result's figures, a name and value per line.
func writeScalars(b *bytes.Buffer, scalars []cell, st *style) {
	width := 0
	for _, c := range scalars {
		width = max(width, utf8.RuneCountInString(c.name))
	}
	header := make([]string, len(scalars))
	line := make([]string, len(scalars))
	for i, c := range scalars {
		header[i], line[i] = c.name, formatHuman(c)
	}
	header, grid := foldIntervals(header, [][]string{line})
	header = st.label(header)
	for _, h := range header {
		width = max(width, utf8.RuneCountInString(h))
	}
	for i, h := range header {
		fmt.Fprintf(b, "%-*s  %s\n", width, h, grid[0][i])
	}
}

// writeForPeople prints a result's figures and the named tables, then
// names the tables left out.
func writeForPeople(b *bytes.Buffer, v reflect.Value, names []string, st *style) {
	var tables []namedSlice
	writeScalars(b, flatten(v, "", nil, &tables, false), st)
	shown := map[string]bool{}
	for _, name := range names {
		rows, err := TableRows(v.Interface(), name)
		if err != nil || len(rows) == 0 {
			continue
		}
		shown[name] = true
		b.WriteString("\n" + name + "\n")
		if pc, ok := v.Interface().(PeopleColumner); ok {
			rows = keepColumns(rows, pc.PeopleColumns(name))
		} else if v.CanAddr() {
			if pc, ok := v.Addr().Interface().(PeopleColumner); ok {
				rows = keepColumns(rows, pc.PeopleColumns(name))
			}
		}
		writeAlignedCells(b, rename(rows, st.rename), st)
	}
	var rest []string
	for _, t := range Tables(v.Interface()) {
		if t != "." && !shown[t] {
			rest = append(rest, t)
		}
	}
	if len(rest) > 0 {
		fmt.Fprintf(b, "\n(also: %s; --table NAME or --format json)\n", strings.Join(rest, ", "))
	}
}

// keepColumns keeps the key columns and the named ones of rows (all of
// them when names is nil).
func keepColumns(rows [][]cell, names []string) [][]cell {
	if names == nil {
		return rows
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := make([][]cell, len(rows))
	for i, row := range rows {
		for _, c := range row {
			if c.isTxt || want[c.name] {
				out[i] = append(out[i], c)
			}
		}
	}
	return out
}

// writeAlignedCells prints rows of cells (a table chosen by name).
func writeAlignedCells(b *bytes.Buffer, rows [][]cell, st *style) {
	if len(rows) == 0 {
		return
	}
	rows = sameColumns(rows)
	header := make([]string, len(rows[0]))
	for k, c := range rows[0] {
		header[k] = c.name
	}
	grid := make([][]string, len(rows))
	for i, row := range rows {
		grid[i] = make([]string, len(row))
		for k, c := range row {
			grid[i][k] = formatHuman(c)
		}
	}
	printGrid(b, "", header, grid, st)
}

// foldIntervals merges columns x, x_lower, x_upper into one column
// "x (CI)" holding "estimate (lower, upper)", for people.
func foldIntervals(header []string, grid [][]string) ([]string, [][]string) {
	pos := make(map[string]int, len(header))
	for i, h := range header {
		pos[h] = i
	}
	drop := make([]bool, len(header))
	type triple struct{ est, lo, hi int }
	var folds []triple
	label := map[int]string{}
	for i, h := range header {
		lo, ok1 := pos[h+"_lower"]
		hi, ok2 := pos[h+"_upper"]
		// A nested estimate: auc.estimate, auc.lower, auc.upper.
		if p, ok := strings.CutSuffix(h, ".estimate"); ok && !ok1 {
			lo, ok1 = pos[p+".lower"]
			hi, ok2 = pos[p+".upper"]
			label[i] = p + " (CI)"
		}
		if ok1 && ok2 {
			folds = append(folds, triple{i, lo, hi})
			drop[lo], drop[hi] = true, true
		}
	}
	if len(folds) == 0 {
		return header, grid
	}
	newHeader := append([]string(nil), header...)
	for _, f := range folds {
		newHeader[f.est] = header[f.est] + " (CI)"
		if l, ok := label[f.est]; ok {
			newHeader[f.est] = l
		}
	}
	keep := func(line []string) []string {
		out := make([]string, 0, len(line))
		for i, s := range line {
			if i < len(drop) && drop[i] {
				continue
			}
			out = append(out, s)
		}
		return out
	}
	newGrid := make([][]string, len(grid))
	for r, line := range grid {
		line = append([]string(nil), line...)
		for _, f := range folds {
			if f.hi < len(line) && line[f.est] != "-" && line[f.est] != SuppressedText {
				line[f.est] = line[f.est] + " (" + line[f.lo] + ", " + line[f.hi] + ")"
			}
		}
		newGrid[r] = keep(line)
	}
	return keep(newHeader), newGrid
}
