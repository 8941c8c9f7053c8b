package prom

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/screenlab/screenlab/datasets"
)

// NormRow is one stratum of a population norms table: the mean and SD of a
// score among people of one sex in an age band (AgeFrom ≤ age ≤ AgeTo).
type NormRow struct {
	Score   string  `json:"score"`
	Sex     string  `json:"sex"`
	AgeFrom int     `json:"age_from"`
	AgeTo   int     `json:"age_to"`
	Mean    float64 `json:"mean"`
	SD      float64 `json:"sd"`
	N       int     `json:"n"`
}

// NormColumns are the columns of a norms table file.
var NormColumns = []datasets.ColumnSpec{
	{Name: "score", Kind: datasets.KindString}, {Name: "sex", Kind: datasets.KindString},
	{Name: "age_from", Kind: datasets.KindInt}, {Name: "age_to", Kind: datasets.KindInt},
	{Name: "mean", Kind: datasets.KindFloat}, {Name: "sd", Kind: datasets.KindFloat},
	{Name: "n", Kind: datasets.KindInt},
}

// ReadNorms reads a norms table (columns score, sex, age_from, age_to,
// mean, sd, n) for the instrument. A score the instrument does not give, a
// mean outside 0–100, a band with age_to below age_from, or two bands of
// one score and sex that overlap is an error naming file, line and column.
func ReadNorms(path string, in *Instrument) ([]NormRow, error) {
	fr, err := datasets.ReadFrame(path)
	if err != nil {
		return nil, err
	}
	score, err := fr.Strings("score")
	if err != nil {
		return nil, err
	}
	sex, err := fr.Strings("sex")
	if err != nil {
		return nil, err
	}
	num := map[string][]float64{}
	for _, c := range []string{"age_from", "age_to", "mean", "sd", "n"} {
		if num[c], err = fr.Floats(c, false); err != nil {
			return nil, err
		}
	}
	rows := make([]NormRow, fr.Len())
	for i := range rows {
		if in.Index(score[i]) < 0 {
			return nil, fr.Fail("score", i, datasets.ErrOutOfRange, "a score of "+in.Name)
		}
		r := NormRow{Score: score[i], Sex: sex[i], AgeFrom: int(num["age_from"][i]), AgeTo: int(num["age_to"][i]),
			Mean: num["mean"][i], SD: num["sd"][i], N: int(num["n"][i])}
		switch {
		case r.AgeTo < r.AgeFrom:
			return nil, fr.Fail("age_to", i, datasets.ErrOutOfRange, "an age at least age_from")
		case r.Mean < 0 || r.Mean > 100:
			return nil, fr.Fail("mean", i, datasets.ErrOutOfRange, "a score 0 to 100")
		case r.SD < 0:
			return nil, fr.Fail("sd", i, datasets.ErrOutOfRange, "an SD at least 0")
		}
		for j := range i {
			o := rows[j]
			if o.Score == r.Score && o.Sex == r.Sex && r.AgeFrom <= o.AgeTo && o.AgeFrom <= r.AgeTo {
				return nil, fr.Fail("age_from", i, datasets.ErrOutOfRange,
					fmt.Sprintf("a band not overlapping line %d's %d-%d", fr.Line(j), o.AgeFrom, o.AgeTo))
			}
		}
		rows[i] = r
	}
	return rows, nil
}

// WriteNorms writes a norms table ReadNorms reads.
func WriteNorms(path string, rows []NormRow) error {
	return datasets.WriteTable(path, NormColumns, func(w *datasets.TableWriter) error {
		for _, r := range rows {
			w.String(r.Score)
			w.String(r.Sex)
			w.Int(r.AgeFrom)
			w.Int(r.AgeTo)
			w.Float(r.Mean, -1)
			w.Float(r.SD, -1)
			w.Int(r.N)
			if err := w.EndRow(); err != nil {
				return err
			}
		}
		return nil
	})
}

