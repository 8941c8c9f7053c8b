package report

import (
	"math"
	"strings"
	"testing"

	"github.com/screenlab/screenlab/evaluation/screening"
	"github.com/screenlab/screenlab/groups"
	"github.com/screenlab/screenlab/report/suppress"
)

// A PPV with no recalls is not defined; one whose counts were hidden is
// suppressed: the page says which (they are both NaN in a result).
func TestSuppressedIsNotUndefined(t *testing.T) {
	nan := math.NaN()
	noRecalls := screening.ScreeningRow{Group: groups.Key{Names: []string{"unit"}, Values: []string{"SU01"}}, Exams: 100,
		PPV: nan, PPVLower: nan, PPVUpper: nan}
	hidden := screening.ScreeningRow{Group: groups.Key{Names: []string{"unit"}, Values: []string{"SU02"}}, Exams: 100,
		Recalls: nan, RecallRate: nan, RecallRateLower: nan, RecallRateUpper: nan, PPV: nan, PPVLower: nan, PPVUpper: nan,
		Suppressed: suppress.Labels{"recalls": suppress.Primary}}
	p := &Page{}
	p.ScreeningSection([]screening.ScreeningRow{noRecalls, hidden})
	body := p.body.String()
	su01 := body[strings.Index(body, "SU01"):strings.Index(body, "SU02")]
	su02 := body[strings.Index(body, "SU02"):]
	if !strings.Contains(su01, NotDefined) || strings.Contains(su01, Suppressed) {
		t.Errorf("no recalls: %s", su01)
	}
	if !strings.Contains(su02, Suppressed) {
		t.Errorf("hidden recalls: %s", su02)
	}
	if FormatP(1e-20) != "< 1e-16" || FormatP(0.0123) != "0.012" || FormatP(nan) != NotDefined {
		t.Errorf("FormatP: %q %q %q", FormatP(1e-20), FormatP(0.0123), FormatP(nan))
	}
}
