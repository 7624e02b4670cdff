package operators

import (
	"time"

	"golang.org/x/sys/unix"
)

// readThread reads the clocks of the thread the goroutine runs on. The
// CPU clock is exact (the kernel brings a running thread's time up to
// date when asked, which getrusage and /proc do not). Three system
// calls, some 0.5 µs together.
func readThread() (threadClock, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return threadClock{}, false
	}
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_THREAD, &ru); err != nil {
		return threadClock{}, false
	}
	return threadClock{cpu: time.Duration(ts.Nano()), tid: unix.Gettid(), sleeps: ru.Nvcsw}, true
}
