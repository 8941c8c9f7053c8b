package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
)

// InlineSetter is the inverse of InlineColumns: ReadJSON hands it the keys
// of an object that belong to no field (the --by columns of a grouped row),
// in the order they appear, with numeric[i] true where the value was a
// JSON number. Implement it on the pointer of the inlined field's type.
type InlineSetter interface {
	SetInlineColumns(names, values []string, numeric []bool)
}

var inlineSetterType = reflect.TypeOf((*InlineSetter)(nil)).Elem()
var unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()

// ReadJSON decodes JSON written by Write(…, JSON, …) into v (a pointer),
// inverting this package's conventions: null gives NaN for a float, and
// the keys of an object that match no field go to its inlined field's
// SetInlineColumns. Keys that name no field of a struct without one are
// ignored, so results written by a newer screenlab still read.
// ReadJSON(Write(x)) writes back to the same bytes.
func ReadJSON(r io.Reader, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("render: ReadJSON needs a non-nil pointer, got %T", v)
	}
	dec := json.NewDecoder(r)
	dec.UseNumber()
	n, err := readNode(dec)
	if err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("render: data after the JSON value")
	}
	return assign(n, rv.Elem(), "")
}

// node is a JSON value that keeps the order of an object's keys.
type node struct {
	kind  byte // 'o' object, 'a' array, 'n' number, 's' string, 'b' bool, 'z' null
	keys  []string
	elems []*node
	text  string
	b     bool
}

func readNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, fmt.Errorf("render: empty JSON")
		}
		return nil, fmt.Errorf("render: %w", err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: 'o'}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("render: %w", err)
				}
				v, err := readNode(dec)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k.(string))
				n.elems = append(n.elems, v)
			}
			_, err := dec.Token()
			return n, err
		case '[':
			n := &node{kind: 'a'}
			for dec.More() {
				v, err := readNode(dec)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
			_, err := dec.Token()
			return n, err
		}
		return nil, fmt.Errorf("render: unexpected %v", t)
	case json.Number:
		return &node{kind: 'n', text: t.String()}, nil
	case string:
		return &node{kind: 's', text: t}, nil
	case bool:
		return &node{kind: 'b', b: t}, nil
	case nil:
		return &node{kind: 'z'}, nil
	}
	return nil, fmt.Errorf("render: unexpected token %v", tok)
}

// raw writes the node back as JSON, for types with their own UnmarshalJSON.
func (n *node) raw(b *bytes.Buffer) {
	switch n.kind {
	case 'o':
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonString(b, k)
			b.WriteByte(':')
			n.elems[i].raw(b)
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			e.raw(b)
		}
		b.WriteByte(']')
	case 'n':
		b.WriteString(n.text)
	case 's':
		jsonString(b, n.text)
	case 'b':
		b.WriteString(strconv.FormatBool(n.b))
	default:
		b.WriteString("null")
	}
}

func kindName(k byte) string {
	return map[byte]string{'o': "an object", 'a': "an array", 'n': "a number", 's': "a string", 'b': "a boolean", 'z': "null"}[k]
}

