package hugeheap

import (
	"runtime"
	"sync"
	"syscall"
	"unsafe"
)

const hugePage = 2 << 20

// Reserve grows the heap by size bytes (rounded to huge pages) advised for
// transparent huge pages and returns whether the kernel accepted the
// advice. It costs no memory: the bytes are never touched.
func Reserve(size int) bool {
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
