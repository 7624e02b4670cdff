package bufpool

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapBytes maps n bytes of zeroed memory from the OS, or returns nil.
// Not unix.Mmap: it keeps every mapping in a table of its own.
func mapBytes(n int) []byte {
	p, err := unix.MmapPtr(-1, 0, nil, uintptr(n), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS)
	if err != nil {
		return nil
	}
	return unsafe.Slice((*byte)(p), n)
}

// unmapBytes gives a mapping from mapBytes back to the OS.
func unmapBytes(b []byte) {
	_ = unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(b)), uintptr(len(b)))
}
