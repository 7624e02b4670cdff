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
	return mmap(n)
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