// BuildNorms makes a norms table from a reference sample of the general
// population (rows scored with in, sex and age per row): for each score,
// sex and age band, the mean and sample SD of those scored. bands are the
// bands' lower ages (18, 30, 40, …; the last is open to 120); a stratum
// with fewer than two scored has no SD and is left out. Respondents
// without sex or age, or younger than the first band, are left out and
// counted in the second result.
func BuildNorms(in *Instrument, rows []Row, sex []string, age []float64, bands []int) ([]NormRow, int, error) {
	if len(bands) == 0 || !sort.IntsAreSorted(bands) {
		return nil, 0, fmt.Errorf("norms: age bands %v: want increasing lower ages", bands)
	}
	type key struct {
		sex  string
		band int
	}
	vals := map[key][][]float64{}
	left := 0
	for i, r := range rows {
		if sex[i] == "" || math.IsNaN(age[i]) || age[i] < float64(bands[0]) {
			left++
			continue
		}
		b := sort.SearchInts(bands, int(age[i])+1) - 1
		k := key{sex[i], b}
		if vals[k] == nil {
			vals[k] = make([][]float64, len(in.Scores))
		}
		for s, v := range r.Scores {
			if !math.IsNaN(v) {
				vals[k][s] = append(vals[k][s], v)
			}
		}
	}
	keys := make([]key, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].sex != keys[j].sex {
			return keys[i].sex < keys[j].sex
		}
		return keys[i].band < keys[j].band
	})
	var out []NormRow
	for s, def := range in.Scores {
		for _, k := range keys {
			x := vals[k][s]
			if len(x) < 2 {
				continue
			}
			to := 120
			if k.band+1 < len(bands) {
				to = bands[k.band+1] - 1
			}
			m, sd := meanSD(x)
			out = append(out, NormRow{Score: def.Name, Sex: k.sex, AgeFrom: bands[k.band], AgeTo: to, Mean: m, SD: sd, N: len(x)})
		}
	}
	return out, left, nil
}

// NormComparison is one score of a patient group against age- and
// sex-matched population norms.
type NormComparison struct {
	Score     string  `json:"score"`
	Matched   int     `json:"matched"`   // scored respondents with a norm for their sex and age
	Unmatched int     `json:"unmatched"` // scored respondents without one (not compared)
	Mean      float64 `json:"mean"`      // the matched respondents' mean score
	Expected  float64 `json:"expected"`  // the mean of their strata's norm means
	// Difference is Mean − Expected, the mean of each respondent's score
	// minus the norm mean for their sex and age, with a t interval.
	Difference float64 `json:"difference"`
	Lower      float64 `json:"lower"`
	Upper      float64 `json:"upper"`
	// EffectSize is Difference over the mean of the strata's norm SDs
	// (Cohen's d against the population).
	EffectSize float64 `json:"effect_size"`
	// Worse says whether the patients score worse than the population by
	// more than mid points (direction from the score's HigherIsBetter).
	Worse bool `json:"worse_than_mid"`
}

// CompareNorms compares each score of the respondents with the norms
// matched on sex and age (as Hjermstad et al. 1998 compared patients with
// the Norwegian population): each respondent's difference from the norm
// mean of their sex and age band, averaged, with a level t interval
// (which treats the norm means as known). Respondents with no stratum are
// counted as unmatched, never dropped silently.
func CompareNorms(in *Instrument, rows []Row, sex []string, age []float64, norms []NormRow, level, mid float64) []NormComparison {
	if level == 0 {
		level = 0.95
	}
	var out []NormComparison
	has := map[string]bool{}
	for _, n := range norms {
		has[n.Score] = true
	}
	for s, def := range in.Scores {
		if !has[def.Name] {
			continue // a score the table has no norms for is not compared
		}
		c := NormComparison{Score: def.Name}
		var d, obs, exp, sds []float64
		for i, r := range rows {
			v := r.Scores[s]
			if math.IsNaN(v) {
				continue
			}
			n := matchNorm(norms, def.Name, sex[i], age[i])
			if n == nil {
				c.Unmatched++
				continue
			}
			d = append(d, v-n.Mean)
			obs = append(obs, v)
			exp = append(exp, n.Mean)
			sds = append(sds, n.SD)
		}
		c.Matched = len(d)
		c.Mean, _ = meanSD(obs)
		c.Expected, _ = meanSD(exp)
		var sd float64
		c.Difference, sd = meanSD(d)
		c.Lower, c.Upper = math.NaN(), math.NaN()
		if len(d) > 1 {
			t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(d) - 1)}.Quantile(1 - (1-level)/2)
			h := t * sd / math.Sqrt(float64(len(d)))
			c.Lower, c.Upper = c.Difference-h, c.Difference+h
		}
		msd, _ := meanSD(sds)
		c.EffectSize = c.Difference / msd
		if math.IsInf(c.EffectSize, 0) {
			c.EffectSize = math.NaN()
		}
		if def.HigherIsBetter {
			c.Worse = c.Difference <= -mid
		} else {
			c.Worse = c.Difference >= mid
		}
		out = append(out, c)
	}
	return out
}

func matchNorm(norms []NormRow, score, sex string, age float64) *NormRow {
	if sex == "" || math.IsNaN(age) {
		return nil
	}
	for i := range norms {
		n := &norms[i]
		if n.Score == score && n.Sex == sex && age >= float64(n.AgeFrom) && age < float64(n.AgeTo)+1 {
			return n
		}
	}
	return nil
}

// ParseAges reads "18,30,40" as age band lower bounds.
func ParseAges(s []string) ([]int, error) {
	out := make([]int, len(s))
	for i, v := range s {
		a, err := strconv.Atoi(v)
		if err != nil || a < 0 {
			return nil, fmt.Errorf("age band %q: want a whole number of years", v)
		}
		out[i] = a
	}
	return out, nil
}
