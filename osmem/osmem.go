// Package osmem maps anonymous memory from the OS, outside the Go heap,
// for the engine's large buffers: hash tables' slot arrays and the pool's
// biggest buffers.
//
// Mappings of HugeFrom bytes and more start on a huge-page boundary and
// ask for transparent huge pages (MADV_HUGEPAGE; most distributions enable
// them only where asked). A first touch then maps 2 MiB at a time instead
// of 4 KiB. On the paravirtualised VMs CI runs on, a 4 KiB fault costs
// 10-15 µs (a gigabyte touched page by page took 3.5 s, and 0.4-1.2 s in
// huge pages), so a query's fresh memory was a third of its system time
// and the longest stretches between its checks. Elsewhere huge pages still
// save TLB misses on tables probed at random.
package osmem

// HugePage is the size of a transparent huge page on amd64 and arm64.
const HugePage = 2 << 20

// HugeFrom is the smallest mapping aligned and advised for huge pages: a
// smaller one could waste most of its page.
const HugeFrom = 2 * HugePage
