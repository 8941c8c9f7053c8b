package features

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseSpecChoices(t *testing.T) {
	c, err := ParseSpecChoices([]string{"age:4"}, []string{"rx=Obs"}, []string{"density=a<b<c<d"})
	if err != nil || c.Knots["age"] != 4 || c.Reference["rx"] != "Obs" || !reflect.DeepEqual(c.Ordinal["density"], []string{"a", "b", "c", "d"}) {
		t.Errorf("%+v %v", c, err)
	}
	for _, bad := range []struct {
		s, r, o []string
		says    string
	}{
		{[]string{"age"}, nil, nil, "--spline"},
		{[]string{"age:x"}, nil, nil, "--spline"},
		{nil, []string{"rx"}, nil, "--reference"},
		{nil, nil, []string{"density=a,b"}, "--ordinal"},
	} {
		if _, err := ParseSpecChoices(bad.s, bad.r, bad.o); err == nil || !strings.Contains(err.Error(), bad.says) {
			t.Errorf("%v %v %v: %v", bad.s, bad.r, bad.o, err)
		}
	}
}
