package survival

import (
	"fmt"

	"github.com/screenlab/screenlab/datasets"
)

// ReadLifeTable reads a life table file (sex, year, age, haz: the hazard
// per person-year; datasets.LifeTableSchema) into a LifeTable.
func ReadLifeTable(path string) (*LifeTable, error) {
	rows, _, _, err := datasets.ReadAll(path, datasets.LifeTableSchema, datasets.ReadOptions{})
	if err != nil {
		return nil, err
	}
	sx, yr, ag, hz := make([]byte, len(rows)), make([]int, len(rows)), make([]int, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		sx[i], yr[i], ag[i], hz[i] = r.Sex, r.Year, r.Age, r.Haz
	}
	lt, err := NewLifeTable(sx, yr, ag, hz)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return lt, nil
}
