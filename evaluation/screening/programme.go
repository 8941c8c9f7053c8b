package screening

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/screenlab/screenlab/datasets"
	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/report/render"
	"github.com/screenlab/screenlab/report/suppress"
)

// ProgrammeOptions set ProgrammeMetrics.
type ProgrammeOptions struct {
	// By groups the rows by these columns (age_group, region, laboratory,
	// sample, sex, round, or any other column of the linked tables).
	By []string
	// Level of the intervals (default 0.95) and their method (default
	// Wilson; or exact Clopper-Pearson).
	Level float64
	CI    evaluation.CIMethod
	// NoTotal leaves out the row over all groups.
	NoTotal bool
	// Suppress hides numerators and denominators below it (at least 3; 0:
	// none) and the complementary figures that would reveal them.
	Suppress int
	// Definitions replace the programme's built-in indicators.
	Definitions []Indicator
	// Metrics, when set, keeps only these indicators (by name). With
	// Suppress and By, a group with any count below Suppress in the kept
	// indicators is hidden whole, so keep those that will be published:
	// a rare one (stage IV cancers by sex) would hide every group.
	Metrics []string
}

// MetricValues are a row's metrics as columns: for each indicator
// <name>, <name>_lower, <name>_upper, <name>_numerator and
// <name>_denominator, and the derived ones (referrals per CIN2+, the
// median wait to colonoscopy).
type MetricValues struct {
	Names  []string
	Values []float64
}

// InlineColumns lets the renderers put the metrics in the row (NA where
// undefined or suppressed).
func (m MetricValues) InlineColumns() ([]string, []string) {
	out := make([]string, len(m.Values))
	for i, v := range m.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			out[i] = "NA"
		} else {
			out[i] = strconv.FormatFloat(v, 'g', 8, 64)
		}
	}
	return m.Names, out
}

// Value returns a metric by name (NaN when absent).
func (m MetricValues) Value(name string) float64 {
	if i := slices.Index(m.Names, name); i >= 0 {
		return m.Values[i]
	}
	return math.NaN()
}

func (m *MetricValues) add(name string, v float64) {
	m.Names = append(m.Names, name)
	m.Values = append(m.Values, v)
}

// ProgrammeRow is one group's metrics.
type ProgrammeRow struct {
	groups.Key `json:"-"`
	Metrics    MetricValues `json:"-"`
	// Suppressed lists the hidden figures and why.
	Suppressed []string `json:"suppressed,omitempty"`
}

// MarshalJSON writes the row as one object: the group columns, then every
// metric as a number (null where undefined or hidden).
func (r ProgrammeRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	sep := func() {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
	}
	str := func(s string) {
		q, _ := json.Marshal(s)
		b.Write(q)
	}
	for i, n := range r.Names {
		sep()
		str(n)
		b.WriteByte(':')
		str(r.Values[i])
	}
	for i, n := range r.Metrics.Names {
		sep()
		str(n)
		b.WriteByte(':')
		b.WriteString(render.JSONFloat(r.Metrics.Values[i]))
	}
	if len(r.Suppressed) > 0 {
		sep()
		q, _ := json.Marshal(r.Suppressed)
		b.WriteString(`"suppressed":`)
		b.Write(q)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads a row MarshalJSON wrote: text values are the group
// columns, numbers and nulls the metrics (null: NaN), in their order.
func (r *ProgrammeRow) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("programme row: want an object")
	}
	*r = ProgrammeRow{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		if key == "suppressed" {
			if err := dec.Decode(&r.Suppressed); err != nil {
				return err
			}
			continue
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		switch x := v.(type) {
		case string:
			r.Names = append(r.Names, key)
			r.Values = append(r.Values, x)
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				return err
			}
			r.Metrics.add(key, f)
		case nil:
			r.Metrics.add(key, math.NaN())
		default:
			return fmt.Errorf("programme row: %s: want a text, a number or null", key)
		}
	}
	return nil
}

// ProgrammeReport is a programme's indicators by group.
type ProgrammeReport struct {
	Programme   string         `json:"programme"`
	By          []string       `json:"by"`
	Level       float64        `json:"level"`
	CI          string         `json:"ci"`
	Suppress    int            `json:"suppress,omitempty"`
	Definitions []Indicator    `json:"definitions"`
	Rows        []ProgrammeRow `json:"rows"`
	// Notes say which indicators could not be computed and why.
	Notes []string `json:"notes,omitempty"`
}

