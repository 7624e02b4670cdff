package operators

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// readThread reads the clocks of the thread the goroutine runs on. The
// CPU clock is exact (the kernel brings a running thread's time up to
// date when asked, which getrusage and /proc do not). Three system
// calls, some 0.5 µs together. The goroutine is locked to its thread
// meanwhile: it could otherwise move to another between two of the calls
// (a system call is a scheduling point), and a stretch's time on the CPU
// then came out as one thread's clock minus another's (-55 ms, seen).
func readThread() (threadClock, bool) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
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
