// Package hugeheap asks the kernel to back the Go heap with transparent
// huge pages (2 MiB) where it allows them only on request
// (/sys/kernel/mm/transparent_hugepage/enabled = madvise, the default of
// many distributions).
//
// A command that fills hundreds of megabytes of columns touches each 4 KiB
// page once, and each first touch is a page fault: on the virtual machines
// screenlab is benchmarked on a fault costs about 14 µs, so a 1,000,000-row
// Cox fit spent 1.4 s of its 5 s in the kernel (/usr/bin/time: 141,519
// minor faults). With huge pages the same memory takes 1/512 as many
// faults.
//
// The Go runtime maps heap memory with mmap and, since Go 1.21.4, does not
// advise huge pages itself (golang/go#61718, #64342: on a host whose memory
// is fragmented, a huge-page fault may stall in direct compaction, which a
// server's tail latency cannot afford but a batch command can), and a
// later mmap of new heap replaces any advice given to the reserved range. Reserve therefore grows
// the heap once by one large allocation that is never touched, advises
// its range, and frees it: the runtime reuses that mapped range for later
// allocations, which then fault in 2 MiB at a time. It is a process-wide
// choice for a command-line program (screenlab's main calls it), not for a
// library embedded in someone else's process; SCREENLAB_HUGEPAGES=0 turns
// it off.
package hugeheap
