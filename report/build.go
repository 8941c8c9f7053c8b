package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/screenlab/screenlab/evaluation"
	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/evaluation/strategy"
	"github.com/screenlab/screenlab/incidence"
	"github.com/screenlab/screenlab/models"
	"github.com/screenlab/screenlab/report/render"
	"github.com/screenlab/screenlab/survival"
)

// BuildResult is what BuildReport made (the JSON of screenlab report).
type BuildResult struct {
	Report   string   `json:"report"`
	Sections []Source `json:"sections"`
}

// Source is one input of a report: the file and the kind of result
// it was read as.
type Source struct {
	File   string `json:"file"`
	Kind   string `json:"kind"`
	SHA256 string `json:"sha256"`
}

// resultKind is a kind of screenlab result that a report can show: how to
// recognise its JSON (keys it must have, and keys of its first row), the
// type to read it into, and the section it becomes.
type resultKind struct {
	name    string
	command string
	keys    []string
	rowKeys []string // keys of rows[0] / strategies[0], when the result has rows
	read    func() any
	add     func(page *Page, v any, title string) error
}

func section(page *Page, title, note string, body func() error) error {
	page.Section(title, note)
	if err := body(); err != nil {
		return err
	}
	page.EndSection()
	return nil
}

var resultKinds = []resultKind{
	// The demo's result is a whole page (demoPage), not a section.
	{name: "demo", command: "screenlab demo", keys: []string{"link", "overall", "by_screening_unit"}, read: func() any { return new(DemoResult) }},
	{name: "screening", command: "screenlab screening", keys: []string{"rows", "ci_method"}, read: func() any { return new(screening.ScreeningReport) },
		add: func(page *Page, v any, _ string) error {
			page.ScreeningSection(v.(*screening.ScreeningReport).Rows)
			return nil
		}},
	{name: "risk-model", command: "screenlab train", keys: []string{"model", "kind", "coefficients", "design"}, read: func() any { return new(models.TrainResult) },
		add: func(page *Page, v any, title string) error {
			m := v.(*models.TrainResult)
			note := fmt.Sprintf("%s model (%s) trained on %d rows.", m.Kind, m.Model, m.Train)
			return section(page, "Risk model: "+title, note, func() error { return page.RiskModel(m) })
		}},
	{name: "evaluation", command: "screenlab evaluate", keys: []string{"n", "positives", "brier", "scaled_brier"}, read: func() any { return new(evaluation.Result) },
		add: func(page *Page, v any, title string) error {
			return section(page, "Model performance: "+title, "", func() error { return page.Evaluation(v.(*evaluation.Result)) })
		}},
	{name: "kaplan-meier", command: "screenlab survival km", keys: []string{"groups", "conf_type"}, read: func() any { return new(survival.KMByGroup) },
		add: func(page *Page, v any, title string) error {
			return section(page, "Kaplan–Meier survival: "+title, "", func() error { return page.KaplanMeier(v.(*survival.KMByGroup), "group") })
		}},
	{name: "cox", command: "screenlab survival cox", keys: []string{"coefficients", "concordance", "ties"}, read: func() any { return new(survival.CoxResult) },
		add: func(page *Page, v any, title string) error {
			return section(page, "Cox model: "+title, "", func() error { page.Cox(v.(*survival.CoxResult)); return nil })
		}},
	{name: "net-survival", command: "screenlab survival relative", keys: []string{"method", "n", "events", "at"}, read: func() any { return new(survival.NetSurvival) },
		add: func(page *Page, v any, title string) error {
			return section(page, "Net survival: "+title, "", func() error { page.NetSurvival(v.(*survival.NetSurvival)); return nil })
		}},
	{name: "cumulative-incidence", command: "screenlab survival cif", keys: []string{"causes", "gray"}, read: func() any { return new(survival.CIFByGroup) },
		add: func(page *Page, v any, title string) error {
			c := v.(*survival.CIFByGroup)
			var causes []int
			for _, cur := range c.Causes {
				if len(causes) == 0 || causes[len(causes)-1] != cur.Cause {
					causes = append(causes, cur.Cause)
				}
			}
			return section(page, "Cumulative incidence: "+title, "", func() error { return page.CumulativeIncidence(c, CauseNamer(), "group", causes) })
		}},
	{name: "incidence-rates", command: "screenlab incidence rates", keys: []string{"rows", "standard", "per"}, read: func() any { return new(incidence.RateTable) },
		add: func(page *Page, v any, title string) error {
			return section(page, "Incidence rates: "+title, "", func() error { return page.Rates(v.(*incidence.RateTable)) })
		}},
	{name: "incidence-trend", command: "screenlab incidence trend", keys: []string{"rows", "level"}, rowKeys: []string{"apc"}, read: func() any { return new(incidence.TrendTable) },
		add: func(page *Page, v any, title string) error {
			return section(page, "Incidence trend: "+title, "Annual percent change from Poisson regression on calendar year with age-group terms.", func() error { page.Trend(v.(*incidence.TrendTable)); return nil })
		}},
	{name: "sir", command: "screenlab incidence sir", keys: []string{"rows", "level"}, rowKeys: []string{"sir", "expected"}, read: func() any { return new(incidence.SIRTable) },
		add: func(page *Page, v any, title string) error {
			return section(page, "Standardised incidence ratios: "+title, "Observed against expected cases at the reference rates; exact Poisson intervals.", func() error { page.SIR(v.(*incidence.SIRTable)); return nil })
		}},
	{name: "reading-strategies", command: "screenlab triage simulate", keys: []string{"strategies", "assumption_note"}, read: func() any { return new(strategy.TriageReport) },
		add: func(page *Page, v any, _ string) error {
			return page.TriageSection(v.(*strategy.TriageReport))
		}},
	{name: "quality-indicators", command: "screenlab indicators", keys: []string{"unit", "indicators"}, read: func() any { return new(screening.IndicatorsResult) },
		add: func(page *Page, v any, _ string) error {
			r := v.(*screening.IndicatorsResult)
			return page.IndicatorsSection(r.Unit, r.Indicators)
		}},
}

