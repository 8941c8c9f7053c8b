package main

import (
	"os"
	"runtime/debug"

	"github.com/screenlab/screenlab/cmd/screenlab/internal/ui"
	// JPEG-LS and JPEG 2000 DICOM (CharLS, OpenJPEG through cgo).
	_ "github.com/screenlab/screenlab/datasets/imageio/codec/native"
	"github.com/screenlab/screenlab/internal/hugeheap"
)

func main() {
	// The collector runs at the default GOGC=100: a large job's heap is
	// mostly pointer-free columns, so a collection costs milliseconds, and
	// memory it frees is reused where a laxer GOGC (400 before) had each
	// allocation touch fresh pages, which cost more than the collections
	// saved (a 1,000,000-row Cox fit: 2.9 s at 400, 2.4 s at 100).
	// A soft limit of 3 GiB, where the collector works harder instead:
	// 10,000,000-row inputs stay within 4 GB (make bench).
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(3 << 30)
	}
	// Page faults, not arithmetic, were a third of a large job's time (a
	// Cox fit on 1,000,000 rows took 141,519 of them): let the heap up to
	// the soft limit fault in 2 MiB pages where the kernel allows them on
	// request.
	if os.Getenv("SCREENLAB_HUGEPAGES") != "0" {
		hugeheap.Reserve(3 << 30)
	}
	os.Exit(run(os.Args[1:], ui.System()))
}
