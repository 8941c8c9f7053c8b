package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// fakeT records failures instead of failing the test.
type fakeT struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeT) Helper()                        {}
func (f *fakeT) Errorf(format string, a ...any) { f.failed, f.msg = true, format }

func TestCheck(t *testing.T) {
	if Updating() {
		t.Skip("-update")
	}
	path := filepath.Join(t.TempDir(), "x.golden")
	os.WriteFile(path, []byte("a\nb\n"), 0o644)
	ok := &fakeT{TB: t}
	Check(ok, path, []byte("a\nb\n"))
	bad := &fakeT{TB: t}
	Check(bad, path, []byte("a\nc\n"))
	missing := &fakeT{TB: t}
	Check(missing, path+".none", []byte("a"))
	if ok.failed || !bad.failed || !missing.failed {
		t.Errorf("same %v, different %v, missing %v", ok.failed, bad.failed, missing.failed)
	}
	if d := FirstDiff([]byte("a\nb\n"), []byte("a\nc\n")); d != "line 2:\n  want b\n  got  c" {
		t.Errorf("FirstDiff = %q", d)
	}
}
