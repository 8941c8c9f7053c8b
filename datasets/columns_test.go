package datasets

import (
	"math"
	"testing"
)

func TestAgeBand(t *testing.T) {
	tests := []struct {
		age        float64
		width, top int
		want       string
	}{
		{52.9, 5, 0, "50-54"}, {55, 5, 0, "55-59"}, {0.2, 5, 90, "0-4"}, {89.99, 5, 90, "85-89"}, {90, 5, 90, "90+"},
		{104, 5, 90, "90+"}, {47, 10, 0, "40-49"}, {math.NaN(), 5, 0, ""}, {-1, 5, 0, ""},
	}
	for _, tt := range tests {
		got := AgeBand(tt.age, tt.width, tt.top)
		if got != tt.want {
			t.Errorf("AgeBand(%v, %d, %d) = %q, want %q", tt.age, tt.width, tt.top, got, tt.want)
		}
		// The label reads back as its band.
		if got != "" {
			lo, _, ok := ParseAgeGroup(got)
			if !ok || float64(lo) > tt.age {
				t.Errorf("ParseAgeGroup(%q) = %d, %v", got, lo, ok)
			}
		}
	}
}
