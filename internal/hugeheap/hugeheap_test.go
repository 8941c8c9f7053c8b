package hugeheap

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// TestReserveAdvisesLaterAllocations: after Reserve, a large allocation
// lands in memory the kernel may back with huge pages (smaps'
// THPeligible), where without the advice it would not be (THP in madvise
// mode).
func TestReserveAdvisesLaterAllocations(t *testing.T) {
	mode, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !strings.Contains(string(mode), "[madvise]") {
		t.Skipf("transparent huge pages are not in madvise mode here (%q)", strings.TrimSpace(string(mode)))
	}
	before := make([]byte, 64<<20) // kept, so that the next one cannot reuse it
	if eligible(t, before) {
		t.Fatal("a fresh heap allocation is eligible before Reserve: the test would prove nothing")
	}
	if !Reserve(256 << 20) {
		t.Fatal("Reserve: the kernel refused MADV_HUGEPAGE")
	}
	after := make([]byte, 64<<20)
	if !eligible(t, after) {
		t.Fatal("an allocation after Reserve is not in huge-page memory")
	}
	runtime.KeepAlive(before)
	runtime.KeepAlive(after)
}

// eligible reports whether the mapping holding b may use huge pages.
func eligible(t *testing.T, b []byte) bool {
	t.Helper()
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(b))) + uintptr(len(b))/2
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		var lo, hi uintptr
		if n, _ := fmt.Sscanf(line, "%x-%x", &lo, &hi); n == 2 && strings.Contains(line, " ") {
			in = lo <= addr && addr < hi
			continue
		}
		if in && strings.HasPrefix(line, "THPeligible:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "THPeligible:")) == "1"
		}
	}
	t.Skip("no THPeligible line for the allocation in /proc/self/smaps")
	return false
}

// The reservation is bounded by the machine's memory, and a size below two
// huge pages reserves nothing.
func TestReserveBounds(t *testing.T) {
	if _, err := os.Stat("/proc/meminfo"); err == nil && memTotal() <= 0 {
		t.Errorf("memTotal %d from /proc/meminfo", memTotal())
	}
	if Reserve(1 << 20) {
		t.Error("Reserve(1 MiB) reserved")
	}
}
