package parquetsrc

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// cachedFrom reads f with preadv2(RWF_NOWAIT), which returns EAGAIN
// rather than wait for a disk; nil where the kernel refuses the flag
// (before Linux 4.14, or a file system without it), and the reader then
// reads as before.
func cachedFrom(f *os.File) cachedReader {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil
	}
	var probe [1]byte
	supported := false
	_ = rc.Control(func(fd uintptr) {
		_, err := unix.Preadv2(int(fd), [][]byte{probe[:]}, 0, unix.RWF_NOWAIT)
		supported = err == nil || errors.Is(err, unix.EAGAIN)
	})
	if !supported {
		return nil
	}
	return func(b []byte, off int64) (n int, err error) {
		iov := [][]byte{b}
		cerr := rc.Control(func(fd uintptr) {
			for {
				n, err = unix.Preadv2(int(fd), iov, off, unix.RWF_NOWAIT)
				if !errors.Is(err, unix.EINTR) {
					return
				}
			}
		})
		switch {
		case cerr != nil:
			return 0, cerr
		case errors.Is(err, unix.EAGAIN):
			return 0, errNotCached
		case err != nil:
			return 0, &os.PathError{Op: "read", Path: f.Name(), Err: err}
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}
