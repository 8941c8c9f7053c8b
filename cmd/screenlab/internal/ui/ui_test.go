package ui

import "testing"

// Progress shows whenever stderr is a terminal — also when stdout goes to
// a file — and never with --quiet.
func TestProgressEnabled(t *testing.T) {
	for _, c := range []struct{ stdout, stderr, quiet, want bool }{
		{true, true, false, true},
		{false, true, false, true},
		{true, false, false, false},
		{false, true, true, false},
	} {
		s, _, _, _ := Test()
		s.SetStdoutTTY(c.stdout)
		s.SetStderrTTY(c.stderr)
		s.Quiet = c.quiet
		if got := s.ProgressEnabled(); got != c.want {
			t.Errorf("stdout tty %v, stderr tty %v, quiet %v: %v", c.stdout, c.stderr, c.quiet, got)
		}
	}
}
