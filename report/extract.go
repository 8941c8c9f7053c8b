package report

import (
	"fmt"

	"github.com/screenlab/screenlab/export"
)

// ExtractSection writes a research extract's accounting: rows per table
// exported, reserved, excluded and suppressed, the groups of
// quasi-identifiers before and after, and the values suppressed. Counts of
// reserved persons below 5 are shown as "<5".
func (p *Page) ExtractSection(m *export.Manifest) error {
	s := export.Summarise(m)
	p.Section("Research extract", fmt.Sprintf("%s, delivered %s (screenlab export): %d children, no direct identifier, person ids as HMAC-SHA256 pseudonyms of the project key, %s reserved children removed from every table, k = %d on %d quasi-identifiers; manifest.json accounts for every row.",
		m.Project, m.AsOf, m.Persons, s.ReservedPersons, m.K, len(m.QuasiIdentifiers)))
	var rows [][]string
	for i, t := range m.Tables {
		rows = append(rows, []string{t.Table, fmt.Sprint(t.Exported), s.Tables[i].Reserved, fmt.Sprint(t.Excluded), fmt.Sprint(t.Suppressed)})
	}
	// rows read are not shown: with them a small count of reserved rows
	// could be worked out (manifest.json, the registry's record, has all)
	p.Table([]string{"table", "exported", "reserved", "outside the cohort or unlinked", "withheld (group below k)"}, rows)
	p.body.WriteString("<p class=\"note\">" + htmlEscape("Groups of persons sharing the quasi-identifiers' values, before and after local suppression (the least important suppressed first), and the persons with each suppressed:") + "</p>\n")
	rows = nil
	for _, pair := range []struct {
		when string
		c    []export.ClassCount
	}{{"before", m.ClassesBefore}, {"after", m.ClassesAfter}} {
		for _, c := range pair.c {
			rows = append(rows, []string{pair.when, c.Size, fmt.Sprint(c.Classes), fmt.Sprint(c.Persons)})
		}
	}
	p.Table([]string{"", "group size", "groups", "persons"}, rows)
	if err := p.Plot("Persons by the size of their group of quasi-identifier values, before local suppression and as delivered (every group k or more).", func(dst string) error {
		return WriteExtractPlot(dst, m)
	}); err != nil {
		return err
	}
	rows = nil
	for _, x := range m.Suppressed {
		rows = append(rows, []string{x.Variable, fmt.Sprint(x.Persons)})
	}
	p.Table([]string{"quasi-identifier", "persons suppressed"}, rows)
	p.EndSection()
	return nil
}