// MainTable is the table CSV output writes.
func (*ProgrammeReport) MainTable() string { return "rows" }

// Row returns the row of a group, given its values in By order ("all"
// for the total row with no values).
func (r *ProgrammeReport) Row(values ...string) *ProgrammeRow {
	for i := range r.Rows {
		if slices.Equal(r.Rows[i].Values, values) {
			return &r.Rows[i]
		}
	}
	return nil
}

const groupSep = "\x1f"

// ProgrammeMetrics computes a cervical or bowel programme's indicators
// (the built-in definitions, BuiltinIndicators) on its linked episodes
// and, for participation, its linked invitations (nil: left out), per
// group of opts.By and in total: each a proportion (per 1000 or per
// 100,000 where its name says so) with a Wilson or exact interval. Derived from them: referrals per CIN2+
// detected (the inverse of referral_yield, its interval inverted) and,
// for bowel, the median wait from test to colonoscopy with its
// distribution-free order-statistic interval (Conover 1999, §3.2).
// Suppression, when asked for, is that of ComputeIndicators: primary
// below opts.Suppress, complementary until nothing hidden can be
// recovered from the totals and the indicators' relations.
func ProgrammeMetrics(programme string, episodes, invitations *datasets.Frame, opts ProgrammeOptions) (*ProgrammeReport, error) {
	if opts.Level == 0 {
		opts.Level = 0.95
	}
	if opts.CI == "" {
		opts.CI = evaluation.Wilson
	}
	if opts.Suppress != 0 && opts.Suppress < 3 {
		return nil, fmt.Errorf("%s metrics: suppress %d: want at least 3 (or 0 for none)", programme, opts.Suppress)
	}
	defs := opts.Definitions
	if defs == nil {
		var err error
		if defs, _, err = BuiltinIndicators(programme); err != nil {
			return nil, err
		}
	}
	if len(opts.Metrics) > 0 {
		var kept []Indicator
		for _, name := range opts.Metrics {
			i := slices.IndexFunc(defs, func(d Indicator) bool { return d.Name == name })
			if i < 0 && name != "referrals_per_cin2plus" && name != "wait_median_days" {
				return nil, fmt.Errorf("%s metrics: no indicator %q (there are: %s)", programme, name, names(defs))
			}
			if i >= 0 {
				kept = append(kept, defs[i])
			}
		}
		defs = kept
	}
	rep := &ProgrammeReport{Programme: programme, By: opts.By, Level: opts.Level, CI: string(opts.CI), Suppress: opts.Suppress}
	byKey := map[string]*ProgrammeRow{}
	var keys []string
	row := func(key string) *ProgrammeRow {
		if r, ok := byKey[key]; ok {
			return r
		}
		r := &ProgrammeRow{Key: groups.Key{Names: opts.By}}
		if len(opts.By) > 0 {
			r.Values = strings.Split(key, groupSep)
		}
		byKey[key] = r
		keys = append(keys, key)
		return r
	}
	for _, table := range []struct {
		name string
		fr   *datasets.Frame
	}{{"invitations", invitations}, {"episodes", episodes}} {
		tdefs := ForTable(defs, table.name)
		if len(tdefs) == 0 {
			continue
		}
		if table.fr == nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s: no linked %s table given", names(tdefs), table.name))
			continue
		}
		if missing := missingColumns(table.fr, opts.By); len(missing) > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s: the %s table has no column %s to group by", names(tdefs), table.name, strings.Join(missing, ", ")))
			continue
		}
		var kept []Indicator
		for _, d := range tdefs {
			_, den, keep, err := d.perRow(table.fr)
			if err != nil {
				return nil, fmt.Errorf("%s metrics: %s: %w", programme, d.Name, err)
			}
			total := 0.0
			for i := range den {
				if keep == nil || keep[i] != 0 {
					total += den[i]
				}
			}
			if total == 0 {
				rep.Notes = append(rep.Notes, fmt.Sprintf("%s: no %s row has a denominator (%s where %s)", d.Name, table.name, d.Denominator, orAll(d.Where)))
				continue
			}
			kept = append(kept, d)
		}
		if len(kept) == 0 {
			continue
		}
		key, err := groupColumn(table.fr, opts.By)
		if err != nil {
			return nil, err
		}
		if err := table.fr.SetStrings("\x00group", key); err != nil {
			return nil, err
		}
		res, err := programmeIndicators(table.fr, key, kept, opts)
		table.fr.Release("\x00group")
		if err != nil {
			return nil, fmt.Errorf("%s metrics: %w", programme, err)
		}
		for _, ir := range res.Indicators {
			rep.Definitions = append(rep.Definitions, ir.Indicator)
			// rates as proportions, as the breast metrics; per 1000 and
			// per 100,000 where the name says so
			scale := 1.0
			if ir.Per == 100 {
				scale = 0.01
			}
			put := func(r *ProgrammeRow, u *IndicatorRow) {
				n := ir.Name
				v, lo, hi := scale*u.Value, scale*u.Lower, scale*u.Upper
				num, den := u.Numerator, u.Denominator
				for field, why := range u.Suppressed {
					r.Suppressed = append(r.Suppressed, n+"_"+field+": "+string(why))
					v, lo, hi = math.NaN(), math.NaN(), math.NaN()
					if field == "numerator" {
						num = math.NaN()
					} else {
						den = math.NaN()
					}
				}
				r.Metrics.add(n, v)
				r.Metrics.add(n+"_lower", lo)
				r.Metrics.add(n+"_upper", hi)
				r.Metrics.add(n+"_numerator", num)
				r.Metrics.add(n+"_denominator", den)
			}
			for k := range ir.Units {
				put(row(ir.Units[k].Unit), &ir.Units[k])
			}
			if !opts.NoTotal && len(opts.By) > 0 {
				put(row("\x00all"), &ir.National)
			}
		}
	}
	if err := derivedMetrics(programme, episodes, opts, byKey, row); err != nil {
		return nil, err
	}
	// rows in group order, the total last; every row with every metric
	var all []string
	for _, k := range keys {
		for _, n := range byKey[k].Metrics.Names {
			if !slices.Contains(all, n) {
				all = append(all, n)
			}
		}
	}
	sort.SliceStable(keys, func(i, j int) bool {
		if keys[i] == "\x00all" || keys[j] == "\x00all" {
			return keys[j] == "\x00all" && keys[i] != "\x00all"
		}
		return groups.LessKeys(strings.Split(keys[i], groupSep), strings.Split(keys[j], groupSep))
	})
	for _, k := range keys {
		r := byKey[k]
		if slices.ContainsFunc(r.Suppressed, func(s string) bool { return strings.HasSuffix(s, ": "+string(suppress.Group)) }) {
			// a group hidden in one table is hidden in the other too (the
			// invitations' participants are the episodes' women)
			for i := range r.Metrics.Values {
				r.Metrics.Values[i] = math.NaN()
			}
		}
		if k == "\x00all" {
			r.Values = make([]string, len(opts.By))
			for i := range r.Values {
				r.Values[i] = "all"
			}
		}
		var m MetricValues
		for _, n := range all {
			m.add(n, r.Metrics.Value(n))
		}
		r.Metrics = m
		sort.Strings(r.Suppressed)
		rep.Rows = append(rep.Rows, *r)
	}
	return rep, nil
}

