package atomicfile

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// File is a file being written; Commit puts it in place, Abort removes it.
type File struct {
	*os.File
	path string
	done bool
}

// Create starts writing path, in a temporary file beside it. The file is
// created with mode 0666 less the user's umask, as any new file: a registry
// whose umask is 077 gets outputs nobody else can read.
//
// The temporary file's name carries the process id, so that a later run
// removes what a killed run left behind (removeStale).
func Create(path string) (*File, error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	if _, done := cleaned.LoadOrStore(dir, true); !done {
		removeStale(dir) // once per folder and process: a folder may hold 100,000 images
	}
	for try := 0; ; try++ {
		name := filepath.Join(dir, fmt.Sprintf(".%s.tmp%d-%d", base, os.Getpid(), rand.Uint32()))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if os.IsExist(err) && try < 100 {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &File{File: f, path: path}, nil
	}
}

// Commit syncs, closes and renames the file into place; on any failure the
// temporary file is removed.
func (f *File) Commit() error {
	if f.done {
		return fmt.Errorf("atomicfile: %s already committed or aborted", f.path)
	}
	f.done = true
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), f.path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// Abort discards the file (a no-op after Commit).
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
}

// WriteFile writes path with write, atomically.
func WriteFile(path string, write func(w io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// cleaned holds the folders whose stale temporary files this process has
// removed.
var cleaned sync.Map

// removeStale removes the temporary files in dir (".NAME.tmpPID-N") that a
// process which no longer runs left behind (killed before Commit or Abort).
func removeStale(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		i := strings.LastIndex(name, ".tmp")
		if !strings.HasPrefix(name, ".") || i < 0 {
			continue
		}
		pidText, _, ok := strings.Cut(name[i+len(".tmp"):], "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid == os.Getpid() || pid <= 0 || running(pid) {
			continue
		}
		os.Remove(filepath.Join(dir, name))
	}
}
