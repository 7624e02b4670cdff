package parquetsrc

// A page buffer larger than any before it in its chunk is new memory, and
// when the Go heap takes it fresh from the OS, every 4 KiB page of it
// faults on its first touch. On the paravirtualised VMs CI runs on a fault
// costs 10-15 µs, so decoding a 256 KiB page into such a buffer spent a
// millisecond in the kernel between two checks. A new buffer is therefore
// touched first, a few pages between checks.

const (
	osPage = 4096
	// touchPages is the pages touched between two checks: 60 µs of
	// faults at 15 µs each, and rarely more than 0.5 ms (one fault in a
	// hundred or so takes 60-200 µs; 16 pages a check made stretches of
	// a millisecond).
	touchPages = 4
)

// growChecked returns (*buf)[:n], making a new buffer when buf is too
// small and touching it as above. Its contents are then undefined.
func growChecked(buf *[]byte, n int, check func() error) ([]byte, error) {
	if cap(*buf) >= n {
		*buf = (*buf)[:n]
		return *buf, nil
	}
	b := make([]byte, n)
	*buf = b
	return b, touch(b, check)
}

// touch writes a zero to every OS page of b (zeroed memory: made, not yet
// written), calling check every touchPages pages.
func touch(b []byte, check func() error) error {
	if check == nil || len(b) <= touchPages*osPage {
		return nil
	}
	for off, k := 0, 0; off < len(b); off, k = off+osPage, k+1 {
		if k == touchPages {
			if err := check(); err != nil {
				return err
			}
			k = 0
		}
		b[off] = 0
	}
	return nil
}
