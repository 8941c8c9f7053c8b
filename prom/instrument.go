package prom

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/screenlab/screenlab/datasets"
)

// Item is one question of an instrument: the end of its column name (q1,
// q4a: prefix + Name) and its range of answers.
type Item struct {
	Name     string
	Min, Max int
}

// ScoreDef is one score an instrument gives, on 0–100.
type ScoreDef struct {
	Name           string
	Label          string
	HigherIsBetter bool
}

// Instrument is a questionnaire and its scoring: Score takes the answers in
// Items order (NaN where not answered) and returns one value per Scores
// entry (NaN where the instrument's missing-item rule leaves it unscored).
type Instrument struct {
	Name   string
	Items  []Item
	Scores []ScoreDef
	Score  func(answers []float64) []float64
}

// Instruments are the questionnaires screenlab scores, by name.
var Instruments = map[string]*Instrument{}

func register(in *Instrument) *Instrument { Instruments[in.Name] = in; return in }

// Lookup returns the named instrument, or an error listing those there are.
func Lookup(name string) (*Instrument, error) {
	if in, ok := Instruments[name]; ok {
		return in, nil
	}
	var names []string
	for n := range Instruments {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("instrument %q: want one of %s", name, strings.Join(names, ", "))
}

// Index is the position of the named score in Scores, or -1.
func (in *Instrument) Index(score string) int {
	for i, s := range in.Scores {
		if s.Name == score {
			return i
		}
	}
	return -1
}

// Row is one respondent's scores, in the instrument's Scores order, and the
// values of the columns kept from the answers table.
type Row struct {
	ID       string
	Answered int // items answered
	Scores   []float64
	Kept     []string
}

// ScoreOptions say where a table's answers are.
type ScoreOptions struct {
	ID     string   // the column naming the respondent
	Prefix string   // items are the columns Prefix+Item.Name (default "q")
	Keep   []string // columns carried to each Row (unit, sex, age, …)
}

// ScoreFrame scores every row of fr. An answer that is not a whole number
// in its item's range is an error naming file, line and column.
func (in *Instrument) ScoreFrame(fr *datasets.Frame, opts ScoreOptions) ([]Row, error) {
	if opts.Prefix == "" {
		opts.Prefix = "q"
	}
	ids, err := fr.Strings(opts.ID)
	if err != nil {
		return nil, err
	}
	kept := make([][]string, len(opts.Keep))
	for k, c := range opts.Keep {
		if kept[k], err = fr.Strings(c); err != nil {
			return nil, err
		}
	}
	n, m := fr.Len(), len(in.Items)
	answers := make([]float64, n*m)
	for j, it := range in.Items {
		name := opts.Prefix + it.Name
		col, err := fr.Floats(name, true)
		if err != nil {
			return nil, err
		}
		for r, v := range col {
			if !math.IsNaN(v) && (v != math.Trunc(v) || v < float64(it.Min) || v > float64(it.Max)) {
				return nil, fr.Fail(name, r, datasets.ErrOutOfRange, fmt.Sprintf("an answer %d to %d, or empty", it.Min, it.Max))
			}
			answers[r*m+j] = v
		}
	}
	rows := make([]Row, n)
	for r := range rows {
		a := answers[r*m : (r+1)*m]
		rows[r].ID = ids[r]
		for _, v := range a {
			if !math.IsNaN(v) {
				rows[r].Answered++
			}
		}
		rows[r].Scores = in.Score(a)
		for k := range kept {
			rows[r].Kept = append(rows[r].Kept, kept[k][r])
		}
	}
	return rows, nil
}

// Columns are the columns Write writes: the id, the kept columns, answered,
// each score, then each flag.
func (in *Instrument) Columns(id string, keep []string, flags []Flag) []datasets.ColumnSpec {
	cols := []datasets.ColumnSpec{{Name: id, Kind: datasets.KindString}}
	for _, k := range keep {
		cols = append(cols, datasets.ColumnSpec{Name: k, Kind: datasets.KindString})
	}
	cols = append(cols, datasets.ColumnSpec{Name: "answered", Kind: datasets.KindInt})
	for _, s := range in.Scores {
		cols = append(cols, datasets.ColumnSpec{Name: s.Name, Kind: datasets.KindFloat})
	}
	for _, f := range flags {
		cols = append(cols, datasets.ColumnSpec{Name: f.Name, Kind: datasets.KindInt})
	}
	return cols
}

// Write writes each respondent's scores (empty where not scored) and flags
// (1, 0, or empty where the flag's score is not scored).
func (in *Instrument) Write(path string, opts ScoreOptions, rows []Row, flags []Flag) error {
	idx := make([]int, len(flags))
	for i, f := range flags {
		if idx[i] = in.Index(f.Score); idx[i] < 0 {
			return fmt.Errorf("flag %s: %s has no score %q", f.Name, in.Name, f.Score)
		}
	}
	return datasets.WriteTable(path, in.Columns(opts.ID, opts.Keep, flags), func(w *datasets.TableWriter) error {
		for _, r := range rows {
			w.String(r.ID)
			for _, k := range r.Kept {
				w.String(k)
			}
			w.Int(r.Answered)
			for _, v := range r.Scores {
				if math.IsNaN(v) {
					w.Null()
				} else {
					w.Float(v, -1)
				}
			}
			for i, f := range flags {
				switch v := r.Scores[idx[i]]; {
				case math.IsNaN(v):
					w.Null()
				case f.Holds(v):
					w.Int(1)
				default:
					w.Int(0)
				}
			}
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}

// Flag turns a score into a 0/1 outcome per respondent, for a PROM
// indicator: Name=Score<Value or Name=Score>=Value, etc.
type Flag struct {
	Name  string
	Score string
	Op    string // <, <=, >, >=
	Value float64
}

// Holds says whether the score v meets the flag's condition.
func (f Flag) Holds(v float64) bool {
	switch f.Op {
	case "<":
		return v < f.Value
	case "<=":
		return v <= f.Value
	case ">":
		return v > f.Value
	}
	return v >= f.Value
}

// ParseFlag reads "poor_ql=ql<50": a column name, a score, one of < <= >
// >= and a number.
func ParseFlag(s string) (Flag, error) {
	name, cond, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return Flag{}, fmt.Errorf("flag %q: want NAME=SCORE<VALUE (e.g. poor_ql=ql<50)", s)
	}
	for _, op := range []string{"<=", ">=", "<", ">"} {
		if score, val, ok := strings.Cut(cond, op); ok && score != "" {
			var v float64
			if _, err := fmt.Sscan(val, &v); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return Flag{}, fmt.Errorf("flag %q: %q is not a number", s, val)
			}
			return Flag{Name: name, Score: score, Op: op, Value: v}, nil
		}
	}
	return Flag{}, fmt.Errorf("flag %q: want NAME=SCORE<VALUE with one of < <= > >=", s)
}