func assign(n *node, v reflect.Value, path string) error {
	mismatch := func(want string) error {
		where := path
		if where == "" {
			where = "the document"
		}
		return fmt.Errorf("render: %s: want %s, found %s", where, want, kindName(n.kind))
	}
	if v.CanAddr() && v.Addr().Type().Implements(unmarshalerType) && v.Kind() != reflect.Pointer {
		var b bytes.Buffer
		n.raw(&b)
		if err := v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(b.Bytes()); err != nil {
			return fmt.Errorf("render: %s: %w", path, err)
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Pointer:
		if n.kind == 'z' {
			v.Set(reflect.Zero(v.Type()))
			return nil
		}
		p := reflect.New(v.Type().Elem())
		if err := assign(n, p.Elem(), path); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case reflect.Interface:
		var x any
		var b bytes.Buffer
		n.raw(&b)
		if err := json.Unmarshal(b.Bytes(), &x); err != nil {
			return err
		}
		if x != nil {
			v.Set(reflect.ValueOf(x))
		}
		return nil
	case reflect.Float32, reflect.Float64:
		switch n.kind {
		case 'z':
			v.SetFloat(math.NaN())
			return nil
		case 'n':
			f, err := strconv.ParseFloat(n.text, 64)
			if err != nil {
				return fmt.Errorf("render: %s: %w", path, err)
			}
			v.SetFloat(f)
			return nil
		}
		return mismatch("a number")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n.kind == 'z' {
			return nil
		}
		if n.kind != 'n' {
			return mismatch("an integer")
		}
		i, err := strconv.ParseInt(n.text, 10, 64)
		if err != nil {
			return fmt.Errorf("render: %s: %w", path, err)
		}
		v.SetInt(i)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n.kind == 'z' {
			return nil
		}
		if n.kind != 'n' {
			return mismatch("an integer")
		}
		u, err := strconv.ParseUint(n.text, 10, 64)
		if err != nil {
			return fmt.Errorf("render: %s: %w", path, err)
		}
		v.SetUint(u)
		return nil
	case reflect.String:
		if n.kind == 'z' {
			return nil
		}
		if n.kind != 's' {
			return mismatch("a string")
		}
		v.SetString(n.text)
		return nil
	case reflect.Bool:
		if n.kind == 'z' {
			return nil
		}
		if n.kind != 'b' {
			return mismatch("a boolean")
		}
		v.SetBool(n.b)
		return nil
	case reflect.Slice:
		if n.kind == 'z' {
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 && n.kind == 's' {
			var b bytes.Buffer
			n.raw(&b)
			return json.Unmarshal(b.Bytes(), v.Addr().Interface())
		}
		if n.kind != 'a' {
			return mismatch("an array")
		}
		s := reflect.MakeSlice(v.Type(), len(n.elems), len(n.elems))
		for i, e := range n.elems {
			if err := assign(e, s.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.Array:
		if n.kind != 'a' {
			return mismatch("an array")
		}
		for i, e := range n.elems {
			if i < v.Len() {
				if err := assign(e, v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		}
		return nil
	case reflect.Map:
		if n.kind == 'z' {
			return nil
		}
		if n.kind != 'o' {
			return mismatch("an object")
		}
		if v.Type().Key().Kind() != reflect.String {
			return fmt.Errorf("render: %s: maps need string keys", path)
		}
		m := reflect.MakeMapWithSize(v.Type(), len(n.keys))
		for i, k := range n.keys {
			e := reflect.New(v.Type().Elem()).Elem()
			if err := assign(n.elems[i], e, path+"."+k); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(k).Convert(v.Type().Key()), e)
		}
		v.Set(m)
		return nil
	case reflect.Struct:
		if n.kind == 'z' {
			return nil
		}
		if n.kind != 'o' {
			return mismatch("an object")
		}
		fields := fieldsOf(v.Type())
		byName := make(map[string]int, len(fields))
		inline := -1
		for i, f := range fields {
			if f.inline {
				inline = i
				continue
			}
			byName[f.name] = i
		}
		var names, values []string
		var numeric []bool
		for i, k := range n.keys {
			if fi, ok := byName[k]; ok {
				if err := assign(n.elems[i], v.FieldByIndex(fields[fi].index), joinPath(path, k)); err != nil {
					return err
				}
				continue
			}
			if e := n.elems[i]; inline >= 0 && (e.kind == 's' || e.kind == 'n') {
				names = append(names, k)
				values = append(values, e.text)
				numeric = append(numeric, e.kind == 'n')
			}
		}
		if inline >= 0 {
			fv := v.FieldByIndex(fields[inline].index)
			if fv.CanAddr() && fv.Addr().Type().Implements(inlineSetterType) {
				fv.Addr().Interface().(InlineSetter).SetInlineColumns(names, values, numeric)
			}
		}
		return nil
	}
	return fmt.Errorf("render: %s: cannot read into %s", path, v.Type())
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
