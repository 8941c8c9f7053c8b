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

// Notef writes a note for people on standard error unless quiet.
func (s *Streams) Notef(format string, args ...any) {
	if !s.Quiet {
		fmt.Fprintf(s.ErrOut, format+"\n", args...)
	}
}

// Progress is a progress bar, or nothing when progress is off.
type Progress struct {
	bar *progressbar.ProgressBar
}

// NewProgress starts a bar counting to total (bytes when inBytes), or a
// spinner when total is -1.
func (s *Streams) NewProgress(total int64, desc string, inBytes bool) *Progress {
	if !s.ProgressEnabled() {
		return &Progress{}
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(s.ErrOut),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionOnCompletion(func() { fmt.Fprint(s.ErrOut, "\r\033[K") }),
	}
	if inBytes {
		opts = append(opts, progressbar.OptionShowBytes(true))
	}
	return &Progress{bar: progressbar.NewOptions64(total, opts...)}
}

// NewRateProgress starts a bar counting units (e.g. "exams") to total that
// shows the throughput and the time left.
func (s *Streams) NewRateProgress(total int64, desc, units string) *Progress {
	if !s.ProgressEnabled() {
		return &Progress{}
	}
	return &Progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(s.ErrOut),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString(units),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionOnCompletion(func() { fmt.Fprint(s.ErrOut, "\r\033[K") }),
	)}
}

// Set moves the bar to n.
func (p *Progress) Set(n int64) {
	if p.bar != nil {
		p.bar.Set64(n)
	}
}

// Finish completes and clears the bar.
func (p *Progress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
