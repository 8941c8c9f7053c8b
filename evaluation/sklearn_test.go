package evaluation

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// TestAgainstScikitLearn compares with testdata/sklearn.json, written by
// testdata/make_sklearn.py (roc_auc_score, average_precision_score,
// brier_score_loss).
func TestAgainstScikitLearn(t *testing.T) {
	raw, err := os.ReadFile("testdata/sklearn.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		AUC              float64
		AveragePrecision float64 `json:"average_precision"`
		Brier            float64
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	c := columns(t, "asah.csv", "outcome", "s100b")
	y := toBool(c[0])
	a, _ := AUCDeLong(c[1], y, 0.95)
	eq(t, "auc", a.Estimate, g.AUC, 1e-12)
	eq(t, "average precision", AveragePrecision(ROC(c[1], y)), g.AveragePrecision, 1e-12)
	risk := make([]float64, len(c[1]))
	for i, v := range c[1] {
		risk[i] = math.Min(1, v/2.5)
	}
	b, _ := Brier(risk, y)
	eq(t, "brier", b, g.Brier, 1e-12)
}
