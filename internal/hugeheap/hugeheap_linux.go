package hugeheap

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

const hugePage = 2 << 20

// Reserve grows the heap by size bytes (rounded to huge pages) advised for
// transparent huge pages and returns whether it did. It costs no memory:
// the bytes are never touched. It does nothing unless the kernel gives huge
// pages on request (THP "madvise"; with "always" they come anyway), nor
// where memory is not overcommitted (vm.overcommit_memory = 2, where an
// untouched reservation would still be charged), and reserves at most half
// the machine's memory, so that a small machine or container never fails
// to start for it.
func Reserve(size int) bool {
	if mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled"); err != nil || !strings.Contains(string(mode), "[madvise]") {
		return false
	}
	if oc, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err != nil || strings.TrimSpace(string(oc)) == "2" {
		return false
	}
	size = min(size, memTotal()/2)
	if size < 2*hugePage {
		return false
	}
	b := make([]byte, size)
	start := (uintptr(unsafe.Pointer(unsafe.SliceData(b))) + hugePage - 1) &^ (hugePage - 1)
	end := (uintptr(unsafe.Pointer(unsafe.SliceData(b))) + uintptr(size)) &^ (hugePage - 1)
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, start, end-start, syscall.MADV_HUGEPAGE)
	runtime.KeepAlive(b)
	b = nil
	runtime.GC() // the range goes back to the page allocator, mapped and advised
	return errno == 0
}

// AsTheCommand reserves, once per process, what screenlab's main reserves,
// for a benchmark that measures a library call as the command makes it.
func AsTheCommand() { once.Do(func() { Reserve(3 << 30) }) }

var once sync.Once

// memTotal is the machine's memory in bytes (/proc/meminfo), 0 if unknown.
func memTotal() int {
	f, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(f), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
