// Package osmem maps anonymous memory from the OS, outside the Go heap,
// for the engine's large buffers: hash tables' slot arrays and the pool's
// biggest buffers.
//
// Mappings stay in 4 KiB pages: they do not ask for transparent huge
// pages. A huge page's first touch maps 2 MiB inside one fault, which no
// check of the query's context can split, and on the paravirtualised VMs
// CI runs on that fault took 4.1 ms at the median (the kernel zeroes the
// page, and the host backs it) unless a just-freed huge page was at hand
// (0.1 ms). In small pages the same memory faults in a few pages at a
// time between checks (MADV_POPULATE_WRITE of 16 KiB took 6 µs at the
// median), and TPC-H's joins ran no slower without the huge pages'
// fewer TLB misses (BENCHMARKS.md).
package osmem