// programmeIndicators computes the indicators per group (the frame's
// "\x00group" column) with disclosure control: ComputeIndicators' own
// (suppress.Protect, cell by cell) for a single row, suppressGroups (whole
// groups) by group.
func programmeIndicators(fr *datasets.Frame, key []string, defs []Indicator, opts ProgrammeOptions) (*IndicatorsResult, error) {
	iopts := IndicatorOptions{Level: opts.Level, CI: opts.CI}
	if len(opts.By) == 0 || opts.Suppress == 0 {
		return ComputeIndicators(fr, "\x00group", defs, iopts, opts.Suppress)
	}
	res, err := ComputeIndicators(fr, "\x00group", defs, iopts, 0)
	if err != nil {
		return nil, err
	}
	rel, err := IndicatorRelations(fr, defs)
	if err != nil {
		return nil, err
	}
	size := map[string]float64{}
	for _, k := range key {
		size[k]++
	}
	return res, suppressGroups(res, rel, float64(opts.Suppress), size)
}

// derivedMetrics adds referrals per CIN2+ (cervical) and the median wait
// to colonoscopy (bowel) to each group's row.
func derivedMetrics(programme string, episodes *datasets.Frame, opts ProgrammeOptions, byKey map[string]*ProgrammeRow, row func(string) *ProgrammeRow) error {
	switch {
	case programme == "cervical":
		for _, r := range byKey {
			v, lo, hi := r.Metrics.Value("referral_yield"), r.Metrics.Value("referral_yield_lower"), r.Metrics.Value("referral_yield_upper")
			if math.IsNaN(v) {
				continue
			}
			r.Metrics.add("referrals_per_cin2plus", 1/v)
			r.Metrics.add("referrals_per_cin2plus_lower", 1/hi)
			r.Metrics.add("referrals_per_cin2plus_upper", 1/lo)
		}
	case programme == "bowel" && episodes != nil && episodes.Has("wait_days") && episodes.Has("colonoscopy") &&
		(len(opts.Metrics) == 0 || slices.Contains(opts.Metrics, "wait_median_days")):
		if len(missingColumns(episodes, opts.By)) > 0 {
			return nil
		}
		wait, err := episodes.Floats("wait_days", true)
		if err != nil {
			return err
		}
		key, err := groupColumn(episodes, opts.By)
		if err != nil {
			return err
		}
		byGroup := map[string][]float64{}
		for i, w := range wait {
			if math.IsNaN(w) {
				continue
			}
			byGroup[key[i]] = append(byGroup[key[i]], w)
			if !opts.NoTotal && len(opts.By) > 0 {
				byGroup["\x00all"] = append(byGroup["\x00all"], w)
			}
		}
		for k, ws := range byGroup {
			r := row(k)
			med, lo, hi := MedianCI(ws, opts.Level)
			if opts.Suppress > 0 && len(ws) < opts.Suppress {
				med, lo, hi = math.NaN(), math.NaN(), math.NaN()
				r.Suppressed = append(r.Suppressed, "wait_median_days: "+string(suppress.Primary))
			}
			r.Metrics.add("wait_median_days", med)
			r.Metrics.add("wait_median_days_lower", lo)
			r.Metrics.add("wait_median_days_upper", hi)
		}
	}
	return nil
}

