//go:build unix

package parquetsrc

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system, GC included) the process has
// used: on a shared, noisy machine it varies far less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
