//go:build unix

package scoring

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// lockOutput takes an exclusive lock on out (flock on OUT.lock), so that
// two runs never write one scores file; the kernel releases it when a run
// ends, however it ends, so a killed run leaves no lock behind.
func lockOutput(out string) (unlock func(), err error) {
	for range 3 {
		unlock, retry, err := tryLock(out)
		if !retry {
			return unlock, err
		}
	}
	return nil, fmt.Errorf("%s: its lock file keeps changing; is another screenlab score starting?", out)
}

// tryLock locks OUT.lock; retry is true when the file was replaced while
// it was being locked (a run finishing removes it).
func tryLock(out string) (unlock func(), retry bool, err error) {
	path := out + ".lock"
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := strings.TrimSpace(string(holder))
			if who != "" {
				who = " (process " + who + ")"
			}
			return nil, false, fmt.Errorf("%s: another screenlab score is writing it%s; wait for it, or stop it and use --resume", out, who)
		}
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	if st, err := os.Stat(path); err != nil || !sameFile(f, st) {
		f.Close()
		return nil, true, nil
	}
	f.Truncate(0)
	f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return func() {
		os.Remove(path)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, false, nil
}

func sameFile(f *os.File, st os.FileInfo) bool {
	fs, err := f.Stat()
	return err == nil && os.SameFile(fs, st)
}
