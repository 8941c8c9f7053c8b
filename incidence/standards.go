package incidence

import (
	"fmt"
	"sort"
	"strings"
)

// Standard is a standard population for direct age standardisation, in
// 5-year age groups 0–4 … 80–84 and 85+ (lower limits in Lower).
type Standard struct {
	Name     string
	Title    string
	Citation string
	Lower    []int
	Weights  []float64
}

var lower18 = []int{0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85}

// Standards are the built-in standard populations. Each sums to 100,000
// except who2000, whose published percentages sum to 100.035 (weights are
// normalised to their total, so this does not matter).
var Standards = map[string]Standard{
	"segi1960": {Name: "segi1960", Title: "World standard population (Segi 1960, as modified by Doll et al. 1966)",
		Citation: "Segi M. Cancer mortality for selected sites in 24 countries (1950–57). Sendai: Tohoku University School of Public Health, 1960; Doll R, Payne P, Waterhouse J. Cancer Incidence in Five Continents, vol. I. UICC, 1966. Values as popEpi::stdpop18$world.",
		Lower:    lower18,
		Weights:  []float64{12000, 10000, 9000, 9000, 8000, 8000, 6000, 6000, 6000, 6000, 5000, 4000, 4000, 3000, 2000, 1000, 500, 500}},
	"who2000": {Name: "who2000", Title: "WHO World Standard Population 2000–2025",
		Citation: "Ahmad OB, Boschi-Pinto C, Lopez AD, Murray CJL, Lozano R, Inoue M. Age standardization of rates: a new WHO standard. GPE Discussion Paper 31. Geneva: WHO, 2001 (85+ = 85–89 + 90–94 + 95–99 + 100+).",
		Lower:    lower18,
		Weights:  []float64{8860, 8690, 8600, 8470, 8220, 7930, 7610, 7150, 6590, 6040, 5370, 4550, 3720, 2960, 2210, 1520, 910, 635}},
	"esp2013": {Name: "esp2013", Title: "European Standard Population 2013",
		Citation: "Eurostat. Revision of the European Standard Population: report of Eurostat's task force. Luxembourg: Publications Office of the European Union, 2013 (85+ = 85–89 + 90–94 + 95+).",
		Lower:    lower18,
		Weights:  []float64{5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 2500}},
	"esp1976": {Name: "esp1976", Title: "European Standard Population 1976",
		Citation: "Waterhouse J, Muir C, Correa P, Powell J (eds). Cancer Incidence in Five Continents, vol. III. IARC Scientific Publications 15. Lyon: IARC, 1976. Values as popEpi::stdpop18$europe.",
		Lower:    lower18,
		Weights:  []float64{8000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 6000, 5000, 4000, 3000, 2000, 1000, 1000}},
	"nordic": {Name: "nordic", Title: "Nordic standard population (NORDCAN, 2000)",
		Citation: "Engholm G, Ferlay J, Christensen N, et al. NORDCAN – a Nordic tool for cancer information, planning, quality control and research. Acta Oncol 2010;49:725–36. Values as popEpi::stdpop18$nordic.",
		Lower:    lower18,
		Weights:  []float64{5900, 6600, 6200, 5800, 6100, 6800, 7300, 7300, 7000, 6900, 7400, 6100, 4800, 4100, 3900, 3500, 2400, 1900}},
}

// StandardNames lists the built-in standards.
func StandardNames() []string {
	var out []string
	for k := range Standards {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// LookupStandard returns a built-in standard by name.
func LookupStandard(name string) (Standard, error) {
	s, ok := Standards[name]
	if !ok {
		return Standard{}, fmt.Errorf("standard %q: want one of %s", name, strings.Join(StandardNames(), ", "))
	}
	return s, nil
}

// WeightFor returns the weight of the age group starting at lower.
func (s Standard) WeightFor(lower int) (float64, bool) {
	for i, l := range s.Lower {
		if l == lower {
			return s.Weights[i], true
		}
	}
	return 0, false
}