// detectKind finds the kind of a result from its top-level keys (and
// those of its first row).
func detectKind(data []byte) (*resultKind, error) {
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("not a JSON object: %v", err)
	}
	first := func(key string) map[string]any {
		if rows, ok := top[key].([]any); ok && len(rows) > 0 {
			if m, ok := rows[0].(map[string]any); ok {
				return m
			}
		}
		return nil
	}
	has := func(m map[string]any, keys []string) bool {
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				return false
			}
		}
		return true
	}
	for i := range resultKinds {
		k := &resultKinds[i]
		if !has(top, k.keys) {
			continue
		}
		if k.rowKeys != nil && !has(first("rows"), k.rowKeys) {
			continue
		}
		return k, nil
	}
	var names []string
	for _, k := range resultKinds {
		names = append(names, k.command)
	}
	var keys []string
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return nil, fmt.Errorf("not a result screenlab report knows (keys %s); it reads the --format json output of %s",
		strings.Join(keys, ", "), strings.Join(names, ", "))
}

// BuildReport reads saved JSON results of screenlab's commands (the kind
// of each recognised from its fields) and builds one page with a section
// per file, in order; a demo result alone gives the demo's own page.
func BuildReport(files []string, title, version string) (*Page, []Source, error) {
	page := &Page{Title: title, Version: version}
	var sources []Source
	var prints []string
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		kind, err := detectKind(data)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		v := kind.read()
		if err := render.ReadJSON(bytes.NewReader(data), v); err != nil {
			return nil, nil, fmt.Errorf("%s: reading it as the output of %s: %w", path, kind.command, err)
		}
		if kind.add == nil { // the demo
			if len(files) > 1 {
				return nil, nil, fmt.Errorf("%s: the demo's result is a whole page; give it alone", path)
			}
			if page, err = DemoPage(v.(*DemoResult), version); err != nil {
				return nil, nil, fmt.Errorf("%s: %w", path, err)
			}
		} else if err := kind.add(page, v, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		sum := sha256.Sum256(data)
		sources = append(sources, Source{File: path, Kind: kind.name, SHA256: hex.EncodeToString(sum[:])})
		prints = append(prints, fmt.Sprintf("%s (%s, SHA-256 %s)", filepath.Base(path), kind.name, hex.EncodeToString(sum[:8])))
	}
	if len(sources) == 1 && sources[0].Kind == "demo" {
		return page, sources, nil // the demo's own page, as screenlab demo wrote it
	}
	page.Subtitle = "From " + strings.Join(prints, "; ") + "."
	return page, sources, nil
}

// ReadResult reads the saved JSON result of a screenlab command (its
// --format json output): the kind of result it is ("kaplan-meier",
// "incidence-rates", … as BuildResult names them) and the value, of the
// command's result type (*survival.KMByGroup, *incidence.RateTable, …).
func ReadResult(data []byte) (string, any, error) {
	kind, err := detectKind(data)
	if err != nil {
		return "", nil, err
	}
	v := kind.read()
	if err := render.ReadJSON(bytes.NewReader(data), v); err != nil {
		return "", nil, fmt.Errorf("reading it as the output of %s: %w", kind.command, err)
	}
	return kind.name, v, nil
}
