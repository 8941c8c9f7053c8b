package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/screenlab/screenlab/evaluation/strategy"
)

// TestAIAuditPlots draws the subgroup forest and the drift chart (looked
// at as PNG: groups labelled, the zero line, intervals).
func TestAIAuditPlots(t *testing.T) {
	sub := &strategy.SubgroupReport{By: "vendor", Rows: []strategy.SubgroupRow{
		{Group: "GE", Strategy: "rule-out:fraction=0.5", Assumption: strategy.Dismissed, RecallChange: -0.0012, RecallChangeLower: -0.0016, RecallChangeUpper: -0.0008},
		{Group: "Hologic", Strategy: "rule-out:fraction=0.5", Assumption: strategy.Dismissed, RecallChange: -0.0031, RecallChangeLower: -0.0036, RecallChangeUpper: -0.0026},
		{Group: "Siemens", Strategy: "rule-out:fraction=0.5", Assumption: strategy.Dismissed, RecallChange: -0.0034, RecallChangeLower: -0.0039, RecallChangeUpper: -0.0029},
	}}
	drift := &strategy.DriftReport{By: "vendor", Period: "year", Threshold: 0.92, Rows: []strategy.DriftRow{
		{Group: "GE", Period: "2020", Share: 0.15, Lower: 0.13, Upper: 0.17}, {Group: "GE", Period: "2021", Share: 0.16, Lower: 0.14, Upper: 0.18},
		{Group: "Hologic", Period: "2020", Share: 0.08, Lower: 0.07, Upper: 0.09}, {Group: "Hologic", Period: "2021", Share: 0.09, Lower: 0.08, Upper: 0.1},
	}}
	dir := os.Getenv("SCREENLAB_PLOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, ext := range []string{"png", "svg"} {
		if err := WriteSubgroupForest(filepath.Join(dir, "forest."+ext), sub); err != nil {
			t.Fatal(err)
		}
		if err := WriteDriftPlot(filepath.Join(dir, "drift."+ext), drift); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteSubgroupForest(filepath.Join(dir, "none.svg"), &strategy.SubgroupReport{By: "vendor"}); err == nil {
		t.Error("an empty forest drawn")
	}
}
