package parquetsrc

import (
	"os"

	"golang.org/x/sys/unix"
)

// willNeed asks the kernel to start reading [off, off+n) of f into the
// page cache and returns without waiting (POSIX_FADV_WILLNEED). A column
// chunk read from disk page by page waited on each 64 KiB read, between
// two checks, for up to 14 ms on the CI VMs; asked for as the row group
// starts, every chunk's reads are in flight at once. Advice only: an
// error is ignored.
func willNeed(f *os.File, off, n int64) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) { _ = unix.Fadvise(int(fd), off, n, unix.FADV_WILLNEED) })
}
