package ui

import (
	"strings"
	"testing"
	"time"
)

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

// The time left is the time so far scaled by the work left, from the
// bar's start: a quarter done after 3 s leaves 9 s.
func TestTimeLeftFromTheStart(t *testing.T) {
	s, _, _, errOut := Test()
	s.SetStderrTTY(true)
	p := s.NewProgress(100, "reading", false)
	p.start = time.Now().Add(-3 * time.Second)
	p.Set(25)
	time.Sleep(150 * time.Millisecond) // past the bar's drawing throttle
	p.Set(26)
	if !strings.Contains(errOut.String(), "reading (9s left)") {
		t.Errorf("bar %q", errOut.String())
	}
}

// After a bar, a status line says what follows until the next output, and
// is cleared before it.
func TestNoSilentGapAfterABar(t *testing.T) {
	s, _, _, errOut := Test()
	s.SetStderrTTY(true)
	p := s.NewProgress(10, "reading exams", true)
	p.Set(10)
	p.FinishThen(s, "checking exams")
	if !strings.HasSuffix(errOut.String(), "checking exams…") {
		t.Errorf("stderr ends %q", tail(errOut.String()))
	}
	s.Notef("done")
	if !strings.HasSuffix(errOut.String(), "\r\033[Kdone\n") {
		t.Errorf("the note does not replace the status: %q", tail(errOut.String()))
	}
	s.ClearStatus() // nothing to clear: writes nothing
	if !strings.HasSuffix(errOut.String(), "done\n") {
		t.Errorf("a second clear wrote %q", tail(errOut.String()))
	}
	q, _, _, quiet := Test()
	q.NewProgress(10, "x", false).FinishThen(q, "y")
	if quiet.Len() != 0 {
		t.Errorf("without a terminal: %q", quiet.String())
	}
}

func tail(s string) string { return s[max(0, len(s)-40):] }
