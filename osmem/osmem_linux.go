package osmem

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// Map returns n bytes of zeroed memory mapped from the OS, or nil when
// the OS refuses. Not unix.Mmap: it records every mapping in a table of
// its own, and callers here unmap a piece at a time.
func Map(n int) []byte {
	if n <= 0 {
		return nil
	}
	if n < HugeFrom {
		return mmap(n)
	}
	// Map a huge page more than asked, and give back the ends that fall
	// outside the aligned range.
	raw := mmap(n + HugePage)
	if raw == nil {
		return nil
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	head := int((HugePage - start%HugePage) % HugePage)
	if head > 0 {
		_ = Unmap(raw[:head])
	}
	if tail := len(raw) - head - n; tail > 0 {
		_ = Unmap(raw[head+n:])
	}
	b := raw[head : head+n : head+n]
	// Advice only: a kernel without transparent huge pages maps 4 KiB.
	_ = unix.Madvise(b, unix.MADV_HUGEPAGE)
	return b
}

// Unmap gives mem back to the OS. mem must lie in a mapping from Map and
// start on an OS page boundary; it need not be all of the mapping.
func Unmap(mem []byte) error {
	if len(mem) == 0 {
		return nil
	}
	return unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(mem)), uintptr(len(mem)))
}

func mmap(n int) []byte {
	p, err := unix.MmapPtr(-1, 0, nil, uintptr(n), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil
	}
	return unsafe.Slice((*byte)(p), n)
}
