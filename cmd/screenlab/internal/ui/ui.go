package ui

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Streams are the command's standard streams.
type Streams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdoutTTY, stderrTTY bool
	// Quiet silences progress bars and notes on standard error.
	Quiet bool
	// status is a line shown after a bar until the next output.
	status bool
}

// System returns the process's streams.
func System() *Streams {
	return &Streams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdoutTTY: term.IsTerminal(int(os.Stdout.Fd())), stderrTTY: term.IsTerminal(int(os.Stderr.Fd()))}
}

// Test returns streams over buffers, not terminals.
func Test() (s *Streams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &Streams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// SetStdoutTTY pretends standard output is (or is not) a terminal.
func (s *Streams) SetStdoutTTY(b bool) { s.stdoutTTY = b }

// SetStderrTTY pretends standard error is (or is not) a terminal.
func (s *Streams) SetStderrTTY(b bool) { s.stderrTTY = b }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *Streams) IsStdoutTTY() bool { return s.stdoutTTY }

// ProgressEnabled reports whether progress bars are shown: whenever
// standard error is a terminal (also with standard output redirected to a
// file, the usual way to run a long job), unless quiet.
func (s *Streams) ProgressEnabled() bool { return s.stderrTTY && !s.Quiet }

// Status shows what the command does after a bar has finished ("linking
// exams…"), so that no stretch of work is silent; the next bar, note or
// ClearStatus replaces it. It shows only with progress.
func (s *Streams) Status(msg string) {
	if !s.ProgressEnabled() {
		return
	}
	fmt.Fprintf(s.ErrOut, "\r\033[K%s…", msg)
	s.status = true
}

// ClearStatus removes a status line (at the end of a command).
func (s *Streams) ClearStatus() {
	if s.status {
		fmt.Fprint(s.ErrOut, "\r\033[K")
		s.status = false
	}
}

// Notef writes a note for people on standard error unless quiet.
func (s *Streams) Notef(format string, args ...any) {
	s.ClearStatus()
	if !s.Quiet {
		fmt.Fprintf(s.ErrOut, format+"\n", args...)
	}
}

// Progress is a progress bar, or nothing when progress is off. Its time
// left is the time so far scaled by the work left, from the bar's start
// (not from the last seconds' rate, which swings with each file and
// stage).
type Progress struct {
	bar        *progressbar.ProgressBar
	desc       string
	total      int64
	start, eta time.Time
}

// describe puts the time left into the bar's description, at most twice a
// second.
func (p *Progress) describe(n int64) {
	now := time.Now()
	if p.total <= 0 || n <= 0 || now.Sub(p.eta) < 500*time.Millisecond {
		return
	}
	p.eta = now
	left := time.Duration(float64(now.Sub(p.start)) * float64(p.total-n) / float64(n))
	p.bar.Describe(fmt.Sprintf("%s (%s left)", p.desc, left.Round(time.Second)))
}

// NewProgress starts a bar counting to total (bytes when inBytes), or a
// spinner when total is -1.
func (s *Streams) NewProgress(total int64, desc string, inBytes bool) *Progress {
	if !s.ProgressEnabled() {
		return &Progress{}
	}
	s.ClearStatus()
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(s.ErrOut),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionOnCompletion(func() { fmt.Fprint(s.ErrOut, "\r\033[K") }),
	}
	if inBytes {
		opts = append(opts, progressbar.OptionShowBytes(true))
	}
	return &Progress{bar: progressbar.NewOptions64(total, opts...), desc: desc, total: total, start: time.Now()}
}

// NewRateProgress starts a bar counting units (e.g. "exams") to total that
// shows the throughput and the time left.
func (s *Streams) NewRateProgress(total int64, desc, units string) *Progress {
	if !s.ProgressEnabled() {
		return &Progress{}
	}
	s.ClearStatus()
	return &Progress{desc: desc, total: total, start: time.Now(), bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(s.ErrOut),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(units),
		progressbar.OptionSetPredictTime(false),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionOnCompletion(func() { fmt.Fprint(s.ErrOut, "\r\033[K") }),
	)}
}

// Set moves the bar to n.
func (p *Progress) Set(n int64) {
	if p.bar != nil {
		p.describe(n)
		p.bar.Set64(n)
	}
}

// Finish completes and clears the bar.
func (p *Progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

// FinishThen completes and clears the bar and says what comes next (a
// status line until the next output), so that no stretch is silent.
func (p *Progress) FinishThen(s *Streams, next string) {
	p.Finish()
	if p.bar != nil {
		s.Status(next)
	}
}