// MedianCI is the median of x and its distribution-free interval from
// order statistics: the ranks l and u with P(l <= B < u) >= level for
// B ~ Binomial(n, 1/2) (Conover 1999, Practical Nonparametric
// Statistics, §3.2). The ends are NaN when n is too small for the level.
func MedianCI(x []float64, level float64) (med, lo, hi float64) {
	n := len(x)
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	s := slices.Clone(x)
	slices.Sort(s)
	if n%2 == 1 {
		med = s[n/2]
	} else {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	b := distuv.Binomial{N: float64(n), P: 0.5}
	alpha := (1 - level) / 2
	// largest l with P(B < l) <= alpha: the l-th smallest (1-based)
	l := 0
	for k := 0; k <= n; k++ {
		if b.CDF(float64(k)-1) <= alpha {
			l = k
		} else {
			break
		}
	}
	if l < 1 {
		return med, math.NaN(), math.NaN()
	}
	return med, s[l-1], s[n-l]
}

func names(defs []Indicator) string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.Name
	}
	return strings.Join(out, ", ")
}

func orAll(where string) string {
	if where == "" {
		return "any row"
	}
	return where
}

func missingColumns(fr *datasets.Frame, cols []string) []string {
	var out []string
	for _, c := range cols {
		if !fr.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// groupColumn joins the by columns of each row into one key.
func groupColumn(fr *datasets.Frame, by []string) ([]string, error) {
	key := make([]string, fr.Len())
	for j, c := range by {
		s, err := fr.Strings(c)
		if err != nil {
			return nil, err
		}
		for i := range key {
			if j > 0 {
				key[i] += groupSep
			}
			key[i] += s[i]
		}
	}
	return key, nil
}
